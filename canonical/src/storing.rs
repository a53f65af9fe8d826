//! Storing (CanonicalABI.md "Storing"): writing a value of a type into
//! linear memory, with the string transcodings.

use crate::alignment::{alignment, discriminant_type, max_case_alignment};
use crate::context::{LiftLowerContext, align_to};
use crate::despecialize::{despecialize, despecialize_untraced};
use crate::elem_size::{elem_size, elem_size_flags};
use crate::instance::HandleElem;
use crate::loading::{CANONICAL_FLOAT32_NAN, CANONICAL_FLOAT64_NAN, utf16_tag};
use crate::options::StringEncoding;
use crate::resource::{ResourceHandle, ResourceType};
use crate::task::BorrowScope;
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap, trap_if};
use crate::types::{CaseType, FieldType, ValType};
use crate::value::{StringValue, Value};
use alloc::borrow::Cow;
use alloc::string::String;

/// A value that is not of the type it is stored as: the embedder's
/// mistake, reported rather than stored.
pub(crate) fn mismatch<T>(t: &ValType) -> Result<T, Trap> {
    trap(TrapKind::Core(alloc::format!(
        "a value does not match its type {t:?}"
    )))
}

/// `store`.
pub fn store(cx: &mut LiftLowerContext<'_>, v: &Value, t: &ValType, ptr: u64) -> Result<(), Trap> {
    traced!(cx, "store", [Value(v, t), Ptr(ptr)], {
        debug_assert_eq!(ptr, align_to(ptr, alignment(t, cx.ptr_type())));
        match (&*despecialize(t), v) {
            (ValType::Bool, Value::Bool(v)) => store_int(cx, *v as u64, ptr, 1),
            (ValType::U8, Value::U8(v)) => store_int(cx, *v as u64, ptr, 1),
            (ValType::U16, Value::U16(v)) => store_int(cx, *v as u64, ptr, 2),
            (ValType::U32, Value::U32(v)) => store_int(cx, *v as u64, ptr, 4),
            (ValType::U64, Value::U64(v)) => store_int(cx, *v, ptr, 8),
            (ValType::S8, Value::S8(v)) => store_int(cx, *v as u64, ptr, 1),
            (ValType::S16, Value::S16(v)) => store_int(cx, *v as u64, ptr, 2),
            (ValType::S32, Value::S32(v)) => store_int(cx, *v as u64, ptr, 4),
            (ValType::S64, Value::S64(v)) => store_int(cx, *v as u64, ptr, 8),
            (ValType::F32, Value::F32(v)) => {
                let i = encode_float_as_i32(cx, *v);
                store_int(cx, i as u64, ptr, 4)
            }
            (ValType::F64, Value::F64(v)) => {
                let i = encode_float_as_i64(cx, *v);
                store_int(cx, i, ptr, 8)
            }
            (ValType::Char, Value::Char(v)) => store_int(cx, char_to_i32(*v) as u64, ptr, 4),
            (ValType::String, Value::String(v)) => store_string(cx, v, ptr),
            (ValType::List(t, l), Value::List(v)) => store_list(cx, v, ptr, t, *l),
            (ValType::Record(fields), v) => store_record(cx, v, ptr, fields),
            (ValType::Variant(cases), v) => store_variant(cx, v, ptr, cases),
            (ValType::Flags(labels), v) => store_flags(cx, v, ptr, labels),
            (ValType::Own(rt), Value::Handle(rep)) => {
                let i = lower_own(cx, *rep, rt)?;
                store_int(cx, i as u64, ptr, 4)
            }
            (ValType::Borrow(rt), Value::Handle(rep)) => {
                let i = lower_borrow(cx, *rep, rt)?;
                store_int(cx, i as u64, ptr, 4)
            }
            (ValType::ErrorContext, Value::ErrorContext(v)) => {
                let i = lower_error_context(cx, v)?;
                store_int(cx, i as u64, ptr, 4)
            }
            (ValType::Stream(t), Value::Stream(v)) => {
                let i = lower_stream(cx, v, t.as_deref())?;
                store_int(cx, i as u64, ptr, 4)
            }
            (ValType::Future(t), Value::Future(v)) => {
                let i = lower_future(cx, v, t.as_deref())?;
                store_int(cx, i as u64, ptr, 4)
            }
            _ => mismatch(t),
        }
    })
}

