//! witness-fuzz: fuzz targets for witness, each a function over raw bytes
//! that panics on a bug.
//!
//! | target | what it checks |
//! |---|---|
//! | [`core_decode`] | core modules: decode, validate, translate never panic or hang |
//! | [`component_decode`] | components: witness-spec's decode and validate never panic or hang |
//! | [`wit_parse`] | WIT text: parse, resolve and print never panic; printed WIT parses again |
//! | [`validate_diff`] | core modules from wasm-smith: witness accepts what wasmparser's validator accepts |
//! | [`component_validate_diff`] | components from wasm-smith: witness-spec agrees with wasmparser's validator |
//! | [`exec_diff`] | core modules from wasm-smith run in witness and in wasmi: same results, traps, memories, globals |
//! | [`abi_diff`] | values of generated types across a component boundary (every string encoding, flat and spilled) in witness and in wasmtime: same values back, or both trap |
//! | [`wave_parse`] | WAVE text against a component value type, as `witness run` reads it: never panics; what reads prints and reads back |
//!
//! Every target runs under libFuzzer (`cargo fuzz run TARGET`, the
//! `fuzz_targets/` binaries built with `--cfg fuzzing`) and as a plain
//! seeded loop ([`plain`]) on the stable toolchain. Counters of uninteresting
//! outcomes (an unsupported feature, an inconclusive run) go to [`stats`].

pub mod abi;
pub mod abi_diff;
pub mod abi_pair;
pub mod component_decode;
pub mod component_validate_diff;
pub mod core_decode;
pub mod exec_diff;
pub mod mutate;
pub mod nan;
pub mod plain;
pub mod rng;
pub mod select;
pub mod smith;
pub mod stats;
pub mod validate_diff;
pub mod values;
pub mod wave_parse;
pub mod wit_gen;
pub mod wit_parse;

/// The preamble of a core module (magic, version 1).
pub const MODULE_PREAMBLE: &[u8] = b"\0asm\x01\0\0\0";
/// The preamble of a component (magic, version 0x0d, layer 1).
pub const COMPONENT_PREAMBLE: &[u8] = b"\0asm\x0d\0\x01\0";

#[cfg(not(fuzzing))]
#[global_allocator]
static ALLOC: plain::LimitedAlloc = plain::LimitedAlloc;
