//! Semantic versions (WIT.md "Package declaration": `valid-semver`, as
//! defined by Semantic Versioning 2.0), parsed and ordered by precedence.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;

/// A version `major.minor.patch(-pre)?(+build)?`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    /// Major version.
    pub major: u64,
    /// Minor version.
    pub minor: u64,
    /// Patch version.
    pub patch: u64,
    /// Pre-release identifiers, dot-separated, without the `-`.
    pub pre: String,
    /// Build metadata, without the `+`.
    pub build: String,
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    s.parse().ok()
}

fn idents_ok(s: &str, numeric_no_leading_zero: bool) -> bool {
    s.split('.').all(|p| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (!numeric_no_leading_zero
                || !p.bytes().all(|b| b.is_ascii_digit())
                || p.len() == 1
                || !p.starts_with('0'))
    })
}

impl Version {
    /// Parses `s`, or says what is wrong.
    pub fn parse(s: &str) -> Result<Version, &'static str> {
        let (rest, build) = match s.split_once('+') {
            Some((a, b)) => (a, b),
            None => (s, ""),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((a, b)) => (a, b),
            None => (rest, ""),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() != 3 {
            return Err("unexpected version format");
        }
        let major = number(parts[0]).ok_or("invalid leading zero or number in version")?;
        let minor = number(parts[1]).ok_or("invalid leading zero or number in version")?;
        let patch = number(parts[2]).ok_or("invalid leading zero or number in version")?;
        if s.contains('-') && rest.split_once('-').is_some() && !idents_ok(pre, true) {
            return Err("invalid pre-release identifier");
        }
        if s.contains('+') && !idents_ok(build, false) {
            return Err("invalid build metadata");
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre: pre.into(),
            build: build.into(),
        })
    }
}

fn cmp_idents(a: &str, b: &str) -> Ordering {
    let mut ai = a.split('.');
    let mut bi = b.split('.');
    loop {
        match (ai.next(), bi.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let xn = x.bytes().all(|c| c.is_ascii_digit());
                let yn = y.bytes().all(|c| c.is_ascii_digit());
                let o = match (xn, yn) {
                    (true, true) => x.len().cmp(&y.len()).then(x.cmp(y)),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_idents(&self.pre, &other.pre),
            })
            .then_with(|| cmp_idents(&self.build, &other.build))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}
