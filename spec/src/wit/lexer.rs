//! WIT.md "Lexical structure": whitespace, comments (nested block comments),
//! operators, keywords, integers, identifiers (`%`-escaped too) and string
//! literals. A file is tokenized up front; comments are kept as tokens
//! because doc comments attach to the item that follows them.

use super::error::{Rule, WitError, WitResult};
use super::source::Span;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// A token kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Tok {
    Comment,
    Equals,
    Comma,
    Colon,
    Period,
    Semicolon,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LessThan,
    GreaterThan,
    RArrow,
    Star,
    At,
    Slash,
    Plus,
    Minus,
    StringLiteral,
    Integer,
    Id,
    ExplicitId,
    // keywords
    Use,
    Type,
    Func,
    U8,
    U16,
    U32,
    U64,
    S8,
    S16,
    S32,
    S64,
    F32,
    F64,
    Char,
    Record,
    Resource,
    Own,
    Borrow,
    Flags,
    Variant,
    Enum,
    Bool,
    String,
    Option,
    Result,
    Future,
    Stream,
    ErrorContext,
    List,
    Map,
    Underscore,
    As,
    From,
    Static,
    Interface,
    Tuple,
    Import,
    Export,
    World,
    Package,
    Constructor,
    Include,
    With,
    Async,
}

impl Tok {
    /// How the token is named in "expected X, found Y" messages.
    pub fn describe(self) -> &'static str {
        use Tok::*;
        match self {
            Comment => "a comment",
            Equals => "'='",
            Comma => "','",
            Colon => "':'",
            Period => "'.'",
            Semicolon => "';'",
            LeftParen => "'('",
            RightParen => "')'",
            LeftBrace => "'{'",
            RightBrace => "'}'",
            LessThan => "'<'",
            GreaterThan => "'>'",
            RArrow => "`->`",
            Star => "`*`",
            At => "`@`",
            Slash => "`/`",
            Plus => "`+`",
            Minus => "`-`",
            StringLiteral => "a string literal",
            Integer => "an integer",
            Id => "an identifier",
            ExplicitId => "an '%' identifier",
            Use => "keyword `use`",
            Type => "keyword `type`",
            Func => "keyword `func`",
            U8 => "keyword `u8`",
            U16 => "keyword `u16`",
            U32 => "keyword `u32`",
            U64 => "keyword `u64`",
            S8 => "keyword `s8`",
            S16 => "keyword `s16`",
            S32 => "keyword `s32`",
            S64 => "keyword `s64`",
            F32 => "keyword `f32`",
            F64 => "keyword `f64`",
            Char => "keyword `char`",
            Record => "keyword `record`",
            Resource => "keyword `resource`",
            Own => "keyword `own`",
            Borrow => "keyword `borrow`",
            Flags => "keyword `flags`",
            Variant => "keyword `variant`",
            Enum => "keyword `enum`",
            Bool => "keyword `bool`",
            String => "keyword `string`",
            Option => "keyword `option`",
            Result => "keyword `result`",
            Future => "keyword `future`",
            Stream => "keyword `stream`",
            ErrorContext => "keyword `error-context`",
            List => "keyword `list`",
            Map => "keyword `map`",
            Underscore => "keyword `_`",
            As => "keyword `as`",
            From => "keyword `from`",
            Static => "keyword `static`",
            Interface => "keyword `interface`",
            Tuple => "keyword `tuple`",
            Import => "keyword `import`",
            Export => "keyword `export`",
            World => "keyword `world`",
            Package => "keyword `package`",
            Constructor => "keyword `constructor`",
            Include => "keyword `include`",
            With => "keyword `with`",
            Async => "keyword `async`",
        }
    }
}

