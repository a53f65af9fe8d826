//! WIT.md "Package Format" and Explainer.md "Type Definitions": a resolved
//! package as the standard WIT-package binary, the component that
//! `wasm-tools component wit --wasm` writes.
//!
//! The layout (shared with wit-component, so either tool reads the other's):
//! - for each interface, in package order, a component type that imports
//!   every interface it uses (transitively, each an instance type with all
//!   of that interface's types) and exports itself as an instance type
//!   under its full name `ns:pkg/iface@v`; the component type is exported
//!   from the package under the interface's plain name;
//! - for each world, a component type (its imports and exports, Explainer.md
//!   "Component types") wrapped in a component type that exports it under
//!   the world's full name, exported under the world's plain name;
//! - the `package-docs` custom section ([`super::package_docs`]) for docs
//!   and feature gates.
//!
//! Conventions: `e` is the [`Encoder`]; a *scope* is the component type
//! under construction (`outer`) or the instance type inside it (`inner`).
//! Named types are exported (`(eq i)`, or `(sub resource)`) where they are
//! defined; types of another interface are aliased from that interface's
//! instance; anonymous types are defined once per scope. A resource named
//! where a value goes means `own<resource>` (the model keeps owned handles
//! as the resource's id), so [`Encoder::val`] emits `own` there while
//! [`Encoder::def`] refers to the resource type itself.

use super::error::{Rule, WitError, WitResult};
use super::model::*;
use super::package_docs;
use super::print::anonymous_type_text;
use super::resolve::has_borrow;
use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_encoder::{
    Alias, ComponentBuilder, ComponentDefinedTypeEncoder, ComponentExportKind, ComponentExternName,
    ComponentFuncTypeEncoder, ComponentOuterAliasKind, ComponentType, ComponentTypeRef,
    ComponentValType, CustomSection, InstanceType, PrimitiveValType, TypeBounds,
};

/// Encodes package `pkg` as a WIT-package component binary.
///
/// # Errors
/// A package that still has unresolved (`Unknown`) types, an interface
/// without a package, and the types WIT accepts that have no
/// component-model form (the error points at the type): an empty `record`,
/// `tuple` or `flags`, `stream<char>`, and a `stream` or `future` of a type
/// containing a `borrow`.
pub fn encode(resolve: &Resolve, pkg: PackageId) -> WitResult<Vec<u8>> {
    let package = resolve
        .packages
        .get(pkg)
        .ok_or_else(|| bad("no such package"))?;
    // A package binary names its package only in its exports' names, so a
    // package with nothing to export could not be read back.
    if package.interfaces.is_empty() && package.worlds.is_empty() {
        return Err(bad(&alloc::format!(
            "package `{}` has no interfaces or worlds (none, or all gated off), so it has no binary form",
            package.name
        )));
    }
    let mut builder = ComponentBuilder::default();
    for (name, &id) in package.interfaces.iter() {
        let ty = encode_interface(resolve, pkg, id)?;
        let idx = builder.type_component(None, &ty);
        builder.export(name.as_str(), ComponentExportKind::Type, idx, None);
    }
    for (name, &id) in package.worlds.iter() {
        let world = encode_world(resolve, id)?;
        let mut wrapper = ComponentType::new();
        wrapper.ty().component(&world);
        wrapper.export(
            full_name(&package.name, name),
            ComponentTypeRef::Component(0),
        );
        let idx = builder.type_component(None, &wrapper);
        builder.export(name.as_str(), ComponentExportKind::Type, idx, None);
    }
    let docs = package_docs::encode(resolve, pkg);
    builder.custom_section(&CustomSection {
        name: Cow::Borrowed(package_docs::SECTION_NAME),
        data: Cow::Owned(docs),
    });
    Ok(builder.finish())
}

/// `ns:pkg/name@v`.
pub fn full_name(pkg: &PackageName, name: &str) -> String {
    let mut s = alloc::format!("{}:{}/{}", pkg.namespace, pkg.name, name);
    if let Some(v) = &pkg.version {
        s.push_str(&alloc::format!("@{v}"));
    }
    s
}

fn bad(message: &str) -> WitError {
    WitError::nowhere(Rule::Binary, message)
}

