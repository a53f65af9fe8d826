//! Splitting a script into its top-level directives.
//!
//! Each directive is parsed on its own, so that one directive the `wast`
//! crate cannot parse (say, the legacy folded `try` syntax) fails alone and
//! the rest of the file still runs.

use wast::lexer::{Lexer, TokenKind};

/// One top-level s-expression of a script.
pub(crate) struct Chunk<'a> {
    /// The directive's source text, from its `(` to its `)`.
    pub text: &'a str,
    /// 1-based line of the chunk's first character in the whole file.
    pub line: usize,
    /// Byte offset of the chunk in the whole file.
    offset: usize,
}

/// A lexer over `text` that accepts the unusual unicode the suites use on
/// purpose (bidi controls in `names.wast`).
pub(crate) fn lexer(text: &str) -> Lexer<'_> {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    lexer
}

/// Splits `text` into top-level parenthesised chunks.
///
/// A lexical error ends the splitting: the rest of the file, from the start
/// of the directive that contains the error, becomes one last chunk, whose
/// parse then reports the error. A file that holds a bare module body
/// (`(func ...) (memory ...)` without `(module ...)`) is one chunk.
pub(crate) fn split(text: &str) -> Vec<Chunk<'_>> {
    let lexer = lexer(text);
    let mut chunks = Vec::new();
    let mut pos = 0;
    let mut depth = 0usize;
    let mut start = None;
    loop {
        let token = match lexer.parse(&mut pos) {
            Ok(Some(token)) => token,
            Ok(None) => break,
            Err(_) => {
                let from = start.unwrap_or(pos.min(text.len()));
                push(&mut chunks, text, from, text.len());
                return bare_module(text, chunks);
            }
        };
        match token.kind {
            TokenKind::LParen => {
                if depth == 0 {
                    start = Some(token.offset);
                }
                depth += 1;
            }
            TokenKind::RParen => {
                if depth == 0 {
                    // A stray `)`: let the parser report it.
                    push(&mut chunks, text, token.offset, text.len());
                    return bare_module(text, chunks);
                }
                depth -= 1;
                if depth == 0 {
                    let from = start.take().unwrap_or(token.offset);
                    push(&mut chunks, text, from, token.offset + 1);
                }
            }
            TokenKind::LineComment | TokenKind::BlockComment | TokenKind::Whitespace => {}
            _ if depth == 0 => {
                // A token outside any parentheses: not a script of directives.
                return vec![Chunk {
                    text,
                    line: 1,
                    offset: 0,
                }];
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        // Unbalanced parentheses at the end of the file.
        push(&mut chunks, text, from, text.len());
    }
    bare_module(text, chunks)
}

/// If the first chunk is not a directive, the whole file is one inline
/// module (the `wast` crate's rule too).
fn bare_module<'a>(text: &'a str, chunks: Vec<Chunk<'a>>) -> Vec<Chunk<'a>> {
    match chunks.first() {
        Some(first) if !is_directive(first.text) => vec![Chunk {
            text,
            line: 1,
            offset: 0,
        }],
        _ => chunks,
    }
}

fn is_directive(chunk: &str) -> bool {
    let lexer = lexer(chunk);
    let mut pos = 0;
    let mut seen_paren = false;
    while let Ok(Some(token)) = lexer.parse(&mut pos) {
        match token.kind {
            TokenKind::LParen if !seen_paren => seen_paren = true,
            TokenKind::LineComment | TokenKind::BlockComment | TokenKind::Whitespace => {}
            TokenKind::Keyword => {
                let kw = &chunk[token.offset..token.offset + token.len as usize];
                return kw.starts_with("assert_")
                    || matches!(
                        kw,
                        "module" | "component" | "register" | "invoke" | "thread" | "wait"
                    );
            }
            _ => return false,
        }
    }
    false
}

/// Appends `text[from..to]`, counting lines from the previous chunk on.
fn push<'a>(chunks: &mut Vec<Chunk<'a>>, text: &'a str, from: usize, to: usize) {
    let (prev_from, prev_line) = match chunks.last() {
        Some(last) => (last.offset, last.line),
        None => (0, 1),
    };
    let from = from.max(prev_from);
    let line = prev_line
        + text[prev_from..from]
            .bytes()
            .filter(|&b| b == b'\n')
            .count();
    chunks.push(Chunk {
        text: &text[from..to],
        line,
        offset: from,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_directives_with_lines() {
        let text =
            "(module)\n;; (not this)\n(; nor (this) ;)\n(assert_return (invoke \"f\" \")\"))\n";
        let chunks = split(text);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].text, "(module)");
        assert_eq!(chunks[0].line, 1);
        assert_eq!(chunks[1].text, "(assert_return (invoke \"f\" \")\"))");
        assert_eq!(chunks[1].line, 4);
    }

    #[test]
    fn bare_module_body_is_one_chunk() {
        let text = "(func (export \"f\"))\n(memory 1)\n";
        let chunks = split(text);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].text, text);
    }
}
