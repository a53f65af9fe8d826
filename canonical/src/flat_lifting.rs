//! Flat Lifting (CanonicalABI.md "Flat Lifting"): a value of a type from
//! core values.

use crate::context::LiftLowerContext;
use crate::core_value::{CoreType, CoreValue, CoreValueIter};
use crate::despecialize::despecialize;
use crate::flattening::flatten_variant;
use crate::loading::{
    convert_i32_to_char, convert_int_to_bool, decode_i32_as_float, decode_i64_as_float,
    lift_borrow, lift_error_context, lift_future, lift_own, lift_stream, load_list_from_range,
    load_string_from_range, unpack_flags_from_int,
};
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap, trap_if};
use crate::types::{CaseType, FieldType, ValType};
use crate::value::{StringValue, Value};
use crate::values::is_plain;
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

/// Where flat values come from: `CoreValueIter`, or a variant payload's
/// `CoerceValueIter`.
pub trait ValueIter {
    /// `next(t)`.
    fn next(&mut self, t: CoreType) -> Result<CoreValue, Trap>;
}

impl ValueIter for CoreValueIter<'_> {
    fn next(&mut self, t: CoreType) -> Result<CoreValue, Trap> {
        CoreValueIter::next(self, t)
    }
}

/// `lift_flat`.
pub fn lift_flat(
    cx: &mut LiftLowerContext<'_>,
    vi: &mut dyn ValueIter,
    t: &ValType,
) -> Result<Value, Trap> {
    traced!(cx, "lift_flat", [Type(t)], |v| [Value(v, t)], {
        Ok(match &*despecialize(t) {
            t if is_plain(t) => lift_flat_plain(vi, t)?,
            ValType::F32 => match vi.next(CoreType::F32)? {
                CoreValue::F32(f) => Value::F32(crate::loading::canonicalize_nan32(f)),
                other => Value::F32(decode_i32_as_float(other.as_u64() as u32)),
            },
            ValType::F64 => match vi.next(CoreType::F64)? {
                CoreValue::F64(f) => Value::F64(crate::loading::canonicalize_nan64(f)),
                other => Value::F64(decode_i64_as_float(other.as_u64())),
            },
            ValType::String => Value::String(lift_flat_string(cx, vi)?),
            ValType::List(t, l) => Value::List(lift_flat_list(cx, vi, t, *l)?),
            ValType::Record(fields) => lift_flat_record(cx, vi, fields)?,
            ValType::Variant(cases) => lift_flat_variant(cx, vi, cases)?,
            ValType::Flags(labels) => lift_flat_flags(vi, labels)?,
            ValType::Own(rt) => Value::Handle(lift_own(cx, vi.next(CoreType::I32)?.as_u64(), rt)?),
            ValType::Borrow(rt) => {
                Value::Handle(lift_borrow(cx, vi.next(CoreType::I32)?.as_u64(), rt)?)
            }
            ValType::ErrorContext => {
                Value::ErrorContext(lift_error_context(cx, vi.next(CoreType::I32)?.as_u64())?)
            }
            ValType::Stream(t) => Value::Stream(lift_stream(
                cx,
                vi.next(CoreType::I32)?.as_u64(),
                t.as_deref(),
            )?),
            ValType::Future(t) => Value::Future(lift_future(
                cx,
                vi.next(CoreType::I32)?.as_u64(),
                t.as_deref(),
            )?),
            _ => {
                return trap(crate::trap::TrapKind::Core(
                    "internal error: lift_flat of a specialized type".into(),
                ));
            }
        })
    })
}

/// `lift_flat` of a plain type ([`is_plain`]), which needs no context.
#[inline]
pub fn lift_flat_plain(vi: &mut dyn ValueIter, t: &ValType) -> Result<Value, Trap> {
    Ok(match t {
        ValType::Bool => Value::Bool(convert_int_to_bool(vi.next(CoreType::I32)?.as_u64())),
        ValType::U8 => Value::U8(lift_flat_unsigned(vi, 32, 8)? as u8),
        ValType::U16 => Value::U16(lift_flat_unsigned(vi, 32, 16)? as u16),
        ValType::U32 => Value::U32(lift_flat_unsigned(vi, 32, 32)? as u32),
        ValType::U64 => Value::U64(lift_flat_unsigned(vi, 64, 64)?),
        ValType::S8 => Value::S8(lift_flat_signed(vi, 32, 8)? as i8),
        ValType::S16 => Value::S16(lift_flat_signed(vi, 32, 16)? as i16),
        ValType::S32 => Value::S32(lift_flat_signed(vi, 32, 32)? as i32),
        ValType::S64 => Value::S64(lift_flat_signed(vi, 64, 64)?),
        ValType::Char => Value::Char(convert_i32_to_char(vi.next(CoreType::I32)?.as_u64() as u32)?),
        _ => {
            return trap(TrapKind::Core(
                "internal error: lift_flat_plain of another type".into(),
            ));
        }
    })
}

