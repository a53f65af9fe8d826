//! Errors: a malformed or invalid component, as a value.
//!
//! Every error says which rule broke (its message, worded like the reference
//! tests' expected text where one exists), where (a byte offset into the
//! binary) and, when known, in which definition (the kind and index of the
//! definition being validated). Nothing in this crate panics on input.

use alloc::string::{String, ToString};
use core::fmt;

/// Whether the input broke the binary format or a validation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The bytes do not decode (Binary.md).
    Malformed,
    /// The bytes decode but break a validation rule (Explainer.md, Binary.md
    /// "Notes", CanonicalABI.md "Canonical definitions").
    Invalid,
}

/// A decoding or validation error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Malformed or invalid.
    pub kind: ErrorKind,
    /// The rule that broke, in words.
    pub message: String,
    /// Byte offset into the binary where the offending item starts.
    pub offset: usize,
    /// The definition being validated, e.g. `export 3` or `canon 2`.
    pub definition: Option<String>,
}

impl Error {
    /// A validation error at `offset`.
    pub fn invalid(offset: usize, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Invalid,
            message: message.into(),
            offset,
            definition: None,
        }
    }

    /// A decoding error at `offset`.
    pub fn malformed(offset: usize, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Malformed,
            message: message.into(),
            offset,
            definition: None,
        }
    }

    /// Attaches the definition being validated, unless one is already known.
    pub fn in_definition(mut self, definition: impl FnOnce() -> String) -> Self {
        if self.definition.is_none() {
            self.definition = Some(definition());
        }
        self
    }

    /// Converts a wasmparser decoding error. wasmparser's readers report
    /// both truly malformed bytes and a few things the core validator
    /// rejects; which one it was is decided by the caller.
    pub fn from_wasmparser(e: &wasmparser::BinaryReaderError, kind: ErrorKind) -> Self {
        Error {
            kind,
            message: e.message().to_string(),
            offset: crate::decode::off(e.offset()),
            definition: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Malformed => "malformed",
            ErrorKind::Invalid => "invalid",
        };
        write!(f, "{what}: {} (at offset {:#x}", self.message, self.offset)?;
        if let Some(d) = &self.definition {
            write!(f, ", in {d}")?;
        }
        f.write_str(")")
    }
}

impl core::error::Error for Error {}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_rule_offset_and_definition() {
        let e = Error::invalid(16, "type index out of bounds").in_definition(|| "alias 2".into());
        assert_eq!(
            e.to_string(),
            "invalid: type index out of bounds (at offset 0x10, in alias 2)"
        );
    }
}
