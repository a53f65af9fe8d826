//! Grammar (Explainer.md "Grammar"): a component as Rust data.
//!
//! The AST is decoded from the binary format (Binary.md) with wasmparser's
//! readers (see [`decode`](crate::decode)); it keeps indices as they are in
//! the binary (index spaces are resolved by validation, not here). Every
//! definition remembers its byte offset so that errors can point at it.

pub mod alias;
pub mod canon;
pub mod core;
pub mod definitions;
pub mod imports;
pub mod instances;
pub mod types;

pub use self::alias::*;
pub use self::canon::*;
pub use self::core::*;
pub use self::definitions::*;
pub use self::imports::*;
pub use self::instances::*;
pub use self::types::*;
