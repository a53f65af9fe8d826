//! Float lane arithmetic (core spec §4.3.3 "Floating-Point Operations"
//! lifted lanewise by §4.4.3 `shape.vunop`/`shape.vbinop`): `fabs`,
//! `fneg`, `fsqrt`, `fceil`, `ffloor`, `ftrunc`, `fnearest`, `fadd`,
//! `fsub`, `fmul`, `fdiv`, `fmin`, `fmax`, `fpmin`, `fpmax`.
//!
//! The operators are [`numeric`](super::super::numeric)'s, and so are their
//! NaN results (the positive canonical NaN): [`c32`]/[`c64`] apply its
//! `nans32`/`nans64` to a lane. `abs`, `neg`, `pmin` and `pmax` return (a
//! sign-changed) operand and keep its NaN payload, as the spec says; they
//! work on the lanes' bits.

use super::super::numeric::*;
use super::lanes::{map, zip};

ops! {
    /// Float operators of one operand.
    pub enum UnOp(a: u128) -> u128 {
        F32x4Abs => map(a, |x: u32| x & !SIGN32),
        F64x2Abs => map(a, |x: u64| x & !SIGN64),
        F32x4Neg => map(a, |x: u32| x ^ SIGN32),
        F64x2Neg => map(a, |x: u64| x ^ SIGN64),
        F32x4Sqrt => map(a, |x| c32(sqrt32(x))),
        F64x2Sqrt => map(a, |x| c64(sqrt64(x))),
        F32x4Ceil => map(a, |x| c32(ceil32(x))),
        F64x2Ceil => map(a, |x| c64(ceil64(x))),
        F32x4Floor => map(a, |x| c32(floor32(x))),
        F64x2Floor => map(a, |x| c64(floor64(x))),
        F32x4Trunc => map(a, |x| c32(trunc32(x))),
        F64x2Trunc => map(a, |x| c64(trunc64(x))),
        F32x4Nearest => map(a, |x| c32(nearest32(x))),
        F64x2Nearest => map(a, |x| c64(nearest64(x))),
    }
}

ops! {
    /// Float operators of two operands.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        F32x4Add => zip(a, b, |x: f32, y| c32(x + y)),
        F64x2Add => zip(a, b, |x: f64, y| c64(x + y)),
        F32x4Sub => zip(a, b, |x: f32, y| c32(x - y)),
        F64x2Sub => zip(a, b, |x: f64, y| c64(x - y)),
        F32x4Mul => zip(a, b, |x: f32, y| c32(x * y)),
        F64x2Mul => zip(a, b, |x: f64, y| c64(x * y)),
        F32x4Div => zip(a, b, |x: f32, y| c32(x / y)),
        F64x2Div => zip(a, b, |x: f64, y| c64(x / y)),
        F32x4Min => zip(a, b, |x, y| c32(fmin32(x, y))),
        F64x2Min => zip(a, b, |x, y| c64(fmin64(x, y))),
        F32x4Max => zip(a, b, |x, y| c32(fmax32(x, y))),
        F64x2Max => zip(a, b, |x, y| c64(fmax64(x, y))),
        F32x4PMin => zip(a, b, |x, y| pick(x, y, f32::from_bits(y) < f32::from_bits(x))),
        F64x2PMin => zip(a, b, |x, y| pick(x, y, f64::from_bits(y) < f64::from_bits(x))),
        F32x4PMax => zip(a, b, |x, y| pick(x, y, f32::from_bits(x) < f32::from_bits(y))),
        F64x2PMax => zip(a, b, |x, y| pick(x, y, f64::from_bits(x) < f64::from_bits(y))),
    }
}

/// The sign bit of an `f32`.
pub const SIGN32: u32 = 0x8000_0000;
/// The sign bit of an `f64`.
pub const SIGN64: u64 = 1 << 63;

/// A float result as a lane's bits, NaN made canonical.
#[inline]
pub fn c32(z: f32) -> u32 {
    nans32(z) as u32
}

/// A float result as a lane's bits, NaN made canonical.
#[inline]
pub fn c64(z: f64) -> u64 {
    nans64(z)
}

/// `fpmin`/`fpmax` (§4.3.3): `z2` if the comparison holds, else `z1`,
/// bits unchanged.
#[inline]
fn pick<T>(z1: T, z2: T, second: bool) -> T {
    if second { z2 } else { z1 }
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{lane, splat};
    use super::*;

    #[test]
    fn nan_results_are_canonical_and_sign_ops_keep_payloads() {
        let nan = 0xffa0_0001u32;
        let r = BinOp::F32x4Add.apply(splat(nan), splat(1.0f32));
        assert_eq!(lane::<u32>(r, 2), 0x7fc0_0000);
        let r = UnOp::F32x4Neg.apply(splat(nan));
        assert_eq!(lane::<u32>(r, 1), 0x7fa0_0001);
        let r = UnOp::F64x2Abs.apply(splat(-0.0f64));
        assert_eq!(lane::<u64>(r, 1), 0);
        let r = BinOp::F32x4Min.apply(splat(0.0f32), splat(-0.0f32));
        assert_eq!(lane::<u32>(r, 0), SIGN32);
    }

    #[test]
    fn pmin_pmax_return_an_operand() {
        let nan = 0x7fa0_0001u32;
        let one = 1.0f32.to_bits();
        // pmin(z1, z2) = z2 < z1 ? z2 : z1: a NaN first operand stays.
        let r = BinOp::F32x4PMin.apply(splat(nan), splat(one));
        assert_eq!(lane::<u32>(r, 0), nan);
        let r = BinOp::F32x4PMin.apply(splat(one), splat(nan));
        assert_eq!(lane::<u32>(r, 0), one);
        let r = BinOp::F64x2PMax.apply(splat(-0.0f64), splat(0.0f64));
        assert_eq!(lane::<u64>(r, 0), SIGN64);
    }
}
