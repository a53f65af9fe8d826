//! WIT.md "Feature Gates" ("Feature gate syntax", "Rules for feature gate
//! usage"), doc comments and `@external-id`: what an item's attributes and
//! comments say.

use crate::wit::ast;
use crate::wit::error::{Rule, WitError, WitResult};
use crate::wit::model::*;
use crate::wit::source::Span;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Docs as WIT.md's doc comments: every comment before an item, markers
/// stripped, the leading spaces common to its lines removed (spaces only,
/// the unit removed: counting a tab or `\r` would leave its line as it was
/// and printing would indent it one space more on every round).
pub fn docs(d: &ast::Docs) -> Docs {
    let mut lines: Vec<&str> = Vec::new();
    for c in &d.comments {
        let c = match c.strip_prefix("/**") {
            Some(rest) => rest.strip_suffix("*/").unwrap_or(rest),
            None => c.trim_start_matches('/'),
        };
        lines.push(c.trim_end());
    }
    let min_ws = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.bytes().take_while(|b| *b == b' ').count())
        .min()
        .unwrap_or(0);
    if lines.is_empty() {
        return Docs::default();
    }
    let pat = " ".repeat(min_ws);
    let mut contents = String::new();
    for l in lines {
        let l = if min_ws > 0 {
            l.strip_prefix(pat.as_str()).unwrap_or(l)
        } else {
            l
        };
        if l.is_empty() {
            contents.push('\n');
        } else {
            for line in l.lines() {
                contents.push_str(line);
                contents.push('\n');
            }
        }
    }
    while contents.ends_with('\n') {
        contents.pop();
    }
    Docs {
        contents: Some(contents),
    }
}

/// The gate written in `attrs`.
///
/// # Errors
/// A gate given twice, `@since` with `@unstable`, `@deprecated` alone.
pub fn stability(attrs: &[ast::Attribute]) -> WitResult<Stability> {
    let (mut since, mut deprecated, mut unstable) = (None, None, None);
    let (mut since_span, mut dep_span) = (Span::default(), Span::default());
    for a in attrs {
        match a {
            ast::Attribute::Since { span, version } => {
                if since.is_some() {
                    return Err(WitError::new(
                        Rule::Gate,
                        *span,
                        "cannot specify @since twice",
                    ));
                }
                since = Some(version.clone());
                since_span = *span;
            }
            ast::Attribute::Deprecated { span, version } => {
                if deprecated.is_some() {
                    return Err(WitError::new(
                        Rule::Gate,
                        *span,
                        "cannot specify @deprecated twice",
                    ));
                }
                deprecated = Some(version.clone());
                dep_span = *span;
            }
            ast::Attribute::Unstable { span, feature } => {
                if unstable.is_some() {
                    return Err(WitError::new(
                        Rule::Gate,
                        *span,
                        "cannot specify @unstable twice",
                    ));
                }
                unstable = Some(feature.name.clone());
            }
            ast::Attribute::ExternalId { .. } => {}
        }
    }
    match (since, deprecated, unstable) {
        (Some(since), deprecated, None) => Ok(Stability::Stable { since, deprecated }),
        (None, deprecated, Some(feature)) => Ok(Stability::Unstable {
            feature,
            deprecated,
        }),
        (Some(_), _, Some(_)) => Err(WitError::new(
            Rule::Gate,
            since_span,
            "cannot specify both @since and @unstable",
        )),
        (None, Some(_), None) => Err(WitError::new(
            Rule::Gate,
            dep_span,
            "cannot specify @deprecated without @since or @unstable",
        )),
        (None, None, None) => Ok(Stability::Unknown),
    }
}

pub(super) fn external_id(attrs: &[ast::Attribute]) -> WitResult<Option<String>> {
    let mut out = None;
    for a in attrs {
        if let ast::Attribute::ExternalId { span, id } = a {
            if out.is_some() {
                return Err(WitError::new(
                    Rule::Syntax,
                    *span,
                    "cannot specify @external-id twice",
                ));
            }
            out = Some(id.clone());
        }
    }
    Ok(out)
}

/// Whether an item with gate `stab` in package `pkg` is included (WIT.md
/// "Rules for feature gate usage").
///
/// # Errors
/// `@since` in a package without a version, or naming a later version.
pub fn include_stability(
    resolve: &Resolve,
    stab: &Stability,
    pkg: PackageId,
    span: Span,
) -> WitResult<bool> {
    match stab {
        Stability::Unknown => Ok(true),
        Stability::Stable { since, .. } => {
            let Some(p) = resolve.packages.get(pkg) else {
                return Ok(true);
            };
            let Some(v) = &p.name.version else {
                return Err(WitError::new(
                    Rule::Gate,
                    span,
                    format!(
                        "package [{}] contains a feature gate with a version specifier, so it must have a version",
                        p.name
                    ),
                ));
            };
            if since > v {
                return Err(WitError::new(
                    Rule::Gate,
                    span,
                    format!(
                        "feature gate cannot reference unreleased version {since} of package [{}] (current version {v})",
                        p.name
                    ),
                ));
            }
            Ok(true)
        }
        Stability::Unstable { feature, .. } => Ok(resolve.feature_enabled(feature)),
    }
}

pub(super) fn excluded_error(what: &str, span: Span) -> WitError {
    WitError::new(
        Rule::GateNotEnabled,
        span,
        format!(
            "found a reference to a {what} which is excluded due to its feature not being activated"
        ),
    )
}

/// An included item (a type definition, or a type a `use` brings in) in a
/// gated-off interface or world: WIT.md "Rules for feature gate usage"
/// wants what a gated item contains compatibly gated.
pub(super) fn ungated_in_excluded_error(owner_kind: &str, span: Span) -> WitError {
    let mut e = excluded_error(owner_kind, span);
    e.message.push_str(&format!(
        "; this type is not gated by a feature but its {owner_kind} is"
    ));
    e
}
