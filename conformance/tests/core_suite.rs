//! The core WebAssembly test suite, when `WITNESS_SUITES` names the suites
//! folder (CI sets `../shared/suites`; a relative path is taken from the
//! repository root). Without it the test says so and passes, so that a fresh
//! clone's `cargo test` needs no suites.
//!
//! Checks, over `core/*.wast` and `core/*/*.wast`:
//! - at least `[core] passed` assertions pass (`floors.toml`);
//! - every file that does not pass fully is listed in `not-passing.toml`
//!   with the feature it needs, and every listed file still fails (a file
//!   that starts passing must leave the list, so the list stays true).
//!
//! `WITNESS_BLESS=1` rewrites both files from the run instead.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use witness_conformance::suite::{self, Floors, NotPassing};
use witness_conformance::{FileReport, run_files};

fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn core_suite() {
    let root = conformance_dir().join("..");
    let Some(suites) = suite::suites_dir(&root) else {
        eprintln!(
            "skipped: set {} to the suites folder to run the core suite",
            suite::SUITES_VAR
        );
        return;
    };
    let core = suites.join("core");
    let files =
        suite::core_files(&core).unwrap_or_else(|e| panic!("cannot list {}: {e}", core.display()));
    assert!(!files.is_empty(), "no .wast files in {}", core.display());
    let report = run_files(&files);
    println!("core suite: {report}");

    let floors_path = conformance_dir().join("floors.toml");
    let not_passing_path = conformance_dir().join("not-passing.toml");
    if std::env::var_os("WITNESS_BLESS").is_some() {
        let text =
            std::fs::read_to_string(&floors_path).unwrap_or_else(|_| floors_toml(report.passed));
        std::fs::write(&floors_path, suite::set_floor(&text, "core", report.passed)).unwrap();
        std::fs::write(&not_passing_path, not_passing_toml(&core, &report.files)).unwrap();
        println!(
            "wrote {} and {}",
            floors_path.display(),
            not_passing_path.display()
        );
        return;
    }

    let floors: Floors = suite::load(&floors_path).unwrap();
    let listed: NotPassing = suite::load(&not_passing_path).unwrap();
    let mut problems = Vec::new();
    if report.passed < floors.core.passed {
        problems.push(format!(
            "{} assertions passed, below the floor of {} in floors.toml",
            report.passed, floors.core.passed
        ));
    } else if report.passed > floors.core.passed {
        println!(
            "note: the floor in floors.toml can be raised to {}",
            report.passed
        );
    }
    for file in &report.files {
        let name = suite::relative_name(&core, Path::new(&file.path));
        match (file.failed > 0, listed.core.contains_key(&name)) {
            (true, false) => {
                let first = &file.failures[0];
                problems.push(format!(
                    "{name}: {} failed, and it is not in not-passing.toml (first: line {}: {}: {})",
                    file.failed, first.line, first.kind, first.message
                ));
            }
            (false, true) => problems.push(format!(
                "{name}: passes now; remove it from not-passing.toml (or set WITNESS_BLESS=1)"
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "core suite:\n{}", problems.join("\n"));
}

fn floors_toml(passed: usize) -> String {
    format!(
        "# The least number of assertions that must pass per suite (checked by\n\
         # conformance/tests/core_suite.rs when WITNESS_SUITES is set). Raise it as\n\
         # witness improves; WITNESS_BLESS=1 sets it from a run.\n\
         [core]\n\
         passed = {passed}\n"
    )
}

fn not_passing_toml(core: &Path, files: &[FileReport]) -> String {
    let mut by_file = BTreeMap::new();
    for file in files.iter().filter(|f| f.failed > 0) {
        let name = suite::relative_name(core, Path::new(&file.path));
        let feature = feature_needed(&name, file);
        by_file.insert(name, feature);
    }
    let mut out = String::from(
        "# Core suite files (relative to core/) that do not fully pass yet, with the\n\
         # feature each needs. conformance/tests/core_suite.rs fails when a file\n\
         # outside this list fails, or a listed file passes. WITNESS_BLESS=1 rewrites\n\
         # it from a run; check the features it guessed.\n\
         [core]\n",
    );
    for (name, feature) in by_file {
        let _ = writeln!(out, "{name:?} = {feature:?}");
    }
    out
}

/// The feature a file needs, guessed from its name and the features its
/// modules were rejected for ("unsupported feature: ...").
fn feature_needed(name: &str, file: &FileReport) -> String {
    if name.starts_with("legacy/") {
        return "legacy exceptions".to_string();
    }
    if name.contains("relaxed") {
        return "relaxed SIMD".to_string();
    }
    let stem = name.rsplit('/').next().unwrap_or(name);
    let by_name = [
        ("simd", "SIMD"),
        ("i31", "GC"),
        ("tag", "exceptions"),
        ("throw", "exceptions"),
        ("try", "exceptions"),
        ("return_call_ref", "typed function references"),
        ("return_call", "tail calls"),
    ];
    let hint = by_name
        .iter()
        .find(|(part, _)| stem.contains(part))
        .map(|(_, f)| *f);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &file.failures {
        let m = &f.message;
        let feature = if m.contains("SIMD") || m.contains("V128") || m.contains("v128") {
            "SIMD"
        } else if m.contains("memory64") {
            "memory64"
        } else if m.contains("multi-memory") || m.contains("\"mem1\"") {
            "multi-memory"
        } else if m.contains("typed function references") {
            "typed function references"
        } else if m.contains("GC") || m.contains("RefI31") {
            "GC"
        } else if m.contains("exception") {
            "exceptions"
        } else if m.contains("ReturnCall") {
            "tail calls"
        } else if m.contains("annotation") {
            "custom annotations"
        } else {
            continue;
        };
        *counts.entry(feature).or_default() += 1;
    }
    let mut features: Vec<_> = counts.into_iter().collect();
    features.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut names: Vec<&str> = hint.into_iter().collect();
    names.extend(
        features
            .iter()
            .map(|(f, _)| *f)
            .filter(|f| Some(*f) != hint),
    );
    if names.is_empty() {
        "unknown: see the failures".to_string()
    } else {
        names.join(", ")
    }
}
