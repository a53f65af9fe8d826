//! The WIT cases of `$WITNESS_SUITES/wit` (wit-parser's UI tests), run
//! data-driven: every pass case resolves and prints exactly what
//! wit-component's printer prints for wit-parser's resolve of the same
//! input (the differential oracle); every `parse-fail` case fails at the
//! line its `.wit.result` names. Skips with a message when `WITNESS_SUITES`
//! is unset.

use std::path::{Path, PathBuf};
use witness_spec::wit::{self, Resolve};

fn suite_dir() -> Option<PathBuf> {
    let root = std::env::var_os("WITNESS_SUITES")?;
    let mut p = PathBuf::from(root);
    if p.is_relative() {
        // Relative to the workspace root, as CI sets it.
        p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p);
    }
    Some(p.join("wit"))
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                return name != "parse-fail";
            }
            name.ends_with(".wit") || name.ends_with(".wat")
        })
        .collect();
    out.sort();
    out
}

fn ours(path: &Path) -> (Resolve, Result<wit::PackageId, wit::WitError>) {
    let mut resolve = Resolve::new();
    resolve.features.insert("active".to_string());
    let r = wit::push_path(&mut resolve, path);
    (resolve, r)
}

fn oracle(path: &Path) -> Result<String, String> {
    let mut resolve = wit_parser::Resolve::new();
    resolve.features.insert("active".to_string());
    let (pkg, _) = resolve.push_path(path).map_err(|e| format!("{e:?}"))?;
    let mut printer = wit_component::WitPrinter::default();
    printer
        .print(&resolve, pkg, &[])
        .map_err(|e| format!("{e:?}"))?;
    Ok(printer.output.to_string())
}

/// `(file name, line)` from a `.wit.result`'s `--> path:line:col` or
/// `path:line:col:` location.
fn expected_location(result: &str) -> Option<(String, usize)> {
    for line in result.lines() {
        let loc = match line.trim_start().strip_prefix("--> ") {
            Some(rest) => rest,
            None if line.starts_with("tests/ui/") => line.split(": ").next().unwrap_or(line),
            None => continue,
        };
        let mut parts = loc.rsplitn(3, ':');
        let _col = parts.next()?;
        let line_no: usize = parts.next()?.parse().ok()?;
        let file = parts.next()?;
        let name = Path::new(file).file_name()?.to_str()?.to_string();
        return Some((name, line_no));
    }
    None
}

/// Pass cases not expected to pass yet. A listed case that starts passing
/// is reported, so the list only shrinks.
const PENDING: &[&str] = &[];

#[test]
fn pass_cases_match_wit_component_printer() {
    let Some(dir) = suite_dir() else {
        eprintln!("skipping: WITNESS_SUITES is not set");
        return;
    };
    let mut failures = Vec::new();
    let mut agreed = 0;
    let mut total = 0;
    for case in cases(&dir) {
        total += 1;
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (resolve, r) = ours(&case);
        if PENDING.contains(&name.as_str()) {
            if r.is_ok() {
                failures.push(format!(
                    "{name}: listed as pending but resolves now; remove it from PENDING"
                ));
            }
            continue;
        }
        let pkg = match r {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!(
                    "{name}: did not resolve:\n{}",
                    e.render(&resolve.sources)
                ));
                continue;
            }
        };
        let printed = wit::print(&resolve, pkg, &[]);
        match oracle(&case) {
            Ok(expected) if expected == printed => agreed += 1,
            Ok(expected) => failures.push(format!(
                "{name}: printed text differs from wit-component\n--- expected\n{expected}\n--- ours\n{printed}"
            )),
            Err(e) => failures.push(format!("{name}: oracle failed: {e}")),
        }
    }
    eprintln!(
        "wit pass cases: {agreed}/{total} identical to wit-component ({} pending)",
        PENDING.len()
    );
    if !failures.is_empty() {
        panic!("{} failures:\n{}", failures.len(), failures.join("\n\n"));
    }
}

