//! Index Spaces (Explainer.md "Index Spaces"): one list per sort, per
//! scope. A scope is a component definition or a component/instance type
//! (whose declarators start with empty index spaces, Binary.md "Type
//! Definitions").

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::types::{
    CoreFuncType, CoreInstanceType, Externs, GlobalType, MemoryType, ResourceId, TableType, TypeId,
    ValType,
};

/// What kind of scope this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// A `component` definition.
    Component,
    /// A `componenttype`'s declarators.
    ComponentType,
    /// An `instancetype`'s declarators.
    InstanceType,
}

/// An entry of the core type index space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreTypeEntry {
    /// A core function type; `shared` when declared `(shared (func ...))`.
    Func { ty: CoreFuncType, shared: bool },
    /// A `core:moduletype` (a [`TypeDef::Module`](crate::types::TypeDef::Module)).
    Module(TypeId),
    /// Another core (GC) type, kept opaque but for whether it is shared.
    Other { shared: bool },
}

impl CoreTypeEntry {
    /// Whether a reference to this type is shared (shared-everything-threads).
    pub fn shared(&self) -> bool {
        match self {
            CoreTypeEntry::Func { shared, .. } | CoreTypeEntry::Other { shared } => *shared,
            CoreTypeEntry::Module(_) => false,
        }
    }
}

/// The 13 index spaces of a scope, its imports and exports, and the names
/// needed by the name and external-visibility rules.
#[derive(Debug, Clone)]
pub struct Scope {
    /// What kind of scope.
    pub kind: ScopeKind,
    /// A number unique to this scope in one validation.
    pub id: u32,

    // core:sort
    /// core func.
    pub core_funcs: Vec<CoreFuncType>,
    /// core table.
    pub core_tables: Vec<TableType>,
    /// core memory.
    pub core_memories: Vec<MemoryType>,
    /// core global.
    pub core_globals: Vec<GlobalType>,
    /// core tag.
    pub core_tags: Vec<CoreFuncType>,
    /// core type.
    pub core_types: Vec<CoreTypeEntry>,
    /// core module.
    pub core_modules: Vec<TypeId>,
    /// core instance.
    pub core_instances: Vec<CoreInstanceType>,

    // componentsort
    /// func.
    pub funcs: Vec<TypeId>,
    /// 🪙 value, with its "consumed" flag (Binary.md "Value Definitions").
    pub values: Vec<(ValType, bool)>,
    /// type.
    pub types: Vec<TypeId>,
    /// component.
    pub components: Vec<TypeId>,
    /// instance.
    pub instances: Vec<TypeId>,

    /// Imports so far.
    pub imports: Externs,
    /// Exports so far.
    pub exports: Externs,
    /// Strongly-unique canonical forms of import names.
    pub import_names: BTreeMap<String, String>,
    /// Strongly-unique canonical forms of export names.
    pub export_names: BTreeMap<String, String>,

    /// Types with an externally-visible name introduced by an import.
    pub visible_imports: BTreeSet<TypeId>,
    /// Types with an externally-visible name (imports and exports).
    pub visible: BTreeSet<TypeId>,
    /// Resources with an externally-visible name introduced by an import.
    pub visible_import_resources: BTreeSet<ResourceId>,
    /// Resources with an externally-visible name.
    pub visible_resources: BTreeSet<ResourceId>,
    /// Plain names under which resources were imported here (for
    /// `[constructor]`, `[method]`, `[static]` imports).
    pub import_resource_names: BTreeMap<ResourceId, Vec<String>>,
    /// Plain names under which resources were exported here.
    pub export_resource_names: BTreeMap<ResourceId, Vec<String>>,
    /// Resource labels imported here.
    pub import_resource_labels: BTreeSet<String>,
    /// Resource labels exported here.
    pub export_resource_labels: BTreeSet<String>,

    /// ∀ resources introduced by imports (component types and components).
    pub imported_resources: Vec<ResourceId>,
    /// ∃ resources introduced by exports (component and instance types).
    pub defined_resources: Vec<ResourceId>,
}

impl Scope {
    /// A scope with empty index spaces.
    pub fn new(kind: ScopeKind, id: u32) -> Self {
        Scope {
            kind,
            id,
            core_funcs: Vec::new(),
            core_tables: Vec::new(),
            core_memories: Vec::new(),
            core_globals: Vec::new(),
            core_tags: Vec::new(),
            core_types: Vec::new(),
            core_modules: Vec::new(),
            core_instances: Vec::new(),
            funcs: Vec::new(),
            values: Vec::new(),
            types: Vec::new(),
            components: Vec::new(),
            instances: Vec::new(),
            imports: Vec::new(),
            exports: Vec::new(),
            import_names: BTreeMap::new(),
            export_names: BTreeMap::new(),
            visible_imports: BTreeSet::new(),
            visible: BTreeSet::new(),
            visible_import_resources: BTreeSet::new(),
            visible_resources: BTreeSet::new(),
            import_resource_names: BTreeMap::new(),
            export_resource_names: BTreeMap::new(),
            import_resource_labels: BTreeSet::new(),
            export_resource_labels: BTreeSet::new(),
            imported_resources: Vec::new(),
            defined_resources: Vec::new(),
        }
    }
}

/// Looks up `index` in an index space, or fails with the reference tests'
/// wording ("unknown X N: X index out of bounds").
pub fn get<'a, T>(space: &'a [T], index: u32, sort: &str, offset: usize) -> crate::Result<&'a T> {
    space.get(index as usize).ok_or_else(|| {
        crate::Error::invalid(
            offset,
            alloc::format!("unknown {sort} {index}: {sort} index out of bounds"),
        )
    })
}
