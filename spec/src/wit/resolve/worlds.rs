//! WIT.md "WIT Worlds": a world's types, `include`s, imports and exports,
//! with gated-off items left out. (`include` and the elaboration of
//! implicit imports are [`crate::wit::world`]'s.)

use super::attributes::{docs, excluded_error, external_id, stability};
use super::types::TypeItem;
use super::{Entry, PackageResolver};
use crate::wit::ast;
use crate::wit::error::{Rule, WitError, WitResult};
use crate::wit::map::OrderedMap;
use crate::wit::model::*;
use crate::wit::source::Span;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;

impl<'r> PackageResolver<'r> {
    /// Resolves a world; returns whether it is included.
    pub(super) fn resolve_world(&mut self, id: WorldId, w: &ast::World) -> WitResult<bool> {
        self.resolve.worlds[id].docs = docs(&w.docs);
        let stab = stability(&w.attributes)?;
        let enabled = self.enabled(&stab, w.name.span)?;
        self.resolve.worlds[id].stability = stab;
        let mut lookup = OrderedMap::new();
        let types = w
            .items
            .iter()
            .filter_map(|i| match i {
                ast::WorldItem::Use(u) => Some(TypeItem::Use(u)),
                ast::WorldItem::Type(t) => Some(TypeItem::Def(t)),
                _ => None,
            })
            .collect();
        self.resolve_types(TypeOwner::World(id), types, &mut lookup, enabled, "world")?;
        for item in &w.items {
            let ast::WorldItem::Include(i) = item else {
                continue;
            };
            let istab = stability(&i.attributes)?;
            let (world, span) = self.path_world(&i.from)?;
            let inc_enabled = enabled && self.enabled(&istab, span)?;
            match world {
                Some((wid, true)) => self.resolve.worlds[id].includes.push(WorldInclude {
                    stability: istab,
                    id: wid,
                    names: i
                        .names
                        .iter()
                        .map(|(a, b)| (a.name.clone(), b.name.clone()))
                        .collect(),
                    span,
                }),
                _ if inc_enabled => return Err(excluded_error("world", span)),
                _ => {}
            }
            if !inc_enabled {
                self.resolve.worlds[id]
                    .includes
                    .pop_if(|inc| inc.span == span);
            }
        }
        let mut imports: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
        let mut exports: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
        for (name, (e, span)) in lookup.iter() {
            if let Entry::Type(t) = e {
                imports.insert(
                    WorldKey::Name(name.clone()),
                    WorldItem::Type {
                        id: *t,
                        span: *span,
                    },
                );
            }
        }
        let mut imported = BTreeSet::new();
        let mut exported = BTreeSet::new();
        for item in &w.items {
            let (ext, is_import) = match item {
                ast::WorldItem::Import(e) => (e, true),
                ast::WorldItem::Export(e) => (e, false),
                ast::WorldItem::Type(ast::TypeDef {
                    name,
                    ty: ast::Type::Resource(_, funcs),
                    ..
                }) => {
                    for f in funcs {
                        let f = self.resolve_resource_func(f, name, &lookup)?;
                        imports.insert(WorldKey::Name(f.name.clone()), WorldItem::Function(f));
                    }
                    continue;
                }
                _ => continue,
            };
            let desc = if is_import { "import" } else { "export" };
            let (key, witem) = self.resolve_world_item(ext, &lookup, enabled)?;
            let Some(witem) = witem else { continue };
            if let WorldKey::Interface(i) = key {
                let set = if is_import {
                    &mut imported
                } else {
                    &mut exported
                };
                if !set.insert(i) {
                    return Err(WitError::new(
                        Rule::Duplicate,
                        ext.kind.span(),
                        format!("interface cannot be {desc}ed more than once"),
                    ));
                }
            }
            let dst = if is_import {
                &mut imports
            } else {
                &mut exports
            };
            if let Some(prev) = dst.insert(key.clone(), witem) {
                let prev = match prev {
                    WorldItem::Interface { .. } => "interface",
                    WorldItem::Function(_) => "func",
                    WorldItem::Type { .. } => "type",
                };
                let name = match key {
                    WorldKey::Name(n) => n,
                    WorldKey::Interface(_) => String::new(),
                };
                return Err(WitError::new(
                    Rule::World,
                    ext.kind.span(),
                    format!("{desc} `{name}` conflicts with prior {prev} of same name"),
                ));
            }
        }
        if !enabled {
            return Ok(false);
        }
        // Leave out gated-off items.
        for (is_import, items) in [(true, imports), (false, exports)] {
            for (key, item) in items.into_entries() {
                let span = item.span();
                let keep = match &item {
                    WorldItem::Type { id, .. } => {
                        // As the reference resolver does, a world type whose
                        // gate is off is an error, not an omission.
                        if self.excluded_types.contains(id) {
                            return Err(excluded_error("type", span));
                        }
                        true
                    }
                    WorldItem::Interface { id, stability, .. } => {
                        let on = self.enabled(stability, span)?;
                        if on && self.excluded_ifaces.contains(id) {
                            return Err(excluded_error("interface", span));
                        }
                        on
                    }
                    WorldItem::Function(f) => {
                        let on = self.enabled(&f.stability, span)?;
                        if on {
                            self.check_function(f)?;
                        }
                        on
                    }
                };
                if keep {
                    let w = &mut self.resolve.worlds[id];
                    let dst = if is_import {
                        &mut w.imports
                    } else {
                        &mut w.exports
                    };
                    dst.insert(key, item);
                }
            }
        }
        Ok(true)
    }

