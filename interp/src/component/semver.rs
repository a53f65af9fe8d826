//! Versioned names (Explainer.md "Import and Export Definitions":
//! `interfacename ::= <namespace>:<package>/<interface>@<semver>?`) and
//! the semver-compatible lookup a runtime does when an import asks for a
//! version it does not have exactly: `1.2.0` is served by `1.3.1`, not by
//! `2.0.0`; `0.2.1` by `0.2.5`, not by `0.3.0`; a pre-release only by
//! itself.

use alloc::string::String;

/// A semantic version's numbers and pre-release part.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
}

/// `name@version` split, the version parsed; `None` without a version.
pub fn split(name: &str) -> Option<(&str, Version)> {
    let (base, v) = name.rsplit_once('@')?;
    let v = v.split('+').next()?;
    let (nums, pre) = v.split_once('-').unwrap_or((v, ""));
    let mut it = nums.split('.').map(str::parse::<u64>);
    let (Some(Ok(major)), Some(Ok(minor)), Some(Ok(patch)), None) =
        (it.next(), it.next(), it.next(), it.next())
    else {
        return None;
    };
    Some((
        base,
        Version {
            major,
            minor,
            patch,
            pre: String::from(pre),
        },
    ))
}

/// The part of a version that compatible versions share: the major
/// version, or `0.minor`, or `0.0.patch`; a pre-release is its own.
fn compat_key(v: &Version) -> (u64, u64, u64, &str) {
    if !v.pre.is_empty() {
        (v.major, v.minor, v.patch, &v.pre)
    } else if v.major > 0 {
        (v.major, 0, 0, "")
    } else if v.minor > 0 {
        (0, v.minor, 0, "")
    } else {
        (0, 0, v.patch, "")
    }
}

/// Whether a definition named `provided` may serve an import named
/// `wanted`: the same name, or the same base with a compatible version.
pub fn compatible(wanted: &str, provided: &str) -> bool {
    if wanted == provided {
        return true;
    }
    match (split(wanted), split(provided)) {
        (Some((wb, wv)), Some((pb, pv))) => {
            wb == pb && compat_key(&wv) == compat_key(&pv) && pv >= wv
        }
        _ => false,
    }
}

/// Of `names`, the one that best serves `wanted`: the exact name, else the
/// highest compatible version.
pub fn best<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<&'a str> = None;
    for n in names.filter(|n| compatible(wanted, n)) {
        if n == wanted {
            return Some(n);
        }
        let newer = match (best.and_then(split), split(n)) {
            (Some((_, b)), Some((_, v))) => v > b,
            _ => true,
        };
        if newer {
            best = Some(n);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatible_versions() {
        assert!(compatible("a:b/c@1.2.0", "a:b/c@1.3.1"));
        assert!(!compatible("a:b/c@1.2.0", "a:b/c@1.1.0"));
        assert!(!compatible("a:b/c@1.2.0", "a:b/c@2.0.0"));
        assert!(compatible("a:b/c@0.2.1", "a:b/c@0.2.5"));
        assert!(!compatible("a:b/c@0.2.1", "a:b/c@0.3.0"));
        assert!(!compatible("a:b/c@0.0.1", "a:b/c@0.0.2"));
        assert!(!compatible("a:b/c@1.0.0-rc1", "a:b/c@1.0.0"));
        assert!(!compatible("a:b/c@1.0.0", "a:b/d@1.0.0"));
        assert!(compatible("run", "run"));
        let names = ["a:b/c@1.1.0", "a:b/c@1.4.0", "a:b/c@2.0.0", "a:b/c@1.3.0"];
        assert_eq!(best("a:b/c@1.2.0", names.into_iter()), Some("a:b/c@1.4.0"));
        assert_eq!(best("a:b/c@3.0.0", names.into_iter()), None);
    }
}
