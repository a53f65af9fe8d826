//! Property tests of the value layer's round trips (CanonicalABI.md
//! "Loading" and "Storing", "Flat Lifting" and "Flat Lowering", "Lifting
//! and Lowering Values"): any value of any type comes back from memory and
//! from flat core values as it went in, with its NaNs canonicalised, and
//! the same whether a tracer watches (element by element) or not (the fast
//! paths of lists of numbers and of spilled tuples), and the same without
//! a context for plain values.

use crate::alignment::alignment;
use crate::context::{LiftLowerContext, align_to};
use crate::core_value::{CoreValue, CoreValueIter};
use crate::despecialize::despecialize;
use crate::elem_size::elem_size;
use crate::flattening::{MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flat_count};
use crate::instance::{ComponentInstance, InstanceId};
use crate::loading::load;
use crate::options::{PtrType, StringEncoding};
use crate::storing::store;
use crate::tests::{Mock, opts};
use crate::trace::{Arg, Tracer};
use crate::trap::Trap;
use crate::types::ValType;
use crate::types::{CaseType, FieldType};
use crate::value::Value;
use crate::value_strategies::{all_same, canonical, encoding, same, typed_value, val_type};
use crate::values::{
    all_plain, lift_flat_plain_values, lift_flat_values, lower_flat_plain_values, lower_flat_values,
};
use alloc::boxed::Box;
use alloc::vec::Vec;
use proptest::collection::vec;
use proptest::prelude::*;

/// Tells whether every definition that entered exited, in order.
#[derive(Default)]
struct Nesting {
    open: Vec<&'static str>,
    steps: usize,
    unbalanced: bool,
}

impl Tracer for Nesting {
    fn enter(&mut self, name: &'static str, _: &[Arg<'_>]) {
        self.open.push(name);
        self.steps += 1;
    }

    fn exit(&mut self, name: &'static str, _: Result<&[Arg<'_>], &Trap>) {
        self.unbalanced |= self.open.pop() != Some(name);
    }
}

/// What a run over the mock core left: its result and the memory's bytes.
struct Run<R> {
    result: R,
    memory: Vec<u8>,
}

