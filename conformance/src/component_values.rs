//! Component values of `.wast` scripts (the `wast` crate's `WastVal`:
//! `(str.const ...)`, `(record.const ...)`, ...) as witness's component
//! values, typed by the function they are passed to or returned from.

use wast::component::WastVal;
use wast::core::{WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};
use witness_interp::component::{StringValue, Val, ValType};

/// A script argument as a value of type `t`.
///
/// # Errors
/// A value that does not fit the type.
pub fn arg(a: &WastArg<'_>, t: &ValType) -> Result<Val, String> {
    match a {
        WastArg::Component(v) => val(v, t),
        WastArg::Core(c) => core_arg(c, t),
        #[allow(unreachable_patterns)]
        _ => Err("unsupported argument".into()),
    }
}

/// A core-looking constant (`(f32.const 1)` parses as core at the top
/// level) as a value of type `t`.
fn core_arg(c: &WastArgCore<'_>, t: &ValType) -> Result<Val, String> {
    Ok(match (c, t) {
        (WastArgCore::F32(f), ValType::F32) => Val::F32(f32::from_bits(f.bits)),
        (WastArgCore::F64(f), ValType::F64) => Val::F64(f64::from_bits(f.bits)),
        (WastArgCore::I32(i), ValType::U32) => Val::U32(*i as u32),
        (WastArgCore::I32(i), ValType::S32) => Val::S32(*i),
        (WastArgCore::I64(i), ValType::U64) => Val::U64(*i as u64),
        (WastArgCore::I64(i), ValType::S64) => Val::S64(*i),
        _ => return Err(format!("a core argument for a {t:?}")),
    })
}

/// An expected result as a value of type `t`.
///
/// # Errors
/// A value that does not fit the type.
pub fn ret(r: &WastRet<'_>, t: &ValType) -> Result<Val, String> {
    match r {
        WastRet::Component(v) => val(v, t),
        WastRet::Core(WastRetCore::F32(wast::core::NanPattern::Value(f))) if *t == ValType::F32 => {
            Ok(Val::F32(f32::from_bits(f.bits)))
        }
        WastRet::Core(WastRetCore::F64(wast::core::NanPattern::Value(f))) if *t == ValType::F64 => {
            Ok(Val::F64(f64::from_bits(f.bits)))
        }
        WastRet::Core(WastRetCore::F32(_)) if *t == ValType::F32 => Ok(Val::F32(f32::NAN)),
        WastRet::Core(WastRetCore::F64(_)) if *t == ValType::F64 => Ok(Val::F64(f64::NAN)),
        WastRet::Core(WastRetCore::I32(i)) if *t == ValType::U32 => Ok(Val::U32(*i as u32)),
        WastRet::Core(WastRetCore::I32(i)) if *t == ValType::S32 => Ok(Val::S32(*i)),
        WastRet::Core(WastRetCore::I64(i)) if *t == ValType::U64 => Ok(Val::U64(*i as u64)),
        WastRet::Core(WastRetCore::I64(i)) if *t == ValType::S64 => Ok(Val::S64(*i)),
        _ => Err(format!("an unsupported expected result for a {t:?}")),
    }
}