/// Type `ty`, which WIT text accepts (as wit-parser does) but a component
/// type cannot express because of `rule`: an error at the type.
fn no_binary_form(ty: &TypeDef, what: &str, rule: &str) -> WitError {
    WitError::new(
        Rule::Binary,
        ty.span,
        alloc::format!("{what}: {rule}, so this package has no binary form"),
    )
}

/// An empty `record`, `tuple` or `flags`: a component type has at least one
/// field, element or label (Explainer.md "Type Definitions": `(record
/// (field ..)+)`, `(tuple <valtype>+)`, `(flags <labellit>+)`).
fn empty(ty: &TypeDef, what: &str) -> WitError {
    let name = ty
        .name
        .as_ref()
        .map_or(String::new(), |n| alloc::format!(" `{n}`"));
    no_binary_form(
        ty,
        &alloc::format!("empty {what}{name}"),
        &alloc::format!(
            "a component-model {what} has at least one member (Explainer.md \"Type Definitions\")"
        ),
    )
}

/// Why a `stream` or `future` of `payload` has no component type: WIT.md
/// bounds neither payload, but validation rejects `(stream char)` and a
/// `stream` or `future` whose payload transitively contains a `borrow`
/// (Explainer.md "Asynchronous value types").
fn invalid_payload(resolve: &Resolve, is_stream: bool, payload: Type) -> Option<&'static str> {
    let is_char = match payload {
        Type::Char => true,
        Type::Id(id) => matches!(
            resolve.types[resolve.resolve_alias(id)].kind,
            TypeDefKind::Type(Type::Char)
        ),
        _ => false,
    };
    if is_stream && is_char {
        Some(
            "a component-model `stream` of `char` is not valid at this time \
             (Explainer.md \"Asynchronous value types\")",
        )
    } else if has_borrow(resolve, payload) {
        Some(
            "a component-model `stream` or `future` payload cannot contain a `borrow` \
             (Explainer.md \"Asynchronous value types\")",
        )
    } else {
        None
    }
}

/// World `id` as a component type (Explainer.md "Component types"):
/// imported interfaces as instance imports, imported types as type
/// imports, functions as function imports/exports, exported interfaces as
/// instance exports.
///
/// # Errors
/// Unresolved types.
pub fn encode_world(resolve: &Resolve, id: WorldId) -> WitResult<ComponentType> {
    let mut e = Encoder::new(resolve);
    let world = resolve.worlds.get(id).ok_or_else(|| bad("no such world"))?;
    for (key, item) in world.imports.iter() {
        let ty = match item {
            WorldItem::Interface { id, .. } => {
                e.interface = Some(*id);
                ComponentTypeRef::Instance(e.instance(*id)?)
            }
            WorldItem::Function(f) => {
                e.interface = None;
                ComponentTypeRef::Func(e.func_type(f)?)
            }
            WorldItem::Type { id, .. } => {
                e.interface = None;
                e.import_types = true;
                e.def(*id)?;
                e.import_types = false;
                continue;
            }
        };
        e.outer.import(extern_name_of(resolve, key, item)?, ty);
    }
    for (key, item) in world.exports.iter() {
        let ty = match item {
            WorldItem::Interface { id, .. } => {
                e.interface = Some(*id);
                ComponentTypeRef::Instance(e.instance(*id)?)
            }
            WorldItem::Function(f) => {
                e.interface = None;
                ComponentTypeRef::Func(e.func_type(f)?)
            }
            WorldItem::Type { .. } => return Err(bad("a world cannot export a type")),
        };
        e.outer.export(extern_name_of(resolve, key, item)?, ty);
    }
    Ok(e.outer)
}

/// The import/export name of a world item, with 🏷️ `implements` for a
/// named import of an interface and `external-id`.
fn extern_name_of(
    resolve: &Resolve,
    key: &WorldKey,
    item: &WorldItem,
) -> WitResult<ComponentExternName<'static>> {
    let name = match key {
        WorldKey::Name(n) => n.clone(),
        WorldKey::Interface(i) => resolve
            .id_of(*i)
            .ok_or_else(|| bad("anonymous interface keyed by id"))?,
    };
    let implements = match (key, item) {
        (WorldKey::Name(_), WorldItem::Interface { id, .. }) => resolve.id_of(*id),
        _ => None,
    };
    let external_id = match item {
        WorldItem::Interface { external_id, .. } => external_id.clone(),
        WorldItem::Function(f) => f.external_id.clone(),
        WorldItem::Type { id, .. } => resolve.types.get(*id).and_then(|t| t.external_id.clone()),
    };
    Ok(ComponentExternName {
        name: name.into(),
        implements: implements.map(Into::into),
        external_id: external_id.map(Into::into),
        version_suffix: None,
    })
}