/// The keyword spelled `s`, if any.
pub fn keyword(s: &str) -> Option<Tok> {
    use Tok::*;
    Some(match s {
        "use" => Use,
        "type" => Type,
        "func" => Func,
        "u8" => U8,
        "u16" => U16,
        "u32" => U32,
        "u64" => U64,
        "s8" => S8,
        "s16" => S16,
        "s32" => S32,
        "s64" => S64,
        "f32" => F32,
        "f64" => F64,
        "char" => Char,
        "resource" => Resource,
        "own" => Own,
        "borrow" => Borrow,
        "record" => Record,
        "flags" => Flags,
        "variant" => Variant,
        "enum" => Enum,
        "bool" => Bool,
        "string" => String,
        "option" => Option,
        "result" => Result,
        "future" => Future,
        "stream" => Stream,
        "error-context" => ErrorContext,
        "list" => List,
        "map" => Map,
        "_" => Underscore,
        "as" => As,
        "from" => From,
        "static" => Static,
        "interface" => Interface,
        "tuple" => Tuple,
        "world" => World,
        "import" => Import,
        "export" => Export,
        "package" => Package,
        "constructor" => Constructor,
        "include" => Include,
        "with" => With,
        "async" => Async,
        _ => return None,
    })
}

/// A token with its global span.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// Kind.
    pub tok: Tok,
    /// Where.
    pub span: Span,
}

fn is_keylike_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '-'
}

fn is_keylike_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Tokenizes `text`, whose first byte is at global offset `base`.
///
/// # Errors
/// Forbidden code points (WIT.md "Lexical structure"), unterminated
/// comments or strings, and characters that start no token.
pub fn tokenize(text: &str, base: u32) -> WitResult<Vec<Token>> {
    let at = |i: usize| base.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
    let err =
        |i: usize, msg: String| WitError::new(Rule::Lexical, Span::new(at(i), at(i) + 1), msg);
    for (i, c) in text.char_indices() {
        match c {
            '\n' | '\r' | '\t' => {}
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                return Err(err(
                    i,
                    format!(
                        "Input contains bidirectional override codepoint {:?} at {i}",
                        c.escape_unicode()
                    ),
                ));
            }
            '\u{149}' | '\u{673}' | '\u{f77}' | '\u{f79}' | '\u{17a3}' | '\u{17a4}'
            | '\u{17b4}' | '\u{17b5}' => {
                return Err(err(
                    i,
                    format!(
                        "Codepoint {:?} is discouraged by Unicode",
                        c.escape_unicode()
                    ),
                ));
            }
            c if c.is_control() => {
                return Err(err(i, format!("Control code '{}'", c.escape_unicode())));
            }
            _ => {}
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while i < text.len() {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let start = i;
        let tok = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '/' if bytes.get(i + 1) == Some(&b'/') => {
                i = match text[i..].find('\n') {
                    Some(n) => i + n + 1,
                    None => text.len(),
                };
                Tok::Comment
            }
            '/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 1;
                i += 2;
                while depth > 0 {
                    if i >= bytes.len() {
                        return Err(err(start, String::from("unterminated block comment")));
                    }
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                Tok::Comment
            }
            '"' => {
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(err(start, String::from("unterminated string literal")));
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                    }
                }
                Tok::StringLiteral
            }
            '-' if bytes.get(i + 1) == Some(&b'>') => {
                i += 2;
                Tok::RArrow
            }
            '%' => {
                i += 1;
                if let Some(c) = text[i..].chars().next()
                    && is_keylike_start(c)
                {
                    for c in text[i..].chars() {
                        if !is_keylike_continue(c) {
                            break;
                        }
                        i += c.len_utf8();
                    }
                }
                Tok::ExplicitId
            }
            c if c.is_ascii_digit() => {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                Tok::Integer
            }
            '-' => {
                i += 1;
                Tok::Minus
            }
            c if is_keylike_start(c) => {
                for c in text[i..].chars() {
                    if !is_keylike_continue(c) {
                        break;
                    }
                    i += c.len_utf8();
                }
                keyword(&text[start..i]).unwrap_or(Tok::Id)
            }
            _ => {
                i += c.len_utf8();
                match c {
                    '/' => Tok::Slash,
                    '=' => Tok::Equals,
                    ',' => Tok::Comma,
                    ':' => Tok::Colon,
                    '.' => Tok::Period,
                    ';' => Tok::Semicolon,
                    '(' => Tok::LeftParen,
                    ')' => Tok::RightParen,
                    '{' => Tok::LeftBrace,
                    '}' => Tok::RightBrace,
                    '<' => Tok::LessThan,
                    '>' => Tok::GreaterThan,
                    '*' => Tok::Star,
                    '@' => Tok::At,
                    '+' => Tok::Plus,
                    _ => return Err(err(start, format!("unexpected character {c:?}"))),
                }
            }
        };
        out.push(Token {
            tok,
            span: Span::new(at(start), at(i)),
        });
    }
    Ok(out)
}

