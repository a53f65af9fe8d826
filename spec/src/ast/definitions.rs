//! Component Definitions (Explainer.md "Component Definitions").
//!
//! `component ::= (component <id>? <definition>*)`; `definition` is one of
//! core-module, core-instance, core-type, component, instance, alias, type,
//! canon, start 🪙, import, export, value 🪙.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Alias, Canon, CoreInstance, CoreModule, CoreType, Export, Import, Instance, Type};

/// A component: its definitions in binary order, and its custom sections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Component {
    /// The definitions, one per item of each section, in order.
    pub definitions: Vec<Definition>,
    /// Custom sections, kept for tools (names, producers, ...).
    pub custom_sections: Vec<CustomSection>,
    /// Byte offset of the component's preamble.
    pub offset: usize,
}

/// One definition with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Byte offset of the definition in the outermost binary.
    pub offset: usize,
    /// The definition itself.
    pub kind: DefinitionKind,
}

/// `definition` of Explainer.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionKind {
    /// `core-prefix(<core:module>)`.
    CoreModule(CoreModule),
    /// `core-prefix(<core:instance>)`.
    CoreInstance(CoreInstance),
    /// `core-prefix(<core:type>)`.
    CoreType(CoreType),
    /// A nested `component`.
    Component(Component),
    /// `instance`.
    Instance(Instance),
    /// `alias`.
    Alias(Alias),
    /// `type`.
    Type(Type),
    /// `canon`.
    Canon(Canon),
    /// 🪙 `start`.
    Start(Start),
    /// `import`.
    Import(Import),
    /// `export`.
    Export(Export),
}

impl DefinitionKind {
    /// The grammar's name for this kind of definition.
    pub fn name(&self) -> &'static str {
        match self {
            DefinitionKind::CoreModule(_) => "core module",
            DefinitionKind::CoreInstance(_) => "core instance",
            DefinitionKind::CoreType(_) => "core type",
            DefinitionKind::Component(_) => "component",
            DefinitionKind::Instance(_) => "instance",
            DefinitionKind::Alias(_) => "alias",
            DefinitionKind::Type(_) => "type",
            DefinitionKind::Canon(_) => "canon",
            DefinitionKind::Start(_) => "start",
            DefinitionKind::Import(_) => "import",
            DefinitionKind::Export(_) => "export",
        }
    }
}

/// A custom section (Binary.md reuses `core:custom`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSection {
    /// The section's name.
    pub name: String,
    /// Its payload.
    pub data: Vec<u8>,
}

/// 🪙 `start ::= (start <funcidx> (value <valueidx>)* (result (value <id>?))*)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// The function to call.
    pub func: u32,
    /// Its arguments, from the value index space.
    pub args: Vec<u32>,
    /// How many results it appends to the value index space.
    pub results: u32,
}
