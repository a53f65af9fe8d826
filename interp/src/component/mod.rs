//! Components at run time: instantiation and linking of components
//! (Explainer.md), the bridge between the Canonical ABI's store
//! (witness-canonical) and the core interpreter, and the embedding API.
//!
//! | module | spec section |
//! |---|---|
//! | [`code`] | Explainer.md "Component Definitions" (prepared once) |
//! | [`index_spaces`] | Explainer.md "Index Spaces" |
//! | [`instantiate`] | Explainer.md "Instance Definitions", "Alias Definitions", "Import and Export Definitions" |
//! | [`types`] | Explainer.md "Type Definitions" |
//! | [`canon`] | Explainer.md "Canonical Definitions" |
//! | [`builtins`] | Explainer.md "Canonical Built-ins" |
//! | [`bridge`] | CanonicalABI.md "Embedding" (the core side) |
//! | [`host`] | host functions and resources as `FuncInst`s |
//! | [`import_check`] | an import's type against what the host gives for it |
//! | [`semver`] | versioned interface names |
//!
//! The embedding API, one shape per concept: [`Engine`], [`Component`],
//! [`Store`], [`Linker`], [`Instance`], [`Func`] and [`Val`].

pub mod bridge;
pub mod builtins;
pub mod canon;
pub mod code;
pub mod engine;
pub mod error;
pub mod host;
pub mod import_check;
pub mod index_spaces;
pub mod instance;
pub mod instantiate;
pub mod linker;
pub mod semver;
pub mod store;
pub mod types;

pub use engine::{Component, Engine};
pub use error::Error;
pub use host::{HostDtor, HostFunc};
pub use instance::{Export, Func, Instance};
pub use linker::Linker;
pub use store::Store;
pub use witness_canonical::{
    CaseType, FieldType, FuncType, ResourceType, StringValue, Trap, TrapKind, ValType,
};
/// A component value, as the Canonical ABI lifts and lowers it.
pub type Val = witness_canonical::Value;

#[cfg(test)]
mod api_tests;
#[cfg(test)]
mod tests;
