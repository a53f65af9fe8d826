//! Component value types and values of them, from `arbitrary`: for the WAVE
//! target (text against a type) and the Canonical ABI differential (values
//! passed across a component boundary).
//!
//! Types come in witness's form ([`ValType`]) and values in the form the
//! embedding API takes and returns ([`Val`]: a tuple is a record labelled
//! `0`, `1`, ...; an enum, option or result a variant; a map a list of
//! `(key, value)` records).

use arbitrary::{Result, Unstructured};
use witness::component::{CaseType, FieldType, StringValue, Val, ValType};

/// What [`val_type`] may build.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Labels are unique kebab-case names (some of them WAVE keywords);
    /// otherwise any text, duplicates too (what a type WAVE is handed by a
    /// buggy caller might hold).
    pub valid_labels: bool,
    /// `map<k, v>` 🗺️.
    pub maps: bool,
    /// Fixed-length lists 🔧.
    pub fixed_lists: bool,
    /// `error-context`, `stream` and `future` (no values are made of them).
    pub async_types: bool,
    /// How deep types nest.
    pub max_depth: u32,
}

/// Labels that are valid kebab-case names, among them words that WAVE
/// reserves (so they print as `%true` and the like).
const LABELS: &[&str] = &[
    "a", "b", "c", "x", "y", "z", "ok", "err", "error", "none", "some", "true", "false", "inf",
    "nan", "f0", "the-end", "ABC", "a1-b2", "abc-DEF", "Z9",
];

/// `n` labels: unique valid ones, or any text under `shape`.
fn labels(u: &mut Unstructured<'_>, shape: &Shape, n: usize) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let l = if shape.valid_labels || u.ratio(3, 4)? {
            let base = *u.choose(LABELS)?;
            if out.iter().any(|o| o == base) {
                format!("{base}-{}", out.len())
            } else {
                base.to_string()
            }
        } else {
            u.arbitrary::<&str>()?.to_string()
        };
        if shape.valid_labels && out.contains(&l) {
            continue;
        }
        out.push(l);
    }
    Ok(out)
}

/// A component value type.
pub fn val_type(u: &mut Unstructured<'_>, shape: &Shape, depth: u32) -> Result<ValType> {
    const PRIMITIVES: &[ValType] = &[
        ValType::Bool,
        ValType::S8,
        ValType::U8,
        ValType::S16,
        ValType::U16,
        ValType::S32,
        ValType::U32,
        ValType::S64,
        ValType::U64,
        ValType::F32,
        ValType::F64,
        ValType::Char,
        ValType::String,
    ];
    if depth >= shape.max_depth || u.ratio(2, 5)? {
        return Ok(u.choose(PRIMITIVES)?.clone());
    }
    let inner = |u: &mut Unstructured<'_>| val_type(u, shape, depth + 1).map(Box::new);
    Ok(match u.int_in_range(0..=11u8)? {
        0 => ValType::List(inner(u)?, None),
        1 if shape.fixed_lists => ValType::List(inner(u)?, Some(u.int_in_range(1..=4)?)),
        2 => {
            let n = u.int_in_range(1..=4)?;
            let ls = labels(u, shape, n)?;
            ValType::Record(
                ls.into_iter()
                    .map(|label| {
                        Ok(FieldType {
                            label,
                            t: val_type(u, shape, depth + 1)?,
                        })
                    })
                    .collect::<Result<_>>()?,
            )
        }
        3 => {
            let n = u.int_in_range(1..=4)?;
            ValType::Tuple(
                (0..n)
                    .map(|_| val_type(u, shape, depth + 1))
                    .collect::<Result<_>>()?,
            )
        }
        4 => {
            let n = u.int_in_range(1..=5)?;
            let ls = labels(u, shape, n)?;
            let mut cases = Vec::new();
            for label in ls {
                let t = if u.arbitrary()? {
                    Some(val_type(u, shape, depth + 1)?)
                } else {
                    None
                };
                cases.push(CaseType { label, t });
            }
            ValType::Variant(cases)
        }
        5 => {
            let n = u.int_in_range(1..=6)?;
            ValType::Enum(labels(u, shape, n)?)
        }
        6 => ValType::Option(inner(u)?),
        7 => {
            let ok = if u.arbitrary()? {
                Some(inner(u)?)
            } else {
                None
            };
            let err = if u.arbitrary()? {
                Some(inner(u)?)
            } else {
                None
            };
            ValType::Result(ok, err)
        }
        8 => {
            // Mostly a few flags; sometimes past one byte, two bytes.
            let n = match u.int_in_range(0..=3u8)? {
                0 => u.int_in_range(9..=32)?,
                _ => u.int_in_range(1..=8)?,
            };
            ValType::Flags(labels(u, shape, n)?)
        }
        9 if shape.maps => {
            const KEYS: &[ValType] = &[
                ValType::Bool,
                ValType::S8,
                ValType::U16,
                ValType::S32,
                ValType::U64,
                ValType::Char,
                ValType::String,
            ];
            ValType::Map(Box::new(u.choose(KEYS)?.clone()), inner(u)?)
        }
        10 if shape.async_types => match u.int_in_range(0..=2u8)? {
            0 => ValType::ErrorContext,
            1 => ValType::Stream(None),
            _ => ValType::Future(None),
        },
        _ => u.choose(PRIMITIVES)?.clone(),
    })
}

