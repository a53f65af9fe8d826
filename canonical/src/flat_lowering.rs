//! Flat Lowering (CanonicalABI.md "Flat Lowering"): core values for a value
//! of a type.

use crate::context::LiftLowerContext;
use crate::core_value::{CoreType, CoreValue};
use crate::despecialize::despecialize;
use crate::flattening::{flatten_type, flatten_variant};
use crate::storing::{
    char_to_i32, encode_float_as_i32, encode_float_as_i64, lower_borrow, lower_error_context,
    lower_future, lower_own, lower_stream, match_case, maybe_scramble_nan32, maybe_scramble_nan64,
    mismatch, pack_flags_into_int, store_list_into_range, store_string_into_range,
};
use crate::trace::traced;
use crate::trap::Trap;
use crate::types::{CaseType, FieldType, ValType};
use crate::value::Value;
use alloc::vec;
use alloc::vec::Vec;

/// `lower_flat`.
pub fn lower_flat(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    t: &ValType,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(cx, "lower_flat", [Value(v, t)], |flat| [Core(flat)], {
        use CoreValue::{F32, F64, I32, I64};
        Ok(match (&*despecialize(t), v) {
            (ValType::Bool, Value::Bool(v)) => vec![I32(*v as u32)],
            (ValType::U8, Value::U8(v)) => vec![I32(*v as u32)],
            (ValType::U16, Value::U16(v)) => vec![I32(*v as u32)],
            (ValType::U32, Value::U32(v)) => vec![I32(*v)],
            (ValType::U64, Value::U64(v)) => vec![I64(*v)],
            (ValType::S8, Value::S8(v)) => vec![lower_flat_signed(*v as i64, 32)],
            (ValType::S16, Value::S16(v)) => vec![lower_flat_signed(*v as i64, 32)],
            (ValType::S32, Value::S32(v)) => vec![lower_flat_signed(*v as i64, 32)],
            (ValType::S64, Value::S64(v)) => vec![lower_flat_signed(*v, 64)],
            (ValType::F32, Value::F32(v)) => vec![F32(maybe_scramble_nan32(cx, *v))],
            (ValType::F64, Value::F64(v)) => vec![F64(maybe_scramble_nan64(cx, *v))],
            (ValType::Char, Value::Char(c)) => vec![I32(char_to_i32(*c))],
            (ValType::String, Value::String(s)) => lower_flat_string(cx, s)?,
            (ValType::List(t, l), Value::List(v)) => lower_flat_list(cx, v, t, *l)?,
            (ValType::Record(fields), v) => lower_flat_record(cx, v, fields)?,
            (ValType::Variant(cases), v) => lower_flat_variant(cx, v, cases)?,
            (ValType::Flags(labels), v) => lower_flat_flags(v, labels),
            (ValType::Own(rt), Value::Handle(rep)) => vec![I32(lower_own(cx, *rep, rt)?)],
            (ValType::Borrow(rt), Value::Handle(rep)) => vec![I32(lower_borrow(cx, *rep, rt)?)],
            (ValType::ErrorContext, Value::ErrorContext(v)) => {
                vec![I32(lower_error_context(cx, v)?)]
            }
            (ValType::Stream(t), Value::Stream(v)) => vec![I32(lower_stream(cx, v, t.as_deref())?)],
            (ValType::Future(t), Value::Future(v)) => vec![I32(lower_future(cx, v, t.as_deref())?)],
            _ => return mismatch(t),
        })
    })
}

/// `lower_flat_signed`: the two's-complement bits in a core integer.
pub fn lower_flat_signed(i: i64, core_bits: u32) -> CoreValue {
    if core_bits == 32 {
        CoreValue::I32(i as i32 as u32)
    } else {
        CoreValue::I64(i as u64)
    }
}