/// A `WastVal` as a value of type `t`.
///
/// # Errors
/// A value that does not fit the type.
pub fn val(v: &WastVal<'_>, t: &ValType) -> Result<Val, String> {
    let mismatch = || Err(format!("{v:?} is not a value of type {t:?}"));
    Ok(match (v, t) {
        (WastVal::Bool(b), ValType::Bool) => Val::Bool(*b),
        (WastVal::U8(i), ValType::U8) => Val::U8(*i),
        (WastVal::S8(i), ValType::S8) => Val::S8(*i),
        (WastVal::U16(i), ValType::U16) => Val::U16(*i),
        (WastVal::S16(i), ValType::S16) => Val::S16(*i),
        (WastVal::U32(i), ValType::U32) => Val::U32(*i),
        (WastVal::S32(i), ValType::S32) => Val::S32(*i),
        (WastVal::U64(i), ValType::U64) => Val::U64(*i),
        (WastVal::S64(i), ValType::S64) => Val::S64(*i),
        (WastVal::F32(f), ValType::F32) => Val::F32(f32::from_bits(f.bits)),
        (WastVal::F64(f), ValType::F64) => Val::F64(f64::from_bits(f.bits)),
        (WastVal::Char(c), ValType::Char) => Val::Char(*c),
        (WastVal::String(s), ValType::String) => Val::String(StringValue::from_host(*s)),
        (WastVal::List(vs), ValType::List(t, n)) => {
            if n.is_some_and(|n| n as usize != vs.len()) {
                return mismatch();
            }
            Val::List(vs.iter().map(|v| val(v, t)).collect::<Result<_, _>>()?)
        }
        (WastVal::Record(fs), ValType::Record(fts)) => {
            if fs.len() != fts.len() {
                return mismatch();
            }
            let mut out = Vec::new();
            for ft in fts {
                let Some((_, v)) = fs.iter().find(|(l, _)| *l == ft.label) else {
                    return mismatch();
                };
                out.push((ft.label.clone(), val(v, &ft.t)?));
            }
            Val::Record(out)
        }
        (WastVal::Tuple(vs), ValType::Tuple(ts)) if vs.len() == ts.len() => Val::Record(
            vs.iter()
                .zip(ts)
                .enumerate()
                .map(|(i, (v, t))| Ok((i.to_string(), val(v, t)?)))
                .collect::<Result<_, String>>()?,
        ),
        (WastVal::Variant(l, p), ValType::Variant(cases)) => {
            let Some(case) = cases.iter().find(|c| c.label == *l) else {
                return mismatch();
            };
            let p = match (p, &case.t) {
                (None, None) => None,
                (Some(p), Some(t)) => Some(Box::new(val(p, t)?)),
                _ => return mismatch(),
            };
            Val::Variant(l.to_string(), p)
        }
        (WastVal::Enum(l), ValType::Enum(labels)) if labels.iter().any(|x| x == l) => {
            Val::Variant(l.to_string(), None)
        }
        (WastVal::Option(None), ValType::Option(_)) => Val::Variant("none".into(), None),
        (WastVal::Option(Some(v)), ValType::Option(t)) => {
            Val::Variant("some".into(), Some(Box::new(val(v, t)?)))
        }
        (WastVal::Result(r), ValType::Result(ok, err)) => {
            let (label, p, t) = match r {
                Ok(p) => ("ok", p, ok),
                Err(p) => ("error", p, err),
            };
            let p = match (p, t) {
                (None, None) => None,
                (Some(p), Some(t)) => Some(Box::new(val(p, t)?)),
                _ => return mismatch(),
            };
            Val::Variant(label.into(), p)
        }
        (WastVal::Flags(set), ValType::Flags(labels)) => {
            if set.iter().any(|s| !labels.iter().any(|l| l == s)) {
                return mismatch();
            }
            Val::Flags(
                labels
                    .iter()
                    .map(|l| (l.clone(), set.iter().any(|s| s == l)))
                    .collect(),
            )
        }
        _ => return mismatch(),
    })
}

/// Whether two values are the same: strings by their text, floats by
/// their bits (any NaN matching any NaN).
pub fn same(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::String(a), Val::String(b)) => a.s == b.s,
        (Val::F32(a), Val::F32(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
        (Val::F64(a), Val::F64(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
        (Val::List(a), Val::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Val::Record(a), Val::Record(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((la, a), (lb, b))| la == lb && same(a, b))
        }
        (Val::Variant(la, a), Val::Variant(lb, b)) => {
            la == lb
                && match (a, b) {
                    (None, None) => true,
                    (Some(a), Some(b)) => same(a, b),
                    _ => false,
                }
        }
        _ => a == b,
    }
}
