//! The value layer against a mock core: a memory and a bump-allocating
//! `realloc`, as the spec's own tests drive the definitions.

use crate::choices::{Choices, Site};
use crate::context::LiftLowerContext;
use crate::core_value::{CoreType, CoreValue, CoreValueIter};
use crate::flat_lifting::lift_flat;
use crate::flat_lowering::lower_flat;
use crate::flattening::{
    Context, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flat_count, flatten_functype, flatten_type,
    flatten_types,
};
use crate::instance::{ComponentInstance, HandleElem, InstanceId};
use crate::options::{
    CanonicalOptions, Core, CoreResults, FuncRef, LiftLowerOptions, MemRef, PtrType, StringEncoding,
};
use crate::resource::ResourceType;
use crate::subtask::Subtask;
use crate::task::{BorrowScope, Task};
use crate::trap::{Trap, TrapKind};
use crate::types::{CaseType, FieldType, FuncType, ValType};
use crate::value::{StringValue, Value};
use crate::values::{lift_flat_values, lower_flat_values};
use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

const REALLOC: FuncRef = FuncRef(0);

/// A memory and a bump allocator standing in for core wasm.
pub(crate) struct Mock {
    mem: Vec<u8>,
    next: u64,
    reallocs: Vec<[u64; 4]>,
}

impl Mock {
    pub(crate) fn new() -> Mock {
        Mock {
            mem: vec![0; 1 << 16],
            next: 16,
            reallocs: Vec::new(),
        }
    }
}

impl Core for Mock {
    fn memory(&mut self, _: MemRef) -> &mut [u8] {
        &mut self.mem
    }

    fn ptr_type(&self, _: MemRef) -> PtrType {
        PtrType::I32
    }

    fn call(
        &mut self,
        f: FuncRef,
        args: &[CoreValue],
        results: &mut CoreResults,
    ) -> Result<(), Trap> {
        assert_eq!(f, REALLOC);
        let [old, old_len, align, new_len] = [0, 1, 2, 3].map(|i| args[i].as_u64());
        self.reallocs.push([old, old_len, align, new_len]);
        let ptr = self.next.div_ceil(align) * align;
        self.next = ptr + new_len;
        let keep = old_len.min(new_len) as usize;
        self.mem
            .copy_within(old as usize..old as usize + keep, ptr as usize);
        results.push(CoreValue::I32(ptr as u32));
        Ok(())
    }
}

pub(crate) fn opts(enc: StringEncoding) -> LiftLowerOptions {
    LiftLowerOptions {
        string_encoding: enc,
        memory: Some(MemRef(0)),
        realloc: Some(REALLOC),
    }
}

fn s(text: &str) -> Value {
    Value::String(StringValue::from_host(text))
}

fn rec(fields: &[(&str, Value)]) -> Value {
    Value::Record(
        fields
            .iter()
            .map(|(l, v)| (l.to_string(), v.clone()))
            .collect(),
    )
}

fn var(label: &str, v: Option<Value>) -> Value {
    Value::Variant(label.to_string(), v.map(Box::new))
}

fn field(label: &str, t: ValType) -> FieldType {
    FieldType {
        label: label.to_string(),
        t,
    }
}

fn case(label: &str, t: Option<ValType>) -> CaseType {
    CaseType {
        label: label.to_string(),
        t,
    }
}

/// `lower_flat`'s core values, as a list of their own.
fn lower_flat_vec(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    t: &ValType,
) -> Result<Vec<CoreValue>, Trap> {
    let mut flat = Vec::new();
    lower_flat(cx, v, t, &mut flat)?;
    Ok(flat)
}

/// Lowers `vs` flat (spilling past `max_flat`) and lifts them back.
fn round_trip(
    enc: StringEncoding,
    max_flat: usize,
    vs: &[Value],
    ts: &[ValType],
) -> Result<Vec<Value>, Trap> {
    let mut core = Mock::new();
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    let flat = {
        let mut cx = LiftLowerContext::new(opts(enc), &mut inst, None, &mut core);
        lower_flat_values(&mut cx, max_flat, vs, ts, None, Vec::new())?
    };
    let mut cx = LiftLowerContext::new(opts(enc), &mut inst, None, &mut core);
    lift_flat_values(
        &mut cx,
        max_flat,
        &mut CoreValueIter::new(&flat),
        ts,
        Vec::new(),
    )
}