/// `store_int`: the low `nbytes` bytes of `v`, little-endian.
pub fn store_int(cx: &mut LiftLowerContext<'_>, v: u64, ptr: u64, nbytes: u64) -> Result<(), Trap> {
    let mem = cx.memory();
    let dst = usize::try_from(ptr)
        .ok()
        .and_then(|p| mem.get_mut(p..p.checked_add(nbytes as usize)?))
        .ok_or(Trap {
            kind: TrapKind::PointerOutOfBounds,
        })?;
    dst.copy_from_slice(&v.to_le_bytes()[..nbytes as usize]);
    Ok(())
}

/// `maybe_scramble_nan32`: a NaN becomes the canonical NaN in the
/// deterministic profile, else `random_nan_bits` drawn from `cx`'s choices.
pub fn maybe_scramble_nan32(cx: &mut LiftLowerContext<'_>, f: f32) -> f32 {
    if !f.is_nan() {
        return f;
    }
    match cx.choices.as_deref_mut() {
        Some(c) if !c.deterministic_profile() => f32::from_bits(random_nan_bits(c, 32, 8) as u32),
        _ => f32::from_bits(CANONICAL_FLOAT32_NAN),
    }
}

/// `maybe_scramble_nan64`.
pub fn maybe_scramble_nan64(cx: &mut LiftLowerContext<'_>, f: f64) -> f64 {
    if !f.is_nan() {
        return f;
    }
    match cx.choices.as_deref_mut() {
        Some(c) if !c.deterministic_profile() => f64::from_bits(random_nan_bits(c, 64, 11)),
        _ => f64::from_bits(CANONICAL_FLOAT64_NAN),
    }
}

/// `random_nan_bits`: a NaN's bits with a random payload (one fraction
/// bit below the quiet bit always set), drawn from `choices`. Used when
/// NaNs are scrambled outside the deterministic profile.
pub fn random_nan_bits(
    choices: &mut crate::choices::Choices,
    total_bits: u32,
    exponent_bits: u32,
) -> u64 {
    use crate::choices::Site;
    let fraction_bits = total_bits - exponent_bits - 1;
    let mut bits: u64 = 0;
    for i in 0..total_bits {
        bits |= (choices.randint(Site::NanBits, 0, 1) as u64) << i;
    }
    bits |= ((1u64 << exponent_bits) - 1) << fraction_bits;
    bits |= 1u64 << choices.choice(Site::NanBits, (fraction_bits - 1) as usize);
    bits
}

/// `core_i32_reinterpret_f32` (`i32.reinterpret_f32`).
pub fn core_i32_reinterpret_f32(f: f32) -> u32 {
    f.to_bits()
}

/// `core_i64_reinterpret_f64` (`i64.reinterpret_f64`).
pub fn core_i64_reinterpret_f64(f: f64) -> u64 {
    f.to_bits()
}

/// `encode_float_as_i32`.
pub fn encode_float_as_i32(cx: &mut LiftLowerContext<'_>, f: f32) -> u32 {
    core_i32_reinterpret_f32(maybe_scramble_nan32(cx, f))
}

/// `encode_float_as_i64`.
pub fn encode_float_as_i64(cx: &mut LiftLowerContext<'_>, f: f64) -> u64 {
    core_i64_reinterpret_f64(maybe_scramble_nan64(cx, f))
}

/// `char_to_i32`.
pub fn char_to_i32(c: char) -> u32 {
    c as u32
}

/// `store_string`.
pub fn store_string(cx: &mut LiftLowerContext<'_>, v: &StringValue, ptr: u64) -> Result<(), Trap> {
    let (begin, tagged_code_units) = store_string_into_range(cx, v)?;
    let size = cx.ptr_size();
    store_int(cx, begin, ptr, size)?;
    store_int(cx, tagged_code_units, ptr + size, size)
}

/// A source string's encoding with `latin1+utf16` resolved by its tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Simple {
    Utf8,
    Utf16,
    Latin1,
}

