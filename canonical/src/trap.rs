//! Traps of the Canonical ABI: every `trap_if` of CanonicalABI.md names one
//! of these kinds, and this is the one table of their messages.
//!
//! The spec's traps carry no message. The wording here is what the
//! component-model reference tests' `assert_trap` directives expect (they
//! were written against wasmtime), so a suite run can check it.

use alloc::string::String;
use alloc::vec::Vec;
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
    /// A 🧵② built-in (shared-everything threads), not run by witness.
    NotSupportedThreads(&'static str),
    // The asynchronous definitions (🔀 🚝 🚟 🧵 📝).
    /// A synchronously-typed call blocked with no other thread to run.
    CannotBlockSync,
    /// No thread may run while work remains: the host's call waits on a
    /// store with no ready thread, or a synchronously-typed call blocked
    /// while other tasks' threads wait. Carries the waiting threads.
    Deadlock(Vec<WaitingThread>),
    /// A `callback` returned a code past `CallbackCode.MAX`.
    UnsupportedCallbackCode,
    /// `backpressure.inc` past `2^16 - 1`, or `backpressure.dec` below 0.
    BackpressureOverflow,
    BackpressureUnderflow,
    /// `task.return` twice, or after `task.cancel`.
    TaskAlreadyResolved,
    /// `task.return` or `task.cancel` from a synchronously-lifted function.
    TaskNotAsync,
    /// `task.return` with another result type than the task's.
    TaskReturnTypeMismatch,
    /// `task.return` with other lifting options than the task's.
    TaskReturnOptionsMismatch,
    /// `task.cancel` without cancellation having been delivered.
    TaskCancelNotDelivered,
    /// A task's last thread exited before the task resolved.
    TaskExitedWithoutResult,
    /// A synchronous wait on a waitable that is in a waitable set.
    WaitableInSet,
    /// `waitable.join` on a waitable that is being waited on synchronously.
    WaitableHasSyncWaiter,
    /// `waitable-set.drop` of a set with elements.
    WaitableSetNotEmpty,
    /// `waitable-set.drop` of a set a thread is waiting on.
    WaitableSetInUse,
    /// `subtask.drop` before the subtask's resolution was delivered.
    SubtaskNotResolved,
    /// `subtask.cancel` after the resolution was delivered.
    SubtaskResolveDelivered,
    /// `subtask.cancel` twice.
    SubtaskCancelRequested,
    /// `{stream,future}.{read,write}` on an end that is copying.
    CopyNotIdle,
    /// Reading a stream whose writable end dropped.
    StreamReadAfterDropped,
    /// Writing a stream whose readable end dropped.
    StreamWriteAfterDropped,
    /// Reading a future that was read.
    FutureReadAfterRead,
    /// Writing a future that was written (or whose reader dropped).
    FutureWriteAfterWrite,
    /// Lifting a stream readable end that was told the writer dropped.
    StreamLiftAfterDropped,
    /// Lifting a future readable end that was read.
    FutureLiftAfterRead,
    /// Lifting a stream or future end that is copying.
    LiftBusy,
    /// Lifting a stream or future end that is in a waitable set.
    StreamLiftInWaitableSet,
    FutureLiftInWaitableSet,
    /// Dropping a stream's readable end while it copies.
    RemoveBusyStream,
    /// Dropping a stream's writable end, or a future end, while it copies.
    DropBusyStream,
    DropBusyFuture,
    /// Dropping a future's writable end before writing.
    FutureWriteEndNotWritten,
    /// A cancel with no copy to cancel.
    CancelNotCopying,
    /// Both ends of a stream (non-number elements) in one instance.
    IntraComponentStream,
    IntraComponentFuture,
    /// A buffer longer than `Buffer.MAX_LENGTH`.
    BufferTooLong,
    /// `thread.*` on a thread that is not suspended.
    ThreadNotSuspended,
    /// `thread.new-indirect` of a function of another type.
    ThreadFuncTypeMismatch,
    /// A core function (realloc, post-return, a destructor, a lifted
    /// callee) trapped; its message.
    Core(String),
    /// A broken invariant of witness itself (a bug, reported as a trap
    /// rather than a panic); a static text, so that building one costs
    /// nothing on paths that check invariants eagerly.
    Internal(&'static str),
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
            TrapKind::NotSupportedThreads(what) => Owned(format!(
                "not supported: {what} (shared-everything threads, 🧵②)"
            )),
            TrapKind::CannotBlockSync => {
                Borrowed("cannot block a synchronous task before returning")
            }
            TrapKind::Deadlock(waiting) => {
                let mut m =
                    String::from("deadlock detected: event loop cannot make further progress");
                for (i, w) in waiting.iter().enumerate() {
                    m.push_str(if i == 0 { " (waiting: " } else { ", " });
                    m.push_str(&format!("instance {}", w.instance));
                    match w.index {
                        Some(t) => m.push_str(&format!(" thread {t}")),
                        None => m.push_str(" thread waiting to enter"),
                    }
                }
                if !waiting.is_empty() {
                    m.push(')');
                }
                Owned(m)
            }
            TrapKind::UnsupportedCallbackCode => Borrowed("unsupported callback code"),
            TrapKind::BackpressureOverflow => Borrowed("backpressure counter overflow"),
            TrapKind::BackpressureUnderflow => Borrowed("backpressure counter underflow"),
            TrapKind::TaskAlreadyResolved => Borrowed("task already returned or was cancelled"),
            TrapKind::TaskNotAsync => {
                Borrowed("task.return or task.cancel called by a synchronously-lifted function")
            }
            TrapKind::TaskReturnTypeMismatch => {
                Borrowed("task.return result type does not match the task's")
            }
            TrapKind::TaskReturnOptionsMismatch => {
                Borrowed("task.return options do not match the task's")
            }
            TrapKind::TaskCancelNotDelivered => {
                Borrowed("task.cancel called before cancellation was delivered")
            }
            TrapKind::TaskExitedWithoutResult => {
                Borrowed("the task's last thread exited before it returned a result")
            }
            TrapKind::WaitableInSet => {
                Borrowed("waitable cannot be used synchronously while added to a waitable set")
            }
            TrapKind::WaitableHasSyncWaiter => {
                Borrowed("waitable cannot be used synchronously while added to a waitable set")
            }
            TrapKind::WaitableSetNotEmpty => Borrowed("cannot drop a waitable set with waitables"),
            TrapKind::WaitableSetInUse => Borrowed("cannot drop waitable set with waiters"),
            TrapKind::SubtaskNotResolved => {
                Borrowed("cannot drop a subtask which has not yet resolved")
            }
            TrapKind::SubtaskResolveDelivered => {
                Borrowed("cannot cancel a subtask whose resolution was delivered")
            }
            TrapKind::SubtaskCancelRequested => Borrowed("subtask cancellation already requested"),
            TrapKind::CopyNotIdle => {
                Borrowed("cannot have concurrent operations active on a future/stream")
            }
            TrapKind::StreamReadAfterDropped => Borrowed(
                "cannot read from stream after being notified that the writable end dropped",
            ),
            TrapKind::StreamWriteAfterDropped => Borrowed(
                "cannot write to stream after being notified that the readable end dropped",
            ),
            TrapKind::FutureReadAfterRead => {
                Borrowed("cannot read from future after previous read succeeded")
            }
            TrapKind::FutureWriteAfterWrite => Borrowed(
                "cannot write to future after previous write succeeded or readable end dropped",
            ),
            TrapKind::StreamLiftAfterDropped => {
                Borrowed("cannot lift stream after being notified that the writable end dropped")
            }
            TrapKind::FutureLiftAfterRead => {
                Borrowed("cannot lift future after previous read succeeded")
            }
            TrapKind::LiftBusy => Borrowed("cannot lift a stream or future end while it copies"),
            TrapKind::StreamLiftInWaitableSet => {
                Borrowed("cannot lift stream while it's in a waitable set")
            }
            TrapKind::FutureLiftInWaitableSet => {
                Borrowed("cannot lift future while it's in a waitable set")
            }
            TrapKind::RemoveBusyStream => Borrowed("cannot remove busy stream"),
            TrapKind::DropBusyStream => Borrowed("cannot drop busy stream"),
            TrapKind::DropBusyFuture => Borrowed("cannot drop busy future"),
            TrapKind::FutureWriteEndNotWritten => {
                Borrowed("cannot drop future write end without first writing a value")
            }
            TrapKind::CancelNotCopying => Borrowed("no copy in progress to cancel"),
            TrapKind::IntraComponentStream => {
                Borrowed("cannot read from and write to intra-component stream")
            }
            TrapKind::IntraComponentFuture => {
                Borrowed("cannot read from and write to intra-component future")
            }
            TrapKind::BufferTooLong => Borrowed("buffer length exceeds the maximum"),
            TrapKind::ThreadNotSuspended => Borrowed("thread is not suspended"),
            TrapKind::ThreadFuncTypeMismatch => Borrowed("indirect call type mismatch"),
            TrapKind::Core(m) => Owned(m.clone()),
            TrapKind::Internal(what) => Owned(format!("internal error: {what}")),
        }
    }
}

/// A thread in `Store.waiting`, as a deadlock report names it: its
/// component instance and its index in that instance's `threads` table
/// (`None` for an implicit thread still waiting to enter its instance).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingThread {
    pub instance: u32,
    pub index: Option<u32>,
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
