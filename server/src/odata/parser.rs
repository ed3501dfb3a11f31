//! The `$filter` parser: recursive descent over [`tokenize`]'s tokens, type-checking every
//! field and literal against the collection's [`FieldSet`] as it goes.
//!
//! Grammar (lowest binding first; `and`/`or` are left-associative):
//!
//! ```text
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | primary
//! primary := "(" or ")"
//!          | func "(" path "," string ")"      func: contains | startswith | endswith
//!          | path op literal                   op: eq | ne | gt | ge | lt | le
//! path    := name ("/" name)*
//! literal := 'text' ('' for a quote) | -?digits(.digits)? | true | false | null
//! ```
//!
//! `not` binds tighter than `and`, which binds tighter than `or`: `not a eq 1 and b eq 2 or c
//! eq 3` is `((not (a eq 1)) and (b eq 2)) or (c eq 3)`.

use super::ast::{CompareOp, Expr, StringFn};
use super::error::{QueryError, Reason};
use super::lexer::{Kind, Token, tokenize};
use super::value::{FieldSet, FieldType, Value};

/// The deepest tree accepted (nesting plus chained conditions), so that printing, evaluating
/// and dropping a tree can never exhaust the stack.
pub const MAX_DEPTH: usize = 64;

const OPTION: &str = "$filter";

/// Parses and type-checks a `$filter` value.
pub fn parse_filter(src: &str, fields: &FieldSet) -> Result<Expr, QueryError> {
    let tokens = tokenize(src).map_err(|(pos, reason)| QueryError::new(OPTION, pos, reason))?;
    let mut parser = Parser {
        tokens,
        at: 0,
        end: src.len(),
        fields,
    };
    if parser.tokens.is_empty() {
        return Err(parser.expected("a filter condition"));
    }
    let (expr, _) = parser.or(0)?;
    match parser.peek() {
        None => Ok(expr),
        Some(_) => Err(parser.expected("'and', 'or' or the end of the filter")),
    }
}

