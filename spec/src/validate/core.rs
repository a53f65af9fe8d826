//! Core definitions inside components (Explainer.md "Component
//! Definitions", "Instance Definitions", "Type Definitions": core modules,
//! core instances, core types and `core:moduletype`).
//!
//! Core module validation itself is wasmparser's core validator; this file
//! only extracts module types and checks core instantiation.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::scope::get;
use super::{CoreBodies, CoreTypeEntry, Validator};
use crate::ast::{CoreInstance, CoreModule, CoreModuleDecl, CoreSort, CoreType};
use crate::error::{Error, ErrorKind, Result};
use crate::types::{
    CoreExtern, CoreFuncType, CoreInstanceType, ModuleType, TypeDef, core_extern_matches,
};

/// The function types of a rec group, in order (other GC types are opaque).
pub fn rec_group_entries(r: &wasmparser::RecGroup) -> Vec<CoreTypeEntry> {
    r.types()
        .map(|s| {
            let shared = s.composite_type.shared;
            match &s.composite_type.inner {
                wasmparser::CompositeInnerType::Func(f) => CoreTypeEntry::Func {
                    ty: f.clone(),
                    shared,
                },
                _ => CoreTypeEntry::Other { shared },
            }
        })
        .collect()
}

/// Whether values of `t` are shared (shared-everything-threads), its
/// concrete type index looked up in `types`, the module type's own.
fn shared_ref(types: &[CoreTypeEntry], t: wasmparser::RefType, offset: usize) -> Result<bool> {
    match t.heap_type() {
        wasmparser::HeapType::Abstract { shared, .. } => Ok(shared),
        wasmparser::HeapType::Concrete(i) | wasmparser::HeapType::Exact(i) => {
            let i = i.as_module_index().unwrap_or(u32::MAX);
            Ok(get(types, i, "type", offset)?.shared())
        }
    }
}

/// The core spec's validity of memory, table and global types (module
/// types are validated like the imports and exports of a module): limits,
/// page sizes, type indices, and that what is shared holds shared values.
fn core_limits(types: &[CoreTypeEntry], t: &CoreExtern, offset: usize) -> Result<()> {
    if let CoreExtern::Global(g) = t {
        let shared = match g.content_type {
            wasmparser::ValType::Ref(r) => shared_ref(types, r, offset)?,
            _ => true,
        };
        if g.shared && !shared {
            return Err(Error::invalid(
                offset,
                "shared globals must have a shared value type",
            ));
        }
    }
    if let CoreExtern::Table(t) = t
        && !shared_ref(types, t.element_type, offset)?
        && t.shared
    {
        return Err(Error::invalid(
            offset,
            "shared tables must have a shared element type",
        ));
    }
    if let CoreExtern::Memory(m) = t {
        // custom-page-sizes: pages of 1 byte or 64 KiB only.
        if m.page_size_log2.is_some_and(|p| p != 0 && p != 16) {
            return Err(Error::invalid(offset, "invalid custom page size"));
        }
        // The address space over the page size, as wasmparser's core
        // validator bounds module memories.
        let page_size = 1u128 << m.page_size_log2.unwrap_or(16);
        let max_pages: u64 = if m.memory64 {
            u64::try_from((1u128 << 64) / page_size).unwrap_or(u64::MAX)
        } else {
            u64::from(u32::try_from((1u128 << 32) / page_size).unwrap_or(u32::MAX))
        };
        if m.initial > max_pages || m.maximum.is_some_and(|x| x > max_pages) {
            return Err(Error::invalid(
                offset,
                format!("memory size must be at most {max_pages:#x} pages"),
            ));
        }
        if m.shared && m.maximum.is_none() {
            return Err(Error::invalid(
                offset,
                "shared memory must have maximum size",
            ));
        }
        if m.maximum.is_some_and(|x| x < m.initial) {
            return Err(Error::invalid(
                offset,
                "size minimum must not be greater than maximum",
            ));
        }
    }
    if let CoreExtern::Table(t) = t
        && t.maximum.is_some_and(|x| x < t.initial)
    {
        return Err(Error::invalid(
            offset,
            "size minimum must not be greater than maximum",
        ));
    }
    Ok(())
}

/// Whether `t` is a reference to an abstract shared heap type
/// (`(ref null (shared func))`); concrete types are gated where defined.
fn is_shared_abstract(t: wasmparser::ValType) -> bool {
    matches!(
        t,
        wasmparser::ValType::Ref(r)
            if matches!(r.heap_type(), wasmparser::HeapType::Abstract { shared: true, .. })
    )
}

