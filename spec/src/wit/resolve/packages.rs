//! WIT.md "WIT Packages and `use`": the items a package uses from packages
//! resolved before it, and the order of its own interfaces and worlds
//! (dependencies first; a cycle is refused).

use super::attributes::{include_stability, stability};
use super::names::{not_found, suggest};
use super::{Foreign, Local, LocalItem, PackageResolver, ParsedPackage, package_name};
use crate::wit::ast;
use crate::wit::error::{Rule, WitError, WitResult};
use crate::wit::map::OrderedMap;
use crate::wit::toposort::toposort;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PathKind {
    World,
    Interface,
    Unknown,
}

/// Visits every `use-path` of `files` the way dependency order needs them:
/// for each world its `use`s and `include`s, then paths of imports, then of
/// exports; for each interface its `use`s; top-level `use`s. The callback
/// gets the owning interface/world name for interface `use`s and world
/// `include`s (the edges of the item order).
pub(super) fn for_each_path<'a>(
    files: &'a [Vec<ast::Item>],
    f: &mut dyn FnMut(Option<&'a ast::Id>, &'a [ast::Attribute], &'a ast::UsePath, PathKind),
) {
    for items in files {
        for_each_path_in(items, f);
    }
}

fn for_each_path_in<'a>(
    items: &'a [ast::Item],
    f: &mut dyn FnMut(Option<&'a ast::Id>, &'a [ast::Attribute], &'a ast::UsePath, PathKind),
) {
    for item in items {
        match item {
            ast::Item::World(w) => {
                let mut imports = Vec::new();
                let mut exports = Vec::new();
                for it in &w.items {
                    match it {
                        ast::WorldItem::Use(u) => {
                            f(None, &u.attributes, &u.from, PathKind::Interface)
                        }
                        ast::WorldItem::Include(i) => {
                            f(Some(&w.name), &i.attributes, &i.from, PathKind::World)
                        }
                        ast::WorldItem::Type(_) => {}
                        ast::WorldItem::Import(e) => imports.push(e),
                        ast::WorldItem::Export(e) => exports.push(e),
                    }
                }
                for e in imports.into_iter().chain(exports) {
                    match &e.kind {
                        ast::ExternKind::Interface(_, items) => {
                            for it in items {
                                if let ast::InterfaceItem::Use(u) = it {
                                    f(None, &u.attributes, &u.from, PathKind::Interface);
                                }
                            }
                        }
                        ast::ExternKind::Path(p) | ast::ExternKind::NamedPath(_, p) => {
                            f(None, &e.attributes, p, PathKind::Interface)
                        }
                        ast::ExternKind::Func(..) => {}
                    }
                }
            }
            ast::Item::Interface(i) => {
                for it in &i.items {
                    if let ast::InterfaceItem::Use(u) = it {
                        f(Some(&i.name), &u.attributes, &u.from, PathKind::Interface);
                    }
                }
            }
            ast::Item::Use(u) => f(None, &u.attributes, &u.item, PathKind::Unknown),
            ast::Item::Package(p) => for_each_path_in(&p.items, f),
        }
    }
}

impl<'r> PackageResolver<'r> {
    pub(super) fn collect_foreign(&mut self, pkg: &'r ParsedPackage) -> WitResult<()> {
        let mut err = None;
        let mut found = Vec::new();
        for_each_path(&pkg.files, &mut |_, attrs, path, kind| {
            let ast::UsePath::Package { id, name } = path else {
                return;
            };
            let stab = match stability(attrs) {
                Ok(s) => s,
                Err(e) => {
                    err.get_or_insert(e);
                    return;
                }
            };
            found.push((package_name(id), id.span, name.clone(), kind, stab));
        });
        if let Some(e) = err {
            return Err(e);
        }
        for (pname, pspan, name, kind, stab) in found {
            let key = (pname.clone(), name.name.clone());
            let idx = match self.foreign_index.get(&key) {
                Some(&i) => i,
                None => {
                    self.foreign.push(Foreign {
                        package: pname,
                        name: name.name.clone(),
                        is_world: kind == PathKind::World,
                        stabilities: Vec::new(),
                        package_span: pspan,
                        name_span: name.span,
                        id: None,
                        error: None,
                    });
                    self.foreign_index.insert(key, self.foreign.len() - 1);
                    self.foreign.len() - 1
                }
            };
            self.foreign[idx].stabilities.push(stab);
        }
        Ok(())
    }

    pub(super) fn process_foreign(&mut self) -> WitResult<()> {
        for i in 0..self.foreign.len() {
            if let Err(e) = self.process_one_foreign(i) {
                self.foreign[i].error = Some(e);
            }
        }
        Ok(())
    }