/// Runs `f` with a context of encoding `enc` over a fresh mock core,
/// traced or not; a traced run must report balanced steps.
fn run<R>(
    traced: bool,
    enc: StringEncoding,
    f: impl FnOnce(&mut LiftLowerContext<'_>) -> R,
) -> Run<R> {
    let mut core = Mock::new();
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    let mut nesting = Nesting::default();
    let tracer: Option<&mut dyn Tracer> = traced.then_some(&mut nesting);
    let mut cx = LiftLowerContext::new(opts(enc), &mut inst, None, &mut core).traced_by(tracer);
    let result = f(&mut cx);
    let memory = cx.memory().to_vec();
    assert!(nesting.open.is_empty() && !nesting.unbalanced);
    assert_eq!(traced, nesting.steps > 0);
    Run { result, memory }
}

/// Where values are stored: high in the mock's memory, above what its
/// bump allocator hands out for these small values, at a multiple of the
/// type's alignment.
const STORE_AT: u64 = 1 << 15;

/// The flat core values by kind and bits (a NaN equal to itself).
fn flat_bits(flat: &[CoreValue]) -> Vec<(u8, u64)> {
    flat.iter()
        .map(|c| {
            let kind = match c {
                CoreValue::I32(_) => 0,
                CoreValue::I64(_) => 1,
                CoreValue::F32(_) => 2,
                CoreValue::F64(_) => 3,
            };
            (kind, c.as_u64())
        })
        .collect()
}

proptest! {
    /// `store` then `load` at an aligned address gives the value back, the
    /// same bytes and value traced or not.
    #[test]
    fn store_then_load_gives_the_value_back(
        (t, v) in typed_value(),
        enc in encoding(),
        slot in 0..4u64,
    ) {
        let ptr = align_to(STORE_AT, alignment(&t, PtrType::I32)) + slot * elem_size(&t, PtrType::I32);
        let runs = [false, true].map(|traced| {
            run(traced, enc, |cx| store(cx, &v, &t, ptr).and_then(|()| load(cx, ptr, &t)))
        });
        let back = runs[0].result.as_ref().expect("store and load");
        prop_assert!(same(back, &canonical(&v)), "{t:?}: {v:?} came back as {back:?}");
        let traced = runs[1].result.as_ref().expect("traced store and load");
        prop_assert!(same(back, traced), "traced: {traced:?}, not: {back:?}");
        prop_assert!(runs[0].memory == runs[1].memory, "traced or not, different bytes");
    }

    /// `lower_flat_values` then `lift_flat_values` gives the values back:
    /// flat within `MAX_FLAT_PARAMS`, else spilled to fresh memory; as
    /// results (`MAX_FLAT_RESULTS`), spilled where the out-param points.
    /// The same flat values, bytes and values traced or not.
    #[test]
    fn lower_then_lift_gives_the_values_back(
        tvs in vec(typed_value(), 0..5),
        enc in encoding(),
    ) {
        let (ts, vs): (Vec<ValType>, Vec<Value>) = tvs.into_iter().unzip();
        let want: Vec<Value> = vs.iter().map(canonical).collect();
        let out = [CoreValue::I32(STORE_AT as u32)];
        for (max_flat, out_param) in [(MAX_FLAT_PARAMS, false), (0, false), (MAX_FLAT_RESULTS, true)] {
            let runs = [false, true].map(|traced| {
                run(traced, enc, |cx| {
                    let mut out_iter = CoreValueIter::new(&out);
                    let flat = lower_flat_values(
                        cx,
                        max_flat,
                        &vs,
                        &ts,
                        out_param.then_some(&mut out_iter),
                        Vec::new(),
                    )?;
                    let lift_from = if out_param && flat_count(&ts) > max_flat { &out[..] } else { &flat[..] };
                    let back = lift_flat_values(cx, max_flat, &mut CoreValueIter::new(lift_from), &ts, Vec::new())?;
                    Ok::<_, Trap>((flat_bits(&flat), back))
                })
            });
            let (flat, back) = runs[0].result.as_ref().expect("lower and lift");
            prop_assert!(all_same(back, &want), "max_flat {max_flat}: {vs:?} came back as {back:?}");
            let (t_flat, t_back) = runs[1].result.as_ref().expect("traced lower and lift");
            prop_assert!(flat == t_flat && all_same(back, t_back), "traced or not, different results");
            prop_assert!(runs[0].memory == runs[1].memory, "traced or not, different bytes");
            if all_plain(&ts, max_flat) {
                // Without a context, the same flat values and values.
                let plain = lower_flat_plain_values(&vs, &ts, Vec::new()).expect("plain lower");
                prop_assert!(flat_bits(&plain) == *flat, "plain lowering differs");
                let back = lift_flat_plain_values(&mut CoreValueIter::new(&plain), &ts, Vec::new());
                prop_assert!(all_same(&back.expect("plain lift"), &want), "plain lifting differs");
            }
        }
    }

    /// `alignment` and `elem_size` of a specialized type, computed from
    /// its parts, are those of its expansion, all the way down.
    #[test]
    fn a_specialized_types_layout_is_its_expansions(t in val_type(), wide in any::<bool>()) {
        let pt = if wide { PtrType::I64 } else { PtrType::I32 };
        let map = ValType::Map(Box::new(t.clone()), Box::new(t.clone()));
        for t in [t, map] {
            let e = expand_all(&t);
            prop_assert_eq!(alignment(&t, pt), alignment(&e, pt), "{:?}", t);
            prop_assert_eq!(elem_size(&t, pt), elem_size(&e, pt), "{:?}", t);
        }
    }
}

/// `t` with every specialized type in it despecialized.
fn expand_all(t: &ValType) -> ValType {
    match despecialize(t).into_owned() {
        ValType::List(t, n) => ValType::List(Box::new(expand_all(&t)), n),
        ValType::Record(fs) => ValType::Record(
            fs.into_iter()
                .map(|f| FieldType {
                    t: expand_all(&f.t),
                    ..f
                })
                .collect(),
        ),
        ValType::Variant(cs) => ValType::Variant(
            cs.into_iter()
                .map(|c| CaseType {
                    t: c.t.as_ref().map(expand_all),
                    ..c
                })
                .collect(),
        ),
        t => t,
    }
}
