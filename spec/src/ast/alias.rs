//! Alias Definitions (Explainer.md "Alias Definitions").

use alloc::string::String;

use super::{CoreSort, Sort};

/// `alias ::= (alias <aliastarget> (<sort> <id>?))`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alias {
    /// `(alias export <instanceidx> <name> (<sort>))`.
    Export {
        /// The component instance.
        instance: u32,
        /// The export's name.
        name: String,
        /// The sort of the new index.
        sort: Sort,
    },
    /// `(alias core export <core:instanceidx> <core:name> (core <core:sort>))`.
    CoreExport {
        /// The core instance.
        instance: u32,
        /// The export's name.
        name: String,
        /// The core sort of the new index.
        sort: CoreSort,
    },
    /// `(alias outer <u32> <u32> (<outeraliassort>))`.
    Outer {
        /// Enclosing scopes to skip (a de Bruijn index).
        count: u32,
        /// Index in the target scope's index space of `sort`.
        index: u32,
        /// `core module`, `core type`, `type` or `component`.
        sort: OuterAliasSort,
    },
}

/// `outeraliassort ::= core module | core type | component | type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OuterAliasSort {
    /// `core module`.
    CoreModule,
    /// `core type`.
    CoreType,
    /// `type`.
    Type,
    /// `component`.
    Component,
}