/// A `char`: ASCII, Latin-1, the rest of the BMP or beyond, so that every
/// string encoding's paths are taken.
fn char(u: &mut Unstructured<'_>) -> Result<char> {
    let c = match u.int_in_range(0..=3u8)? {
        0 => u.int_in_range(0..=0x7f)?,
        1 => u.int_in_range(0x80..=0xff)?,
        2 => u.int_in_range(0x100..=0xffff)?,
        _ => u.int_in_range(0x1_0000..=0x10_ffff)?,
    };
    Ok(char::from_u32(c).unwrap_or('\u{fffd}'))
}

/// A string of `char`s as [`char`] draws them; sometimes Latin-1 only (the
/// `latin1+utf16` encoding's compact form).
pub fn string(u: &mut Unstructured<'_>) -> Result<String> {
    let n = u.int_in_range(0..=12)?;
    let latin1 = u.arbitrary()?;
    (0..n)
        .map(|_| {
            if latin1 {
                Ok(char::from(u.arbitrary::<u8>()?))
            } else {
                char(u)
            }
        })
        .collect()
}

/// A value of `t` (which has none of the types [`Shape::async_types`] adds).
pub fn value(u: &mut Unstructured<'_>, t: &ValType) -> Result<Val> {
    Ok(match t {
        ValType::Bool => Val::Bool(u.arbitrary()?),
        ValType::S8 => Val::S8(u.arbitrary()?),
        ValType::U8 => Val::U8(u.arbitrary()?),
        ValType::S16 => Val::S16(u.arbitrary()?),
        ValType::U16 => Val::U16(u.arbitrary()?),
        ValType::S32 => Val::S32(u.arbitrary()?),
        ValType::U32 => Val::U32(u.arbitrary()?),
        ValType::S64 => Val::S64(u.arbitrary()?),
        ValType::U64 => Val::U64(u.arbitrary()?),
        ValType::F32 => Val::F32(f32::from_bits(u.arbitrary()?)),
        ValType::F64 => Val::F64(f64::from_bits(u.arbitrary()?)),
        ValType::Char => Val::Char(char(u)?),
        ValType::String => Val::String(StringValue::from_host(string(u)?)),
        ValType::List(t, n) => {
            let n = match n {
                Some(n) => *n,
                None => u.int_in_range(0..=4)?,
            };
            Val::List((0..n).map(|_| value(u, t)).collect::<Result<_>>()?)
        }
        ValType::Record(fs) => Val::Record(
            fs.iter()
                .map(|f| Ok((f.label.clone(), value(u, &f.t)?)))
                .collect::<Result<_>>()?,
        ),
        ValType::Tuple(ts) => Val::Record(
            ts.iter()
                .enumerate()
                .map(|(i, t)| Ok((i.to_string(), value(u, t)?)))
                .collect::<Result<_>>()?,
        ),
        ValType::Variant(cs) => {
            let c = u.choose(cs)?;
            let p = match &c.t {
                Some(t) => Some(Box::new(value(u, t)?)),
                None => None,
            };
            Val::Variant(c.label.clone(), p)
        }
        ValType::Enum(ls) => Val::Variant(u.choose(ls)?.clone(), None),
        ValType::Option(t) => {
            if u.arbitrary()? {
                Val::Variant("some".into(), Some(Box::new(value(u, t)?)))
            } else {
                Val::Variant("none".into(), None)
            }
        }
        ValType::Result(ok, err) => {
            let (label, t) = if u.arbitrary()? {
                ("ok", ok)
            } else {
                ("error", err)
            };
            let p = match t {
                Some(t) => Some(Box::new(value(u, t)?)),
                None => None,
            };
            Val::Variant(label.into(), p)
        }
        ValType::Flags(ls) => Val::Flags(
            ls.iter()
                .map(|l| Ok((l.clone(), u.arbitrary()?)))
                .collect::<Result<_>>()?,
        ),
        ValType::Map(k, v) => {
            // Distinct keys: a map with duplicates may be deduplicated by
            // bindings (Explainer.md "Specialized value types").
            let n = u.int_in_range(0..=4)?;
            let mut entries: Vec<Val> = Vec::new();
            let mut keys: Vec<Val> = Vec::new();
            for _ in 0..n {
                let key = value(u, k)?;
                if keys.contains(&key) {
                    continue;
                }
                keys.push(key.clone());
                entries.push(Val::Record(vec![
                    ("0".into(), key),
                    ("1".into(), value(u, v)?),
                ]));
            }
            Val::List(entries)
        }
        ValType::ErrorContext
        | ValType::Stream(_)
        | ValType::Future(_)
        | ValType::Own(_)
        | ValType::Borrow(_) => return Err(arbitrary::Error::IncorrectFormat),
    })
}
