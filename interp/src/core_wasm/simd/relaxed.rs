//! Relaxed vector operators (WebAssembly 3.0; core spec §4.3.6 "Relaxed
//! Operations" and the relaxed rows of §4.3.5's `vextbinop`/`vextternop`):
//! `relaxed_swizzle`, `relaxed_trunc*`, `relaxed_madd`/`nmadd`,
//! `relaxed_laneselect`, `relaxed_min`/`max`, `relaxed_q15mulr_s`,
//! `relaxed_dot_i8x16_i7x16_s` and `relaxed_dot_i8x16_i7x16_add_s`.
//!
//! Each reads its global parameter `R` from [`Choices`] once and then
//! computes lane by lane, writing the spec's `relaxed(R)[A_0, ..., A_n]`
//! as [`relaxed`]`(r, [A_0, ..., A_n])`. With the default choices (the
//! deterministic profile) every operator behaves as its non-relaxed
//! counterpart. Where the spec permits "any value" (`relaxed_trunc` of NaN
//! or an out-of-range value), witness's second option is the one x86
//! hardware gives: `-2^31` signed, `2^32 - 1` unsigned.

use super::super::choices::{Choices, Relaxed};
use super::super::numeric::{fmax32, fmax64, fmin32, fmin64, trunc_s32, trunc_u32};
use super::convert::zero;
use super::float_arith::{SIGN32, SIGN64, c32, c64};
use super::int_arith::q15mulr_sat_s;
use super::lane_access::byte_or_zero;
use super::lanes::{build, lane, map, zip, zip3};
use super::narrow_widen;

/// `irelaxed_laneselect_N` (§4.3.6): `ibitselect` with the mask `c` as it
/// is, or with each lane's top bit spread over the lane.
macro_rules! laneselect {
    ($ch:ident, $a:ident, $b:ident, $c:ident, $u:ty as $s:ty) => {{
        let r = $ch.relaxed(Relaxed::Laneselect);
        zip3($a, $b, $c, |x: $u, y: $u, m: $u| {
            let m = relaxed(r, [m, ((m as $s) >> (<$u>::BITS - 1)) as $u]);
            (x & m) | (y & !m)
        })
    }};
}

ops! {
    /// The relaxed operators, of one to three `v128` operands (see
    /// [`arity`](RelaxedOp::arity); unused operands are zero).
    pub enum RelaxedOp(ch: &mut Choices, a: u128, b: u128, c: u128) -> u128 {
        I8x16RelaxedSwizzle => swizzle(ch.relaxed(Relaxed::Swizzle), a, b),
        I32x4RelaxedTruncF32x4S => {
            let r = ch.relaxed(Relaxed::TruncS);
            map(a, |x: f32| trunc_s(r, x.into()))
        },
        I32x4RelaxedTruncF32x4U => {
            let r = ch.relaxed(Relaxed::TruncU);
            map(a, |x: f32| trunc_u(r, x.into()))
        },
        I32x4RelaxedTruncF64x2SZero => {
            let r = ch.relaxed(Relaxed::TruncS);
            zero(|i| trunc_s(r, lane(a, i)))
        },
        I32x4RelaxedTruncF64x2UZero => {
            let r = ch.relaxed(Relaxed::TruncU);
            zero(|i| trunc_u(r, lane(a, i)))
        },
        F32x4RelaxedMadd => {
            let r = ch.relaxed(Relaxed::Fmadd);
            zip3(a, b, c, |x, y, z| madd32(r, x, y, z))
        },
        F32x4RelaxedNmadd => {
            let r = ch.relaxed(Relaxed::Fmadd);
            zip3(a, b, c, |x: f32, y, z| madd32(r, -x, y, z))
        },
        F64x2RelaxedMadd => {
            let r = ch.relaxed(Relaxed::Fmadd);
            zip3(a, b, c, |x, y, z| madd64(r, x, y, z))
        },
        F64x2RelaxedNmadd => {
            let r = ch.relaxed(Relaxed::Fmadd);
            zip3(a, b, c, |x: f64, y, z| madd64(r, -x, y, z))
        },
        I8x16RelaxedLaneselect => laneselect!(ch, a, b, c, u8 as i8),
        I16x8RelaxedLaneselect => laneselect!(ch, a, b, c, u16 as i16),
        I32x4RelaxedLaneselect => laneselect!(ch, a, b, c, u32 as i32),
        I64x2RelaxedLaneselect => laneselect!(ch, a, b, c, u64 as i64),
        F32x4RelaxedMin => {
            let r = ch.relaxed(Relaxed::Fmin);
            zip(a, b, |x, y| min32(r, x, y))
        },
        F32x4RelaxedMax => {
            let r = ch.relaxed(Relaxed::Fmax);
            zip(a, b, |x, y| max32(r, x, y))
        },
        F64x2RelaxedMin => {
            let r = ch.relaxed(Relaxed::Fmin);
            zip(a, b, |x, y| min64(r, x, y))
        },
        F64x2RelaxedMax => {
            let r = ch.relaxed(Relaxed::Fmax);
            zip(a, b, |x, y| max64(r, x, y))
        },
        I16x8RelaxedQ15mulrS => {
            let r = ch.relaxed(Relaxed::Iq15mulr);
            zip(a, b, |x, y| q15mulr_s(r, x, y))
        },
        I16x8RelaxedDotI8x16I7x16S => dot_i8x16_i7x16_s(ch.relaxed(Relaxed::Idot), a, b),
        I32x4RelaxedDotI8x16I7x16AddS => {
            // `vextternop`: the relaxed dot product, its adjacent lanes
            // added (`extadd_pairwise_s`), then `c` added.
            let d = dot_i8x16_i7x16_s(ch.relaxed(Relaxed::Idot), a, b);
            let d = narrow_widen::UnOp::I32x4ExtAddPairwiseI16x8S.apply(d);
            zip(d, c, u32::wrapping_add)
        },
    }
}

