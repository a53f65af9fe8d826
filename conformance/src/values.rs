//! Script values: arguments (`(i32.const 1)`) to [`Val`]s, and results
//! checked against expected patterns (`(f32.const nan:canonical)`,
//! `(ref.extern)`, `(either ...)`), as the reference interpreter's script
//! runner matches them.

use std::fmt::Write as _;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};
use witness_interp::core_wasm::Val;

/// Converts script arguments to values.
///
/// # Errors
///
/// A message for arguments witness cannot represent (GC and host
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
        WastArgCore::V128(c) => Val::V128(u128::from_le_bytes(c.to_le_bytes())),
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
        if !matches(v, e) {
            return Err(format!(
                "result {i}: expected {}, got {}",
                ret_core_to_string(e),
                val_to_string(v, e)
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
        (WastRetCore::V128(e), Val::V128(bits)) => v128_matches(*bits, e),
        (WastRetCore::Either(cases), v) => cases.iter().any(|c| matches(v, c)),
        _ => false,
    }
}

/// Whether a `v128` matches a pattern lane by lane: integer lanes by
/// their bits (a script may write them signed or unsigned), float lanes
/// as [`matches`] compares floats, NaN patterns included.
fn v128_matches(bits: u128, e: &V128Pattern) -> bool {
    let lane = |width: u32, i: usize| (bits >> (width as usize * i)) as u64;
    match e {
        V128Pattern::I8x16(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(8, i) as u8 == *x as u8),
        V128Pattern::I16x8(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(16, i) as u16 == *x as u16),
        V128Pattern::I32x4(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(32, i) as u32 == *x as u32),
        V128Pattern::I64x2(e) => e.iter().enumerate().all(|(i, x)| lane(64, i) == *x as u64),
        V128Pattern::F32x4(e) => e
            .iter()
            .enumerate()
            .all(|(i, p)| matches(&Val::F32(lane(32, i) as u32), &WastRetCore::F32(*p))),
        V128Pattern::F64x2(e) => e
            .iter()
            .enumerate()
            .all(|(i, p)| matches(&Val::F64(lane(64, i)), &WastRetCore::F64(*p))),
    }
}

/// A `v128` in the text format's notation, in the lane shape of `shape`.
fn v128_to_string(bits: u128, shape: &V128Pattern) -> String {
    let lanes = |width: u32, f: &dyn Fn(u64) -> String| {
        (0..128 / width as usize)
            .map(|i| f((bits >> (width as usize * i)) as u64))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match shape {
        V128Pattern::I8x16(_) => format!("i8x16 {}", lanes(8, &|x| (x as i8).to_string())),
        V128Pattern::I16x8(_) => format!("i16x8 {}", lanes(16, &|x| (x as i16).to_string())),
        V128Pattern::I32x4(_) => format!("i32x4 {}", lanes(32, &|x| (x as i32).to_string())),
        V128Pattern::I64x2(_) => format!("i64x2 {}", lanes(64, &|x| (x as i64).to_string())),
        V128Pattern::F32x4(_) => {
            format!("f32x4 {}", lanes(32, &|x| float_lane(Val::F32(x as u32))))
        }
        V128Pattern::F64x2(_) => format!("f64x2 {}", lanes(64, &|x| float_lane(Val::F64(x)))),
    }
}

/// A float lane as the text format writes it: `1.5`, `-0.0`, `inf`,
/// `nan` (canonical), `-nan:0x1`.
fn float_lane(v: Val) -> String {
    let (negative, payload, canonical) = match v {
        Val::F32(b) => {
            let f = f32::from_bits(b);
            if !f.is_nan() {
                return format!("{f:?}");
            }
            (b >> 31 != 0, u64::from(b & 0x7f_ffff), 0x40_0000)
        }
        Val::F64(b) => {
            let f = f64::from_bits(b);
            if !f.is_nan() {
                return format!("{f:?}");
            }
            (b >> 63 != 0, b & 0xf_ffff_ffff_ffff, 1 << 51)
        }
        other => return other.to_string(),
    };
    let sign = if negative { "-" } else { "" };
    if payload == canonical {
        format!("{sign}nan")
    } else {
        format!("{sign}nan:0x{payload:x}")
    }
}

/// An actual value, a `v128` in the shape of the expected one.
fn val_to_string(v: &Val, e: &WastRetCore<'_>) -> String {
    let shape = match e {
        WastRetCore::V128(p) => Some(p),
        WastRetCore::Either(cases) => cases.iter().find_map(|c| match c {
            WastRetCore::V128(p) => Some(p),
            _ => None,
        }),
        _ => None,
    };
    match (v, shape) {
        (Val::V128(bits), Some(p)) => format!("(v128.const {})", v128_to_string(*bits, p)),
        _ => v.to_string(),
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
        WastRetCore::V128(p) => format!("(v128.const {})", v128_pattern_to_string(p)),
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

/// A `v128` pattern as the script writes it.
fn v128_pattern_to_string(p: &V128Pattern) -> String {
    fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
        items.iter().map(f).collect::<Vec<_>>().join(" ")
    }
    fn nan<T>(p: &NanPattern<T>, value: impl Fn(&T) -> String) -> String {
        match p {
            NanPattern::CanonicalNan => "nan:canonical".to_string(),
            NanPattern::ArithmeticNan => "nan:arithmetic".to_string(),
            NanPattern::Value(v) => value(v),
        }
    }
    match p {
        V128Pattern::I8x16(l) => format!("i8x16 {}", join(l, i8::to_string)),
        V128Pattern::I16x8(l) => format!("i16x8 {}", join(l, i16::to_string)),
        V128Pattern::I32x4(l) => format!("i32x4 {}", join(l, i32::to_string)),
        V128Pattern::I64x2(l) => format!("i64x2 {}", join(l, i64::to_string)),
        V128Pattern::F32x4(l) => format!(
            "f32x4 {}",
            join(l, |p| nan(p, |v| float_lane(Val::F32(v.bits))))
        ),
        V128Pattern::F64x2(l) => format!(
            "f64x2 {}",
            join(l, |p| nan(p, |v| float_lane(Val::F64(v.bits))))
        ),
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
