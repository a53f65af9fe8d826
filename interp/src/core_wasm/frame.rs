//! Frames (core spec §4.2.12.2 "Frames") and the steps of invoking and
//! returning from a function that move them: pushing a frame with its
//! locals (§4.4.10 "Invocation of function address") and moving results or
//! label values down the operand stack.

use super::module::Code;
use super::store::FuncAddr;
use super::trap::TrapKind;
use alloc::vec::Vec;

/// An activation (§4.2.12.2 "Frames"): which function, where in it, and
/// where its locals start on the operand stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub func: FuncAddr,
    pub pc: u32,
    pub base: u32,
}

/// Moves the top `n` slots (below `sp`) down to `to`: a function's or a
/// label's values. One or two slots, the common case, are plain moves.
#[inline(always)]
pub(crate) fn move_down(stack: &mut [u64], sp: usize, n: usize, to: usize) {
    match n {
        0 => {}
        1 => stack[to] = stack[sp - 1],
        2 => {
            stack[to] = stack[sp - 2];
            stack[to + 1] = stack[sp - 1];
        }
        _ => stack.copy_within(sp - n..sp, to),
    }
}

/// Pushes a frame for `code`, checking the call depth and growing the
/// operand stack within its limit (running out of either is the spec's
/// resource exhaustion). Inlined into the loop's calls; growing is not.
#[inline(always)]
pub(crate) fn enter_parts(
    stack: &mut Vec<u64>,
    sp: &mut usize,
    frames: &mut Vec<Frame>,
    code: &Code,
    func: FuncAddr,
    max_depth: usize,
    max_slots: usize,
) -> Result<usize, TrapKind> {
    if frames.len() >= max_depth {
        return Err(TrapKind::CallStackExhausted);
    }
    let base = *sp - code.params as usize;
    let need = base + code.max_height as usize;
    if need > stack.len() {
        grow(stack, need, max_slots)?;
    }
    if code.locals > 0 {
        let top = base + (code.params + code.locals) as usize;
        stack[*sp..top].fill(0);
        *sp = top;
    }
    frames.push(Frame {
        func,
        pc: 0,
        base: base as u32,
    });
    Ok(base)
}

/// Grows the operand stack to at least `need` slots (doubling, within
/// `max_slots`).
#[cold]
#[inline(never)]
fn grow(stack: &mut Vec<u64>, need: usize, max_slots: usize) -> Result<(), TrapKind> {
    if need > max_slots {
        return Err(TrapKind::CallStackExhausted);
    }
    stack.resize(need.max(stack.len() * 2).min(max_slots).max(need), 0);
    Ok(())
}