/// `lift_flat_unsigned`.
pub fn lift_flat_unsigned(
    vi: &mut dyn ValueIter,
    core_width: u32,
    t_width: u32,
) -> Result<u64, Trap> {
    let t = if core_width == 32 {
        CoreType::I32
    } else {
        CoreType::I64
    };
    let i = vi.next(t)?.as_u64();
    Ok(if t_width == 64 { i } else { i % (1 << t_width) })
}

/// `lift_flat_signed`.
pub fn lift_flat_signed(
    vi: &mut dyn ValueIter,
    core_width: u32,
    t_width: u32,
) -> Result<i64, Trap> {
    let i = lift_flat_unsigned(vi, core_width, t_width)?;
    // Sign-extend the low `t_width` bits.
    let shift = 64 - t_width;
    Ok(((i << shift) as i64) >> shift)
}

/// `lift_flat_string`.
pub fn lift_flat_string(
    cx: &mut LiftLowerContext<'_>,
    vi: &mut dyn ValueIter,
) -> Result<StringValue, Trap> {
    let pt = CoreType::from(cx.ptr_type());
    let ptr = vi.next(pt)?.as_u64();
    let packed_length = vi.next(pt)?.as_u64();
    load_string_from_range(cx, ptr, packed_length)
}

/// `lift_flat_list`.
pub fn lift_flat_list(
    cx: &mut LiftLowerContext<'_>,
    vi: &mut dyn ValueIter,
    elem_type: &ValType,
    maybe_length: Option<u32>,
) -> Result<Vec<Value>, Trap> {
    if let Some(n) = maybe_length {
        return (0..n).map(|_| lift_flat(cx, vi, elem_type)).collect();
    }
    let pt = CoreType::from(cx.ptr_type());
    let ptr = vi.next(pt)?.as_u64();
    let length = vi.next(pt)?.as_u64();
    load_list_from_range(cx, ptr, length, elem_type)
}

/// `lift_flat_record`.
pub fn lift_flat_record(
    cx: &mut LiftLowerContext<'_>,
    vi: &mut dyn ValueIter,
    fields: &[FieldType],
) -> Result<Value, Trap> {
    let mut record = Vec::with_capacity(fields.len());
    for f in fields {
        record.push((f.label.clone(), lift_flat(cx, vi, &f.t)?));
    }
    Ok(Value::Record(record))
}

/// `CoerceValueIter`: reads a case's payload from the variant's joined
/// flat types, converting each to the type the case wants.
struct CoerceValueIter<'v> {
    vi: &'v mut dyn ValueIter,
    flat_types: &'v mut VecDeque<CoreType>,
}

impl ValueIter for CoerceValueIter<'_> {
    fn next(&mut self, want: CoreType) -> Result<CoreValue, Trap> {
        let Some(have) = self.flat_types.pop_front() else {
            return trap(TrapKind::Core(
                "internal error: variant payload too long".into(),
            ));
        };
        let x = self.vi.next(have)?;
        Ok(match (have, want) {
            (CoreType::I32, CoreType::F32) => {
                CoreValue::F32(decode_i32_as_float(x.as_u64() as u32))
            }
            (CoreType::I64, CoreType::I32) => CoreValue::I32(wrap_i64_to_i32(x.as_u64())),
            (CoreType::I64, CoreType::F32) => {
                CoreValue::F32(decode_i32_as_float(wrap_i64_to_i32(x.as_u64())))
            }
            (CoreType::I64, CoreType::F64) => CoreValue::F64(decode_i64_as_float(x.as_u64())),
            _ => x,
        })
    }
}

/// `lift_flat_variant`.
pub fn lift_flat_variant(
    cx: &mut LiftLowerContext<'_>,
    vi: &mut dyn ValueIter,
    cases: &[CaseType],
) -> Result<Value, Trap> {
    let mut flat_types: VecDeque<CoreType> = flatten_variant(cases, cx.ptr_type().into()).into();
    flat_types.pop_front();
    let case_index = vi.next(CoreType::I32)?.as_u64();
    trap_if(
        case_index >= cases.len() as u64,
        TrapKind::InvalidVariantDiscriminant,
    )?;
    let c = &cases[case_index as usize];
    let v = match &c.t {
        None => None,
        Some(t) => {
            let mut coerce = CoerceValueIter {
                vi: &mut *vi,
                flat_types: &mut flat_types,
            };
            Some(Box::new(lift_flat(cx, &mut coerce, t)?))
        }
    };
    for have in flat_types {
        vi.next(have)?;
    }
    Ok(Value::Variant(c.label.clone(), v))
}

/// `wrap_i64_to_i32`.
pub fn wrap_i64_to_i32(i: u64) -> u32 {
    i as u32
}

/// `lift_flat_flags`.
pub fn lift_flat_flags(vi: &mut dyn ValueIter, labels: &[String]) -> Result<Value, Trap> {
    let i = vi.next(CoreType::I32)?.as_u64();
    Ok(unpack_flags_from_int(i, labels))
}
