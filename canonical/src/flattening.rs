//! Flattening (CanonicalABI.md "Flattening"): the core types that carry a
//! component type's values in registers, and the core signature of a lifted
//! or lowered function.

use crate::alignment::discriminant_type;
use crate::core_value::CoreType;
use crate::despecialize::despecialize;
use crate::options::CanonicalOptions;
use crate::types::{CaseType, FieldType, FuncType, ValType};
use alloc::vec;
use alloc::vec::Vec;

pub const MAX_FLAT_PARAMS: usize = 16;
pub const MAX_FLAT_ASYNC_PARAMS: usize = 4;
pub const MAX_FLAT_RESULTS: usize = 1;

/// A core function type (`CoreFuncType`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CoreFuncType {
    pub params: Vec<CoreType>,
    pub results: Vec<CoreType>,
}

/// Whether a function is being lifted or lowered (`context`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Lift,
    Lower,
}

/// `flatten_functype`. `ptr` is the memory option's pointer type.
pub fn flatten_functype(
    opts: &CanonicalOptions,
    ptr: CoreType,
    ft: &FuncType,
    context: Context,
) -> CoreFuncType {
    let mut flat_params = flatten_types(&ft.param_types(), ptr);
    let mut flat_results = flatten_types(ft.result_type(), ptr);
    if !opts.async_ {
        if flat_params.len() > MAX_FLAT_PARAMS {
            flat_params = vec![ptr];
        }
        if flat_results.len() > MAX_FLAT_RESULTS {
            match context {
                Context::Lift => flat_results = vec![ptr],
                Context::Lower => {
                    flat_params.push(ptr);
                    flat_results = vec![];
                }
            }
        }
    } else {
        match context {
            Context::Lift => {
                if flat_params.len() > MAX_FLAT_PARAMS {
                    flat_params = vec![ptr];
                }
                flat_results = if opts.callback.is_some() {
                    vec![CoreType::I32]
                } else {
                    vec![]
                };
            }
            Context::Lower => {
                if flat_params.len() > MAX_FLAT_ASYNC_PARAMS {
                    flat_params = vec![ptr];
                }
                if !flat_results.is_empty() {
                    flat_params.push(ptr);
                }
                flat_results = vec![CoreType::I32];
            }
        }
    }
    CoreFuncType {
        params: flat_params,
        results: flat_results,
    }
}

/// `flatten_types`.
pub fn flatten_types(ts: &[ValType], ptr: CoreType) -> Vec<CoreType> {
    ts.iter().flat_map(|t| flatten_type(t, ptr)).collect()
}

/// `len(flatten_types(ts))`, counted without building the list: lifting
/// and lowering ask it on every call, only to compare it with
/// `max_flat`. A specialized type counts as its despecialization (an
/// `option` or `result` as the variant it stands for).
pub fn flat_count(ts: &[ValType]) -> usize {
    ts.iter().map(flat_count_type).sum()
}

/// `len(flatten_type(t))`. Inlined for its leaves, so that a scalar
/// (the common parameter) costs no call; a type of parts is counted out
/// of line.
#[inline]
fn flat_count_type(t: &ValType) -> usize {
    match t {
        ValType::String | ValType::Map(..) | ValType::List(_, None) => 2,
        ValType::List(..)
        | ValType::Record(_)
        | ValType::Tuple(_)
        | ValType::Variant(_)
        | ValType::Option(_)
        | ValType::Result(..) => flat_count_parts(t),
        // The scalars, enum, flags, handles, streams and futures.
        _ => 1,
    }
}

/// [`flat_count_type`] of a type made of other types.
fn flat_count_parts(t: &ValType) -> usize {
    let payload = |t: Option<&ValType>| t.map_or(0, flat_count_type);
    match t {
        ValType::List(t, Some(n)) => flat_count_type(t) * *n as usize,
        ValType::Record(fields) => fields.iter().map(|f| flat_count_type(&f.t)).sum(),
        ValType::Tuple(ts) => flat_count(ts),
        ValType::Variant(cases) => {
            1 + cases
                .iter()
                .map(|c| payload(c.t.as_ref()))
                .max()
                .unwrap_or(0)
        }
        ValType::Option(t) => 1 + flat_count_type(t),
        ValType::Result(ok, err) => 1 + payload(ok.as_deref()).max(payload(err.as_deref())),
        leaf => flat_count_type(leaf),
    }
}

/// `flatten_type`.
pub fn flatten_type(t: &ValType, ptr: CoreType) -> Vec<CoreType> {
    match &*despecialize(t) {
        ValType::S64 | ValType::U64 => vec![CoreType::I64],
        ValType::F32 => vec![CoreType::F32],
        ValType::F64 => vec![CoreType::F64],
        ValType::String => vec![ptr, ptr],
        ValType::List(t, l) => flatten_list(t, *l, ptr),
        ValType::Record(fields) => flatten_record(fields, ptr),
        ValType::Variant(cases) => flatten_variant(cases, ptr),
        // bool, the narrower integers, char, error-context, flags, handles,
        // streams and futures.
        _ => vec![CoreType::I32],
    }
}

/// `flatten_list`.
pub fn flatten_list(
    elem_type: &ValType,
    maybe_length: Option<u32>,
    ptr: CoreType,
) -> Vec<CoreType> {
    match maybe_length {
        Some(n) => {
            let one = flatten_type(elem_type, ptr);
            (0..n).flat_map(|_| one.iter().copied()).collect()
        }
        None => vec![ptr, ptr],
    }
}

/// `flatten_record`.
pub fn flatten_record(fields: &[FieldType], ptr: CoreType) -> Vec<CoreType> {
    fields
        .iter()
        .flat_map(|f| flatten_type(&f.t, ptr))
        .collect()
}

/// `flatten_variant`: the discriminant, then the cases' payloads joined
/// position by position.
pub fn flatten_variant(cases: &[CaseType], ptr: CoreType) -> Vec<CoreType> {
    let mut flat: Vec<CoreType> = Vec::new();
    for c in cases {
        if let Some(t) = &c.t {
            for (i, ft) in flatten_type(t, ptr).into_iter().enumerate() {
                if i < flat.len() {
                    flat[i] = join(flat[i], ft);
                } else {
                    flat.push(ft);
                }
            }
        }
    }
    let mut out = flatten_type(&discriminant_type(cases), ptr);
    out.extend(flat);
    out
}

/// `join`.
pub fn join(a: CoreType, b: CoreType) -> CoreType {
    match (a, b) {
        _ if a == b => a,
        (CoreType::I32, CoreType::F32) | (CoreType::F32, CoreType::I32) => CoreType::I32,
        _ => CoreType::I64,
    }
}
