//! WAVE text round trips (src/wave.rs): any value printed as WAVE and
//! parsed back with its type is the value again. WAVE writes every NaN as
//! `nan`, read back as the canonical NaN, as lifting would give it.

use proptest::prelude::*;
use witness::wave::{from_wave, to_wave, wave_type};

#[path = "../canonical/src/value_strategies.rs"]
mod value_strategies;

use value_strategies::{canonical, same, typed_value};

proptest! {
    #[test]
    fn printed_then_parsed_gives_the_value_back((t, v) in typed_value()) {
        let wave = to_wave(&v, &t).expect("a value of its type");
        let text = wasm_wave::to_string(&wave).expect("printable");
        let ty = wave_type(&t).expect("WAVE writes every generated type");
        let parsed: wasm_wave::value::Value = wasm_wave::from_str(&ty, &text)
            .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let back = from_wave(&parsed, &t).map_err(TestCaseError::fail)?;
        prop_assert!(same(&back, &canonical(&v)), "{t:?}: {text} came back as {back:?}");
    }
}
