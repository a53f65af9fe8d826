//! Lane access (core spec §4.4.3 `shape.splat`, `extract_lane`,
//! `replace_lane`, `i8x16.swizzle` and `i8x16.shuffle`, with §4.3.5's
//! `ivswizzle` and `ivshuffle`).
//!
//! Scalars come and go as operand stack slots: an `i32` is zero-extended
//! in its slot, an `i64` or float is its bits. `splat` and `replace_lane`
//! of `i8x16`/`i16x8` take the low bits of the `i32` (the spec's `wrap`).

use super::lanes::{build, lane, set, splat};
use wasmparser::Operator;

ops! {
    /// `splat` of a scalar to every lane, by shape.
    pub enum SplatOp(x: u64) -> u128 {
        I8x16Splat => splat(x as u8),
        I16x8Splat => splat(x as u16),
        I32x4Splat => splat(x as u32),
        I64x2Splat => splat(x),
        F32x4Splat => splat(x as u32),
        F64x2Splat => splat(x),
    }
}

ops! {
    /// `i8x16.swizzle`.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        I8x16Swizzle => swizzle(a, b),
    }
}

/// `extract_lane` forms, by shape and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtractOp {
    I8x16S,
    I8x16U,
    I16x8S,
    I16x8U,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

impl ExtractOp {
    /// Lane `l` of `a` as a slot.
    #[inline]
    pub fn apply(self, a: u128, l: u8) -> u64 {
        let l = l as usize;
        match self {
            ExtractOp::I8x16S => lane::<i8>(a, l) as i32 as u32 as u64,
            ExtractOp::I8x16U => lane::<u8>(a, l) as u64,
            ExtractOp::I16x8S => lane::<i16>(a, l) as i32 as u32 as u64,
            ExtractOp::I16x8U => lane::<u16>(a, l) as u64,
            ExtractOp::I32x4 | ExtractOp::F32x4 => lane::<u32>(a, l) as u64,
            ExtractOp::I64x2 | ExtractOp::F64x2 => lane::<u64>(a, l),
        }
    }

    /// The operator and lane index `op` stands for, if it is an
    /// `extract_lane`.
    pub fn decode(op: &Operator<'_>) -> Option<(Self, u8)> {
        Some(match *op {
            Operator::I8x16ExtractLaneS { lane } => (ExtractOp::I8x16S, lane),
            Operator::I8x16ExtractLaneU { lane } => (ExtractOp::I8x16U, lane),
            Operator::I16x8ExtractLaneS { lane } => (ExtractOp::I16x8S, lane),
            Operator::I16x8ExtractLaneU { lane } => (ExtractOp::I16x8U, lane),
            Operator::I32x4ExtractLane { lane } => (ExtractOp::I32x4, lane),
            Operator::I64x2ExtractLane { lane } => (ExtractOp::I64x2, lane),
            Operator::F32x4ExtractLane { lane } => (ExtractOp::F32x4, lane),
            Operator::F64x2ExtractLane { lane } => (ExtractOp::F64x2, lane),
            _ => return None,
        })
    }
}

/// `replace_lane` forms, by lane width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaceOp {
    I8x16,
    I16x8,
    /// `i32x4` and `f32x4`.
    X32,
    /// `i64x2` and `f64x2`.
    X64,
}

impl ReplaceOp {
    /// `a` with lane `l` replaced by the slot `x`.
    #[inline]
    pub fn apply(self, a: u128, l: u8, x: u64) -> u128 {
        let l = l as usize;
        match self {
            ReplaceOp::I8x16 => set(a, l, x as u8),
            ReplaceOp::I16x8 => set(a, l, x as u16),
            ReplaceOp::X32 => set(a, l, x as u32),
            ReplaceOp::X64 => set(a, l, x),
        }
    }

    /// The operator and lane index `op` stands for, if it is a
    /// `replace_lane`.
    pub fn decode(op: &Operator<'_>) -> Option<(Self, u8)> {
        Some(match *op {
            Operator::I8x16ReplaceLane { lane } => (ReplaceOp::I8x16, lane),
            Operator::I16x8ReplaceLane { lane } => (ReplaceOp::I16x8, lane),
            Operator::I32x4ReplaceLane { lane } | Operator::F32x4ReplaceLane { lane } => {
                (ReplaceOp::X32, lane)
            }
            Operator::I64x2ReplaceLane { lane } | Operator::F64x2ReplaceLane { lane } => {
                (ReplaceOp::X64, lane)
            }
            _ => return None,
        })
    }
}

/// `ivswizzle` (§4.3.5): lane `i` is lane `b[i]` of `a`, or 0 when
/// `b[i]` is 16 or more.
#[inline]
pub fn swizzle(a: u128, b: u128) -> u128 {
    build(|i| byte_or_zero(a, lane::<u8>(b, i)))
}

/// `ivshuffle` (§4.3.5): lane `i` is lane `lanes[i]` of `a ++ b`
/// (validation keeps the indices below 32).
pub fn shuffle(a: u128, b: u128, lanes: &[u8; 16]) -> u128 {
    build(|i| {
        let l = lanes[i];
        if l < 16 {
            lane::<u8>(a, l as usize)
        } else {
            lane::<u8>(b, (l & 15) as usize)
        }
    })
}

/// Lane `j` of `a`'s bytes, or 0 past the last lane.
#[inline]
pub fn byte_or_zero(a: u128, j: u8) -> u8 {
    if (j as usize) < super::lanes::count::<u8>() {
        lane::<u8>(a, j as usize)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_in_and_out() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0180u128;
        assert_eq!(ExtractOp::I8x16S.apply(v, 0), 0xffff_ff80);
        assert_eq!(ExtractOp::I8x16U.apply(v, 0), 0x80);
        assert_eq!(ExtractOp::I16x8S.apply(v, 0), 0x0180);
        assert_eq!(
            ReplaceOp::I8x16.apply(v, 15, 0x1ff),
            (v & !(0xff << 120)) | 0xff << 120
        );
        assert_eq!(
            SplatOp::I8x16Splat.apply(0x1234),
            0x3434_3434_3434_3434_3434_3434_3434_3434
        );
    }

    #[test]
    fn swizzle_and_shuffle_out_of_range() {
        let a = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        let idx = u128::from_le_bytes([0, 15, 16, 255, 128, 1, 17, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
        let r = swizzle(a, idx).to_le_bytes();
        assert_eq!(r[..8], [0, 15, 0, 0, 0, 1, 0, 3]);
        let b = a << 4;
        let mut lanes = [0u8; 16];
        for (i, l) in lanes.iter_mut().enumerate() {
            *l = 31 - i as u8;
        }
        let r = shuffle(a, b, &lanes).to_le_bytes();
        assert_eq!(r[0], b.to_le_bytes()[15]);
        assert_eq!(r[15], 0);
    }
}
