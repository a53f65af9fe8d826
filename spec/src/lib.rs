//! witness-spec: what a component *is* (Explainer.md, Binary.md, WIT.md).
//!
//! The component AST, its validation and WIT arrive with later work; the crate
//! exists now so that the dependency direction `spec <- canonical <- interp`
//! is fixed from the start.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