impl Validator {
    /// The core shared-everything-threads proposal's `shared` annotations
    /// need its gate, which is 🧵②'s (see [`Features::wasmparser`]): module
    /// types are checked here as wasmparser checks a module's own types.
    ///
    /// [`Features::wasmparser`]: crate::Features::wasmparser
    fn shared_gate(&self, shared: bool, what: &str, offset: usize) -> Result<()> {
        if shared {
            self.gate(
                self.features.component_model_shared_everything_threads,
                offset,
                what,
                "component-model-shared-everything-threads",
            )?;
        }
        Ok(())
    }

    /// [`Self::shared_gate`] for the types of a rec group.
    fn shared_gate_rec(&self, r: &wasmparser::RecGroup, offset: usize) -> Result<()> {
        for s in r.types() {
            let c = &s.composite_type;
            self.shared_gate(c.shared, "a shared composite type", offset)?;
            let storage = |t: &wasmparser::StorageType| match t {
                wasmparser::StorageType::Val(v) => is_shared_abstract(*v),
                _ => false,
            };
            let shared_ref = match &c.inner {
                wasmparser::CompositeInnerType::Func(f) => f
                    .params()
                    .iter()
                    .chain(f.results())
                    .any(|v| is_shared_abstract(*v)),
                wasmparser::CompositeInnerType::Array(a) => storage(&a.0.element_type),
                wasmparser::CompositeInnerType::Struct(st) => {
                    st.fields.iter().any(|f| storage(&f.element_type))
                }
                wasmparser::CompositeInnerType::Cont(_) => false,
            };
            self.shared_gate(shared_ref, "a shared reference type", offset)?;
        }
        Ok(())
    }

    /// [`Self::shared_gate`] for an import or export of a module type.
    fn shared_gate_extern(&self, t: &CoreExtern, offset: usize) -> Result<()> {
        match t {
            CoreExtern::Table(t) => {
                self.shared_gate(t.shared, "a shared table", offset)?;
                let v = wasmparser::ValType::Ref(t.element_type);
                self.shared_gate(is_shared_abstract(v), "a shared reference type", offset)
            }
            CoreExtern::Global(g) => {
                self.shared_gate(g.shared, "a shared global", offset)?;
                self.shared_gate(
                    is_shared_abstract(g.content_type),
                    "a shared reference type",
                    offset,
                )
            }
            // Shared memories are the threads proposal's, which is always on.
            _ => Ok(()),
        }
    }

