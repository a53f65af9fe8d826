//! Lane comparisons (core spec §4.4.3 `shape.vrelop`, with §4.3.2's
//! `ieq`, `ine`, `ilt_sx`, ... and §4.3.3's `feq`, `fne`, `flt`, ...):
//! each result lane is all ones where the comparison holds, zeros
//! elsewhere. Float comparisons with a NaN are false (`ne`: true), as in
//! Rust.

use super::lanes::{bool_mask, zip};

/// The mask vector of a comparison of lanes of type `$t`.
macro_rules! cmp {
    ($a:ident $op:tt $b:ident as $t:ty) => {
        zip($a, $b, |x: $t, y: $t| bool_mask::<$t>(x $op y))
    };
    ($a:ident $op:tt $b:ident as $t:ty => $m:ty) => {
        zip($a, $b, |x: $t, y: $t| bool_mask::<$m>(x $op y))
    };
}

ops! {
    /// Comparisons: `eq`, `ne`, `lt`, `gt`, `le`, `ge` by shape.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        I8x16Eq => cmp!(a == b as u8),
        I8x16Ne => cmp!(a != b as u8),
        I8x16LtS => cmp!(a < b as i8),
        I8x16LtU => cmp!(a < b as u8),
        I8x16GtS => cmp!(a > b as i8),
        I8x16GtU => cmp!(a > b as u8),
        I8x16LeS => cmp!(a <= b as i8),
        I8x16LeU => cmp!(a <= b as u8),
        I8x16GeS => cmp!(a >= b as i8),
        I8x16GeU => cmp!(a >= b as u8),
        I16x8Eq => cmp!(a == b as u16),
        I16x8Ne => cmp!(a != b as u16),
        I16x8LtS => cmp!(a < b as i16),
        I16x8LtU => cmp!(a < b as u16),
        I16x8GtS => cmp!(a > b as i16),
        I16x8GtU => cmp!(a > b as u16),
        I16x8LeS => cmp!(a <= b as i16),
        I16x8LeU => cmp!(a <= b as u16),
        I16x8GeS => cmp!(a >= b as i16),
        I16x8GeU => cmp!(a >= b as u16),
        I32x4Eq => cmp!(a == b as u32),
        I32x4Ne => cmp!(a != b as u32),
        I32x4LtS => cmp!(a < b as i32),
        I32x4LtU => cmp!(a < b as u32),
        I32x4GtS => cmp!(a > b as i32),
        I32x4GtU => cmp!(a > b as u32),
        I32x4LeS => cmp!(a <= b as i32),
        I32x4LeU => cmp!(a <= b as u32),
        I32x4GeS => cmp!(a >= b as i32),
        I32x4GeU => cmp!(a >= b as u32),
        I64x2Eq => cmp!(a == b as u64),
        I64x2Ne => cmp!(a != b as u64),
        I64x2LtS => cmp!(a < b as i64),
        I64x2GtS => cmp!(a > b as i64),
        I64x2LeS => cmp!(a <= b as i64),
        I64x2GeS => cmp!(a >= b as i64),
        F32x4Eq => cmp!(a == b as f32 => u32),
        F32x4Ne => cmp!(a != b as f32 => u32),
        F32x4Lt => cmp!(a < b as f32 => u32),
        F32x4Gt => cmp!(a > b as f32 => u32),
        F32x4Le => cmp!(a <= b as f32 => u32),
        F32x4Ge => cmp!(a >= b as f32 => u32),
        F64x2Eq => cmp!(a == b as f64 => u64),
        F64x2Ne => cmp!(a != b as f64 => u64),
        F64x2Lt => cmp!(a < b as f64 => u64),
        F64x2Gt => cmp!(a > b as f64 => u64),
        F64x2Le => cmp!(a <= b as f64 => u64),
        F64x2Ge => cmp!(a >= b as f64 => u64),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lanes::splat;
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(BinOp::I8x16LtS.apply(splat(-1i8), splat(0i8)), u128::MAX);
        assert_eq!(BinOp::I8x16LtU.apply(splat(-1i8), splat(0i8)), 0);
        assert_eq!(
            BinOp::F32x4Ne.apply(splat(f32::NAN), splat(f32::NAN)),
            u128::MAX
        );
        assert_eq!(
            BinOp::F64x2Eq.apply(splat(0.0f64), splat(-0.0f64)),
            u128::MAX
        );
        assert_eq!(BinOp::F64x2Le.apply(splat(f64::NAN), splat(1.0f64)), 0);
    }
}
