//! wasm-smith with the configurations the targets need.
//!
//! wasm-smith's own `Config::arbitrary` chooses features and limits; the
//! helpers here only narrow it (a feature turned off also turns off the
//! features that build on it, as wasm-smith's own sanitising does).

use arbitrary::{Result, Unstructured};
use wasm_smith::Config;

/// An arbitrary configuration, with the proposals that `Config::arbitrary`
/// leaves off turned on by chance too.
pub fn config(u: &mut Unstructured<'_>) -> Result<Config> {
    let mut c: Config = u.arbitrary()?;
    c.custom_page_sizes_enabled = u.arbitrary()?;
    c.wide_arithmetic_enabled = u.arbitrary()?;
    c.export_everything = u.ratio(1, 2)?;
    Ok(c)
}

/// Turns GC off, and what depends on it.
pub fn no_gc(c: &mut Config) {
    c.gc_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.custom_descriptors_enabled = false;
}

/// A core module from `u` with configuration `c`.
pub fn module(c: Config, u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    Ok(wasm_smith::Module::new(c, u)?.to_bytes())
}

/// A component from `u` with configuration `c`.
pub fn component(c: Config, u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    Ok(wasm_smith::Component::new(c, u)?.to_bytes())
}
