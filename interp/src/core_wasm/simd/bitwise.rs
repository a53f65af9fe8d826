//! Bitwise vector operators (core spec §4.4.3 "Vector Instructions":
//! `v128.vvunop`, `v128.vvbinop`, `v128.vvternop`; the operators are
//! §4.3.2's `inot`, `iand`, `iandnot`, `ior`, `ixor`, `ibitselect` on all
//! 128 bits at once).

ops! {
    /// `v128.not`.
    pub enum UnOp(a: u128) -> u128 {
        V128Not => !a,
    }
}

ops! {
    /// `v128.and`, `andnot`, `or`, `xor`.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        V128And => a & b,
        V128AndNot => a & !b,
        V128Or => a | b,
        V128Xor => a ^ b,
    }
}

ops! {
    /// Operators of three `v128` operands and a `v128` result:
    /// `v128.bitselect` (the relaxed ones are [`RelaxedOp`](super::RelaxedOp)s).
    pub enum TernOp(a: u128, b: u128, c: u128) -> u128 {
        V128Bitselect => bitselect(a, b, c),
    }
}

/// `ibitselect` (§4.3.2): the bits of `a` where `c` is set, of `b` elsewhere.
#[inline]
pub fn bitselect(a: u128, b: u128, c: u128) -> u128 {
    (a & c) | (b & !c)
}
