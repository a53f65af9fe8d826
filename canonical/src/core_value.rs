//! Core values as the Canonical ABI sees them (CanonicalABI.md
//! "Flattening": `i32`/`i64` as unsigned integers, `f32`/`f64` as floats),
//! their types, and `CoreValueIter`.

use crate::trap::{Trap, TrapKind};

/// A flat core type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreType {
    I32,
    I64,
    F32,
    F64,
}

impl From<crate::options::PtrType> for CoreType {
    fn from(p: crate::options::PtrType) -> CoreType {
        match p {
            crate::options::PtrType::I32 => CoreType::I32,
            crate::options::PtrType::I64 => CoreType::I64,
        }
    }
}

/// A core value: integers unsigned, as the spec's `int`s in `[0, 2^n)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CoreValue {
    I32(u32),
    I64(u64),
    F32(f32),
    F64(f64),
}

/// The filler of a list of core values kept inline.
impl Default for CoreValue {
    fn default() -> Self {
        CoreValue::I32(0)
    }
}

impl CoreValue {
    pub fn ty(&self) -> CoreType {
        match self {
            CoreValue::I32(_) => CoreType::I32,
            CoreValue::I64(_) => CoreType::I64,
            CoreValue::F32(_) => CoreType::F32,
            CoreValue::F64(_) => CoreType::F64,
        }
    }

    /// The value as an unsigned integer (floats by their bits).
    pub fn as_u64(&self) -> u64 {
        match *self {
            CoreValue::I32(v) => v as u64,
            CoreValue::I64(v) => v,
            CoreValue::F32(v) => v.to_bits() as u64,
            CoreValue::F64(v) => v.to_bits(),
        }
    }

    /// An integer of type `t` (a pointer or length of a memory's type).
    pub fn int(t: CoreType, v: u64) -> CoreValue {
        match t {
            CoreType::I64 => CoreValue::I64(v),
            _ => CoreValue::I32(v as u32),
        }
    }
}

/// `CoreValueIter`: reads flat values in order, checking their types.
#[derive(Clone, Debug)]
pub struct CoreValueIter<'a> {
    pub values: &'a [CoreValue],
    pub i: usize,
}

impl<'a> CoreValueIter<'a> {
    pub fn new(values: &'a [CoreValue]) -> CoreValueIter<'a> {
        CoreValueIter { values, i: 0 }
    }

    /// `next(t)`. The spec asserts the type; core validation of the lifted
    /// function's signature guarantees it, and a mismatch here is reported
    /// as a trap rather than a panic.
    pub fn next(&mut self, t: CoreType) -> Result<CoreValue, Trap> {
        let v = self.values.get(self.i).copied();
        self.i += 1;
        match v {
            Some(v) if v.ty() == t => Ok(v),
            _ => Err(Trap {
                kind: TrapKind::Core(alloc::format!("internal error: expected a flat {t:?}")),
            }),
        }
    }

    /// `done()`.
    pub fn done(&self) -> bool {
        self.i == self.values.len()
    }

    /// The values not read yet.
    pub fn rest(&self) -> &'a [CoreValue] {
        self.values.get(self.i..).unwrap_or_default()
    }
}
