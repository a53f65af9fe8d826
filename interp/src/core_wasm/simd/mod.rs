//! Vector instructions (core spec §4.4.3 "Vector Instructions" and the
//! relaxed SIMD instructions of WebAssembly 3.0), lane by lane.
//!
//! A `v128` is a `u128` here, lane 0 in the least significant bits (the
//! little-endian byte order of memory). The interpreter's loop pops and
//! pushes the two slots of a `v128` and calls one function per shape of
//! instruction: [`unary`], [`binary`], [`ternary`], [`shift`], [`splat`],
//! [`extract`], [`replace`], [`test`], [`shuffle`], [`load`]. Each family of
//! operators has its own small module; [`decode`] maps wasmparser's
//! operators to [`Instr`](super::instr::Instr)s.

use super::instr::{Instr, MemArg};
use super::translate::mem_arg;
use super::trap::TrapKind;
use wasmparser::Operator;

/// Operators of one `v128` operand and a `v128` result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {}

/// Operators of two `v128` operands and a `v128` result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {}

/// Operators of three `v128` operands and a `v128` result (bitselect and
/// the relaxed fused and lane-select operators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TernOp {}

/// Shifts: a `v128` and an `i32` count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftOp {}

/// `splat` of a scalar to every lane, by shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplatOp {}

/// `extract_lane` forms, by shape and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtractOp {}

/// `replace_lane` forms, by shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaceOp {}

/// `v128.any_true`, `all_true` and `bitmask` forms: a `v128` to an `i32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestOp {}

/// What a `v128.load*` reads and how it widens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadKind {}

/// The result of a unary operator.
pub fn unary(op: UnOp, _a: u128) -> u128 {
    match op {}
}

/// The result of a binary operator.
pub fn binary(op: BinOp, _a: u128, _b: u128) -> u128 {
    match op {}
}

/// The result of a ternary operator.
pub fn ternary(op: TernOp, _a: u128, _b: u128, _c: u128) -> u128 {
    match op {}
}

/// The result of a shift by `count` (taken modulo the lane width).
pub fn shift(op: ShiftOp, _a: u128, _count: u32) -> u128 {
    match op {}
}

/// A scalar slot splatted to every lane.
pub fn splat(op: SplatOp, _x: u64) -> u128 {
    match op {}
}

/// A lane as a scalar slot.
pub fn extract(op: ExtractOp, _a: u128, _lane: u8) -> u64 {
    match op {}
}

/// `a` with one lane replaced by a scalar slot.
pub fn replace(op: ReplaceOp, _a: u128, _lane: u8, _x: u64) -> u128 {
    match op {}
}

/// An `i32` result of a test.
pub fn test(op: TestOp, _a: u128) -> u32 {
    match op {}
}

/// `i8x16.shuffle`: lane `i` of the result is lane `lanes[i]` of `a ++ b`.
pub fn shuffle(a: u128, b: u128, lanes: &[u8; 16]) -> u128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    let mut out = [0u8; 16];
    for (o, &l) in out.iter_mut().zip(lanes) {
        *o = if l < 16 {
            a[l as usize]
        } else {
            b[(l & 15) as usize]
        };
    }
    u128::from_le_bytes(out)
}

/// The `v128` a load produces from memory `data` at `addr + offset`.
///
/// # Errors
/// "out of bounds memory access" when the bytes read are not all inside.
pub fn load(kind: LoadKind, _data: &[u8], _addr: u64, _offset: u64) -> Result<u128, TrapKind> {
    match kind {}
}

/// Translates a vector operator, or `None` if `op` is not one. Memory
/// operands go through [`mem_arg`](super::translate::mem_arg) (a `None`
/// from it becomes [`Instr::MemoryOutOfBounds`]); `v128.const` and
/// `i8x16.shuffle` are translated by the caller, which keeps their
/// immediates in the function's code.
pub(crate) fn decode(op: &Operator<'_>) -> Option<Instr> {
    let mem = |m: &wasmparser::MemArg, make: fn(MemArg) -> Instr| {
        mem_arg(m).map_or(Instr::MemoryOutOfBounds, make)
    };
    Some(match *op {
        Operator::V128Store { ref memarg } => mem(memarg, Instr::V128Store),
        _ => return None,
    })
}
