//! `abi_diff`: see [`witness_fuzz::abi_diff`]. Under cargo-fuzz (`--cfg fuzzing`) a
//! libFuzzer target; otherwise the plain seeded loop of [`witness_fuzz::plain`].
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| witness_fuzz::abi_diff::run(data));

#[cfg(not(fuzzing))]
fn main() -> std::process::ExitCode {
    witness_fuzz::plain::main("abi_diff", witness_fuzz::abi_diff::run)
}
