//! witness-interp: running things.
//!
//! - [`core_wasm`]: a resumable interpreter for core WebAssembly modules
//!   (the core specification's "Execution" chapter). Every call of an imported
//!   function returns control to the embedder, which resumes the stack with
//!   the call's results; that is what component-model threads stand on.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod component;
pub mod core_wasm;
