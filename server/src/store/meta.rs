//! The `meta` table: settings the provider keeps for itself (the ID-token signing key).

use rusqlite::{Connection, OptionalExtension};

/// The stored signing key (PKCS#8 PEM), if there is one.
pub fn signing_key(c: &Connection) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT value FROM meta WHERE key = 'signing_key'",
        [],
        |r| r.get(0),
    )
    .optional()
}

/// Stores the signing key unless one is there already (the first writer wins).
pub fn insert_signing_key(c: &Connection, pem: &str) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('signing_key', ?1)",
        [pem],
    )
}

/// Replaces the stored signing key (a key of an older format is swapped for a new one).
pub fn replace_signing_key(c: &Connection, pem: &str) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('signing_key', ?1)",
        [pem],
    )
}
