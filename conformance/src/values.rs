//! Script values: arguments (`(i32.const 1)`) to [`Val`]s, and results
//! checked against expected patterns (`(f32.const nan:canonical)`,
//! `(ref.extern)`, `(either ...)`), as the reference interpreter's script
//! runner matches them.

use std::fmt::Write as _;
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};
use witness_interp::core_wasm::Val;

/// The message of every assertion on a `v128` value until SIMD is supported.
pub const V128_UNSUPPORTED: &str = "v128 values are not supported yet";

/// Converts script arguments to values.
///
/// # Errors
///
/// A message for arguments witness cannot represent (v128, GC and host
/// references, component values).
pub fn args(args: &[WastArg<'_>]) -> Result<Vec<Val>, String> {
    args.iter().map(arg).collect()
}

fn arg(arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(arg) = arg else {
        return Err("component values are not supported in core scripts".to_string());
    };
    Ok(match arg {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(_) => return Err(V128_UNSUPPORTED.to_string()),
        WastArgCore::RefNull(heap) => match null_kind(heap) {
            Some(RefKind::Func) => Val::FuncRef(None),
            Some(RefKind::Extern) => Val::ExternRef(None),
            None => return Err(format!("{} is not supported yet", heap_name(heap))),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(*n)),
        WastArgCore::RefHost(_) => return Err("host references are not supported yet".to_string()),
    })
}

/// The two reference types witness has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RefKind {
    Func,
    Extern,
}

/// Which witness reference type a null of `heap` is.
fn null_kind(heap: &HeapType<'_>) -> Option<RefKind> {
    match heap {
        HeapType::Abstract { shared: false, ty } => match ty {
            AbstractHeapType::Func | AbstractHeapType::NoFunc => Some(RefKind::Func),
            AbstractHeapType::Extern | AbstractHeapType::NoExtern => Some(RefKind::Extern),
            _ => None,
        },
        // A concrete type index: in a module witness runs, a function type.
        HeapType::Concrete(_) | HeapType::Exact(_) => Some(RefKind::Func),
        HeapType::Abstract { shared: true, .. } => None,
    }
}

fn heap_name(heap: &HeapType<'_>) -> String {
    match heap {
        HeapType::Abstract { shared, ty } => {
            let shared = if *shared { "shared " } else { "" };
            format!("ref.null {shared}{}", format!("{ty:?}").to_lowercase())
        }
        HeapType::Concrete(i) | HeapType::Exact(i) => format!("ref.null {i:?}"),
    }
}

