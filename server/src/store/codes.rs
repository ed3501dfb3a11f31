//! Authorization codes as stored (only their SHA-256). Redeeming one is part of the token
//! endpoint's transaction, still in [`crate::identity::tokens`].

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
