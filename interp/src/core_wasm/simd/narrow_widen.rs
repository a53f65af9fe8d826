//! Narrowing and widening (core spec §4.4.3 `narrow`, `vcvtop` `extend`,
//! `vextunop`, `vextbinop`; §4.3.5's `ivaddpairwise`, `ivmul`, `ivdot`):
//! `narrow_*`, `extend_low/high_*`, `extadd_pairwise_*`, `extmul_low/high_*`
//! and `i32x4.dot_i16x8_s`.
//!
//! Each is a [`build`] of the wider or narrower result shape from lanes of
//! the source shape: `lane::<i8>(a, i) as i16` is `extend_s`, `lane::<u8>`
//! is `extend_u`.

use super::lanes::{build, lane};

/// Low (`$h` = 0) or high (`$h` = half the lanes) lanes of `$a` of type
/// `$t`, widened to `$w`.
macro_rules! extend {
    ($a:ident, $t:ty => $w:ty, $h:expr) => {
        build(|i| lane::<$t>($a, i + $h) as $w)
    };
}

/// Products of widened lanes: `extmul`.
macro_rules! extmul {
    ($a:ident, $b:ident, $t:ty => $w:ty, $h:expr) => {
        build(|i| (lane::<$t>($a, i + $h) as $w).wrapping_mul(lane::<$t>($b, i + $h) as $w))
    };
}

/// Sums of adjacent widened lanes: `extadd_pairwise`.
macro_rules! extadd {
    ($a:ident, $t:ty => $w:ty) => {
        build(|i| (lane::<$t>($a, 2 * i) as $w).wrapping_add(lane::<$t>($a, 2 * i + 1) as $w))
    };
}

ops! {
    /// Widening operators of one operand.
    pub enum UnOp(a: u128) -> u128 {
        I16x8ExtendLowI8x16S => extend!(a, i8 => i16, 0),
        I16x8ExtendHighI8x16S => extend!(a, i8 => i16, 8),
        I16x8ExtendLowI8x16U => extend!(a, u8 => u16, 0),
        I16x8ExtendHighI8x16U => extend!(a, u8 => u16, 8),
        I32x4ExtendLowI16x8S => extend!(a, i16 => i32, 0),
        I32x4ExtendHighI16x8S => extend!(a, i16 => i32, 4),
        I32x4ExtendLowI16x8U => extend!(a, u16 => u32, 0),
        I32x4ExtendHighI16x8U => extend!(a, u16 => u32, 4),
        I64x2ExtendLowI32x4S => extend!(a, i32 => i64, 0),
        I64x2ExtendHighI32x4S => extend!(a, i32 => i64, 2),
        I64x2ExtendLowI32x4U => extend!(a, u32 => u64, 0),
        I64x2ExtendHighI32x4U => extend!(a, u32 => u64, 2),
        I16x8ExtAddPairwiseI8x16S => extadd!(a, i8 => i16),
        I16x8ExtAddPairwiseI8x16U => extadd!(a, u8 => u16),
        I32x4ExtAddPairwiseI16x8S => extadd!(a, i16 => i32),
        I32x4ExtAddPairwiseI16x8U => extadd!(a, u16 => u32),
    }
}

ops! {
    /// Narrowing and widening operators of two operands.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        I8x16NarrowI16x8S => narrow(a, b, |x: i16| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8),
        I8x16NarrowI16x8U => narrow(a, b, |x: i16| x.clamp(0, u8::MAX.into()) as u8),
        I16x8NarrowI32x4S => narrow(a, b, |x: i32| x.clamp(i16::MIN.into(), i16::MAX.into()) as i16),
        I16x8NarrowI32x4U => narrow(a, b, |x: i32| x.clamp(0, u16::MAX.into()) as u16),
        I16x8ExtMulLowI8x16S => extmul!(a, b, i8 => i16, 0),
        I16x8ExtMulHighI8x16S => extmul!(a, b, i8 => i16, 8),
        I16x8ExtMulLowI8x16U => extmul!(a, b, u8 => u16, 0),
        I16x8ExtMulHighI8x16U => extmul!(a, b, u8 => u16, 8),
        I32x4ExtMulLowI16x8S => extmul!(a, b, i16 => i32, 0),
        I32x4ExtMulHighI16x8S => extmul!(a, b, i16 => i32, 4),
        I32x4ExtMulLowI16x8U => extmul!(a, b, u16 => u32, 0),
        I32x4ExtMulHighI16x8U => extmul!(a, b, u16 => u32, 4),
        I64x2ExtMulLowI32x4S => extmul!(a, b, i32 => i64, 0),
        I64x2ExtMulHighI32x4S => extmul!(a, b, i32 => i64, 2),
        I64x2ExtMulLowI32x4U => extmul!(a, b, u32 => u64, 0),
        I64x2ExtMulHighI32x4U => extmul!(a, b, u32 => u64, 2),
        I32x4DotI16x8S => dot_i16x8_s(a, b),
    }
}

