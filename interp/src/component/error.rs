//! What can go wrong when instantiating and calling components, by
//! observable outcome (DESIGN.md "Errors"): invalid input, a link error, a
//! trap, or a misuse of the embedding API.

use alloc::format;
use alloc::string::String;
use core::fmt;
use witness_canonical::{Trap, TrapKind};

/// An error of the component runtime.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The binary did not decode or validate (witness-spec's error).
    Invalid(String),
    /// An import is missing or does not fit, or a core module's imports
    /// do not match what it is instantiated with.
    Link(String),
    /// Execution trapped: a Canonical ABI step or core code.
    Trap(Trap),
    /// The embedder used the API wrongly (argument count or types).
    Misuse(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(m) => write!(f, "invalid component: {m}"),
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Trap(t) => write!(f, "{t}"),
            Error::Misuse(m) => f.write_str(m),
        }
    }
}

impl core::error::Error for Error {}

impl From<Trap> for Error {
    fn from(t: Trap) -> Error {
        Error::Trap(t)
    }
}

/// A broken invariant of witness (validation should have ruled it out),
/// reported as a trap rather than a panic.
pub(crate) fn internal(what: &str) -> Error {
    Error::Trap(Trap {
        kind: TrapKind::Core(format!("internal error: {what}")),
    })
}
