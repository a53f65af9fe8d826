//! The translator's folding of instructions into the fused ones of
//! [`fused`](super::super::fused) as they are emitted: a `local.get` or a
//! constant into the operator that consumes it, an operator into the
//! `local.set`/`local.tee` or the jump that takes its result, a loop's
//! step into its test, and a loop's exit test into its back edge.

use super::super::fused::{IntBin, int_bin_of, load_add_loop, pure_push, step_jump};
use super::super::instr::Instr;
use super::Translator;

impl Translator<'_> {
    /// A `br` back to a loop whose first instruction tests locals (a fused
    /// `JumpIf`/`JumpUnless`): the test is made here, inverted, jumping
    /// into the loop past it, and only a failed test jumps to the loop's
    /// start, where the same test (the locals are unchanged) leaves the
    /// loop. A loop with its exit test on top then takes one dispatch per
    /// iteration for its back edge, not two.
    pub(super) fn rotate_loop(&mut self, start: u32) -> bool {
        let into = start + 1;
        let test = match self.code.instrs.get(start as usize) {
            Some(&Instr::JumpIfLL(op, a, b, _)) => Instr::JumpUnlessLL(op, a, b, into),
            Some(&Instr::JumpIfLC(op, a, c, _)) => Instr::JumpUnlessLC(op, a, c, into),
            Some(&Instr::JumpUnlessLL(op, a, b, _)) => Instr::JumpIfLL(op, a, b, into),
            Some(&Instr::JumpUnlessLC(op, a, c, _)) => Instr::JumpIfLC(op, a, c, into),
            _ => return false,
        };
        self.emit(test);
        self.fold_step();
        self.fold_load_add_loop();
        self.emit(Instr::Jump(start));
        self.barrier = self.code.instrs.len();
        true
    }

    /// The last `n` instructions, if none of them but the first is a jump
    /// target (so that they may be fused).
    pub(super) fn tail(&self, n: usize) -> Option<&[Instr]> {
        let len = self.code.instrs.len();
        (len >= n && self.barrier <= len - n).then(|| &self.code.instrs[len - n..])
    }

    /// Replaces the last `n` instructions by `i`, which keeps the offset
    /// of the operator being translated.
    pub(super) fn fuse(&mut self, n: usize, i: Instr) {
        self.fuse_at(n, i, self.offset);
    }

    /// Replaces the last `n` instructions by `i` at `offset`: that of
    /// the folded operator that can trap, for the backtrace.
    pub(super) fn fuse_at(&mut self, n: usize, i: Instr, offset: u32) {
        let len = self.code.instrs.len() - n;
        self.code.instrs.truncate(len);
        self.code.offsets.truncate(len);
        self.code.instrs.push(i);
        self.code.offsets.push(offset);
    }

    /// The offset of the `n`th instruction from the end (1 is the last).
    pub(super) fn offset_of_last(&self, n: usize) -> u32 {
        let offsets = &self.code.offsets;
        let at = offsets.len().checked_sub(n);
        at.and_then(|at| offsets.get(at))
            .copied()
            .unwrap_or(self.offset)
    }

    /// A constant operand that fits a fused instruction's immediate.
    pub(super) fn small_const(i: &Instr, wide: bool) -> Option<i32> {
        match *i {
            Instr::I32Const(c) if !wide => Some(c),
            Instr::I64Const(c) if wide => i32::try_from(c).ok(),
            _ => None,
        }
    }

    /// An integer operator, folding the `local.get`s and constants that
    /// produced its operands.
    pub(super) fn int_bin(&mut self, op: IntBin) {
        let wide = op.wide();
        if let Some(&[Instr::LocalGet(a), ref second]) = self.tail(2) {
            if let Instr::LocalGet(b) = *second {
                return self.fuse(2, Instr::BinLL(op, a, b));
            }
            if let Some(c) = Self::small_const(second, wide) {
                return self.fuse(2, Instr::BinLC(op, a, c));
            }
        }
        // `local.get a` below one pure push: the local read moves after it.
        if let Some(&[Instr::LocalGet(a), ref x]) = self.tail(2)
            && pure_push(x)
        {
            let x = *x;
            self.fuse_at(2, x, self.offset_of_last(1));
            self.emit(Instr::BinLS(op, a));
            return;
        }
        match self.tail(1) {
            Some(&[Instr::LocalGet(b)]) => self.fuse(1, Instr::BinSL(op, b)),
            Some([last]) if Self::small_const(last, wide).is_some() => {
                let c = Self::small_const(last, wide).unwrap_or(0);
                self.fuse(1, Instr::BinSC(op, c))
            }
            _ => {
                self.emit(op.instr());
            }
        }
    }

    /// A jump on the popped condition (`if_nonzero`, as `br_if`, or on
    /// zero, as `if`), folded with the comparison or `i32.eqz` that
    /// produced the condition when it can be. Returns the jump's index.
    pub(super) fn cond_jump(&mut self, if_nonzero: bool, target: u32) -> usize {
        let fused = match (self.tail(1), if_nonzero) {
            (Some(&[Instr::BinLL(op, a, b)]), true) => Some(Instr::JumpIfLL(op, a, b, target)),
            (Some(&[Instr::BinLL(op, a, b)]), false) => Some(Instr::JumpUnlessLL(op, a, b, target)),
            (Some(&[Instr::BinLC(op, a, c)]), true) => Some(Instr::JumpIfLC(op, a, c, target)),
            (Some(&[Instr::BinLC(op, a, c)]), false) => Some(Instr::JumpUnlessLC(op, a, c, target)),
            // `i32.eqz` then a jump on non-zero is a jump on zero.
            (Some(&[Instr::I32Eqz]), true) => Some(Instr::JumpIfEqz(target)),
            (Some(&[Instr::I32Eqz]), false) => Some(Instr::JumpIfNez(target)),
            _ => None,
        };
        match fused {
            Some(i) => {
                self.fuse(1, i);
                self.fold_step();
                self.code.instrs.len() - 1
            }
            None => self.emit(if if_nonzero {
                Instr::JumpIfNez(target)
            } else {
                Instr::JumpIfEqz(target)
            }),
        }
    }

    /// A jump on two `i32` locals after a small constant is added to the
    /// first (a loop's step and test) folds the add in: it happens first,
    /// as before.
    pub(super) fn fold_step(&mut self) {
        let (a, c, jump) = match self.tail(2) {
            Some(&[Instr::BinLCSet(IntBin::I32Add, x, c, y), jump]) if x == y => (x, c, jump),
            _ => return,
        };
        let Ok(c) = i8::try_from(c) else {
            return;
        };
        let step = match jump {
            Instr::JumpIfLL(op, x, b, t) if x == a && !op.wide() => step_jump(op, true, c, a, b, t),
            Instr::JumpUnlessLL(op, x, b, t) if x == a && !op.wide() => {
                step_jump(op, false, c, a, b, t)
            }
            _ => None,
        };
        if let Some(step) = step {
            self.fuse(2, step);
        }
    }

    /// A loop's back edge (a `StepJump`) folds into the accumulating load
    /// that is the whole loop body, which it jumps to (see
    /// `fused::load_add_loop`). The load keeps its offset, for a trap.
    pub(super) fn fold_load_add_loop(&mut self) {
        let at = self.code.instrs.len().saturating_sub(2);
        if let Some(&[load, step]) = self.tail(2)
            && let Some(i) = load_add_loop(load, step, at as u32)
        {
            self.fuse_at(2, i, self.offset_of_last(2));
        }
    }

    /// `local.get`; a third or later `local.get` of consecutive slots
    /// joins them in one copy (pairs stay apart for the operators that
    /// fold them).
    pub(super) fn local_get(&mut self, slot: u32) {
        match self.tail(2) {
            Some(&[Instr::LocalGet(a), Instr::LocalGet(b)]) if b == a + 1 && slot == b + 1 => {
                self.fuse(2, Instr::LocalGetRange(a, 3))
            }
            Some(&[_, Instr::LocalGetRange(first, n)]) if slot == first + n => {
                self.fuse(1, Instr::LocalGetRange(first, n + 1))
            }
            _ => match self.tail(1) {
                Some(&[Instr::LocalGetRange(first, n)]) if slot == first + n => {
                    self.fuse(1, Instr::LocalGetRange(first, n + 1))
                }
                _ => {
                    self.emit(Instr::LocalGet(slot));
                }
            },
        }
    }

    /// `local.set`, folded into the instruction that produced its operand
    /// when it can be.
    pub(super) fn local_set(&mut self, dst: u32) {
        // `local.get s; <load from local p>; add; local.set s`: the load
        // (which may trap, so the fused instruction keeps its offset)
        // writes no local, so reading `s` after it reads the same value.
        if let Some(&[Instr::LoadL(kind, p, offset), Instr::BinLS(op, s)]) = self.tail(2)
            && s == dst
            && kind.add() == Some(op)
        {
            let at = self.offset_of_last(2);
            return self.fuse_at(2, Instr::LoadAddSet(kind, p, s, offset), at);
        }
        match self.tail(1) {
            Some(&[Instr::LoadL(kind, a, offset)]) => {
                let at = self.offset_of_last(1);
                self.fuse_at(1, Instr::LoadLSet(kind, a, offset, dst), at)
            }
            Some(&[Instr::BinLL(op, a, b)]) => self.fuse(1, Instr::BinLLSet(op, a, b, dst)),
            Some(&[Instr::BinLC(op, a, c)]) => self.fuse(1, Instr::BinLCSet(op, a, c, dst)),
            Some(&[Instr::LocalGet(src)]) => self.fuse(1, Instr::LocalCopy(dst, src)),
            Some(&[Instr::BinLS(op, a)]) => self.fuse(1, Instr::BinLSSet(op, a, dst)),
            Some([i]) if int_bin_of(i).is_some() => {
                let op = int_bin_of(i).unwrap_or(IntBin::I32Add);
                self.fuse(1, Instr::BinSet(op, dst))
            }
            _ => {
                self.emit(Instr::LocalSet(dst));
            }
        }
    }

    /// `local.tee`, folded into the load (which keeps its offset, for a
    /// trap) or integer operator that produced its operand when it can be.
    pub(super) fn local_tee(&mut self, dst: u32) {
        match self.tail(1) {
            Some(&[Instr::LoadL(kind, a, offset)]) => {
                let at = self.offset_of_last(1);
                self.fuse_at(1, Instr::LoadLTee(kind, a, offset, dst), at)
            }
            Some(&[Instr::BinLL(op, a, b)]) => self.fuse(1, Instr::BinLLTee(op, a, b, dst)),
            Some(&[Instr::BinLC(op, a, c)]) => self.fuse(1, Instr::BinLCTee(op, a, c, dst)),
            Some(&[Instr::BinSC(op, c)]) => self.fuse(1, Instr::BinSCTee(op, c, dst)),
            Some([i]) if int_bin_of(i).is_some() => {
                let op = int_bin_of(i).unwrap_or(IntBin::I32Add);
                self.fuse(1, Instr::BinTee(op, dst))
            }
            _ => {
                self.emit(Instr::LocalTee(dst));
            }
        }
    }
}
