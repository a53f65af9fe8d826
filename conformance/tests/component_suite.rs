//! The component-model reference tests (`$WITNESS_SUITES/component-model`):
//! every component is decoded and validated by witness-spec and run by
//! witness-interp's component runtime. Checks that at least
//! `[component-model] passed` assertions pass (`floors.toml`), that no
//! assertion of `validation/` and `binary/` fails, and that every assertion
//! of `values/`, `resources/` and `linking/` passes. `WITNESS_BLESS=1`
//! raises the floor to the run's count.

use std::path::PathBuf;
use witness_conformance::run_files;
use witness_conformance::suite::{self, Floors};

#[test]
fn component_model_suite() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(suites) = suite::suites_dir(&manifest.join("..")) else {
        eprintln!(
            "skipped: set {} to the suites folder to run the component-model suite",
            suite::SUITES_VAR
        );
        return;
    };
    let dir = suites.join("component-model");
    let files =
        suite::wast_files(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let report = run_files(&files);
    println!("component-model suite: {report}");
    let floors_path = manifest.join("floors.toml");
    if std::env::var_os("WITNESS_BLESS").is_some() {
        let text = std::fs::read_to_string(&floors_path).unwrap_or_default();
        let updated = suite::set_floor(&text, "component-model", report.passed);
        std::fs::write(&floors_path, updated).unwrap();
        return;
    }
    let floors: Floors = suite::load(&floors_path).unwrap();
    let floor = floors.component_model.map_or(0, |f| f.passed);
    let mut problems = Vec::new();
    if report.passed < floor {
        problems.push(format!(
            "{} assertions passed, below the floor of {floor}",
            report.passed
        ));
    }
    for file in &report.files {
        let name = suite::relative_name(&dir, std::path::Path::new(&file.path));
        let must_pass = [
            "validation/",
            "binary/",
            "values/",
            "resources/",
            "linking/",
        ];
        if must_pass.iter().any(|d| name.starts_with(d)) && file.failed > 0 {
            for f in &file.failures {
                problems.push(format!("{name}:{}: {}: {}", f.line, f.kind, f.message));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
