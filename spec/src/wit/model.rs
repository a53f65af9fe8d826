//! The resolved form of WIT (WIT.md "WIT Packages and `use`", "WIT
//! Interfaces", "WIT Worlds", "WIT Types"): arenas of packages, interfaces,
//! worlds and types, referring to each other by index. A `use` of a type is
//! a type whose definition is another type (`TypeDefKind::Type`) owned by
//! another interface, the way the component model's type exports alias.

use super::map::OrderedMap;
use super::source::{SourceMap, Span};
use super::version::Version;
use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Index of a package.
pub type PackageId = usize;
/// Index of an interface.
pub type InterfaceId = usize;
/// Index of a world.
pub type WorldId = usize;
/// Index of a type definition.
pub type TypeId = usize;

/// `ns:name@version`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackageName {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: Option<Version>,
}

impl fmt::Display for PackageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.namespace, self.name)?;
        if let Some(v) = &self.version {
            write!(f, "@{v}")?;
        }
        Ok(())
    }
}

/// Doc comments, joined with newlines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// The text, if any.
    pub contents: Option<String>,
}

/// A feature gate (WIT.md "Feature Gates").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Stability {
    /// No gate.
    #[default]
    Unknown,
    /// `@since`, maybe `@deprecated`.
    Stable {
        /// `@since` version.
        since: Version,
        /// `@deprecated` version.
        deprecated: Option<Version>,
    },
    /// `@unstable`, maybe `@deprecated`.
    Unstable {
        /// Feature.
        feature: String,
        /// `@deprecated` version.
        deprecated: Option<Version>,
    },
}

/// A package.
#[derive(Debug, Clone)]
pub struct Package {
    /// Name.
    pub name: PackageName,
    /// Docs.
    pub docs: Docs,
    /// Named interfaces, in order.
    pub interfaces: OrderedMap<String, InterfaceId>,
    /// Worlds, in order.
    pub worlds: OrderedMap<String, WorldId>,
}

/// An interface (named, or inline in a world).
#[derive(Debug, Clone)]
pub struct Interface {
    /// Name (`None` for `import x: interface { .. }`).
    pub name: Option<String>,
    /// Named types, `use`d types first.
    pub types: OrderedMap<String, TypeId>,
    /// Functions, resource functions by their `[method]r.f` names.
    pub functions: OrderedMap<String, Function>,
    /// Docs.
    pub docs: Docs,
    /// Gate.
    pub stability: Stability,
    /// Owning package.
    pub package: Option<PackageId>,
    /// Where its name is.
    pub span: Span,
}

/// A world.
#[derive(Debug, Clone)]
pub struct World {
    /// Name.
    pub name: String,
    /// Imports, elaborated.
    pub imports: OrderedMap<WorldKey, WorldItem>,
    /// Exports, elaborated.
    pub exports: OrderedMap<WorldKey, WorldItem>,
    /// Owning package.
    pub package: Option<PackageId>,
    /// Docs.
    pub docs: Docs,
    /// Gate.
    pub stability: Stability,
    /// `include`s not yet applied.
    pub includes: Vec<WorldInclude>,
    /// Where its name is.
    pub span: Span,
}

/// An `include` waiting to be applied.
#[derive(Debug, Clone)]
pub struct WorldInclude {
    /// Gate.
    pub stability: Stability,
    /// The included world.
    pub id: WorldId,
    /// `with { a as b }`.
    pub names: Vec<(String, String)>,
    /// Where.
    pub span: Span,
}

/// The name of a world import or export.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorldKey {
    /// A plain name.
    Name(String),
    /// An interface, named by its id.
    Interface(InterfaceId),
}

