//! WIT.md "Filesystem structure", "Root Package: A File", "Root Package: A
//! Directory": reading a root package from a `.wit` file or a directory of
//! `.wit` files with a `deps/` folder (each dependency a file or a folder).
//! Needs `std`; everything else in this module works on in-memory sources.

use super::error::{Rule, WitError, WitResult};
use super::model::{PackageId, Resolve};
use super::package::{PackageGroup, parse_group, push_groups};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::path::Path;

fn io_error(path: &Path, e: std::io::Error) -> WitError {
    WitError::nowhere(
        Rule::Package,
        format!("failed to read {}: {e}", path.display()),
    )
}

fn read(resolve: &mut Resolve, path: &Path) -> WitResult<usize> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        WitError::nowhere(
            Rule::Lexical,
            format!("input file is not valid utf-8 [{}]", path.display()),
        )
    })?;
    Ok(resolve.sources.push(path.display().to_string(), text))
}

fn dir_group(resolve: &mut Resolve, path: &Path) -> WitResult<PackageGroup> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(path).map_err(|e| io_error(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(path, e))?;
        let p = entry.path();
        if p.is_dir() {
            continue;
        }
        if p.extension().and_then(|e| e.to_str()) == Some("wit") {
            files.push(read(resolve, &p)?);
        }
    }
    parse_group(resolve, &files)
}

/// Resolves the root package at `path` (a `.wit` file, or a directory with
/// an optional `deps/`) into `resolve`; returns its main package.
///
/// # Errors
/// Unreadable files and any WIT error; render it with `resolve.sources`.
pub fn push_path(resolve: &mut Resolve, path: &Path) -> WitResult<PackageId> {
    if !path.is_dir() {
        let f = read(resolve, path)?;
        let group = parse_group(resolve, &[f])?;
        return push_groups(resolve, group, Vec::new());
    }
    let main = dir_group(resolve, path)?;
    let mut deps = Vec::new();
    let deps_dir = path.join("deps");
    if deps_dir.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&deps_dir)
            .map_err(|e| io_error(&deps_dir, e))?
            .filter_map(|e| e.ok())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                deps.push(dir_group(resolve, &p)?);
            } else if p.extension().and_then(|e| e.to_str()) == Some("wit") {
                let f = read(resolve, &p)?;
                deps.push(parse_group(resolve, &[f])?);
            }
        }
    }
    push_groups(resolve, main, deps)
}
