//! WIT.md "Name resolution": `use-path`s to interfaces and worlds, `use` of
//! types, and the names in an interface's or world's scope, with a
//! suggestion for an unknown name.

use super::attributes::{excluded_error, external_id, stability, ungated_in_excluded_error};
use super::{Entry, ItemRef, LocalItem, PackageResolver, package_name};
use crate::wit::ast;
use crate::wit::error::{Rule, WitError, WitResult};
use crate::wit::map::OrderedMap;
use crate::wit::model::*;
use crate::wit::source::Span;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Closest name to `name` among `candidates`, for "did you mean" hints.
pub(super) fn suggest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a String>,
) -> Option<&'a String> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = alloc::vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let v = (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
                cur.push(v);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    candidates
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub(super) fn not_found(kind: &str, id: &ast::Id, hint: Option<&String>) -> WitError {
    let mut msg = format!("{kind} `{}` does not exist", id.name);
    if let Some(h) = hint {
        msg.push_str(&format!(" (did you mean `{h}`?)"));
    }
    WitError::new(Rule::UnknownName, id.span, msg)
}

pub(super) fn define(
    lookup: &mut OrderedMap<String, (Entry, Span)>,
    name: &ast::Id,
    e: Entry,
) -> WitResult<()> {
    if lookup.insert(name.name.clone(), (e, name.span)).is_some() {
        return Err(WitError::new(
            Rule::Duplicate,
            name.span,
            format!("name `{}` is defined more than once", name.name),
        ));
    }
    Ok(())
}

impl<'r> PackageResolver<'r> {
    pub(super) fn local_ref(&self, i: usize) -> ItemRef {
        match self.locals[i].item {
            LocalItem::Interface(_) => ItemRef::LocalInterface(i),
            LocalItem::World(_) => ItemRef::LocalWorld(i),
        }
    }

    pub(super) fn foreign_ref(&self, id: &ast::PackageName, name: &ast::Id) -> ItemRef {
        let key = (package_name(id), name.name.clone());
        let i = self.foreign_index.get(&key).copied().unwrap_or(0);
        if self.foreign.get(i).is_some_and(|f| f.is_world) {
            ItemRef::ForeignWorld(i)
        } else {
            ItemRef::ForeignInterface(i)
        }
    }

    fn resolve_path(&self, path: &ast::UsePath) -> WitResult<(ItemRef, String, Span)> {
        match path {
            ast::UsePath::Id(id) => {
                let r = match self
                    .file_items
                    .get(self.cur_file)
                    .and_then(|m| m.get(&id.name))
                {
                    Some(r) => *r,
                    None => match self.package_items.get(&id.name) {
                        Some(&i) => self.local_ref(i),
                        None => {
                            return Err(not_found(
                                "interface or world",
                                id,
                                suggest(&id.name, self.package_items.keys()),
                            ));
                        }
                    },
                };
                Ok((r, id.name.clone(), id.span))
            }
            ast::UsePath::Package { id, name } => {
                Ok((self.foreign_ref(id, name), name.name.clone(), name.span))
            }
        }
    }

    /// The interface a path names: `Some((id, included))`, or `None` for a
    /// foreign interface whose every use is gated off.
    pub(super) fn path_interface(
        &self,
        path: &ast::UsePath,
    ) -> WitResult<(Option<(InterfaceId, bool)>, Span)> {
        let (r, name, span) = self.resolve_path(path)?;
        match r {
            ItemRef::LocalInterface(i) => Ok((self.local_ids[i], span)),
            ItemRef::ForeignInterface(i) => match &self.foreign[i].error {
                Some(e) => Err(e.clone()),
                None => Ok((self.foreign[i].id.map(|id| (id, true)), span)),
            },
            ItemRef::LocalWorld(_) | ItemRef::ForeignWorld(_) => Err(WitError::new(
                Rule::UnknownName,
                span,
                format!("name `{name}` is defined as a world, not an interface"),
            )),
        }
    }

