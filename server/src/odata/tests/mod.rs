//! Tests of the OData module: unit tests per construct and error, property tests, and a
//! bounded fuzz-style test of the parsers.

mod eval;
mod fuzz;
mod options;
mod parse;
pub(crate) mod props;

use super::{FieldSet, Value};

/// The fields the tests query: a contact-like collection.
pub(crate) fn fields() -> FieldSet {
    FieldSet::new()
        .string("name")
        .string("city")
        .number("age")
        .bool("active")
        .string("emails/preferred")
}

/// A row as a list of (path, value).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TestRow(pub Vec<(&'static str, Value)>);

impl super::Row for TestRow {
    fn field(&self, path: &str) -> Value {
        self.0
            .iter()
            .find(|(p, _)| *p == path)
            .map_or(Value::Null, |(_, v)| v.clone())
    }
}