impl RelaxedOp {
    /// How many `v128` operands the operator takes.
    pub fn arity(self) -> usize {
        use RelaxedOp::*;
        match self {
            I32x4RelaxedTruncF32x4S
            | I32x4RelaxedTruncF32x4U
            | I32x4RelaxedTruncF64x2SZero
            | I32x4RelaxedTruncF64x2UZero => 1,
            I8x16RelaxedSwizzle
            | F32x4RelaxedMin
            | F32x4RelaxedMax
            | F64x2RelaxedMin
            | F64x2RelaxedMax
            | I16x8RelaxedQ15mulrS
            | I16x8RelaxedDotI8x16I7x16S => 2,
            F32x4RelaxedMadd
            | F32x4RelaxedNmadd
            | F64x2RelaxedMadd
            | F64x2RelaxedNmadd
            | I8x16RelaxedLaneselect
            | I16x8RelaxedLaneselect
            | I32x4RelaxedLaneselect
            | I64x2RelaxedLaneselect
            | I32x4RelaxedDotI8x16I7x16AddS => 3,
        }
    }
}

/// The spec's `relaxed(R)[A_0, ..., A_n]`: option `r`, or the last one
/// when a case permits fewer results than the parameter has values.
#[inline]
pub fn relaxed<T: Copy, const N: usize>(r: usize, options: [T; N]) -> T {
    const { assert!(N > 0) };
    options[r.min(N - 1)]
}

/// `ivrelaxed_swizzle` (§4.3.6).
pub fn swizzle(r: usize, a: u128, b: u128) -> u128 {
    build(|i| {
        let j = lane::<u8>(b, i);
        if j < 16 || (j as i8) < 0 {
            byte_or_zero(a, j)
        } else {
            relaxed(r, [0, byte_or_zero(a, j % 16)])
        }
    })
}

/// `relaxed_trunc^s_{M,32}` (§4.3.6): `trunc_s` where it is defined,
/// else `trunc_sat_s` or (option 1) `-2^31`.
pub fn trunc_s(r: usize, x: f64) -> i32 {
    trunc_s32(x).unwrap_or_else(|_| relaxed(r, [x as i32, i32::MIN]))
}

/// `relaxed_trunc^u_{M,32}` (§4.3.6): `trunc_u` where it is defined,
/// else `trunc_sat_u` or (option 1) `2^32 - 1`.
pub fn trunc_u(r: usize, x: f64) -> u32 {
    trunc_u32(x).unwrap_or_else(|_| relaxed(r, [x as u32, u32::MAX]))
}

/// `frelaxed_madd_32` (§4.3.6): `x * y + z` rounded twice, or fused.
pub fn madd32(r: usize, x: f32, y: f32, z: f32) -> u32 {
    c32(relaxed(r, [x * y + z, libm::fmaf(x, y, z)]))
}

/// `frelaxed_madd_64` (§4.3.6).
pub fn madd64(r: usize, x: f64, y: f64, z: f64) -> u64 {
    c64(relaxed(r, [x * y + z, libm::fma(x, y, z)]))
}

