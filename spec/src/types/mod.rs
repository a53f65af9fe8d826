//! Type Definitions and Type Checking (Explainer.md "Type Definitions",
//! "Type Checking"): the types that validation assigns to definitions.
//!
//! Conventions: `Types` is the arena that owns every type; a [`TypeId`]
//! names one entry. Structural types are compared by their structure (two
//! ids may be equal types); resource types are compared by [`ResourceId`],
//! which is generative: every `resource` definition, every `(sub resource)`
//! import or export and every instantiation that exports an abstract
//! resource makes a fresh one.

pub mod core;
pub mod size;
pub mod subst;
pub mod subtype;

use alloc::string::String;
use alloc::vec::Vec;

pub use self::core::*;
pub use crate::ast::PrimValType;

/// An entry of the [`Types`] arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// The identity of a resource type (generative, Explainer.md "Type Checking").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(pub u32);

/// `valtype`: a primitive or a defined value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValType {
    /// A primitive value type.
    Primitive(PrimValType),
    /// A defined value type ([`TypeDef::Defined`]).
    Defined(TypeId),
}

/// `defvaltype` with its type indices resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum DefinedType {
    Primitive(PrimValType),
    Record(Vec<(String, ValType)>),
    Variant(Vec<(String, Option<ValType>)>),
    List(ValType),
    FixedLengthList(ValType, u32),
    Tuple(Vec<ValType>),
    Flags(Vec<String>),
    Enum(Vec<String>),
    Option(ValType),
    Result {
        ok: Option<ValType>,
        err: Option<ValType>,
    },
    Map(ValType, ValType),
    Own(ResourceId),
    Borrow(ResourceId),
    Stream(Option<ValType>),
    Future(Option<ValType>),
}

impl DefinedType {
    /// The type constructor's keyword.
    pub fn desc(&self) -> &'static str {
        match self {
            DefinedType::Primitive(p) => p.name(),
            DefinedType::Record(_) => "record",
            DefinedType::Variant(_) => "variant",
            DefinedType::List(_) | DefinedType::FixedLengthList(..) => "list",
            DefinedType::Tuple(_) => "tuple",
            DefinedType::Flags(_) => "flags",
            DefinedType::Enum(_) => "enum",
            DefinedType::Option(_) => "option",
            DefinedType::Result { .. } => "result",
            DefinedType::Map(..) => "map",
            DefinedType::Own(_) => "own",
            DefinedType::Borrow(_) => "borrow",
            DefinedType::Stream(_) => "stream",
            DefinedType::Future(_) => "future",
        }
    }
}

/// `functype` with its type indices resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncType {
    /// 🔀 `async`.
    pub async_: bool,
    /// Named parameters.
    pub params: Vec<(String, ValType)>,
    /// The optional result.
    pub result: Option<ValType>,
}

/// `externtype` with its type indices resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternType {
    /// `core module`: a [`TypeDef::Module`].
    CoreModule(TypeId),
    /// `func`: a [`TypeDef::Func`].
    Func(TypeId),
    /// 🪙 `value`.
    Value(ValType),
    /// `type`: any type entry (for `(sub resource)` a [`TypeDef::Resource`]).
    Type(TypeId),
    /// `instance`: a [`TypeDef::Instance`].
    Instance(TypeId),
    /// `component`: a [`TypeDef::Component`].
    Component(TypeId),
}

impl ExternType {
    /// The sort's keyword.
    pub fn desc(&self) -> &'static str {
        match self {
            ExternType::CoreModule(_) => "module",
            ExternType::Func(_) => "func",
            ExternType::Value(_) => "value",
            ExternType::Type(_) => "type",
            ExternType::Instance(_) => "instance",
            ExternType::Component(_) => "component",
        }
    }
}

/// A list of named extern types in declaration order (names are unique).
pub type Externs = Vec<(String, ExternType)>;

/// Looks a name up in an [`Externs`] list.
pub fn lookup<'a>(externs: &'a Externs, name: &str) -> Option<&'a ExternType> {
    externs.iter().find(|(n, _)| n == name).map(|(_, t)| t)
}

/// `instancetype`: exports, and the abstract resources the type binds
/// existentially (its `(sub resource)` exports).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceType {
    /// The exports.
    pub exports: Externs,
    /// ∃: resources exported abstractly, made fresh whenever a value of this
    /// type is introduced (import, instantiation).
    pub defined_resources: Vec<ResourceId>,
}

/// `componenttype`: imports, exports, and the resources the type binds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComponentType {
    /// The imports.
    pub imports: Externs,
    /// The exports.
    pub exports: Externs,
    /// ∀: resources introduced by imports (substituted at instantiation).
    pub imported_resources: Vec<ResourceId>,
    /// ∃: resources introduced by exports (fresh per instantiation).
    pub defined_resources: Vec<ResourceId>,
}