/// Checks `actual` results against the `expected` patterns.
///
/// # Errors
///
/// A one-line description of the first mismatch.
pub fn check_results(actual: &[Val], expected: &[WastRet<'_>]) -> Result<(), String> {
    if actual.len() != expected.len() {
        return Err(format!(
            "expected {} results ({}), got {} ({})",
            expected.len(),
            list(expected.iter().map(ret_to_string)),
            actual.len(),
            list(actual.iter().map(Val::to_string)),
        ));
    }
    for (i, (v, e)) in actual.iter().zip(expected).enumerate() {
        let WastRet::Core(e) = e else {
            return Err("component values are not supported in core scripts".to_string());
        };
        if let WastRetCore::V128(_) = e {
            return Err(V128_UNSUPPORTED.to_string());
        }
        if !matches(v, e) {
            return Err(format!(
                "result {i}: expected {}, got {v}",
                ret_core_to_string(e)
            ));
        }
    }
    Ok(())
}

/// Whether `v` matches the pattern `e`.
fn matches(v: &Val, e: &WastRetCore<'_>) -> bool {
    match (e, v) {
        (WastRetCore::I32(e), Val::I32(v)) => e == v,
        (WastRetCore::I64(e), Val::I64(v)) => e == v,
        (WastRetCore::F32(e), Val::F32(bits)) => match e {
            NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
            NanPattern::Value(F32 { bits: e }) => e == bits,
        },
        (WastRetCore::F64(e), Val::F64(bits)) => match e {
            NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(F64 { bits: e }) => e == bits,
        },
        // `(ref.null)` without a type matches any null reference.
        (WastRetCore::RefNull(None), Val::FuncRef(None) | Val::ExternRef(None)) => true,
        (WastRetCore::RefNull(Some(heap)), Val::FuncRef(None)) => {
            null_kind(heap) == Some(RefKind::Func)
        }
        (WastRetCore::RefNull(Some(heap)), Val::ExternRef(None)) => {
            null_kind(heap) == Some(RefKind::Extern)
        }
        (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (WastRetCore::RefExtern(Some(e)), Val::ExternRef(Some(v))) => e == v,
        // The script cannot name a function address; any non-null funcref
        // matches, as in the reference interpreter.
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::Either(cases), v) => cases.iter().any(|c| matches(v, c)),
        _ => false,
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(" ")
}

fn ret_to_string(e: &WastRet<'_>) -> String {
    match e {
        WastRet::Core(e) => ret_core_to_string(e),
        _ => "<component value>".to_string(),
    }
}

/// An expected pattern as the script writes it.
fn ret_core_to_string(e: &WastRetCore<'_>) -> String {
    fn nan<T>(p: &NanPattern<T>, ty: &str, value: impl Fn(&T) -> String) -> String {
        match p {
            NanPattern::CanonicalNan => format!("({ty}.const nan:canonical)"),
            NanPattern::ArithmeticNan => format!("({ty}.const nan:arithmetic)"),
            NanPattern::Value(v) => format!("({ty}.const {})", value(v)),
        }
    }
    match e {
        WastRetCore::I32(v) => format!("(i32.const {v})"),
        WastRetCore::I64(v) => format!("(i64.const {v})"),
        WastRetCore::F32(p) => nan(p, "f32", |v| Val::F32(v.bits).to_string()),
        WastRetCore::F64(p) => nan(p, "f64", |v| Val::F64(v.bits).to_string()),
        WastRetCore::V128(_) => "(v128.const ...)".to_string(),
        WastRetCore::RefNull(None) => "(ref.null)".to_string(),
        WastRetCore::RefNull(Some(h)) => format!("({})", heap_name(h)),
        WastRetCore::RefExtern(None) => "(ref.extern)".to_string(),
        WastRetCore::RefExtern(Some(n)) => format!("(ref.extern {n})"),
        WastRetCore::RefHost(n) => format!("(ref.host {n})"),
        WastRetCore::RefFunc(None) => "(ref.func)".to_string(),
        WastRetCore::RefFunc(Some(i)) => format!("(ref.func {i:?})"),
        WastRetCore::RefAny => "(ref.any)".to_string(),
        WastRetCore::RefEq => "(ref.eq)".to_string(),
        WastRetCore::RefArray => "(ref.array)".to_string(),
        WastRetCore::RefStruct => "(ref.struct)".to_string(),
        WastRetCore::RefI31 => "(ref.i31)".to_string(),
        WastRetCore::RefI31Shared => "(ref.i31_shared)".to_string(),
        WastRetCore::Either(cases) => {
            let mut s = "(either".to_string();
            for c in cases {
                let _ = write!(s, " {}", ret_core_to_string(c));
            }
            s.push(')');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_patterns() {
        let canonical = WastRetCore::F32(NanPattern::CanonicalNan);
        let arithmetic = WastRetCore::F32(NanPattern::ArithmeticNan);
        assert!(matches(&Val::F32(0x7fc0_0000), &canonical));
        assert!(matches(&Val::F32(0xffc0_0000), &canonical));
        assert!(!matches(&Val::F32(0x7fc0_0001), &canonical));
        assert!(matches(&Val::F32(0x7fc0_0001), &arithmetic));
        assert!(!matches(&Val::F32(0x7fa0_0000), &arithmetic));
        assert!(!matches(&Val::F64(0x7ff8_0000_0000_0000), &canonical));
        let canonical = WastRetCore::F64(NanPattern::CanonicalNan);
        assert!(matches(&Val::F64(0xfff8_0000_0000_0000), &canonical));
        assert!(!matches(&Val::F64(0x7ff4_0000_0000_0000), &canonical));
    }

    #[test]
    fn reference_patterns() {
        assert!(matches(&Val::ExternRef(None), &WastRetCore::RefNull(None)));
        assert!(matches(&Val::FuncRef(None), &WastRetCore::RefNull(None)));
        assert!(!matches(
            &Val::ExternRef(Some(1)),
            &WastRetCore::RefNull(None)
        ));
        assert!(matches(
            &Val::ExternRef(Some(1)),
            &WastRetCore::RefExtern(None)
        ));
        assert!(matches(
            &Val::ExternRef(Some(1)),
            &WastRetCore::RefExtern(Some(1))
        ));
        assert!(!matches(
            &Val::ExternRef(Some(2)),
            &WastRetCore::RefExtern(Some(1))
        ));
        let either = WastRetCore::Either(vec![WastRetCore::I32(1), WastRetCore::I32(2)]);
        assert!(matches(&Val::I32(2), &either));
        assert!(!matches(&Val::I32(3), &either));
        assert!(!matches(&Val::I64(1), &either));
    }
}
