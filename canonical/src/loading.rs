//! Loading (CanonicalABI.md "Loading"): reading a value of a type out of
//! linear memory.

use crate::alignment::{alignment, max_case_alignment};
use crate::context::{LiftLowerContext, align_to};
use crate::despecialize::{despecialize, despecialize_untraced};
use crate::elem_size::{elem_size, elem_size_flags};
use crate::instance::HandleElem;
use crate::options::{PtrType, StringEncoding, ptr_size};
use crate::resource::ResourceType;
use crate::stream::{CopyState, End, EndT};
use crate::task::BorrowScope;
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap, trap_if};
use crate::types::{CaseType, FieldType, ValType};
use crate::value::{StringValue, Value};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub const CANONICAL_FLOAT32_NAN: u32 = 0x7fc0_0000;
pub const CANONICAL_FLOAT64_NAN: u64 = 0x7ff8_0000_0000_0000;
pub const REALLOC_I32_MAX: u64 = (1 << 32) - 1;
pub const MAX_STRING_BYTE_LENGTH: u64 = (1 << 28) - 1;
pub const MAX_LIST_BYTE_LENGTH: u64 = (1 << 28) - 1;

/// `load`.
pub fn load(cx: &mut LiftLowerContext<'_>, ptr: u64, t: &ValType) -> Result<Value, Trap> {
    traced!(cx, "load", [Ptr(ptr), Type(t)], |v| [Value(v, t)], {
        debug_assert_eq!(ptr, align_to(ptr, alignment(t, cx.ptr_type())));
        Ok(match &*despecialize(t) {
            ValType::Bool => Value::Bool(convert_int_to_bool(load_int(cx, ptr, 1)?)),
            ValType::U8 => Value::U8(load_int(cx, ptr, 1)? as u8),
            ValType::U16 => Value::U16(load_int(cx, ptr, 2)? as u16),
            ValType::U32 => Value::U32(load_int(cx, ptr, 4)? as u32),
            ValType::U64 => Value::U64(load_int(cx, ptr, 8)?),
            ValType::S8 => Value::S8(load_int(cx, ptr, 1)? as i8),
            ValType::S16 => Value::S16(load_int(cx, ptr, 2)? as i16),
            ValType::S32 => Value::S32(load_int(cx, ptr, 4)? as i32),
            ValType::S64 => Value::S64(load_int(cx, ptr, 8)? as i64),
            ValType::F32 => Value::F32(decode_i32_as_float(load_int(cx, ptr, 4)? as u32)),
            ValType::F64 => Value::F64(decode_i64_as_float(load_int(cx, ptr, 8)?)),
            ValType::Char => Value::Char(convert_i32_to_char(load_int(cx, ptr, 4)? as u32)?),
            ValType::String => Value::String(load_string(cx, ptr)?),
            ValType::List(t, l) => Value::List(load_list(cx, ptr, t, *l)?),
            ValType::Record(fields) => load_record(cx, ptr, fields)?,
            ValType::Variant(cases) => load_variant(cx, ptr, cases)?,
            ValType::Flags(labels) => load_flags(cx, ptr, labels)?,
            ValType::Own(rt) => {
                let i = load_int(cx, ptr, 4)?;
                Value::Handle(lift_own(cx, i, rt)?)
            }
            ValType::Borrow(rt) => {
                let i = load_int(cx, ptr, 4)?;
                Value::Handle(lift_borrow(cx, i, rt)?)
            }
            ValType::ErrorContext => {
                let i = load_int(cx, ptr, 4)?;
                Value::ErrorContext(lift_error_context(cx, i)?)
            }
            ValType::Stream(t) => {
                let i = load_int(cx, ptr, 4)?;
                Value::Stream(lift_stream(cx, i, t.as_deref())?)
            }
            ValType::Future(t) => {
                let i = load_int(cx, ptr, 4)?;
                Value::Future(lift_future(cx, i, t.as_deref())?)
            }
            _ => {
                return trap(TrapKind::Core(
                    "internal error: load of a specialized type".into(),
                ));
            }
        })
    })
}

/// `load_int`: `nbytes` little-endian bytes, unsigned (callers that want
/// a signed value reinterpret the result's low bits).
pub fn load_int(cx: &mut LiftLowerContext<'_>, ptr: u64, nbytes: u64) -> Result<u64, Trap> {
    let mem = cx.memory();
    let bytes = usize::try_from(ptr)
        .ok()
        .and_then(|p| mem.get(p..p.checked_add(nbytes as usize)?))
        .ok_or(Trap {
            kind: TrapKind::PointerOutOfBounds,
        })?;
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    Ok(u64::from_le_bytes(buf))
}