fn plain_name(name: &str, external_id: Option<&str>) -> ComponentExternName<'static> {
    ComponentExternName {
        name: String::from(name).into(),
        implements: None,
        external_id: external_id.map(|s| Cow::Owned(String::from(s))),
        version_suffix: None,
    }
}

/// Interface `id` of package `pkg` as a component type: the interfaces it
/// uses imported (dependencies first), itself exported.
pub(crate) fn encode_interface(
    resolve: &Resolve,
    pkg: PackageId,
    id: InterfaceId,
) -> WitResult<ComponentType> {
    let _ = pkg;
    let mut live = Vec::new();
    add_live(resolve, &mut live, id, 0);
    let mut e = Encoder::new(resolve);
    for i in live {
        e.interface = Some(i);
        let name = resolve
            .id_of(i)
            .ok_or_else(|| bad("an interface without a package"))?;
        if i == id {
            let idx = e.instance(i)?;
            e.outer.export(name, ComponentTypeRef::Instance(idx));
        } else {
            e.push_instance();
            for &t in resolve.interfaces[i].types.values() {
                e.def(t)?;
            }
            let inst = e.pop_instance();
            let idx = e.outer.type_count();
            e.outer.ty().instance(&inst);
            e.import_map.insert(i, e.instances);
            e.instances += 1;
            e.outer.import(name, ComponentTypeRef::Instance(idx));
        }
    }
    Ok(e.outer)
}

/// `id` after every interface it uses, each once.
fn add_live(resolve: &Resolve, out: &mut Vec<InterfaceId>, id: InterfaceId, depth: usize) {
    if out.contains(&id) || depth > resolve.interfaces.len() {
        return;
    }
    for dep in resolve.interface_direct_deps(id) {
        add_live(resolve, out, dep, depth + 1);
    }
    if !out.contains(&id) {
        out.push(id);
    }
}

/// A function type's identity for sharing within a scope.
type FuncKey = (bool, Vec<(String, Type)>, Option<Type>);

/// What one scope has defined already.
#[derive(Default)]
struct Maps {
    /// Type definitions by id.
    ids: BTreeMap<TypeId, u32>,
    /// Anonymous type definitions by shape.
    anon: Vec<(TypeDefKind, u32)>,
    /// `own<t>` by the named type `t`.
    own: BTreeMap<TypeId, u32>,
    /// Function types by signature.
    funcs: BTreeMap<FuncKey, u32>,
}

struct Encoder<'a> {
    resolve: &'a Resolve,
    outer: ComponentType,
    inner: Option<InstanceType>,
    maps: Maps,
    saved: Option<Maps>,
    /// Instance index (in `outer`) of each interface imported or exported.
    import_map: BTreeMap<InterfaceId, u32>,
    /// Type index (in `outer`) of each type aliased out of an instance.
    outer_aliases: BTreeMap<TypeId, u32>,
    instances: u32,
    /// Whether world-level named types are imports (rather than exports).
    import_types: bool,
    /// The interface being encoded, whose types are defined rather than
    /// aliased.
    interface: Option<InterfaceId>,
}

fn prim(p: PrimitiveValType) -> ComponentValType {
    ComponentValType::Primitive(p)
}

impl<'a> Encoder<'a> {
    fn new(resolve: &'a Resolve) -> Self {
        Encoder {
            resolve,
            outer: ComponentType::new(),
            inner: None,
            maps: Maps::default(),
            saved: None,
            import_map: BTreeMap::new(),
            outer_aliases: BTreeMap::new(),
            instances: 0,
            import_types: false,
            interface: None,
        }
    }

    fn push_instance(&mut self) {
        self.saved = Some(core::mem::take(&mut self.maps));
        self.inner = Some(InstanceType::new());
    }

    fn pop_instance(&mut self) -> InstanceType {
        self.maps = self.saved.take().unwrap_or_default();
        self.inner.take().unwrap_or_default()
    }

