//! Core definitions in components (Explainer.md "Component Definitions",
//! "Instance Definitions", "Type Definitions": `core:module`,
//! `core:instance`, `core:type` with `core:moduletype`).

use alloc::string::String;
use alloc::vec::Vec;

pub use wasmparser::{ExternalKind as CoreSort, RecGroup, TypeRef as CoreExternType};

/// `core:module`: a whole core module, kept as its bytes. Core validation is
/// wasmparser's; the component model only needs the module's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreModule {
    /// The module's binary, from its preamble to its end.
    pub bytes: Vec<u8>,
    /// Byte offset of `bytes` in the outermost binary.
    pub offset: usize,
}

/// `core:instance ::= (instance <id>? <instanceexpr>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreInstance {
    /// `(instantiate <core:moduleidx> <core:instantiatearg>*)`.
    Instantiate {
        /// The module instantiated.
        module: u32,
        /// `(with <core:name> (instance <core:instanceidx>))`.
        args: Vec<(String, u32)>,
    },
    /// `<core:inlineexport>*`: an instance made of exported core items.
    FromExports(Vec<CoreInlineExport>),
}

/// `core:inlineexport ::= (export <core:name> <core:sortidx>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreInlineExport {
    /// The export's name.
    pub name: String,
    /// The sort of the exported item.
    pub sort: CoreSort,
    /// Its index in that sort's index space.
    pub index: u32,
}

/// `core:type`: a core rec group (function types) or a module type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreType {
    /// A core WebAssembly rec group (`core:rectype`).
    Rec(RecGroup),
    /// `core:moduletype ::= (module <core:moduledecl>*)`.
    Module(Vec<CoreModuleDecl>),
}

/// `core:moduledecl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreModuleDecl {
    /// `core:importdecl ::= (import <core:name> <core:name> <core:externtype>)`.
    Import {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
        /// Its type.
        ty: CoreExternType,
    },
    /// `core:type`.
    Type(RecGroup),
    /// `core:alias ::= (alias outer <idx> <idx> (type <id>?))`.
    OuterAlias {
        /// Enclosing scopes to skip.
        count: u32,
        /// Index in the target's core type index space.
        index: u32,
    },
    /// `core:exportdecl ::= (export <core:name> <core:externtype>)`.
    Export {
        /// Export name.
        name: String,
        /// Its type.
        ty: CoreExternType,
    },
}