/// Strings compare by text: encodings and code-unit hints differ.
fn text_only(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(StringValue::from_host(s.s.clone())),
        Value::List(vs) => Value::List(vs.iter().map(text_only).collect()),
        Value::Record(fs) => {
            Value::Record(fs.iter().map(|(l, v)| (l.clone(), text_only(v))).collect())
        }
        Value::Variant(l, v) => {
            Value::Variant(l.clone(), v.as_ref().map(|v| Box::new(text_only(v))))
        }
        other => other.clone(),
    }
}

fn cases() -> Vec<(ValType, Value)> {
    let point = ValType::Record(vec![
        field("x", ValType::S16),
        field("y", ValType::F64),
        field("tag", ValType::Char),
    ]);
    let shape = ValType::Variant(vec![
        case("none", None),
        case("small", Some(ValType::F32)),
        case("big", Some(ValType::U64)),
    ]);
    vec![
        (ValType::Bool, Value::Bool(true)),
        (ValType::S8, Value::S8(-128)),
        (ValType::U16, Value::U16(65535)),
        (ValType::S32, Value::S32(-1)),
        (ValType::U64, Value::U64(u64::MAX)),
        (ValType::S64, Value::S64(i64::MIN)),
        (ValType::F32, Value::F32(-1.5)),
        (ValType::Char, Value::Char('\u{10FFFF}')),
        (ValType::String, s("héllo wörld ☃ 𝄞")),
        (
            point.clone(),
            rec(&[
                ("x", Value::S16(-7)),
                ("y", Value::F64(2.25)),
                ("tag", Value::Char('p')),
            ]),
        ),
        (
            ValType::List(Box::new(point), None),
            Value::List(vec![rec(&[
                ("x", Value::S16(1)),
                ("y", Value::F64(0.5)),
                ("tag", Value::Char('a')),
            ])]),
        ),
        (shape.clone(), var("small", Some(Value::F32(3.5)))),
        (shape.clone(), var("big", Some(Value::U64(1 << 40)))),
        (shape, var("none", None)),
        (
            ValType::Tuple(vec![ValType::U8, ValType::String]),
            rec(&[("0", Value::U8(9)), ("1", s("x"))]),
        ),
        (
            ValType::Option(Box::new(ValType::String)),
            var("some", Some(s("opt"))),
        ),
        (
            ValType::Result(None, Some(Box::new(ValType::U32))),
            var("error", Some(Value::U32(404))),
        ),
        (ValType::Enum(vec!["a".into(), "b".into()]), var("b", None)),
        (
            ValType::Flags((0..20).map(|i| alloc::format!("f{i}")).collect()),
            Value::Flags(
                (0..20)
                    .map(|i| (alloc::format!("f{i}"), i % 3 == 0))
                    .collect(),
            ),
        ),
        (
            ValType::List(Box::new(ValType::U32), Some(3)),
            Value::List(vec![Value::U32(1), Value::U32(2), Value::U32(3)]),
        ),
        (
            ValType::List(
                Box::new(ValType::List(Box::new(ValType::String), None)),
                None,
            ),
            Value::List(vec![Value::List(vec![s("a"), s("ü")]), Value::List(vec![])]),
        ),
    ]
}

#[test]
fn every_type_round_trips_flat_and_through_memory() {
    for enc in [
        StringEncoding::Utf8,
        StringEncoding::Utf16,
        StringEncoding::Latin1Utf16,
    ] {
        for (t, v) in cases() {
            for max_flat in [MAX_FLAT_PARAMS, 0] {
                let back = round_trip(enc, max_flat, &[v.clone()], &[t.clone()]).unwrap();
                assert_eq!(
                    back.iter().map(text_only).collect::<Vec<_>>(),
                    vec![v.clone()],
                    "{t:?} via {enc:?}, max_flat {max_flat}"
                );
            }
        }
    }
}