    fn process_one_foreign(&mut self, i: usize) -> WitResult<()> {
        {
            let f = &self.foreign[i];
            let Some(&pkg) = self.resolve.package_names.get(&f.package) else {
                let known: Vec<String> = self
                    .resolve
                    .package_names
                    .keys()
                    .map(|n| format!("{n}"))
                    .collect();
                return Err(WitError::new(
                    Rule::Package,
                    f.package_span,
                    format!("package '{}' not found. known packages:{}", f.package, {
                        let mut s = String::new();
                        for k in known {
                            s.push_str("\n    ");
                            s.push_str(&k);
                        }
                        s
                    }),
                ));
            };
            let mut enabled = false;
            for s in &f.stabilities {
                if include_stability(self.resolve, s, self.pkg, f.name_span)? {
                    enabled = true;
                    break;
                }
            }
            if !enabled {
                return Ok(());
            }
            let p = &self.resolve.packages[pkg];
            let id = if f.is_world {
                p.worlds.get(&f.name).copied().ok_or_else(|| {
                    WitError::new(
                        Rule::UnknownName,
                        f.name_span,
                        format!("world '{}' not found in package '{}'", f.name, p.name),
                    )
                })?
            } else {
                p.interfaces.get(&f.name).copied().ok_or_else(|| {
                    WitError::new(
                        Rule::UnknownName,
                        f.name_span,
                        format!("interface '{}' not found in package '{}'", f.name, p.name),
                    )
                })?
            };
            self.foreign[i].id = Some(id);
        }
        Ok(())
    }

    /// Names of the package and of each file; returns the local items in
    /// dependency order.
    pub(super) fn populate_items(&mut self, pkg: &'r ParsedPackage) -> WitResult<Vec<usize>> {
        for (fi, items) in pkg.files.iter().enumerate() {
            for item in items {
                let (name, li) = match item {
                    ast::Item::Interface(i) => (&i.name, LocalItem::Interface(i)),
                    ast::Item::World(w) => (&w.name, LocalItem::World(w)),
                    _ => continue,
                };
                if self.package_items.contains_key(&name.name) {
                    return Err(WitError::new(
                        Rule::Duplicate,
                        name.span,
                        format!("duplicate item named `{}`", name.name),
                    ));
                }
                self.package_items
                    .insert(name.name.clone(), self.locals.len());
                self.locals.push(Local {
                    name,
                    item: li,
                    file: fi,
                });
                self.local_ids.push(None);
            }
        }
        let mut deps: OrderedMap<String, Vec<ast::Id>> = OrderedMap::new();
        for l in &self.locals {
            deps.insert(l.name.name.clone(), Vec::new());
        }
        for (fi, items) in pkg.files.iter().enumerate() {
            // This file's namespace: its top-level `use`s and its items.
            let mut ns: BTreeMap<String, Option<&ast::Id>> = BTreeMap::new();
            for item in items {
                let (name, local) = match item {
                    ast::Item::Use(u) => {
                        let name = u.as_.as_ref().unwrap_or(u.item.name());
                        let local = match &u.item {
                            ast::UsePath::Id(id) => Some(id),
                            ast::UsePath::Package { .. } => None,
                        };
                        (name, local)
                    }
                    ast::Item::Interface(i) => (&i.name, Some(&i.name)),
                    ast::Item::World(w) => (&w.name, Some(&w.name)),
                    ast::Item::Package(_) => continue,
                };
                if ns.insert(name.name.clone(), local).is_some() {
                    return Err(WitError::new(
                        Rule::Duplicate,
                        name.span,
                        format!("duplicate name `{}` in this file", name.name),
                    ));
                }
            }
            let mut err = None;
            let files = core::slice::from_ref(&pkg.files[fi]);
            for_each_path(files, &mut |owner, _, path, _| {
                let (Some(owner), ast::UsePath::Id(used)) = (owner, path) else {
                    return;
                };
                let target = match ns.get(&used.name) {
                    Some(None) => return,
                    Some(Some(id)) => (*id).clone(),
                    None if self.package_items.contains_key(&used.name) => used.clone(),
                    None => {
                        err.get_or_insert_with(|| {
                            not_found(
                                "interface or world",
                                used,
                                suggest(&used.name, self.package_items.keys()),
                            )
                        });
                        return;
                    }
                };
                if let Some(d) = deps.get_mut(&owner.name) {
                    d.push(target);
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
        }
        let order = toposort("interface or world", &deps)?;
        // Each file's view of names: top-level `use`s, then package items.
        for items in &pkg.files {
            let mut map = BTreeMap::new();
            for item in items {
                if let ast::Item::Use(u) = item {
                    if !u.attributes.is_empty() {
                        return Err(WitError::new(
                            Rule::Syntax,
                            u.span,
                            "attributes not allowed on top-level use",
                        ));
                    }
                    let name = u.as_.as_ref().unwrap_or(u.item.name());
                    let r = match &u.item {
                        ast::UsePath::Id(id) => match self.package_items.get(&id.name) {
                            Some(&i) => self.local_ref(i),
                            None => {
                                return Err(not_found(
                                    "interface or world",
                                    id,
                                    suggest(&id.name, self.package_items.keys()),
                                ));
                            }
                        },
                        ast::UsePath::Package { id, name } => self.foreign_ref(id, name),
                    };
                    map.insert(name.name.clone(), r);
                }
            }
            self.file_items.push(map);
        }
        Ok(order
            .iter()
            .filter_map(|n| self.package_items.get(n).copied())
            .collect())
    }
}
