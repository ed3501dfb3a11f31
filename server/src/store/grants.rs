//! Grants as stored: a person's consent to an app, its scopes as the stored string. Codes and
//! tokens are [`super::codes`] and [`super::tokens`].

use sqlx::Row as _;

use super::{Conn, Db, DbResult, Row, flag};

/// A grant row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    /// Grant id.
    pub id: String,
    /// Who consented.
    pub person_id: String,
    /// To which app.
    pub client_id: String,
    /// The scopes, space-separated, as stored.
    pub scopes: String,
    /// "Remember this connection" stayed ticked.
    pub remember: bool,
    /// When first given.
    pub created_at: i64,
    /// When it ends.
    pub expires_at: i64,
}

const COLUMNS: &str = "id, person_id, client_id, scopes, remember, created_at, expires_at";

fn row(r: &Row) -> DbResult<GrantRow> {
    Ok(GrantRow {
        id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        client_id: r.try_get(2)?,
        scopes: r.try_get(3)?,
        remember: r.try_get::<i64, _>(4)? != 0,
        created_at: r.try_get(5)?,
        expires_at: r.try_get(6)?,
    })
}

/// The person's unexpired, unrevoked grant to an app (the longest-lived if several).
pub async fn active(
    c: &mut Conn,
    person_id: &str,
    client_id: &str,
    now: i64,
) -> DbResult<Option<GrantRow>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM grants WHERE person_id = $1 AND client_id = $2 AND revoked_at IS NULL AND expires_at > $3 ORDER BY expires_at DESC LIMIT 1"
    )))
    .bind(person_id)
    .bind(client_id)
    .bind(now)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(row)
    .transpose()
}

/// Sets a grant's scopes, "Remember" choice and end.
pub async fn extend(
    c: &mut Conn,
    id: &str,
    scopes: &str,
    remember: bool,
    now: i64,
    expires_at: i64,
) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE grants SET scopes = $1, remember = $2, updated_at = $3, expires_at = $4 WHERE id = $5",
    )
    .bind(scopes)
    .bind(flag(remember))
    .bind(now)
    .bind(expires_at)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected())
}

/// Stores a new grant (`updated_at` is its `created_at`).
pub async fn insert(c: &mut Conn, g: &GrantRow) -> DbResult<u64> {
    Ok(sqlx::query(
        "INSERT INTO grants (id, person_id, client_id, scopes, remember, created_at, updated_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(&g.id)
    .bind(&g.person_id)
    .bind(&g.client_id)
    .bind(&g.scopes)
    .bind(flag(g.remember))
    .bind(g.created_at)
    .bind(g.expires_at)
    .execute(c)
    .await?
    .rows_affected())
}

/// The person's active grants with their apps' names, most recently updated first.
pub async fn connected(
    c: &mut Conn,
    person_id: &str,
    now: i64,
) -> DbResult<Vec<(GrantRow, String)>> {
    sqlx::query(
        "SELECT g.id, g.person_id, g.client_id, g.scopes, g.remember, g.created_at, g.expires_at, a.name FROM grants g JOIN apps a ON a.client_id = g.client_id
         WHERE g.person_id = $1 AND g.revoked_at IS NULL AND g.expires_at > $2 ORDER BY g.updated_at DESC",
    )
    .bind(person_id)
    .bind(now)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((row(r)?, r.try_get(7)?)))
    .collect()
}

/// The name of the app of one of `person_id`'s grants (revoked or not).
pub async fn app_name_of(
    c: &mut Conn,
    grant_id: &str,
    person_id: &str,
) -> DbResult<Option<String>> {
    sqlx::query_scalar(
        "SELECT a.name FROM grants g JOIN apps a ON a.client_id = g.client_id WHERE g.id = $1 AND g.person_id = $2",
    )
    .bind(grant_id)
    .bind(person_id)
    .fetch_optional(c)
    .await
}

/// Revokes one of the person's grants and every token issued under it, in one transaction.
/// False when the grant is not theirs (or already revoked).
pub async fn revoke(db: &Db, grant_id: &str, person_id: &str, now: i64) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    let n = sqlx::query(
        "UPDATE grants SET revoked_at = $1 WHERE id = $2 AND person_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(grant_id)
    .bind(person_id)
    .execute(&mut *c)
    .await?
    .rows_affected();
    super::tokens::revoke_of_grant(c, grant_id, now).await?;
    tx.commit().await?;
    Ok(n > 0)
}
