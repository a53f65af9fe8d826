//! witness-conformance: the `.wast` script runner and the conformance
//! suites.
//!
//! [`run_file`] runs one script of the core test suite against witness's
//! core interpreter and counts its assertions; [`Report`] sums files up and
//! serialises to the JSON report of `witness wast --json`. The suites are
//! read from the folder named by `WITNESS_SUITES` ([`suite`]).

pub mod component;
mod component_values;
mod report;
mod runner;
pub mod spectest;
mod split;
pub mod suite;
mod values;

pub use report::{Failure, FileReport, Report, Witnessed};
pub use runner::{FUEL_PER_DIRECTIVE, Runner, SEARCH_SEEDS, resolve_imports};

use std::path::Path;

/// Runs the script `text` as if read from `path`.
pub fn run_script(path: &str, text: &str) -> FileReport {
    Runner::new().run_script(path, text)
}

/// Reads and runs the script at `path` (see [`Runner::run_file`]).
pub fn run_file(path: &Path) -> FileReport {
    Runner::new().run_file(path)
}

/// Runs several scripts, one after the other.
pub fn run_files(paths: &[impl AsRef<Path>]) -> Report {
    let mut report = Report::default();
    for path in paths {
        report.push(run_file(path.as_ref()));
    }
    report
}
