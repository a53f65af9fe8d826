//! Lifting and Lowering Values (CanonicalABI.md "Lifting and Lowering
//! Values"): a function's parameters or results, flat when they fit, else
//! spilled to memory as a tuple.

use crate::alignment::alignment;
use crate::context::{LiftLowerContext, align_to};
use crate::core_value::{CoreType, CoreValue, CoreValueIter};
use crate::elem_size::elem_size;
use crate::flat_lifting::{ValueIter, lift_flat, lift_flat_plain};
use crate::flat_lowering::{lower_flat, lower_flat_plain};
use crate::flattening::flat_count;
use crate::loading::load;
use crate::options::PtrType;
use crate::storing::{mismatch, store};
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use crate::value::Value;
use alloc::string::ToString;
use alloc::vec::Vec;

/// Whether values of type `t` lift and lower flat with no context, as
/// one core value: numbers other than floats (whose lowering may scramble
/// a NaN through the store's choices), `bool` and `char`.
#[inline]
pub fn is_plain(t: &ValType) -> bool {
    matches!(
        t,
        ValType::Bool
            | ValType::U8
            | ValType::U16
            | ValType::U32
            | ValType::U64
            | ValType::S8
            | ValType::S16
            | ValType::S32
            | ValType::S64
            | ValType::Char
    )
}

/// Whether values of types `ts` are all plain ([`is_plain`]) and fit
/// `max_flat`: what [`lower_flat_values`] and [`lift_flat_values`] then do
/// needs no context, and a caller with nothing to trace does it with
/// [`lower_flat_plain_values`] and [`lift_flat_plain_values`] rather than
/// make one.
#[inline]
pub fn all_plain(ts: &[ValType], max_flat: usize) -> bool {
    ts.len() <= max_flat && ts.iter().all(is_plain)
}

/// [`lower_flat_values`] of plain values ([`all_plain`]), pushed on
/// `flat_vals`.
#[inline]
pub fn lower_flat_plain_values(
    vs: &[Value],
    ts: &[ValType],
    mut flat_vals: Vec<CoreValue>,
) -> Result<Vec<CoreValue>, Trap> {
    flat_vals.reserve(ts.len());
    for (v, t) in vs.iter().zip(ts) {
        flat_vals.push(lower_flat_plain(v, t)?);
    }
    Ok(flat_vals)
}

/// [`lift_flat_values`] of plain types ([`all_plain`]), pushed on `vs`.
#[inline]
pub fn lift_flat_plain_values(
    vi: &mut CoreValueIter<'_>,
    ts: &[ValType],
    mut vs: Vec<Value>,
) -> Result<Vec<Value>, Trap> {
    vs.reserve(ts.len());
    for t in ts {
        vs.push(lift_flat_plain(vi, t)?);
    }
    Ok(vs)
}

/// `lift_flat_values`. The values are lifted onto `vs`, an empty list
/// whose room a caller may reuse ([`crate::store::Store::value_buffers`]).
pub fn lift_flat_values(
    cx: &mut LiftLowerContext<'_>,
    max_flat: usize,
    vi: &mut CoreValueIter<'_>,
    ts: &[ValType],
    mut vs: Vec<Value>,
) -> Result<Vec<Value>, Trap> {
    traced!(
        cx,
        "lift_flat_values",
        [Int("max_flat", max_flat as u64), Core(vi.rest()), Types(ts),],
        |vs| [Values(vs, ts)],
        {
            let pt = cx.ptr_type();
            if flat_count(ts) > max_flat {
                let ptr = ValueIter::next(vi, pt.into())?.as_u64();
                let (alignment, size) = tuple_layout(ts, pt);
                trap_if(ptr != align_to(ptr, alignment), TrapKind::UnalignedPointer)?;
                trap_if(cx.beyond_memory(ptr, size), TrapKind::PointerOutOfBounds)?;
                load_tuple(cx, ptr, ts, vs)
            } else {
                vs.reserve(ts.len());
                for t in ts {
                    vs.push(lift_flat(cx, vi, t)?);
                }
                Ok(vs)
            }
        }
    )
}