/// Checks that `id` is a kebab-case identifier (WIT.md "WIT Identifiers"):
/// `-`-separated words, each all-lowercase or all-uppercase letters and
/// digits, the first word starting with a letter.
pub fn validate_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err(String::from("identifier must have at least one character"));
    }
    for (i, part) in id.split('-').enumerate() {
        let Some(first) = part.chars().next() else {
            return Err(String::from(
                "each word in an identifier must have at least one character",
            ));
        };
        if i == 0 && !first.is_ascii_alphabetic() {
            return Err(format!("invalid character in identifier {first:?}"));
        }
        let mut upper = None;
        for c in part.chars() {
            let this = if c.is_ascii_digit() {
                continue;
            } else if c.is_ascii_uppercase() {
                true
            } else if c.is_ascii_lowercase() {
                false
            } else {
                return Err(format!("invalid character in identifier {c:?}"));
            };
            match upper {
                None => upper = Some(this),
                Some(u) if u != this => {
                    return Err(format!("invalid character in identifier {c:?}"));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Decodes the string literal `lit` (quotes included), with the escapes of
/// the core text format's `name` (WIT.md "String Literals").
pub fn string_literal(lit: &str) -> Result<String, String> {
    let inner = lit
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(lit);
    let mut buf: Vec<u8> = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('"') => buf.push(b'"'),
                Some('\'') => buf.push(b'\''),
                Some('t') => buf.push(b'\t'),
                Some('n') => buf.push(b'\n'),
                Some('r') => buf.push(b'\r'),
                Some('\\') => buf.push(b'\\'),
                Some('u') => {
                    if chars.next() != Some('{') {
                        return Err(String::from("expected '{'"));
                    }
                    let mut n: u32 = 0;
                    let mut any = false;
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('_') => {}
                            Some(h) if h.is_ascii_hexdigit() => {
                                any = true;
                                n = n
                                    .checked_mul(16)
                                    .and_then(|n| n.checked_add(h.to_digit(16).unwrap_or(0)))
                                    .ok_or_else(|| String::from("number is too big"))?;
                            }
                            _ => return Err(String::from("invalid hex digit")),
                        }
                    }
                    let ch = char::from_u32(n)
                        .filter(|_| any)
                        .ok_or_else(|| format!("invalid unicode scalar value {n:x}"))?;
                    let mut b = [0; 4];
                    buf.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
                Some(h1) if h1.is_ascii_hexdigit() => match chars.next() {
                    Some(h2) if h2.is_ascii_hexdigit() => {
                        let v = h1.to_digit(16).unwrap_or(0) * 16 + h2.to_digit(16).unwrap_or(0);
                        buf.push(v as u8);
                    }
                    _ => return Err(String::from("invalid hex digit")),
                },
                Some(c) => return Err(format!("invalid escape {c:?}")),
                None => return Err(String::from("unexpected end of string")),
            },
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                return Err(format!("invalid character in string {c:?}"));
            }
            c => {
                let mut b = [0; 4];
                buf.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    String::from_utf8(buf).map_err(|_| String::from("string literal is not valid utf-8"))
}
