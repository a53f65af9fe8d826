//! WIT.md "Package Format": reading a WIT-package binary (the form
//! [`super::encode`] and `wasm-tools component wit --wasm` write) back into
//! a [`Resolve`].
//!
//! The binary is decoded with [`crate::decode_component`] and read at the
//! level of Explainer.md's component-type declarations ("Type
//! Definitions", "Declarators"), mirroring their index spaces: each scope
//! (component or instance type) keeps its type index space as [`Slot`]s and
//! its instance index space as the interfaces the instances stand for.
//! Named types are the `(export "t" (type ...))` declarations of an
//! instance type (or imports of a world); an `(eq i)` bound on a named type
//! makes an alias (`type t = u`, or a `use`); `own<r>` in a value position
//! becomes the resource's id, as in the rest of the model.
//!
//! Conventions: `d` is the [`Decoder`]; `iid`/`wid` interface and world
//! ids; `scope` the innermost index space.

use super::error::{Rule, WitError, WitResult};
use super::map::OrderedMap;
use super::model::*;
use super::package_docs;
use super::source::Span;
use super::version::Version;
use crate::ast::{
    Alias, Component, ComponentDecl, DefType, DefValType, DefinitionKind, ExternType, InstanceDecl,
    OuterAliasSort, PrimValType, Sort, TypeBound, ValType,
};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Decodes the WIT-package binary `bytes` into `resolve`; returns the id of
/// the package it encodes. Packages it refers to that `resolve` does not
/// have yet are added with the types the binary gives them.
///
/// # Errors
/// A binary that is not a component or not a WIT package, and names or
/// indices that do not fit.
pub fn decode(resolve: &mut Resolve, bytes: &[u8]) -> WitResult<PackageId> {
    let component =
        crate::decode_component(bytes, &crate::Features::ALL).map_err(|e| err(format!("{e}")))?;
    decode_package(resolve, &component)
}

fn err(message: impl Into<String>) -> WitError {
    WitError::nowhere(Rule::Binary, message)
}

/// Whether `bytes` are a WIT package (rather than a component).
pub fn is_package_binary(bytes: &[u8]) -> bool {
    crate::decode_component(bytes, &crate::Features::ALL).is_ok_and(|c| is_package(&c))
}

/// Whether a decoded component is a WIT package: every definition is a
/// component type or a type export of one, and there is at least one
/// export.
pub fn is_package(component: &Component) -> bool {
    let mut exports = 0;
    for def in &component.definitions {
        match &def.kind {
            DefinitionKind::Type(DefType::Component(_)) => {}
            DefinitionKind::Export(e) if e.sort == Sort::Type && !e.name.name.contains(':') => {
                exports += 1
            }
            _ => return false,
        }
    }
    exports > 0
}

/// What one entry of a type index space stands for.
#[derive(Debug, Clone)]
enum Slot<'a> {
    /// A value type that needs no definition (a primitive), or an
    /// anonymous type already allocated.
    Val(Type),
    /// A type definition not yet named or used.
    Kind(TypeDefKind),
    /// A named type (record, alias, resource, ...).
    Named(TypeId),
    /// `own<t>` of a named resource type.
    Own(TypeId),
    /// A function type.
    Func(bool, Vec<(String, Type)>, Option<Type>),
    /// An instance type, decoded when imported or exported.
    Instance(&'a [InstanceDecl]),
    /// A component type, decoded when exported.
    Component(&'a [ComponentDecl]),
    /// Anything WIT has no name for.
    Other,
}

#[derive(Default)]
struct Scope<'a> {
    types: Vec<Slot<'a>>,
    instances: Vec<Option<InterfaceId>>,
}

/// Where the named items of the body being decoded go.
#[derive(Debug, Clone, Copy)]
enum Target {
    World(WorldId),
    /// A package-level component type (interface imports and the exported
    /// interface).
    Package,
}

struct Decoder<'a, 'r> {
    resolve: &'r mut Resolve,
    scopes: Vec<Scope<'a>>,
    /// Nesting of component and instance types (bounded).
    depth: usize,
}

