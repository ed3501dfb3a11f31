//! Values, field types and the set of fields a collection can be queried by.

use std::cmp::Ordering;
use std::fmt;

/// The type of a queryable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text, compared byte-wise (case-sensitive) by `eq`/`lt`/…, searchable with
    /// `contains`/`startswith`/`endswith`.
    String,
    /// A number (held as `f64`, so integers are exact up to 2^53).
    Number,
    /// `true` or `false`; only `eq` and `ne` apply.
    Bool,
}

impl FieldType {
    /// The name used in error messages: `string`, `number` or `bool`.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
        }
    }
}

/// A value: a literal in a filter or a field of a row. Any field may be `Null`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`: an absent value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A finite number.
    Number(f64),
    /// Text.
    String(String),
}

impl Value {
    /// The type of a non-null value, `None` for `Null`.
    pub fn field_type(&self) -> Option<FieldType> {
        match self {
            Value::Null => None,
            Value::Bool(_) => Some(FieldType::Bool),
            Value::Number(_) => Some(FieldType::Number),
            Value::String(_) => Some(FieldType::String),
        }
    }

    /// The ordering used by `$orderby` and by `lt`/`gt`: `Null` sorts before every other
    /// value (as in SQLite), strings compare by UTF-8 bytes (SQLite's `BINARY` collation),
    /// numbers numerically (`-0` equals `0`), `false` before `true`. Values of different types compare by
    /// type (never happens for a type-checked field).
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        fn rank(v: &Value) -> u8 {
            match v {
                Value::Null => 0,
                Value::Bool(_) => 1,
                Value::Number(_) => 2,
                Value::String(_) => 3,
            }
        }
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
            (Value::String(a), Value::String(b)) => a.as_bytes().cmp(b.as_bytes()),
            _ => rank(self).cmp(&rank(other)),
        }
    }

    /// This value as JSON (used by `$select` projection).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => {
                // Whole numbers print as integers (`42`, not `42.0`).
                if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                    serde_json::Value::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number)
                }
            }
            Value::String(s) => serde_json::Value::String(s.clone()),
        }
    }
}

/// Prints the value as a canonical OData literal: `null`, `true`, `42`, `-1.5`, `'O''Brien'`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            // Rust prints the shortest text that parses back to the same f64, never with an
            // exponent, so this re-parses exactly.
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
        }
    }
}

/// The fields a collection can be queried by (`$filter`, `$select`, `$orderby`), each with its
/// type, in a stable order (the order `$select=*` lists them in).
///
/// Paths use `/` for nested fields, as OData does: `emails/preferred`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    fields: Vec<(String, FieldType)>,
}

impl FieldSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or retypes) a field.
    pub fn with(mut self, path: &str, ty: FieldType) -> Self {
        match self.fields.iter_mut().find(|(p, _)| p == path) {
            Some(entry) => entry.1 = ty,
            None => self.fields.push((path.to_owned(), ty)),
        }
        self
    }

    /// Adds a string field.
    pub fn string(self, path: &str) -> Self {
        self.with(path, FieldType::String)
    }

    /// Adds a number field.
    pub fn number(self, path: &str) -> Self {
        self.with(path, FieldType::Number)
    }

    /// Adds a bool field.
    pub fn bool(self, path: &str) -> Self {
        self.with(path, FieldType::Bool)
    }

    /// The type of a field, `None` when the collection has no such field.
    pub fn get(&self, path: &str) -> Option<FieldType> {
        self.fields.iter().find(|(p, _)| p == path).map(|(_, t)| *t)
    }

    /// All fields, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FieldType)> {
        self.fields.iter().map(|(p, t)| (p.as_str(), *t))
    }
}
