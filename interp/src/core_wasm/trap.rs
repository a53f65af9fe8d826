//! Traps (core spec §4.4 "Instructions", every `trap` step) and the one table
//! of their messages.
//!
//! The core specification's traps carry no message; the wording here is the
//! reference interpreter's, which the `assert_trap` directives of the core
//! test suite match (by prefix or substring).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why execution trapped. Each kind's message is defined once, in
/// [`TrapKind::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// `unreachable` was executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow (`INT_MIN / -1`).
    IntegerOverflow,
    /// A float-to-int truncation of NaN or of an out-of-range value.
    InvalidConversionToInteger,
    /// A load, store or bulk memory operation outside the memory.
    OutOfBoundsMemoryAccess,
    /// A table access or bulk table operation outside the table.
    OutOfBoundsTableAccess,
    /// `call_indirect` with an index outside the table.
    UndefinedElement,
    /// `call_indirect` of a null table entry.
    UninitializedElement,
    /// `call_indirect` of a function whose type differs from the expected.
    IndirectCallTypeMismatch,
    /// Calling through a null function reference.
    NullFunctionReference,
    /// `ref.as_non_null` of null.
    NullReference,
    /// `throw_ref` of a null exception reference.
    NullExceptionReference,
    /// The call depth or operand stack limit was reached (the spec's
    /// resource exhaustion).
    CallStackExhausted,
    /// The configured fuel (instruction budget) ran out.
    OutOfFuel,
    /// A host function trapped, with its own message.
    Host(String),
}

impl TrapKind {
    /// The message, in the core reference interpreter's wording.
    pub fn message(&self) -> &str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::IntegerDivideByZero => "integer divide by zero",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::InvalidConversionToInteger => "invalid conversion to integer",
            TrapKind::OutOfBoundsMemoryAccess => "out of bounds memory access",
            TrapKind::OutOfBoundsTableAccess => "out of bounds table access",
            TrapKind::UndefinedElement => "undefined element",
            TrapKind::UninitializedElement => "uninitialized element",
            TrapKind::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapKind::NullFunctionReference => "null function reference",
            TrapKind::NullReference => "null reference",
            TrapKind::NullExceptionReference => "null exception reference",
            TrapKind::CallStackExhausted => "call stack exhausted",
            TrapKind::OutOfFuel => "out of fuel",
            TrapKind::Host(m) => m,
        }
    }

    /// Whether this is resource exhaustion rather than a trap proper
    /// (`assert_exhaustion` in scripts).
    pub fn is_exhaustion(&self) -> bool {
        matches!(self, TrapKind::CallStackExhausted)
    }
}

/// One frame of a guest backtrace: the function and the instruction's byte
/// offset in the module binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BacktraceFrame {
    /// The function's index in its module.
    pub func_index: u32,
    /// The function's name from the `name` section or its export, if any.
    pub func_name: Option<String>,
    /// Byte offset of the instruction in the module binary.
    pub offset: u32,
}

/// A trap: its kind and the guest frames it unwound, innermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    pub kind: TrapKind,
    pub backtrace: Vec<BacktraceFrame>,
}

impl Trap {
    /// A trap without a backtrace (raised outside guest code).
    pub fn new(kind: TrapKind) -> Trap {
        Trap {
            kind,
            backtrace: Vec::new(),
        }
    }

    /// The trap's message.
    pub fn message(&self) -> &str {
        self.kind.message()
    }
}

impl From<TrapKind> for Trap {
    fn from(kind: TrapKind) -> Trap {
        Trap::new(kind)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "trap: {}", self.kind.message())?;
        for fr in &self.backtrace {
            match &fr.func_name {
                Some(n) => write!(f, "\n  at func {} ({n}) @ 0x{:x}", fr.func_index, fr.offset)?,
                None => write!(f, "\n  at func {} @ 0x{:x}", fr.func_index, fr.offset)?,
            }
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}