/// `narrow_sx` (§4.4.3): the lanes of `a`, then of `b`, each saturated to
/// the narrower type by `sat`.
#[inline]
pub fn narrow<T: super::lanes::Lane, U: super::lanes::Lane>(
    a: u128,
    b: u128,
    sat: impl Fn(T) -> U,
) -> u128 {
    let half = super::lanes::count::<T>();
    build(|i| {
        sat(if i < half {
            lane(a, i)
        } else {
            lane(b, i - half)
        })
    })
}

/// `i32x4.dot_i16x8_s` (`ivdot`): sums of products of adjacent signed
/// lanes, modulo 2^32 (only `2 * (-2^15)^2` wraps).
#[inline]
pub fn dot_i16x8_s(a: u128, b: u128) -> u128 {
    let p = |i| i32::from(lane::<i16>(a, i)) * i32::from(lane::<i16>(b, i));
    build(|i| p(2 * i).wrapping_add(p(2 * i + 1)))
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{lane, set, splat};
    use super::*;

    #[test]
    fn narrowing_saturates_signed_inputs() {
        let a = set(splat(300i16), 1, -300i16);
        let b = set(splat(-1i16), 7, 100i16);
        let s = BinOp::I8x16NarrowI16x8S.apply(a, b);
        assert_eq!(lane::<i8>(s, 0), 127);
        assert_eq!(lane::<i8>(s, 1), -128);
        assert_eq!(lane::<i8>(s, 8), -1);
        assert_eq!(lane::<i8>(s, 15), 100);
        let u = BinOp::I8x16NarrowI16x8U.apply(a, b);
        assert_eq!(lane::<u8>(u, 0), 255);
        assert_eq!(lane::<u8>(u, 1), 0);
        assert_eq!(lane::<u8>(u, 8), 0);
        let u = BinOp::I16x8NarrowI32x4U.apply(splat(70000i32), splat(-5i32));
        assert_eq!(lane::<u16>(u, 3), 65535);
        assert_eq!(lane::<u16>(u, 4), 0);
    }

    #[test]
    fn extend_and_extmul() {
        let a = set(splat(-1i8), 8, 5i8);
        assert_eq!(lane::<i16>(UnOp::I16x8ExtendHighI8x16S.apply(a), 0), 5);
        assert_eq!(lane::<u16>(UnOp::I16x8ExtendLowI8x16U.apply(a), 0), 255);
        let r = BinOp::I16x8ExtMulLowI8x16S.apply(splat(i8::MIN), splat(i8::MIN));
        assert_eq!(lane::<i16>(r, 0), 16384);
        let r = BinOp::I16x8ExtMulHighI8x16U.apply(splat(255u8), splat(255u8));
        assert_eq!(lane::<u16>(r, 7), 65025);
        let r = BinOp::I64x2ExtMulHighI32x4S.apply(splat(i32::MIN), splat(i32::MIN));
        assert_eq!(lane::<i64>(r, 1), 1 << 62);
        let r = BinOp::I64x2ExtMulLowI32x4U.apply(splat(u32::MAX), splat(u32::MAX));
        assert_eq!(lane::<u64>(r, 0), 0xffff_fffe_0000_0001);
    }

    #[test]
    fn extadd_pairwise_and_dot() {
        let r = UnOp::I16x8ExtAddPairwiseI8x16S.apply(splat(i8::MIN));
        assert_eq!(lane::<i16>(r, 0), -256);
        let r = UnOp::I32x4ExtAddPairwiseI16x8U.apply(splat(u16::MAX));
        assert_eq!(lane::<u32>(r, 3), 131070);
        let r = BinOp::I32x4DotI16x8S.apply(splat(i16::MIN), splat(i16::MIN));
        assert_eq!(lane::<i32>(r, 0), i32::MIN);
        let r = BinOp::I32x4DotI16x8S.apply(splat(-2i16), splat(3i16));
        assert_eq!(lane::<i32>(r, 3), -12);
    }
}