/// What a resource type is (Explainer.md "resourcetype").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    /// The core representation type, for resources defined by `resource`.
    pub rep: Option<wasmparser::ValType>,
    /// The validator scope (component) that defined it, if any; only that
    /// component may use `resource.new`/`resource.rep` on it.
    pub defined_by: Option<u32>,
    /// When this id is another name for an existing resource type (made by
    /// an export or an `eq` import of it), that resource. Equal for type
    /// checking, distinct for the external-visibility and naming rules,
    /// which are about type *indices* (Explainer.md "External Visibility").
    pub alias_of: Option<ResourceId>,
}

/// An entry of the type arena.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    /// `defvaltype`.
    Defined(DefinedType),
    /// `functype`.
    Func(FuncType),
    /// `instancetype`.
    Instance(InstanceType),
    /// `componenttype`.
    Component(ComponentType),
    /// A resource type.
    Resource(ResourceId),
    /// `core:moduletype`.
    Module(ModuleType),
    /// The type of a core instance.
    CoreInstance(CoreInstanceType),
}

impl TypeDef {
    /// The type constructor's keyword.
    pub fn desc(&self) -> &'static str {
        match self {
            TypeDef::Defined(d) => d.desc(),
            TypeDef::Func(_) => "func",
            TypeDef::Instance(_) => "instance",
            TypeDef::Component(_) => "component",
            TypeDef::Resource(_) => "resource",
            TypeDef::Module(_) => "module",
            TypeDef::CoreInstance(_) => "core instance",
        }
    }
}

/// The arena of all types and resources seen by one validation.
#[derive(Debug, Clone, Default)]
pub struct Types {
    defs: Vec<TypeDef>,
    resources: Vec<ResourceInfo>,
    /// For a type index made equal to another type (an `(eq i)` bound, a
    /// type export), that type. Structural types are copied into the new
    /// entry; the link is what tells `type a = b` (or a `use`) from a new
    /// type of the same shape when the types are named again (component →
    /// WIT), as a type *index* would.
    eqs: alloc::collections::BTreeMap<TypeId, TypeId>,
    /// Memoized `(elem_size, alignment)` for `ptr_type = i64`.
    layouts: alloc::collections::BTreeMap<TypeId, (u64, u64)>,
}

impl Types {
    /// An empty arena.
    pub fn new() -> Self {
        Types::default()
    }

    /// Adds a type; returns its id.
    pub fn push(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId(u32::try_from(self.defs.len()).unwrap_or(u32::MAX));
        self.defs.push(def);
        id
    }

