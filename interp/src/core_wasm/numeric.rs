//! Numerics (core spec §4.3): the operators whose definitions are more than
//! one Rust operation: float rounding, `fmin`/`fmax`, the trapping and
//! saturating truncations, and NaN results.
//!
//! Floats use `libm` so that the crate works without `std`.
//!
//! NaN results: the spec lets an operation that produces a NaN return any
//! canonical or arithmetic NaN (§4.3.3 "NaN propagation"). witness returns
//! the positive canonical NaN, the choice of the spec's deterministic
//! profile, so that runs agree across hosts (the hardware's choice differs
//! between x86 and Arm).

use super::trap::TrapKind;

/// The positive canonical NaN of `f32` (§4.3.3).
pub const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// The positive canonical NaN of `f64` (§4.3.3).
pub const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

/// The result of a float operation, its NaNs made canonical.
#[inline]
pub fn nans32(z: f32) -> u64 {
    if z.is_nan() {
        F32_CANONICAL_NAN as u64
    } else {
        z.to_bits() as u64
    }
}

/// The result of a float operation, its NaNs made canonical.
#[inline]
pub fn nans64(z: f64) -> u64 {
    if z.is_nan() {
        F64_CANONICAL_NAN
    } else {
        z.to_bits()
    }
}

/// `fmin` (§4.3.3): NaN if either operand is NaN, and `-0 < +0`.
pub fn fmin32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == b {
        // Distinguishes the zeros: the result is -0 if either is.
        f32::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

/// `fmax` (§4.3.3): NaN if either operand is NaN, and `-0 < +0`.
pub fn fmax32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == b {
        f32::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

/// `fmin` for `f64`.
pub fn fmin64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

/// `fmax` for `f64`.
pub fn fmax64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

/// `fnearest` (§4.3.3): round to the nearest integer, ties to even.
pub fn nearest32(a: f32) -> f32 {
    libm::rintf(a)
}

/// `fnearest` for `f64`.
pub fn nearest64(a: f64) -> f64 {
    libm::rint(a)
}

pub use libm::{ceil as ceil64, ceilf as ceil32, floor as floor64, floorf as floor32};
pub use libm::{sqrt as sqrt64, sqrtf as sqrt32, trunc as trunc64, truncf as trunc32};

/// Checks that a float, truncated toward zero, lies strictly between `lo`
/// and `hi` (§4.3.2 `trunc`): NaN and out-of-range values trap.
///
/// Every `f32` and every bound used here is exact as an `f64`, so one
/// comparison in `f64` decides both widths.
#[inline]
fn trunc_check(x: f64, lo: f64, hi: f64) -> Result<(), TrapKind> {
    if x.is_nan() {
        Err(TrapKind::InvalidConversionToInteger)
    } else if x > lo && x < hi {
        Ok(())
    } else {
        Err(TrapKind::IntegerOverflow)
    }
}

/// `trunc_s` to 32 bits (§4.3.2). Rust's `as` truncates toward zero, and the
/// range has just been checked.
pub fn trunc_s32(x: f64) -> Result<i32, TrapKind> {
    trunc_check(x, -2147483649.0, 2147483648.0).map(|()| x as i32)
}

/// `trunc_u` to 32 bits.
pub fn trunc_u32(x: f64) -> Result<u32, TrapKind> {
    trunc_check(x, -1.0, 4294967296.0).map(|()| x as u32)
}

/// `trunc_s` to 64 bits. `-2^63` is in range and the `f64` below it is
/// `-2^63 - 2048`, so `x >= -2^63` is the same as the spec's bound.
pub fn trunc_s64(x: f64) -> Result<i64, TrapKind> {
    if x == -9223372036854775808.0 {
        return Ok(i64::MIN);
    }
    trunc_check(x, -9223372036854775808.0, 9223372036854775808.0).map(|()| x as i64)
}

/// `trunc_u` to 64 bits.
pub fn trunc_u64(x: f64) -> Result<u64, TrapKind> {
    trunc_check(x, -1.0, 18446744073709551616.0).map(|()| x as u64)
}

// The saturating truncations (§4.3.2 `trunc_sat`) are exactly Rust's `as`
// casts from float to integer: NaN becomes 0 and out-of-range values clamp.

/// `idiv_s` (§4.3.2): traps on zero and on the one overflowing quotient.
pub fn div_s32(a: i32, b: i32) -> Result<i32, TrapKind> {
    match b {
        0 => Err(TrapKind::IntegerDivideByZero),
        -1 if a == i32::MIN => Err(TrapKind::IntegerOverflow),
        _ => Ok(a / b),
    }
}

/// `idiv_s` for 64 bits.
pub fn div_s64(a: i64, b: i64) -> Result<i64, TrapKind> {
    match b {
        0 => Err(TrapKind::IntegerDivideByZero),
        -1 if a == i64::MIN => Err(TrapKind::IntegerOverflow),
        _ => Ok(a / b),
    }
}

/// `irem_s` (§4.3.2): traps on zero; `INT_MIN % -1` is 0.
pub fn rem_s32(a: i32, b: i32) -> Result<i32, TrapKind> {
    if b == 0 {
        Err(TrapKind::IntegerDivideByZero)
    } else {
        Ok(a.wrapping_rem(b))
    }
}

/// `irem_s` for 64 bits.
pub fn rem_s64(a: i64, b: i64) -> Result<i64, TrapKind> {
    if b == 0 {
        Err(TrapKind::IntegerDivideByZero)
    } else {
        Ok(a.wrapping_rem(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_zeros_and_nans() {
        assert_eq!(fmin32(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(fmin32(-0.0, 0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(fmax32(-0.0, 0.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(fmax64(0.0, -0.0).to_bits(), 0.0f64.to_bits());
        assert!(fmin64(f64::NAN, 1.0).is_nan());
        assert!(fmax32(1.0, f32::NAN).is_nan());
        assert_eq!(fmin64(-1.0, 2.0), -1.0);
        assert_eq!(fmax64(-1.0, 2.0), 2.0);
    }

    #[test]
    fn nearest_ties_to_even() {
        assert_eq!(nearest32(2.5), 2.0);
        assert_eq!(nearest32(3.5), 4.0);
        assert_eq!(nearest64(-0.5).to_bits(), (-0.0f64).to_bits());
        assert_eq!(nearest64(4503599627370497.0), 4503599627370497.0);
    }

    #[test]
    fn trapping_truncation_bounds() {
        assert_eq!(trunc_s32(-2147483648.9), Ok(i32::MIN));
        assert_eq!(trunc_s32(2147483647.9), Ok(i32::MAX));
        assert_eq!(trunc_s32(2147483648.0), Err(TrapKind::IntegerOverflow));
        assert_eq!(trunc_s32(-2147483649.0), Err(TrapKind::IntegerOverflow));
        assert_eq!(trunc_u32(-0.9), Ok(0));
        assert_eq!(trunc_u32(-1.0), Err(TrapKind::IntegerOverflow));
        assert_eq!(trunc_u32(4294967295.5), Ok(u32::MAX));
        assert_eq!(trunc_s64(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(
            trunc_s64(9223372036854775808.0),
            Err(TrapKind::IntegerOverflow)
        );
        assert_eq!(trunc_u64(18446744073709549568.0), Ok(18446744073709549568));
        assert_eq!(
            trunc_u64(18446744073709551616.0),
            Err(TrapKind::IntegerOverflow)
        );
        assert_eq!(
            trunc_s64(f64::NAN),
            Err(TrapKind::InvalidConversionToInteger)
        );
        assert_eq!(trunc_u32(f64::INFINITY), Err(TrapKind::IntegerOverflow));
    }

    #[test]
    fn division_traps() {
        assert_eq!(div_s32(i32::MIN, -1), Err(TrapKind::IntegerOverflow));
        assert_eq!(div_s64(1, 0), Err(TrapKind::IntegerDivideByZero));
        assert_eq!(rem_s32(i32::MIN, -1), Ok(0));
        assert_eq!(rem_s64(-7, 2), Ok(-1));
        assert_eq!(div_s32(-7, 2), Ok(-3));
    }

    #[test]
    fn canonical_nans() {
        assert_eq!(
            nans32(f32::from_bits(0xffc0_0001)),
            F32_CANONICAL_NAN as u64
        );
        assert_eq!(nans64(0.0 / 0.0), F64_CANONICAL_NAN);
        assert_eq!(nans64(1.5), 1.5f64.to_bits());
    }
}
