//! Integer lane arithmetic (core spec §4.3.2 "Integer Operations" lifted
//! lanewise by §4.4.3 `shape.vunop`/`shape.vbinop`): `iabs`, `ineg`,
//! `ipopcnt`, `iadd`, `isub`, `imul`, `iadd_sat`, `isub_sat`, `imin`,
//! `imax`, `iavgr_u` and `iq15mulr_sat_s`.
//!
//! Signedness is the lane type's: `i8` lanes for `_s`, `u8` lanes for `_u`.
//! Rust's `wrapping_*` and `saturating_*` are the spec's modular and
//! saturating operators.

use super::lanes::{map, zip};

ops! {
    /// Integer operators of one operand.
    pub enum UnOp(a: u128) -> u128 {
        I8x16Abs => map(a, i8::wrapping_abs),
        I16x8Abs => map(a, i16::wrapping_abs),
        I32x4Abs => map(a, i32::wrapping_abs),
        I64x2Abs => map(a, i64::wrapping_abs),
        I8x16Neg => map(a, i8::wrapping_neg),
        I16x8Neg => map(a, i16::wrapping_neg),
        I32x4Neg => map(a, i32::wrapping_neg),
        I64x2Neg => map(a, i64::wrapping_neg),
        I8x16Popcnt => map(a, |x: u8| x.count_ones() as u8),
    }
}

ops! {
    /// Integer operators of two operands.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        I8x16Add => zip(a, b, u8::wrapping_add),
        I16x8Add => zip(a, b, u16::wrapping_add),
        I32x4Add => zip(a, b, u32::wrapping_add),
        I64x2Add => zip(a, b, u64::wrapping_add),
        I8x16Sub => zip(a, b, u8::wrapping_sub),
        I16x8Sub => zip(a, b, u16::wrapping_sub),
        I32x4Sub => zip(a, b, u32::wrapping_sub),
        I64x2Sub => zip(a, b, u64::wrapping_sub),
        I16x8Mul => zip(a, b, u16::wrapping_mul),
        I32x4Mul => zip(a, b, u32::wrapping_mul),
        I64x2Mul => zip(a, b, u64::wrapping_mul),
        I8x16AddSatS => zip(a, b, i8::saturating_add),
        I8x16AddSatU => zip(a, b, u8::saturating_add),
        I16x8AddSatS => zip(a, b, i16::saturating_add),
        I16x8AddSatU => zip(a, b, u16::saturating_add),
        I8x16SubSatS => zip(a, b, i8::saturating_sub),
        I8x16SubSatU => zip(a, b, u8::saturating_sub),
        I16x8SubSatS => zip(a, b, i16::saturating_sub),
        I16x8SubSatU => zip(a, b, u16::saturating_sub),
        I8x16MinS => zip(a, b, i8::min),
        I8x16MinU => zip(a, b, u8::min),
        I16x8MinS => zip(a, b, i16::min),
        I16x8MinU => zip(a, b, u16::min),
        I32x4MinS => zip(a, b, i32::min),
        I32x4MinU => zip(a, b, u32::min),
        I8x16MaxS => zip(a, b, i8::max),
        I8x16MaxU => zip(a, b, u8::max),
        I16x8MaxS => zip(a, b, i16::max),
        I16x8MaxU => zip(a, b, u16::max),
        I32x4MaxS => zip(a, b, i32::max),
        I32x4MaxU => zip(a, b, u32::max),
        I8x16AvgrU => zip(a, b, |x: u8, y: u8| avgr_u(x.into(), y.into()) as u8),
        I16x8AvgrU => zip(a, b, |x: u16, y: u16| avgr_u(x.into(), y.into()) as u16),
        I16x8Q15MulrSatS => zip(a, b, q15mulr_sat_s),
    }
}

/// `iavgr_u` (§4.3.2): `(x + y + 1) / 2`, the average rounded up,
/// computed without overflow in a wider type.
#[inline]
pub fn avgr_u(x: u32, y: u32) -> u32 {
    (x + y).div_ceil(2)
}

/// `iq15mulr_sat_s` (§4.3.2): the Q15 product `(x * y + 2^14) >> 15`,
/// saturated (only `-2^15 * -2^15` overflows).
#[inline]
pub fn q15mulr_sat_s(x: i16, y: i16) -> i16 {
    let p = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
    p.clamp(i16::MIN.into(), i16::MAX.into()) as i16
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{lane, splat};
    use super::*;

    #[test]
    fn saturation() {
        let r = BinOp::I8x16AddSatS.apply(splat(100i8), splat(100i8));
        assert_eq!(lane::<i8>(r, 3), 127);
        let r = BinOp::I8x16AddSatU.apply(splat(200u8), splat(100u8));
        assert_eq!(lane::<u8>(r, 3), 255);
        let r = BinOp::I16x8SubSatS.apply(splat(i16::MIN), splat(1i16));
        assert_eq!(lane::<i16>(r, 7), i16::MIN);
        let r = BinOp::I16x8SubSatU.apply(splat(1u16), splat(2u16));
        assert_eq!(lane::<u16>(r, 0), 0);
        // Without saturation the same lanes wrap.
        let r = BinOp::I8x16Add.apply(splat(100i8), splat(100i8));
        assert_eq!(lane::<i8>(r, 0), -56);
    }

    #[test]
    fn q15mulr() {
        assert_eq!(q15mulr_sat_s(i16::MIN, i16::MIN), i16::MAX);
        assert_eq!(q15mulr_sat_s(i16::MIN, i16::MAX), -32767);
        assert_eq!(q15mulr_sat_s(16384, 16384), 8192);
        // Rounds half up: 1 * 16384 = 2^14, + 2^14 = 2^15 -> 1.
        assert_eq!(q15mulr_sat_s(1, 16384), 1);
        assert_eq!(q15mulr_sat_s(-1, 16384), 0);
    }

    #[test]
    fn abs_popcnt_avgr() {
        let r = UnOp::I8x16Abs.apply(splat(i8::MIN));
        assert_eq!(lane::<i8>(r, 0), i8::MIN);
        let r = UnOp::I8x16Popcnt.apply(splat(0xf7u8));
        assert_eq!(lane::<u8>(r, 15), 7);
        let r = BinOp::I8x16AvgrU.apply(splat(255u8), splat(254u8));
        assert_eq!(lane::<u8>(r, 0), 255);
        let r = BinOp::I16x8AvgrU.apply(splat(0u16), splat(1u16));
        assert_eq!(lane::<u16>(r, 0), 1);
    }
}
