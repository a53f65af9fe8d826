//! Alignment (CanonicalABI.md "Alignment").

use crate::options::{PtrType, ptr_size};
use crate::types::{CaseType, FieldType, ValType};

/// `alignment`. A specialized type's is that of its expansion
/// (`despecialize`), computed from its parts without building it: a
/// layout is asked for every value stored or loaded.
pub fn alignment(t: &ValType, ptr_type: PtrType) -> u64 {
    match t {
        ValType::Tuple(ts) => fields_alignment(ts.iter(), ptr_type),
        ValType::Enum(labels) => cases_alignment(labels.len(), core::iter::empty(), ptr_type),
        ValType::Option(t) => cases_alignment(2, core::iter::once(&**t), ptr_type),
        ValType::Result(ok, err) => {
            let payloads = ok.iter().chain(err).map(|t| &**t);
            cases_alignment(2, payloads, ptr_type)
        }
        ValType::Map(..) => ptr_size(ptr_type),
        ValType::Bool => 1,
        ValType::S8 | ValType::U8 => 1,
        ValType::S16 | ValType::U16 => 2,
        ValType::S32 | ValType::U32 => 4,
        ValType::S64 | ValType::U64 => 8,
        ValType::F32 => 4,
        ValType::F64 => 8,
        ValType::Char => 4,
        ValType::String => ptr_size(ptr_type),
        ValType::ErrorContext => 4,
        ValType::List(t, l) => alignment_list(t, *l, ptr_type),
        ValType::Record(fields) => alignment_record(fields, ptr_type),
        ValType::Variant(cases) => alignment_variant(cases, ptr_type),
        ValType::Flags(labels) => alignment_flags(labels.len()),
        ValType::Own(_) | ValType::Borrow(_) => 4,
        // Streams and futures.
        _ => 4,
    }
}

/// `alignment_list`.
pub fn alignment_list(elem_type: &ValType, maybe_length: Option<u32>, ptr_type: PtrType) -> u64 {
    match maybe_length {
        Some(_) => alignment(elem_type, ptr_type),
        None => ptr_size(ptr_type),
    }
}

/// `alignment_record`.
pub fn alignment_record(fields: &[FieldType], ptr_type: PtrType) -> u64 {
    fields_alignment(fields.iter().map(|f| &f.t), ptr_type)
}

/// `alignment_record` of fields of types `ts`.
pub(crate) fn fields_alignment<'a>(
    ts: impl Iterator<Item = &'a ValType>,
    ptr_type: PtrType,
) -> u64 {
    ts.map(|t| alignment(t, ptr_type)).fold(1, u64::max)
}

/// `alignment_variant`.
pub fn alignment_variant(cases: &[CaseType], ptr_type: PtrType) -> u64 {
    cases_alignment(cases.len(), payloads(cases), ptr_type)
}

/// `alignment_variant` of `n` cases whose payloads are of types
/// `payloads`.
pub(crate) fn cases_alignment<'a>(
    n: usize,
    payloads: impl Iterator<Item = &'a ValType>,
    ptr_type: PtrType,
) -> u64 {
    alignment(&discriminant_type_of(n), ptr_type).max(fields_alignment(payloads, ptr_type))
}

/// The cases' payload types.
pub(crate) fn payloads(cases: &[CaseType]) -> impl Iterator<Item = &ValType> + Clone {
    cases.iter().filter_map(|c| c.t.as_ref())
}

/// `discriminant_type`: the smallest unsigned integer that numbers the
/// cases.
pub fn discriminant_type(cases: &[CaseType]) -> ValType {
    discriminant_type_of(cases.len())
}

/// `discriminant_type` of `n` cases.
pub(crate) fn discriminant_type_of(n: usize) -> ValType {
    match n {
        0..=0x100 => ValType::U8,
        0x101..=0x1_0000 => ValType::U16,
        _ => ValType::U32,
    }
}

/// `max_case_alignment`.
pub fn max_case_alignment(cases: &[CaseType], ptr_type: PtrType) -> u64 {
    fields_alignment(payloads(cases), ptr_type)
}

/// `alignment_flags`.
pub fn alignment_flags(n: usize) -> u64 {
    match n {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4,
    }
}
