//! WIT errors (WIT.md "Lexical structure", "Name resolution", "Feature
//! Gates"): a value with a span and the rule it breaks, rendered with the
//! file, line, column and a caret under the offending text.

use super::source::{SourceMap, Span};
use alloc::format;
use alloc::string::String;
use core::fmt;

/// The rule an invalid WIT input breaks, named after WIT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// "Lexical structure": a character, comment, string or identifier.
    Lexical,
    /// The grammar of an item ("Top-level items", "Item: ...", "Types").
    Syntax,
    /// "Name resolution": a name that is not defined.
    UnknownName,
    /// "Name resolution": a name defined more than once.
    Duplicate,
    /// "Name resolution": types, interfaces, worlds or packages that refer
    /// to themselves.
    Cycle,
    /// "Feature Gates": a reference to an item whose gate is not enabled.
    GateNotEnabled,
    /// "Feature gate syntax" / "Rules for feature gate usage".
    Gate,
    /// "Package declaration", "Filesystem structure": missing, conflicting
    /// or unknown packages.
    Package,
    /// "WIT Worlds": import/export conflicts, `include` rules.
    World,
    /// "Types", "Handles", "Item: resource": a type used where it may not be.
    Type,
    /// WIT.md "Package Format": a WIT-package binary that cannot be read,
    /// or a package that cannot be written as one.
    Binary,
}

impl Rule {
    /// Short name printed after `error`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Lexical => "lexical",
            Rule::Syntax => "syntax",
            Rule::UnknownName => "unknown-name",
            Rule::Duplicate => "duplicate",
            Rule::Cycle => "cycle",
            Rule::GateNotEnabled => "gate-not-enabled",
            Rule::Gate => "gate",
            Rule::Package => "package",
            Rule::World => "world",
            Rule::Type => "type",
            Rule::Binary => "binary",
        }
    }
}

/// An invalid WIT input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitError {
    /// The rule broken.
    pub rule: Rule,
    /// What is wrong, in words.
    pub message: String,
    /// Where, if known.
    pub span: Option<Span>,
}

/// Result of WIT operations.
pub type WitResult<T> = core::result::Result<T, WitError>;

impl WitError {
    /// A new error at `span`.
    pub fn new(rule: Rule, span: Span, message: impl Into<String>) -> Self {
        WitError {
            rule,
            message: message.into(),
            span: Some(span),
        }
    }

    /// A new error without a location.
    pub fn nowhere(rule: Rule, message: impl Into<String>) -> Self {
        WitError {
            rule,
            message: message.into(),
            span: None,
        }
    }

    /// Renders the error against `sources`: message, `--> file:line:col`, the
    /// source line and a caret.
    pub fn render(&self, sources: &SourceMap) -> String {
        let head = format!("error[{}]: {}", self.rule.name(), self.message);
        let Some(span) = self.span else {
            return head;
        };
        let Some(loc) = sources.locate(span) else {
            return head;
        };
        let width = format!("{}", loc.line).len().max(4);
        let pad = " ".repeat(width);
        let mut caret = String::from("^");
        let len = loc.snippet_len.saturating_sub(1);
        caret.push_str(&"-".repeat(len));
        format!(
            "{head}\n{pad} --> {}:{}:{}\n{pad} |\n{:>width$} | {}\n{pad} | {}{}",
            loc.path,
            loc.line,
            loc.column,
            loc.line,
            loc.text,
            " ".repeat(loc.column - 1),
            caret,
        )
    }

    /// The 1-based line of the error in `sources`, if it has a location.
    pub fn line(&self, sources: &SourceMap) -> Option<(String, usize)> {
        let loc = sources.locate(self.span?)?;
        Some((String::from(loc.path), loc.line))
    }
}

impl fmt::Display for WitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl core::error::Error for WitError {}