/// `convert_int_to_bool`.
pub fn convert_int_to_bool(i: u64) -> bool {
    i != 0
}

/// `canonicalize_nan32`.
pub fn canonicalize_nan32(f: f32) -> f32 {
    if f.is_nan() {
        f32::from_bits(CANONICAL_FLOAT32_NAN)
    } else {
        f
    }
}

/// `canonicalize_nan64`.
pub fn canonicalize_nan64(f: f64) -> f64 {
    if f.is_nan() {
        f64::from_bits(CANONICAL_FLOAT64_NAN)
    } else {
        f
    }
}

/// `decode_i32_as_float`.
pub fn decode_i32_as_float(i: u32) -> f32 {
    canonicalize_nan32(core_f32_reinterpret_i32(i))
}

/// `decode_i64_as_float`.
pub fn decode_i64_as_float(i: u64) -> f64 {
    canonicalize_nan64(core_f64_reinterpret_i64(i))
}

/// `core_f32_reinterpret_i32` (`f32.reinterpret_i32`).
pub fn core_f32_reinterpret_i32(i: u32) -> f32 {
    f32::from_bits(i)
}

/// `core_f64_reinterpret_i64` (`f64.reinterpret_i64`).
pub fn core_f64_reinterpret_i64(i: u64) -> f64 {
    f64::from_bits(i)
}

/// `convert_i32_to_char`: traps on surrogates and values past U+10FFFF.
pub fn convert_i32_to_char(i: u32) -> Result<char, Trap> {
    trap_if(i >= 0x11_0000, TrapKind::InvalidChar)?;
    trap_if((0xD800..=0xDFFF).contains(&i), TrapKind::InvalidChar)?;
    char::from_u32(i).ok_or(Trap {
        kind: TrapKind::InvalidChar,
    })
}

/// `load_string`.
pub fn load_string(cx: &mut LiftLowerContext<'_>, ptr: u64) -> Result<StringValue, Trap> {
    let size = cx.ptr_size();
    let begin = load_int(cx, ptr, size)?;
    let tagged_code_units = load_int(cx, ptr + size, size)?;
    load_string_from_range(cx, begin, tagged_code_units)
}

/// `utf16_tag`: the top bit of a pointer-sized length.
pub fn utf16_tag(ptr_type: PtrType) -> u64 {
    1 << (ptr_size(ptr_type) * 8 - 1)
}

/// `load_string_from_range`.
pub fn load_string_from_range(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    tagged_code_units: u64,
) -> Result<StringValue, Trap> {
    traced!(
        cx,
        "load_string_from_range",
        [
            Ptr(ptr),
            Int("tagged_code_units", tagged_code_units),
            Encoding(cx.opts.string_encoding)
        ],
        |v| [Text(&v.s)],
        {
            #[derive(PartialEq)]
            enum Decode {
                Utf8,
                Utf16,
                Latin1,
            }
            let tag = utf16_tag(cx.ptr_type());
            let (alignment, byte_length, encoding) = match cx.opts.string_encoding {
                StringEncoding::Utf8 => (1, tagged_code_units, Decode::Utf8),
                StringEncoding::Utf16 => (2, tagged_code_units.saturating_mul(2), Decode::Utf16),
                StringEncoding::Latin1Utf16 if tagged_code_units & tag != 0 => (
                    2,
                    (tagged_code_units ^ tag).saturating_mul(2),
                    Decode::Utf16,
                ),
                StringEncoding::Latin1Utf16 => (2, tagged_code_units, Decode::Latin1),
            };
            trap_if(
                byte_length > MAX_STRING_BYTE_LENGTH,
                TrapKind::StringTooLong,
            )?;
            trap_if(ptr != align_to(ptr, alignment), TrapKind::UnalignedPointer)?;
            trap_if(
                cx.beyond_memory(ptr, byte_length),
                TrapKind::StringOutOfBounds,
            )?;
            let bytes = &cx.memory()[ptr as usize..(ptr + byte_length) as usize];
            let s = match encoding {
                Decode::Utf8 => String::from(core::str::from_utf8(bytes).map_err(|_| Trap {
                    kind: TrapKind::InvalidUtf8,
                })?),
                Decode::Utf16 => {
                    let units = bytes
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]));
                    char::decode_utf16(units)
                        .collect::<Result<String, _>>()
                        .map_err(|_| Trap {
                            kind: TrapKind::InvalidUtf16,
                        })?
                }
                Decode::Latin1 => bytes.iter().map(|&b| b as char).collect(),
            };
            Ok(StringValue {
                s,
                encoding: cx.opts.string_encoding,
                tagged_code_units,
            })
        }
    )
}

