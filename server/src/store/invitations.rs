//! Invitations to connect, by e-mail address (`/v1/me/invitations` and the provider's
//! `/invitations` page). Writing one never looks an account up: what the inviter is answered
//! cannot depend on whether the address belongs to a member. Accepting stores the friendship
//! both ways.

use sqlx::Row as _;

use super::{Conn, Db, DbError, DbResult};
use crate::crypto::random_hex;

/// The most pending invitations one person may have sent.
pub const MAX_PENDING: i64 = 100;
/// The most invitations one person may send in a day (24 hours).
pub const MAX_PER_DAY: i64 = 50;
/// The most invitations a list shows (newest first).
pub const MAX_LISTED: i64 = 200;

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// `invitation.<16 hex>`.
    pub id: String,
    /// Who sent it (public person id).
    pub inviter_id: String,
    /// The sender's display name.
    pub inviter_name: String,
    /// The invited address, lowercased.
    pub email: String,
    /// `pending`, `accepted`, `declined` or `cancelled`.
    pub status: String,
    /// When it was sent (Unix seconds).
    pub created_at: i64,
    /// When it was accepted, declined or cancelled.
    pub decided_at: Option<i64>,
}

/// Why an invitation was not written.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    /// The per-person caps ([`MAX_PENDING`], [`MAX_PER_DAY`]).
    #[error("{0}")]
    Full(String),
    /// A storage failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What a cancel, accept or decline found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Done.
    Done,
    /// No such invitation for this person.
    NotFound,
    /// It is no longer pending (its status).
    NotPending(String),
}

const COLUMNS: &str =
    "i.id, i.inviter_id, p.display_name, i.email, i.status, i.created_at, i.decided_at";

fn from_row(r: &super::Row) -> DbResult<Invitation> {
    Ok(Invitation {
        id: r.try_get(0)?,
        inviter_id: r.try_get(1)?,
        inviter_name: r.try_get(2)?,
        email: r.try_get(3)?,
        status: r.try_get(4)?,
        created_at: r.try_get(5)?,
        decided_at: r.try_get(6)?,
    })
}

async fn by_id(c: &mut Conn, id: &str) -> DbResult<Option<Invitation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invitations i JOIN people p ON p.id = i.inviter_id WHERE i.id = $1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Invites `email` (already checked and lowercased) on behalf of `inviter_id`: the pending
/// invitation of the same address if there is one (`false`: nothing new written), else a new
/// one (`true`), within the caps. Looks no account up.
pub async fn create(
    db: &Db,
    inviter_id: &str,
    email: &str,
    now: i64,
) -> Result<(Invitation, bool), InviteError> {
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, inviter_id).await?;
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT id FROM invitations WHERE inviter_id = $1 AND email = $2 AND status = 'pending'",
    )
    .bind(inviter_id)
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = existing {
        let inv = by_id(&mut tx, &id)
            .await?
            .ok_or_else(|| DbError::RowNotFound)?;
        tx.commit().await?;
        return Ok((inv, false));
    }
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE inviter_id = $1 AND status = 'pending'",
    )
    .bind(inviter_id)
    .fetch_one(&mut *tx)
    .await?;
    if pending >= MAX_PENDING {
        return Err(InviteError::Full(format!(
            "You have {MAX_PENDING} pending invitations (the most allowed): cancel some first. Nothing was sent."
        )));
    }
    let today: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE inviter_id = $1 AND created_at > $2",
    )
    .bind(inviter_id)
    .bind(now - 86_400)
    .fetch_one(&mut *tx)
    .await?;
    if today >= MAX_PER_DAY {
        return Err(InviteError::Full(format!(
            "You have sent {MAX_PER_DAY} invitations in the last 24 hours (the most allowed): try again later. Nothing was sent."
        )));
    }
    let id = format!("invitation.{}", random_hex(8));
    sqlx::query(
        "INSERT INTO invitations (id, inviter_id, email, status, created_at, decided_at, invitee_id)
         VALUES ($1, $2, $3, 'pending', $4, NULL, NULL)",
    )
    .bind(&id)
    .bind(inviter_id)
    .bind(email)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let inv = by_id(&mut tx, &id)
        .await?
        .ok_or_else(|| DbError::RowNotFound)?;
    tx.commit().await?;
    Ok((inv, true))
}

/// The invitations `inviter_id` sent, newest first (at most [`MAX_LISTED`]).
pub async fn sent(c: &mut Conn, inviter_id: &str) -> DbResult<Vec<Invitation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invitations i JOIN people p ON p.id = i.inviter_id
         WHERE i.inviter_id = $1 ORDER BY i.created_at DESC, i.id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(inviter_id)
        .bind(MAX_LISTED)
        .fetch_all(c)
        .await?;
    rows.iter().map(from_row).collect()
}

/// The pending invitations addressed to `email` (lowercased) from anyone but `person_id`,
/// newest first (at most [`MAX_LISTED`]).
pub async fn received(c: &mut Conn, person_id: &str, email: &str) -> DbResult<Vec<Invitation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invitations i JOIN people p ON p.id = i.inviter_id
         WHERE i.email = $1 AND i.status = 'pending' AND i.inviter_id <> $2
         ORDER BY i.created_at DESC, i.id LIMIT $3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(email)
        .bind(person_id)
        .bind(MAX_LISTED)
        .fetch_all(c)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Cancels `inviter_id`'s pending invitation `id`.
pub async fn cancel(db: &Db, inviter_id: &str, id: &str, now: i64) -> DbResult<Decided> {
    let mut tx = db.begin().await?;
    let Some(inv) = by_id(&mut tx, id).await? else {
        return Ok(Decided::NotFound);
    };
    if inv.inviter_id != inviter_id {
        return Ok(Decided::NotFound);
    }
    let n = sqlx::query(
        "UPDATE invitations SET status = 'cancelled', decided_at = $2 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Ok(Decided::NotPending(inv.status));
    }
    tx.commit().await?;
    Ok(Decided::Done)
}

/// Accepts (the friendship is stored both ways) or declines the pending invitation `id`
/// addressed to `email` (the deciding person's address, lowercased). Anyone else's
/// invitation is [`Decided::NotFound`]; the status change is conditional on `pending`, so
/// of two concurrent decisions one wins.
pub async fn decide(
    db: &Db,
    person_id: &str,
    email: &str,
    id: &str,
    accept: bool,
    now: i64,
) -> DbResult<Decided> {
    let mut tx = db.begin().await?;
    let Some(inv) = by_id(&mut tx, id).await? else {
        return Ok(Decided::NotFound);
    };
    if inv.email != email || inv.inviter_id == person_id {
        return Ok(Decided::NotFound);
    }
    let n = sqlx::query(
        "UPDATE invitations SET status = $2, decided_at = $3, invitee_id = $4 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(if accept { "accepted" } else { "declined" })
    .bind(now)
    .bind(person_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Ok(Decided::NotPending(inv.status));
    }
    if accept {
        for (a, b) in [
            (person_id, inv.inviter_id.as_str()),
            (inv.inviter_id.as_str(), person_id),
        ] {
            sqlx::query(
                "INSERT INTO friendships (person_id, friend_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(a)
            .bind(b)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Decided::Done)
}