    pub(super) fn path_world(
        &self,
        path: &ast::UsePath,
    ) -> WitResult<(Option<(WorldId, bool)>, Span)> {
        let (r, name, span) = self.resolve_path(path)?;
        match r {
            ItemRef::LocalWorld(i) => Ok((self.local_ids[i], span)),
            ItemRef::ForeignWorld(i) => match &self.foreign[i].error {
                Some(e) => Err(e.clone()),
                None => Ok((self.foreign[i].id.map(|id| (id, true)), span)),
            },
            ItemRef::LocalInterface(_) | ItemRef::ForeignInterface(_) => Err(WitError::new(
                Rule::UnknownName,
                span,
                format!("name `{name}` is defined as an interface, not a world"),
            )),
        }
    }

    pub(super) fn resolve_use(
        &mut self,
        owner: TypeOwner,
        u: &ast::Use,
        lookup: &mut OrderedMap<String, (Entry, Span)>,
        enabled: bool,
        owner_kind: &str,
    ) -> WitResult<()> {
        let (from, from_span) = self.path_interface(&u.from)?;
        let stab = stability(&u.attributes)?;
        let ext = external_id(&u.attributes)?;
        let own_enabled = self.enabled(&stab, from_span)?;
        let use_enabled = enabled && own_enabled;
        for (name, as_) in &u.names {
            let target = match from {
                None => None,
                Some((iface, iface_enabled)) => {
                    let found = match self.lookups.get(&iface) {
                        Some(l) => match l.get(&name.name) {
                            Some((Entry::Type(t), _)) => Some(*t),
                            Some((Entry::Function, _)) => {
                                return Err(WitError::new(
                                    Rule::UnknownName,
                                    name.span,
                                    format!("cannot import function `{}`", name.name),
                                ));
                            }
                            None => {
                                return Err(not_found("name", name, suggest(&name.name, l.keys())));
                            }
                        },
                        // A foreign interface: only its included types.
                        None => match self.resolve.interfaces[iface].types.get(&name.name) {
                            Some(t) => Some(*t),
                            None if use_enabled => {
                                return Err(WitError::new(
                                    Rule::UnknownName,
                                    name.span,
                                    format!("type `{}` not defined in interface", name.name),
                                ));
                            }
                            None => None,
                        },
                    };
                    if use_enabled && !iface_enabled {
                        return Err(excluded_error("interface", name.span));
                    }
                    found
                }
            };
            let n = as_.as_ref().unwrap_or(name);
            let kind = match target {
                Some(t) => TypeDefKind::Type(Type::Id(t)),
                None => TypeDefKind::Unknown,
            };
            let id = self.alloc_type(TypeDef {
                name: Some(n.name.clone()),
                kind,
                owner,
                docs: Docs::default(),
                stability: stab.clone(),
                external_id: ext.clone(),
                span: name.span,
            });
            // A `use` whose own gate is on must, as a type definition must,
            // name an included type (checked first, as the reference
            // resolver does) and sit in an included interface or world.
            if own_enabled && target.is_some_and(|t| self.excluded_types.contains(&t)) {
                return Err(excluded_error("type", name.span));
            }
            if use_enabled && target.is_none() {
                return Err(excluded_error("interface", name.span));
            }
            if own_enabled && !enabled {
                return Err(ungated_in_excluded_error(owner_kind, name.span));
            }
            if !use_enabled {
                self.excluded_types.insert(id);
            }
            define(lookup, n, Entry::Type(id))?;
        }
        Ok(())
    }

    pub(super) fn type_name(
        &self,
        id: &ast::Id,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<TypeId> {
        match lookup.get(&id.name) {
            Some((Entry::Type(t), _)) => Ok(*t),
            Some((Entry::Function, _)) => Err(WitError::new(
                Rule::UnknownName,
                id.span,
                format!("cannot use function `{}` as a type", id.name),
            )),
            None => Err(not_found("name", id, suggest(&id.name, lookup.keys()))),
        }
    }
}