#[test]
fn strings_transcode_between_every_pair_of_encodings() {
    let encodings = [
        StringEncoding::Utf8,
        StringEncoding::Utf16,
        StringEncoding::Latin1Utf16,
    ];
    let texts = [
        "",
        "a",
        "latin1 ÿ",
        "\u{80}",
        "\u{100}",
        "mixed a\u{ff}\u{100}z",
        "\u{d7ff}\u{e000}",
        "𝄞 astral",
        "\u{10ffff}",
    ];
    for src in encodings {
        for dst in encodings {
            for text in texts {
                // Lower from the host into `src`, lift (with `src`'s hints),
                // lower into `dst`, lift again.
                let mut core = Mock::new();
                let mut inst = ComponentInstance::new(InstanceId(0), None);
                let flat = lower_flat_vec(
                    &mut LiftLowerContext::new(opts(src), &mut inst, None, &mut core),
                    &s(text),
                    &ValType::String,
                )
                .unwrap();
                let mid = lift_flat(
                    &mut LiftLowerContext::new(opts(src), &mut inst, None, &mut core),
                    &mut CoreValueIter::new(&flat),
                    &ValType::String,
                )
                .unwrap();
                let flat = lower_flat_vec(
                    &mut LiftLowerContext::new(opts(dst), &mut inst, None, &mut core),
                    &mid,
                    &ValType::String,
                )
                .unwrap();
                let Value::String(back) = lift_flat(
                    &mut LiftLowerContext::new(opts(dst), &mut inst, None, &mut core),
                    &mut CoreValueIter::new(&flat),
                    &ValType::String,
                )
                .unwrap() else {
                    panic!()
                };
                assert_eq!(back.s, text, "{src:?} -> {dst:?}");
                let latin1 = text.chars().all(|c| (c as u32) < 256);
                let units = match dst {
                    StringEncoding::Utf8 => text.len() as u64,
                    StringEncoding::Utf16 => text.encode_utf16().count() as u64,
                    StringEncoding::Latin1Utf16 if latin1 => text.chars().count() as u64,
                    StringEncoding::Latin1Utf16 => text.encode_utf16().count() as u64 | 1 << 31,
                };
                assert_eq!(back.tagged_code_units, units, "{src:?} -> {dst:?} {text:?}");
            }
        }
    }
}

#[test]
fn transcoding_to_utf8_reallocates_once_to_the_worst_case_and_shrinks() {
    let mut core = Mock::new();
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    let utf16 = StringValue {
        s: "aé".into(),
        encoding: StringEncoding::Utf16,
        tagged_code_units: 2,
    };
    lower_flat_vec(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core),
        &Value::String(utf16),
        &ValType::String,
    )
    .unwrap();
    let sizes: Vec<[u64; 2]> = core.reallocs.iter().map(|r| [r[1], r[3]]).collect();
    assert_eq!(sizes, vec![[0, 2], [2, 6], [6, 3]]);
}

fn lift_one(
    mem_bytes: &[(usize, &[u8])],
    enc: StringEncoding,
    flat: &[CoreValue],
    t: &ValType,
) -> Result<Value, Trap> {
    let mut core = Mock::new();
    for (at, bytes) in mem_bytes {
        core.mem[*at..*at + bytes.len()].copy_from_slice(bytes);
    }
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    lift_flat(
        &mut LiftLowerContext::new(opts(enc), &mut inst, None, &mut core),
        &mut CoreValueIter::new(flat),
        t,
    )
}