/// Reads `ns:pkg/name@v`.
fn split_full_name(name: &str) -> Option<(PackageName, String)> {
    let (ns, rest) = name.split_once(':')?;
    let (pkg, rest) = rest.split_once('/')?;
    let (item, version) = match rest.split_once('@') {
        Some((i, v)) => (i, Some(Version::parse(v).ok()?)),
        None => (rest, None),
    };
    Some((
        PackageName {
            namespace: ns.to_string(),
            name: pkg.to_string(),
            version,
        },
        item.to_string(),
    ))
}

/// The name of the single export of a package-level component type, and
/// whether it is a world (a component) rather than an interface.
fn item_of(decls: &[ComponentDecl]) -> Option<(&str, bool)> {
    decls.iter().rev().find_map(|d| match d {
        ComponentDecl::Instance(InstanceDecl::Export(n, t)) => {
            Some((n.name.as_str(), matches!(t, ExternType::Component(_))))
        }
        _ => None,
    })
}

pub(super) fn package_id(resolve: &mut Resolve, name: &PackageName) -> PackageId {
    if let Some(&id) = resolve.package_names.get(name) {
        return id;
    }
    resolve.packages.push(Package {
        name: name.clone(),
        docs: Docs::default(),
        interfaces: OrderedMap::new(),
        worlds: OrderedMap::new(),
    });
    let id = resolve.packages.len() - 1;
    resolve.package_names.insert(name.clone(), id);
    id
}

pub(super) fn new_interface(
    resolve: &mut Resolve,
    name: Option<String>,
    pkg: Option<PackageId>,
) -> InterfaceId {
    resolve.interfaces.push(Interface {
        name,
        types: OrderedMap::new(),
        functions: OrderedMap::new(),
        docs: Docs::default(),
        stability: Stability::Unknown,
        package: pkg,
        span: Span::default(),
    });
    resolve.interfaces.len() - 1
}

/// The interface `ns:pkg/iface@v`, made (with its package) if new.
pub(super) fn interface_named(resolve: &mut Resolve, full: &str) -> WitResult<InterfaceId> {
    let (pkg, item) =
        split_full_name(full).ok_or_else(|| err(format!("`{full}` is not an interface name")))?;
    let pid = package_id(resolve, &pkg);
    if let Some(&id) = resolve.packages[pid].interfaces.get(&item) {
        return Ok(id);
    }
    let id = new_interface(resolve, Some(item.clone()), Some(pid));
    resolve.packages[pid].interfaces.insert(item, id);
    Ok(id)
}

