//! Lane conversions (core spec §4.4.3 `shape.vcvtop`, with §4.3.4's
//! `trunc_sat`, `convert`, `demote` and `promote`): `i32x4.trunc_sat_*`,
//! `f32x4.convert_*`, `f64x2.convert_low_*`, `f32x4.demote_f64x2_zero`,
//! `f64x2.promote_low_f32x4`.
//!
//! Rust's float-to-integer `as` is `trunc_sat` (NaN to 0, out-of-range
//! values clamped), its integer-to-float and `f64`-to-`f32` `as` round to
//! nearest, ties to even, as `convert` and `demote` do. `_zero` forms fill
//! the upper lanes with zeros; `_low` forms read the lower lanes.

use super::super::numeric::{nans32, nans64};
use super::lanes::{build, lane, map};

ops! {
    /// Conversions.
    pub enum UnOp(a: u128) -> u128 {
        I32x4TruncSatF32x4S => map(a, |x: f32| x as i32),
        I32x4TruncSatF32x4U => map(a, |x: f32| x as u32),
        I32x4TruncSatF64x2SZero => zero(|i| lane::<f64>(a, i) as i32),
        I32x4TruncSatF64x2UZero => zero(|i| lane::<f64>(a, i) as u32),
        F32x4ConvertI32x4S => map(a, |x: i32| x as f32),
        F32x4ConvertI32x4U => map(a, |x: u32| x as f32),
        F64x2ConvertLowI32x4S => build(|i| lane::<i32>(a, i) as f64),
        F64x2ConvertLowI32x4U => build(|i| lane::<u32>(a, i) as f64),
        F32x4DemoteF64x2Zero => zero(|i| nans32(lane::<f64>(a, i) as f32) as u32),
        F64x2PromoteLowF32x4 => build(|i| nans64(lane::<f32>(a, i) as f64)),
    }
}

/// The `i32x4`/`f32x4` whose two low lanes are `f(0)`, `f(1)` and whose
/// two high lanes are zero.
#[inline]
pub fn zero<T: super::lanes::Lane + Default>(f: impl Fn(usize) -> T) -> u128 {
    build(|i| if i < 2 { f(i) } else { T::default() })
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{lane, splat};
    use super::*;

    #[test]
    fn trunc_sat() {
        let r = UnOp::I32x4TruncSatF32x4S.apply(splat(3e9f32));
        assert_eq!(lane::<i32>(r, 0), i32::MAX);
        let r = UnOp::I32x4TruncSatF32x4S.apply(splat(f32::NAN));
        assert_eq!(lane::<i32>(r, 1), 0);
        let r = UnOp::I32x4TruncSatF32x4U.apply(splat(-1.5f32));
        assert_eq!(lane::<u32>(r, 2), 0);
        let r = UnOp::I32x4TruncSatF64x2UZero.apply(splat(5e9f64));
        assert_eq!(r, u32::MAX as u128 | (u32::MAX as u128) << 32);
        let r = UnOp::I32x4TruncSatF64x2SZero.apply(splat(-2.9f64));
        assert_eq!(lane::<i32>(r, 1), -2);
        assert_eq!(lane::<i32>(r, 2), 0);
    }

    #[test]
    fn convert_demote_promote() {
        let r = UnOp::F32x4ConvertI32x4U.apply(splat(u32::MAX));
        assert_eq!(lane::<f32>(r, 0), 4294967296.0);
        let r = UnOp::F64x2ConvertLowI32x4S.apply(splat(-1i32));
        assert_eq!(lane::<f64>(r, 1), -1.0);
        let r = UnOp::F32x4DemoteF64x2Zero.apply(splat(f64::from_bits(0x7ff4_0000_0000_0001)));
        assert_eq!(r, 0x7fc0_0000_7fc0_0000);
        let r = UnOp::F64x2PromoteLowF32x4.apply(splat(1.5f32));
        assert_eq!(lane::<f64>(r, 1), 1.5);
    }
}