#[test]
fn lifting_traps_on_invalid_input() {
    use CoreValue::I32;
    let kind = |r: Result<Value, Trap>| r.unwrap_err().kind;
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf8,
            &[I32(0xD800)],
            &ValType::Char
        )),
        TrapKind::InvalidChar
    );
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf8,
            &[I32(0x110000)],
            &ValType::Char
        )),
        TrapKind::InvalidChar
    );
    let e = ValType::Enum(vec!["a".into(), "b".into()]);
    assert_eq!(
        kind(lift_one(&[], StringEncoding::Utf8, &[I32(2)], &e)),
        TrapKind::InvalidVariantDiscriminant
    );
    let list = ValType::List(Box::new(ValType::U32), None);
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf8,
            &[I32(2), I32(1)],
            &list
        )),
        TrapKind::UnalignedPointer
    );
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf8,
            &[I32(65532), I32(2)],
            &list
        )),
        TrapKind::ListOutOfBounds
    );
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf8,
            &[I32(65535), I32(2)],
            &ValType::String
        )),
        TrapKind::StringOutOfBounds
    );
    assert_eq!(
        kind(lift_one(
            &[(8, &[0xff])],
            StringEncoding::Utf8,
            &[I32(8), I32(1)],
            &ValType::String
        )),
        TrapKind::InvalidUtf8
    );
    assert_eq!(
        kind(lift_one(
            &[(8, &[0x00, 0xd8])],
            StringEncoding::Utf16,
            &[I32(8), I32(1)],
            &ValType::String
        )),
        TrapKind::InvalidUtf16
    );
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf16,
            &[I32(9), I32(1)],
            &ValType::String
        )),
        TrapKind::UnalignedPointer
    );
    assert_eq!(
        kind(lift_one(
            &[],
            StringEncoding::Utf8,
            &[I32(0), I32(1 << 28)],
            &ValType::String
        )),
        TrapKind::StringTooLong
    );
    // Latin-1 bytes are all valid; the tag bit selects UTF-16.
    let v = lift_one(
        &[(8, &[0xe9, 0x00])],
        StringEncoding::Latin1Utf16,
        &[I32(8), I32(1 | 1 << 31)],
        &ValType::String,
    )
    .unwrap();
    assert_eq!(
        v,
        Value::String(StringValue {
            s: "é".into(),
            encoding: StringEncoding::Latin1Utf16,
            tagged_code_units: 1 | 1 << 31
        })
    );
}

#[test]
fn flat_count_is_the_length_of_flatten_types() {
    let mut ts: Vec<ValType> = cases().into_iter().map(|(t, _)| t).collect();
    ts.push(ValType::Map(
        Box::new(ValType::String),
        Box::new(ValType::U8),
    ));
    ts.push(ValType::Result(Some(Box::new(ValType::F64)), None));
    for t in &ts {
        let one = core::slice::from_ref(t);
        assert_eq!(
            flat_count(one),
            flatten_types(one, CoreType::I32).len(),
            "{t:?}"
        );
    }
    assert_eq!(flat_count(&ts), flatten_types(&ts, CoreType::I32).len());
}

#[test]
fn variants_join_their_payloads_flat_types() {
    let t = ValType::Variant(vec![
        case("a", Some(ValType::F32)),
        case("b", Some(ValType::U64)),
        case("c", Some(ValType::S32)),
    ]);
    assert_eq!(
        flatten_type(&t, CoreType::I32),
        vec![CoreType::I32, CoreType::I64]
    );
    let mut core = Mock::new();
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    let flat = lower_flat_vec(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core),
        &var("a", Some(Value::F32(1.0))),
        &t,
    )
    .unwrap();
    assert_eq!(
        flat,
        vec![CoreValue::I32(0), CoreValue::I64(1.0f32.to_bits() as u64)]
    );
    // A NaN payload comes back canonical.
    let flat = [CoreValue::I32(0), CoreValue::I64(0x7fa0_0001)];
    let Value::Variant(label, Some(payload)) =
        lift_one(&[], StringEncoding::Utf8, &flat, &t).unwrap()
    else {
        panic!()
    };
    let Value::F32(f) = *payload else { panic!() };
    assert_eq!((label.as_str(), f.to_bits()), ("a", 0x7fc0_0000));
}

/// Lowering a NaN scrambles it through the context's choices: the
/// deterministic profile's canonical NaN, or `random_nan_bits` (a NaN
/// whose bits the choices log) outside the profile.
#[test]
fn lowered_nans_come_from_the_choices() {
    let nan = f32::from_bits(0x7fa0_0001);
    let lower = |choices: &mut Choices| {
        let mut core = Mock::new();
        let mut inst = ComponentInstance::new(InstanceId(0), None);
        let mut cx = LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core)
            .choosing(Some(choices));
        match lower_flat_vec(&mut cx, &Value::F32(nan), &ValType::F32).unwrap()[..] {
            [CoreValue::F32(f)] => f.to_bits(),
            _ => panic!("one f32"),
        }
    };
    let mut d = Choices::deterministic();
    assert_eq!(lower(&mut d), 0x7fc0_0000);
    assert!(d.log.is_empty());
    let bits: Vec<u32> = (1..20)
        .map(|seed| {
            let mut r = Choices::random(seed);
            let b = lower(&mut r);
            assert!(f32::from_bits(b).is_nan());
            assert!(r.log.iter().all(|m| m.site == Site::NanBits));
            b
        })
        .collect();
    assert!(bits.iter().any(|b| *b != 0x7fc0_0000));
}

