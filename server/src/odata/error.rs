//! The one error every query option reports: which option, where, and why.

/// Why a query option was rejected. The `Display` text is the developer-facing reason; the
/// position is added by [`QueryError`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Reason {
    /// The text ended where something else was needed.
    #[error("expected {expected}")]
    ExpectedAtEnd {
        /// What was needed, e.g. `a value after 'eq'`.
        expected: String,
    },
    /// A token other than the one needed.
    #[error("expected {expected}, found '{found}'")]
    Expected {
        /// What was needed.
        expected: String,
        /// The text that was there instead.
        found: String,
    },
    /// A character that starts no token.
    #[error("unexpected character '{0}'")]
    UnexpectedChar(char),
    /// A string literal with no closing quote.
    #[error("string literal is not closed (a quote inside a string is written '')")]
    UnterminatedString,
    /// A number that does not parse or is out of range.
    #[error("'{0}' is not a valid number")]
    InvalidNumber(String),
    /// A field the collection does not have.
    #[error("unknown field '{0}'")]
    UnknownField(String),
    /// A function other than `contains`, `startswith`, `endswith`.
    #[error("unknown function '{0}' (known: contains, startswith, endswith)")]
    UnknownFunction(String),
    /// A literal of the wrong type for the field it is compared with.
    #[error("field '{field}' is a {field_type} and cannot be compared with {literal}")]
    TypeMismatch {
        /// The field path.
        field: String,
        /// The field's type name.
        field_type: &'static str,
        /// The offending literal as written.
        literal: String,
    },
    /// An operator or function that does not apply to the field's type.
    #[error("'{operator}' does not apply to field '{field}', which is a {field_type}")]
    NotApplicable {
        /// The operator or function name.
        operator: String,
        /// The field path.
        field: String,
        /// The field's type name.
        field_type: &'static str,
    },
    /// A `$top`/`$skip` that is not a non-negative integer.
    #[error("expected a non-negative integer, found '{0}'")]
    NotACount(String),
    /// A `$top` above the collection's maximum page size.
    #[error("{value} is more than the maximum of {max}")]
    TopTooLarge {
        /// The value asked for.
        value: u64,
        /// The maximum allowed.
        max: u64,
    },
    /// `$count` other than `true`/`false`.
    #[error("expected 'true' or 'false', found '{0}'")]
    NotABool(String),
    /// A filter nested or chained deeper than the parser accepts.
    #[error("the filter is too complex (more than {0} levels of nesting or conditions)")]
    TooComplex(usize),
    /// A string literal longer than [`crate::odata::MAX_LITERAL_CHARS`].
    #[error("the string literal has {len} characters, more than the limit of {max}")]
    LiteralTooLong {
        /// The literal's length, characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Query options longer, together, than [`crate::odata::MAX_QUERY_BYTES`].
    #[error("the query options are {len} bytes long together, more than the limit of {max}")]
    QueryTooLong {
        /// Their length so far, bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The same option given twice.
    #[error("the option is given more than once")]
    Duplicate,
    /// The same field twice in `$select` or `$orderby`.
    #[error("field '{0}' is listed more than once")]
    DuplicateField(String),
}

/// A query option that does not parse or does not fit the collection. Answered as a 400 with
/// [`QueryError::CODE`]; the message names the option and the byte position (0-based, in the
/// percent-decoded option value) of the error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{option}: {reason} at position {position}")]
pub struct QueryError {
    /// The option, with its `$`: `$filter`, `$orderby`, …
    pub option: &'static str,
    /// Byte offset of the error in the option's value (equal to its length at the end).
    pub position: usize,
    /// What went wrong.
    pub reason: Reason,
}

impl QueryError {
    /// The stable Live Connect error code for every query-option error.
    pub const CODE: &'static str = "request_parameter_invalid";

    /// Builds an error.
    pub fn new(option: &'static str, position: usize, reason: Reason) -> Self {
        Self {
            option,
            position,
            reason,
        }
    }

    /// The stable error code, [`QueryError::CODE`].
    pub fn code(&self) -> &'static str {
        Self::CODE
    }
}