/// `lower_flat_string`.
pub fn lower_flat_string(
    cx: &mut LiftLowerContext<'_>,
    v: &crate::value::StringValue,
) -> Result<Vec<CoreValue>, Trap> {
    let (ptr, packed_length) = store_string_into_range(cx, v)?;
    let pt = CoreType::from(cx.ptr_type());
    Ok(vec![
        CoreValue::int(pt, ptr),
        CoreValue::int(pt, packed_length),
    ])
}

/// `lower_flat_list`.
pub fn lower_flat_list(
    cx: &mut LiftLowerContext<'_>,
    v: &[Value],
    elem_type: &ValType,
    maybe_length: Option<u32>,
) -> Result<Vec<CoreValue>, Trap> {
    if maybe_length.is_some() {
        let mut flat = Vec::new();
        for e in v {
            flat.extend(lower_flat(cx, e, elem_type)?);
        }
        return Ok(flat);
    }
    let (ptr, length) = store_list_into_range(cx, v, elem_type)?;
    let pt = CoreType::from(cx.ptr_type());
    Ok(vec![CoreValue::int(pt, ptr), CoreValue::int(pt, length)])
}

/// `lower_flat_record`.
pub fn lower_flat_record(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    fields: &[FieldType],
) -> Result<Vec<CoreValue>, Trap> {
    let mut flat = Vec::new();
    for f in fields {
        let Some(fv) = v.field(&f.label) else {
            return mismatch(&f.t);
        };
        flat.extend(lower_flat(cx, fv, &f.t)?);
    }
    Ok(flat)
}

/// `lower_flat_variant`: the discriminant, the payload widened to the
/// joined flat types, and zeros for the rest.
pub fn lower_flat_variant(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    cases: &[CaseType],
) -> Result<Vec<CoreValue>, Trap> {
    let (case_index, case_value) = match_case(v, cases)?;
    let pt = CoreType::from(cx.ptr_type());
    let mut flat_types = flatten_variant(cases, pt).into_iter().skip(1);
    let c = &cases[case_index];
    let mut payload = match (&c.t, case_value) {
        (None, _) => Vec::new(),
        (Some(t), Some(cv)) => lower_flat(cx, cv, t)?,
        (Some(t), None) => return mismatch(t),
    };
    if let Some(t) = &c.t {
        for (fv, have) in payload.iter_mut().zip(flatten_type(t, pt)) {
            let want = flat_types.next().unwrap_or(have);
            *fv = match (have, want, *fv) {
                (CoreType::F32, CoreType::I32, CoreValue::F32(f)) => {
                    CoreValue::I32(encode_float_as_i32(cx, f))
                }
                (CoreType::I32, CoreType::I64, CoreValue::I32(i)) => CoreValue::I64(i as u64),
                (CoreType::F32, CoreType::I64, CoreValue::F32(f)) => {
                    CoreValue::I64(encode_float_as_i32(cx, f) as u64)
                }
                (CoreType::F64, CoreType::I64, CoreValue::F64(f)) => {
                    CoreValue::I64(encode_float_as_i64(cx, f))
                }
                (_, _, same) => same,
            };
        }
    }
    for rest in flat_types {
        payload.push(CoreValue::int(rest, 0).zero_of(rest));
    }
    let mut out = vec![CoreValue::I32(case_index as u32)];
    out.extend(payload);
    Ok(out)
}

impl CoreValue {
    /// The zero of a core type (the spec's `0` padding).
    fn zero_of(self, t: CoreType) -> CoreValue {
        match t {
            CoreType::I32 => CoreValue::I32(0),
            CoreType::I64 => CoreValue::I64(0),
            CoreType::F32 => CoreValue::F32(0.0),
            CoreType::F64 => CoreValue::F64(0.0),
        }
    }
}

/// `lower_flat_flags`.
pub fn lower_flat_flags(v: &Value, labels: &[alloc::string::String]) -> Vec<CoreValue> {
    vec![CoreValue::I32(pack_flags_into_int(v, labels) as u32)]
}