#[test]
fn signatures_spill_past_the_flat_limits() {
    let many = FuncType {
        params: (0..17)
            .map(|i| (alloc::format!("p{i}"), ValType::U32))
            .collect(),
        result: Some(ValType::String),
        async_: false,
    };
    let o = CanonicalOptions {
        memory: Some(MemRef(0)),
        ..CanonicalOptions::default()
    };
    let lifted = flatten_functype(&o, CoreType::I32, &many, Context::Lift);
    assert_eq!(
        (lifted.params, lifted.results),
        (vec![CoreType::I32], vec![CoreType::I32])
    );
    let lowered = flatten_functype(&o, CoreType::I32, &many, Context::Lower);
    assert_eq!(
        (lowered.params, lowered.results),
        (vec![CoreType::I32, CoreType::I32], vec![])
    );
    assert_eq!(MAX_FLAT_RESULTS, 1);
    let vs: Vec<Value> = (0..17).map(Value::U32).collect();
    let ts = vec![ValType::U32; 17];
    assert_eq!(
        round_trip(StringEncoding::Utf8, MAX_FLAT_PARAMS, &vs, &ts).unwrap(),
        vs
    );
}

#[test]
fn own_handles_move_and_borrows_are_lent() {
    let rt = ResourceType::new(InstanceId(1), None, "r");
    let other = ResourceType::new(InstanceId(1), None, "other");
    let own = ValType::Own(rt.clone());
    let borrow = ValType::Borrow(rt.clone());
    let mut core = Mock::new();
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    // Lowering an own adds a handle; lifting it moves it out.
    let flat = lower_flat_vec(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core),
        &Value::Handle(42),
        &own,
    )
    .unwrap();
    assert_eq!(flat, vec![CoreValue::I32(1)]);
    // Lending it to a subtask as a borrow keeps it in place, lent.
    let mut subtask = Subtask::default();
    let lifted = lift_flat(
        &mut LiftLowerContext::new(
            opts(StringEncoding::Utf8),
            &mut inst,
            Some(BorrowScope::Subtask(&mut subtask)),
            &mut core,
        ),
        &mut CoreValueIter::new(&flat),
        &borrow,
    );
    assert_eq!(lifted, Ok(Value::Handle(42)));
    let HandleElem::Resource(h) = inst.handles.get(1).unwrap() else {
        panic!()
    };
    assert_eq!(h.num_lends, 1);
    // While lent, it cannot move.
    let moved = lift_flat(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core),
        &mut CoreValueIter::new(&flat),
        &own,
    );
    assert_eq!(moved.unwrap_err().kind, TrapKind::OwnedResourceBorrowed);
    // The trap removed it, as the spec's `remove` comes first.
    assert!(inst.handles.get(1).is_err());
    subtask.deliver_resolve(&mut inst);
    // A handle of another resource type does not lift.
    let flat = lower_flat_vec(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core),
        &Value::Handle(7),
        &ValType::Own(other),
    )
    .unwrap();
    let wrong = lift_flat(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core),
        &mut CoreValueIter::new(&flat),
        &own,
    );
    assert_eq!(wrong.unwrap_err().kind, TrapKind::WrongHandleType(1));
    // Lowering a borrow into another instance counts it on the task.
    let mut task = Task::new(
        3,
        alloc::rc::Rc::new(FuncType::default()),
        CanonicalOptions::default(),
        InstanceId(0),
        Some(crate::store::OnStart::Args(vec![])),
        crate::store::OnResolve::Func(Box::new(|_, _| Ok(()))),
    );
    let flat = lower_flat_vec(
        &mut LiftLowerContext::new(
            opts(StringEncoding::Utf8),
            &mut inst,
            Some(BorrowScope::Task(&mut task)),
            &mut core,
        ),
        &Value::Handle(9),
        &borrow,
    )
    .unwrap();
    assert_eq!(task.num_borrows, 1);
    let HandleElem::Resource(h) = inst.handles.get(flat[0].as_u64()).unwrap() else {
        panic!()
    };
    assert_eq!((h.own, h.borrow_scope, h.rep), (false, Some(3), 9));
    assert_eq!(task.num_borrows, 1);
    // ... but not into the resource's own implementation.
    let mut implementer = ComponentInstance::new(InstanceId(1), None);
    let flat = lower_flat_vec(
        &mut LiftLowerContext::new(
            opts(StringEncoding::Utf8),
            &mut implementer,
            Some(BorrowScope::Task(&mut task)),
            &mut core,
        ),
        &Value::Handle(9),
        &borrow,
    )
    .unwrap();
    assert_eq!(flat, vec![CoreValue::I32(9)]);
}

