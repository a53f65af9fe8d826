//! Component → WIT (Explainer.md "Import and Export Definitions"; WIT.md
//! "WIT Worlds", "WIT Interfaces"): the world a component implements, as
//! world `root` of package `root:component` (the names wit-component gives
//! it), read from the types our validator assigns to its imports and
//! exports.
//!
//! Type names follow type *indices*: a type export made by an `(eq i)`
//! bound (or a type export) remembers the type it was made equal to
//! ([`Types::eq_of`]); when that type already has a WIT name, the export is
//! an alias of it (`type a = b`, or a `use` across interfaces), otherwise a
//! new definition. A type met again under another name (an instance that
//! passes an imported type through) is a `use` of its first name when that
//! is in another named interface (wit-component refuses these). A handle
//! names its resource by the name the resource has in the interface or
//! world that mentions it.
//!
//! What a world cannot say is refused with the WIT.md rule it breaks:
//! exports other than functions and instances, instance exports other than
//! types and functions, functions named like interfaces, a type named
//! twice where no `use` reaches it, and records, variants, enums and flags
//! without a name. Imports of modules,
//! components and values are no part of a world and are left out (as
//! wit-component does).
//!
//! Conventions: `x` is the [`Extractor`]; `t` an arena type id, `id` a WIT
//! type id; `r` a resource id.

use super::decode::{
    interface_named, is_package, names as flag_names, new_interface, package_id, prim,
};
use super::error::{Rule, WitError, WitResult};
use super::map::OrderedMap;
use super::model::*;
use super::parser::MAX_DEPTH;
use super::source::Span;
use crate::ast::{DefinitionKind, ExternName};
use crate::types::{self as arena, DefinedType, ExternType, ResourceId, Types};
use crate::validate::names::{self, ExternName as Name};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// `desc` with its indefinite article.
fn a(desc: &str) -> String {
    let article = if desc.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {desc}")
}

fn err(rule: Rule, message: impl Into<String>) -> WitError {
    WitError::nowhere(rule, message)
}

/// Component → WIT: the world of a component's own imports and exports, in
/// the order the component declares them.
///
/// # Errors
/// A binary that is not a valid component (or is a WIT package), and
/// imports or exports that have no WIT form (see the module docs).
pub fn decode_component_world(resolve: &mut Resolve, bytes: &[u8]) -> WitResult<WorldId> {
    let features = crate::Features::ALL;
    let component =
        crate::decode_component(bytes, &features).map_err(|e| err(Rule::Binary, format!("{e}")))?;
    if is_package(&component) {
        return Err(err(
            Rule::Binary,
            "this binary is a WIT package, not a component",
        ));
    }
    let v = crate::validate::validate_ast(&component, &features)
        .map_err(|e| err(Rule::Binary, format!("not a valid component: {e}")))?;
    let ct = v
        .types
        .component(v.ty)
        .ok_or_else(|| err(Rule::Binary, "a component without a component type"))?;
    let name = PackageName {
        namespace: "root".to_string(),
        name: "component".to_string(),
        version: None,
    };
    let pid = package_id(resolve, &name);
    resolve.worlds.push(World {
        name: "root".to_string(),
        imports: OrderedMap::new(),
        exports: OrderedMap::new(),
        package: Some(pid),
        docs: Docs::default(),
        stability: Stability::Unknown,
        includes: Vec::new(),
        span: Span::default(),
    });
    let wid = resolve.worlds.len() - 1;
    resolve.packages[pid].worlds.insert("root".to_string(), wid);
    let mut x = Extractor {
        resolve,
        types: &v.types,
        wid,
        named: BTreeMap::new(),
        resources: Vec::new(),
        depth: 0,
    };
    for def in &component.definitions {
        let (import, n, externs) = match &def.kind {
            DefinitionKind::Import(i) => (true, &i.name, &ct.imports),
            DefinitionKind::Export(e) => (false, &e.name, &ct.exports),
            _ => continue,
        };
        let ty = arena::lookup(externs, &n.name)
            .copied()
            .ok_or_else(|| err(Rule::Binary, format!("`{}` has no type", n.name)))?;
        x.item(import, n, ty)?;
    }
    Ok(wid)
}