/// A world import or export.
#[derive(Debug, Clone)]
pub enum WorldItem {
    /// An instance of an interface.
    Interface {
        /// The interface.
        id: InterfaceId,
        /// Gate.
        stability: Stability,
        /// Docs of the import/export statement.
        docs: Docs,
        /// `@external-id`.
        external_id: Option<String>,
        /// Where.
        span: Span,
    },
    /// A function.
    Function(Function),
    /// A type (imports only).
    Type {
        /// The type.
        id: TypeId,
        /// Where.
        span: Span,
    },
}

impl WorldItem {
    /// The gate of this item.
    pub fn stability<'a>(&'a self, resolve: &'a Resolve) -> &'a Stability {
        match self {
            WorldItem::Interface { stability, .. } => stability,
            WorldItem::Function(f) => &f.stability,
            WorldItem::Type { id, .. } => &resolve.types[*id].stability,
        }
    }

    /// Where.
    pub fn span(&self) -> Span {
        match self {
            WorldItem::Interface { span, .. } | WorldItem::Type { span, .. } => *span,
            WorldItem::Function(f) => f.span,
        }
    }
}

/// A value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Type {
    Bool,
    U8,
    U16,
    U32,
    U64,
    S8,
    S16,
    S32,
    S64,
    F32,
    F64,
    Char,
    String,
    ErrorContext,
    /// A type definition.
    Id(TypeId),
}

/// Who owns a type definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeOwner {
    /// An interface.
    Interface(InterfaceId),
    /// A world.
    World(WorldId),
    /// Nobody: an anonymous type.
    None,
}

/// A type definition.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Name, for named types.
    pub name: Option<String>,
    /// Definition.
    pub kind: TypeDefKind,
    /// Owner.
    pub owner: TypeOwner,
    /// Docs.
    pub docs: Docs,
    /// Gate.
    pub stability: Stability,
    /// `@external-id`.
    pub external_id: Option<String>,
    /// Where.
    pub span: Span,
}

impl TypeDef {
    /// An anonymous type of shape `kind` (`list<u8>`, `borrow<r>`, ...),
    /// written at `span`.
    pub fn anonymous(kind: TypeDefKind, span: Span) -> Self {
        TypeDef {
            name: None,
            kind,
            owner: TypeOwner::None,
            docs: Docs::default(),
            stability: Stability::Unknown,
            external_id: None,
            span,
        }
    }
}

/// The shapes of type definitions (WIT.md "Types").
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum TypeDefKind {
    Record(Vec<Field>),
    Resource,
    Handle(Handle),
    Flags(Vec<Named>),
    Tuple(Vec<Type>),
    Variant(Vec<Case>),
    Enum(Vec<Named>),
    Option(Type),
    Result(Option<Type>, Option<Type>),
    List(Type),
    FixedList(Type, u32),
    Map(Type, Type),
    Future(Option<Type>),
    Stream(Option<Type>),
    /// An alias (`type a = b`, or a `use`).
    Type(Type),
    /// A type of a foreign interface, not yet looked up.
    Unknown,
}

/// `own<r>` / `borrow<r>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Handle {
    Own(TypeId),
    Borrow(TypeId),
}

/// A record field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    pub docs: Docs,
}

/// A flag or enum case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Named {
    pub name: String,
    pub docs: Docs,
}

/// A variant case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Case {
    pub name: String,
    pub ty: Option<Type>,
    pub docs: Docs,
}

/// What kind of function, and for resource functions which resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum FunctionKind {
    Freestanding,
    AsyncFreestanding,
    Method(TypeId),
    AsyncMethod(TypeId),
    Static(TypeId),
    AsyncStatic(TypeId),
    Constructor(TypeId),
}

impl FunctionKind {
    /// The resource, for resource functions.
    pub fn resource(&self) -> Option<TypeId> {
        match *self {
            FunctionKind::Freestanding | FunctionKind::AsyncFreestanding => None,
            FunctionKind::Method(r)
            | FunctionKind::AsyncMethod(r)
            | FunctionKind::Static(r)
            | FunctionKind::AsyncStatic(r)
            | FunctionKind::Constructor(r) => Some(r),
        }
    }

