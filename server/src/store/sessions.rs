//! Provider sign-in sessions as stored: only the SHA-256 of the session cookie is kept.

use super::{Conn, DbResult};

/// The person of a live session (`expires_at` after `now`), by the cookie's hash.
pub async fn person_of(c: &mut Conn, hash: &[u8; 32], now: i64) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT person_id FROM sessions WHERE id_hash = $1 AND expires_at > $2")
        .bind(hash.as_slice())
        .bind(now)
        .fetch_optional(c)
        .await
}

/// Stores a new session, first dropping the expired ones.
pub async fn insert(
    c: &mut Conn,
    hash: &[u8; 32],
    person_id: &str,
    now: i64,
    expires_at: i64,
) -> DbResult<u64> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *c)
        .await?;
    Ok(sqlx::query(
        "INSERT INTO sessions (id_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash.as_slice())
    .bind(person_id)
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await?
    .rows_affected())
}

/// Deletes a session by the cookie's hash.
pub async fn delete(c: &mut Conn, hash: &[u8; 32]) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash.as_slice())
        .execute(c)
        .await?
        .rows_affected())
}
