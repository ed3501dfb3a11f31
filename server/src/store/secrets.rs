//! Client secrets as stored (issue 15): only their SHA-256, with a short public id and their
//! dates. The rules (who is confidential, rotation windows, constant-time checks) are
//! [`crate::identity::client_auth`]; these are its statements.

use sqlx::Row as _;

use super::{Conn, Db, DbResult};

/// A client secret as listed: never the secret, never its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRow {
    /// The short public id.
    pub id: String,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// When its rotation window ends (`None`: no end set).
    pub expires_at: Option<i64>,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
    /// When it last authenticated a request.
    pub last_used_at: Option<i64>,
}

impl SecretRow {
    /// Whether it still authenticates requests at `now`.
    pub fn live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// The app's secrets, newest first.
pub async fn list(c: &mut Conn, client_id: &str) -> DbResult<Vec<SecretRow>> {
    let rows = sqlx::query(
        "SELECT id, created_at, expires_at, revoked_at, last_used_at FROM client_secrets
         WHERE client_id = $1 ORDER BY created_at DESC, id",
    )
    .bind(client_id)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SecretRow {
                id: r.try_get(0)?,
                created_at: r.try_get(1)?,
                expires_at: r.try_get(2)?,
                revoked_at: r.try_get(3)?,
                last_used_at: r.try_get(4)?,
            })
        })
        .collect()
}

/// Whether the app has any secret row at all (live, expired or revoked).
pub async fn any(c: &mut Conn, client_id: &str) -> DbResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM client_secrets WHERE client_id = $1 LIMIT 1")
            .bind(client_id)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}

/// The ids and hashes of the app's secrets that are live at `now`.
pub async fn live_hashes(
    c: &mut Conn,
    client_id: &str,
    now: i64,
) -> DbResult<Vec<(String, Vec<u8>)>> {
    let rows = sqlx::query(
        "SELECT id, secret_hash FROM client_secrets
         WHERE client_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(client_id)
    .bind(now)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Stores a new secret; when `overlap_until` is set, in the same transaction every live
/// secret of the app is set to end then (at the latest): a rotation.
pub async fn insert(
    db: &Db,
    id: &str,
    client_id: &str,
    hash: &[u8; 32],
    overlap_until: Option<i64>,
    now: i64,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    if let Some(until) = overlap_until {
        sqlx::query(
            "UPDATE client_secrets SET expires_at = $2
             WHERE client_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(client_id)
        .bind(until)
        .execute(&mut *c)
        .await?;
    }
    sqlx::query(
        "INSERT INTO client_secrets (id, client_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(client_id)
    .bind(hash.as_slice())
    .bind(now)
    .execute(&mut *c)
    .await?;
    tx.commit().await
}

/// Revokes the app's secret `id` now; false when the app has no such unrevoked secret.
pub async fn revoke(c: &mut Conn, client_id: &str, id: &str, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE client_secrets SET revoked_at = $3
         WHERE client_id = $1 AND id = $2 AND revoked_at IS NULL",
    )
    .bind(client_id)
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Records that the secret `id` authenticated a request at `now`.
pub async fn mark_used(c: &mut Conn, id: &str, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE client_secrets SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}