/// `alignment(TupleType(ts))` and `elem_size(TupleType(ts))`: those of
/// the record of fields `ts` (`alignment_record`, `elem_size_record`),
/// computed without building the tuple's type.
fn tuple_layout(ts: &[ValType], pt: PtrType) -> (u64, u64) {
    let tuple_alignment = ts.iter().map(|t| alignment(t, pt)).fold(1, u64::max);
    let mut s = 0;
    for t in ts {
        s = align_to(s, alignment(t, pt));
        s += elem_size(t, pt);
    }
    (tuple_alignment, align_to(s, tuple_alignment))
}

/// The field values of `load(cx, ptr, TupleType(ts))`. A tracer is told
/// of that very `load`; otherwise the fields are loaded where
/// `load_record` loads them, without building the tuple's type and
/// record. The values are pushed onto `vs` (empty).
fn load_tuple(
    cx: &mut LiftLowerContext<'_>,
    mut ptr: u64,
    ts: &[ValType],
    mut vs: Vec<Value>,
) -> Result<Vec<Value>, Trap> {
    if cx.tracing() {
        let tuple_type = ValType::Tuple(ts.to_vec());
        if let Value::Record(fields) = load(cx, ptr, &tuple_type)? {
            vs.extend(fields.into_iter().map(|(_, v)| v));
        }
        return Ok(vs);
    }
    let pt = cx.ptr_type();
    vs.reserve(ts.len());
    for t in ts {
        ptr = align_to(ptr, alignment(t, pt));
        vs.push(load(cx, ptr, t)?);
        ptr += elem_size(t, pt);
    }
    Ok(vs)
}

/// `store(cx, vs, TupleType(ts), ptr)`, told to a tracer as that very
/// `store`; otherwise the fields are stored where `store_record` stores
/// them, without building the tuple's type and record.
fn store_tuple(
    cx: &mut LiftLowerContext<'_>,
    vs: &[Value],
    ts: &[ValType],
    mut ptr: u64,
) -> Result<(), Trap> {
    if cx.tracing() {
        let tuple_type = ValType::Tuple(ts.to_vec());
        let tuple_value = Value::Record(
            vs.iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
        );
        return store(cx, &tuple_value, &tuple_type, ptr);
    }
    if vs.len() != ts.len() {
        return mismatch(&ValType::Tuple(ts.to_vec()));
    }
    let pt = cx.ptr_type();
    for (v, t) in vs.iter().zip(ts) {
        ptr = align_to(ptr, alignment(t, pt));
        store(cx, v, t, ptr)?;
        ptr += elem_size(t, pt);
    }
    Ok(())
}

/// `lower_flat_values`. With `out_param`, spilled values go where its next
/// pointer says (a lowered call's results); without, into fresh memory.
/// The flat values are pushed on `flat_vals`, an empty list whose room a
/// caller may reuse ([`crate::store::Store::flat_buffers`]).
pub fn lower_flat_values(
    cx: &mut LiftLowerContext<'_>,
    max_flat: usize,
    vs: &[Value],
    ts: &[ValType],
    out_param: Option<&mut CoreValueIter<'_>>,
    mut flat_vals: Vec<CoreValue>,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        cx,
        "lower_flat_values",
        [Int("max_flat", max_flat as u64), Values(vs, ts),],
        |flat| [Core(flat)],
        {
            let pt = cx.ptr_type();
            let flat_count = flat_count(ts);
            if flat_count > max_flat {
                let (alignment, size) = tuple_layout(ts, pt);
                let ptr = match out_param {
                    None => {
                        let ptr = cx.allocate(alignment, size)?;
                        flat_vals.push(CoreValue::int(CoreType::from(pt), ptr));
                        ptr
                    }
                    Some(out) => ValueIter::next(out, pt.into())?.as_u64(),
                };
                trap_if(ptr != align_to(ptr, alignment), TrapKind::UnalignedPointer)?;
                trap_if(cx.beyond_memory(ptr, size), TrapKind::PointerOutOfBounds)?;
                store_tuple(cx, vs, ts, ptr)?;
                Ok(flat_vals)
            } else {
                flat_vals.reserve(flat_count);
                for (v, t) in vs.iter().zip(ts) {
                    lower_flat(cx, v, t, &mut flat_vals)?;
                }
                Ok(flat_vals)
            }
        }
    )
}
