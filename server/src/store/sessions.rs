//! Provider sign-in sessions as stored: only the SHA-256 of the session cookie is kept.

use rusqlite::{Connection, OptionalExtension, params};

/// The person of a live session (`expires_at` after `now`), by the cookie's hash.
pub fn person_of(c: &Connection, hash: &[u8; 32], now: i64) -> rusqlite::Result<Option<String>> {
    c.prepare_cached("SELECT person_id FROM sessions WHERE id_hash = ?1 AND expires_at > ?2")?
        .query_row(params![hash.as_slice(), now], |r| r.get(0))
        .optional()
}

/// Stores a new session, first dropping the expired ones.
pub fn insert(
    c: &Connection,
    hash: &[u8; 32],
    person_id: &str,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
    c.execute(
        "INSERT INTO sessions (id_hash, person_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![hash.as_slice(), person_id, now, expires_at],
    )
}

/// Deletes a session by the cookie's hash.
pub fn delete(c: &Connection, hash: &[u8; 32]) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM sessions WHERE id_hash = ?1", [hash.as_slice()])
}
