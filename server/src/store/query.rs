//! Translating a parsed OData filter and order ([`crate::odata`]) to a parameterised `WHERE` /
//! `ORDER BY` that SQLite and PostgreSQL both run, so a collection is queried in the database
//! instead of in memory ([`super::collections`] builds its statements with it).
//!
//! The SQL means exactly what [`Expr::matches`] and [`crate::odata::sort_rows`] mean (tested on
//! random trees and rows, against both databases):
//! - `eq`/`ne` → `col IS NOT DISTINCT FROM ?` / `col IS DISTINCT FROM ?` (null-safe, like the
//!   evaluator);
//! - `gt`/`ge`/`lt`/`le` → `(col IS NOT NULL AND col > ?)`, so every condition is true or
//!   false, never NULL, and `not` keeps two-valued logic; against a `null` literal they are
//!   `(1 = 0)`;
//! - `contains`/`startswith`/`endswith` → `(col IS NOT NULL AND lower(col) LIKE ? ESCAPE '\')`,
//!   the pattern ASCII-lowercased here and its `%`, `_` and `\` escaped: case folds for ASCII
//!   only, as the evaluator does;
//! - `asc` → `col ASC NULLS FIRST`, `desc` → `col DESC NULLS LAST` (nulls sort lowest).
//!
//! Strings must compare byte-wise: SQLite's default `BINARY` collation, PostgreSQL's
//! `COLLATE "C"` (the migrations give every text column that collation, and the collections
//! wrap computed strings in it), where `lower()` also folds ASCII only. Number columns compare
//! numerically with the bound double; booleans are stored as 0/1.

use std::fmt::Write as _;

use crate::odata::{CompareOp, Direction, Expr, OrderKey, StringFn, Value};

/// A field that has no column in the [`ColumnMap`]: a programming error in the endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field '{0}' has no SQL column")]
pub struct UnmappedField(pub String);

impl UnmappedField {
    /// Stable error code (an internal error: the field set and the column map disagree).
    pub const CODE: &'static str = "server_error";
}

/// Which SQL column holds each field. Column names are always quoted (`"name"`,
/// `"c"."name"` for `c.name`), so they are never interpreted as SQL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    columns: Vec<(String, String)>,
}

impl ColumnMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps a field path to a column, optionally table-qualified (`c.email`).
    pub fn with(mut self, field: &str, column: &str) -> Self {
        let quoted = column
            .split('.')
            .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(".");
        self.columns.retain(|(f, _)| f != field);
        self.columns.push((field.to_owned(), quoted));
        self
    }

    /// The quoted column for a field.
    pub fn column(&self, field: &str) -> Result<&str, UnmappedField> {
        self.columns
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
            .ok_or_else(|| UnmappedField(field.to_owned()))
    }
}

/// A `WHERE` fragment with `?` placeholders and the values to bind, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlFilter {
    /// The condition, e.g. `("name" IS NOT NULL AND "name" LIKE ? ESCAPE '\')`.
    pub sql: String,
    /// The values for the placeholders.
    pub params: Vec<Value>,
}

/// Escapes `%`, `_` and `\` for `LIKE … ESCAPE '\'`.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Translates a filter to a parameterised condition.
pub fn filter_to_sql(expr: &Expr, columns: &ColumnMap) -> Result<SqlFilter, UnmappedField> {
    let mut out = SqlFilter {
        sql: String::new(),
        params: Vec::new(),
    };
    write_expr(expr, columns, &mut out)?;
    Ok(out)
}

fn write_expr(expr: &Expr, columns: &ColumnMap, out: &mut SqlFilter) -> Result<(), UnmappedField> {
    match expr {
        Expr::Compare { field, op, value } => {
            let col = columns.column(field)?;
            let sql = &mut out.sql;
            match (op, value) {
                (CompareOp::Eq, Value::Null) => {
                    let _ = write!(sql, "{col} IS NULL");
                }
                (CompareOp::Ne, Value::Null) => {
                    let _ = write!(sql, "{col} IS NOT NULL");
                }
                (_, Value::Null) => sql.push_str("(1 = 0)"),
                (CompareOp::Eq, _) => {
                    let _ = write!(sql, "{col} IS NOT DISTINCT FROM ?");
                    out.params.push(value.clone());
                }
                (CompareOp::Ne, _) => {
                    let _ = write!(sql, "{col} IS DISTINCT FROM ?");
                    out.params.push(value.clone());
                }
                (op, _) => {
                    let sym = match op {
                        CompareOp::Gt => ">",
                        CompareOp::Ge => ">=",
                        CompareOp::Lt => "<",
                        _ => "<=",
                    };
                    let _ = write!(sql, "({col} IS NOT NULL AND {col} {sym} ?)");
                    out.params.push(value.clone());
                }
            }
        }
        Expr::Call { func, field, arg } => {
            let col = columns.column(field)?;
            let escaped = like_escape(&arg.to_ascii_lowercase());
            let pattern = match func {
                StringFn::Contains => format!("%{escaped}%"),
                StringFn::StartsWith => format!("{escaped}%"),
                StringFn::EndsWith => format!("%{escaped}"),
            };
            let _ = write!(
                out.sql,
                "({col} IS NOT NULL AND lower({col}) LIKE ? ESCAPE '\\')"
            );
            out.params.push(Value::String(pattern));
        }
        Expr::Not(inner) => {
            out.sql.push_str("NOT (");
            write_expr(inner, columns, out)?;
            out.sql.push(')');
        }
        Expr::And(a, b) | Expr::Or(a, b) => {
            let word = if matches!(expr, Expr::And(..)) {
                " AND "
            } else {
                " OR "
            };
            out.sql.push('(');
            write_expr(a, columns, out)?;
            out.sql.push_str(word);
            write_expr(b, columns, out)?;
            out.sql.push(')');
        }
    }
    Ok(())
}

/// Translates `$orderby` keys to an `ORDER BY` list (without the keywords), e.g.
/// `"last_name" ASC NULLS FIRST, "age" DESC NULLS LAST`; empty when there are no keys. Add the primary key as a
/// last key for a stable page order.
pub fn order_by_to_sql(keys: &[OrderKey], columns: &ColumnMap) -> Result<String, UnmappedField> {
    let mut parts = Vec::with_capacity(keys.len());
    for key in keys {
        let dir = match key.direction {
            Direction::Asc => "ASC NULLS FIRST",
            Direction::Desc => "DESC NULLS LAST",
        };
        parts.push(format!("{} {dir}", columns.column(&key.field)?));
    }
    Ok(parts.join(", "))
}

#[cfg(test)]
mod tests;
