//! Property tests of the value layer's round trips (CanonicalABI.md
//! "Loading" and "Storing", "Flat Lifting" and "Flat Lowering", "Lifting
//! and Lowering Values"): any value of any type comes back from memory and
//! from flat core values as it went in, with its NaNs canonicalised, and
//! the same whether a tracer watches (element by element) or not (the fast
//! paths of lists of numbers and of spilled tuples).

use crate::alignment::alignment;
use crate::context::{LiftLowerContext, align_to};
use crate::core_value::{CoreValue, CoreValueIter};
use crate::elem_size::elem_size;
use crate::flattening::{MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flat_count};
use crate::instance::{ComponentInstance, InstanceId};
use crate::loading::{canonicalize_nan32, canonicalize_nan64, load};
use crate::options::{PtrType, StringEncoding};
use crate::storing::store;
use crate::tests::{Mock, opts};
use crate::trace::{Arg, Tracer};
use crate::trap::Trap;
use crate::types::{CaseType, FieldType, ValType};
use crate::value::{StringValue, Value};
use crate::values::{lift_flat_values, lower_flat_values};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// `n` labels `{prefix}0`, `{prefix}1` ...
fn labels(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// Value types of bounded depth and width, every kind that lifting and
/// lowering handle without handles or async values.
fn val_type() -> impl Strategy<Value = ValType> {
    let leaf = prop_oneof![
        select(vec![
            ValType::Bool,
            ValType::S8,
            ValType::U8,
            ValType::S16,
            ValType::U16,
            ValType::S32,
            ValType::U32,
            ValType::S64,
            ValType::U64,
            ValType::F32,
            ValType::F64,
            ValType::Char,
            ValType::String,
        ]),
        (1..5usize).prop_map(|n| ValType::Enum(labels("e", n))),
        // `0 < len(labels) <= 32`.
        (1..=32usize).prop_map(|n| ValType::Flags(labels("g", n))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (inner.clone(), proptest::option::of(1..4u32))
                .prop_map(|(t, n)| ValType::List(Box::new(t), n)),
            vec(inner.clone(), 1..4).prop_map(|ts| {
                ValType::Record(
                    ts.into_iter()
                        .enumerate()
                        .map(|(i, t)| FieldType {
                            label: format!("f{i}"),
                            t,
                        })
                        .collect(),
                )
            }),
            vec(inner.clone(), 1..4).prop_map(ValType::Tuple),
            vec(proptest::option::of(inner.clone()), 1..4).prop_map(|ts| {
                ValType::Variant(
                    ts.into_iter()
                        .enumerate()
                        .map(|(i, t)| CaseType {
                            label: format!("c{i}"),
                            t,
                        })
                        .collect(),
                )
            }),
            inner.clone().prop_map(|t| ValType::Option(Box::new(t))),
            (
                proptest::option::of(inner.clone()),
                proptest::option::of(inner)
            )
                .prop_map(|(ok, err)| ValType::Result(ok.map(Box::new), err.map(Box::new))),
        ]
    })
}

/// A variant value: case `label` with a value of `t`, if any.
fn case_value(label: &str, t: Option<&ValType>) -> BoxedStrategy<Value> {
    let label = label.to_string();
    match t {
        None => Just(Value::Variant(label, None)).boxed(),
        Some(t) => value_of(t)
            .prop_map(move |v| Value::Variant(label.clone(), Some(Box::new(v))))
            .boxed(),
    }
}

/// One of the cases `cases` (label, payload type) with its value.
fn one_case(cases: Vec<(String, Option<ValType>)>) -> BoxedStrategy<Value> {
    (0..cases.len())
        .prop_flat_map(move |i| case_value(&cases[i].0, cases[i].1.as_ref()))
        .boxed()
}

