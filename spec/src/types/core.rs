//! Core types in components (Explainer.md "Type Definitions":
//! `core:moduletype`; Binary.md "Type Definitions") and core import
//! matching (the core spec's "Import Subtyping", which `instantiate` uses).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

pub use wasmparser::{FuncType as CoreFuncType, GlobalType, MemoryType, TableType};

/// `core:externtype` with resolved function types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreExtern {
    /// `func`.
    Func(CoreFuncType),
    /// `table`.
    Table(TableType),
    /// `memory`.
    Memory(MemoryType),
    /// `global`.
    Global(GlobalType),
    /// `tag` (its function type).
    Tag(CoreFuncType),
}

impl CoreExtern {
    /// The sort's keyword.
    pub fn desc(&self) -> &'static str {
        match self {
            CoreExtern::Func(_) => "func",
            CoreExtern::Table(_) => "table",
            CoreExtern::Memory(_) => "memory",
            CoreExtern::Global(_) => "global",
            CoreExtern::Tag(_) => "tag",
        }
    }
}

/// `core:moduletype`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleType {
    /// `(import <module> <name> <externtype>)`, in order.
    pub imports: Vec<(String, String, CoreExtern)>,
    /// `(export <name> <externtype>)`, in order.
    pub exports: Vec<(String, CoreExtern)>,
}

/// The type of a core module instance: its exports.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoreInstanceType {
    /// The exports, in order.
    pub exports: Vec<(String, CoreExtern)>,
}

fn limits_match(
    what: &str,
    a_min: u64,
    a_max: Option<u64>,
    b_min: u64,
    b_max: Option<u64>,
) -> Result<(), String> {
    let ok = a_min >= b_min
        && match (a_max, b_max) {
            (_, None) => true,
            (Some(a), Some(b)) => a <= b,
            (None, Some(_)) => false,
        };
    if ok {
        Ok(())
    } else {
        Err(format!("mismatch in {what} limits"))
    }
}

/// Whether the actual core extern `a` matches the expected `b`.
///
/// # Errors
///
/// The reason it does not, worded like the reference tests.
pub fn core_extern_matches(a: &CoreExtern, b: &CoreExtern) -> Result<(), String> {
    match (a, b) {
        (CoreExtern::Func(a), CoreExtern::Func(b)) | (CoreExtern::Tag(a), CoreExtern::Tag(b)) => {
            if a == b {
                Ok(())
            } else {
                Err(String::from("type mismatch"))
            }
        }
        (CoreExtern::Table(a), CoreExtern::Table(b)) => {
            if a.element_type != b.element_type || a.table64 != b.table64 || a.shared != b.shared {
                return Err(String::from("mismatch in table limits"));
            }
            limits_match("table", a.initial, a.maximum, b.initial, b.maximum)
        }
        (CoreExtern::Memory(a), CoreExtern::Memory(b)) => {
            if a.shared != b.shared {
                return Err(String::from("mismatch in the shared flag for memories"));
            }
            if a.memory64 != b.memory64 {
                return Err(String::from("mismatch in index type used for memories"));
            }
            if a.page_size_log2 != b.page_size_log2 {
                return Err(String::from("mismatch in page size for memories"));
            }
            limits_match("memory", a.initial, a.maximum, b.initial, b.maximum)
        }
        (CoreExtern::Global(a), CoreExtern::Global(b)) => {
            if a.mutable != b.mutable {
                return Err(String::from("global types differ in mutability"));
            }
            if a.content_type != b.content_type {
                return Err(String::from("global types differ in content type"));
            }
            Ok(())
        }
        _ => Err(format!("expected {}, found {}", b.desc(), a.desc())),
    }
}

/// Module subtyping (Explainer.md "Type Checking"): `a` imports less and
/// exports more than `b`.
///
/// # Errors
///
/// The first import or export that does not match.
pub fn module_subtype(a: &ModuleType, b: &ModuleType) -> Result<(), String> {
    for (m, n, at) in &a.imports {
        let Some((_, _, bt)) = b.imports.iter().find(|(bm, bn, _)| bm == m && bn == n) else {
            return Err(format!(
                "module instantiation argument `{m}` does not export an item named `{n}`"
            ));
        };
        core_extern_matches(bt, at)
            .map_err(|e| format!("type mismatch in import `{m}::{n}`: {e}"))?;
    }
    for (n, bt) in &b.exports {
        let Some((_, at)) = a.exports.iter().find(|(an, _)| an == n) else {
            return Err(format!("missing expected export `{n}`"));
        };
        core_extern_matches(at, bt).map_err(|e| format!("type mismatch in export `{n}`: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(initial: u64, maximum: Option<u64>, shared: bool) -> CoreExtern {
        CoreExtern::Memory(MemoryType {
            memory64: false,
            shared,
            initial,
            maximum,
            page_size_log2: None,
        })
    }

    #[test]
    fn memory_limits_subsume() {
        assert!(core_extern_matches(&mem(2, Some(3), false), &mem(1, Some(4), false)).is_ok());
        assert_eq!(
            core_extern_matches(&mem(1, None, false), &mem(1, Some(4), false)),
            Err(String::from("mismatch in memory limits"))
        );
        assert_eq!(
            core_extern_matches(&mem(1, Some(2), true), &mem(1, Some(2), false)),
            Err(String::from("mismatch in the shared flag for memories"))
        );
    }
}
