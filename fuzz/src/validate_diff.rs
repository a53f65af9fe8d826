//! Validation differential for core modules: witness's
//! [`Module::new`](witness_interp::core_wasm::Module::new) and wasmparser's
//! validator (with wasmparser's default features, the set witness loads)
//! accept and reject the same modules.
//!
//! Modules come from wasm-smith, GC mostly off (witness rejects GC as
//! unsupported), sometimes with function bodies that may be invalid
//! (wasm-smith's `allow_invalid_funcs`) and sometimes with byte mutations,
//! so that both sides of the line are reached. A module witness calls
//! [`Unsupported`](ModuleErrorKind::Unsupported) is no opinion: it is
//! counted, and it must still be one wasmparser accepts.

use crate::{mutate, smith, stats};
use arbitrary::{Result, Unstructured};
use wasmparser::{Validator, WasmFeatures};
use witness_interp::core_wasm::{Module, ModuleErrorKind};

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = generate(&mut u) else {
        return;
    };
    crate::plain::generated(&bytes);
    let oracle = Validator::new_with_features(WasmFeatures::default()).validate_all(&bytes);
    let witness = Module::new(&bytes);
    match (&witness, &oracle) {
        (Ok(_), Ok(_)) => stats::count("both accept"),
        (Err(e), Err(_)) if e.kind != ModuleErrorKind::Unsupported => stats::count("both reject"),
        (Err(e), Ok(_)) if e.kind == ModuleErrorKind::Unsupported => {
            stats::count("witness: unsupported")
        }
        (Ok(_), Err(o)) => panic!("witness accepts a module wasmparser rejects: {o}"),
        (Err(e), Ok(_)) => panic!("witness rejects a module wasmparser accepts: {e}"),
        (Err(e), Err(o)) => {
            panic!("witness calls a module unsupported that wasmparser rejects: {e}; {o}")
        }
    }
}

fn generate(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut c = smith::config(u)?;
    if !u.ratio(1, 10)? {
        smith::no_gc(&mut c);
    }
    c.allow_invalid_funcs = u.ratio(1, 4)?;
    let mut bytes = smith::module(c, u)?;
    if u.ratio(1, 4)? {
        mutate::mutate(&mut bytes, u, 3);
    }
    Ok(bytes)
}
