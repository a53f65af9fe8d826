//! The WIT grammar as Rust types (WIT.md "Top-level items" through
//! "Handles"): what the parser produces, before any name is resolved.

use super::source::Span;
use super::version::Version;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// An identifier with its span (`%` already stripped).
#[derive(Debug, Clone)]
pub struct Id {
    /// The name.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// Raw comment texts before an item.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    /// Each comment's text, as written.
    pub comments: Vec<String>,
    /// Where the first comment starts.
    pub span: Option<Span>,
}

/// `package-decl`.
#[derive(Debug, Clone)]
pub struct PackageName {
    /// Docs before `package`.
    pub docs: Docs,
    /// Span of the whole name.
    pub span: Span,
    /// Namespace.
    pub namespace: Id,
    /// Name.
    pub name: Id,
    /// Version.
    pub version: Option<(Span, Version)>,
}

/// One file (or one nested `package ... { }` block).
#[derive(Debug, Clone)]
pub struct PackageFile {
    /// `package ns:name@v;` at the top, or the nested block's name.
    pub package: Option<PackageName>,
    /// Items.
    pub items: Vec<Item>,
}

/// `package-items` and nested packages.
#[derive(Debug, Clone)]
pub enum Item {
    /// `interface-item`.
    Interface(Interface),
    /// `world-item`.
    World(World),
    /// `toplevel-use-item`.
    Use(ToplevelUse),
    /// `nested-package-definition`.
    Package(PackageFile),
}

/// Gates and `@external-id`.
#[derive(Debug, Clone)]
pub enum Attribute {
    /// `@since(version = ..)`.
    Since {
        /// Span of `since`.
        span: Span,
        /// Version.
        version: Version,
    },
    /// `@unstable(feature = ..)`.
    Unstable {
        /// Span of `unstable`.
        span: Span,
        /// Feature.
        feature: Id,
    },
    /// `@deprecated(version = ..)`.
    Deprecated {
        /// Span of `deprecated`.
        span: Span,
        /// Version.
        version: Version,
    },
    /// `@external-id("..")` 🏷️.
    ExternalId {
        /// Span of `external-id`.
        span: Span,
        /// The decoded string.
        id: String,
    },
}

/// `toplevel-use-item`.
#[derive(Debug, Clone)]
pub struct ToplevelUse {
    /// Span of `use`.
    pub span: Span,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// The path.
    pub item: UsePath,
    /// `as` name.
    pub as_: Option<Id>,
}

/// `use-path`.
#[derive(Debug, Clone)]
pub enum UsePath {
    /// A local interface or world.
    Id(Id),
    /// `ns:pkg/name@v`.
    Package {
        /// Package name.
        id: PackageName,
        /// Interface or world.
        name: Id,
    },
}

impl UsePath {
    /// The last name.
    pub fn name(&self) -> &Id {
        match self {
            UsePath::Id(id) => id,
            UsePath::Package { name, .. } => name,
        }
    }
}

/// `interface-item`.
#[derive(Debug, Clone)]
pub struct Interface {
    /// Docs.
    pub docs: Docs,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// Name.
    pub name: Id,
    /// Items.
    pub items: Vec<InterfaceItem>,
}

/// `interface-items`.
#[derive(Debug, Clone)]
pub enum InterfaceItem {
    /// `typedef-item`.
    TypeDef(TypeDef),
    /// `func-item`.
    Func(NamedFunc),
    /// `use-item`.
    Use(Use),
}

/// `use-item`.
#[derive(Debug, Clone)]
pub struct Use {
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// From where.
    pub from: UsePath,
    /// Names (with `as`).
    pub names: Vec<(Id, Option<Id>)>,
}

/// `world-item`.
#[derive(Debug, Clone)]
pub struct World {
    /// Docs.
    pub docs: Docs,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// Name.
    pub name: Id,
    /// Items.
    pub items: Vec<WorldItem>,
}

/// `world-definition`.
#[derive(Debug, Clone)]
pub enum WorldItem {
    /// `import-item`.
    Import(Extern),
    /// `export-item`.
    Export(Extern),
    /// `use-item`.
    Use(Use),
    /// `typedef-item`.
    Type(TypeDef),
    /// `include-item`.
    Include(Include),
}

/// An import or an export.
#[derive(Debug, Clone)]
pub struct Extern {
    /// Docs.
    pub docs: Docs,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// What.
    pub kind: ExternKind,
}