/// `store_string_into_range`: the case analysis over source and
/// destination encodings.
pub fn store_string_into_range(
    cx: &mut LiftLowerContext<'_>,
    v: &StringValue,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_string_into_range",
        [
            Text(&v.s),
            Encoding(v.encoding),
            Int("tagged_code_units", v.tagged_code_units)
        ],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let src = &v.s;
            let tag = utf16_tag(cx.ptr_type());
            let (src_simple_encoding, src_code_units) = match v.encoding {
                StringEncoding::Latin1Utf16 if v.tagged_code_units & tag != 0 => {
                    (Simple::Utf16, v.tagged_code_units ^ tag)
                }
                StringEncoding::Latin1Utf16 => (Simple::Latin1, v.tagged_code_units),
                StringEncoding::Utf8 => (Simple::Utf8, v.tagged_code_units),
                StringEncoding::Utf16 => (Simple::Utf16, v.tagged_code_units),
            };
            match cx.opts.string_encoding {
                StringEncoding::Utf8 => match src_simple_encoding {
                    Simple::Utf8 => store_string_copy(cx, src, src_code_units, 1, 1, Simple::Utf8),
                    Simple::Utf16 => store_utf16_to_utf8(cx, src, src_code_units),
                    Simple::Latin1 => store_latin1_to_utf8(cx, src, src_code_units),
                },
                StringEncoding::Utf16 => match src_simple_encoding {
                    Simple::Utf8 => store_utf8_to_utf16(cx, src, src_code_units),
                    Simple::Utf16 | Simple::Latin1 => {
                        store_string_copy(cx, src, src_code_units, 2, 2, Simple::Utf16)
                    }
                },
                StringEncoding::Latin1Utf16 => match (v.encoding, src_simple_encoding) {
                    (StringEncoding::Utf8 | StringEncoding::Utf16, _) => {
                        store_string_to_latin1_or_utf16(cx, src, src_code_units)
                    }
                    (_, Simple::Latin1) => {
                        store_string_copy(cx, src, src_code_units, 1, 2, Simple::Latin1)
                    }
                    _ => store_probably_utf16_to_latin1_or_utf16(cx, src, src_code_units),
                },
            }
        }
    )
}

/// `src.encode(encoding)` (UTF-8 is the text's own bytes).
fn encode(src: &str, encoding: Simple) -> Cow<'_, [u8]> {
    match encoding {
        Simple::Utf8 => Cow::Borrowed(src.as_bytes()),
        Simple::Utf16 => src.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
        // Only called for text whose code points are all below 256.
        Simple::Latin1 => src.chars().map(|c| c as u32 as u8).collect(),
    }
}

/// Copies `bytes` to `ptr` (the spec's slice assignment).
fn write(cx: &mut LiftLowerContext<'_>, ptr: u64, bytes: &[u8]) -> Result<(), Trap> {
    let mem = cx.memory();
    let dst = usize::try_from(ptr)
        .ok()
        .and_then(|p| mem.get_mut(p..p.checked_add(bytes.len())?))
        .ok_or(Trap {
            kind: TrapKind::PointerOutOfBounds,
        })?;
    dst.copy_from_slice(bytes);
    Ok(())
}

/// The checks that follow every allocation of string or list storage.
fn check_alloc(
    cx: &mut LiftLowerContext<'_>,
    ptr: u64,
    alignment: u64,
    byte_length: u64,
) -> Result<(), Trap> {
    trap_if(ptr != align_to(ptr, alignment), TrapKind::ReallocNotAligned)?;
    trap_if(
        cx.beyond_memory(ptr, byte_length),
        TrapKind::ReallocOutOfBounds,
    )
}

/// `store_string_copy`.
fn store_string_copy(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
    dst_code_unit_size: u64,
    dst_alignment: u64,
    dst_encoding: Simple,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_string_copy",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let dst_byte_length = dst_code_unit_size * src_code_units;
            let ptr = cx.allocate(dst_alignment, dst_byte_length)?;
            check_alloc(cx, ptr, dst_alignment, dst_byte_length)?;
            let encoded = encode(src, dst_encoding);
            // Not `trap_if`, which would build the message on every call.
            if encoded.len() as u64 != dst_byte_length {
                return trap(TrapKind::Core("string length hint is wrong".into()));
            }
            write(cx, ptr, &encoded)?;
            Ok((ptr, src_code_units))
        }
    )
}

