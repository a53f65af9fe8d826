//! `core_decode`: see [`witness_fuzz::core_decode`]. Under cargo-fuzz (`--cfg fuzzing`) a
//! libFuzzer target; otherwise the plain seeded loop of [`witness_fuzz::plain`].
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| witness_fuzz::core_decode::run(data));

#[cfg(not(fuzzing))]
fn main() -> std::process::ExitCode {
    witness_fuzz::plain::main("core_decode", witness_fuzz::core_decode::run)
}