/// Counts the `store` and `load` steps a tracer is told of.
#[derive(Default)]
struct StepCount {
    stores: usize,
    loads: usize,
}

impl crate::trace::Tracer for StepCount {
    fn enter(&mut self, name: &'static str, _: &[crate::trace::Arg<'_>]) {
        match name {
            "store" => self.stores += 1,
            "load" => self.loads += 1,
            _ => {}
        }
    }

    fn exit(&mut self, _: &'static str, _: Result<&[crate::trace::Arg<'_>], &Trap>) {}
}

/// Runs `f` with a context over `core`, telling a [`StepCount`] of its
/// steps if `traced`.
fn counting_steps<R>(
    traced: bool,
    core: &mut Mock,
    f: impl FnOnce(&mut LiftLowerContext<'_>) -> R,
) -> (R, StepCount) {
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    let mut steps = StepCount::default();
    let tracer: Option<&mut dyn crate::trace::Tracer> = traced.then_some(&mut steps);
    let r = f(
        &mut LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, core)
            .traced_by(tracer),
    );
    (r, steps)
}

/// Lists of numbers, `bool`s and `char`s go through memory element by
/// element when traced (each `store` and `load` reports) and in one pass
/// when not: the same bytes, the same values, the same traps.
#[test]
fn number_lists_are_stored_and_loaded_as_element_by_element() {
    use crate::loading::load_list_from_valid_range;
    use crate::storing::store_list_into_valid_range;
    let lists = vec![
        (ValType::Bool, vec![Value::Bool(true), Value::Bool(false)]),
        (ValType::U8, vec![Value::U8(0), Value::U8(255)]),
        (ValType::S8, vec![Value::S8(-128), Value::S8(7)]),
        (ValType::U16, vec![Value::U16(65535), Value::U16(1)]),
        (ValType::S16, vec![Value::S16(-2), Value::S16(300)]),
        (ValType::U32, (0..100).map(Value::U32).collect()),
        (ValType::S32, vec![Value::S32(i32::MIN), Value::S32(-1)]),
        (
            ValType::U64,
            vec![Value::U64(u64::MAX), Value::U64(1 << 40)],
        ),
        (ValType::S64, vec![Value::S64(i64::MIN), Value::S64(-3)]),
        (
            ValType::F32,
            vec![Value::F32(1.5), Value::F32(-0.0), Value::F32(f32::INFINITY)],
        ),
        (
            ValType::F64,
            vec![Value::F64(-2.25), Value::F64(f64::MIN_POSITIVE)],
        ),
        (
            ValType::Char,
            vec![Value::Char('a'), Value::Char('☃'), Value::Char('𝄞')],
        ),
        (ValType::F32, vec![Value::F32(f32::NAN), Value::F32(2.0)]),
    ];
    let run = |traced: bool, t: &ValType, vs: &[Value], ptr: u64| {
        let ((stored, bytes, loaded), steps) = counting_steps(traced, &mut Mock::new(), |cx| {
            let stored = store_list_into_valid_range(cx, vs, ptr, t);
            let bytes: Vec<u8> = cx.memory()[ptr as usize..]
                .iter()
                .take(64)
                .copied()
                .collect();
            (
                stored,
                bytes,
                load_list_from_valid_range(cx, ptr, vs.len() as u64, t),
            )
        });
        (stored, bytes, loaded, steps.stores, steps.loads)
    };
    for (t, vs) in &lists {
        // Long enough for the fast path's runs of four, and a rest.
        let vs = &vs
            .iter()
            .cycle()
            .take(4 * vs.len() + 3)
            .cloned()
            .collect::<Vec<_>>();
        let (stored, bytes, loaded, ..) = run(false, t, vs, 64);
        let (t_stored, t_bytes, t_loaded, stores, loads) = run(true, t, vs, 64);
        assert_eq!((stored, &bytes), (t_stored, &t_bytes), "{t:?}");
        // (By their text: a NaN is not equal to itself.)
        assert_eq!(alloc::format!("{loaded:?}"), alloc::format!("{t_loaded:?}"));
        assert_eq!((stores, loads), (vs.len(), vs.len()), "{t:?}");
        if !matches!(vs[0], Value::F32(f) if f.is_nan()) {
            assert_eq!(loaded.as_deref(), Ok(&vs[..]), "{t:?}");
        }
    }
    // A value of another type, a `char` out of range, a range past the
    // end of memory: the same trap either way.
    let wrong_in_four = [1, 2, 3, 4, 5].map(Value::U32);
    let mut wrong_in_rest = wrong_in_four.clone();
    wrong_in_rest[4] = Value::S32(5);
    let mut wrong_in_four = wrong_in_four;
    wrong_in_four[2] = Value::S32(3);
    for wrong in [&wrong_in_four, &wrong_in_rest] {
        let stored = run(false, &ValType::U32, wrong, 64).0;
        assert!(stored.is_err());
        assert_eq!(stored, run(true, &ValType::U32, wrong, 64).0);
    }
    for traced in [false, true] {
        let mut core = Mock::new();
        core.mem[64..68].copy_from_slice(&0xD800u32.to_le_bytes());
        let (loaded, _) = counting_steps(traced, &mut core, |cx| {
            load_list_from_valid_range(cx, 64, 1, &ValType::Char)
        });
        assert_eq!(loaded.unwrap_err().kind, TrapKind::InvalidChar);
    }
    let end = (1 << 16) - 4;
    assert_eq!(
        run(false, &ValType::U64, &[Value::U64(1)], end)
            .0
            .unwrap_err()
            .kind,
        TrapKind::PointerOutOfBounds
    );
}

