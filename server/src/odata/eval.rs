//! Evaluating query options over rows held in memory.
//!
//! String semantics (the same as the SQL translation in [`crate::store::query`], and tested to agree):
//! `eq`/`ne`/`lt`/… compare strings **case-sensitively** by UTF-8 bytes; `contains`,
//! `startswith` and `endswith` are **case-insensitive for ASCII letters only** (`'ann'` finds
//! `Ann`, `'é'` does not find `É`), as SQLite's `LIKE` is. `eq`/`ne` are null-safe
//! (`x eq null` is true when `x` is null, `x ne 'a'` is true when `x` is null); ordering
//! operators and the string functions are false when the field is null.

use std::cmp::Ordering;

use super::ast::{CompareOp, Expr, StringFn};
use super::options::{Direction, OrderKey, QueryOptions, Select};
use super::value::{FieldSet, Value};

/// A row of a collection, as the evaluator sees it.
pub trait Row {
    /// The value of the field at `path` (`name`, `emails/preferred`); `Value::Null` when
    /// absent.
    fn field(&self, path: &str) -> Value;
}

/// `eq` on values: null-safe, numbers numerically, strings byte-wise.
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

impl Expr {
    /// Whether `row` satisfies this filter.
    pub fn matches<R: Row + ?Sized>(&self, row: &R) -> bool {
        match self {
            Expr::Compare { field, op, value } => {
                let actual = row.field(field);
                match op {
                    CompareOp::Eq => values_equal(&actual, value),
                    CompareOp::Ne => !values_equal(&actual, value),
                    _ if actual == Value::Null || *value == Value::Null => false,
                    _ => {
                        let ord = actual.total_cmp(value);
                        match op {
                            CompareOp::Gt => ord == Ordering::Greater,
                            CompareOp::Ge => ord != Ordering::Less,
                            CompareOp::Lt => ord == Ordering::Less,
                            _ => ord != Ordering::Greater,
                        }
                    }
                }
            }
            Expr::Call { func, field, arg } => {
                let Value::String(text) = row.field(field) else {
                    return false;
                };
                let text = text.to_ascii_lowercase();
                let arg = arg.to_ascii_lowercase();
                match func {
                    StringFn::Contains => text.contains(&arg),
                    StringFn::StartsWith => text.starts_with(&arg),
                    StringFn::EndsWith => text.ends_with(&arg),
                }
            }
            Expr::Not(inner) => !inner.matches(row),
            Expr::And(a, b) => a.matches(row) && b.matches(row),
            Expr::Or(a, b) => a.matches(row) || b.matches(row),
        }
    }
}

/// Sorts rows by `keys` (stable: rows equal on every key keep their order). Nulls sort
/// first ascending and last descending, as in SQLite.
pub fn sort_rows<R: Row>(rows: Vec<R>, keys: &[OrderKey]) -> Vec<R> {
    if keys.is_empty() {
        return rows;
    }
    let mut decorated: Vec<(Vec<Value>, R)> = rows
        .into_iter()
        .map(|r| (keys.iter().map(|k| r.field(&k.field)).collect(), r))
        .collect();
    decorated.sort_by(|(a, _), (b, _)| {
        keys.iter()
            .zip(a.iter().zip(b))
            .map(|(key, (x, y))| match key.direction {
                Direction::Asc => x.total_cmp(y),
                Direction::Desc => y.total_cmp(x),
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    decorated.into_iter().map(|(_, r)| r).collect()
}

/// Skips `skip` rows, then keeps at most `top`.
pub fn page<R>(rows: Vec<R>, skip: Option<u64>, top: Option<u64>) -> Vec<R> {
    let skip = usize::try_from(skip.unwrap_or(0)).unwrap_or(usize::MAX);
    let top = top.map_or(usize::MAX, |t| usize::try_from(t).unwrap_or(usize::MAX));
    rows.into_iter().skip(skip).take(top).collect()
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    /// The rows of this page.
    pub items: Vec<R>,
    /// The number of rows matching the filter (before `$skip`/`$top`), when `$count=true`.
    pub count: Option<usize>,
    /// Whether rows remain after this page (for a next-page link).
    pub has_more: bool,
}

/// Applies filter, order, skip and top (in that order) to `rows`.
pub fn apply<R: Row>(rows: Vec<R>, options: &QueryOptions) -> Page<R> {
    let matching: Vec<R> = match &options.filter {
        Some(filter) => rows.into_iter().filter(|r| filter.matches(r)).collect(),
        None => rows,
    };
    let total = matching.len();
    let sorted = sort_rows(matching, &options.order_by);
    let skip = options.skip.unwrap_or(0);
    let items = page(sorted, options.skip, options.top);
    let has_more = (skip as u128 + items.len() as u128) < total as u128;
    Page {
        items,
        count: options.count.then_some(total),
        has_more,
    }
}

/// The selected fields of `row` as a JSON object; paths with `/` become nested objects
/// (`emails/preferred` → `{"emails": {"preferred": …}}`).
pub fn project<R: Row + ?Sized>(
    row: &R,
    select: &Select,
    fields: &FieldSet,
) -> serde_json::Map<String, serde_json::Value> {
    let paths: Vec<&str> = match select {
        Select::All => fields.iter().map(|(p, _)| p).collect(),
        Select::Fields(list) => list.iter().map(String::as_str).collect(),
    };
    let mut out = serde_json::Map::new();
    'paths: for path in paths {
        let value = row.field(path).to_json();
        let mut segments: Vec<&str> = path.split('/').collect();
        let last = segments.pop().unwrap_or(path);
        let mut node = &mut out;
        for seg in segments {
            let entry = node
                .entry(seg.to_owned())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if !entry.is_object() {
                *entry = serde_json::Value::Object(serde_json::Map::new());
            }
            let serde_json::Value::Object(map) = entry else {
                continue 'paths; // cannot happen: made an object just above
            };
            node = map;
        }
        node.insert(last.to_owned(), value);
    }
    out
}
