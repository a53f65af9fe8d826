//! Traps of the Canonical ABI: every `trap_if` of CanonicalABI.md names one
//! of these kinds, and this is the one table of their messages.
//!
//! The spec's traps carry no message. The wording here is what the
//! component-model reference tests' `assert_trap` directives expect (they
//! were written against wasmtime), so a suite run can check it.

use alloc::string::String;
use core::fmt;

/// Why a Canonical ABI step trapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// A pointer is not aligned for its type.
    UnalignedPointer,
    /// A string's bytes are not all inside the memory.
    StringOutOfBounds,
    /// A string is longer than `MAX_STRING_BYTE_LENGTH`.
    StringTooLong,
    /// A list's bytes are not all inside the memory.
    ListOutOfBounds,
    /// A list is longer than `MAX_LIST_BYTE_LENGTH`.
    ListTooLong,
    /// A record, tuple or spilled argument area is not inside the memory.
    PointerOutOfBounds,
    /// String bytes that do not decode in their encoding.
    InvalidUtf8,
    InvalidUtf16,
    /// An `i32` that is not a Unicode scalar value.
    InvalidChar,
    /// A variant discriminant past the last case.
    InvalidVariantDiscriminant,
    /// `realloc` returned a misaligned pointer.
    ReallocNotAligned,
    /// `realloc` returned a range beyond the memory.
    ReallocOutOfBounds,
    /// A handle index with no element.
    UnknownHandle(u64),
    /// A handle of another kind or resource type than expected.
    WrongHandleType(u64),
    /// An `own` handle dropped or moved while it lends borrows.
    OwnedResourceBorrowed,
    /// An `own` was expected, a `borrow` given.
    NotAnOwnHandle(u64),
    /// A borrow outlived the call that lent it.
    BorrowsOutstanding,
    /// A handle table grew past `Table::MAX_LENGTH`.
    TableFull,
    /// Reentering a component instance (component invariant #2) or calling
    /// out of one that may not leave.
    CannotEnter,
    CannotLeave,
    /// The instance trapped earlier and may not run again.
    InstancePoisoned,
    /// A feature of the pinned spec that witness does not run yet.
    Unsupported(&'static str),
    /// A core function (realloc, post-return, a destructor, a lifted
    /// callee) trapped; its message.
    Core(String),
}

impl TrapKind {
    /// The message, in the wording the reference tests expect.
    pub fn message(&self) -> alloc::borrow::Cow<'static, str> {
        use alloc::borrow::Cow::{Borrowed, Owned};
        use alloc::format;
        match self {
            TrapKind::UnalignedPointer => Borrowed("unaligned pointer"),
            TrapKind::StringOutOfBounds => Borrowed("string content out-of-bounds"),
            TrapKind::StringTooLong => Borrowed("string content too long"),
            TrapKind::ListOutOfBounds => Borrowed("list content out-of-bounds"),
            TrapKind::ListTooLong => Borrowed("list content too long"),
            TrapKind::PointerOutOfBounds => Borrowed("pointer out of bounds of memory"),
            TrapKind::InvalidUtf8 => Borrowed("invalid utf-8"),
            TrapKind::InvalidUtf16 => Borrowed("invalid utf-16"),
            TrapKind::InvalidChar => Borrowed("invalid `char` bit pattern"),
            TrapKind::InvalidVariantDiscriminant => Borrowed("invalid variant discriminant"),
            TrapKind::ReallocNotAligned => Borrowed("realloc return: result not aligned"),
            TrapKind::ReallocOutOfBounds => Borrowed("realloc return: beyond end of memory"),
            TrapKind::UnknownHandle(i) => Owned(format!("unknown handle index {i}")),
            TrapKind::WrongHandleType(i) => {
                Owned(format!("handle index {i} used with the wrong type"))
            }
            TrapKind::OwnedResourceBorrowed => {
                Borrowed("cannot remove owned resource while borrowed")
            }
            TrapKind::NotAnOwnHandle(i) => {
                Owned(format!("handle index {i} is a borrow, not an own"))
            }
            TrapKind::BorrowsOutstanding => {
                Borrowed("borrow handles still remain at the end of the call")
            }
            TrapKind::TableFull => Borrowed("handle table is full"),
            TrapKind::CannotEnter => Borrowed("cannot enter component instance"),
            TrapKind::CannotLeave => Borrowed("cannot leave component instance"),
            TrapKind::InstancePoisoned => {
                Borrowed("component instance trapped before and may not be entered")
            }
            TrapKind::Unsupported(what) => Owned(format!("not supported yet: {what}")),
            TrapKind::Core(m) => Owned(m.clone()),
        }
    }
}

/// A Canonical ABI trap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    pub kind: TrapKind,
}

impl From<TrapKind> for Trap {
    fn from(kind: TrapKind) -> Trap {
        Trap { kind }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.message())
    }
}

impl core::error::Error for Trap {}

/// `trap_if(cond)`: traps with `kind` when `cond` holds.
#[inline]
pub fn trap_if(cond: bool, kind: TrapKind) -> Result<(), Trap> {
    if cond { Err(Trap { kind }) } else { Ok(()) }
}

/// `trap()`.
#[inline]
pub fn trap<T>(kind: TrapKind) -> Result<T, Trap> {
    Err(Trap { kind })
}
