//! Import and export names (Explainer.md "Import and Export Definitions",
//! "Name Uniqueness", "🔗 Canonical Interface Name"): the lexical rules of
//! `externname`, `label`, `interfacename` and versions, and strong
//! uniqueness.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::features::Features;

/// A parsed `externname`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternName<'a> {
    /// `<label>`.
    Label(&'a str),
    /// `[constructor]<label>`.
    Constructor(&'a str),
    /// `[method]<label>.<label>`.
    Method(&'a str, &'a str),
    /// `[static]<label>.<label>`.
    Static(&'a str, &'a str),
    /// `<interfacename>`, with the version if present.
    Interface {
        /// The version after `@`.
        version: Option<&'a str>,
    },
}

impl ExternName<'_> {
    /// Whether this is a `plainname`.
    pub fn is_plain(&self) -> bool {
        !matches!(self, ExternName::Interface { .. })
    }
}

/// `first-word ::= [a-z] [0-9a-z]*`, `first-acronym ::= [A-Z] [0-9A-Z]*`,
/// `label ::= <first-fragment> ( '-' <fragment> )*`.
pub fn is_label(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut first = true;
    for frag in s.split('-') {
        let mut chars = frag.chars();
        let Some(c0) = chars.next() else {
            return false;
        };
        if first && !c0.is_ascii_alphabetic() {
            return false;
        }
        first = false;
        let lower = frag
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let upper = frag
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !(lower || upper) {
            return false;
        }
    }
    true
}

/// `words ::= <first-word> ( '-' <word> )*`.
fn is_words(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').enumerate().all(|(i, w)| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && (i > 0 || w.starts_with(|c: char| c.is_ascii_lowercase()))
        })
}

/// Checks a `label` (record fields, cases, parameters, plain names).
///
/// # Errors
///
/// "`s` is not in kebab case".
pub fn label(s: &str) -> Result<(), String> {
    if is_label(s) {
        Ok(())
    } else {
        Err(format!("`{s}` is not in kebab case"))
    }
}

/// Parses an `externname`.
///
/// # Errors
///
/// The rule the name breaks.
pub fn extern_name<'a>(s: &'a str, features: &Features) -> Result<ExternName<'a>, String> {
    if let Some(rest) = s.strip_prefix("[constructor]") {
        label(rest)?;
        return Ok(ExternName::Constructor(rest));
    }
    for (prefix, is_method) in [("[method]", true), ("[static]", false)] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let Some((r, f)) = rest.split_once('.') else {
                return Err(format!("failed to find `.` character in `{rest}`"));
            };
            label(r)?;
            label(f)?;
            return Ok(if is_method {
                ExternName::Method(r, f)
            } else {
                ExternName::Static(r, f)
            });
        }
    }
    if s.contains(':') {
        return interface_name(s, features);
    }
    if s.starts_with('[') {
        return Err(format!("`{s}` is not a valid extern name"));
    }
    label(s)?;
    Ok(ExternName::Label(s))
}

/// `interfacename ::= <namespace>+ <words> <projection>+ <interfaceversion>?`
/// (more than one namespace or projection only with 🪺).
///
/// # Errors
///
/// The rule the name breaks.
pub fn interface_name<'a>(s: &'a str, features: &Features) -> Result<ExternName<'a>, String> {
    let (path, version) = match s.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (s, None),
    };
    // `<namespace>+ <words> '/'`: the last `:`-separated part before the
    // first `/` is the package, the others are namespaces.
    let (package, projections) = match path.split_once('/') {
        Some((p, rest)) => (p, Some(rest)),
        None => (path, None),
    };
    let parts: Vec<&str> = package.split(':').collect();
    if parts.len() < 2 {
        return Err(format!("`{s}` is not a valid extern name"));
    }
    if parts.len() > 2 && !features.component_model_nested_names {
        return Err(format!(
            "`{s}` is not a valid extern name: expected `/` after package name"
        ));
    }
    for (i, w) in parts.iter().enumerate() {
        if w.is_empty() && i + 1 == parts.len() {
            return Err(String::from("`` is not in kebab case"));
        }
        if !is_words(w) {
            return Err(format!(
                "`{s}` is not a valid extern name: `{w}` is not in kebab case"
            ));
        }
    }
    let Some(projections) = projections else {
        return Err(format!(
            "`{s}` is not a valid extern name: expected `/` after package name"
        ));
    };
    let projs: Vec<&str> = projections.split('/').collect();
    if projs.len() > 1 && !features.component_model_nested_names {
        let rest = &projections[projs[0].len()..];
        return Err(format!("trailing characters found: `{rest}`"));
    }
    for p in &projs {
        label(p)?;
    }
    if let Some(v) = version {
        interface_version(v, features)?;
    }
    Ok(ExternName::Interface { version })
}

/// `interfaceversion ::= '@' <valid semver> | '@' <canonversion>` 🔗.
fn interface_version(v: &str, features: &Features) -> Result<(), String> {
    if features.component_model_canon_names && is_canon_version(v) {
        return Ok(());
    }
    semver(v)
}

/// `canonversion ::= [1-9][0-9]* | '0.' [1-9][0-9]* | '0.0.' [1-9][0-9]* | '0.0.0'` 🔗.
pub fn is_canon_version(v: &str) -> bool {
    let nonzero =
        |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()) && !x.starts_with('0');
    let parts: Vec<&str> = v.split('.').collect();
    match parts.as_slice() {
        [a] => nonzero(a),
        ["0", b] => nonzero(b),
        ["0", "0", c] => nonzero(c) || *c == "0",
        _ => false,
    }
}

