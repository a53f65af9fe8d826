//! Lifting and Lowering Values (CanonicalABI.md "Lifting and Lowering
//! Values"): a function's parameters or results, flat when they fit, else
//! spilled to memory as a tuple.

use crate::alignment::alignment;
use crate::context::{LiftLowerContext, align_to};
use crate::core_value::{CoreType, CoreValue, CoreValueIter};
use crate::elem_size::elem_size;
use crate::flat_lifting::{ValueIter, lift_flat};
use crate::flat_lowering::lower_flat;
use crate::flattening::flat_count;
use crate::loading::load;
use crate::storing::store;
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use crate::value::Value;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

/// `lift_flat_values`.
pub fn lift_flat_values(
    cx: &mut LiftLowerContext<'_>,
    max_flat: usize,
    vi: &mut CoreValueIter<'_>,
    ts: &[ValType],
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
                let tuple_type = ValType::Tuple(ts.to_vec());
                trap_if(
                    ptr != align_to(ptr, alignment(&tuple_type, pt)),
                    TrapKind::UnalignedPointer,
                )?;
                trap_if(
                    cx.beyond_memory(ptr, elem_size(&tuple_type, pt)),
                    TrapKind::PointerOutOfBounds,
                )?;
                match load(cx, ptr, &tuple_type)? {
                    Value::Record(fields) => Ok(fields.into_iter().map(|(_, v)| v).collect()),
                    _ => Ok(Vec::new()),
                }
            } else {
                ts.iter().map(|t| lift_flat(cx, vi, t)).collect()
            }
        }
    )
}

/// `lower_flat_values`. With `out_param`, spilled values go where its next
/// pointer says (a lowered call's results); without, into fresh memory.
pub fn lower_flat_values(
    cx: &mut LiftLowerContext<'_>,
    max_flat: usize,
    vs: &[Value],
    ts: &[ValType],
    out_param: Option<&mut CoreValueIter<'_>>,
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
                let tuple_type = ValType::Tuple(ts.to_vec());
                let tuple_value = Value::Record(
                    vs.iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v.clone()))
                        .collect(),
                );
                let (ptr, flat_vals) = match out_param {
                    None => {
                        let ptr =
                            cx.allocate(alignment(&tuple_type, pt), elem_size(&tuple_type, pt))?;
                        (ptr, vec![CoreValue::int(CoreType::from(pt), ptr)])
                    }
                    Some(out) => (ValueIter::next(out, pt.into())?.as_u64(), vec![]),
                };
                trap_if(
                    ptr != align_to(ptr, alignment(&tuple_type, pt)),
                    TrapKind::UnalignedPointer,
                )?;
                trap_if(
                    cx.beyond_memory(ptr, elem_size(&tuple_type, pt)),
                    TrapKind::PointerOutOfBounds,
                )?;
                store(cx, &tuple_value, &tuple_type, ptr)?;
                Ok(flat_vals)
            } else {
                let mut flat_vals = Vec::with_capacity(flat_count);
                for (v, t) in vs.iter().zip(ts) {
                    lower_flat(cx, v, t, &mut flat_vals)?;
                }
                Ok(flat_vals)
            }
        }
    )
}
