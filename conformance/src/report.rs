//! What a run of scripts found: counts per file and over all files.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One failed directive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// 1-based line of the directive; `0` when the failure concerns the whole
    /// file (it could not be read).
    pub line: usize,
    /// The directive's keyword (`assert_return`, `module`, ...), or `file`.
    pub kind: String,
    /// What went wrong, in one line.
    pub message: String,
}

/// An assertion the deterministic profile fails and a seeded-random
/// schedule makes hold (with every assertion before it that held).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witnessed {
    /// 1-based line of the assertion.
    pub line: usize,
    /// The seed of the schedule (`witness wast --schedule random --seed`).
    pub seed: u64,
}

/// The result of one script.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// The script's path as given.
    pub path: String,
    /// Assertions that held.
    pub passed: usize,
    /// Assertions that did not hold, and other directives that failed.
    pub failed: usize,
    /// Directives outside witness's scope (component directives, threads).
    pub skipped: usize,
    /// Passed `assert_invalid`/`assert_malformed` assertions whose module
    /// was rejected for a reason worded differently from the expected
    /// message (wasmparser's wording is not the reference interpreter's).
    pub message_mismatches: usize,
    /// The failures, in file order.
    pub failures: Vec<Failure>,
    /// Passed assertions that held only under a witnessing schedule, in
    /// file order (counted in `passed`).
    #[serde(default)]
    pub witnessed: Vec<Witnessed>,
}

impl FileReport {
    /// An empty report for `path`.
    pub fn new(path: impl Into<String>) -> FileReport {
        FileReport {
            path: path.into(),
            ..FileReport::default()
        }
    }

    /// Records a failure.
    pub fn fail(&mut self, line: usize, kind: &str, message: impl Into<String>) {
        self.failed += 1;
        let message = message.into().replace('\n', " ");
        self.failures.push(Failure {
            line,
            kind: kind.to_string(),
            message,
        });
    }
}

impl fmt::Display for FileReport {
    /// `PATH: N passed, M failed, K skipped`, and `(W under a witnessing
    /// schedule)` after `N passed` when there are such.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} passed", self.path, self.passed)?;
        if !self.witnessed.is_empty() {
            write!(f, " ({} under a witnessing schedule)", self.witnessed.len())?;
        }
        write!(f, ", {} failed, {} skipped", self.failed, self.skipped)
    }
}

/// The results of several scripts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub passed: usize,
    /// Of `passed`, those that held only under a witnessing schedule.
    #[serde(default)]
    pub witnessed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub files: Vec<FileReport>,
}

impl Report {
    /// Adds one file's results.
    pub fn push(&mut self, file: FileReport) {
        self.passed += file.passed;
        self.witnessed += file.witnessed.len();
        self.failed += file.failed;
        self.skipped += file.skipped;
        self.files.push(file);
    }
}

impl fmt::Display for Report {
    /// The totals: `N passed, M failed, K skipped` (and the witnessed, as
    /// a file's).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed", self.passed)?;
        if self.witnessed > 0 {
            write!(f, " ({} under a witnessing schedule)", self.witnessed)?;
        }
        write!(f, ", {} failed, {} skipped", self.failed, self.skipped)
    }
}
