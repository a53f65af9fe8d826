//! Robustness of component loading: any bytes given to witness-spec's
//! [`validate`](witness_spec::validate) (decode, then validate) give a
//! component type or an error, never a panic, a hang or a memory blow-up.
//!
//! The first byte picks the input's shape (the raw bytes, the bytes behind a
//! component preamble, or a wasm-smith component with a few byte mutations)
//! and the feature gates (all, none, or the reference tests' set).

use crate::{COMPONENT_PREAMBLE, mutate, smith, stats};
use arbitrary::Unstructured;
use witness_spec::Features;

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let features = match (mode >> 2) % 3 {
        0 => Features::ALL,
        1 => Features::NONE,
        _ => Features::REFERENCE_TESTS,
    };
    let bytes = match mode % 4 {
        0 => rest.to_vec(),
        1 => [COMPONENT_PREAMBLE, rest].concat(),
        _ => {
            let mut u = Unstructured::new(rest);
            let Ok(mut bytes) = smith::config(&mut u).and_then(|c| smith::component(c, &mut u))
            else {
                return;
            };
            if mode % 4 == 3 {
                mutate::mutate(&mut bytes, &mut u, 4);
            }
            bytes
        }
    };
    crate::plain::generated(&bytes);
    stats::count(match witness_spec::validate(&bytes, &features) {
        Ok(_) => "valid",
        Err(_) => "rejected",
    });
}