/// `load_list`.
pub fn load_list(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    elem_type: &ValType,
    maybe_length: Option<u32>,
) -> Result<Vec<Value>, Trap> {
    if let Some(length) = maybe_length {
        return load_list_from_valid_range(cx, ptr, length as u64, elem_type);
    }
    let size = cx.ptr_size();
    let begin = load_int(cx, ptr, size)?;
    let length = load_int(cx, ptr + size, size)?;
    load_list_from_range(cx, begin, length, elem_type)
}

/// `load_list_from_range`.
pub fn load_list_from_range(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    length: u64,
    elem_type: &ValType,
) -> Result<Vec<Value>, Trap> {
    traced!(
        cx,
        "load_list_from_range",
        [Ptr(ptr), Len(length), Type(elem_type)],
        {
            let pt = cx.ptr_type();
            let byte_length = length.saturating_mul(elem_size(elem_type, pt));
            trap_if(byte_length > MAX_LIST_BYTE_LENGTH, TrapKind::ListTooLong)?;
            trap_if(
                ptr != align_to(ptr, alignment(elem_type, pt)),
                TrapKind::UnalignedPointer,
            )?;
            trap_if(
                cx.beyond_memory(ptr, byte_length),
                TrapKind::ListOutOfBounds,
            )?;
            load_list_from_valid_range(cx, ptr, length, elem_type)
        }
    )
}

/// `load_list_from_valid_range`.
pub fn load_list_from_valid_range(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    length: u64,
    elem_type: &ValType,
) -> Result<Vec<Value>, Trap> {
    if !cx.tracing()
        && let Some(list) = load_number_list(cx, ptr, length, elem_type)
    {
        return list;
    }
    let size = elem_size(elem_type, cx.ptr_type());
    let elem_type = despecialize_untraced(cx, elem_type);
    (0..length)
        .map(|i| load(cx, ptr + i * size, &elem_type))
        .collect()
}

/// `load_list_from_valid_range` of a list of numbers, `bool`s or `char`s
/// when nothing traces: each element is what `load` reads, decoded in one
/// pass over the list's bytes rather than dispatched on the type per
/// element, into a list whose length is known up front. An element that
/// does not decode (a `char` out of range) is noted rather than stopping
/// the pass, and its trap, the first, is the result. `None` for other
/// element types.
fn load_number_list(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    length: u64,
    elem_type: &ValType,
) -> Option<Result<Vec<Value>, Trap>> {
    macro_rules! each {
        ($n:literal, $from:ident, $value:expr) => {{
            let bytes = length
                .checked_mul($n)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| cx.memory().get(usize::try_from(ptr).ok()?..)?.get(..n));
            let Some(bytes) = bytes else {
                return Some(trap(TrapKind::PointerOutOfBounds));
            };
            let mut first_trap = None;
            let list = bytes
                .chunks_exact($n)
                .map(|c| {
                    let mut b = [0; $n];
                    b.copy_from_slice(c);
                    match $value($from::from_le_bytes(b)) {
                        Ok(v) => v,
                        Err(t) => {
                            first_trap.get_or_insert(t);
                            Value::Bool(false)
                        }
                    }
                })
                .collect();
            Some(first_trap.map_or(Ok(list), Err))
        }};
    }
    let ok = |v: Value| -> Result<Value, Trap> { Ok(v) };
    match elem_type {
        ValType::Bool => each!(1, u8, |i| ok(Value::Bool(convert_int_to_bool(i as u64)))),
        ValType::U8 => each!(1, u8, |i| ok(Value::U8(i))),
        ValType::S8 => each!(1, i8, |i| ok(Value::S8(i))),
        ValType::U16 => each!(2, u16, |i| ok(Value::U16(i))),
        ValType::S16 => each!(2, i16, |i| ok(Value::S16(i))),
        ValType::U32 => each!(4, u32, |i| ok(Value::U32(i))),
        ValType::S32 => each!(4, i32, |i| ok(Value::S32(i))),
        ValType::U64 => each!(8, u64, |i| ok(Value::U64(i))),
        ValType::S64 => each!(8, i64, |i| ok(Value::S64(i))),
        ValType::F32 => each!(4, u32, |i| ok(Value::F32(decode_i32_as_float(i)))),
        ValType::F64 => each!(8, u64, |i| ok(Value::F64(decode_i64_as_float(i)))),
        ValType::Char => each!(4, u32, |i| convert_i32_to_char(i).map(Value::Char)),
        _ => None,
    }
}

