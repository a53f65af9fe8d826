//! Validation differential for components: witness-spec's
//! [`validate`](witness_spec::validate) and wasmparser's component validator
//! (with the same gates, [`Features::wasmparser`]) accept and reject the
//! same components.
//!
//! Components come from wasm-smith (which builds valid ones), sometimes with
//! byte mutations so that rejections are compared too.

use crate::{mutate, smith, stats};
use arbitrary::{Result, Unstructured};
use wasmparser::Validator;
use witness_spec::Features;

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok((bytes, features)) = generate(&mut u) else {
        return;
    };
    crate::plain::generated(&bytes);
    if wasmparser::Parser::is_core_wasm(&bytes) {
        // A mutation made it a core module, which wasmparser's `validate_all`
        // validates as one; witness-spec validates components only.
        stats::count("mutated into a core module");
        return;
    }
    let oracle = Validator::new_with_features(features.wasmparser()).validate_all(&bytes);
    let witness = witness_spec::validate(&bytes, &features);
    match (&witness, &oracle) {
        (Ok(_), Ok(_)) => stats::count("both accept"),
        (Err(_), Err(_)) => stats::count("both reject"),
        (Ok(_), Err(o)) => panic!("witness accepts a component wasmparser rejects: {o}"),
        (Err(e), Ok(_)) => panic!("witness rejects a component wasmparser accepts: {e}"),
    }
}

fn generate(u: &mut Unstructured<'_>) -> Result<(Vec<u8>, Features)> {
    let features = if u.ratio(3, 4)? {
        Features::ALL
    } else {
        Features::NONE
    };
    let c = smith::config(u)?;
    let mut bytes = smith::component(c, u)?;
    if u.ratio(1, 4)? {
        mutate::mutate(&mut bytes, u, 3);
    }
    Ok((bytes, features))
}