/// `store_utf16_to_utf8`.
fn store_utf16_to_utf8(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_utf16_to_utf8",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let worst_case_size = src_code_units * 3;
            store_string_to_utf8(cx, src, src_code_units, worst_case_size)
        }
    )
}

/// `store_latin1_to_utf8`.
fn store_latin1_to_utf8(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_latin1_to_utf8",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let worst_case_size = src_code_units * 2;
            store_string_to_utf8(cx, src, src_code_units, worst_case_size)
        }
    )
}

/// `store_string_to_utf8`: optimistically one byte per code unit, then the
/// worst case, then shrink.
fn store_string_to_utf8(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
    worst_case_size: u64,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_string_to_utf8",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let mut ptr = cx.allocate(1, src_code_units)?;
            trap_if(
                cx.beyond_memory(ptr, src_code_units),
                TrapKind::ReallocOutOfBounds,
            )?;
            for (i, code_point) in src.chars().enumerate() {
                let i = i as u64;
                if (code_point as u32) < 0x80 {
                    write(cx, ptr + i, &[code_point as u8])?;
                } else {
                    ptr = cx.reallocate(ptr, src_code_units, 1, worst_case_size)?;
                    trap_if(
                        cx.beyond_memory(ptr, worst_case_size),
                        TrapKind::ReallocOutOfBounds,
                    )?;
                    let encoded = src.as_bytes();
                    write(cx, ptr + i, &encoded[i as usize..])?;
                    let len = encoded.len() as u64;
                    if worst_case_size > len {
                        ptr = cx.reallocate(ptr, worst_case_size, 1, len)?;
                        trap_if(cx.beyond_memory(ptr, len), TrapKind::ReallocOutOfBounds)?;
                    }
                    return Ok((ptr, len));
                }
            }
            Ok((ptr, src_code_units))
        }
    )
}

/// `store_utf8_to_utf16`: the worst case, then shrink.
fn store_utf8_to_utf16(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_utf8_to_utf16",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let worst_case_size = 2 * src_code_units;
            let mut ptr = cx.allocate(2, worst_case_size)?;
            check_alloc(cx, ptr, 2, worst_case_size)?;
            let encoded = encode(src, Simple::Utf16);
            write(cx, ptr, &encoded)?;
            let len = encoded.len() as u64;
            if len < worst_case_size {
                ptr = cx.reallocate(ptr, worst_case_size, 2, len)?;
                check_alloc(cx, ptr, 2, len)?;
            }
            Ok((ptr, len / 2))
        }
    )
}

/// `store_string_to_latin1_or_utf16`: Latin-1 while it fits, else inflate
/// in place to UTF-16.
fn store_string_to_latin1_or_utf16(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_string_to_latin1_or_utf16",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let mut ptr = cx.allocate(2, src_code_units)?;
            check_alloc(cx, ptr, 2, src_code_units)?;
            let mut dst_byte_length = 0u64;
            for usv in src.chars() {
                if (usv as u32) < (1 << 8) {
                    write(cx, ptr + dst_byte_length, &[usv as u8])?;
                    dst_byte_length += 1;
                } else {
                    let worst_case_size = 2 * src_code_units;
                    ptr = cx.reallocate(ptr, src_code_units, 2, worst_case_size)?;
                    check_alloc(cx, ptr, 2, worst_case_size)?;
                    let mem = cx.memory();
                    for j in (0..dst_byte_length as usize).rev() {
                        let p = ptr as usize;
                        mem[p + 2 * j] = mem[p + j];
                        mem[p + 2 * j + 1] = 0;
                    }
                    let encoded = encode(src, Simple::Utf16);
                    write(
                        cx,
                        ptr + 2 * dst_byte_length,
                        &encoded[2 * dst_byte_length as usize..],
                    )?;
                    let len = encoded.len() as u64;
                    if worst_case_size > len {
                        ptr = cx.reallocate(ptr, worst_case_size, 2, len)?;
                        check_alloc(cx, ptr, 2, len)?;
                    }
                    let tagged_code_units = (len / 2) | utf16_tag(cx.ptr_type());
                    return Ok((ptr, tagged_code_units));
                }
            }
            if dst_byte_length < src_code_units {
                ptr = cx.reallocate(ptr, src_code_units, 2, dst_byte_length)?;
                check_alloc(cx, ptr, 2, dst_byte_length)?;
            }
            Ok((ptr, dst_byte_length))
        }
    )
}