    /// Interface `id` as an instance type: its types in order, then its
    /// functions (resource functions first, in the order of their
    /// resources). Returns the instance type's index in `outer`.
    fn instance(&mut self, id: InterfaceId) -> WitResult<u32> {
        let iface = &self.resolve.interfaces[id];
        self.push_instance();
        let mut order = Vec::new();
        for &t in iface.types.values() {
            self.def(t)?;
            order.push(t);
        }
        let mut funcs: Vec<&Function> = iface.functions.values().collect();
        funcs.sort_by_key(|f| match f.kind.resource() {
            Some(r) => order.iter().position(|t| *t == r).unwrap_or(order.len()),
            None => order.len(),
        });
        for f in funcs {
            let ty = self.func_type(f)?;
            if let Some(inner) = &mut self.inner {
                inner.export(
                    plain_name(&f.name, f.external_id.as_deref()),
                    ComponentTypeRef::Func(ty),
                );
            }
        }
        let inst = self.pop_instance();
        let idx = self.outer.type_count();
        self.outer.ty().instance(&inst);
        self.import_map.insert(id, self.instances);
        self.instances += 1;
        Ok(idx)
    }

    fn defined(&mut self) -> (u32, ComponentDefinedTypeEncoder<'_>) {
        match &mut self.inner {
            Some(t) => (t.type_count(), t.ty().defined_type()),
            None => (self.outer.type_count(), self.outer.ty().defined_type()),
        }
    }

    fn function(&mut self) -> (u32, ComponentFuncTypeEncoder<'_>) {
        match &mut self.inner {
            Some(t) => (t.type_count(), t.ty().function()),
            None => (self.outer.type_count(), self.outer.ty().function()),
        }
    }

    /// `(export name (type (eq idx)))` (an import for world-level types);
    /// returns the new type index.
    fn export_type(&mut self, idx: u32, name: ComponentExternName<'static>) -> u32 {
        let r = ComponentTypeRef::Type(TypeBounds::Eq(idx));
        match &mut self.inner {
            Some(t) => {
                let ret = t.type_count();
                t.export(name, r);
                ret
            }
            None => {
                let ret = self.outer.type_count();
                if self.import_types {
                    self.outer.import(name, r);
                } else {
                    self.outer.export(name, r);
                }
                ret
            }
        }
    }

    /// `(export name (type (sub resource)))`; returns its type index.
    fn export_resource(&mut self, name: ComponentExternName<'static>) -> u32 {
        let r = ComponentTypeRef::Type(TypeBounds::SubResource);
        match &mut self.inner {
            Some(t) => {
                let ret = t.type_count();
                t.export(name, r);
                ret
            }
            None => {
                let ret = self.outer.type_count();
                if self.import_types {
                    self.outer.import(name, r);
                } else {
                    self.outer.export(name, r);
                }
                ret
            }
        }
    }

    /// Type `id` of interface `owner`, aliased out of `owner`'s instance
    /// into `outer` (once) and into the current scope.
    fn import_type(&mut self, owner: InterfaceId, id: TypeId) -> WitResult<u32> {
        let outer_idx = match self.outer_aliases.get(&id) {
            Some(i) => *i,
            None => {
                let instance = *self
                    .import_map
                    .get(&owner)
                    .ok_or_else(|| bad("a type of an interface that is not imported"))?;
                let name = self.resolve.types[id]
                    .name
                    .clone()
                    .ok_or_else(|| bad("an anonymous type owned by an interface"))?;
                let ret = self.outer.type_count();
                self.outer.alias(Alias::InstanceExport {
                    instance,
                    name: &name,
                    kind: ComponentExportKind::Type,
                });
                self.outer_aliases.insert(id, ret);
                ret
            }
        };
        Ok(match &mut self.inner {
            Some(t) => {
                let ret = t.type_count();
                t.alias(Alias::Outer {
                    count: 1,
                    index: outer_idx,
                    kind: ComponentOuterAliasKind::Type,
                });
                ret
            }
            None => outer_idx,
        })
    }

    /// A function's type, shared with equal signatures in this scope.
    fn func_type(&mut self, f: &Function) -> WitResult<u32> {
        let key: FuncKey = (f.kind.is_async(), f.params.clone(), f.result);
        if let Some(i) = self.maps.funcs.get(&key) {
            return Ok(*i);
        }
        let mut params = Vec::new();
        for (n, t) in &f.params {
            params.push((n.as_str(), self.val(*t)?));
        }
        let result = match f.result {
            Some(t) => Some(self.val(t)?),
            None => None,
        };
        let (idx, mut enc) = self.function();
        enc.async_(f.kind.is_async())
            .params(params.iter().map(|(n, t)| (*n, *t)))
            .result(result);
        self.maps.funcs.insert(key, idx);
        Ok(idx)
    }