/// Values of type `t`, as lifting produces them: a tuple as a record
/// labelled `0`, `1` ..., an enum, option or result as a variant. Floats
/// include NaNs of any payload; strings are at times all Latin-1, so that
/// `latin1+utf16` stores them as Latin-1.
fn value_of(t: &ValType) -> BoxedStrategy<Value> {
    match t {
        ValType::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        ValType::S8 => any::<i8>().prop_map(Value::S8).boxed(),
        ValType::U8 => any::<u8>().prop_map(Value::U8).boxed(),
        ValType::S16 => any::<i16>().prop_map(Value::S16).boxed(),
        ValType::U16 => any::<u16>().prop_map(Value::U16).boxed(),
        ValType::S32 => any::<i32>().prop_map(Value::S32).boxed(),
        ValType::U32 => any::<u32>().prop_map(Value::U32).boxed(),
        ValType::S64 => any::<i64>().prop_map(Value::S64).boxed(),
        ValType::U64 => any::<u64>().prop_map(Value::U64).boxed(),
        ValType::F32 => prop_oneof![
            any::<f32>(),
            any::<u32>().prop_map(f32::from_bits),
            // NaNs (and infinities): every exponent bit set.
            any::<u32>().prop_map(|b| f32::from_bits(b | 0x7f80_0000)),
        ]
        .prop_map(Value::F32)
        .boxed(),
        ValType::F64 => prop_oneof![
            any::<f64>(),
            any::<u64>().prop_map(f64::from_bits),
            any::<u64>().prop_map(|b| f64::from_bits(b | 0x7ff0_0000_0000_0000)),
        ]
        .prop_map(Value::F64)
        .boxed(),
        ValType::Char => any::<char>().prop_map(Value::Char).boxed(),
        ValType::String => prop_oneof![
            vec(any::<char>(), 0..8),
            vec(any::<u8>().prop_map(char::from), 0..8),
        ]
        .prop_map(|cs| Value::String(StringValue::from_host(cs.into_iter().collect::<String>())))
        .boxed(),
        ValType::List(t, None) => vec(value_of(t), 0..4).prop_map(Value::List).boxed(),
        ValType::List(t, Some(n)) => vec(value_of(t), *n as usize).prop_map(Value::List).boxed(),
        ValType::Record(fs) => {
            let names: Vec<String> = fs.iter().map(|f| f.label.clone()).collect();
            fs.iter()
                .map(|f| value_of(&f.t))
                .collect::<Vec<_>>()
                .prop_map(move |vs| Value::Record(names.iter().cloned().zip(vs).collect()))
                .boxed()
        }
        ValType::Tuple(ts) => ts
            .iter()
            .map(value_of)
            .collect::<Vec<_>>()
            .prop_map(|vs| {
                Value::Record(
                    vs.into_iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v))
                        .collect(),
                )
            })
            .boxed(),
        ValType::Variant(cs) => {
            one_case(cs.iter().map(|c| (c.label.clone(), c.t.clone())).collect())
        }
        ValType::Enum(ls) => one_case(ls.iter().map(|l| (l.clone(), None)).collect()),
        ValType::Option(t) => one_case(vec![
            ("none".into(), None),
            ("some".into(), Some((**t).clone())),
        ]),
        ValType::Result(ok, err) => one_case(vec![
            ("ok".into(), ok.as_deref().cloned()),
            ("error".into(), err.as_deref().cloned()),
        ]),
        ValType::Flags(ls) => {
            let ls = ls.clone();
            vec(any::<bool>(), ls.len())
                .prop_map(move |on| Value::Flags(ls.iter().cloned().zip(on).collect()))
                .boxed()
        }
        _ => unreachable!("val_type makes no {t:?}"),
    }
}

/// A type with a value of it.
fn typed_value() -> impl Strategy<Value = (ValType, Value)> {
    val_type().prop_flat_map(|t| {
        let v = value_of(&t);
        (Just(t), v)
    })
}

/// `v` as lifting gives it back: NaNs canonical.
fn canonical(v: &Value) -> Value {
    match v {
        Value::F32(f) => Value::F32(canonicalize_nan32(*f)),
        Value::F64(f) => Value::F64(canonicalize_nan64(*f)),
        Value::List(vs) => Value::List(vs.iter().map(canonical).collect()),
        Value::Record(fs) => {
            Value::Record(fs.iter().map(|(l, v)| (l.clone(), canonical(v))).collect())
        }
        Value::Variant(l, p) => {
            Value::Variant(l.clone(), p.as_ref().map(|p| Box::new(canonical(p))))
        }
        other => other.clone(),
    }
}

/// Whether `a` and `b` are the same value: floats by their bits (a NaN is
/// then equal to itself), strings by their text (the encoding a string was
/// lifted from and its code units are hints, not its value).
fn same(a: &Value, b: &Value) -> bool {
    let all =
        |a: &[Value], b: &[Value]| a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b));
    match (a, b) {
        (Value::F32(a), Value::F32(b)) => a.to_bits() == b.to_bits(),
        (Value::F64(a), Value::F64(b)) => a.to_bits() == b.to_bits(),
        (Value::String(a), Value::String(b)) => a.s == b.s,
        (Value::List(a), Value::List(b)) => all(a, b),
        (Value::Record(a), Value::Record(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((la, a), (lb, b))| la == lb && same(a, b))
        }
        (Value::Variant(la, a), Value::Variant(lb, b)) => {
            la == lb
                && match (a, b) {
                    (Some(a), Some(b)) => same(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                }
        }
        (a, b) => a == b,
    }
}

/// `same` over lists of values.
fn all_same(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
}

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

fn encoding() -> impl Strategy<Value = StringEncoding> {
    select(vec![
        StringEncoding::Utf8,
        StringEncoding::Utf16,
        StringEncoding::Latin1Utf16,
    ])
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
        }
    }
}