    /// Whether it is `async`.
    pub fn is_async(&self) -> bool {
        matches!(
            self,
            FunctionKind::AsyncFreestanding
                | FunctionKind::AsyncMethod(_)
                | FunctionKind::AsyncStatic(_)
        )
    }
}

/// A function.
#[derive(Debug, Clone)]
pub struct Function {
    /// Name (`[method]r.f` for resource functions).
    pub name: String,
    /// Kind.
    pub kind: FunctionKind,
    /// Parameters (methods start with `self`).
    pub params: Vec<(String, Type)>,
    /// Result.
    pub result: Option<Type>,
    /// Docs.
    pub docs: Docs,
    /// Gate.
    pub stability: Stability,
    /// `@external-id`.
    pub external_id: Option<String>,
    /// Where.
    pub span: Span,
}

impl Function {
    /// The name as written in the source (`f` for `[method]r.f`).
    pub fn item_name(&self) -> &str {
        match self.kind {
            FunctionKind::Freestanding | FunctionKind::AsyncFreestanding => &self.name,
            FunctionKind::Constructor(_) => "constructor",
            _ => match self.name.split_once('.') {
                Some((_, n)) => n,
                None => &self.name,
            },
        }
    }
}

/// Everything resolved so far: packages in dependency order.
#[derive(Debug, Clone, Default)]
pub struct Resolve {
    /// Packages.
    pub packages: Vec<Package>,
    /// Interfaces.
    pub interfaces: Vec<Interface>,
    /// Worlds.
    pub worlds: Vec<World>,
    /// Types.
    pub types: Vec<TypeDef>,
    /// Package ids by name.
    pub package_names: OrderedMap<PackageName, PackageId>,
    /// Enabled `@unstable` features.
    pub features: BTreeSet<String>,
    /// Whether every feature is enabled.
    pub all_features: bool,
    /// All sources read.
    pub sources: SourceMap,
}

impl Resolve {
    /// An empty resolve with no features enabled.
    pub fn new() -> Self {
        Self::default()
    }

    /// `ns:pkg/iface@v` for a named interface.
    pub fn id_of(&self, id: InterfaceId) -> Option<String> {
        let iface = &self.interfaces[id];
        let name = iface.name.as_ref()?;
        let pkg = &self.packages[iface.package?].name;
        let mut s = alloc::format!("{}:{}/{}", pkg.namespace, pkg.name, name);
        if let Some(v) = &pkg.version {
            s.push('@');
            s.push_str(&alloc::format!("{v}"));
        }
        Some(s)
    }

    /// The interface a `use`d type comes from, if `id` is a use of a type
    /// of another interface.
    pub fn type_interface_dep(&self, id: TypeId) -> Option<InterfaceId> {
        let ty = &self.types[id];
        let TypeDefKind::Type(Type::Id(other)) = ty.kind else {
            return None;
        };
        let other = &self.types[other];
        if other.owner == ty.owner {
            return None;
        }
        match other.owner {
            TypeOwner::Interface(i) => Some(i),
            _ => None,
        }
    }

    /// The interfaces interface `id` uses types from, in order.
    pub fn interface_direct_deps(&self, id: InterfaceId) -> Vec<InterfaceId> {
        self.interfaces[id]
            .types
            .values()
            .filter_map(|t| self.type_interface_dep(*t))
            .collect()
    }

    /// Follows aliases from `id` to the definition.
    pub fn resolve_alias(&self, mut id: TypeId) -> TypeId {
        for _ in 0..self.types.len() + 1 {
            match self.types[id].kind {
                TypeDefKind::Type(Type::Id(next)) => id = next,
                _ => break,
            }
        }
        id
    }

    /// Whether `feature` is enabled.
    pub fn feature_enabled(&self, feature: &str) -> bool {
        self.all_features || self.features.contains(feature)
    }
}
