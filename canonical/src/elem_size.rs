//! Element Size (CanonicalABI.md "Element Size").

use crate::alignment::{
    alignment, cases_alignment, discriminant_type_of, fields_alignment, payloads,
};
use crate::context::align_to;
use crate::options::{PtrType, ptr_size};
use crate::types::{CaseType, FieldType, ValType};

/// `elem_size`. A specialized type's is that of its expansion
/// (`despecialize`), computed from its parts without building it (see
/// `alignment`).
pub fn elem_size(t: &ValType, ptr_type: PtrType) -> u64 {
    match t {
        ValType::Tuple(ts) => fields_size(ts.iter(), ptr_type),
        ValType::Enum(labels) => cases_size(labels.len(), core::iter::empty(), ptr_type),
        ValType::Option(t) => cases_size(2, core::iter::once(&**t), ptr_type),
        ValType::Result(ok, err) => cases_size(2, ok.iter().chain(err).map(|t| &**t), ptr_type),
        ValType::Map(..) => 2 * ptr_size(ptr_type),
        ValType::Bool => 1,
        ValType::S8 | ValType::U8 => 1,
        ValType::S16 | ValType::U16 => 2,
        ValType::S32 | ValType::U32 => 4,
        ValType::S64 | ValType::U64 => 8,
        ValType::F32 => 4,
        ValType::F64 => 8,
        ValType::Char => 4,
        ValType::String => 2 * ptr_size(ptr_type),
        ValType::ErrorContext => 4,
        ValType::List(t, l) => elem_size_list(t, *l, ptr_type),
        ValType::Record(fields) => elem_size_record(fields, ptr_type),
        ValType::Variant(cases) => elem_size_variant(cases, ptr_type),
        ValType::Flags(labels) => elem_size_flags(labels.len()),
        ValType::Own(_) | ValType::Borrow(_) => 4,
        // Streams and futures.
        _ => 4,
    }
}

/// `elem_size_list`.
pub fn elem_size_list(elem_type: &ValType, maybe_length: Option<u32>, ptr_type: PtrType) -> u64 {
    match maybe_length {
        Some(n) => n as u64 * elem_size(elem_type, ptr_type),
        None => 2 * ptr_size(ptr_type),
    }
}

/// `elem_size_record`. Validation keeps every type's size below 2^28, so
/// the sums cannot overflow.
pub fn elem_size_record(fields: &[FieldType], ptr_type: PtrType) -> u64 {
    fields_size(fields.iter().map(|f| &f.t), ptr_type)
}

/// `elem_size_record` of fields of types `ts`.
fn fields_size<'a>(ts: impl Iterator<Item = &'a ValType> + Clone, ptr_type: PtrType) -> u64 {
    let mut s = 0;
    for t in ts.clone() {
        s = align_to(s, alignment(t, ptr_type));
        s += elem_size(t, ptr_type);
    }
    align_to(s, fields_alignment(ts, ptr_type))
}

/// `elem_size_variant`.
pub fn elem_size_variant(cases: &[CaseType], ptr_type: PtrType) -> u64 {
    cases_size(cases.len(), payloads(cases), ptr_type)
}

/// `elem_size_variant` of `n` cases whose payloads are of types
/// `payloads`.
fn cases_size<'a>(
    n: usize,
    payloads: impl Iterator<Item = &'a ValType> + Clone,
    ptr_type: PtrType,
) -> u64 {
    let mut s = elem_size(&discriminant_type_of(n), ptr_type);
    s = align_to(s, fields_alignment(payloads.clone(), ptr_type));
    let cs = payloads
        .clone()
        .map(|t| elem_size(t, ptr_type))
        .fold(0, u64::max);
    s += cs;
    align_to(s, cases_alignment(n, payloads, ptr_type))
}

/// `elem_size_flags`.
pub fn elem_size_flags(n: usize) -> u64 {
    match n {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4,
    }
}
