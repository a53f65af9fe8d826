//! Lane shifts (core spec §4.4.3 `ishape.vshiftop`, with §4.3.2's `ishl`,
//! `ishr_s`, `ishr_u`): every lane shifted by the `i32` count modulo the
//! lane width. Rust's `wrapping_shl`/`wrapping_shr` take the count modulo
//! the width, and shift arithmetically on signed types.

use super::lanes::map;

ops! {
    /// Shifts: a `v128` and an `i32` count.
    pub enum ShiftOp(a: u128, n: u32) -> u128 {
        I8x16Shl => map(a, |x: u8| x.wrapping_shl(n)),
        I16x8Shl => map(a, |x: u16| x.wrapping_shl(n)),
        I32x4Shl => map(a, |x: u32| x.wrapping_shl(n)),
        I64x2Shl => map(a, |x: u64| x.wrapping_shl(n)),
        I8x16ShrS => map(a, |x: i8| x.wrapping_shr(n)),
        I16x8ShrS => map(a, |x: i16| x.wrapping_shr(n)),
        I32x4ShrS => map(a, |x: i32| x.wrapping_shr(n)),
        I64x2ShrS => map(a, |x: i64| x.wrapping_shr(n)),
        I8x16ShrU => map(a, |x: u8| x.wrapping_shr(n)),
        I16x8ShrU => map(a, |x: u16| x.wrapping_shr(n)),
        I32x4ShrU => map(a, |x: u32| x.wrapping_shr(n)),
        I64x2ShrU => map(a, |x: u64| x.wrapping_shr(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{lane, splat};
    use super::*;

    #[test]
    fn counts_wrap_at_the_lane_width() {
        assert_eq!(lane::<u8>(ShiftOp::I8x16Shl.apply(splat(1u8), 9), 0), 2);
        assert_eq!(
            lane::<i8>(ShiftOp::I8x16ShrS.apply(splat(-128i8), 7), 5),
            -1
        );
        assert_eq!(
            lane::<u8>(ShiftOp::I8x16ShrU.apply(splat(0x80u8), 15), 5),
            1
        );
        let r = ShiftOp::I64x2ShrS.apply(splat(i64::MIN), 64 + 63);
        assert_eq!(lane::<i64>(r, 1), -1);
        let r = ShiftOp::I32x4Shl.apply(splat(1u32), u32::MAX);
        assert_eq!(lane::<u32>(r, 3), 1 << 31);
    }
}
