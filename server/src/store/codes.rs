//! Authorization codes as stored (only their SHA-256): storing one, and reading and marking it
//! when it is redeemed (inside the token endpoint's transaction, see
//! [`crate::identity::tokens`]).

use sqlx::Row as _;

use super::{Conn, DbResult, flag};

/// A code to store.
#[derive(Debug, Clone, Copy)]
pub struct NewCode<'a> {
    /// SHA-256 of the code.
    pub code_hash: &'a [u8; 32],
    /// The grant it is issued under.
    pub grant_id: &'a str,
    /// The app.
    pub client_id: &'a str,
    /// The person.
    pub person_id: &'a str,
    /// The exact redirect URI of the request.
    pub redirect_uri: &'a str,
    /// The scopes requested, as stored.
    pub scopes: &'a str,
    /// The OIDC nonce.
    pub nonce: Option<&'a str>,
    /// The PKCE S256 challenge.
    pub code_challenge: &'a str,
    /// The grant's "Remember" choice.
    pub remember: bool,
    /// Now, Unix seconds.
    pub now: i64,
    /// When the code expires.
    pub expires_at: i64,
}

/// Stores a code, first dropping those used or expired more than a day ago (kept that long
/// for reuse detection).
pub async fn insert(c: &mut Conn, code: &NewCode<'_>) -> DbResult<u64> {
    sqlx::query("DELETE FROM auth_codes WHERE expires_at < $1")
        .bind(code.now - 86_400)
        .execute(&mut *c)
        .await?;
    Ok(sqlx::query(
        "INSERT INTO auth_codes (code_hash, grant_id, client_id, person_id, redirect_uri, scopes, nonce, code_challenge, remember, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(code.code_hash.as_slice())
    .bind(code.grant_id)
    .bind(code.client_id)
    .bind(code.person_id)
    .bind(code.redirect_uri)
    .bind(code.scopes)
    .bind(code.nonce)
    .bind(code.code_challenge)
    .bind(flag(code.remember))
    .bind(code.now)
    .bind(code.expires_at)
    .execute(c)
    .await?
    .rows_affected())
}

/// A stored code with the state of its grant: what redeeming it checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// The grant it was issued under.
    pub grant_id: String,
    /// The app.
    pub client_id: String,
    /// The person.
    pub person_id: String,
    /// The exact redirect URI of the request.
    pub redirect_uri: String,
    /// The scopes requested, as stored.
    pub scopes: String,
    /// The OIDC nonce.
    pub nonce: Option<String>,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    /// The grant's "Remember" choice.
    pub remember: bool,
    /// When the code expires.
    pub expires_at: i64,
    /// The code has been redeemed before.
    pub used: bool,
    /// When the grant ends.
    pub grant_expires_at: i64,
    /// The grant has been revoked.
    pub grant_revoked: bool,
}

/// The code with this hash and its grant, used or not.
pub async fn with_grant(c: &mut Conn, code_hash: &[u8; 32]) -> DbResult<Option<CodeRow>> {
    let Some(r) = sqlx::query(
        "SELECT a.grant_id, a.client_id, a.person_id, a.redirect_uri, a.scopes, a.nonce, a.code_challenge, a.remember, a.expires_at, a.used_at, g.expires_at, g.revoked_at
         FROM auth_codes a JOIN grants g ON g.id = a.grant_id WHERE a.code_hash = $1",
    )
    .bind(code_hash.as_slice())
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(CodeRow {
        grant_id: r.try_get(0)?,
        client_id: r.try_get(1)?,
        person_id: r.try_get(2)?,
        redirect_uri: r.try_get(3)?,
        scopes: r.try_get(4)?,
        nonce: r.try_get(5)?,
        code_challenge: r.try_get(6)?,
        remember: r.try_get::<i64, _>(7)? != 0,
        expires_at: r.try_get(8)?,
        used: r.try_get::<Option<i64>, _>(9)?.is_some(),
        grant_expires_at: r.try_get(10)?,
        grant_revoked: r.try_get::<Option<i64>, _>(11)?.is_some(),
    }))
}

/// Marks a code redeemed, if nobody has: true for the one caller that did. On PostgreSQL a
/// second transaction racing for the same code waits here for the first and then finds it
/// used; on SQLite the write lock taken at `BEGIN IMMEDIATE` orders them.
pub async fn mark_used(c: &mut Conn, code_hash: &[u8; 32], now: i64) -> DbResult<bool> {
    Ok(
        sqlx::query("UPDATE auth_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL")
            .bind(now)
            .bind(code_hash.as_slice())
            .execute(c)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Locks the code's row until the transaction ends, before it is read: two redemptions racing
/// on two instances take turns, and the second reads the first's mark (PostgreSQL's row lock;
/// on SQLite the transaction already holds the write lock).
pub async fn lock(c: &mut Conn, code_hash: &[u8; 32]) -> DbResult<()> {
    sqlx::query("UPDATE auth_codes SET used_at = used_at WHERE code_hash = $1")
        .bind(code_hash.as_slice())
        .execute(c)
        .await?;
    Ok(())
}
