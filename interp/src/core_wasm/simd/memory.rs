//! Vector loads (core spec §4.4.7 "Memory Instructions": `v128.load`,
//! `v128.loadNxM_sx`, `v128.loadN_splat`, `v128.loadN_zero`).
//!
//! Each reads its bytes (bounds-checked like any load) and builds the
//! vector from them. `v128.store` and the lane loads and stores, which
//! move bytes unchanged, are in the interpreter's loop.

use super::super::memory::range;
use super::super::trap::TrapKind;
use super::lanes::{Lane, build, lane, splat};
use wasmparser::{MemArg, Operator};

/// What a `v128.load*` reads and how it widens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadKind {
    /// `v128.load`: 16 bytes.
    V128,
    /// `v128.load8x8_s`: 8 bytes, each sign-extended to 16 bits.
    I8x8S,
    I8x8U,
    I16x4S,
    I16x4U,
    I32x2S,
    I32x2U,
    /// `v128.load8_splat`: one byte to every lane.
    Splat8,
    Splat16,
    Splat32,
    Splat64,
    /// `v128.load32_zero`: 4 bytes into lane 0, zeros elsewhere.
    Zero32,
    Zero64,
}

impl LoadKind {
    /// The bytes read.
    pub fn width(self) -> u64 {
        match self {
            LoadKind::V128 => 16,
            LoadKind::I8x8S | LoadKind::I8x8U | LoadKind::I16x4S | LoadKind::I16x4U => 8,
            LoadKind::I32x2S | LoadKind::I32x2U | LoadKind::Splat64 | LoadKind::Zero64 => 8,
            LoadKind::Splat8 => 1,
            LoadKind::Splat16 => 2,
            LoadKind::Splat32 | LoadKind::Zero32 => 4,
        }
    }

    /// The vector loaded from `data` at `addr + offset`.
    ///
    /// # Errors
    /// "out of bounds memory access" when the bytes read are not all inside.
    pub fn apply(self, data: &[u8], addr: u64, offset: u64) -> Result<u128, TrapKind> {
        let bytes = addr
            .checked_add(offset)
            .and_then(|ea| range(ea, self.width(), data.len()))
            .and_then(|r| data.get(r))
            .ok_or(TrapKind::OutOfBoundsMemoryAccess)?;
        // The bytes read, little-endian, as the low bits of a `u128`.
        let m = bytes.iter().rev().fold(0u128, |m, &b| m << 8 | b as u128);
        Ok(match self {
            LoadKind::V128 | LoadKind::Zero32 | LoadKind::Zero64 => m,
            LoadKind::I8x8S => widen::<i8, i16>(m),
            LoadKind::I8x8U => widen::<u8, u16>(m),
            LoadKind::I16x4S => widen::<i16, i32>(m),
            LoadKind::I16x4U => widen::<u16, u32>(m),
            LoadKind::I32x2S => widen::<i32, i64>(m),
            LoadKind::I32x2U => widen::<u32, u64>(m),
            LoadKind::Splat8 => splat(m as u8),
            LoadKind::Splat16 => splat(m as u16),
            LoadKind::Splat32 => splat(m as u32),
            LoadKind::Splat64 => splat(m as u64),
        })
    }

    /// The load and its memory operand that `op` stands for, if it is a
    /// `v128.load*` (not a lane load).
    pub fn decode<'o>(op: &'o Operator<'_>) -> Option<(Self, &'o MemArg)> {
        Some(match op {
            Operator::V128Load { memarg } => (LoadKind::V128, memarg),
            Operator::V128Load8x8S { memarg } => (LoadKind::I8x8S, memarg),
            Operator::V128Load8x8U { memarg } => (LoadKind::I8x8U, memarg),
            Operator::V128Load16x4S { memarg } => (LoadKind::I16x4S, memarg),
            Operator::V128Load16x4U { memarg } => (LoadKind::I16x4U, memarg),
            Operator::V128Load32x2S { memarg } => (LoadKind::I32x2S, memarg),
            Operator::V128Load32x2U { memarg } => (LoadKind::I32x2U, memarg),
            Operator::V128Load8Splat { memarg } => (LoadKind::Splat8, memarg),
            Operator::V128Load16Splat { memarg } => (LoadKind::Splat16, memarg),
            Operator::V128Load32Splat { memarg } => (LoadKind::Splat32, memarg),
            Operator::V128Load64Splat { memarg } => (LoadKind::Splat64, memarg),
            Operator::V128Load32Zero { memarg } => (LoadKind::Zero32, memarg),
            Operator::V128Load64Zero { memarg } => (LoadKind::Zero64, memarg),
            _ => return None,
        })
    }
}

/// The lanes of type `T` in the low 64 bits of `m`, each extended to `W`
/// (`extend_sx` by the types' signedness).
fn widen<T: Lane + Into<W>, W: Lane>(m: u128) -> u128 {
    build(|i| lane::<T>(m, i).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        let data: [u8; 16] = [0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff];
        let all = u128::from_le_bytes(data);
        assert_eq!(LoadKind::V128.apply(&data, 0, 0), Ok(all));
        assert_eq!(
            LoadKind::V128.apply(&data, 1, 0),
            Err(TrapKind::OutOfBoundsMemoryAccess)
        );
        assert_eq!(
            LoadKind::V128.apply(&data, u64::MAX, 1),
            Err(TrapKind::OutOfBoundsMemoryAccess)
        );
        assert_eq!(LoadKind::Zero32.apply(&data, 0, 0), Ok(0x0302_0180));
        assert_eq!(LoadKind::Splat8.apply(&data, 15, 0), Ok(u128::MAX));
        let r = LoadKind::I8x8S.apply(&data, 0, 0).unwrap();
        assert_eq!(lane::<i16>(r, 0), -128);
        assert_eq!(lane::<i16>(r, 7), 7);
        let r = LoadKind::I8x8U.apply(&data, 0, 0).unwrap();
        assert_eq!(lane::<u16>(r, 0), 0x80);
        let r = LoadKind::I32x2S.apply(&data, 8, 0).unwrap();
        assert_eq!(lane::<i64>(r, 1), 0xff0e_0d0c_u32 as i32 as i64);
    }
}
