//! witness-canonical: CanonicalABI.md, definition by definition.
//!
//! The definitions arrive with the synchronous and asynchronous Canonical ABI
//! work; the crate exists now so that the dependency direction is fixed.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