/// `load_record`.
pub fn load_record(
    cx: &mut LiftLowerContext<'_>,
    mut ptr: u64,
    fields: &[FieldType],
) -> Result<Value, Trap> {
    let mut record = Vec::with_capacity(fields.len());
    for field in fields {
        ptr = align_to(ptr, alignment(&field.t, cx.ptr_type()));
        record.push((field.label.clone(), load(cx, ptr, &field.t)?));
        ptr += elem_size(&field.t, cx.ptr_type());
    }
    Ok(Value::Record(record))
}

/// `load_variant`.
pub fn load_variant(
    cx: &mut LiftLowerContext<'_>,
    mut ptr: u64,
    cases: &[CaseType],
) -> Result<Value, Trap> {
    let disc_size = elem_size(&crate::alignment::discriminant_type(cases), cx.ptr_type());
    let case_index = load_int(cx, ptr, disc_size)?;
    ptr += disc_size;
    trap_if(
        case_index >= cases.len() as u64,
        TrapKind::InvalidVariantDiscriminant,
    )?;
    let c = &cases[case_index as usize];
    ptr = align_to(ptr, max_case_alignment(cases, cx.ptr_type()));
    let payload = match &c.t {
        None => None,
        Some(t) => Some(Box::new(load(cx, ptr, t)?)),
    };
    Ok(Value::Variant(c.label.clone(), payload))
}

/// `load_flags`.
pub fn load_flags(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    labels: &[String],
) -> Result<Value, Trap> {
    let i = load_int(cx, ptr, elem_size_flags(labels.len()))?;
    Ok(unpack_flags_from_int(i, labels))
}

/// `unpack_flags_from_int`.
pub fn unpack_flags_from_int(mut i: u64, labels: &[String]) -> Value {
    let mut record = Vec::with_capacity(labels.len());
    for l in labels {
        record.push((l.clone(), i & 1 == 1));
        i >>= 1;
    }
    Value::Flags(record)
}

/// `lift_own`: moves the handle out of the table, transferring ownership.
pub fn lift_own(cx: &mut LiftLowerContext<'_>, i: u64, rt: &ResourceType) -> Result<u32, Trap> {
    traced!(
        cx,
        "lift_own",
        [Int("i", i), Resource(rt)],
        |rep| [Int("rep", u64::from(*rep))],
        {
            let HandleElem::Resource(h) = cx.inst.handles.remove(i)? else {
                return Err(TrapKind::WrongHandleType(i).into());
            };
            trap_if(h.rt != *rt, TrapKind::WrongHandleType(i))?;
            trap_if(h.num_lends != 0, TrapKind::OwnedResourceBorrowed)?;
            trap_if(!h.own, TrapKind::NotAnOwnHandle(i))?;
            Ok(h.rep)
        }
    )
}

/// `lift_borrow`: reads the representation and records the handle as a
/// lender of the subtask.
pub fn lift_borrow(cx: &mut LiftLowerContext<'_>, i: u64, rt: &ResourceType) -> Result<u32, Trap> {
    traced!(
        cx,
        "lift_borrow",
        [Int("i", i), Resource(rt)],
        |rep| [Int("rep", u64::from(*rep))],
        {
            let HandleElem::Resource(h) = cx.inst.handles.get(i)? else {
                return Err(TrapKind::WrongHandleType(i).into());
            };
            trap_if(h.rt != *rt, TrapKind::WrongHandleType(i))?;
            let rep = h.rep;
            match &mut cx.borrow_scope {
                Some(BorrowScope::Subtask(subtask)) => subtask.add_lender(cx.inst, i as u32)?,
                _ => {
                    return trap(TrapKind::Core(
                        "internal error: lifting a borrow outside a subtask".into(),
                    ));
                }
            }
            Ok(rep)
        }
    )
}

/// `lift_error_context`.
pub fn lift_error_context(
    cx: &mut LiftLowerContext<'_>,
    i: u64,
) -> Result<alloc::rc::Rc<crate::canon_error_context::ErrorContext>, Trap> {
    traced!(cx, "lift_error_context", [Int("i", i)], {
        match cx.inst.handles.get(i)? {
            HandleElem::ErrorContext(e) => Ok(e.clone()),
            _ => trap(TrapKind::WrongHandleType(i)),
        }
    })
}

/// `lift_stream`.
pub fn lift_stream(
    cx: &mut LiftLowerContext<'_>,
    i: u64,
    t: Option<&ValType>,
) -> Result<crate::value::StreamValue, Trap> {
    traced!(cx, "lift_stream", [Int("i", i)], {
        match lift_async_value(EndT::ReadableStreamEnd, cx, i, t)? {
            End::ReadableStream(e) => Ok(crate::value::StreamValue(e.shared)),
            _ => trap(TrapKind::WrongHandleType(i)),
        }
    })
}

