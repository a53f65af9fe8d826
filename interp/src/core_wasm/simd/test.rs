//! Vector tests (core spec §4.4.3 `v128.any_true`, `ishape.all_true` and
//! `ishape.bitmask`, with §4.3.5's `ivbitmask`): a `v128` to an `i32`.

use super::lanes::{Lane, count, lane};

ops! {
    /// `v128.any_true`, `all_true` and `bitmask` forms: a `v128` to an
    /// `i32`.
    pub enum TestOp(a: u128) -> u32 {
        V128AnyTrue => (a != 0) as u32,
        I8x16AllTrue => all_true::<u8>(a),
        I16x8AllTrue => all_true::<u16>(a),
        I32x4AllTrue => all_true::<u32>(a),
        I64x2AllTrue => all_true::<u64>(a),
        I8x16Bitmask => bitmask::<i8>(a),
        I16x8Bitmask => bitmask::<i16>(a),
        I32x4Bitmask => bitmask::<i32>(a),
        I64x2Bitmask => bitmask::<i64>(a),
    }
}

/// `all_true`: 1 if no lane is zero.
fn all_true<T: Lane + PartialEq + Default>(a: u128) -> u32 {
    (0..count::<T>()).all(|i| lane::<T>(a, i) != T::default()) as u32
}

/// `ivbitmask`: bit `i` is set if lane `i` is negative.
fn bitmask<T: Lane + PartialOrd + Default>(a: u128) -> u32 {
    (0..count::<T>())
        .filter(|&i| lane::<T>(a, i) < T::default())
        .fold(0, |m, i| m | 1 << i)
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{set, splat};
    use super::*;

    #[test]
    fn tests() {
        assert_eq!(TestOp::V128AnyTrue.apply(1 << 127), 1);
        assert_eq!(TestOp::I8x16AllTrue.apply(splat(1u8)), 1);
        assert_eq!(TestOp::I8x16AllTrue.apply(set(splat(1u8), 15, 0u8)), 0);
        assert_eq!(TestOp::I64x2AllTrue.apply(1 | 1 << 127), 1);
        assert_eq!(TestOp::I8x16Bitmask.apply(set(0, 15, -1i8)), 0x8000);
        assert_eq!(TestOp::I16x8Bitmask.apply(splat(-1i16)), 0xff);
        assert_eq!(TestOp::I64x2Bitmask.apply(1 << 127), 2);
    }
}
