//! Instance Definitions (Explainer.md "Instance Definitions").

use alloc::string::String;
use alloc::vec::Vec;

use super::{ExternName, Sort};

/// `instance ::= (instance <id>? <instanceexpr>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instance {
    /// `(instantiate <componentidx> <instantiatearg>*)`.
    Instantiate {
        /// The component instantiated.
        component: u32,
        /// `(with <name> <sortidx>)`.
        args: Vec<InstantiateArg>,
    },
    /// `<inlineexport>*`.
    FromExports(Vec<InlineExport>),
}

/// `instantiatearg ::= (with <name> <sortidx>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstantiateArg {
    /// The import it supplies.
    pub name: String,
    /// The sort of the supplied definition.
    pub sort: Sort,
    /// Its index in that sort's index space.
    pub index: u32,
}

/// `inlineexport ::= (export <externname> <sortidx>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineExport {
    /// The export's name.
    pub name: ExternName,
    /// The sort of the exported definition.
    pub sort: Sort,
    /// Its index.
    pub index: u32,
}