fn decode_package(resolve: &mut Resolve, component: &Component) -> WitResult<PackageId> {
    // The package's own items, in order, from the names of what each
    // exported component type exports.
    let mut types: Vec<Option<&[ComponentDecl]>> = Vec::new();
    let mut items = Vec::new();
    for def in &component.definitions {
        match &def.kind {
            DefinitionKind::Type(DefType::Component(decls)) => types.push(Some(decls)),
            DefinitionKind::Type(_) => types.push(None),
            DefinitionKind::Export(e) if e.sort == Sort::Type => {
                let decls = types
                    .get(e.index as usize)
                    .copied()
                    .flatten()
                    .ok_or_else(|| err("a package export that is not a component type"))?;
                types.push(Some(decls));
                items.push(decls);
            }
            other => {
                return Err(err(format!(
                    "a WIT package has only component types, not {}",
                    other.name()
                )));
            }
        }
    }
    let mut pkg = None;
    let mut plan = Vec::new();
    for decls in &items {
        let (full, is_world) =
            item_of(decls).ok_or_else(|| err("a package item without an export"))?;
        let (name, item) = split_full_name(full)
            .ok_or_else(|| err(format!("`{full}` is not a package item name")))?;
        match &pkg {
            None => pkg = Some(name.clone()),
            Some(p) if *p != name => return Err(err("item defined with mismatched package name")),
            Some(_) => {}
        }
        plan.push((item, is_world));
    }
    let name = pkg.ok_or_else(|| err("no exported component type found"))?;
    if resolve.package_names.contains_key(&name) {
        return Err(err(format!(
            "package `{name}` is defined in two different locations"
        )));
    }
    let pid = package_id(resolve, &name);
    for (item, is_world) in &plan {
        if *is_world {
            resolve.worlds.push(World {
                name: item.clone(),
                imports: OrderedMap::new(),
                exports: OrderedMap::new(),
                package: Some(pid),
                docs: Docs::default(),
                stability: Stability::Unknown,
                includes: Vec::new(),
                span: Span::default(),
            });
            let wid = resolve.worlds.len() - 1;
            resolve.packages[pid].worlds.insert(item.clone(), wid);
        } else {
            let iid = new_interface(resolve, Some(item.clone()), Some(pid));
            resolve.packages[pid].interfaces.insert(item.clone(), iid);
        }
    }
    let mut d = Decoder {
        resolve,
        scopes: Vec::new(),
        depth: 0,
    };
    for ((item, is_world), decls) in plan.iter().zip(&items) {
        if *is_world {
            let wid = d.resolve.packages[pid]
                .worlds
                .get(item)
                .copied()
                .unwrap_or(0);
            d.component_body(decls, Target::Package, Some(wid))?;
        } else {
            d.component_body(decls, Target::Package, None)?;
        }
    }
    for section in &component.custom_sections {
        if section.name == package_docs::SECTION_NAME {
            package_docs::inject(&section.data, d.resolve, pid)?;
        }
    }
    Ok(pid)
}