#[test]
fn fail_cases_fail_on_the_expected_line() {
    let Some(dir) = suite_dir() else {
        eprintln!("skipping: WITNESS_SUITES is not set");
        return;
    };
    let dir = dir.join("parse-fail");
    let mut failures = Vec::new();
    let mut ok = 0;
    let mut total = 0;
    for case in cases(&dir) {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let result_file = case.with_extension("wit.result");
        let Ok(result) = std::fs::read_to_string(&result_file) else {
            continue;
        };
        total += 1;
        let (resolve, r) = ours(&case);
        let err = match r {
            Ok(_) => {
                failures.push(format!("{name}: resolved, expected:\n{result}"));
                continue;
            }
            Err(e) => e,
        };
        let rendered = err.render(&resolve.sources);
        if let Some((file, line)) = expected_location(&result) {
            let got = err.line(&resolve.sources).map(|(p, l)| {
                (
                    Path::new(&p)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .to_string(),
                    l,
                )
            });
            if got != Some((file.clone(), line)) {
                failures.push(format!(
                    "{name}: expected an error at {file}:{line}, got {got:?}:\n{rendered}\nexpected:\n{result}"
                ));
                continue;
            }
        }
        ok += 1;
    }
    eprintln!("wit fail cases: {ok}/{total} fail at the expected line");
    if !failures.is_empty() {
        panic!("{} failures:\n{}", failures.len(), failures.join("\n\n"));
    }
}

/// Truncations, deletions and insertions in every suite file: the WIT
/// front end never panics, and accepts exactly what wit-parser accepts,
/// printing the same text (features off on both sides).
#[test]
fn mutated_suite_files_never_panic() {
    let Some(dir) = suite_dir() else {
        eprintln!("skipping: WITNESS_SUITES is not set");
        return;
    };
    let mut files = Vec::new();
    for d in [dir.clone(), dir.join("parse-fail")] {
        for p in cases(&d) {
            if p.extension().and_then(|e| e.to_str()) == Some("wit") {
                files.push(p);
            }
        }
    }
    let mut runs = 0;
    let mut disagree = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let bytes = text.as_bytes();
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            for variant in 0..3 {
                let mut b = bytes[..cut].to_vec();
                match variant {
                    0 => {}
                    1 => b.extend_from_slice(&bytes[(cut + 1).min(bytes.len())..]),
                    _ => {
                        b.push(b"{}<>;:,.@%/()=-*"[cut % 16]);
                        b.extend_from_slice(&bytes[cut..]);
                    }
                }
                let Ok(src) = String::from_utf8(b) else {
                    continue;
                };
                let mut resolve = Resolve::new();
                let ours = match wit::push_str(&mut resolve, "m.wit", &src) {
                    Err(e) => {
                        drop(e.render(&resolve.sources));
                        None
                    }
                    Ok(pkg) => Some(wit::print(&resolve, pkg, &[])),
                };
                let mut theirs = wit_parser::Resolve::new();
                let theirs = theirs.push_str("m.wit", &src).ok().and_then(|pkg| {
                    let mut printer = wit_component::WitPrinter::default();
                    printer.print(&theirs, pkg, &[]).ok()?;
                    Some(printer.output.to_string())
                });
                if ours != theirs {
                    disagree.push(src.clone());
                }
                runs += 1;
            }
        }
    }
    eprintln!(
        "{runs} mutated inputs, no panic; {} disagree with wit-parser",
        disagree.len()
    );
    if let Ok(dir) = std::env::var("WIT_DISAGREE_DIR") {
        for (i, src) in disagree.iter().enumerate() {
            std::fs::write(format!("{dir}/{i}.wit"), src).unwrap();
        }
    }
    assert!(
        disagree.is_empty(),
        "{} mutated inputs resolve differently from wit-parser (set WIT_DISAGREE_DIR to dump them)",
        disagree.len()
    );
}