/// `valid semver` (Semantic Versioning 2.0), with error messages worded
/// like the `semver` crate's, which the reference tests expect.
///
/// # Errors
///
/// What is wrong with the version.
pub fn semver(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err(String::from("empty string, expected a semver version"));
    }
    let bytes: Vec<char> = v.chars().collect();
    let mut i = 0;
    for (n, pos) in ["major", "minor", "patch"].iter().enumerate() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(match bytes.get(i) {
                Some(c) => format!("unexpected character '{c}' while parsing {pos} version number"),
                None => format!("unexpected end of input while parsing {pos} version number"),
            });
        }
        if i - start > 1 && bytes[start] == '0' {
            return Err(format!("invalid leading zero in {pos} version number"));
        }
        if n < 2 {
            match bytes.get(i) {
                Some('.') => i += 1,
                Some(c) => {
                    return Err(format!(
                        "unexpected character '{c}' after {pos} version number"
                    ));
                }
                None => {
                    return Err(format!(
                        "unexpected end of input while parsing {pos} version number"
                    ));
                }
            }
        }
    }
    let mut rest: String = bytes[i..].iter().collect();
    if let Some(r) = rest.strip_prefix('-') {
        let (pre, build) = match r.split_once('+') {
            Some((p, b)) => (p.to_string(), Some(b.to_string())),
            None => (r.to_string(), None),
        };
        identifiers(&pre, "pre-release identifier")?;
        rest = build.map(|b| format!("+{b}")).unwrap_or_default();
    }
    if let Some(b) = rest.strip_prefix('+') {
        identifiers(b, "build metadata")?;
        rest.clear();
    }
    if let Some(c) = rest.chars().next() {
        return Err(format!(
            "unexpected character '{c}' after patch version number"
        ));
    }
    Ok(())
}

fn identifiers(s: &str, what: &str) -> Result<(), String> {
    for id in s.split('.') {
        if id.is_empty() {
            return Err(format!("empty identifier segment in {what}"));
        }
        if let Some(c) = id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!("unexpected character '{c}' in {what}"));
        }
    }
    Ok(())
}

/// Strong uniqueness (Explainer.md "Name Uniqueness"): the canonical form
/// two names are compared by.
pub fn canonicalize(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    for prefix in ["[method]", "[static]"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            if let Some((a, b)) = rest.split_once('.')
                && a == b
            {
                return a.to_string();
            }
            return rest.to_string();
        }
    }
    if lower.starts_with('[')
        && !lower.starts_with("[constructor]")
        && let Some((_, rest)) = lower.split_once(']')
    {
        return rest.to_string();
    }
    lower
}

/// 🔗 `versionsuffix`: only after a `canonversion`, and the two together
/// must be a valid semver.
///
/// # Errors
///
/// The rule the attribute breaks.
pub fn version_suffix(name: &ExternName<'_>, suffix: &str) -> Result<(), String> {
    let ExternName::Interface { version: Some(v) } = name else {
        return Err(String::from(
            "`versionsuffix` requires an interface name with a version",
        ));
    };
    if !is_canon_version(v) {
        return Err(format!(
            "`versionsuffix` requires a canonical version, found `{v}`"
        ));
    }
    let mut full = String::from(*v);
    full.push_str(suffix);
    semver(&full).map_err(|e| format!("`{full}` is not a valid semver: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        for ok in [
            "a",
            "a-b-c",
            "a1-2-3",
            "A",
            "A-B-C",
            "A1-2-3",
            "a11-w0rds",
            "m1x3d-4CR0NYMS",
        ] {
            assert!(is_label(ok), "{ok}");
        }
        for bad in ["", "1-2-3", "a-", "-a", "aB", "a--b", "a_b"] {
            assert!(!is_label(bad), "{bad}");
        }
    }

    #[test]
    fn strong_uniqueness() {
        let names = [
            "foo",
            "foo-bar",
            "[constructor]foo",
            "[method]foo.bar",
            "[static]foo.baz",
            "foo:bar/baz",
        ];
        let canon: Vec<_> = names.iter().map(|n| canonicalize(n)).collect();
        for (i, a) in canon.iter().enumerate() {
            for b in &canon[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(canonicalize("[method]foo.foo"), "foo");
        assert_eq!(canonicalize("FOO"), "foo");
    }

    #[test]
    fn semver_messages() {
        assert!(semver("1.0.0").is_ok());
        assert!(semver("1.2.3-rc.1+build.5").is_ok());
        assert!(
            semver("1.")
                .unwrap_err()
                .contains("unexpected end of input")
        );
        assert!(
            semver("2.0x0")
                .unwrap_err()
                .contains("unexpected character 'x'")
        );
        assert!(
            semver("2.0.0+")
                .unwrap_err()
                .contains("empty identifier segment")
        );
        assert!(semver("").unwrap_err().contains("empty string"));
    }

    #[test]
    fn interface_names() {
        let f = Features::ALL;
        assert!(interface_name("wasi:http/types@0.2.0", &f).is_ok());
        assert!(interface_name("wasi:http/types@0.2", &f).is_ok());
        let none = Features::NONE;
        assert!(
            interface_name("foo:bar/baz/qux", &none)
                .unwrap_err()
                .contains("trailing characters found: `/qux`")
        );
    }
}
