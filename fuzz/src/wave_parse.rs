//! Robustness of WAVE: any text read against any component value type, the
//! way `witness run --invoke 'f(ARGS)'` reads its arguments
//! ([`witness::wave`]), gives values or an error, never a panic or a hang.
//! And what parses comes back: the parsed value, converted to a component
//! value and back and printed, parses again to the same text.
//!
//! The first byte picks the text: the raw bytes (lossy UTF-8), a soup of
//! WAVE's lexemes and the type's labels, the printed form of a value of the
//! type (which must parse), or that form with a few byte mutations; and
//! whether labels are valid kebab-case names or any text.

use crate::values::{self, Shape};
use crate::{mutate, stats};
use arbitrary::{Result, Unstructured};
use wasm_wave::untyped::UntypedFuncCall;
use wasm_wave::value::Value;
use witness::component::ValType;
use witness::wave::{call_args, from_wave, to_wave, wave_type};

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut u = Unstructured::new(rest);
    let shape = Shape {
        valid_labels: mode & 4 == 0,
        maps: true,
        fixed_lists: true,
        async_types: true,
        max_depth: 4,
    };
    let Ok(t) = values::val_type(&mut u, &shape, 0) else {
        return;
    };
    let printed = print_value(&mut u, &t, shape.valid_labels);
    let text = match (mode % 4, &printed) {
        (0, _) => String::from_utf8_lossy(u.take_rest()).into_owned(),
        (2, Some(p)) => p.clone(),
        (3, Some(p)) => {
            let mut bytes = p.clone().into_bytes();
            mutate::mutate(&mut bytes, &mut u, 3);
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => match soup(&mut u, &t) {
            Ok(s) => s,
            Err(_) => return,
        },
    };
    let parsed = typed(&text, &t, shape.valid_labels);
    if mode % 4 == 2
        && shape.valid_labels
        && let Some(p) = &printed
    {
        assert_eq!(
            parsed.as_deref(),
            Some(p.as_str()),
            "a printed value of {t:?} does not read back: {p}"
        );
    }
    call(&text, &t);
}

/// A value of `t` printed as WAVE, when `t` has values WAVE can write
/// (the way `witness run` prints a result: it must print when `t` is a
/// valid type).
fn print_value(u: &mut Unstructured<'_>, t: &ValType, valid: bool) -> Option<String> {
    wave_type(t)?;
    let v = values::value(u, t).ok()?;
    let wave = match to_wave(&v, t) {
        Ok(w) => w,
        Err(e) if valid => panic!("{v:?} of {t:?} does not print: {e}"),
        Err(_) => return None,
    };
    wasm_wave::to_string(&wave).ok()
}

/// Reads `text` as a value of `t` and, if it reads, converts it to a
/// component value and back and prints it: that text reads again to the
/// same when `t` is a valid type (`valid`: its labels are unique). Returns
/// the printed form.
fn typed(text: &str, t: &ValType, valid: bool) -> Option<String> {
    let Some(wt) = wave_type(t) else {
        stats::count("type WAVE cannot write");
        return None;
    };
    let v: Value = match wasm_wave::from_str(&wt, text) {
        Ok(v) => v,
        Err(e) => {
            let _ = e.to_string();
            stats::count("typed: rejected");
            return None;
        }
    };
    let val = match from_wave(&v, t) {
        Ok(val) => val,
        Err(_) => {
            stats::count("typed: not a value of the type");
            return None;
        }
    };
    stats::count("typed: read");
    let back = to_wave(&val, t)
        .unwrap_or_else(|e| panic!("{val:?} of {t:?} reads but does not print: {e}"));
    let printed = wasm_wave::to_string(&back)
        .unwrap_or_else(|e| panic!("{val:?} of {t:?} reads but does not print: {e}"));
    if !valid {
        return Some(printed);
    }
    let again: Value = wasm_wave::from_str(&wt, &printed).unwrap_or_else(|e| {
        panic!("{text:?} reads, prints as {printed:?}, which does not read: {e}")
    });
    let reprinted = wasm_wave::to_string(&again).unwrap_or_default();
    assert_eq!(
        printed, reprinted,
        "reading {text:?} as {t:?} is not a fixed point"
    );
    Some(printed)
}

/// Reads `f(TEXT)` as `witness run --invoke` does, `f` taking one parameter
/// of `t`.
fn call(text: &str, t: &ValType) {
    let source = format!("f({text})");
    let Ok(call) = UntypedFuncCall::parse(&source) else {
        stats::count("call: rejected");
        return;
    };
    match call_args(&call, &[("p".into(), t.clone())]) {
        Ok(_) => stats::count("call: read"),
        Err(_) => stats::count("call: not values of the parameters"),
    }
}

/// A soup of WAVE's lexemes and `t`'s labels.
fn soup(u: &mut Unstructured<'_>, t: &ValType) -> Result<String> {
    const LEXEMES: &[&str] = &[
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        ",",
        ":",
        " ",
        "\n",
        "true",
        "false",
        "some(",
        "none",
        "ok(",
        "err(",
        "nan",
        "inf",
        "-inf",
        "-0",
        "0",
        "1",
        "-1",
        "255",
        "65536",
        "1e10",
        "-1.5e-3",
        "0x10",
        "'a'",
        "'\\''",
        "'\\u{10ffff}'",
        "'\\u{d800}'",
        "\"\"",
        "\"a\\nb\"",
        "\"\\u{0}\"",
        "\"\"\"\nx\n\"\"\"",
        "%",
        "%true",
        "//c\n",
        "\\",
        "\"",
        "'",
    ];
    let mut labels = Vec::new();
    collect_labels(t, &mut labels);
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=40)? {
        if !labels.is_empty() && u.ratio(1, 4)? {
            s.push_str(u.choose(&labels)?);
        } else {
            s.push_str(u.choose(LEXEMES)?);
        }
    }
    Ok(s)
}

fn collect_labels(t: &ValType, out: &mut Vec<String>) {
    match t {
        ValType::Record(fs) => {
            for f in fs {
                out.push(f.label.clone());
                collect_labels(&f.t, out);
            }
        }
        ValType::Variant(cs) => {
            for c in cs {
                out.push(c.label.clone());
                if let Some(t) = &c.t {
                    collect_labels(t, out);
                }
            }
        }
        ValType::Enum(ls) | ValType::Flags(ls) => out.extend(ls.iter().cloned()),
        ValType::List(t, _) | ValType::Option(t) => collect_labels(t, out),
        ValType::Tuple(ts) => ts.iter().for_each(|t| collect_labels(t, out)),
        ValType::Result(ok, err) => {
            for t in [ok, err].into_iter().flatten() {
                collect_labels(t, out);
            }
        }
        ValType::Map(k, v) => {
            collect_labels(k, out);
            collect_labels(v, out);
        }
        _ => {}
    }
}