    /// A type in a value position: `own<r>` when it names a resource.
    fn val(&mut self, t: Type) -> WitResult<ComponentValType> {
        Ok(match t {
            Type::Bool => prim(PrimitiveValType::Bool),
            Type::U8 => prim(PrimitiveValType::U8),
            Type::U16 => prim(PrimitiveValType::U16),
            Type::U32 => prim(PrimitiveValType::U32),
            Type::U64 => prim(PrimitiveValType::U64),
            Type::S8 => prim(PrimitiveValType::S8),
            Type::S16 => prim(PrimitiveValType::S16),
            Type::S32 => prim(PrimitiveValType::S32),
            Type::S64 => prim(PrimitiveValType::S64),
            Type::F32 => prim(PrimitiveValType::F32),
            Type::F64 => prim(PrimitiveValType::F64),
            Type::Char => prim(PrimitiveValType::Char),
            Type::String => prim(PrimitiveValType::String),
            Type::ErrorContext => prim(PrimitiveValType::ErrorContext),
            Type::Id(id) => {
                let target = self.resolve.resolve_alias(id);
                if matches!(self.resolve.types[target].kind, TypeDefKind::Resource) {
                    if let Some(i) = self.maps.own.get(&id) {
                        return Ok(ComponentValType::Type(*i));
                    }
                    let r = self.def_index(id)?;
                    let (idx, enc) = self.defined();
                    enc.own(r);
                    self.maps.own.insert(id, idx);
                    ComponentValType::Type(idx)
                } else {
                    self.def(id)?
                }
            }
        })
    }

    fn def_index(&mut self, id: TypeId) -> WitResult<u32> {
        match self.def(id)? {
            ComponentValType::Type(i) => Ok(i),
            ComponentValType::Primitive(_) => Err(bad("a handle of a primitive type")),
        }
    }

    fn opt(&mut self, t: Option<Type>) -> WitResult<Option<ComponentValType>> {
        match t {
            Some(t) => Ok(Some(self.val(t)?)),
            None => Ok(None),
        }
    }

