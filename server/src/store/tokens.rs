//! Access and refresh tokens as stored: only their SHA-256, with the grant, person, app and
//! scopes they were issued for. The token endpoint's checks and the in-process cache are
//! [`crate::identity::tokens`]; these are its statements.

use sqlx::Row as _;

use super::{Conn, DbResult, Row};

/// Which kind of token a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bearer access token (`wlat_…`).
    Access,
    /// A refresh token (`wlrt_…`).
    Refresh,
}

impl TokenKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
        }
    }

    fn parse(stored: &str) -> Self {
        if stored == "refresh" {
            TokenKind::Refresh
        } else {
            TokenKind::Access
        }
    }
}

/// A token to store.
#[derive(Debug, Clone, Copy)]
pub struct NewToken<'a> {
    /// SHA-256 of the token.
    pub hash: &'a [u8; 32],
    /// Access or refresh.
    pub kind: TokenKind,
    /// The grant it is issued under.
    pub grant_id: &'a str,
    /// The person it acts for.
    pub person_id: &'a str,
    /// The app it is issued to.
    pub client_id: &'a str,
    /// Its scopes, as stored.
    pub scopes: &'a str,
    /// Its family: the SHA-256 of the authorization code the chain started from (stored in
    /// `code_hash`), inherited by every token minted by refreshing. The whole family is revoked
    /// when the code is replayed or a rotated refresh token is presented again.
    pub family: Option<&'a [u8; 32]>,
    /// Now, Unix seconds.
    pub now: i64,
    /// When it expires.
    pub expires_at: i64,
}

/// Stores a token.
pub async fn insert(c: &mut Conn, t: &NewToken<'_>) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, grant_id, person_id, client_id, scopes, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(t.hash.as_slice())
    .bind(t.kind.as_str())
    .bind(t.grant_id)
    .bind(t.person_id)
    .bind(t.client_id)
    .bind(t.scopes)
    .bind(t.family.map(|h| h.as_slice()))
    .bind(t.now)
    .bind(t.expires_at)
    .execute(c)
    .await?;
    Ok(())
}

/// An access token with its grant's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRow {
    /// Its grant.
    pub grant_id: String,
    /// The person it acts for.
    pub person_id: String,
    /// The app it was issued to.
    pub client_id: String,
    /// Its scopes, as stored.
    pub scopes: String,
    /// Expiry, Unix seconds: the token's own or its grant's, whichever comes first.
    pub expires_at: i64,
    /// The token or its grant has been revoked.
    pub revoked: bool,
    /// The token has been validated from the database before ([`mark_used`]).
    pub used: bool,
}

/// The access token with this hash (not a refresh token), revoked or not.
pub async fn access(c: &mut Conn, hash: &[u8; 32]) -> DbResult<Option<AccessRow>> {
    let Some(r) = sqlx::query(
        "SELECT t.grant_id, t.person_id, t.client_id, t.scopes,
                CASE WHEN t.expires_at < g.expires_at THEN t.expires_at ELSE g.expires_at END,
                t.revoked_at, g.revoked_at, t.used_at
         FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = $1 AND t.kind = 'access'",
    )
    .bind(hash.as_slice())
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(AccessRow {
        grant_id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        client_id: r.try_get(2)?,
        scopes: r.try_get(3)?,
        expires_at: r.try_get(4)?,
        revoked: is_set(&r, 5)? || is_set(&r, 6)?,
        used: is_set(&r, 7)?,
    }))
}

/// True when the nullable column `i` holds a value.
fn is_set(r: &Row, i: usize) -> DbResult<bool> {
    Ok(r.try_get::<Option<i64>, _>(i)?.is_some())
}

/// A refresh token with its grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRow {
    /// The app it was issued to.
    pub client_id: String,
    /// The person it acts for.
    pub person_id: String,
    /// Its scopes, as stored.
    pub scopes: String,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
    /// The token has been revoked (rotated or revoked by the app).
    pub revoked: bool,
    /// Its grant.
    pub grant_id: String,
    /// The grant's "Remember" choice.
    pub grant_remember: bool,
    /// When the grant ends.
    pub grant_expires_at: i64,
    /// The grant has been revoked.
    pub grant_revoked: bool,
    /// Its family (see [`NewToken::family`]); `None` for tokens stored before families.
    pub family: Option<[u8; 32]>,
    /// When it was rotated (presented and exchanged for a new pair), if it was.
    pub rotated_at: Option<i64>,
    /// When its rotation was retried, if it was ([`mark_retried`]).
    pub retried_at: Option<i64>,
    /// The (refresh, access) token hashes its latest rotation minted.
    pub successor: Option<([u8; 32], [u8; 32])>,
}

fn hash_of(blob: Option<Vec<u8>>) -> Option<[u8; 32]> {
    blob.and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok())
}

