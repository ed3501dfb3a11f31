//! The `meta` table: settings the provider keeps for itself (the ID-token signing key, the
//! forms' CSRF key).

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

/// The stored CSRF key (32 bytes, hex), if there is one.
pub fn csrf_key(c: &Connection) -> rusqlite::Result<Option<String>> {
    c.query_row("SELECT value FROM meta WHERE key = 'csrf_key'", [], |r| {
        r.get(0)
    })
    .optional()
}

/// Stores the CSRF key (hex) unless one is there already (the first writer wins).
pub fn insert_csrf_key(c: &Connection, key: &str) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('csrf_key', ?1)",
        [key],
    )
}

/// Replaces the stored signing key (a key of an older format is swapped for a new one).
pub fn replace_signing_key(c: &Connection, pem: &str) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('signing_key', ?1)",
        [pem],
    )
}

/// Answers when the database does (the readiness check).
pub fn ping(c: &Connection) -> rusqlite::Result<()> {
    c.query_row("SELECT 1", [], |_| Ok(()))
}
