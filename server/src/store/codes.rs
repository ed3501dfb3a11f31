//! Authorization codes as stored (only their SHA-256): storing one, and reading and marking it
//! when it is redeemed (inside the token endpoint's transaction, see
//! [`crate::identity::tokens`]).

use rusqlite::{Connection, params};

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
pub fn insert(c: &Connection, code: &NewCode<'_>) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM auth_codes WHERE expires_at < ?1",
        [code.now - 86_400],
    )?;
    c.execute(
        "INSERT INTO auth_codes (code_hash, grant_id, client_id, person_id, redirect_uri, scopes, nonce, code_challenge, remember, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            code.code_hash.as_slice(),
            code.grant_id,
            code.client_id,
            code.person_id,
            code.redirect_uri,
            code.scopes,
            code.nonce,
            code.code_challenge,
            code.remember,
            code.now,
            code.expires_at
        ],
    )
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
pub fn with_grant(c: &Connection, code_hash: &[u8; 32]) -> rusqlite::Result<Option<CodeRow>> {
    use rusqlite::OptionalExtension;
    c.query_row(
        "SELECT a.grant_id, a.client_id, a.person_id, a.redirect_uri, a.scopes, a.nonce, a.code_challenge, a.remember, a.expires_at, a.used_at, g.expires_at, g.revoked_at
         FROM auth_codes a JOIN grants g ON g.id = a.grant_id WHERE a.code_hash = ?1",
        [code_hash.as_slice()],
        |r| {
            Ok(CodeRow {
                grant_id: r.get(0)?,
                client_id: r.get(1)?,
                person_id: r.get(2)?,
                redirect_uri: r.get(3)?,
                scopes: r.get(4)?,
                nonce: r.get(5)?,
                code_challenge: r.get(6)?,
                remember: r.get(7)?,
                expires_at: r.get(8)?,
                used: r.get::<_, Option<i64>>(9)?.is_some(),
                grant_expires_at: r.get(10)?,
                grant_revoked: r.get::<_, Option<i64>>(11)?.is_some(),
            })
        },
    )
    .optional()
}

/// Marks a code redeemed.
pub fn mark_used(c: &Connection, code_hash: &[u8; 32], now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE auth_codes SET used_at = ?1 WHERE code_hash = ?2",
        params![now, code_hash.as_slice()],
    )
}
