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
use crate::values::is_plain;
use alloc::vec::Vec;

/// `lower_flat`: appends the core values of `v` to `flat` (the spec
/// returns them as a list, which every caller appends to its own).
pub fn lower_flat(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    t: &ValType,
    flat: &mut Vec<CoreValue>,
) -> Result<(), Trap> {
    let start = flat.len();
    traced!(
        cx,
        "lower_flat",
        [Value(v, t)],
        |_| [Core(&flat[start..])],
        {
            use CoreValue::{F32, F64, I32};
            let one = match (&*despecialize(t), v) {
                (t, v) if is_plain(t) => lower_flat_plain(v, t)?,
                (ValType::F32, Value::F32(v)) => F32(maybe_scramble_nan32(cx, *v)),
                (ValType::F64, Value::F64(v)) => F64(maybe_scramble_nan64(cx, *v)),
                (ValType::String, Value::String(s)) => return lower_flat_string(cx, s, flat),
                (ValType::List(t, l), Value::List(v)) => {
                    return lower_flat_list(cx, v, t, *l, flat);
                }
                (ValType::Record(fields), v) => return lower_flat_record(cx, v, fields, flat),
                (ValType::Variant(cases), v) => return lower_flat_variant(cx, v, cases, flat),
                (ValType::Flags(labels), v) => lower_flat_flags(v, labels),
                (ValType::Own(rt), Value::Handle(rep)) => I32(lower_own(cx, *rep, rt)?),
                (ValType::Borrow(rt), Value::Handle(rep)) => I32(lower_borrow(cx, *rep, rt)?),
                (ValType::ErrorContext, Value::ErrorContext(v)) => I32(lower_error_context(cx, v)?),
                (ValType::Stream(t), Value::Stream(v)) => I32(lower_stream(cx, v, t.as_deref())?),
                (ValType::Future(t), Value::Future(v)) => I32(lower_future(cx, v, t.as_deref())?),
                _ => return mismatch(t),
            };
            flat.push(one);
            Ok(())
        }
    )
}

/// `lower_flat` of a plain value ([`is_plain`]), which needs no context.
#[inline]
pub fn lower_flat_plain(v: &Value, t: &ValType) -> Result<CoreValue, Trap> {
    use CoreValue::{I32, I64};
    Ok(match (t, v) {
        (ValType::Bool, Value::Bool(v)) => I32(*v as u32),
        (ValType::U8, Value::U8(v)) => I32(*v as u32),
        (ValType::U16, Value::U16(v)) => I32(*v as u32),
        (ValType::U32, Value::U32(v)) => I32(*v),
        (ValType::U64, Value::U64(v)) => I64(*v),
        (ValType::S8, Value::S8(v)) => lower_flat_signed(*v as i64, 32),
        (ValType::S16, Value::S16(v)) => lower_flat_signed(*v as i64, 32),
        (ValType::S32, Value::S32(v)) => lower_flat_signed(*v as i64, 32),
        (ValType::S64, Value::S64(v)) => lower_flat_signed(*v, 64),
        (ValType::Char, Value::Char(c)) => I32(char_to_i32(*c)),
        _ => return mismatch(t),
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

/// `lower_flat_string`, appending to `flat`.
pub fn lower_flat_string(
    cx: &mut LiftLowerContext<'_>,
    v: &crate::value::StringValue,
    flat: &mut Vec<CoreValue>,
) -> Result<(), Trap> {
    let (ptr, packed_length) = store_string_into_range(cx, v)?;
    let pt = CoreType::from(cx.ptr_type());
    flat.extend([CoreValue::int(pt, ptr), CoreValue::int(pt, packed_length)]);
    Ok(())
}

/// `lower_flat_list`, appending to `flat`.
pub fn lower_flat_list(
    cx: &mut LiftLowerContext<'_>,
    v: &[Value],
    elem_type: &ValType,
    maybe_length: Option<u32>,
    flat: &mut Vec<CoreValue>,
) -> Result<(), Trap> {
    if maybe_length.is_some() {
        for e in v {
            lower_flat(cx, e, elem_type, flat)?;
        }
        return Ok(());
    }
    let (ptr, length) = store_list_into_range(cx, v, elem_type)?;
    let pt = CoreType::from(cx.ptr_type());
    flat.extend([CoreValue::int(pt, ptr), CoreValue::int(pt, length)]);
    Ok(())
}

/// `lower_flat_record`, appending to `flat`.
pub fn lower_flat_record(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    fields: &[FieldType],
    flat: &mut Vec<CoreValue>,
) -> Result<(), Trap> {
    for f in fields {
        let Some(fv) = v.field(&f.label) else {
            return mismatch(&f.t);
        };
        lower_flat(cx, fv, &f.t, flat)?;
    }
    Ok(())
}

/// `lower_flat_variant`, appending to `flat`: the discriminant, the
/// payload widened to the joined flat types, and zeros for the rest.
pub fn lower_flat_variant(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    cases: &[CaseType],
    flat: &mut Vec<CoreValue>,
) -> Result<(), Trap> {
    let (case_index, case_value) = match_case(v, cases)?;
    let pt = CoreType::from(cx.ptr_type());
    let mut flat_types = flatten_variant(cases, pt).into_iter().skip(1);
    let c = &cases[case_index];
    flat.push(CoreValue::I32(case_index as u32));
    let start = flat.len();
    match (&c.t, case_value) {
        (None, _) => {}
        (Some(t), Some(cv)) => lower_flat(cx, cv, t, flat)?,
        (Some(t), None) => return mismatch(t),
    }
    if let Some(t) = &c.t {
        let payload = start..flat.len();
        for (i, have) in payload.zip(flatten_type(t, pt)) {
            let fv = &mut flat[i];
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
        flat.push(CoreValue::int(rest, 0).zero_of(rest));
    }
    Ok(())
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
pub fn lower_flat_flags(v: &Value, labels: &[alloc::string::String]) -> CoreValue {
    CoreValue::I32(pack_flags_into_int(v, labels) as u32)
}
