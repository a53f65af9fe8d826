//! WIT.md "Filesystem structure", "Root Package: A File", "Root Package: A
//! Directory": reading a root package from a `.wit` file or a directory of
//! `.wit` files with a `deps/` folder (each dependency a file or a folder).
//! A `.wat` or `.wasm` file, as the root or as a dependency, is a
//! WIT-package binary (WIT.md "Package Format", [`super::decode`]).
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
    if is_binary(path) {
        return push_binary(resolve, path);
    }
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
            } else if is_binary(&p) {
                // Decoded now, so the text packages resolve against it.
                push_binary(resolve, &p)?;
            }
        }
    }
    push_groups(resolve, main, deps)
}

fn is_binary(path: &Path) -> bool {
    !path.is_dir()
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("wat" | "wasm")
        )
}

/// The bytes of a `.wasm` file, or of a `.wat` file's text.
///
/// # Errors
/// Unreadable files and `.wat` syntax errors.
pub fn read_binary(path: &Path) -> WitResult<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    if path.extension().and_then(|e| e.to_str()) != Some("wat") {
        return Ok(bytes);
    }
    wat::parse_bytes(&bytes)
        .map(|b| b.into_owned())
        .map_err(|e| WitError::nowhere(Rule::Binary, format!("{}: {e}", path.display())))
}

/// Decodes the WIT-package binary at `path` (`.wasm`, or `.wat` text).
///
/// # Errors
/// Unreadable files and anything [`super::decode::decode`] rejects.
pub fn push_binary(resolve: &mut Resolve, path: &Path) -> WitResult<PackageId> {
    let bytes = read_binary(path)?;
    super::decode::decode(resolve, &bytes).map_err(|mut e| {
        e.message = format!("{}: {}", path.display(), e.message);
        e
    })
}
