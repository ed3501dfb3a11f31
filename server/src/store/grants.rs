//! Grants as stored. (The grant, code and token statements are still in
//! [`crate::identity::tokens`], next to the transactions they are part of.)

use rusqlite::{Connection, OptionalExtension};

/// The name of the app of one of `person_id`'s grants (revoked or not).
pub fn app_name_of(
    c: &Connection,
    grant_id: &str,
    person_id: &str,
) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT a.name FROM grants g JOIN apps a ON a.client_id = g.client_id WHERE g.id = ?1 AND g.person_id = ?2",
        rusqlite::params![grant_id, person_id],
        |r| r.get::<_, String>(0),
    )
    .optional()
}
