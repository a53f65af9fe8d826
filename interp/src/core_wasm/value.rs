//! Values (core spec §4.2.1 "Values") and their one-slot encoding on the
//! operand stack.
//!
//! On the operand stack, in locals, globals and tables every value is a
//! 64-bit slot (a `v128` two: its low half, then its high half): integers as their two's-complement bits (an `i32` always
//! zero-extended, an invariant that address decoding relies on), floats as their IEEE
//! bits (so NaN payloads survive), references as `0` for null and `addr + 1`
//! otherwise. A [`Val`] is the typed form the embedder sees.

use super::store::FuncAddr;
use super::types::{HeapType, ValType};
use alloc::vec::Vec;
use core::fmt;

/// A value together with its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    I32(i32),
    I64(i64),
    /// An `f32` by its bits, so that NaN payloads are kept exactly.
    F32(u32),
    /// An `f64` by its bits.
    F64(u64),
    /// A `v128` by its bits, lane 0 in the least significant bits.
    V128(u128),
    FuncRef(Option<FuncAddr>),
    /// A host reference (`ref.extern N` in scripts).
    ExternRef(Option<u32>),
    /// An exception reference, by the exception's index in the store.
    ExnRef(Option<u32>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
            Val::ExnRef(_) => ValType::ExnRef,
        }
    }

    /// The default value of a type (§4.2.1 "default"): zero or null.
    pub fn default_of(ty: ValType) -> Val {
        Val::read(ty, &[0, 0])
    }

    /// Writes the value's slots to the front of `out`, returning how many
    /// it took.
    pub(crate) fn write(self, out: &mut [u64]) -> usize {
        let (lo, hi) = match self {
            Val::I32(v) => (v as u32 as u64, None),
            Val::I64(v) => (v as u64, None),
            Val::F32(v) => (v as u64, None),
            Val::F64(v) => (v, None),
            Val::V128(v) => (v as u64, Some((v >> 64) as u64)),
            Val::FuncRef(r) => (encode_ref(r.map(|a| a.0)), None),
            Val::ExternRef(r) | Val::ExnRef(r) => (encode_ref(r), None),
        };
        out[0] = lo;
        match hi {
            Some(hi) => {
                out[1] = hi;
                2
            }
            None => 1,
        }
    }

    /// The value's slots as one number (a `v128`'s bits, or the one slot).
    pub(crate) fn bits(self) -> u128 {
        let mut slots = [0; 2];
        self.write(&mut slots);
        slots[0] as u128 | (slots[1] as u128) << 64
    }

    /// Reads a value of type `ty` from the front of `slots` (missing slots
    /// read as zero).
    pub(crate) fn read(ty: ValType, slots: &[u64]) -> Val {
        let slot = slots.first().copied().unwrap_or(0);
        match ty {
            ValType::I32 => Val::I32(slot as u32 as i32),
            ValType::I64 => Val::I64(slot as i64),
            ValType::F32 => Val::F32(slot as u32),
            ValType::F64 => Val::F64(slot),
            ValType::V128 => {
                Val::V128(slot as u128 | (slots.get(1).copied().unwrap_or(0) as u128) << 64)
            }
            ValType::FuncRef => Val::FuncRef(decode_ref(slot).map(FuncAddr)),
            ValType::ExternRef => Val::ExternRef(decode_ref(slot)),
            ValType::ExnRef => Val::ExnRef(decode_ref(slot)),
            ValType::Ref(r) => match r.heap.top() {
                HeapType::Func => Val::FuncRef(decode_ref(slot).map(FuncAddr)),
                HeapType::Extern => Val::ExternRef(decode_ref(slot)),
                _ => Val::ExnRef(decode_ref(slot)),
            },
        }
    }
}

/// The slots that values of these types take.
pub(crate) fn slot_count(tys: &[ValType]) -> usize {
    tys.iter().map(|t| t.slots()).sum()
}

/// Reads values of types `tys` from consecutive slots.
pub(crate) fn read_vals(tys: &[ValType], slots: &[u64]) -> Vec<Val> {
    vals_in(tys, slots).collect()
}

/// The values of types `tys` in consecutive slots, read one by one.
pub(crate) fn vals_in<'a>(
    tys: &'a [ValType],
    slots: &'a [u64],
) -> impl ExactSizeIterator<Item = Val> + 'a {
    let mut at = 0;
    tys.iter().map(move |t| {
        let v = Val::read(*t, slots.get(at..).unwrap_or_default());
        at += t.slots();
        v
    })
}

/// The slots of consecutive values.
pub(crate) fn write_vals(vals: &[Val]) -> Vec<u64> {
    let mut out = Vec::with_capacity(vals.len());
    let mut buf = [0; 2];
    for v in vals {
        let n = v.write(&mut buf);
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// Encodes a reference: `0` is null, `addr + 1` otherwise.
#[inline]
pub(crate) fn encode_ref(r: Option<u32>) -> u64 {
    match r {
        None => 0,
        Some(a) => a as u64 + 1,
    }
}

/// Decodes a reference slot.
#[inline]
pub(crate) fn decode_ref(slot: u64) -> Option<u32> {
    if slot == 0 {
        None
    } else {
        Some((slot - 1) as u32)
    }
}

impl fmt::Display for Val {
    /// Values print as the text format writes constants: `i32:42`,
    /// `f32:1.5`, `ref.null func`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::I32(v) => write!(f, "{v}:i32"),
            Val::I64(v) => write!(f, "{v}:i64"),
            Val::F32(b) => {
                let v = f32::from_bits(*b);
                if v.is_nan() {
                    let sign = if v.is_sign_negative() { "-" } else { "" };
                    write!(f, "{sign}nan:0x{:x}:f32", b & 0x7f_ffff)
                } else {
                    write!(f, "{v:?}:f32")
                }
            }
            Val::F64(b) => {
                let v = f64::from_bits(*b);
                if v.is_nan() {
                    let sign = if v.is_sign_negative() { "-" } else { "" };
                    write!(f, "{sign}nan:0x{:x}:f64", b & 0xf_ffff_ffff_ffff)
                } else {
                    write!(f, "{v:?}:f64")
                }
            }
            Val::V128(v) => write!(f, "0x{v:032x}:v128"),
            Val::FuncRef(None) => f.write_str("ref.null func"),
            Val::FuncRef(Some(a)) => write!(f, "ref.func {}", a.0),
            Val::ExternRef(None) => f.write_str("ref.null extern"),
            Val::ExternRef(Some(n)) => write!(f, "ref.extern {n}"),
            Val::ExnRef(None) => f.write_str("ref.null exn"),
            Val::ExnRef(Some(n)) => write!(f, "ref.exn {n}"),
        }
    }
}