/// `store_probably_utf16_to_latin1_or_utf16`: UTF-16 first, deflated to
/// Latin-1 if every code point fits.
fn store_probably_utf16_to_latin1_or_utf16(
    cx: &mut LiftLowerContext<'_>,
    src: &str,
    src_code_units: u64,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_probably_utf16_to_latin1_or_utf16",
        [Int("src_code_units", src_code_units)],
        |(ptr, n)| [Ptr(*ptr), Int("tagged_code_units", *n)],
        {
            let src_byte_length = 2 * src_code_units;
            let mut ptr = cx.allocate(2, src_byte_length)?;
            check_alloc(cx, ptr, 2, src_byte_length)?;
            let encoded = encode(src, Simple::Utf16);
            write(cx, ptr, &encoded)?;
            if src.chars().any(|c| (c as u32) >= (1 << 8)) {
                let tagged_code_units = (encoded.len() as u64 / 2) | utf16_tag(cx.ptr_type());
                return Ok((ptr, tagged_code_units));
            }
            let latin1_size = encoded.len() as u64 / 2;
            let mem = cx.memory();
            for i in 0..latin1_size as usize {
                mem[ptr as usize + i] = mem[ptr as usize + 2 * i];
            }
            ptr = cx.reallocate(ptr, src_byte_length, 1, latin1_size)?;
            trap_if(
                cx.beyond_memory(ptr, latin1_size),
                TrapKind::ReallocOutOfBounds,
            )?;
            Ok((ptr, latin1_size))
        }
    )
}

/// `store_list`.
pub fn store_list(
    cx: &mut LiftLowerContext<'_>,
    v: &[Value],
    ptr: u64,
    elem_type: &ValType,
    maybe_length: Option<u32>,
) -> Result<(), Trap> {
    if let Some(length) = maybe_length {
        if length as usize != v.len() {
            return trap(TrapKind::Core(
                "fixed-length list of the wrong length".into(),
            ));
        }
        return store_list_into_valid_range(cx, v, ptr, elem_type);
    }
    let (begin, length) = store_list_into_range(cx, v, elem_type)?;
    let size = cx.ptr_size();
    store_int(cx, begin, ptr, size)?;
    store_int(cx, length, ptr + size, size)
}

/// `store_list_into_range`.
pub fn store_list_into_range(
    cx: &mut LiftLowerContext<'_>,
    v: &[Value],
    elem_type: &ValType,
) -> Result<(u64, u64), Trap> {
    traced!(
        cx,
        "store_list_into_range",
        [Len(v.len() as u64), Type(elem_type)],
        |(ptr, n)| [Ptr(*ptr), Len(*n)],
        {
            let pt = cx.ptr_type();
            let byte_length = (v.len() as u64).saturating_mul(elem_size(elem_type, pt));
            let align = alignment(elem_type, pt);
            let ptr = cx.allocate(align, byte_length)?;
            check_alloc(cx, ptr, align, byte_length)?;
            store_list_into_valid_range(cx, v, ptr, elem_type)?;
            Ok((ptr, v.len() as u64))
        }
    )
}

/// `store_list_into_valid_range`.
pub fn store_list_into_valid_range(
    cx: &mut LiftLowerContext<'_>,
    v: &[Value],
    ptr: u64,
    elem_type: &ValType,
) -> Result<(), Trap> {
    if !cx.tracing() && store_number_list(cx, v, ptr, elem_type)? {
        return Ok(());
    }
    let size = elem_size(elem_type, cx.ptr_type());
    let elem_type = despecialize_untraced(cx, elem_type);
    for (i, e) in v.iter().enumerate() {
        store(cx, e, &elem_type, ptr + i as u64 * size)?;
    }
    Ok(())
}

