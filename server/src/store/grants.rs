//! Grants as stored: a person's consent to an app, its scopes as the stored string. Codes and
//! tokens are [`super::codes`] and [`super::tokens`].

use rusqlite::{Connection, OptionalExtension, params};

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

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<GrantRow> {
    Ok(GrantRow {
        id: r.get(0)?,
        person_id: r.get(1)?,
        client_id: r.get(2)?,
        scopes: r.get(3)?,
        remember: r.get(4)?,
        created_at: r.get(5)?,
        expires_at: r.get(6)?,
    })
}

/// The person's unexpired, unrevoked grant to an app (the longest-lived if several).
pub fn active(
    c: &Connection,
    person_id: &str,
    client_id: &str,
    now: i64,
) -> rusqlite::Result<Option<GrantRow>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM grants WHERE person_id = ?1 AND client_id = ?2 AND revoked_at IS NULL AND expires_at > ?3 ORDER BY expires_at DESC LIMIT 1"
    ))?
    .query_row(params![person_id, client_id, now], row)
    .optional()
}

/// Sets a grant's scopes, "Remember" choice and end.
pub fn extend(
    c: &Connection,
    id: &str,
    scopes: &str,
    remember: bool,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE grants SET scopes = ?1, remember = ?2, updated_at = ?3, expires_at = ?4 WHERE id = ?5",
        params![scopes, remember, now, expires_at, id],
    )
}

/// Stores a new grant (`updated_at` is its `created_at`).
pub fn insert(c: &Connection, g: &GrantRow) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT INTO grants (id, person_id, client_id, scopes, remember, created_at, updated_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![g.id, g.person_id, g.client_id, g.scopes, g.remember, g.created_at, g.expires_at],
    )
}

/// The person's active grants with their apps' names, most recently updated first.
pub fn connected(
    c: &Connection,
    person_id: &str,
    now: i64,
) -> rusqlite::Result<Vec<(GrantRow, String)>> {
    let mut stmt = c.prepare_cached(
        "SELECT g.id, g.person_id, g.client_id, g.scopes, g.remember, g.created_at, g.expires_at, a.name FROM grants g JOIN apps a ON a.client_id = g.client_id
         WHERE g.person_id = ?1 AND g.revoked_at IS NULL AND g.expires_at > ?2 ORDER BY g.updated_at DESC",
    )?;
    stmt.query_map(params![person_id, now], |r| Ok((row(r)?, r.get(7)?)))?
        .collect()
}

/// The name of the app of one of `person_id`'s grants (revoked or not).
pub fn app_name_of(
    c: &Connection,
    grant_id: &str,
    person_id: &str,
) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT a.name FROM grants g JOIN apps a ON a.client_id = g.client_id WHERE g.id = ?1 AND g.person_id = ?2",
        rusqlite::params![grant_id, person_id],
        |r| r.get::<_, String>(0),
    )
    .optional()
}

/// Revokes one of the person's grants and every token issued under it, in one transaction.
/// False when the grant is not theirs (or already revoked).
pub fn revoke(
    c: &mut Connection,
    grant_id: &str,
    person_id: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let tx = c.transaction()?;
    let n = tx.execute(
        "UPDATE grants SET revoked_at = ?1 WHERE id = ?2 AND person_id = ?3 AND revoked_at IS NULL",
        params![now, grant_id, person_id],
    )?;
    super::tokens::revoke_of_grant(&tx, grant_id, now)?;
    tx.commit()?;
    Ok(n > 0)
}