/// The state of one extraction.
struct Extractor<'r> {
    resolve: &'r mut Resolve,
    types: &'r Types,
    wid: WorldId,
    /// The WIT type each arena type (index) stands for: named types by the
    /// index their name made, anonymous ones by their own.
    named: BTreeMap<arena::TypeId, TypeId>,
    /// WIT types naming a resource (by the resource id their type index
    /// has), with their owner.
    resources: Vec<(ResourceId, TypeOwner, TypeId)>,
    /// How many anonymous types are being converted inside each other.
    depth: usize,
}

impl Extractor<'_> {
    /// One import or export of the component as an item of the world.
    fn item(&mut self, import: bool, n: &ExternName, ty: ExternType) -> WitResult<()> {
        let owner = TypeOwner::World(self.wid);
        let key = WorldKey::Name(n.name.clone());
        let (key, item) = match ty {
            ExternType::Instance(t) => {
                let (key, iid, shared) = self.world_interface(n)?;
                self.interface(iid, t, shared)?;
                let item = WorldItem::Interface {
                    id: iid,
                    stability: Stability::Unknown,
                    docs: Docs::default(),
                    external_id: n.external_id.clone(),
                    span: Span::default(),
                };
                (key, item)
            }
            ExternType::Func(t) => {
                let f = self.function(&n.name, t, owner, n.external_id.clone())?;
                (key, WorldItem::Function(f))
            }
            ExternType::Type(t) if import => {
                let id = self.type_export(&n.name, t, owner, n.external_id.clone())?;
                let item = WorldItem::Type {
                    id,
                    span: Span::default(),
                };
                (key, item)
            }
            _ if !import => {
                return Err(err(
                    Rule::World,
                    format!(
                        "export `{}` is {}: a world exports only interfaces and functions \
                         (WIT.md \"WIT Worlds\")",
                        n.name,
                        a(ty.desc())
                    ),
                ));
            }
            // Modules, components and values are no part of a world.
            _ => return Ok(()),
        };
        let w = &mut self.resolve.worlds[self.wid];
        if import {
            w.imports.insert(key, item);
        } else {
            w.exports.insert(key, item);
        }
        Ok(())
    }

    /// The interface an instance named `n` stands for: a named interface
    /// for an interface name (or an `implements` attribute), shared by every
    /// import and export of that name; a new anonymous one otherwise.
    fn world_interface(&mut self, n: &ExternName) -> WitResult<(WorldKey, InterfaceId, bool)> {
        let key = WorldKey::Name(n.name.clone());
        if let Some(imp) = &n.implements {
            return Ok((key, interface_named(self.resolve, imp)?, true));
        }
        if let Ok(Name::Interface { .. }) = names::extern_name(&n.name, &crate::Features::ALL) {
            let iid = interface_named(self.resolve, &n.name)?;
            return Ok((WorldKey::Interface(iid), iid, true));
        }
        let pkg = self.resolve.worlds[self.wid].package;
        Ok((key, new_interface(self.resolve, None, pkg), false))
    }

    /// Instance type `t` as the contents of interface `iid`. A `shared`
    /// interface may have its items already (from an earlier import or
    /// export of it); those keep their WIT definitions.
    fn interface(&mut self, iid: InterfaceId, t: arena::TypeId, shared: bool) -> WitResult<()> {
        let inst = self.types.instance(t).ok_or_else(|| {
            err(
                Rule::Binary,
                "an instance whose type is not an instance type",
            )
        })?;
        let owner = TypeOwner::Interface(iid);
        for (name, e) in &inst.exports {
            match *e {
                ExternType::Type(t) => {
                    let existing = self.resolve.interfaces[iid].types.get(name).copied();
                    match existing {
                        Some(id) if shared => self.bind(t, id, owner),
                        _ => {
                            let id = self.type_export(name, t, owner, None)?;
                            self.resolve.interfaces[iid].types.insert(name.clone(), id);
                        }
                    }
                }
                ExternType::Func(f) => {
                    if shared && self.resolve.interfaces[iid].functions.contains_key(name) {
                        continue;
                    }
                    let f = self.function(name, f, owner, None)?;
                    self.resolve.interfaces[iid]
                        .functions
                        .insert(name.clone(), f);
                }
                other => {
                    return Err(err(
                        Rule::World,
                        format!(
                            "instance export `{name}` is {}: an interface has only types and \
                             functions (WIT.md \"WIT Interfaces\")",
                            a(other.desc())
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Records that arena type `t` is WIT type `id` (owned by `owner`).
    fn bind(&mut self, t: arena::TypeId, id: TypeId, owner: TypeOwner) {
        self.named.insert(t, id);
        if let Some(r) = self.types.resource_of(t) {
            self.resources.push((r, owner, id));
        }
    }

    /// The WIT type that an already named type `t` was made equal to, or
    /// that already names the same resource.
    fn alias_target(&self, t: arena::TypeId) -> Option<TypeId> {
        let mut cur = self.types.eq_of(t);
        while let Some(c) = cur {
            if let Some(&id) = self.named.get(&c) {
                return Some(id);
            }
            cur = self.types.eq_of(c);
        }
        let r = self.types.canonical(self.types.resource_of(t)?);
        self.resources
            .iter()
            .find(|(x, _, _)| self.types.canonical(*x) == r)
            .map(|(_, _, id)| *id)
    }

    /// The named type `name` of `owner` that type export `t` makes.
    fn type_export(
        &mut self,
        name: &str,
        t: arena::TypeId,
        owner: TypeOwner,
        external_id: Option<String>,
    ) -> WitResult<TypeId> {
        let kind = match self.named.get(&t).copied() {
            // The same type named again (an instance exported twice, or
            // an instance that passes an imported type through): a `use`
            // when the first name is in another named interface.
            Some(prev) if self.usable(prev, owner) => TypeDefKind::Type(Type::Id(prev)),
            Some(_) => {
                return Err(err(
                    Rule::Duplicate,
                    format!(
                        "type `{name}` is a type already named where no `use` can reach it \
                         (an instance exported twice): WIT defines each type once (WIT.md \
                         \"WIT Packages and `use`\")"
                    ),
                ));
            }
            None => match self.alias_target(t) {
                Some(id) => TypeDefKind::Type(Type::Id(id)),
                None => match self.types.get(t) {
                    arena::TypeDef::Resource(_) => TypeDefKind::Resource,
                    arena::TypeDef::Defined(DefinedType::Own(r)) => {
                        TypeDefKind::Handle(Handle::Own(self.resource(*r, owner)?))
                    }
                    arena::TypeDef::Defined(d) => self.defined(d, owner)?,
                    other => {
                        return Err(err(
                            Rule::Type,
                            format!(
                                "type `{name}` is a {} type: WIT names only value and resource \
                             types (WIT.md \"WIT Types\")",
                                other.desc()
                            ),
                        ));
                    }
                },
            },
        };
        self.resolve.types.push(TypeDef {
            name: Some(name.to_string()),
            kind,
            owner,
            docs: Docs::default(),
            stability: Stability::Unknown,
            external_id,
            span: Span::default(),
        });
        let id = self.resolve.types.len() - 1;
        self.bind(t, id, owner);
        Ok(id)
    }

    /// Whether an item of `owner` can refer to type `id` with a `use`: `id`
    /// belongs to another interface that has a name.
    fn usable(&self, id: TypeId, owner: TypeOwner) -> bool {
        match self.resolve.types[id].owner {
            TypeOwner::Interface(i) => {
                owner != TypeOwner::Interface(i) && self.resolve.interfaces[i].name.is_some()
            }
            _ => false,
        }
    }

    /// The WIT type naming resource `r` where `owner` mentions it: the name
    /// made for that very resource id (an index), else the owner's own name
    /// for the resource, else any.
    fn resource(&self, r: ResourceId, owner: TypeOwner) -> WitResult<TypeId> {
        let c = self.types.canonical(r);
        let same = |x: &&(ResourceId, TypeOwner, TypeId)| self.types.canonical(x.0) == c;
        let found = self.resources.iter().find(|x| x.0 == r);
        let found = found.or_else(|| self.resources.iter().filter(same).find(|x| x.1 == owner));
        let found = found.or_else(|| self.resources.iter().find(same));
        found.map(|x| x.2).ok_or_else(|| {
            err(
                Rule::Type,
                "a handle to a resource with no name (WIT.md \"Handles\")",
            )
        })
    }

    /// A value type as a WIT type: a named type, a primitive, or a new
    /// anonymous type.
    fn val(&mut self, v: arena::ValType, owner: TypeOwner) -> WitResult<Type> {
        let t = match v {
            arena::ValType::Primitive(p) => return Ok(prim(p)),
            arena::ValType::Defined(t) => t,
        };
        if let Some(&id) = self.named.get(&t) {
            return Ok(Type::Id(id));
        }
        let d = self
            .types
            .defined(t)
            .ok_or_else(|| err(Rule::Binary, "a value type that is not a defined type"))?;
        let kind = match d {
            DefinedType::Primitive(p) => return Ok(prim(*p)),
            DefinedType::Own(r) => return Ok(Type::Id(self.resource(*r, owner)?)),
            DefinedType::Record(_)
            | DefinedType::Variant(_)
            | DefinedType::Enum(_)
            | DefinedType::Flags(_) => {
                return Err(err(
                    Rule::Type,
                    format!(
                        "a {} without a name: WIT has only named {0}s (WIT.md \"WIT Types\")",
                        d.desc()
                    ),
                ));
            }
            d => {
                // Each level is a nested anonymous type in the text.
                if self.depth >= MAX_DEPTH {
                    return Err(err(
                        Rule::Type,
                        format!(
                            "anonymous types nested more than {MAX_DEPTH} deep: deeper than \
                             witness reads WIT text"
                        ),
                    ));
                }
                self.depth += 1;
                let kind = self.defined(d, owner);
                self.depth -= 1;
                kind?
            }
        };
        self.resolve
            .types
            .push(TypeDef::anonymous(kind, Span::default()));
        let id = self.resolve.types.len() - 1;
        self.named.insert(t, id);
        Ok(Type::Id(id))
    }

    fn opt(&mut self, v: Option<arena::ValType>, owner: TypeOwner) -> WitResult<Option<Type>> {
        v.map(|v| self.val(v, owner)).transpose()
    }

    /// A defined type's shape in WIT.
    fn defined(&mut self, d: &DefinedType, owner: TypeOwner) -> WitResult<TypeDefKind> {
        Ok(match d {
            DefinedType::Primitive(p) => TypeDefKind::Type(prim(*p)),
            DefinedType::Record(fs) => TypeDefKind::Record(
                fs.iter()
                    .map(|(name, t)| {
                        let ty = self.val(*t, owner)?;
                        let docs = Docs::default();
                        Ok(Field {
                            name: name.clone(),
                            ty,
                            docs,
                        })
                    })
                    .collect::<WitResult<_>>()?,
            ),
            DefinedType::Variant(cs) => TypeDefKind::Variant(
                cs.iter()
                    .map(|(name, t)| {
                        let ty = self.opt(*t, owner)?;
                        let docs = Docs::default();
                        Ok(Case {
                            name: name.clone(),
                            ty,
                            docs,
                        })
                    })
                    .collect::<WitResult<_>>()?,
            ),
            DefinedType::List(t) => TypeDefKind::List(self.val(*t, owner)?),
            DefinedType::FixedLengthList(t, n) => TypeDefKind::FixedList(self.val(*t, owner)?, *n),
            DefinedType::Tuple(ts) => TypeDefKind::Tuple(
                ts.iter()
                    .map(|t| self.val(*t, owner))
                    .collect::<WitResult<_>>()?,
            ),
            DefinedType::Flags(ns) => TypeDefKind::Flags(flag_names(ns)),
            DefinedType::Enum(ns) => TypeDefKind::Enum(flag_names(ns)),
            DefinedType::Option(t) => TypeDefKind::Option(self.val(*t, owner)?),
            DefinedType::Result { ok, err } => {
                TypeDefKind::Result(self.opt(*ok, owner)?, self.opt(*err, owner)?)
            }
            DefinedType::Map(k, v) => TypeDefKind::Map(self.val(*k, owner)?, self.val(*v, owner)?),
            DefinedType::Own(r) => TypeDefKind::Type(Type::Id(self.resource(*r, owner)?)),
            DefinedType::Borrow(r) => {
                TypeDefKind::Handle(Handle::Borrow(self.resource(*r, owner)?))
            }
            DefinedType::Stream(t) => TypeDefKind::Stream(self.opt(*t, owner)?),
            DefinedType::Future(t) => TypeDefKind::Future(self.opt(*t, owner)?),
        })
    }

    /// Function `name` of type `t`; resource functions (`[method]r.f`) are
    /// tied to the resource `r` that `owner` defines.
    fn function(
        &mut self,
        name: &str,
        t: arena::TypeId,
        owner: TypeOwner,
        external_id: Option<String>,
    ) -> WitResult<Function> {
        let ft = self
            .types
            .func(t)
            .ok_or_else(|| err(Rule::Binary, format!("`{name}` is not a function")))?;
        let parsed = names::extern_name(name, &crate::Features::ALL)
            .map_err(|e| err(Rule::Binary, format!("function `{name}`: {e}")))?;
        let mut params = Vec::new();
        for (n, v) in &ft.params {
            params.push((n.clone(), self.val(*v, owner)?));
        }
        let result = self.opt(ft.result, owner)?;
        let resource = |r: &str| self.own_resource(owner, r, name);
        let kind = match (parsed, ft.async_) {
            (Name::Label(_), false) => FunctionKind::Freestanding,
            (Name::Label(_), true) => FunctionKind::AsyncFreestanding,
            (Name::Constructor(r), _) => FunctionKind::Constructor(resource(r)?),
            (Name::Method(r, _), false) => FunctionKind::Method(resource(r)?),
            (Name::Method(r, _), true) => FunctionKind::AsyncMethod(resource(r)?),
            (Name::Static(r, _), false) => FunctionKind::Static(resource(r)?),
            (Name::Static(r, _), true) => FunctionKind::AsyncStatic(resource(r)?),
            (Name::Interface { .. }, _) => {
                return Err(err(
                    Rule::World,
                    format!(
                        "function `{name}` has an interface's name: WIT names functions with \
                         plain names (WIT.md \"WIT Worlds\")"
                    ),
                ));
            }
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

    /// The resource named `r` that `owner` defines (WIT declares a
    /// resource's functions inside its definition).
    fn own_resource(&self, owner: TypeOwner, r: &str, function: &str) -> WitResult<TypeId> {
        let id = match owner {
            TypeOwner::Interface(i) => self.resolve.interfaces[i].types.get(&String::from(r)),
            TypeOwner::World(w) => self.resolve.worlds[w]
                .imports
                .get(&WorldKey::Name(String::from(r)))
                .and_then(|item| match item {
                    WorldItem::Type { id, .. } => Some(id),
                    _ => None,
                }),
            TypeOwner::None => None,
        };
        match id {
            Some(&id) if self.resolve.types[id].kind == TypeDefKind::Resource => Ok(id),
            _ => Err(err(
                Rule::Type,
                format!(
                    "function `{function}`: `{r}` is not a resource defined here, and WIT \
                     declares a resource's functions inside it (WIT.md \"Item: resource\")"
                ),
            )),
        }
    }
}