/// `store_list_into_valid_range` of a list of numbers, `bool`s or `char`s
/// when nothing traces: each element's bytes are what `store` writes,
/// written in one pass over the list's bytes rather than dispatched on the
/// type per element. `false` for other element types, and for floats with
/// a NaN (whose bits are a choice, made by `store`).
fn store_number_list(
    cx: &mut LiftLowerContext<'_>,
    v: &[Value],
    ptr: u64,
    elem_type: &ValType,
) -> Result<bool, Trap> {
    macro_rules! each {
        ($n:literal, $case:path, $bytes:expr) => {{
            let mem = cx.memory();
            let dst = (v.len() as u64)
                .checked_mul($n)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| mem.get_mut(usize::try_from(ptr).ok()?..)?.get_mut(..n));
            let Some(dst) = dst else {
                return trap(TrapKind::PointerOutOfBounds);
            };
            // Four elements at a time, then the rest.
            let (fours, rest) = v.as_chunks::<4>();
            let Some((dst4, dst1)) = dst.split_at_mut_checked(fours.len() * 4 * $n) else {
                return trap(TrapKind::PointerOutOfBounds);
            };
            for (d, es) in dst4.as_chunks_mut::<{ 4 * $n }>().0.iter_mut().zip(fours) {
                let [$case(a), $case(b), $case(c), $case(e)] = es else {
                    return mismatch(elem_type);
                };
                for (d, x) in d.as_chunks_mut::<$n>().0.iter_mut().zip([a, b, c, e]) {
                    *d = $bytes(*x).to_le_bytes();
                }
            }
            for (d, e) in dst1.chunks_exact_mut($n).zip(rest) {
                let $case(x) = e else {
                    return mismatch(elem_type);
                };
                d.copy_from_slice(&$bytes(*x).to_le_bytes());
            }
        }};
    }
    let nan = |e: &Value| {
        matches!(e, Value::F32(f) if f.is_nan()) || matches!(e, Value::F64(f) if f.is_nan())
    };
    match elem_type {
        ValType::Bool => each!(1, Value::Bool, u8::from),
        ValType::U8 => each!(1, Value::U8, u8::from),
        ValType::S8 => each!(1, Value::S8, i8::from),
        ValType::U16 => each!(2, Value::U16, u16::from),
        ValType::S16 => each!(2, Value::S16, i16::from),
        ValType::U32 => each!(4, Value::U32, u32::from),
        ValType::S32 => each!(4, Value::S32, i32::from),
        ValType::U64 => each!(8, Value::U64, u64::from),
        ValType::S64 => each!(8, Value::S64, i64::from),
        ValType::F32 | ValType::F64 if v.iter().any(nan) => return Ok(false),
        ValType::F32 => each!(4, Value::F32, f32::to_bits),
        ValType::F64 => each!(8, Value::F64, f64::to_bits),
        ValType::Char => each!(4, Value::Char, char_to_i32),
        _ => return Ok(false),
    }
    Ok(true)
}

/// `store_record`.
pub fn store_record(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    mut ptr: u64,
    fields: &[FieldType],
) -> Result<(), Trap> {
    for f in fields {
        ptr = align_to(ptr, alignment(&f.t, cx.ptr_type()));
        let Some(fv) = v.field(&f.label) else {
            return mismatch(&f.t);
        };
        store(cx, fv, &f.t, ptr)?;
        ptr += elem_size(&f.t, cx.ptr_type());
    }
    Ok(())
}

/// `store_variant`.
pub fn store_variant(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    mut ptr: u64,
    cases: &[CaseType],
) -> Result<(), Trap> {
    let (case_index, case_value) = match_case(v, cases)?;
    let disc_size = elem_size(&discriminant_type(cases), cx.ptr_type());
    store_int(cx, case_index as u64, ptr, disc_size)?;
    ptr += disc_size;
    ptr = align_to(ptr, max_case_alignment(cases, cx.ptr_type()));
    match (&cases[case_index].t, case_value) {
        (Some(t), Some(cv)) => store(cx, cv, t, ptr),
        (None, None) => Ok(()),
        (t, _) => mismatch(t.as_ref().unwrap_or(&ValType::Bool)),
    }
}

