//! The upstream suites: where they are, which files make up the core suite,
//! and the expectations checked against a run of them (`floors.toml`, the
//! least number of passing assertions, and `not-passing.toml`, the files
//! known not to pass fully, each with the feature it needs).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The variable naming the suites folder (`../shared/suites` in CI).
pub const SUITES_VAR: &str = "WITNESS_SUITES";

/// The suites folder from `WITNESS_SUITES`, if set. A relative path is
/// taken relative to `root` (the repository root), so that the same value
/// works from any working directory.
pub fn suites_dir(root: &Path) -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os(SUITES_VAR)?);
    Some(if dir.is_absolute() {
        dir
    } else {
        root.join(dir)
    })
}

/// Every `.wast` script under `dir`, recursively, sorted.
///
/// # Errors
///
/// The I/O error of a folder that cannot be read.
pub fn wast_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(wast_files(&path)?);
        } else if is_wast(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The scripts of the core suite under `core`: `core/*.wast` and
/// `core/*/*.wast`, sorted.
///
/// # Errors
///
/// The I/O error of a folder that cannot be read.
pub fn core_files(core: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(core)? {
        let path = entry?.path();
        if path.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                let path = entry?.path();
                if is_wast(&path) {
                    files.push(path);
                }
            }
        } else if is_wast(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn is_wast(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "wast")
}

/// `floors.toml`: per suite, the least number of assertions that must pass.
#[derive(Debug, Deserialize)]
pub struct Floors {
    pub core: Floor,
    /// The component-model reference tests (validation only, until
    /// components can be instantiated).
    #[serde(rename = "component-model")]
    pub component_model: Option<Floor>,
    /// Component → WIT: the components of the component-model suite whose
    /// WIT witness prints as wit-component does (`tests/component_wit.rs`).
    #[serde(rename = "wit-extract")]
    pub wit_extract: Option<Floor>,
}

/// One suite's floor.
#[derive(Debug, Deserialize)]
pub struct Floor {
    pub passed: usize,
}

/// `text` (a `floors.toml`) with section `[name]` set to `passed = n`,
/// the other sections kept as they are (a new section goes last).
pub fn set_floor(text: &str, name: &str, n: usize) -> String {
    let header = format!("[{name}]\n");
    let section = format!("{header}passed = {n}\n");
    let start = text
        .match_indices(&header)
        .find(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
        .map(|(i, _)| i);
    match start {
        Some(i) => {
            let rest = &text[i + header.len()..];
            let end = rest
                .find("\n[")
                .map_or(text.len(), |j| i + header.len() + j + 1);
            let sep = if end < text.len() { "\n" } else { "" };
            format!("{}{section}{sep}{}", &text[..i], &text[end..])
        }
        None => format!("{}\n\n{section}", text.trim_end()),
    }
}

/// `not-passing.toml`: per suite, the files (relative to the suite's
/// folder) that do not pass fully yet, each with the feature it needs.
#[derive(Debug, Deserialize)]
pub struct NotPassing {
    pub core: BTreeMap<String, String>,
}

/// `disputed.toml`: the component-model assertions that contradict the
/// pinned spec, as `"FILE:LINE"` (FILE relative to the suite's folder),
/// each with the spec text and upstream change it predates.
/// `schedule-dependent.toml` has the same shape: the assertions some
/// seeded-random schedule fails, each with the spec choice that permits it.
#[derive(Debug, Deserialize)]
pub struct Disputed {
    #[serde(rename = "component-model")]
    pub component_model: BTreeMap<String, String>,
}

/// Reads and parses a TOML file.
///
/// # Errors
///
/// A message naming the file and what is wrong with it.
pub fn load<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A file's path relative to the suite folder `core`, with `/` separators.
pub fn relative_name(core: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(core).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::set_floor;

    #[test]
    fn set_floor_replaces_one_section_and_keeps_the_others() {
        let text = "# note\n[core]\npassed = 1\n\n[component-model]\npassed = 2\n";
        assert_eq!(
            set_floor(text, "core", 5),
            "# note\n[core]\npassed = 5\n\n[component-model]\npassed = 2\n"
        );
        assert_eq!(
            set_floor(text, "component-model", 7),
            "# note\n[core]\npassed = 1\n\n[component-model]\npassed = 7\n"
        );
        assert_eq!(
            set_floor(text, "wit-extract", 3),
            "# note\n[core]\npassed = 1\n\n[component-model]\npassed = 2\n\n[wit-extract]\npassed = 3\n"
        );
    }
}