impl<'a> Decoder<'a, '_> {
    fn scope(&mut self) -> WitResult<&mut Scope<'a>> {
        self.scopes.last_mut().ok_or_else(|| err("no scope"))
    }

    fn slot(&self, i: u32) -> WitResult<Slot<'a>> {
        self.scopes
            .last()
            .and_then(|s| s.types.get(i as usize))
            .cloned()
            .ok_or_else(|| err(format!("type index {i} out of bounds")))
    }

    fn anon(&mut self, kind: TypeDefKind) -> TypeId {
        self.resolve
            .types
            .push(TypeDef::anonymous(kind, Span::default()));
        self.resolve.types.len() - 1
    }

    fn val(&mut self, v: ValType) -> WitResult<Type> {
        match v {
            ValType::Primitive(p) => Ok(prim(p)),
            ValType::Index(i) => match self.slot(i)? {
                Slot::Val(t) => Ok(t),
                Slot::Named(t) | Slot::Own(t) => Ok(Type::Id(t)),
                Slot::Kind(kind) => {
                    let t = Type::Id(self.anon(kind));
                    if let Some(s) = self
                        .scopes
                        .last_mut()
                        .and_then(|s| s.types.get_mut(i as usize))
                    {
                        *s = Slot::Val(t);
                    }
                    Ok(t)
                }
                _ => Err(err(format!("type index {i} is not a value type"))),
            },
        }
    }

    fn opt(&mut self, v: Option<ValType>) -> WitResult<Option<Type>> {
        match v {
            Some(v) => Ok(Some(self.val(v)?)),
            None => Ok(None),
        }
    }

    fn named(&self, i: u32) -> WitResult<TypeId> {
        match self.slot(i)? {
            Slot::Named(t) => Ok(t),
            _ => Err(err(format!("type index {i} is not a named type"))),
        }
    }

    fn deftype(&mut self, t: &'a DefType) -> WitResult<Slot<'a>> {
        let kind = match t {
            DefType::Val(v) => match v {
                DefValType::Primitive(p) => return Ok(Slot::Val(prim(*p))),
                DefValType::Record(fs) => {
                    let mut out = Vec::new();
                    for (n, t) in fs {
                        out.push(Field {
                            name: n.clone(),
                            ty: self.val(*t)?,
                            docs: Docs::default(),
                        });
                    }
                    TypeDefKind::Record(out)
                }
                DefValType::Variant(cs) => {
                    let mut out = Vec::new();
                    for (n, t) in cs {
                        out.push(Case {
                            name: n.clone(),
                            ty: self.opt(*t)?,
                            docs: Docs::default(),
                        });
                    }
                    TypeDefKind::Variant(out)
                }
                DefValType::List(t) => TypeDefKind::List(self.val(*t)?),
                DefValType::FixedLengthList(t, n) => TypeDefKind::FixedList(self.val(*t)?, *n),
                DefValType::Tuple(ts) => {
                    let mut out = Vec::new();
                    for t in ts {
                        out.push(self.val(*t)?);
                    }
                    TypeDefKind::Tuple(out)
                }
                DefValType::Flags(ns) => TypeDefKind::Flags(names(ns)),
                DefValType::Enum(ns) => TypeDefKind::Enum(names(ns)),
                DefValType::Option(t) => TypeDefKind::Option(self.val(*t)?),
                DefValType::Result { ok, err } => {
                    TypeDefKind::Result(self.opt(*ok)?, self.opt(*err)?)
                }
                DefValType::Map(k, v) => TypeDefKind::Map(self.val(*k)?, self.val(*v)?),
                DefValType::Own(i) => return Ok(Slot::Own(self.named(*i)?)),
                DefValType::Borrow(i) => TypeDefKind::Handle(Handle::Borrow(self.named(*i)?)),
                DefValType::Stream(t) => TypeDefKind::Stream(self.opt(*t)?),
                DefValType::Future(t) => TypeDefKind::Future(self.opt(*t)?),
            },
            DefType::Func(f) => {
                let mut params = Vec::new();
                for (n, t) in &f.params {
                    params.push((n.clone(), self.val(*t)?));
                }
                return Ok(Slot::Func(f.async_, params, self.opt(f.result)?));
            }
            DefType::Instance(decls) => return Ok(Slot::Instance(decls)),
            DefType::Component(decls) => return Ok(Slot::Component(decls)),
            DefType::Resource { .. } => return Ok(Slot::Other),
        };
        Ok(Slot::Kind(kind))
    }

    fn alias(&mut self, a: &Alias) -> WitResult<()> {
        match a {
            Alias::Outer {
                count,
                index,
                sort: OuterAliasSort::Type,
            } => {
                let n = self.scopes.len();
                let target = n
                    .checked_sub(1 + *count as usize)
                    .ok_or_else(|| err("outer alias out of bounds"))?;
                let slot = self.scopes[target]
                    .types
                    .get(*index as usize)
                    .cloned()
                    .ok_or_else(|| err("outer alias out of bounds"))?;
                self.scope()?.types.push(slot);
            }
            Alias::Export {
                instance,
                name,
                sort: Sort::Type,
            } => {
                let iid = self
                    .scopes
                    .last()
                    .and_then(|s| s.instances.get(*instance as usize))
                    .copied()
                    .flatten()
                    .ok_or_else(|| err(format!("instance index {instance} is not an interface")))?;
                let t = self.resolve.interfaces[iid]
                    .types
                    .get(name)
                    .copied()
                    .ok_or_else(|| err(format!("interface has no type `{name}`")))?;
                self.scope()?.types.push(Slot::Named(t));
            }
            Alias::Export {
                sort: Sort::Instance,
                ..
            } => self.scope()?.instances.push(None),
            _ => {}
        }
        Ok(())
    }

    /// A named type `name` of `owner` from `slot` (an `(eq i)` bound);
    /// reuses the id of a type of that name the owner already has (an
    /// interface seen first as an import).
    fn name_type(
        &mut self,
        owner: TypeOwner,
        name: &str,
        slot: Slot<'a>,
        external_id: Option<String>,
    ) -> WitResult<TypeId> {
        let kind = match slot {
            Slot::Val(Type::Id(t)) => self.resolve.types[t].kind.clone(),
            Slot::Val(t) => TypeDefKind::Type(t),
            Slot::Kind(k) => k,
            Slot::Named(t) => TypeDefKind::Type(Type::Id(t)),
            Slot::Own(t) => TypeDefKind::Handle(Handle::Own(t)),
            _ => {
                return Err(err(format!(
                    "type `{name}` is not a value or resource type"
                )));
            }
        };
        self.define(owner, name, kind, external_id)
    }

    fn define(
        &mut self,
        owner: TypeOwner,
        name: &str,
        kind: TypeDefKind,
        external_id: Option<String>,
    ) -> WitResult<TypeId> {
        let existing = match owner {
            TypeOwner::Interface(i) => self.resolve.interfaces[i]
                .types
                .get(&String::from(name))
                .copied(),
            _ => None,
        };
        if let Some(t) = existing {
            let def = &mut self.resolve.types[t];
            def.kind = kind;
            def.external_id = external_id;
            return Ok(t);
        }
        self.resolve.types.push(TypeDef {
            name: Some(name.to_string()),
            kind,
            owner,
            docs: Docs::default(),
            stability: Stability::Unknown,
            external_id,
            span: Span::default(),
        });
        let t = self.resolve.types.len() - 1;
        if let TypeOwner::Interface(i) = owner {
            self.resolve.interfaces[i].types.insert(name.to_string(), t);
        }
        Ok(t)
    }

    /// A function `name` of type slot `i`, resource functions named by
    /// their `[method]r.f` form and tied to `r` in `types`.
    fn function(
        &self,
        name: &str,
        i: u32,
        external_id: Option<String>,
        types: &OrderedMap<String, TypeId>,
    ) -> WitResult<Function> {
        let Slot::Func(async_, params, result) = self.slot(i)? else {
            return Err(err(format!("`{name}` is not a function type")));
        };
        let resource = |r: &str| {
            types
                .get(&String::from(r))
                .copied()
                .ok_or_else(|| err(format!("function `{name}` names an unknown resource")))
        };
        let kind = if let Some(r) = name.strip_prefix("[constructor]") {
            FunctionKind::Constructor(resource(r)?)
        } else if let Some(rest) = name.strip_prefix("[method]") {
            let r = resource(rest.split('.').next().unwrap_or(""))?;
            if async_ {
                FunctionKind::AsyncMethod(r)
            } else {
                FunctionKind::Method(r)
            }
        } else if let Some(rest) = name.strip_prefix("[static]") {
            let r = resource(rest.split('.').next().unwrap_or(""))?;
            if async_ {
                FunctionKind::AsyncStatic(r)
            } else {
                FunctionKind::Static(r)
            }
        } else if async_ {
            FunctionKind::AsyncFreestanding
        } else {
            FunctionKind::Freestanding
        };
        Ok(Function {
            name: name.to_string(),
            kind,
            params,
            result,
            docs: Docs::default(),
            stability: Stability::Unknown,
            external_id,
            span: Span::default(),
        })
    }

    /// An instance type's declarations as the contents of interface `iid`.
    fn instance_body(
        &mut self,
        decls: &'a [InstanceDecl],
        iid: InterfaceId,
        funcs: bool,
    ) -> WitResult<()> {
        self.depth += 1;
        if self.depth > 100 {
            return Err(err("types nested too deeply"));
        }
        self.scopes.push(Scope::default());
        let r = self.instance_decls(decls, iid, funcs);
        self.scopes.pop();
        self.depth -= 1;
        r
    }

    fn instance_decls(
        &mut self,
        decls: &'a [InstanceDecl],
        iid: InterfaceId,
        funcs: bool,
    ) -> WitResult<()> {
        let owner = TypeOwner::Interface(iid);
        for decl in decls {
            match decl {
                InstanceDecl::CoreType(_) => {}
                InstanceDecl::Type(t) => {
                    let s = self.deftype(t)?;
                    self.scope()?.types.push(s);
                }
                InstanceDecl::Alias(a) => self.alias(a)?,
                InstanceDecl::Export(n, ExternType::Type(TypeBound::Eq(i))) => {
                    let slot = self.slot(*i)?;
                    let t = self.name_type(owner, &n.name, slot, n.external_id.clone())?;
                    self.scope()?.types.push(Slot::Named(t));
                }
                InstanceDecl::Export(n, ExternType::Type(TypeBound::SubResource)) => {
                    let t =
                        self.define(owner, &n.name, TypeDefKind::Resource, n.external_id.clone())?;
                    self.scope()?.types.push(Slot::Named(t));
                }
                InstanceDecl::Export(n, ExternType::Func(i)) => {
                    if funcs {
                        let f = self.function(
                            &n.name,
                            *i,
                            n.external_id.clone(),
                            &self.resolve.interfaces[iid].types,
                        )?;
                        self.resolve.interfaces[iid]
                            .functions
                            .insert(n.name.clone(), f);
                    }
                }
                InstanceDecl::Export(n, _) => {
                    return Err(err(format!(
                        "interface export `{}` is not a type or function",
                        n.name
                    )));
                }
            }
        }
        Ok(())
    }

    /// A component type's declarations: a package-level interface or world
    /// wrapper (`world` None/Some at the package level), or a world's body.
    fn component_body(
        &mut self,
        decls: &'a [ComponentDecl],
        target: Target,
        world: Option<WorldId>,
    ) -> WitResult<()> {
        self.depth += 1;
        if self.depth > 100 {
            return Err(err("types nested too deeply"));
        }
        self.scopes.push(Scope::default());
        let r = self.component_decls(decls, target, world);
        self.scopes.pop();
        self.depth -= 1;
        r
    }

    fn instance_slot(&self, i: u32) -> WitResult<&'a [InstanceDecl]> {
        match self.slot(i)? {
            Slot::Instance(d) => Ok(d),
            _ => Err(err(format!("type index {i} is not an instance type"))),
        }
    }

    /// The interface a world item named `name` stands for: a named
    /// interface for an interface name (or an `implements` attribute), a
    /// new anonymous one otherwise.
    fn world_interface(
        &mut self,
        n: &crate::ast::ExternName,
        wid: WorldId,
    ) -> WitResult<(WorldKey, InterfaceId)> {
        if split_full_name(&n.name).is_some() {
            let iid = interface_named(self.resolve, &n.name)?;
            return Ok((WorldKey::Interface(iid), iid));
        }
        if let Some(imp) = &n.implements {
            let iid = interface_named(self.resolve, imp)?;
            return Ok((WorldKey::Name(n.name.clone()), iid));
        }
        let pkg = self.resolve.worlds[wid].package;
        let iid = new_interface(self.resolve, None, pkg);
        Ok((WorldKey::Name(n.name.clone()), iid))
    }

    /// One import or export of world `wid`.
    fn world_item(
        &mut self,
        import: bool,
        n: &crate::ast::ExternName,
        t: &ExternType,
        wid: WorldId,
    ) -> WitResult<()> {
        match t {
            ExternType::Instance(i) => {
                let (key, iid) = self.world_interface(n, wid)?;
                let body = self.instance_slot(*i)?;
                self.instance_body(body, iid, true)?;
                self.scope()?.instances.push(Some(iid));
                let item = WorldItem::Interface {
                    id: iid,
                    stability: Stability::Unknown,
                    docs: Docs::default(),
                    external_id: n.external_id.clone(),
                    span: Span::default(),
                };
                let w = &mut self.resolve.worlds[wid];
                if import {
                    w.imports.insert(key, item);
                } else {
                    w.exports.insert(key, item);
                }
            }
            ExternType::Func(i) => {
                let types = world_types(self.resolve, wid);
                let f = self.function(&n.name, *i, n.external_id.clone(), &types)?;
                let w = &mut self.resolve.worlds[wid];
                let key = WorldKey::Name(n.name.clone());
                if import {
                    w.imports.insert(key, WorldItem::Function(f));
                } else {
                    w.exports.insert(key, WorldItem::Function(f));
                }
            }
            ExternType::Type(b) if import => {
                let owner = TypeOwner::World(wid);
                let t = match b {
                    TypeBound::Eq(i) => {
                        let slot = self.slot(*i)?;
                        self.name_type(owner, &n.name, slot, n.external_id.clone())?
                    }
                    TypeBound::SubResource => {
                        self.define(owner, &n.name, TypeDefKind::Resource, n.external_id.clone())?
                    }
                };
                self.scope()?.types.push(Slot::Named(t));
                self.resolve.worlds[wid].imports.insert(
                    WorldKey::Name(n.name.clone()),
                    WorldItem::Type {
                        id: t,
                        span: Span::default(),
                    },
                );
            }
            _ => {
                return Err(err(format!(
                    "`{}`: a {} is not an item of a world",
                    n.name,
                    t.sort().name()
                )));
            }
        }
        Ok(())
    }

    fn component_decls(
        &mut self,
        decls: &'a [ComponentDecl],
        target: Target,
        world: Option<WorldId>,
    ) -> WitResult<()> {
        for decl in decls {
            let (import, n, t) = match decl {
                ComponentDecl::Import(n, t) => (true, n, t),
                ComponentDecl::Instance(InstanceDecl::Export(n, t)) => (false, n, t),
                ComponentDecl::Instance(InstanceDecl::CoreType(_)) => continue,
                ComponentDecl::Instance(InstanceDecl::Type(t)) => {
                    let s = self.deftype(t)?;
                    self.scope()?.types.push(s);
                    continue;
                }
                ComponentDecl::Instance(InstanceDecl::Alias(a)) => {
                    self.alias(a)?;
                    continue;
                }
            };
            match (target, t) {
                // Package level: imported interfaces (types only) and the
                // exported interface, or the world a wrapper exports.
                (Target::Package, ExternType::Instance(i)) => {
                    let iid = interface_named(self.resolve, &n.name)?;
                    let body = self.instance_slot(*i)?;
                    self.instance_body(body, iid, !import)?;
                    self.scope()?.instances.push(Some(iid));
                }
                (Target::Package, ExternType::Component(i)) if !import => {
                    let Slot::Component(body) = self.slot(*i)? else {
                        return Err(err(format!("type index {i} is not a component type")));
                    };
                    let wid = world.ok_or_else(|| err("a component export outside a world"))?;
                    self.component_body(body, Target::World(wid), None)?;
                }
                (Target::World(wid), _) => self.world_item(import, n, t, wid)?,
                _ => {
                    return Err(err(format!(
                        "`{}`: a {} is not an item of a WIT package",
                        n.name,
                        t.sort().name()
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The named types a world imports, by name (for resource functions).
fn world_types(resolve: &Resolve, wid: WorldId) -> OrderedMap<String, TypeId> {
    let mut m = OrderedMap::new();
    for (k, item) in resolve.worlds[wid].imports.iter() {
        if let (WorldKey::Name(n), WorldItem::Type { id, .. }) = (k, item) {
            m.insert(n.clone(), *id);
        }
    }
    m
}

pub(super) fn names(ns: &[String]) -> Vec<Named> {
    ns.iter()
        .map(|n| Named {
            name: n.clone(),
            docs: Docs::default(),
        })
        .collect()
}

pub(super) fn prim(p: PrimValType) -> Type {
    match p {
        PrimValType::Bool => Type::Bool,
        PrimValType::S8 => Type::S8,
        PrimValType::U8 => Type::U8,
        PrimValType::S16 => Type::S16,
        PrimValType::U16 => Type::U16,
        PrimValType::S32 => Type::S32,
        PrimValType::U32 => Type::U32,
        PrimValType::S64 => Type::S64,
        PrimValType::U64 => Type::U64,
        PrimValType::F32 => Type::F32,
        PrimValType::F64 => Type::F64,
        PrimValType::Char => Type::Char,
        PrimValType::String => Type::String,
        PrimValType::ErrorContext => Type::ErrorContext,
    }
}
