//! Strategies of component value types and their values, for the
//! property tests of the round trips through the Canonical ABI
//! (`round_trip_props`) and through WAVE text (the `witness` crate's
//! `tests/wave_round_trip.rs`, which includes this file by its path).
//! Paths name `witness_canonical` so that the file compiles in both.

extern crate alloc;

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use witness_canonical::loading::{canonicalize_nan32, canonicalize_nan64, utf16_tag};
use witness_canonical::options::{PtrType, StringEncoding};
use witness_canonical::types::{CaseType, FieldType, ValType};
use witness_canonical::value::{StringValue, Value};

/// `n` labels `{prefix}0`, `{prefix}1` ...
fn labels(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// Value types of bounded depth and width, every kind that lifting and
/// lowering handle without handles or async values.
pub fn val_type() -> impl Strategy<Value = ValType> {
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
/// `latin1+utf16` stores them as Latin-1, and come from any encoding.
pub fn value_of(t: &ValType) -> BoxedStrategy<Value> {
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
        ValType::String => (
            prop_oneof![
                vec(any::<char>(), 0..8),
                vec(any::<u8>().prop_map(char::from), 0..8),
            ],
            encoding(),
            any::<bool>(),
        )
            .prop_map(|(cs, encoding, wide)| {
                Value::String(lifted_string(cs.into_iter().collect(), encoding, wide))
            })
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

/// The string encodings.
pub fn encoding() -> impl Strategy<Value = StringEncoding> {
    select(vec![
        StringEncoding::Utf8,
        StringEncoding::Utf16,
        StringEncoding::Latin1Utf16,
    ])
}

/// Text `s` as lifting it from `encoding` gives it: with that encoding and
/// its code units (UTF-16 ones tagged in `latin1+utf16`, as they are when
/// the text is not all Latin-1 or, if `wide`, anyway), the hints from
/// which `store_string` transcodes.
fn lifted_string(s: String, encoding: StringEncoding, wide: bool) -> StringValue {
    let utf16 = s.encode_utf16().count() as u64;
    let tagged_code_units = match encoding {
        StringEncoding::Utf8 => s.len() as u64,
        StringEncoding::Utf16 => utf16,
        StringEncoding::Latin1Utf16 if !wide && s.chars().all(|c| u32::from(c) < 256) => {
            s.chars().count() as u64
        }
        StringEncoding::Latin1Utf16 => utf16 | utf16_tag(PtrType::I32),
    };
    StringValue {
        s,
        encoding,
        tagged_code_units,
    }
}

/// A type with a value of it.
pub fn typed_value() -> impl Strategy<Value = (ValType, Value)> {
    val_type().prop_flat_map(|t| {
        let v = value_of(&t);
        (Just(t), v)
    })
}

/// `v` as lifting gives it back: NaNs canonical.
pub fn canonical(v: &Value) -> Value {
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
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::F32(a), Value::F32(b)) => a.to_bits() == b.to_bits(),
        (Value::F64(a), Value::F64(b)) => a.to_bits() == b.to_bits(),
        (Value::String(a), Value::String(b)) => a.s == b.s,
        (Value::List(a), Value::List(b)) => all_same(a, b),
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
pub fn all_same(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
}