/// The refresh token with this hash (not an access token), revoked or not.
pub async fn refresh(c: &mut Conn, hash: &[u8; 32]) -> DbResult<Option<RefreshRow>> {
    let Some(r) = sqlx::query(
        "SELECT t.client_id, t.person_id, t.scopes, t.expires_at, t.revoked_at, g.id, g.remember, g.expires_at, g.revoked_at, t.code_hash,
                t.rotated_at, t.retried_at, t.successor_refresh, t.successor_access
         FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = $1 AND t.kind = 'refresh'",
    )
    .bind(hash.as_slice())
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(RefreshRow {
        client_id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        scopes: r.try_get(2)?,
        expires_at: r.try_get(3)?,
        revoked: is_set(&r, 4)?,
        grant_id: r.try_get(5)?,
        grant_remember: r.try_get::<i64, _>(6)? != 0,
        grant_expires_at: r.try_get(7)?,
        grant_revoked: is_set(&r, 8)?,
        family: hash_of(r.try_get(9)?),
        rotated_at: r.try_get(10)?,
        retried_at: r.try_get(11)?,
        successor: hash_of(r.try_get(12)?).zip(hash_of(r.try_get(13)?)),
    }))
}

/// What `/revoke` needs of any token: its kind, grant and app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRef {
    /// Access or refresh.
    pub kind: TokenKind,
    /// Its grant.
    pub grant_id: String,
    /// The app it was issued to.
    pub client_id: String,
}

/// The token (of either kind) with this hash, revoked or not.
pub async fn find(c: &mut Conn, hash: &[u8; 32]) -> DbResult<Option<TokenRef>> {
    let Some(r) = sqlx::query("SELECT kind, grant_id, client_id FROM tokens WHERE token_hash = $1")
        .bind(hash.as_slice())
        .fetch_optional(c)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(TokenRef {
        kind: TokenKind::parse(&r.try_get::<String, _>(0)?),
        grant_id: r.try_get(1)?,
        client_id: r.try_get(2)?,
    }))
}

/// Revokes one token (if not revoked already). The number of tokens revoked (0 or 1).
pub async fn revoke(c: &mut Conn, hash: &[u8; 32], now: i64) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(hash.as_slice())
    .execute(c)
    .await?
    .rows_affected())
}

/// Revokes every token of a grant not revoked already.
pub async fn revoke_of_grant(c: &mut Conn, grant_id: &str, now: i64) -> DbResult<u64> {
    Ok(
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE grant_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(grant_id)
            .execute(c)
            .await?
            .rows_affected(),
    )
}

/// Revokes every token of a family (see [`NewToken::family`]) not revoked already: the
/// tokens issued for an authorization code and every token minted by refreshing them.
pub async fn revoke_family(c: &mut Conn, family: &[u8; 32], now: i64) -> DbResult<u64> {
    Ok(
        sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE code_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(family.as_slice())
        .execute(c)
        .await?
        .rows_affected(),
    )
}

/// Records a refresh token's rotation: revokes it (if not revoked already), notes when it was
/// first rotated and which (refresh, access) pair the rotation minted.
pub async fn record_rotation(
    c: &mut Conn,
    hash: &[u8; 32],
    successor: (&[u8; 32], &[u8; 32]),
    now: i64,
) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1), rotated_at = COALESCE(rotated_at, $1),
                successor_refresh = $2, successor_access = $3
         WHERE token_hash = $4",
    )
        .bind(now)
        .bind(successor.0.as_slice())
        .bind(successor.1.as_slice())
        .bind(hash.as_slice())
    .execute(c)
    .await?
    .rows_affected())
}

/// Notes that a rotated refresh token's rotation was retried (it may be only once).
pub async fn mark_retried(c: &mut Conn, hash: &[u8; 32], now: i64) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE tokens SET retried_at = $1 WHERE token_hash = $2 AND retried_at IS NULL",
    )
    .bind(now)
    .bind(hash.as_slice())
    .execute(c)
    .await?
    .rows_affected())
}

/// Notes an access token's first use (its first validation from the database).
pub async fn mark_used(c: &mut Conn, hash: &[u8; 32], now: i64) -> DbResult<u64> {
    Ok(
        sqlx::query("UPDATE tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(now)
            .bind(hash.as_slice())
            .execute(c)
            .await?
            .rows_affected(),
    )
}

/// True when both tokens exist and neither has been revoked (a refresh token is revoked when
/// it is presented and rotated) or used ([`mark_used`]).
pub async fn pair_unused(c: &mut Conn, refresh: &[u8; 32], access: &[u8; 32]) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tokens WHERE token_hash IN ($1, $2) AND revoked_at IS NULL AND used_at IS NULL",
    )
    .bind(refresh.as_slice())
    .bind(access.as_slice())
    .fetch_one(c)
    .await?;
    Ok(n == 2)
}

/// Locks a token's row until the transaction ends, before it is read: two refreshes of one
/// refresh token racing on two instances take turns, and the second reads the first's
/// rotation (PostgreSQL's row lock; on SQLite the transaction already holds the write lock).
pub async fn lock(c: &mut Conn, hash: &[u8; 32]) -> DbResult<()> {
    sqlx::query("UPDATE tokens SET revoked_at = revoked_at WHERE token_hash = $1")
        .bind(hash.as_slice())
        .execute(c)
        .await?;
    Ok(())
}