/// `frelaxed_min_N`/`frelaxed_max_N` (§4.3.6) on lanes' bits: `fmin`
/// (`fmax`) unless an operand is a NaN or the operands are zeroes of
/// opposite signs. The spec's `nan(n)` is the NaN operand made positive;
/// `$zero` is the last option for zeroes (`-0` for min, `+0` for max).
macro_rules! relaxed_min_max {
    ($name:ident, $f:ty, $bits:ty, $op:ident, $c:ident, $sign:ident, $zero:expr) => {
        #[doc = concat!("`frelaxed_", stringify!($name), "` (see [`relaxed_min_max`]).")]
        pub fn $name(r: usize, x: $bits, y: $bits) -> $bits {
            let (fx, fy) = (<$f>::from_bits(x), <$f>::from_bits(y));
            let strict = $c($op(fx, fy));
            if fx.is_nan() {
                relaxed(r, [strict, x & !$sign, y, y])
            } else if fy.is_nan() {
                relaxed(r, [strict, x, y & !$sign, x])
            } else if fx == 0.0 && fy == 0.0 && x != y {
                relaxed(r, [strict, x, y, $zero])
            } else {
                strict
            }
        }
    };
}

relaxed_min_max!(min32, f32, u32, fmin32, c32, SIGN32, SIGN32);
relaxed_min_max!(max32, f32, u32, fmax32, c32, SIGN32, 0);
relaxed_min_max!(min64, f64, u64, fmin64, c64, SIGN64, SIGN64);
relaxed_min_max!(max64, f64, u64, fmax64, c64, SIGN64, 0);

