//! All the OData query options of one request: `$filter`, `$select`, `$orderby`, `$top`,
//! `$skip`, `$count`.

use super::ast::Expr;
use super::error::{QueryError, Reason};
use super::lexer::{Kind, tokenize};
use super::parser::{parse_filter, parse_path};
use super::value::FieldSet;

/// The most bytes all the query options of one request may have together (their
/// percent-decoded values).
pub const MAX_QUERY_BYTES: usize = 8192;

/// Limits a collection puts on its queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest `$top` accepted (the maximum page size).
    pub max_top: u64,
}

impl Default for Limits {
    /// `$top` up to 1000.
    fn default() -> Self {
        Self { max_top: 1000 }
    }
}

/// Which fields to return.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Select {
    /// Every field (no `$select`, or `$select=*`).
    #[default]
    All,
    /// These fields, in this order.
    Fields(Vec<String>),
}

/// Sort direction of one `$orderby` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Ascending (the default); nulls first.
    #[default]
    Asc,
    /// Descending; nulls last.
    Desc,
}

/// One `$orderby` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderKey {
    /// The field path.
    pub field: String,
    /// The direction.
    pub direction: Direction,
}

/// The parsed, validated query options of a request. Absent options are `None`/empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryOptions {
    /// `$filter`.
    pub filter: Option<Expr>,
    /// `$select`.
    pub select: Select,
    /// `$orderby`, most significant key first.
    pub order_by: Vec<OrderKey>,
    /// `$top`.
    pub top: Option<u64>,
    /// `$skip`.
    pub skip: Option<u64>,
    /// `$count=true`: include the total number of matching items.
    pub count: bool,
}

impl QueryOptions {
    /// Parses the query options among `pairs` (percent-decoded query-string pairs, e.g. from
    /// axum's `Query<Vec<(String, String)>>`) with the default [`Limits`]. Other parameters
    /// (`$format`, `access_token`, …) are ignored; an option given twice is an error.
    pub fn parse(pairs: &[(String, String)], fields: &FieldSet) -> Result<Self, QueryError> {
        Self::parse_with(pairs, fields, Limits::default())
    }

    /// [`QueryOptions::parse`] with explicit limits.
    pub fn parse_with(
        pairs: &[(String, String)],
        fields: &FieldSet,
        limits: Limits,
    ) -> Result<Self, QueryError> {
        let mut out = QueryOptions::default();
        let mut seen: Vec<&str> = Vec::new();
        let mut total = 0usize;
        for (key, value) in pairs {
            let option: &'static str = match key.as_str() {
                "$filter" => "$filter",
                "$select" => "$select",
                "$orderby" => "$orderby",
                "$top" => "$top",
                "$skip" => "$skip",
                "$count" => "$count",
                _ => continue,
            };
            if seen.contains(&option) {
                return Err(QueryError::new(option, 0, Reason::Duplicate));
            }
            seen.push(option);
            total += value.len();
            if total > MAX_QUERY_BYTES {
                return Err(QueryError::new(
                    option,
                    0,
                    Reason::QueryTooLong {
                        len: total,
                        max: MAX_QUERY_BYTES,
                    },
                ));
            }
            match option {
                "$filter" => out.filter = Some(parse_filter(value, fields)?),
                "$select" => out.select = parse_select(value, fields)?,
                "$orderby" => out.order_by = parse_order_by(value, fields)?,
                "$top" => {
                    let top = parse_count(option, value)?;
                    if top > limits.max_top {
                        return Err(QueryError::new(
                            option,
                            0,
                            Reason::TopTooLarge {
                                value: top,
                                max: limits.max_top,
                            },
                        ));
                    }
                    out.top = Some(top);
                }
                "$skip" => out.skip = Some(parse_count(option, value)?),
                _ => {
                    out.count = match value.trim() {
                        "true" => true,
                        "false" => false,
                        other => {
                            return Err(QueryError::new(
                                option,
                                0,
                                Reason::NotABool(other.to_owned()),
                            ));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A non-negative integer (`$top`, `$skip`).
fn parse_count(option: &'static str, value: &str) -> Result<u64, QueryError> {
    let trimmed = value.trim();
    let lead = value.len() - value.trim_start().len();
    if !trimmed.is_empty()
        && trimmed.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = trimmed.parse::<u64>()
    {
        return Ok(n);
    }
    Err(QueryError::new(
        option,
        lead,
        Reason::NotACount(trimmed.to_owned()),
    ))
}

/// A comma-separated list of items, each a field path and optionally a direction word.
/// Returns `(path, direction word, position of path)` per item.
fn parse_list<'a>(
    option: &'static str,
    src: &'a str,
    fields: &FieldSet,
    allow_direction: bool,
) -> Result<Vec<(String, Option<&'a str>)>, QueryError> {
    let tokens = tokenize(src).map_err(|(pos, reason)| QueryError::new(option, pos, reason))?;
    let expected = |at: usize, what: &str| match tokens.get(at) {
        Some(t) => QueryError::new(
            option,
            t.pos,
            Reason::Expected {
                expected: what.to_owned(),
                found: t.text.to_owned(),
            },
        ),
        None => QueryError::new(
            option,
            src.len(),
            Reason::ExpectedAtEnd {
                expected: what.to_owned(),
            },
        ),
    };
    let mut items: Vec<(String, Option<&str>)> = Vec::new();
    let mut at = 0;
    loop {
        let Some((path, pos)) = parse_path(&tokens, &mut at) else {
            return Err(expected(at, "a field name"));
        };
        if fields.get(&path).is_none() {
            return Err(QueryError::new(option, pos, Reason::UnknownField(path)));
        }
        if items.iter().any(|(p, _)| *p == path) {
            return Err(QueryError::new(option, pos, Reason::DuplicateField(path)));
        }
        let mut direction = None;
        if allow_direction
            && let Some(t) = tokens
                .get(at)
                .filter(|t| t.kind == Kind::Ident && (t.text == "asc" || t.text == "desc"))
        {
            direction = Some(t.text);
            at += 1;
        }
        items.push((path, direction));
        match tokens.get(at) {
            None => return Ok(items),
            Some(t) if t.kind == Kind::Comma => at += 1,
            Some(_) if allow_direction => {
                return Err(expected(at, "'asc', 'desc', ',' or the end"));
            }
            Some(_) => return Err(expected(at, "',' or the end")),
        }
    }
}

fn parse_select(src: &str, fields: &FieldSet) -> Result<Select, QueryError> {
    if src.trim() == "*" {
        return Ok(Select::All);
    }
    let items = parse_list("$select", src, fields, false)?;
    Ok(Select::Fields(items.into_iter().map(|(p, _)| p).collect()))
}

fn parse_order_by(src: &str, fields: &FieldSet) -> Result<Vec<OrderKey>, QueryError> {
    let items = parse_list("$orderby", src, fields, true)?;
    Ok(items
        .into_iter()
        .map(|(field, dir)| OrderKey {
            field,
            direction: if dir == Some("desc") {
                Direction::Desc
            } else {
                Direction::Asc
            },
        })
        .collect())
}