    /// `core:module`: validated by wasmparser's core validator (its function
    /// bodies only under [`CoreBodies::Check`]); its type is
    /// appended to the core module index space.
    pub(crate) fn core_module(&mut self, m: &CoreModule) -> Result<()> {
        let mut core = wasmparser::Validator::new_with_features(self.features.wasmparser());
        let shift = |e: wasmparser::BinaryReaderError| {
            let mut err = Error::from_wasmparser(&e, ErrorKind::Invalid);
            err.offset = err.offset.saturating_add(m.offset);
            err
        };
        if let Some(Ok(wasmparser::Payload::Version {
            encoding, range, ..
        })) = wasmparser::Parser::new(0).parse_all(&m.bytes).next()
            && encoding != wasmparser::Encoding::Module
        {
            return Err(Error::malformed(
                crate::decode::off(range.start).saturating_add(m.offset),
                "expected a version header for a module",
            ));
        }
        let Some(types) = validate_module(&mut core, &m.bytes, self.core_bodies).map_err(shift)?
        else {
            let end = m.offset.saturating_add(m.bytes.len());
            return Err(Error::malformed(end, "unexpected end of the module"));
        };
        let mut ty = ModuleType::default();
        let func_of = |id: wasmparser::types::CoreTypeId| types[id].unwrap_func().clone();
        let entity = |e: wasmparser::types::EntityType| match e {
            wasmparser::types::EntityType::Func(id)
            | wasmparser::types::EntityType::FuncExact(id) => CoreExtern::Func(func_of(id)),
            wasmparser::types::EntityType::Table(t) => CoreExtern::Table(t),
            wasmparser::types::EntityType::Memory(t) => CoreExtern::Memory(t),
            wasmparser::types::EntityType::Global(t) => CoreExtern::Global(t),
            wasmparser::types::EntityType::Tag(id) => CoreExtern::Tag(func_of(id)),
        };
        for payload in wasmparser::Parser::new(0).parse_all(&m.bytes) {
            match payload.map_err(shift)? {
                wasmparser::Payload::ImportSection(r) => {
                    for i in r.into_imports() {
                        let i = i.map_err(shift)?;
                        if ty
                            .imports
                            .iter()
                            .any(|(a, b, _)| a == i.module && b == i.name)
                        {
                            return Err(Error::invalid(
                                m.offset,
                                format!(
                                    "module has a duplicate import name `{}:{}` that is not allowed in components",
                                    i.module, i.name
                                ),
                            ));
                        }
                        if let Some(e) = types.as_ref().entity_type_from_import(&i) {
                            ty.imports
                                .push((i.module.to_string(), i.name.to_string(), entity(e)));
                        }
                    }
                }
                wasmparser::Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.map_err(shift)?;
                        if let Some(t) = types.as_ref().entity_type_from_export(&e) {
                            ty.exports.push((e.name.to_string(), entity(t)));
                        }
                    }
                }
                _ => {}
            }
        }
        let id = self.types.push(TypeDef::Module(ty));
        self.scope_mut().core_modules.push(id);
        Ok(())
    }

    /// The core item `sort index` as a core extern type.
    pub(crate) fn core_item(
        &self,
        sort: CoreSort,
        index: u32,
        offset: usize,
    ) -> Result<CoreExtern> {
        let s = self.scope();
        Ok(match sort {
            CoreSort::Func | CoreSort::FuncExact => {
                CoreExtern::Func(get(&s.core_funcs, index, "func", offset)?.clone())
            }
            CoreSort::Table => CoreExtern::Table(*get(&s.core_tables, index, "table", offset)?),
            CoreSort::Memory => {
                CoreExtern::Memory(*get(&s.core_memories, index, "memory", offset)?)
            }
            CoreSort::Global => CoreExtern::Global(*get(&s.core_globals, index, "global", offset)?),
            CoreSort::Tag => CoreExtern::Tag(get(&s.core_tags, index, "tag", offset)?.clone()),
        })
    }

    /// Appends a core item to its index space.
    pub(crate) fn push_core_item(&mut self, e: CoreExtern) {
        let s = self.scope_mut();
        match e {
            CoreExtern::Func(f) => s.core_funcs.push(f),
            CoreExtern::Table(t) => s.core_tables.push(t),
            CoreExtern::Memory(m) => s.core_memories.push(m),
            CoreExtern::Global(g) => s.core_globals.push(g),
            CoreExtern::Tag(f) => s.core_tags.push(f),
        }
    }

    /// `core:instance`: `instantiate` checks every import of the module
    /// against the named argument instance's export (core import matching);
    /// inline exports build an instance from core items.
    pub(crate) fn core_instance(&mut self, i: &CoreInstance, offset: usize) -> Result<()> {
        let ty = match i {
            CoreInstance::Instantiate { module, args } => {
                let m = *get(&self.scope().core_modules, *module, "module", offset)?;
                let Some(mt) = self.types.module(m).cloned() else {
                    return Err(Error::invalid(offset, "not a module"));
                };
                let mut seen: Vec<&str> = Vec::new();
                let mut arg_types = Vec::new();
                for (name, inst) in args {
                    if seen.contains(&name.as_str()) {
                        return Err(Error::invalid(
                            offset,
                            format!("duplicate module instantiation argument named `{name}`"),
                        ));
                    }
                    seen.push(name);
                    let it = get(&self.scope().core_instances, *inst, "instance", offset)?.clone();
                    arg_types.push((name.as_str(), it));
                }
                for (module_name, field, expected) in &mt.imports {
                    let Some((_, it)) = arg_types.iter().find(|(n, _)| n == module_name) else {
                        return Err(Error::invalid(
                            offset,
                            format!("missing module instantiation argument named `{module_name}`"),
                        ));
                    };
                    let Some((_, actual)) = it.exports.iter().find(|(n, _)| n == field) else {
                        return Err(Error::invalid(
                            offset,
                            format!(
                                "module instantiation argument `{module_name}` does not export an item named `{field}`"
                            ),
                        ));
                    };
                    core_extern_matches(actual, expected).map_err(|e| {
                        Error::invalid(
                            offset,
                            format!("{e}: type mismatch for export `{field}` of module instantiation argument `{module_name}`"),
                        )
                    })?;
                }
                CoreInstanceType {
                    exports: mt.exports,
                }
            }
            CoreInstance::FromExports(exports) => {
                let mut ty = CoreInstanceType::default();
                for e in exports {
                    if ty.exports.iter().any(|(n, _)| *n == e.name) {
                        return Err(Error::invalid(
                            offset,
                            format!("export name `{}` already defined", e.name),
                        ));
                    }
                    let item = self.core_item(e.sort, e.index, offset)?;
                    ty.exports.push((e.name.clone(), item));
                }
                ty
            }
        };
        self.scope_mut().core_instances.push(ty);
        Ok(())
    }

    /// `core:type`: function types and `core:moduletype`s.
    pub(crate) fn core_type(&mut self, t: &CoreType, offset: usize) -> Result<()> {
        match t {
            CoreType::Rec(r) => {
                self.shared_gate_rec(r, offset)?;
                let entries = rec_group_entries(r);
                self.scope_mut().core_types.extend(entries);
            }
            CoreType::Module(decls) => {
                let m = self.module_type(decls, offset)?;
                let id = self.types.push(TypeDef::Module(m));
                self.scope_mut().core_types.push(CoreTypeEntry::Module(id));
            }
        }
        Ok(())
    }

    /// `core:moduletype`: declarators with their own core type index space.
    fn module_type(&mut self, decls: &[CoreModuleDecl], offset: usize) -> Result<ModuleType> {
        let mut types: Vec<CoreTypeEntry> = Vec::new();
        let mut m = ModuleType::default();
        let func = |types: &[CoreTypeEntry], i: u32| -> Result<CoreFuncType> {
            match types.get(i as usize) {
                Some(CoreTypeEntry::Func { ty, .. }) => Ok(ty.clone()),
                Some(_) => Err(Error::invalid(
                    offset,
                    format!("type index {i} is not a function type"),
                )),
                None => Err(Error::invalid(
                    offset,
                    format!("unknown type {i}: type index out of bounds"),
                )),
            }
        };
        let externtype = |types: &[CoreTypeEntry], t: &wasmparser::TypeRef| -> Result<CoreExtern> {
            Ok(match t {
                wasmparser::TypeRef::Func(i) | wasmparser::TypeRef::FuncExact(i) => {
                    CoreExtern::Func(func(types, *i)?)
                }
                wasmparser::TypeRef::Table(t) => CoreExtern::Table(*t),
                wasmparser::TypeRef::Memory(t) => CoreExtern::Memory(*t),
                wasmparser::TypeRef::Global(t) => CoreExtern::Global(*t),
                wasmparser::TypeRef::Tag(t) => CoreExtern::Tag(func(types, t.func_type_idx)?),
            })
        };
        for d in decls {
            match d {
                CoreModuleDecl::Type(r) => {
                    self.shared_gate_rec(r, offset)?;
                    types.extend(rec_group_entries(r));
                }
                CoreModuleDecl::OuterAlias { count, index } => {
                    // Count 0 is the module type itself; 1 is the enclosing
                    // component or component/instance type, and so on.
                    let n = self.scopes.len();
                    if *count as usize > n {
                        return Err(Error::invalid(
                            offset,
                            format!("invalid outer alias count of {count}"),
                        ));
                    }
                    let entry = if *count == 0 {
                        get(&types, *index, "type", offset)?.clone()
                    } else {
                        let target = &self.scopes[n - *count as usize];
                        get(&target.core_types, *index, "type", offset)?.clone()
                    };
                    if let CoreTypeEntry::Module(_) = entry {
                        return Err(Error::invalid(
                            offset,
                            "a module type may not alias another module type",
                        ));
                    }
                    types.push(entry);
                }
                CoreModuleDecl::Import { module, name, ty } => {
                    if m.imports.iter().any(|(a, b, _)| a == module && b == name) {
                        return Err(Error::invalid(
                            offset,
                            format!("duplicate import name `{module}:{name}`"),
                        ));
                    }
                    let t = externtype(&types, ty)?;
                    self.shared_gate_extern(&t, offset)?;
                    core_limits(&types, &t, offset)?;
                    m.imports.push((module.clone(), name.clone(), t));
                }
                CoreModuleDecl::Export { name, ty } => {
                    if m.exports.iter().any(|(n, _)| n == name) {
                        return Err(Error::invalid(
                            offset,
                            format!("export name `{name}` already defined"),
                        ));
                    }
                    let t = externtype(&types, ty)?;
                    self.shared_gate_extern(&t, offset)?;
                    core_limits(&types, &t, offset)?;
                    m.exports.push((name.clone(), t));
                }
            }
        }
        Ok(m)
    }
}

/// wasmparser's `Validator::validate_all`, which checks function bodies after
/// the rest of the module, with the bodies checked only under
/// [`CoreBodies::Check`]. The module's types, once it has ended.
fn validate_module(
    core: &mut wasmparser::Validator,
    bytes: &[u8],
    bodies: CoreBodies,
) -> core::result::Result<Option<wasmparser::types::Types>, wasmparser::BinaryReaderError> {
    let mut parser = wasmparser::Parser::new(0);
    parser.set_features(*core.features());
    let mut funcs = Vec::new();
    let mut types = None;
    for payload in parser.parse_all(bytes) {
        match core.payload(&payload?)? {
            wasmparser::ValidPayload::Func(f, body) if bodies == CoreBodies::Check => {
                funcs.push((f, body));
            }
            wasmparser::ValidPayload::End(t) => types = Some(t),
            _ => {}
        }
    }
    let mut allocs = wasmparser::FuncValidatorAllocations::default();
    for (f, body) in funcs {
        let mut v = f.into_validator(allocs);
        v.validate(&body)?;
        allocs = v.into_allocations();
    }
    Ok(types)
}
