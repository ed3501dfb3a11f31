//! Splits `$filter`, `$orderby` and `$select` text into tokens, each with its byte position.

use super::error::Reason;

/// The longest string literal accepted, in characters. Longer literals are refused before any
/// query runs (SQLite's `LIKE` refuses patterns over 50,000 bytes, and no field holds more).
pub const MAX_LITERAL_CHARS: usize = 512;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A name: a field segment, an operator (`eq`, `and`, …), a keyword (`true`, `null`, …)
    /// or a function name.
    Ident,
    /// A string literal, its quotes removed and `''` unescaped.
    Str(String),
    /// A number literal.
    Num(f64),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `/` between path segments.
    Slash,
}

/// One token: its kind, where it starts and its source text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub kind: Kind,
    pub pos: usize,
    pub text: &'a str,
}

/// Tokenises `src`, or says where and why it cannot.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token<'_>>, (usize, Reason)> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                Kind::LParen
            }
            b')' => {
                i += 1;
                Kind::RParen
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            b'/' => {
                i += 1;
                Kind::Slash
            }
            b'\'' => {
                let mut value = String::new();
                i += 1;
                loop {
                    // Find the next quote; everything before it is literal text.
                    let Some(off) = src[i..].find('\'') else {
                        return Err((start, Reason::UnterminatedString));
                    };
                    value.push_str(&src[i..i + off]);
                    i += off + 1;
                    if bytes.get(i) == Some(&b'\'') {
                        value.push('\'');
                        i += 1;
                    } else {
                        break;
                    }
                }
                let len = value.chars().count();
                if len > MAX_LITERAL_CHARS {
                    return Err((
                        start,
                        Reason::LiteralTooLong {
                            len,
                            max: MAX_LITERAL_CHARS,
                        },
                    ));
                }
                Kind::Str(value)
            }
            b'-' | b'0'..=b'9' => {
                if c == b'-' {
                    i += 1;
                }
                let digits_start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let mut ok = i > digits_start;
                if ok && bytes.get(i) == Some(&b'.') {
                    i += 1;
                    let frac_start = i;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    ok = i > frac_start;
                }
                // A number runs into no name: `12abc` is one bad token, not two.
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    ok = false;
                    i += 1;
                }
                let text = &src[start..i];
                match text.parse::<f64>() {
                    Ok(n) if ok && n.is_finite() => Kind::Num(n),
                    _ => return Err((start, Reason::InvalidNumber(text.to_owned()))),
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Kind::Ident
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
                return Err((start, Reason::UnexpectedChar(ch)));
            }
        };
        tokens.push(Token {
            kind,
            pos: start,
            text: &src[start..i],
        });
    }
    Ok(tokens)
}
