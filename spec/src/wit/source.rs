//! Sources and spans (WIT.md "Filesystem structure"): every file read for a
//! resolve is kept in one map, and a span is a range of global offsets into
//! it, so an error anywhere can be located in its file.

use alloc::string::String;
use alloc::vec::Vec;

/// A byte range of global offsets into a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }
}

/// One source file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path it was read from (or a name given by the caller).
    pub path: String,
    /// Its text.
    pub text: String,
    /// Global offset of its first byte.
    pub offset: u32,
}

/// All sources read for a resolve.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    sources: Vec<Source>,
    next: u32,
}

/// A span located in its file.
pub struct Location<'a> {
    /// The file's path.
    pub path: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of the line.
    pub text: &'a str,
    /// Length of the span on that line, in characters (at least 1).
    pub snippet_len: usize,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; returns its index.
    pub fn push(&mut self, path: impl Into<String>, text: impl Into<String>) -> usize {
        let text = text.into();
        let offset = self.next;
        // One byte of slack after each file so an end-of-file span is
        // still inside it.
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX - 1);
        self.next = offset.saturating_add(len).saturating_add(1);
        self.sources.push(Source {
            path: path.into(),
            text,
            offset,
        });
        self.sources.len() - 1
    }

    /// The files, in the order they were added.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The file at `i`.
    pub fn source(&self, i: usize) -> &Source {
        &self.sources[i]
    }

    /// The text of `span`.
    pub fn text(&self, span: Span) -> &str {
        for s in &self.sources {
            let end = s.offset as usize + s.text.len();
            if span.start >= s.offset && (span.end as usize) <= end {
                let a = (span.start - s.offset) as usize;
                let b = (span.end - s.offset) as usize;
                return s.text.get(a..b).unwrap_or("");
            }
        }
        ""
    }

    /// Locates `span`.
    pub fn locate(&self, span: Span) -> Option<Location<'_>> {
        let src = self.sources.iter().rev().find(|s| {
            span.start >= s.offset && span.start as usize <= s.offset as usize + s.text.len()
        })?;
        let rel = (span.start - src.offset) as usize;
        let before = src.text.get(..rel)?;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line = before.matches('\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        let rest = &src.text[line_start..];
        let text = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
        let end = (span.end.saturating_sub(src.offset) as usize).min(src.text.len());
        let snippet_len = src
            .text
            .get(rel..end.max(rel))
            .map(|s| s.split('\n').next().unwrap_or("").chars().count())
            .unwrap_or(1)
            .max(1);
        Some(Location {
            path: &src.path,
            line,
            column,
            text,
            snippet_len,
        })
    }
}
