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
    /// `PATH: N passed, M failed, K skipped`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} passed, {} failed, {} skipped",
            self.path, self.passed, self.failed, self.skipped
        )
    }
}

/// The results of several scripts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub files: Vec<FileReport>,
}

impl Report {
    /// Adds one file's results.
    pub fn push(&mut self, file: FileReport) {
        self.passed += file.passed;
        self.failed += file.failed;
        self.skipped += file.skipped;
        self.files.push(file);
    }
}

impl fmt::Display for Report {
    /// The totals: `N passed, M failed, K skipped`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}
