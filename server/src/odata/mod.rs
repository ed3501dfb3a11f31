//! OData query options for the `/v1` collections: `$filter`, `$select`, `$orderby`, `$top`,
//! `$skip`, `$count`.
//!
//! Pure Rust, no I/O. [`QueryOptions::parse`] turns a request's query pairs into validated
//! options (unknown fields and mistyped comparisons are rejected with a [`QueryError`]
//! carrying the option and the byte position); [`Expr::matches`], [`apply`] and [`project`]
//! evaluate them over rows in memory (see [`eval`] for the string semantics). The translation
//! to SQL, with the same meaning, is the store's ([`crate::store::query`]).
//!
//! ```
//! use wl_server::odata::{FieldSet, QueryOptions};
//! let fields = FieldSet::new().string("name").number("age");
//! let pairs = vec![("$filter".to_owned(), "contains(name,'ann') and age ge 18".to_owned())];
//! let options = QueryOptions::parse(&pairs, &fields).unwrap();
//! assert_eq!(options.filter.unwrap().to_string(), "contains(name,'ann') and age ge 18");
//! ```

mod ast;
mod error;
pub mod eval;
mod lexer;
mod options;
mod parser;
mod value;

#[cfg(test)]
pub(crate) mod tests;

pub use ast::{CompareOp, Expr, StringFn};
pub use error::{QueryError, Reason};
pub use eval::{Page, Row, apply, page, project, sort_rows};
pub use lexer::MAX_LITERAL_CHARS;
pub use options::{Direction, Limits, MAX_QUERY_BYTES, OrderKey, QueryOptions, Select};
pub use parser::{MAX_DEPTH, parse_filter};
pub use value::{FieldSet, FieldType, Value};

impl Expr {
    /// Parses and type-checks `$filter` text; the same as [`parse_filter`].
    pub fn parse(src: &str, fields: &FieldSet) -> Result<Expr, QueryError> {
        parse_filter(src, fields)
    }
}
