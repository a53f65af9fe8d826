//! The name-mirroring test: every top-level `def`/`class` in the code
//! blocks of the pinned CanonicalABI.md has a Rust item of the same name
//! in this crate (`def f` → `fn f`; `class C` → `struct C`, `enum C`,
//! `type C` or `trait C`), except the Python-only mechanics listed in
//! [`PYTHON_ONLY`] with the Rust construct that replaces each.

extern crate std;

use std::collections::BTreeSet;
use std::path::Path;
use std::string::String;
use std::vec::Vec;

/// Python mechanics of the spec with no same-named Rust item, and what
/// stands in for each.
const PYTHON_ONLY: &[(&str, &str)] = &[(
    "new_already_acquired_lock",
    "stack_switching: continuations are polled futures, no locks or OS threads",
)];

/// The spec's top-level definitions and methods, in document order.
fn spec_names(md: &str) -> (Vec<(bool, String)>, BTreeSet<String>) {
    let mut top = Vec::new();
    let mut methods = BTreeSet::new();
    let mut in_python = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_python = line.trim() == "```python";
            continue;
        }
        if !in_python {
            continue;
        }
        let word = |rest: &str| -> String {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        if let Some(rest) = line.strip_prefix("def ") {
            top.push((true, word(rest)));
        } else if let Some(rest) = line.strip_prefix("class ") {
            top.push((false, word(rest)));
        } else if let Some(rest) = line.trim_start().strip_prefix("def ") {
            methods.insert(word(rest));
        }
    }
    let mut seen = BTreeSet::new();
    top.retain(|(_, n)| seen.insert(n.clone()));
    (top, methods)
}

/// Whether `src` has `keyword name` as a whole word.
fn has_item(src: &str, keywords: &[&str], name: &str) -> bool {
    keywords.iter().any(|k| {
        let pat = std::format!("{k} {name}");
        src.match_indices(&pat).any(|(i, _)| {
            let before = src[..i].chars().next_back();
            let after = src[i + pat.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

#[test]
fn every_spec_definition_has_its_rust_item() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let md_path = dir.join("../../shared/spec/CanonicalABI.md");
    let Ok(md) = std::fs::read_to_string(&md_path) else {
        std::println!("skipped: {} not found", md_path.display());
        return;
    };
    let mut src = String::new();
    for entry in std::fs::read_dir(dir.join("src")).expect("src") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("spec_names_tests.rs") {
            src.push_str(&std::fs::read_to_string(&path).expect("read"));
        }
    }
    let (top, methods) = spec_names(&md);
    let missing: Vec<&String> = top
        .iter()
        .filter(|(is_def, n)| {
            let found = if *is_def {
                has_item(&src, &["fn"], n)
            } else {
                has_item(&src, &["struct", "enum", "type", "trait"], n)
            };
            !found && !PYTHON_ONLY.iter().any(|(p, _)| p == n)
        })
        .map(|(_, n)| n)
        .collect();
    // Methods are reported, not required: several are closures (`on_start`,
    // `thread_func`) or Python protocol (`__init__` is `new`).
    let missing_methods: Vec<&String> = methods
        .iter()
        .filter(|n| !n.starts_with("__") && !has_item(&src, &["fn"], n))
        .collect();
    std::println!(
        "{} of {} top-level spec names mirrored ({} Python-only); methods without `fn`: {:?}",
        top.len() - missing.len() - PYTHON_ONLY.len(),
        top.len(),
        PYTHON_ONLY.len(),
        missing_methods
    );
    assert!(
        missing.is_empty(),
        "spec definitions without a Rust item: {missing:?}"
    );
}
