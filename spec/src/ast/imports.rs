//! Import and Export Definitions (Explainer.md "Import and Export
//! Definitions") and `externtype` (Explainer.md "Declarators").

use alloc::string::String;

use super::ValType;

/// `sort` as used by component-level imports, exports, aliases and
/// instantiation arguments (the one core sort allowed there is `module`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sort {
    /// `core module`.
    CoreModule,
    /// `func`.
    Func,
    /// 🪙 `value`.
    Value,
    /// `type`.
    Type,
    /// `component`.
    Component,
    /// `instance`.
    Instance,
}

impl Sort {
    /// The text-format keyword(s).
    pub fn name(self) -> &'static str {
        match self {
            Sort::CoreModule => "module",
            Sort::Func => "func",
            Sort::Value => "value",
            Sort::Type => "type",
            Sort::Component => "component",
            Sort::Instance => "instance",
        }
    }
}

/// An `externname` with its `attribute`s (🏷️/🔗).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternName {
    /// The name (a `plainname` or an `interfacename`).
    pub name: String,
    /// 🏷️ `(implements <interfacename>)`.
    pub implements: Option<String>,
    /// 🔗 `(versionsuffix <semversuffix>)`.
    pub version_suffix: Option<String>,
    /// 🏷️ `(external-id <name>)`.
    pub external_id: Option<String>,
}

/// `externtype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternType {
    /// `(core module (type <typeidx>))`.
    CoreModule(u32),
    /// `(func (type <typeidx>))`.
    Func(u32),
    /// 🪙 `(value <valuebound>)` (only the `valtype` bound is encoded).
    Value(ValType),
    /// `(type <typebound>)`.
    Type(TypeBound),
    /// `(component (type <typeidx>))`.
    Component(u32),
    /// `(instance (type <typeidx>))`.
    Instance(u32),
}

impl ExternType {
    /// The sort this extern type describes.
    pub fn sort(&self) -> Sort {
        match self {
            ExternType::CoreModule(_) => Sort::CoreModule,
            ExternType::Func(_) => Sort::Func,
            ExternType::Value(_) => Sort::Value,
            ExternType::Type(_) => Sort::Type,
            ExternType::Component(_) => Sort::Component,
            ExternType::Instance(_) => Sort::Instance,
        }
    }
}

/// `typebound ::= (eq <typeidx>) | (sub resource)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeBound {
    /// `(eq <typeidx>)`.
    Eq(u32),
    /// `(sub resource)`.
    SubResource,
}

/// `import ::= (import <externnamelit> <attribute>* bind-id(<externtype>))`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Name and attributes.
    pub name: ExternName,
    /// Its type.
    pub ty: ExternType,
}

/// `export ::= (export <id>? <externnamelit> <attribute>* <sortidx> <externtype>?)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Name and attributes.
    pub name: ExternName,
    /// The sort of the exported definition.
    pub sort: Sort,
    /// Its index.
    pub index: u32,
    /// The optional type ascription.
    pub ty: Option<ExternType>,
}
