//! The Canonical ABI's layout of component values (CanonicalABI.md
//! "Alignment", "Element Size", "Flattening"), for the code that
//! [`crate::abi_pair`] generates. Written from the spec here, not taken
//! from witness-canonical, so that the generated code is a second opinion
//! on the layout rather than a copy of the implementation under test.
//!
//! Types are the ones [`crate::values`] makes without async types or
//! handles (32-bit memories only).

use wasm_encoder::ValType as Core;
use witness::component::ValType;

/// The cases of a variant-like type (`despecialize`: enum, option and
/// result are variants): their payload types.
pub fn cases(t: &ValType) -> Option<Vec<Option<&ValType>>> {
    Some(match t {
        ValType::Variant(cs) => cs.iter().map(|c| c.t.as_ref()).collect(),
        ValType::Enum(ls) => vec![None; ls.len()],
        ValType::Option(t) => vec![None, Some(&**t)],
        ValType::Result(ok, err) => vec![ok.as_deref(), err.as_deref()],
        _ => return None,
    })
}

/// The fields of a record-like type (a record or tuple), in order.
pub fn fields(t: &ValType) -> Option<Vec<&ValType>> {
    Some(match t {
        ValType::Record(fs) => fs.iter().map(|f| &f.t).collect(),
        ValType::Tuple(ts) => ts.iter().collect(),
        _ => return None,
    })
}

/// `discriminant_type`'s size in bytes for `n` cases.
pub fn discriminant_size(n: usize) -> u32 {
    match n {
        0..=0x100 => 1,
        0x101..=0x1_0000 => 2,
        _ => 4,
    }
}

/// `alignment_flags` and `elem_size_flags`.
fn flags_size(n: usize) -> u32 {
    match n {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4,
    }
}

/// `alignment(t, 'i32')`.
pub fn alignment(t: &ValType) -> u32 {
    match t {
        ValType::Bool | ValType::S8 | ValType::U8 => 1,
        ValType::S16 | ValType::U16 => 2,
        ValType::S32 | ValType::U32 | ValType::F32 | ValType::Char => 4,
        ValType::S64 | ValType::U64 | ValType::F64 => 8,
        ValType::String | ValType::List(_, None) | ValType::Map(..) => 4,
        ValType::List(t, Some(_)) => alignment(t),
        ValType::Flags(ls) => flags_size(ls.len()),
        _ => {
            if let Some(fs) = fields(t) {
                fs.into_iter().map(alignment).max().unwrap_or(1)
            } else if let Some(cs) = cases(t) {
                discriminant_size(cs.len()).max(max_case_alignment(&cs))
            } else {
                4
            }
        }
    }
}

/// `max_case_alignment`.
pub fn max_case_alignment(cases: &[Option<&ValType>]) -> u32 {
    cases
        .iter()
        .flatten()
        .map(|t| alignment(t))
        .max()
        .unwrap_or(1)
}

/// `align_to`.
pub fn align_to(ptr: u32, alignment: u32) -> u32 {
    ptr.div_ceil(alignment) * alignment
}

/// `elem_size(t, 'i32')`.
pub fn elem_size(t: &ValType) -> u32 {
    match t {
        ValType::Bool | ValType::S8 | ValType::U8 => 1,
        ValType::S16 | ValType::U16 => 2,
        ValType::S32 | ValType::U32 | ValType::F32 | ValType::Char => 4,
        ValType::S64 | ValType::U64 | ValType::F64 => 8,
        ValType::String | ValType::List(_, None) | ValType::Map(..) => 8,
        ValType::List(t, Some(n)) => n * elem_size(t),
        ValType::Flags(ls) => flags_size(ls.len()),
        _ => {
            if let Some(fs) = fields(t) {
                let mut s = 0;
                for f in fs {
                    s = align_to(s, alignment(f)) + elem_size(f);
                }
                align_to(s, alignment(t))
            } else if let Some(cs) = cases(t) {
                let s = align_to(discriminant_size(cs.len()), max_case_alignment(&cs));
                let payload = cs.iter().flatten().map(|t| elem_size(t)).max().unwrap_or(0);
                align_to(s + payload, alignment(t))
            } else {
                4
            }
        }
    }
}

/// The offset of each field of a record-like type.
pub fn field_offsets(fields: &[&ValType]) -> Vec<u32> {
    let mut s = 0;
    fields
        .iter()
        .map(|f| {
            let at = align_to(s, alignment(f));
            s = at + elem_size(f);
            at
        })
        .collect()
}

/// `flatten_type(t)` with a 32-bit memory.
pub fn flatten(t: &ValType) -> Vec<Core> {
    match t {
        ValType::Bool
        | ValType::S8
        | ValType::U8
        | ValType::S16
        | ValType::U16
        | ValType::S32
        | ValType::U32
        | ValType::Char
        | ValType::Flags(_) => vec![Core::I32],
        ValType::S64 | ValType::U64 => vec![Core::I64],
        ValType::F32 => vec![Core::F32],
        ValType::F64 => vec![Core::F64],
        ValType::String | ValType::List(_, None) | ValType::Map(..) => vec![Core::I32, Core::I32],
        ValType::List(t, Some(n)) => flatten(t).repeat(*n as usize),
        _ => {
            if let Some(fs) = fields(t) {
                fs.into_iter().flat_map(flatten).collect()
            } else if let Some(cs) = cases(t) {
                let mut flat: Vec<Core> = Vec::new();
                for c in cs.into_iter().flatten() {
                    for (i, ft) in flatten(c).into_iter().enumerate() {
                        match flat.get_mut(i) {
                            Some(have) => *have = join(*have, ft),
                            None => flat.push(ft),
                        }
                    }
                }
                let mut out = vec![Core::I32];
                out.extend(flat);
                out
            } else {
                vec![Core::I32]
            }
        }
    }
}

/// `join`.
fn join(a: Core, b: Core) -> Core {
    match (a, b) {
        _ if a == b => a,
        (Core::I32, Core::F32) | (Core::F32, Core::I32) => Core::I32,
        _ => Core::I64,
    }
}

/// `flatten_types`.
pub fn flatten_all(ts: &[ValType]) -> Vec<Core> {
    ts.iter().flat_map(flatten).collect()
}

/// `MAX_FLAT_PARAMS`, `MAX_FLAT_RESULTS`.
pub const MAX_FLAT_PARAMS: usize = 16;
pub const MAX_FLAT_RESULTS: usize = 1;
