//! Exception handling (core spec §4.4.8 `throw`, `throw_ref`, `try_table`
//! and §4.2 "Exception instances"): tags, exception instances, and
//! unwinding the explicit frame stack to the innermost matching handler.
//!
//! A `try_table` leaves no instruction behind. Its catch clauses become a
//! [`Handler`] covering the instruction range of its body; unwinding looks
//! for the innermost handler covering the instruction that threw (or, in a
//! caller, the call that is in progress), frame by frame, as the spec's
//! "throw" steps pop the stack until a handler frame is found.

use super::exec::{Frame, wasm_func};
use super::store::{FuncInst, ModuleInst, TagAddr};
use super::value::{Val, encode_ref};
use alloc::vec::Vec;
use core::fmt;

/// A tag instance (§4.2.13): the type of the payload its exceptions carry.
#[derive(Debug)]
pub(crate) struct TagInst {
    /// Index into the store's interned function types (no results).
    pub ty: u32,
}

/// An exception instance (§4.2.14): its tag and payload in slot encoding.
#[derive(Debug)]
pub(crate) struct ExnInst {
    pub tag: TagAddr,
    pub payload: Vec<u64>,
}

/// An exception that no handler caught, as the embedder sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub tag: TagAddr,
    pub payload: Vec<Val>,
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "uncaught exception: tag {}", self.tag.index())?;
        if !self.payload.is_empty() {
            f.write_str(" with payload")?;
            for v in &self.payload {
                write!(f, " {v}")?;
            }
        }
        Ok(())
    }
}

/// What a catch clause catches (§2.4.8 `catch`, `catch_ref`, `catch_all`,
/// `catch_all_ref`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CatchKind {
    Tag(u32),
    TagRef(u32),
    All,
    AllRef,
}

/// One catch clause with its resolved label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CatchClause {
    pub kind: CatchKind,
    /// The label's instruction; `u32::MAX` for the function's own label.
    pub pc: u32,
    /// The slot (from the frame's base) where the label's values go.
    pub height: u32,
}

/// A `try_table`'s clauses and the instructions they cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Handler {
    pub start: u32,
    pub end: u32,
    /// The clauses are `Code::catches[first..first + len]`, tried in order.
    pub first: u32,
    pub len: u32,
}

/// Where unwinding ended.
pub(crate) enum Unwound {
    /// A clause caught the exception; the top frame's `pc` is its label.
    Caught,
    /// A clause branched to its function's own label: the top frame
    /// returns the values on top of the stack.
    Return,
    /// No frame of the thread had a handler; the frames are gone.
    Uncaught,
}

/// Unwinds `frames` to the innermost handler of exception `exn` (§4.4.8
/// `throw_ref`, steps "pop until a handler"), placing the caught values on
/// the operand stack at the label's height.
pub(crate) fn unwind(
    stack: &mut [u64],
    sp: &mut usize,
    frames: &mut Vec<Frame>,
    funcs: &[FuncInst],
    instances: &[ModuleInst],
    exn: &ExnInst,
    exn_addr: u32,
) -> Unwound {
    while let Some(fr) = frames.last_mut() {
        let Ok((code, inst)) = wasm_func(funcs, instances, fr.func) else {
            break;
        };
        // The instruction in progress: the throw itself, or a call.
        let at = fr.pc.saturating_sub(1);
        for h in code.handlers.iter().filter(|h| h.start <= at && at < h.end) {
            let clauses = code
                .catches
                .get(h.first as usize..(h.first + h.len) as usize)
                .unwrap_or_default();
            for c in clauses {
                let (hit, with_payload, with_ref) = match c.kind {
                    CatchKind::Tag(t) => (inst.tags.get(t as usize) == Some(&exn.tag), true, false),
                    CatchKind::TagRef(t) => {
                        (inst.tags.get(t as usize) == Some(&exn.tag), true, true)
                    }
                    CatchKind::All => (true, false, false),
                    CatchKind::AllRef => (true, false, true),
                };
                if !hit {
                    continue;
                }
                let mut s = fr.base as usize + c.height as usize;
                if with_payload {
                    stack[s..s + exn.payload.len()].copy_from_slice(&exn.payload);
                    s += exn.payload.len();
                }
                if with_ref {
                    stack[s] = encode_ref(Some(exn_addr));
                    s += 1;
                }
                *sp = s;
                if c.pc == u32::MAX {
                    return Unwound::Return;
                }
                fr.pc = c.pc;
                return Unwound::Caught;
            }
        }
        frames.pop();
    }
    frames.clear();
    Unwound::Uncaught
}
