//! The `meta` table: settings the provider keeps for itself (the ID-token signing key, the
//! forms' CSRF key).

use super::{Conn, DbResult};

async fn value(c: &mut Conn, key: &'static str) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(key)
        .fetch_optional(c)
        .await
}

async fn insert_new(c: &mut Conn, key: &'static str, value: &str) -> DbResult<u64> {
    Ok(
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(c)
            .await?
            .rows_affected(),
    )
}

/// The stored signing key (PKCS#8 PEM), if there is one.
pub async fn signing_key(c: &mut Conn) -> DbResult<Option<String>> {
    value(c, "signing_key").await
}

/// Stores the signing key unless one is there already (the first writer wins).
pub async fn insert_signing_key(c: &mut Conn, pem: &str) -> DbResult<u64> {
    insert_new(c, "signing_key", pem).await
}

/// The stored CSRF key (32 bytes, hex), if there is one.
pub async fn csrf_key(c: &mut Conn) -> DbResult<Option<String>> {
    value(c, "csrf_key").await
}

/// Stores the CSRF key (hex) unless one is there already (the first writer wins).
pub async fn insert_csrf_key(c: &mut Conn, key: &str) -> DbResult<u64> {
    insert_new(c, "csrf_key", key).await
}

/// Replaces the stored signing key (a key of an older format is swapped for a new one).
pub async fn replace_signing_key(c: &mut Conn, pem: &str) -> DbResult<u64> {
    Ok(sqlx::query(
        "INSERT INTO meta (key, value) VALUES ('signing_key', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(pem)
    .execute(c)
    .await?
    .rows_affected())
}

/// Answers when the database does (the readiness check).
pub async fn ping(c: &mut Conn) -> DbResult<()> {
    sqlx::query("SELECT 1").execute(c).await.map(|_| ())
}
