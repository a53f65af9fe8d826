//! Alignment (CanonicalABI.md "Alignment").

use crate::despecialize::despecialize;
use crate::options::{PtrType, ptr_size};
use crate::types::{CaseType, FieldType, ValType};

/// `alignment`.
pub fn alignment(t: &ValType, ptr_type: PtrType) -> u64 {
    match &*despecialize(t) {
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
        // Streams and futures; the specialized types were despecialized.
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
    fields
        .iter()
        .map(|f| alignment(&f.t, ptr_type))
        .fold(1, u64::max)
}

/// `alignment_variant`.
pub fn alignment_variant(cases: &[CaseType], ptr_type: PtrType) -> u64 {
    alignment(&discriminant_type(cases), ptr_type).max(max_case_alignment(cases, ptr_type))
}

/// `discriminant_type`: the smallest unsigned integer that numbers the
/// cases.
pub fn discriminant_type(cases: &[CaseType]) -> ValType {
    match cases.len() {
        0..=0x100 => ValType::U8,
        0x101..=0x1_0000 => ValType::U16,
        _ => ValType::U32,
    }
}

/// `max_case_alignment`.
pub fn max_case_alignment(cases: &[CaseType], ptr_type: PtrType) -> u64 {
    cases
        .iter()
        .filter_map(|c| c.t.as_ref())
        .map(|t| alignment(t, ptr_type))
        .fold(1, u64::max)
}

/// `alignment_flags`.
pub fn alignment_flags(n: usize) -> u64 {
    match n {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4,
    }
}