/// `extern-type` with its name.
#[derive(Debug, Clone)]
pub enum ExternKind {
    /// `id: interface { .. }`.
    Interface(Id, Vec<InterfaceItem>),
    /// `use-path;`.
    Path(UsePath),
    /// `id: func-type;`.
    Func(Id, Func),
    /// `id: use-path;` 🏷️.
    NamedPath(Id, UsePath),
}

impl ExternKind {
    /// The span errors about this import/export point at.
    pub fn span(&self) -> Span {
        match self {
            ExternKind::Interface(id, _)
            | ExternKind::Func(id, _)
            | ExternKind::NamedPath(id, _) => id.span,
            ExternKind::Path(p) => p.name().span,
        }
    }
}

/// `include-item`.
#[derive(Debug, Clone)]
pub struct Include {
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// The world.
    pub from: UsePath,
    /// `with { a as b }`.
    pub names: Vec<(Id, Id)>,
}

/// A named type definition.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Docs.
    pub docs: Docs,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// Name.
    pub name: Id,
    /// Definition.
    pub ty: Type,
}

/// `ty` and the bodies of `typedef-item`s.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum Type {
    Bool(Span),
    U8(Span),
    U16(Span),
    U32(Span),
    U64(Span),
    S8(Span),
    S16(Span),
    S32(Span),
    S64(Span),
    F32(Span),
    F64(Span),
    Char(Span),
    String(Span),
    ErrorContext(Span),
    Name(Id),
    List(Span, Box<Type>),
    FixedList(Span, Box<Type>, u32),
    Map(Span, Box<Type>, Box<Type>),
    Own(Id),
    Borrow(Id),
    Resource(Span, Vec<ResourceFunc>),
    Record(Span, Vec<Field>),
    Flags(Span, Vec<Flag>),
    Variant(Span, Vec<Case>),
    Enum(Span, Vec<Flag>),
    Tuple(Span, Vec<Type>),
    Option(Span, Box<Type>),
    Result(Span, Option<Box<Type>>, Option<Box<Type>>),
    Future(Span, Option<Box<Type>>),
    Stream(Span, Option<Box<Type>>),
}

impl Type {
    /// Where.
    pub fn span(&self) -> Span {
        use Type::*;
        match self {
            Bool(s) | U8(s) | U16(s) | U32(s) | U64(s) | S8(s) | S16(s) | S32(s) | S64(s)
            | F32(s) | F64(s) | Char(s) | String(s) | ErrorContext(s) => *s,
            Name(id) | Own(id) | Borrow(id) => id.span,
            List(s, _)
            | FixedList(s, _, _)
            | Map(s, _, _)
            | Resource(s, _)
            | Record(s, _)
            | Flags(s, _)
            | Variant(s, _)
            | Enum(s, _)
            | Tuple(s, _)
            | Option(s, _)
            | Result(s, _, _)
            | Future(s, _)
            | Stream(s, _) => *s,
        }
    }
}

/// A record field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Docs.
    pub docs: Docs,
    /// Name.
    pub name: Id,
    /// Type.
    pub ty: Type,
}

/// A flag or an enum case.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Docs.
    pub docs: Docs,
    /// Name.
    pub name: Id,
}

/// A variant case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Docs.
    pub docs: Docs,
    /// Name.
    pub name: Id,
    /// Payload.
    pub ty: Option<Type>,
}

/// `resource-method`.
#[derive(Debug, Clone)]
pub enum ResourceFunc {
    /// `id: func-type;`.
    Method(NamedFunc),
    /// `id: static func-type;`.
    Static(NamedFunc),
    /// `constructor(..);`.
    Constructor(NamedFunc),
}

impl ResourceFunc {
    /// The function.
    pub fn func(&self) -> &NamedFunc {
        match self {
            ResourceFunc::Method(f) | ResourceFunc::Static(f) | ResourceFunc::Constructor(f) => f,
        }
    }
}

/// `func-item`.
#[derive(Debug, Clone)]
pub struct NamedFunc {
    /// Docs.
    pub docs: Docs,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// Name.
    pub name: Id,
    /// Type.
    pub func: Func,
}

/// `func-type`.
#[derive(Debug, Clone)]
pub struct Func {
    /// Span of `func` (or `constructor`).
    pub span: Span,
    /// `async`.
    pub is_async: bool,
    /// Parameters.
    pub params: Vec<(Id, Type)>,
    /// Result.
    pub result: Option<Type>,
}