    /// The type with this id. Ids are only made by [`Types::push`], so a
    /// missing one is a bug; a placeholder is returned instead of panicking.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        static EMPTY: TypeDef = TypeDef::Defined(DefinedType::Primitive(PrimValType::Bool));
        self.defs.get(id.0 as usize).unwrap_or(&EMPTY)
    }

    /// A new entry `def` for a type index made equal to type `t` (an
    /// `(eq i)` bound, a type export); [`Types::eq_of`] gives `t` back.
    pub fn push_eq(&mut self, t: TypeId, def: TypeDef) -> TypeId {
        let id = self.push(def);
        self.eqs.insert(id, t);
        id
    }

    /// The type that `id` was made equal to, if it was made by
    /// [`Types::push_eq`].
    pub fn eq_of(&self, id: TypeId) -> Option<TypeId> {
        self.eqs.get(&id).copied()
    }

    /// A fresh resource type (generativity).
    pub fn fresh_resource(&mut self, info: ResourceInfo) -> ResourceId {
        let id = ResourceId(u32::try_from(self.resources.len()).unwrap_or(u32::MAX));
        self.resources.push(info);
        id
    }

    /// A fresh resource type with the same representation as `r` but no
    /// defining component (what the outside of an instance sees).
    pub fn fresh_abstract(&mut self, r: ResourceId) -> ResourceId {
        let rep = self.resource(r).and_then(|i| i.rep);
        self.fresh_resource(ResourceInfo {
            rep,
            defined_by: None,
            alias_of: None,
        })
    }

    /// Another name for resource `r`: the same type, a different index.
    pub fn alias_resource(&mut self, r: ResourceId) -> ResourceId {
        let c = self.canonical(r);
        let info = self.resource(c).cloned().unwrap_or(ResourceInfo {
            rep: None,
            defined_by: None,
            alias_of: None,
        });
        self.fresh_resource(ResourceInfo {
            alias_of: Some(c),
            ..info
        })
    }

    /// The resource type `r` names (itself unless it is an alias).
    pub fn canonical(&self, r: ResourceId) -> ResourceId {
        match self.resource(r).and_then(|i| i.alias_of) {
            Some(c) => c,
            None => r,
        }
    }

    /// What is known about a resource type.
    pub fn resource(&self, r: ResourceId) -> Option<&ResourceInfo> {
        self.resources.get(r.0 as usize)
    }

    /// The defined value type behind `id`, if it is one.
    pub fn defined(&self, id: TypeId) -> Option<&DefinedType> {
        match self.get(id) {
            TypeDef::Defined(d) => Some(d),
            _ => None,
        }
    }

    /// The function type behind `id`, if it is one.
    pub fn func(&self, id: TypeId) -> Option<&FuncType> {
        match self.get(id) {
            TypeDef::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The instance type behind `id`, if it is one.
    pub fn instance(&self, id: TypeId) -> Option<&InstanceType> {
        match self.get(id) {
            TypeDef::Instance(i) => Some(i),
            _ => None,
        }
    }

    /// The component type behind `id`, if it is one.
    pub fn component(&self, id: TypeId) -> Option<&ComponentType> {
        match self.get(id) {
            TypeDef::Component(c) => Some(c),
            _ => None,
        }
    }

    /// The module type behind `id`, if it is one.
    pub fn module(&self, id: TypeId) -> Option<&ModuleType> {
        match self.get(id) {
            TypeDef::Module(m) => Some(m),
            _ => None,
        }
    }

    /// The resource behind a type entry, if it is a resource type.
    pub fn resource_of(&self, id: TypeId) -> Option<ResourceId> {
        match self.get(id) {
            TypeDef::Resource(r) => Some(*r),
            _ => None,
        }
    }

    /// Whether a value type transitively contains a `borrow`.
    pub fn contains_borrow(&self, t: ValType) -> bool {
        self.any_val(t, &mut |d| matches!(d, DefinedType::Borrow(_)))
    }

    /// Whether a value type transitively refers to any resource type.
    pub fn refers_to_resource(&self, t: ValType) -> bool {
        self.any_val(t, &mut |d| {
            matches!(d, DefinedType::Own(_) | DefinedType::Borrow(_))
        })
    }

    /// Whether `pred` holds for any defined type transitively inside `t`.
    /// (Stream and future payloads are included.)
    pub fn any_val(&self, t: ValType, pred: &mut dyn FnMut(&DefinedType) -> bool) -> bool {
        let ValType::Defined(id) = t else {
            return false;
        };
        let Some(d) = self.defined(id) else {
            return false;
        };
        if pred(d) {
            return true;
        }
        let children = children(d);
        children.into_iter().any(|c| self.any_val(c, pred))
    }

    /// Whether any type transitively inside type entry `id` refers to a
    /// resource (used for outer aliases across components).
    pub fn type_refers_to_resource(&self, id: TypeId) -> bool {
        match self.get(id) {
            TypeDef::Resource(_) => true,
            TypeDef::Defined(_) => self.refers_to_resource(ValType::Defined(id)),
            TypeDef::Func(f) => {
                f.params.iter().any(|(_, t)| self.refers_to_resource(*t))
                    || f.result.is_some_and(|t| self.refers_to_resource(t))
            }
            TypeDef::Instance(i) => i
                .exports
                .iter()
                .any(|(_, e)| self.extern_refers_to_resource(e)),
            TypeDef::Component(c) => c
                .imports
                .iter()
                .chain(c.exports.iter())
                .any(|(_, e)| self.extern_refers_to_resource(e)),
            TypeDef::Module(_) | TypeDef::CoreInstance(_) => false,
        }
    }

    fn extern_refers_to_resource(&self, e: &ExternType) -> bool {
        match e {
            ExternType::CoreModule(_) => false,
            ExternType::Value(v) => self.refers_to_resource(*v),
            ExternType::Func(t)
            | ExternType::Type(t)
            | ExternType::Instance(t)
            | ExternType::Component(t) => self.type_refers_to_resource(*t),
        }
    }
}

/// The value types directly inside a defined type.
pub fn children(d: &DefinedType) -> Vec<ValType> {
    match d {
        DefinedType::Primitive(_)
        | DefinedType::Flags(_)
        | DefinedType::Enum(_)
        | DefinedType::Own(_)
        | DefinedType::Borrow(_) => Vec::new(),
        DefinedType::Record(fs) => fs.iter().map(|(_, t)| *t).collect(),
        DefinedType::Variant(cs) => cs.iter().filter_map(|(_, t)| *t).collect(),
        DefinedType::List(t) | DefinedType::FixedLengthList(t, _) | DefinedType::Option(t) => {
            alloc::vec![*t]
        }
        DefinedType::Tuple(ts) => ts.clone(),
        DefinedType::Result { ok, err } => ok.iter().chain(err.iter()).copied().collect(),
        DefinedType::Map(k, v) => alloc::vec![*k, *v],
        DefinedType::Stream(t) | DefinedType::Future(t) => t.iter().copied().collect(),
    }
}
