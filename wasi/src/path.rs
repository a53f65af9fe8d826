//! Confinement: a guest path, relative to a directory descriptor, as a
//! host path that stays inside that directory — the capability rule of
//! `wasi:filesystem` (and of cap-std, under wasmtime).
//!
//! The path is walked one component at a time below the descriptor's
//! directory: `..` may not climb above it, an absolute path is refused,
//! and every symbolic link met on the way (the last component's only if
//! it is to be followed) is read and its target walked in its place, so
//! a link cannot lead out either; an absolute target counts as an escape.
//! Escapes are `not-permitted`, as cap-std answers. (The walk and the
//! operation are separate system calls; a concurrent rename could slip
//! between them, a race this reference host accepts.)

use crate::filesystem::Code;
use std::collections::VecDeque;
use std::fs;
use std::path::{Path, PathBuf};

/// Symbolic links followed in one walk before it is a `loop`.
const MAX_LINKS: usize = 40;

/// The host path `path` names below `base`; `follow`: whether a symbolic
/// link in the last component is followed.
///
/// # Errors
/// `not-permitted` for an escape, `no-entry` for an empty path or a
/// missing directory on the way, `not-directory` for a file on the way,
/// `loop` for too many links.
pub fn resolve(base: &Path, path: &str, follow: bool) -> Result<PathBuf, Code> {
    if path.is_empty() {
        return Err("no-entry");
    }
    if path.starts_with('/') {
        return Err("not-permitted");
    }
    if path.contains('\0') {
        return Err("illegal-byte-sequence");
    }
    // A trailing slash asks for a directory: the last component is
    // followed.
    let follow = follow || path.ends_with('/');
    let mut todo: VecDeque<String> = components(path);
    let mut at = base.to_path_buf();
    let mut depth = 0usize;
    let mut links = 0;
    while let Some(c) = todo.pop_front() {
        if c == ".." {
            if depth == 0 {
                return Err("not-permitted");
            }
            at.pop();
            depth -= 1;
            continue;
        }
        let next = at.join(&c);
        let last = todo.is_empty();
        if last && !follow {
            at = next;
            break;
        }
        match fs::symlink_metadata(&next) {
            Ok(m) if m.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err("loop");
                }
                let target = fs::read_link(&next).map_err(|e| crate::filesystem::code(&e))?;
                let target = target.to_str().ok_or("illegal-byte-sequence")?;
                if target.starts_with('/') {
                    return Err("not-permitted");
                }
                for t in components(target).into_iter().rev() {
                    todo.push_front(t);
                }
            }
            Ok(m) if !last && !m.is_dir() => return Err("not-directory"),
            Err(_) if !last => return Err("no-entry"),
            _ => {
                at = next;
                depth += 1;
            }
        }
    }
    Ok(at)
}

/// The components of a relative path, without the empty and `.` ones.
fn components(path: &str) -> VecDeque<String> {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A fresh directory tree: `root/sub/file`, `root/top`, and outside
    /// it `secret`; links `root/up -> ..`, `root/abs -> /etc`,
    /// `root/in -> sub/file`, `root/sub/back -> ../top`, `root/a <-> root/b`.
    fn tree(name: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("witness-wasi-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let root = dir.join("root");
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join("sub/file"), "f").unwrap();
        fs::write(root.join("top"), "t").unwrap();
        fs::write(dir.join("secret"), "s").unwrap();
        symlink("..", root.join("up")).unwrap();
        symlink("/etc", root.join("abs")).unwrap();
        symlink("sub/file", root.join("in")).unwrap();
        symlink("../top", root.join("sub/back")).unwrap();
        symlink("b", root.join("a")).unwrap();
        symlink("a", root.join("b")).unwrap();
        (dir, root)
    }

    #[test]
    fn paths_inside_the_directory_resolve() {
        let (dir, root) = tree("inside");
        assert_eq!(resolve(&root, "sub/file", true), Ok(root.join("sub/file")));
        assert_eq!(resolve(&root, "./sub/../top", true), Ok(root.join("top")));
        assert_eq!(resolve(&root, "in", true), Ok(root.join("sub/file")));
        assert_eq!(resolve(&root, "sub/back", true), Ok(root.join("top")));
        // Not following the last link names the link itself.
        assert_eq!(resolve(&root, "in", false), Ok(root.join("in")));
        assert_eq!(resolve(&root, "new-file", true), Ok(root.join("new-file")));
        assert_eq!(resolve(&root, ".", true), Ok(root.clone()));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn escapes_are_not_permitted() {
        let (dir, root) = tree("escapes");
        assert_eq!(resolve(&root, "../secret", true), Err("not-permitted"));
        assert_eq!(
            resolve(&root, "sub/../../secret", true),
            Err("not-permitted")
        );
        assert_eq!(resolve(&root, "/etc/passwd", true), Err("not-permitted"));
        assert_eq!(resolve(&root, "up/secret", true), Err("not-permitted"));
        assert_eq!(resolve(&root, "up", true), Err("not-permitted"));
        assert_eq!(resolve(&root, "abs/passwd", false), Err("not-permitted"));
        // The link itself, not followed, is inside.
        assert_eq!(resolve(&root, "up", false), Ok(root.join("up")));
        // Below a subdirectory, `..` may climb back to the base only.
        assert_eq!(
            resolve(&root.join("sub"), "../top", true),
            Err("not-permitted")
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn odd_paths_have_their_error_codes() {
        let (dir, root) = tree("odd");
        assert_eq!(resolve(&root, "", true), Err("no-entry"));
        assert_eq!(resolve(&root, "a", true), Err("loop"));
        assert_eq!(resolve(&root, "a", false), Ok(root.join("a")));
        assert_eq!(resolve(&root, "top/x", true), Err("not-directory"));
        assert_eq!(resolve(&root, "none/x", true), Err("no-entry"));
        fs::remove_dir_all(dir).unwrap();
    }
}