    /// Type definition `id` in the current scope (defined, exported or
    /// aliased on first use); a resource is the resource type itself.
    fn def(&mut self, id: TypeId) -> WitResult<ComponentValType> {
        if let Some(i) = self.maps.ids.get(&id) {
            return Ok(ComponentValType::Type(*i));
        }
        let resolve = self.resolve;
        let ty = resolve.types.get(id).ok_or_else(|| bad("no such type"))?;
        if ty.name.is_none()
            && let Some((_, i)) = self.maps.anon.iter().find(|(k, _)| *k == ty.kind)
        {
            return Ok(ComponentValType::Type(*i));
        }
        if let TypeOwner::Interface(owner) = ty.owner
            && Some(owner) != self.interface
        {
            let i = self.import_type(owner, id)?;
            self.maps.ids.insert(id, i);
            return Ok(ComponentValType::Type(i));
        }
        let mut encoded = match &ty.kind {
            TypeDefKind::Record(fs) if fs.is_empty() => return Err(empty(ty, "record")),
            TypeDefKind::Tuple(ts) if ts.is_empty() => return Err(empty(ty, "tuple")),
            TypeDefKind::Flags(fs) if fs.is_empty() => return Err(empty(ty, "flags")),
            TypeDefKind::Future(Some(t)) | TypeDefKind::Stream(Some(t)) => {
                let is_stream = matches!(ty.kind, TypeDefKind::Stream(_));
                if let Some(rule) = invalid_payload(resolve, is_stream, *t) {
                    let text = anonymous_type_text(resolve, &ty.kind);
                    let what = match &ty.name {
                        Some(n) => alloc::format!("type `{n}` (`{text}`)"),
                        None => alloc::format!("`{text}`"),
                    };
                    return Err(no_binary_form(ty, &what, rule));
                }
                let t = self.val(*t)?;
                let (idx, enc) = self.defined();
                if is_stream {
                    enc.stream(Some(t));
                } else {
                    enc.future(Some(t));
                }
                ComponentValType::Type(idx)
            }
            TypeDefKind::Record(fields) => {
                let mut fs = Vec::new();
                for f in fields {
                    fs.push((f.name.as_str(), self.val(f.ty)?));
                }
                let (idx, enc) = self.defined();
                enc.record(fs.iter().map(|(n, t)| (*n, *t)));
                ComponentValType::Type(idx)
            }
            TypeDefKind::Tuple(ts) => {
                let mut vs = Vec::new();
                for t in ts {
                    vs.push(self.val(*t)?);
                }
                let (idx, enc) = self.defined();
                enc.tuple(vs);
                ComponentValType::Type(idx)
            }
            TypeDefKind::Flags(fs) => {
                let (idx, enc) = self.defined();
                enc.flags(fs.iter().map(|f| f.name.as_str()));
                ComponentValType::Type(idx)
            }
            TypeDefKind::Enum(cs) => {
                let (idx, enc) = self.defined();
                enc.enum_type(cs.iter().map(|f| f.name.as_str()));
                ComponentValType::Type(idx)
            }
            TypeDefKind::Variant(cases) => {
                let mut cs = Vec::new();
                for c in cases {
                    cs.push((c.name.as_str(), self.opt(c.ty)?));
                }
                let (idx, enc) = self.defined();
                enc.variant(cs.iter().map(|(n, t)| (*n, *t)));
                ComponentValType::Type(idx)
            }
            TypeDefKind::Option(t) => {
                let t = self.val(*t)?;
                let (idx, enc) = self.defined();
                enc.option(t);
                ComponentValType::Type(idx)
            }
            TypeDefKind::Result(ok, err) => {
                let ok = self.opt(*ok)?;
                let err = self.opt(*err)?;
                let (idx, enc) = self.defined();
                enc.result(ok, err);
                ComponentValType::Type(idx)
            }
            TypeDefKind::List(t) => {
                let t = self.val(*t)?;
                let (idx, enc) = self.defined();
                enc.list(t);
                ComponentValType::Type(idx)
            }
            TypeDefKind::FixedList(t, n) => {
                let t = self.val(*t)?;
                let (idx, enc) = self.defined();
                enc.fixed_length_list(t, *n);
                ComponentValType::Type(idx)
            }
            TypeDefKind::Map(k, v) => {
                let k = self.val(*k)?;
                let v = self.val(*v)?;
                let (idx, enc) = self.defined();
                enc.map(k, v);
                ComponentValType::Type(idx)
            }
            TypeDefKind::Future(None) => {
                let (idx, enc) = self.defined();
                enc.future(None);
                ComponentValType::Type(idx)
            }
            TypeDefKind::Stream(None) => {
                let (idx, enc) = self.defined();
                enc.stream(None);
                ComponentValType::Type(idx)
            }
            TypeDefKind::Type(Type::Id(other)) => self.def(*other)?,
            TypeDefKind::Type(t) => self.val(*t)?,
            TypeDefKind::Resource => {
                let name = ty
                    .name
                    .as_deref()
                    .ok_or_else(|| bad("an anonymous resource"))?;
                let idx = self.export_resource(plain_name(name, ty.external_id.as_deref()));
                self.maps.ids.insert(id, idx);
                return Ok(ComponentValType::Type(idx));
            }
            TypeDefKind::Handle(h) => {
                let (own, r) = match h {
                    Handle::Own(r) => (true, *r),
                    Handle::Borrow(r) => (false, *r),
                };
                let r = self.def_index(r)?;
                let (idx, enc) = self.defined();
                if own {
                    enc.own(r);
                } else {
                    enc.borrow(r);
                }
                ComponentValType::Type(idx)
            }
            TypeDefKind::Unknown => return Err(bad("a type that was never resolved")),
        };
        if let Some(name) = &ty.name {
            let idx = match encoded {
                ComponentValType::Type(i) => i,
                ComponentValType::Primitive(p) => {
                    let (idx, enc) = self.defined();
                    enc.primitive(p);
                    idx
                }
            };
            let idx = self.export_type(idx, plain_name(name, ty.external_id.as_deref()));
            encoded = ComponentValType::Type(idx);
        }
        if let ComponentValType::Type(i) = encoded {
            self.maps.ids.insert(id, i);
            if ty.name.is_none() {
                self.maps.anon.push((ty.kind.clone(), i));
            }
        }
        Ok(encoded)
    }
}