/// Parses a field path (`name`, `emails/preferred`) starting at the current token.
pub(crate) fn parse_path(tokens: &[Token<'_>], at: &mut usize) -> Option<(String, usize)> {
    let first = tokens.get(*at).filter(|t| t.kind == Kind::Ident)?;
    let pos = first.pos;
    let mut path = first.text.to_owned();
    *at += 1;
    while let (Some(slash), Some(seg)) = (tokens.get(*at), tokens.get(*at + 1)) {
        if slash.kind != Kind::Slash || seg.kind != Kind::Ident {
            break;
        }
        path.push('/');
        path.push_str(seg.text);
        *at += 2;
    }
    Some((path, pos))
}

struct Parser<'a, 'f> {
    tokens: Vec<Token<'a>>,
    at: usize,
    end: usize,
    fields: &'f FieldSet,
}

impl<'a> Parser<'a, '_> {
    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.at)
    }

    fn peek_word(&self, word: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.kind == Kind::Ident && t.text == word)
    }

    /// An "expected …" error at the current token, or at the end of the text.
    fn expected(&self, expected: &str) -> QueryError {
        let expected = expected.to_owned();
        match self.peek() {
            Some(t) => QueryError::new(
                OPTION,
                t.pos,
                Reason::Expected {
                    expected,
                    found: t.text.to_owned(),
                },
            ),
            None => QueryError::new(OPTION, self.end, Reason::ExpectedAtEnd { expected }),
        }
    }

    fn too_deep(&self, pos: usize, depth: usize) -> Result<(), QueryError> {
        if depth > MAX_DEPTH {
            Err(QueryError::new(OPTION, pos, Reason::TooComplex(MAX_DEPTH)))
        } else {
            Ok(())
        }
    }

    /// Each rule returns the tree and its depth.
    fn or(&mut self, depth: usize) -> Result<(Expr, usize), QueryError> {
        let (mut left, mut d) = self.and(depth)?;
        while self.peek_word("or") {
            let pos = self.tokens[self.at].pos;
            self.at += 1;
            let (right, rd) = self.and(depth)?;
            d = d.max(rd) + 1;
            self.too_deep(pos, depth + d)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok((left, d))
    }

    fn and(&mut self, depth: usize) -> Result<(Expr, usize), QueryError> {
        let (mut left, mut d) = self.unary(depth)?;
        while self.peek_word("and") {
            let pos = self.tokens[self.at].pos;
            self.at += 1;
            let (right, rd) = self.unary(depth)?;
            d = d.max(rd) + 1;
            self.too_deep(pos, depth + d)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok((left, d))
    }

    fn unary(&mut self, depth: usize) -> Result<(Expr, usize), QueryError> {
        if self.peek_word("not") {
            let pos = self.tokens[self.at].pos;
            self.too_deep(pos, depth + 1)?;
            self.at += 1;
            let (inner, d) = self.unary(depth + 1)?;
            return Ok((Expr::Not(Box::new(inner)), d + 1));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<(Expr, usize), QueryError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.expected("a condition, 'not' or '('"));
        };
        match tok.kind {
            Kind::LParen => {
                self.too_deep(tok.pos, depth + 1)?;
                self.at += 1;
                let (inner, d) = self.or(depth + 1)?;
                if self.peek().is_some_and(|t| t.kind == Kind::RParen) {
                    self.at += 1;
                    Ok((inner, d))
                } else {
                    Err(self.expected("'and', 'or' or ')'"))
                }
            }
            Kind::Ident
                if self
                    .tokens
                    .get(self.at + 1)
                    .is_some_and(|t| t.kind == Kind::LParen) =>
            {
                self.call(&tok).map(|e| (e, 1))
            }
            Kind::Ident => self.comparison().map(|e| (e, 1)),
            _ => Err(self.expected("a field name, a function, 'not' or '('")),
        }
    }

    /// A known field at the current token, with its type and position.
    fn field(&mut self) -> Result<(String, FieldType, usize), QueryError> {
        let Some((path, pos)) = parse_path(&self.tokens, &mut self.at) else {
            return Err(self.expected("a field name"));
        };
        match self.fields.get(&path) {
            Some(ty) => Ok((path, ty, pos)),
            None => Err(QueryError::new(OPTION, pos, Reason::UnknownField(path))),
        }
    }

    fn call(&mut self, name: &Token<'a>) -> Result<Expr, QueryError> {
        let Some(func) = StringFn::from_name(name.text) else {
            return Err(QueryError::new(
                OPTION,
                name.pos,
                Reason::UnknownFunction(name.text.to_owned()),
            ));
        };
        self.at += 2; // name and '('
        let (field, ty, pos) = self.field()?;
        if ty != FieldType::String {
            return Err(QueryError::new(
                OPTION,
                pos,
                Reason::NotApplicable {
                    operator: func.name().to_owned(),
                    field,
                    field_type: ty.name(),
                },
            ));
        }
        if !self.peek().is_some_and(|t| t.kind == Kind::Comma) {
            return Err(self.expected(&format!("',' after '{field}'")));
        }
        self.at += 1;
        let arg = match self.peek() {
            Some(Token {
                kind: Kind::Str(s), ..
            }) => s.clone(),
            _ => {
                return Err(self.expected(&format!(
                    "a string literal as {}'s second argument",
                    func.name()
                )));
            }
        };
        self.at += 1;
        if !self.peek().is_some_and(|t| t.kind == Kind::RParen) {
            return Err(self.expected(&format!("')' to close {}(", func.name())));
        }
        self.at += 1;
        Ok(Expr::Call { func, field, arg })
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let (field, ty, field_pos) = self.field()?;
        let op = match self.peek() {
            Some(t) if t.kind == Kind::Ident => CompareOp::from_keyword(t.text),
            _ => None,
        };
        let Some(op) = op else {
            return Err(self.expected(&format!(
                "a comparison operator (eq, ne, gt, ge, lt, le) after '{field}'"
            )));
        };
        self.at += 1;
        let Some(tok) = self.peek().cloned() else {
            return Err(self.expected(&format!("a value after '{}'", op.keyword())));
        };
        let value = match (&tok.kind, tok.text) {
            (Kind::Str(s), _) => Value::String(s.clone()),
            (Kind::Num(n), _) => Value::Number(*n),
            (Kind::Ident, "true") => Value::Bool(true),
            (Kind::Ident, "false") => Value::Bool(false),
            (Kind::Ident, "null") => Value::Null,
            _ => return Err(self.expected(&format!("a value after '{}'", op.keyword()))),
        };
        self.at += 1;
        if op.is_ordering() && ty == FieldType::Bool {
            return Err(QueryError::new(
                OPTION,
                field_pos,
                Reason::NotApplicable {
                    operator: op.keyword().to_owned(),
                    field,
                    field_type: ty.name(),
                },
            ));
        }
        if value.field_type().is_some_and(|vt| vt != ty) {
            return Err(QueryError::new(
                OPTION,
                tok.pos,
                Reason::TypeMismatch {
                    field,
                    field_type: ty.name(),
                    literal: tok.text.to_owned(),
                },
            ));
        }
        Ok(Expr::Compare { field, op, value })
    }
}
