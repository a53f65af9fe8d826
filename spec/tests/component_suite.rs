//! The component-model reference tests, validated by witness-spec, with
//! wasmparser's component validator as a differential oracle.
//!
//! Reads `$WITNESS_SUITES/component-model` (skipped when unset, so that a
//! fresh clone's `cargo test` passes without the suites). Every component a
//! script expects to be valid must validate; every `assert_invalid` and
//! `assert_malformed` must be rejected; witness and wasmparser must agree on
//! accept/reject except for the disagreements listed in
//! [`KNOWN_DISAGREEMENTS`], each decided by spec text.

use std::path::{Path, PathBuf};

use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, Wat};
use witness_spec::{Features, validate};

/// Components on which witness deliberately disagrees with wasmparser
/// 0.257's validator: (file, line, why the spec decides for witness).
const KNOWN_DISAGREEMENTS: &[(&str, usize, &str)] = &[
    // wasmparser 0.257 does not implement the element-size bound; Binary.md
    // "Type Definitions": "Validation requires that, for every `defvaltype`
    // `t`, `elem_size(t, 'i64')` is less than 2^28".
    ("validation/max-value-size.wast", 25, MAX_VALUE_SIZE),
    ("validation/max-value-size.wast", 31, MAX_VALUE_SIZE),
    ("validation/max-value-size.wast", 37, MAX_VALUE_SIZE),
    ("validation/max-value-size.wast", 43, MAX_VALUE_SIZE),
    ("validation/max-value-size.wast", 48, MAX_VALUE_SIZE),
    ("validation/max-value-size.wast", 57, MAX_VALUE_SIZE),
    ("validation/max-value-size.wast", 63, MAX_VALUE_SIZE),
];

const MAX_VALUE_SIZE: &str = "Binary.md: elem_size(t, 'i64') < 2^28 for every defvaltype";

#[derive(Default, Debug)]
struct Tally {
    valid_ok: usize,
    valid_fail: Vec<String>,
    invalid_ok: usize,
    invalid_fail: Vec<String>,
    message_agree: usize,
    message_total: usize,
    message_mismatch: Vec<String>,
    disagree: Vec<String>,
}

fn suite_dir() -> Option<PathBuf> {
    let root = std::env::var_os("WITNESS_SUITES")?;
    Some(Path::new(&root).join("component-model"))
}

fn wast_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            wast_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "wast") {
            out.push(p);
        }
    }
}

fn is_component(q: &QuoteWat<'_>) -> bool {
    matches!(
        q,
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    )
}

fn oracle(bytes: &[u8]) -> Result<(), String> {
    let mut v = wasmparser::Validator::new_with_features(Features::REFERENCE_TESTS.wasmparser());
    v.validate_all(bytes).map(|_| ()).map_err(|e| e.to_string())
}

fn run_file(path: &Path, rel: &str, t: &mut Tally) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let Ok(buf) = ParseBuffer::new(&text) else {
        return;
    };
    let Ok(wast) = parser::parse::<Wast>(&buf) else {
        return;
    };
    let line_of = |span: wast::token::Span| span.linecol_in(&text).0 + 1;
    let features = Features::REFERENCE_TESTS;
    let check = |mut q: QuoteWat<'_>, expect: Option<&str>, line: usize, t: &mut Tally| {
        if !is_component(&q) {
            return;
        }
        let where_ = format!("{rel}:{line}");
        let bytes = match q.encode() {
            Ok(b) => b,
            Err(e) => {
                // Text that does not parse or encode: only assert_malformed
                // (or assert_invalid of text-level errors) expects this.
                if expect.is_some() {
                    t.invalid_ok += 1;
                } else {
                    t.valid_fail.push(format!("{where_}: does not encode: {e}"));
                }
                return;
            }
        };
        let ours = validate(&bytes, &features);
        let theirs = oracle(&bytes);
        let known = KNOWN_DISAGREEMENTS
            .iter()
            .any(|(f, l, _)| *f == rel && *l == line);
        if ours.is_ok() != theirs.is_ok() && !known {
            t.disagree.push(format!(
                "{where_}: witness {} / wasmparser {}",
                ours.as_ref()
                    .map(|_| "ok".to_string())
                    .unwrap_or_else(|e| e.to_string()),
                theirs.clone().err().unwrap_or_else(|| "ok".into())
            ));
        }
        match (expect, ours) {
            (None, Ok(_)) => t.valid_ok += 1,
            (None, Err(e)) => t.valid_fail.push(format!("{where_}: {e}")),
            (Some(m), Ok(_)) => t
                .invalid_fail
                .push(format!("{where_}: accepted, expected \"{m}\"")),
            (Some(m), Err(e)) => {
                t.invalid_ok += 1;
                t.message_total += 1;
                if e.message.contains(m) {
                    t.message_agree += 1;
                } else {
                    t.message_mismatch
                        .push(format!("{where_}: \"{}\" vs expected \"{m}\"", e.message));
                }
            }
        }
    };
    for d in wast.directives {
        match d {
            WastDirective::Module(q) | WastDirective::ModuleDefinition(q) => {
                let line = line_of(q.span());
                check(q, None, line, t);
            }
            WastDirective::AssertInvalid {
                module,
                message,
                span,
            }
            | WastDirective::AssertMalformed {
                module,
                message,
                span,
            } => {
                check(module, Some(message), line_of(span), t);
            }
            WastDirective::AssertUnlinkable { module, span, .. } => {
                check(QuoteWat::Wat(module), None, line_of(span), t);
            }
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(w),
                span,
                ..
            } => {
                check(QuoteWat::Wat(w), None, line_of(span), t);
            }
            _ => {}
        }
    }
}

#[test]
fn component_model_suite() {
    let Some(dir) = suite_dir() else {
        eprintln!("WITNESS_SUITES not set; skipping");
        return;
    };
    let mut files = Vec::new();
    wast_files(&dir, &mut files);
    let mut t = Tally::default();
    for f in &files {
        let rel = f
            .strip_prefix(&dir)
            .unwrap_or(f)
            .to_string_lossy()
            .into_owned();
        run_file(f, &rel, &mut t);
    }
    let show = |title: &str, v: &[String]| {
        if !v.is_empty() {
            eprintln!("== {title} ({})", v.len());
            for x in v {
                eprintln!("  {x}");
            }
        }
    };
    if std::env::var_os("WITNESS_VERBOSE").is_some() {
        show("message mismatches", &t.message_mismatch);
    }
    show("valid components rejected", &t.valid_fail);
    show("invalid components accepted", &t.invalid_fail);
    show("disagreements with wasmparser", &t.disagree);
    eprintln!(
        "valid: {} ok, {} failed; invalid/malformed: {} rejected, {} accepted; messages agree: {}/{}",
        t.valid_ok,
        t.valid_fail.len(),
        t.invalid_ok,
        t.invalid_fail.len(),
        t.message_agree,
        t.message_total
    );
    assert!(t.valid_fail.is_empty() && t.invalid_fail.is_empty() && t.disagree.is_empty());
}