/// `match_case`: the case index of a variant value and its payload.
pub fn match_case<'v>(
    v: &'v Value,
    cases: &[CaseType],
) -> Result<(usize, Option<&'v Value>), Trap> {
    let Value::Variant(label, value) = v else {
        return mismatch(&ValType::Variant(cases.to_vec()));
    };
    match cases.iter().position(|c| c.label == *label) {
        Some(index) => Ok((index, value.as_deref())),
        None => mismatch(&ValType::Variant(cases.to_vec())),
    }
}

/// `store_flags`.
pub fn store_flags(
    cx: &mut LiftLowerContext<'_>,
    v: &Value,
    ptr: u64,
    labels: &[String],
) -> Result<(), Trap> {
    let i = pack_flags_into_int(v, labels);
    store_int(cx, i, ptr, elem_size_flags(labels.len()))
}

/// `pack_flags_into_int`: absent labels are `false`.
pub fn pack_flags_into_int(v: &Value, labels: &[String]) -> u64 {
    let Value::Flags(set) = v else { return 0 };
    let mut i = 0;
    for (shift, l) in labels.iter().enumerate() {
        let on = set.iter().any(|(k, b)| k == l && *b);
        i |= (on as u64) << shift;
    }
    i
}

/// `lower_own`: a new owning handle in the current instance.
pub fn lower_own(cx: &mut LiftLowerContext<'_>, rep: u32, rt: &ResourceType) -> Result<u32, Trap> {
    traced!(
        cx,
        "lower_own",
        [Int("rep", u64::from(rep)), Resource(rt)],
        |i| [Int("i", u64::from(*i))],
        {
            let h = ResourceHandle::new(rt.clone(), rep, true, None);
            cx.inst.handles.add(HandleElem::Resource(h))
        }
    )
}

/// `lower_borrow`: a borrowed handle scoped to the task, or the bare
/// representation when lowering into the resource's own implementation.
pub fn lower_borrow(
    cx: &mut LiftLowerContext<'_>,
    rep: u32,
    rt: &ResourceType,
) -> Result<u32, Trap> {
    traced!(
        cx,
        "lower_borrow",
        [Int("rep", u64::from(rep)), Resource(rt)],
        |i| [Int("i", u64::from(*i))],
        {
            let Some(BorrowScope::Task(task)) = &mut cx.borrow_scope else {
                return trap(TrapKind::Core(
                    "internal error: lowering a borrow outside a task".into(),
                ));
            };
            if cx.inst.id == rt.impl_() {
                return Ok(rep);
            }
            let h = ResourceHandle::new(rt.clone(), rep, false, Some(task.id));
            task.num_borrows += 1;
            cx.inst.handles.add(HandleElem::Resource(h))
        }
    )
}

/// `lower_error_context`.
pub fn lower_error_context(
    cx: &mut LiftLowerContext<'_>,
    v: &alloc::rc::Rc<crate::canon_error_context::ErrorContext>,
) -> Result<u32, Trap> {
    traced!(
        cx,
        "lower_error_context",
        [],
        |i| [Int("i", u64::from(*i))],
        { cx.inst.handles.add(HandleElem::ErrorContext(v.clone())) }
    )
}

/// `lower_stream`: a new readable end in the current instance.
pub fn lower_stream(
    cx: &mut LiftLowerContext<'_>,
    v: &crate::value::StreamValue,
    _t: Option<&ValType>,
) -> Result<u32, Trap> {
    traced!(cx, "lower_stream", [], |i| [Int("i", u64::from(*i))], {
        let end = crate::stream::End::ReadableStream(crate::stream::ReadableStreamEnd {
            shared: v.0.clone(),
        });
        cx.inst
            .handles
            .add(HandleElem::CopyEnd(crate::stream::CopyEnd::new(end)))
    })
}

/// `lower_future`: a new readable end in the current instance.
pub fn lower_future(
    cx: &mut LiftLowerContext<'_>,
    v: &crate::value::FutureValue,
    _t: Option<&ValType>,
) -> Result<u32, Trap> {
    traced!(cx, "lower_future", [], |i| [Int("i", u64::from(*i))], {
        let end = crate::stream::End::ReadableFuture(crate::future::ReadableFutureEnd {
            shared: v.0.clone(),
        });
        cx.inst
            .handles
            .add(HandleElem::CopyEnd(crate::stream::CopyEnd::new(end)))
    })
}