/// `lift_future`.
pub fn lift_future(
    cx: &mut LiftLowerContext<'_>,
    i: u64,
    t: Option<&ValType>,
) -> Result<crate::value::FutureValue, Trap> {
    traced!(cx, "lift_future", [Int("i", i)], {
        match lift_async_value(EndT::ReadableFutureEnd, cx, i, t)? {
            End::ReadableFuture(e) => Ok(crate::value::FutureValue(e.shared)),
            _ => trap(TrapKind::WrongHandleType(i)),
        }
    })
}

/// `lift_async_value`: moves a readable end out of the table; its shared
/// state is the value.
pub fn lift_async_value(
    end_t: EndT,
    cx: &mut LiftLowerContext<'_>,
    i: u64,
    t: Option<&ValType>,
) -> Result<End, Trap> {
    let HandleElem::CopyEnd(e) = cx.inst.handles.remove(i)? else {
        return trap(TrapKind::WrongHandleType(i));
    };
    trap_if(e.end.end_t() != end_t, TrapKind::WrongHandleType(i))?;
    trap_if(e.end.t() != t, TrapKind::WrongHandleType(i))?;
    match e.state {
        CopyState::Idle => {}
        CopyState::Done if end_t == EndT::ReadableStreamEnd => {
            return trap(TrapKind::StreamLiftAfterDropped);
        }
        CopyState::Done => return trap(TrapKind::FutureLiftAfterRead),
        _ => return trap(TrapKind::LiftBusy),
    }
    let in_set = if end_t == EndT::ReadableStreamEnd {
        TrapKind::StreamLiftInWaitableSet
    } else {
        TrapKind::FutureLiftInWaitableSet
    };
    trap_if(e.waitable.in_waitable_set(), in_set)?;
    Ok(e.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core_value::CoreValue;
    use crate::instance::{ComponentInstance, InstanceId};
    use crate::options::{Core, CoreResults, FuncRef, MemRef, PtrType, StringEncoding};
    use crate::trace::{Arg, Tracer};
    use alloc::vec;

    /// A memory, and no functions to call.
    struct Memory(Vec<u8>);

    impl Core for Memory {
        fn memory(&mut self, _: MemRef) -> &mut [u8] {
            &mut self.0
        }

        fn ptr_type(&self, _: MemRef) -> PtrType {
            PtrType::I32
        }

        fn call(&mut self, _: FuncRef, _: &[CoreValue], _: &mut CoreResults) -> Result<(), Trap> {
            trap(TrapKind::Core("no functions".into()))
        }
    }

    /// A tracer that listens and says nothing.
    struct Quiet;

    impl Tracer for Quiet {
        fn enter(&mut self, _: &'static str, _: &[Arg<'_>]) {}
        fn exit(&mut self, _: &'static str, _: Result<&[Arg<'_>], &Trap>) {}
    }

    /// A list of `char`s with a code point out of range anywhere in it
    /// traps as `load` of that element does, traced (each element loaded
    /// by `load`) or not (in one pass); else both load the same chars.
    #[test]
    fn a_char_list_traps_where_any_element_does() {
        let chars = ['a', '☃', '𝄞'];
        for bad in [None, Some(0), Some(1), Some(2)] {
            let mut mem = Memory(vec![0; 256]);
            for (i, c) in chars.iter().enumerate() {
                let c = if bad == Some(i) { 0xD800 } else { *c as u32 };
                mem.0[64 + 4 * i..68 + 4 * i].copy_from_slice(&c.to_le_bytes());
            }
            let expected = match bad {
                Some(_) => Err(TrapKind::InvalidChar),
                None => Ok(chars.map(Value::Char).to_vec()),
            };
            for traced in [false, true] {
                let mut inst = ComponentInstance::new(InstanceId(0), None);
                let mut quiet = Quiet;
                let opts = crate::options::LiftLowerOptions {
                    string_encoding: StringEncoding::Utf8,
                    memory: Some(MemRef(0)),
                    realloc: None,
                };
                let mut cx = LiftLowerContext::new(opts, &mut inst, None, &mut mem)
                    .traced_by(traced.then_some(&mut quiet as &mut dyn Tracer));
                let loaded = load_list_from_valid_range(&mut cx, 64, 3, &ValType::Char);
                assert_eq!(loaded.map_err(|t| t.kind), expected, "{bad:?} {traced}");
            }
        }
    }
}
