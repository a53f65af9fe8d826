//! The WIT-package binary (WIT.md "Package Format") over the pass cases of
//! `$WITNESS_SUITES/wit`: our encoding validates (our validator and
//! wasmparser's), decodes back to the same printed WIT (our decoder), and
//! decodes with wit-component to the same printed WIT (the differential
//! oracle); wit-component's encoding decodes with ours to the same text.
//! Skips with a message when `WITNESS_SUITES` is unset.

use std::path::{Path, PathBuf};
use witness_spec::wit::{self, Resolve};

fn suite_dir() -> Option<PathBuf> {
    let root = std::env::var_os("WITNESS_SUITES")?;
    let mut p = PathBuf::from(root);
    if p.is_relative() {
        p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p);
    }
    Some(p.join("wit"))
}

fn pass_cases(dir: &Path) -> Vec<PathBuf> {
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

fn ours(path: &Path) -> Option<(Resolve, wit::PackageId)> {
    let mut resolve = Resolve::new();
    resolve.features.insert("active".to_string());
    let pkg = wit::push_path(&mut resolve, path).ok()?;
    Some((resolve, pkg))
}

fn wit_component_print(resolve: &wit_parser::Resolve, pkg: wit_parser::PackageId) -> String {
    let mut printer = wit_component::WitPrinter::default();
    printer.print(resolve, pkg, &[]).unwrap();
    printer.output.to_string()
}

/// A package with no interfaces and no worlds has no binary form (the
/// package name lives in the exports' names).
fn is_empty(resolve: &Resolve, pkg: wit::PackageId) -> bool {
    let p = &resolve.packages[pkg];
    p.interfaces.is_empty() && p.worlds.is_empty()
}

#[test]
fn encode_decode_round_trip() {
    let Some(dir) = suite_dir() else {
        eprintln!("skipping: WITNESS_SUITES is not set");
        return;
    };
    let mut failures = Vec::new();
    let (mut total, mut round, mut oracle, mut reverse, mut valid) = (0, 0, 0, 0, 0);
    let mut unrepresentable = Vec::new();
    for case in pass_cases(&dir) {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let Some((resolve, pkg)) = ours(&case) else {
            failures.push(format!("{name}: does not resolve"));
            continue;
        };
        if is_empty(&resolve, pkg) {
            continue;
        }
        total += 1;
        let text = wit::print(&resolve, pkg, &[]);
        // wit-component's own encoding of the same input.
        let theirs = {
            let mut r = wit_parser::Resolve::new();
            r.features.insert("active".to_string());
            let (p, _) = r.push_path(&case).unwrap();
            (
                wit_component::encode(&r, p).unwrap(),
                wit_component_print(&r, p),
            )
        };
        let theirs_valid =
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
                .validate_all(&theirs.0);
        let mut back = Resolve::new();
        match wit::decode::decode(&mut back, &theirs.0) {
            Ok(p) if wit::print(&back, p, &[]) == theirs.1 => reverse += 1,
            Ok(p) => failures.push(format!(
                "{name}: our decoder reads wit-component's encoding differently\n{}",
                wit::print(&back, p, &[])
            )),
            Err(e) => failures.push(format!(
                "{name}: our decoder rejects wit-component's encoding: {e:?}"
            )),
        }
        let bytes = match wit::encode::encode(&resolve, pkg) {
            Ok(b) => b,
            // Not representable: the component model has no empty records,
            // tuples or flags; wit-component writes them anyway, and its
            // encoding is invalid. We refuse at the type instead.
            Err(e) if e.message.contains("no binary form") && e.span.is_some() => {
                match theirs_valid {
                    Err(_) => unrepresentable.push(format!("{name}: {}", e.message)),
                    Ok(_) => failures.push(format!(
                        "{name}: we refuse a package wit-component encodes validly: {}",
                        e.render(&resolve.sources)
                    )),
                }
                continue;
            }
            Err(e) => {
                failures.push(format!(
                    "{name}: encode failed: {}",
                    e.render(&resolve.sources)
                ));
                continue;
            }
        };
        let mut is_valid = true;
        if let Err(e) = witness_spec::validate(&bytes, &witness_spec::Features::ALL) {
            is_valid = false;
            failures.push(format!("{name}: our validator rejects the encoding: {e}"));
        }
        let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
        if let Err(e) = v.validate_all(&bytes) {
            is_valid = false;
            failures.push(format!("{name}: wasmparser rejects the encoding: {e}"));
        }
        valid += usize::from(is_valid);
        match wit_component::decode(&bytes) {
            Ok(d) => {
                let printed = wit_component_print(d.resolve(), d.package());
                if printed == text {
                    oracle += 1;
                } else {
                    failures.push(format!(
                        "{name}: wit-component decodes our encoding differently\n--- ours\n{text}\n--- wit-component\n{printed}"
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: wit-component cannot decode: {e:?}")),
        }
        let mut back = Resolve::new();
        match wit::decode::decode(&mut back, &bytes) {
            Ok(p) => {
                let printed = wit::print(&back, p, &[]);
                if printed == text {
                    round += 1;
                } else {
                    failures.push(format!(
                        "{name}: our decoder prints differently\n--- original\n{text}\n--- decoded\n{printed}"
                    ));
                }
            }
            Err(e) => failures.push(format!(
                "{name}: our decoder fails: {}",
                e.render(&back.sources)
            )),
        }
    }
    eprintln!(
        "wit binary: {total} packages; {round} round trip through our decoder; {valid} valid \
         (our validator and wasmparser); {oracle} decode with wit-component to the same text; \
         {reverse} of wit-component's encodings decode with ours to the same text; \
         not representable (wit-component's encoding is invalid): {unrepresentable:#?}"
    );
    if !failures.is_empty() {
        panic!("{} failures:\n{}", failures.len(), failures.join("\n\n"));
    }
}

/// WIT → component types: every world and interface of every pass case
/// becomes a component / instance type that our validator accepts.
#[test]
fn worlds_and_interfaces_as_component_types() {
    let Some(dir) = suite_dir() else {
        eprintln!("skipping: WITNESS_SUITES is not set");
        return;
    };
    let (mut worlds, mut interfaces) = (0, 0);
    let mut failures = Vec::new();
    for case in pass_cases(&dir) {
        let Some((resolve, pkg)) = ours(&case) else {
            continue;
        };
        let p = &resolve.packages[pkg];
        for (name, &w) in p.worlds.iter() {
            match wit::component_type::world_type(&resolve, w) {
                Ok((types, t)) if types.component(t).is_some() => worlds += 1,
                Ok(_) => failures.push(format!("{case:?} world {name}: not a component type")),
                Err(e) => failures.push(format!("{case:?} world {name}: {}", e.message)),
            }
        }
        for (name, &i) in p.interfaces.iter() {
            match wit::component_type::interface_type(&resolve, i) {
                Ok((types, t)) if types.instance(t).is_some() => interfaces += 1,
                Ok(_) => failures.push(format!("{case:?} interface {name}: not an instance type")),
                Err(e) => failures.push(format!("{case:?} interface {name}: {}", e.message)),
            }
        }
    }
    eprintln!("wit -> component types: {worlds} worlds, {interfaces} interfaces");
    // Empty records, tuples and flags have no component-model form.
    let (unrepresentable, real): (Vec<_>, Vec<_>) =
        failures.iter().partition(|f| f.contains("no binary form"));
    eprintln!(
        "({} not representable: empty records/tuples/flags)",
        unrepresentable.len()
    );
    assert!(real.is_empty(), "{} failures:\n{real:#?}", real.len());
}