/// `irelaxed_q15mulr_s` (§4.3.6): `iq15mulr_sat_s`, except that
/// `-2^15 * -2^15` may (option 1) wrap to `-2^15`.
pub fn q15mulr_s(r: usize, x: i16, y: i16) -> i16 {
    if x == i16::MIN && y == i16::MIN {
        relaxed(r, [i16::MAX, i16::MIN])
    } else {
        q15mulr_sat_s(x, y)
    }
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s` (§4.3.5 `vextbinop` with `ivdotsat`):
/// products of `i8` lanes of `a` by lanes of `b` read signed, or (option 1)
/// unsigned, adjacent products added with signed saturation.
pub fn dot_i8x16_i7x16_s(r: usize, a: u128, b: u128) -> u128 {
    let p = |j| {
        let y = relaxed(
            r,
            [i16::from(lane::<i8>(b, j)), i16::from(lane::<u8>(b, j))],
        );
        i16::from(lane::<i8>(a, j)).wrapping_mul(y)
    };
    build(|i| p(2 * i).saturating_add(p(2 * i + 1)))
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{lane, splat};
    use super::*;

    fn choose(param: Relaxed, index: usize) -> Choices {
        let mut ch = Choices::default();
        ch.set_relaxed(param, index);
        ch
    }

    #[test]
    fn swizzle_choices() {
        let a = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        let idx = u128::from_le_bytes([0, 15, 16, 0x7f, 0x80, 0xff, 17, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
        let op = RelaxedOp::I8x16RelaxedSwizzle;
        let r = op.apply(&mut Choices::default(), a, idx, 0).to_le_bytes();
        assert_eq!(r[..8], [0, 15, 0, 0, 0, 0, 0, 3]);
        let r = op
            .apply(&mut choose(Relaxed::Swizzle, 1), a, idx, 0)
            .to_le_bytes();
        assert_eq!(r[..8], [0, 15, 0, 15, 0, 0, 1, 3]);
    }

    #[test]
    fn trunc_choices() {
        let op = RelaxedOp::I32x4RelaxedTruncF32x4S;
        let v = u128::from_le_bytes(
            [f32::NAN, 3e9, -3e9, -7.9f32]
                .map(f32::to_le_bytes)
                .as_flattened()
                .try_into()
                .unwrap(),
        );
        let r = op.apply(&mut Choices::default(), v, 0, 0);
        assert_eq!(
            (0..4)
                .map(|i| lane::<i32>(r, i))
                .collect::<alloc::vec::Vec<_>>(),
            [0, i32::MAX, i32::MIN, -7]
        );
        let r = op.apply(&mut choose(Relaxed::TruncS, 1), v, 0, 0);
        assert_eq!(
            (0..4)
                .map(|i| lane::<i32>(r, i))
                .collect::<alloc::vec::Vec<_>>(),
            [i32::MIN, i32::MIN, i32::MIN, -7]
        );
        let op = RelaxedOp::I32x4RelaxedTruncF64x2UZero;
        let r = op.apply(&mut choose(Relaxed::TruncU, 1), splat(-1.0f64), 0, 0);
        assert_eq!(r, u32::MAX as u128 | (u32::MAX as u128) << 32);
        let r = op.apply(&mut Choices::default(), splat(-1.0f64), 0, 0);
        assert_eq!(r, 0);
    }

    #[test]
    fn madd_fused_or_not() {
        // x * y = 1 - 2^-46 exactly; rounded to f32 it is 1.
        let x = 1.0f32 + f32::EPSILON;
        let y = 1.0f32 - f32::EPSILON;
        let op = RelaxedOp::F32x4RelaxedMadd;
        let (a, b, c) = (splat(x), splat(y), splat(-1.0f32));
        let r = op.apply(&mut Choices::default(), a, b, c);
        assert_eq!(lane::<f32>(r, 0), 0.0);
        let r = op.apply(&mut choose(Relaxed::Fmadd, 1), a, b, c);
        assert_eq!(lane::<f32>(r, 0), -(f32::EPSILON * f32::EPSILON));
        let r = RelaxedOp::F64x2RelaxedNmadd.apply(
            &mut Choices::default(),
            splat(2.0f64),
            splat(3.0f64),
            splat(1.0f64),
        );
        assert_eq!(lane::<f64>(r, 1), -5.0);
    }

    #[test]
    fn min_max_choices() {
        let nan = 0xffc0_0001u32;
        let one = 1.0f32.to_bits();
        let (pz, nz) = (0u32, SIGN32);
        assert_eq!(min32(0, nan, one), 0x7fc0_0000);
        assert_eq!(min32(1, nan, one), 0x7fc0_0001);
        assert_eq!(min32(2, nan, one), one);
        assert_eq!(min32(3, one, nan), one);
        assert_eq!(min32(2, one, nan), 0x7fc0_0001);
        assert_eq!(min32(0, pz, nz), nz);
        assert_eq!(min32(1, pz, nz), pz);
        assert_eq!(max32(3, nz, pz), pz);
        assert_eq!(max32(2, pz, nz), nz);
        assert_eq!(max32(3, one, 2.0f32.to_bits()), 2.0f32.to_bits());
        assert_eq!(max64(1, SIGN64, 0), SIGN64);
        assert_eq!(min64(3, 0, SIGN64), SIGN64);
    }

    #[test]
    fn laneselect_choices() {
        let op = RelaxedOp::I16x8RelaxedLaneselect;
        let (a, b, m) = (splat(0xaaaau16), splat(0x5555u16), splat(0x80ffu16));
        let r = op.apply(&mut Choices::default(), a, b, m);
        assert_eq!(lane::<u16>(r, 0), 0xd5aa);
        let r = op.apply(&mut choose(Relaxed::Laneselect, 1), a, b, m);
        assert_eq!(lane::<u16>(r, 7), 0xaaaa);
    }

    #[test]
    fn q15mulr_and_dot_choices() {
        let op = RelaxedOp::I16x8RelaxedQ15mulrS;
        let m = splat(i16::MIN);
        assert_eq!(
            lane::<i16>(op.apply(&mut Choices::default(), m, m, 0), 0),
            i16::MAX
        );
        assert_eq!(
            lane::<i16>(op.apply(&mut choose(Relaxed::Iq15mulr, 1), m, m, 0), 0),
            i16::MIN
        );
        let op = RelaxedOp::I16x8RelaxedDotI8x16I7x16S;
        let (a, b) = (splat(-128i8), splat(-128i8));
        assert_eq!(
            lane::<i16>(op.apply(&mut Choices::default(), a, b, 0), 0),
            i16::MAX
        );
        assert_eq!(
            lane::<i16>(op.apply(&mut choose(Relaxed::Idot, 1), a, b, 0), 0),
            -32768
        );
        let (a, b) = (splat(-1i8), splat(-1i8));
        assert_eq!(
            lane::<i16>(op.apply(&mut choose(Relaxed::Idot, 1), a, b, 0), 3),
            -510
        );
        let op = RelaxedOp::I32x4RelaxedDotI8x16I7x16AddS;
        let r = op.apply(&mut Choices::default(), splat(2i8), splat(3i8), splat(1i32));
        assert_eq!(lane::<i32>(r, 2), 25);
    }
}
