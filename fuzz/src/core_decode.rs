//! Robustness of core-module loading: any bytes given to
//! [`witness_interp::core_wasm::Module::new`] (decode, validate, translate)
//! give a module or an error, never a panic, a hang or a memory blow-up.
//!
//! The first byte picks the input's shape: the raw bytes, the bytes behind a
//! module preamble, or a wasm-smith module (every feature possible, GC
//! included) with a few byte mutations.

use crate::{MODULE_PREAMBLE, mutate, smith, stats};
use arbitrary::Unstructured;
use witness_interp::core_wasm::{Module, ModuleErrorKind};

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = match mode % 4 {
        0 => rest.to_vec(),
        1 => [MODULE_PREAMBLE, rest].concat(),
        _ => {
            let mut u = Unstructured::new(rest);
            let Ok(mut bytes) = smith::config(&mut u).and_then(|c| smith::module(c, &mut u)) else {
                return;
            };
            if mode % 4 == 3 {
                mutate::mutate(&mut bytes, &mut u, 4);
            }
            bytes
        }
    };
    crate::plain::generated(&bytes);
    stats::count(match Module::new(&bytes) {
        Ok(_) => "valid",
        Err(e) => match e.kind {
            ModuleErrorKind::Malformed => "malformed",
            ModuleErrorKind::Invalid => "invalid",
            ModuleErrorKind::Unsupported => "unsupported",
        },
    });
}