    fn resolve_world_item(
        &mut self,
        ext: &ast::Extern,
        lookup: &OrderedMap<String, (Entry, Span)>,
        world_enabled: bool,
    ) -> WitResult<(WorldKey, Option<WorldItem>)> {
        match &ext.kind {
            ast::ExternKind::Interface(name, items) => {
                let id = self.alloc_interface(None, name.span);
                let enabled =
                    self.resolve_interface(id, items, &ext.docs, &ext.attributes, world_enabled)?;
                let _ = enabled;
                let stab = self.resolve.interfaces[id].stability.clone();
                let ext_id = external_id(&ext.attributes)?;
                Ok((
                    WorldKey::Name(name.name.clone()),
                    Some(WorldItem::Interface {
                        id,
                        stability: stab,
                        docs: Docs::default(),
                        external_id: ext_id,
                        span: name.span,
                    }),
                ))
            }
            ast::ExternKind::Path(path) | ast::ExternKind::NamedPath(_, path) => {
                let stab = stability(&ext.attributes)?;
                let ext_id = external_id(&ext.attributes)?;
                let (iface, span) = self.path_interface(path)?;
                let (key, span) = match &ext.kind {
                    ast::ExternKind::NamedPath(name, _) => (None, name.span),
                    _ => (Some(()), span),
                };
                let Some((iid, _)) = iface else {
                    // A foreign interface whose every use is gated off.
                    if world_enabled && self.enabled(&stab, span)? {
                        return Err(excluded_error("interface", span));
                    }
                    return Ok((WorldKey::Name(String::new()), None));
                };
                let key = match (key, &ext.kind) {
                    (None, ast::ExternKind::NamedPath(name, _)) => {
                        WorldKey::Name(name.name.clone())
                    }
                    _ => WorldKey::Interface(iid),
                };
                Ok((
                    key,
                    Some(WorldItem::Interface {
                        id: iid,
                        stability: stab,
                        docs: docs(&ext.docs),
                        external_id: ext_id,
                        span,
                    }),
                ))
            }
            ast::ExternKind::Func(name, func) => {
                let kind = if func.is_async {
                    FunctionKind::AsyncFreestanding
                } else {
                    FunctionKind::Freestanding
                };
                let f = self.resolve_function(
                    &ext.docs,
                    &ext.attributes,
                    &name.name,
                    name.span,
                    func,
                    kind,
                    lookup,
                )?;
                Ok((WorldKey::Name(f.name.clone()), Some(WorldItem::Function(f))))
            }
        }
    }
}
