//! Errors of the benchmark: plain messages. The engines' error types differ
//! (wasmtime's does not implement `std::error::Error`), so every failure is
//! turned into a `String` at the boundary with [`Context::ctx`].

use std::fmt::Display;

/// A benchmark result: an error is a message for the report.
pub type Result<T> = std::result::Result<T, String>;

/// Adds what was being done to an engine's error.
pub trait Context<T> {
    fn ctx(self, what: &str) -> Result<T>;
}

impl<T, E: Display> Context<T> for std::result::Result<T, E> {
    fn ctx(self, what: &str) -> Result<T> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

impl<T> Context<T> for Option<T> {
    fn ctx(self, what: &str) -> Result<T> {
        self.ok_or_else(|| what.to_string())
    }
}
