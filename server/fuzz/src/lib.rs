//! Shared pieces of the `cargo fuzz` targets: the field set the inputs are parsed against and
//! the invariants every parser error must satisfy.

use wl_server::odata::{FieldSet, QueryError};

/// The fields the fuzzed queries may name: a contact-like collection with every field type
/// and a nested path (the same set as the parser's unit tests).
pub fn fields() -> FieldSet {
    FieldSet::new()
        .string("name")
        .string("city")
        .number("age")
        .bool("active")
        .string("emails/preferred")
}

/// Panics unless `err` is a well-formed error for the option text `src`: its position lies
/// inside the text on a character boundary and it carries the stable error code.
pub fn check_error(src: &str, err: &QueryError) {
    assert!(
        err.position <= src.len(),
        "error position {} past the end of {src:?}: {err}",
        err.position
    );
    assert!(
        src.is_char_boundary(err.position),
        "error position {} not on a character boundary of {src:?}: {err}",
        err.position
    );
    assert_eq!(err.code(), QueryError::CODE, "{src:?}: {err}");
}
