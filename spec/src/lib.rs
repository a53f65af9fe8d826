//! witness-spec: what a component *is* (Explainer.md, Binary.md, WIT.md).
//!
//! | module | spec section |
//! |---|---|
//! | [`ast`] | Explainer.md "Grammar" |
//! | [`decode`] | Binary.md |
//! | [`types`] | Explainer.md "Type Definitions", "Type Checking" |
//! | [`validate`] | Explainer.md validation rules, Binary.md "Notes" |
//! | [`features`] | Explainer.md "Gated Features" |
//! | [`wit`] | WIT.md |
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod ast;
pub mod decode;
pub mod error;
pub mod features;

pub use decode::decode_component;
pub use error::{Error, ErrorKind, Result};
pub use features::Features;
pub mod types;
pub mod validate;
pub mod wit;

pub use validate::{Validated, validate};