/// Values spilled to memory as a tuple land in the same bytes and come
/// back the same whether traced (the tuple's own `store` and `load`
/// reported) or not (stored and loaded field by field).
#[test]
fn spilled_values_are_the_same_traced_or_not() {
    let (ts, vs): (Vec<ValType>, Vec<Value>) = cases().into_iter().unzip();
    let run = |traced: bool| {
        let mut core = Mock::new();
        let ((flat, back), steps) = counting_steps(traced, &mut core, |cx| {
            let flat = lower_flat_values(cx, 0, &vs, &ts, None, Vec::new()).unwrap();
            let back =
                lift_flat_values(cx, 0, &mut CoreValueIter::new(&flat), &ts, Vec::new()).unwrap();
            (flat, back)
        });
        (flat, back, core.mem, steps.stores, steps.loads)
    };
    let (flat, back, mem, ..) = run(false);
    let (t_flat, t_back, t_mem, stores, loads) = run(true);
    assert_eq!((flat, &mem), (t_flat, &t_mem));
    assert_eq!(back, t_back);
    assert_eq!(back.iter().map(text_only).collect::<Vec<_>>(), vs);
    assert!(stores > ts.len() && loads > ts.len());
    // Fewer values than types is the embedder's mistake, either way.
    let mut core = Mock::new();
    let mut inst = ComponentInstance::new(InstanceId(0), None);
    let mut cx = LiftLowerContext::new(opts(StringEncoding::Utf8), &mut inst, None, &mut core);
    assert!(lower_flat_values(&mut cx, 0, &vs[1..], &ts, None, Vec::new()).is_err());
}

#[test]
fn record_layout_follows_alignment() {
    use crate::alignment::alignment;
    use crate::elem_size::elem_size;
    let t = ValType::Record(vec![
        field("a", ValType::U8),
        field("b", ValType::U64),
        field("c", ValType::U16),
    ]);
    assert_eq!(
        (alignment(&t, PtrType::I32), elem_size(&t, PtrType::I32)),
        (8, 24)
    );
    let v = ValType::Variant(
        (0..257)
            .map(|i| case(&alloc::format!("c{i}"), None))
            .collect(),
    );
    assert_eq!(elem_size(&v, PtrType::I32), 2);
    assert_eq!(elem_size(&ValType::String, PtrType::I64), 16);
}
