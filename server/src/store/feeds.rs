//! An app's RSS/Atom feed as stored (issue 17 §1): its address, the last poll's validators
//! and status, when it is due, the entries already turned into activities, and the people an
//! entry goes to.

use sqlx::Row as _;

use super::{Conn, DbResult};

/// An app's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The app.
    pub client_id: String,
    /// The feed's address.
    pub url: String,
    /// The last answer's `ETag`.
    pub etag: Option<String>,
    /// The last answer's `Last-Modified`.
    pub last_modified: Option<String>,
    /// The last poll's stable code (`pending`, `ok`, `not_modified`, `feed_…`).
    pub status: String,
    /// What the owner reads about it (English; the page says it from `status` and `detail`).
    pub message: String,
    /// The values in the message, a JSON array of strings (empty for older rows).
    pub detail: String,
    /// Entries recorded so far.
    pub entries_seen: i64,
    /// The last poll, Unix seconds.
    pub checked_at: Option<i64>,
    /// The next poll is due then.
    pub next_at: i64,
}

const COLUMNS: &str = "client_id, url, etag, last_modified, status, message, entries_seen, checked_at, next_at, detail";

fn row(r: &sqlx::any::AnyRow) -> DbResult<Feed> {
    Ok(Feed {
        client_id: r.try_get(0)?,
        url: r.try_get(1)?,
        etag: r.try_get(2)?,
        last_modified: r.try_get(3)?,
        status: r.try_get(4)?,
        message: r.try_get(5)?,
        entries_seen: r.try_get(6)?,
        checked_at: r.try_get(7)?,
        next_at: r.try_get(8)?,
        detail: r.try_get(9)?,
    })
}

/// The app's feed, if it has one.
pub async fn of_app(c: &mut Conn, client_id: &str) -> DbResult<Option<Feed>> {
    let sql = format!("SELECT {COLUMNS} FROM app_feeds WHERE client_id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(client_id)
        .fetch_optional(c)
        .await?;
    r.as_ref().map(row).transpose()
}

/// Sets (or replaces) the app's feed address: pending, due now, no validators.
pub async fn set(c: &mut Conn, client_id: &str, url: &str, now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO app_feeds (client_id, url, status, message, entries_seen, next_at, updated_at)
         VALUES ($1, $2, 'pending', 'Not checked yet.', 0, $3, $3)
         ON CONFLICT (client_id) DO UPDATE SET url = $2, etag = NULL, last_modified = NULL,
           status = 'pending', message = 'Not checked yet.', detail = '', next_at = $3,
           updated_at = $3",
    )
    .bind(client_id)
    .bind(url)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Removes the app's feed (the entries seen are kept, so a feed set again does not repeat them).
pub async fn remove(c: &mut Conn, client_id: &str) -> DbResult<bool> {
    let r = sqlx::query("DELETE FROM app_feeds WHERE client_id = $1")
        .bind(client_id)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Up to `limit` feeds due at `now`, the longest-waiting first.
pub async fn due(c: &mut Conn, now: i64, limit: i64) -> DbResult<Vec<Feed>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM app_feeds WHERE next_at <= $1 ORDER BY next_at, client_id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(c)
        .await?;
    rows.iter().map(row).collect()
}

/// Claims a due feed for one poll (moves its next poll to `next_at`); `false` when another
/// poller (or instance) claimed it first.
pub async fn claim(c: &mut Conn, client_id: &str, now: i64, next_at: i64) -> DbResult<bool> {
    let r = sqlx::query("UPDATE app_feeds SET next_at = $3 WHERE client_id = $1 AND next_at <= $2")
        .bind(client_id)
        .bind(now)
        .bind(next_at)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// What one poll found.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// The stable code.
    pub status: &'a str,
    /// The message.
    pub message: &'a str,
    /// The values in the message (a JSON array of strings).
    pub detail: &'a str,
    /// New validators (`None`: keep the stored ones).
    pub validators: Option<(Option<&'a str>, Option<&'a str>)>,
    /// Entries newly recorded.
    pub new_entries: i64,
}

/// Records a poll of the feed at `url` (nothing when the address changed meanwhile).
pub async fn record(
    c: &mut Conn,
    client_id: &str,
    url: &str,
    o: &Outcome<'_>,
    now: i64,
) -> DbResult<()> {
    let q = match o.validators {
        None => sqlx::query(
            "UPDATE app_feeds SET status = $3, message = $4, checked_at = $5, updated_at = $5,
               entries_seen = entries_seen + $6, detail = $7
             WHERE client_id = $1 AND url = $2",
        ),
        Some(_) => sqlx::query(
            "UPDATE app_feeds SET status = $3, message = $4, checked_at = $5, updated_at = $5,
               entries_seen = entries_seen + $6, detail = $7, etag = $8, last_modified = $9
             WHERE client_id = $1 AND url = $2",
        ),
    };
    let q = q
        .bind(client_id)
        .bind(url)
        .bind(o.status)
        .bind(o.message)
        .bind(now)
        .bind(o.new_entries)
        .bind(o.detail);
    let q = match o.validators {
        None => q,
        Some((etag, modified)) => q.bind(etag).bind(modified),
    };
    q.execute(c).await?;
    Ok(())
}

/// Records an entry as seen; `true` when it was new (only then does it become activities,
/// so two polls at once never publish it twice).
pub async fn mark_entry(c: &mut Conn, client_id: &str, key: &str, now: i64) -> DbResult<bool> {
    let r = sqlx::query(
        "INSERT INTO feed_entries (client_id, entry_key, seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, entry_key) DO NOTHING",
    )
    .bind(client_id)
    .bind(key)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The people who allowed the app to publish for them: an active consent (not revoked, not
/// expired) that includes `wl.share`.
pub async fn allowed_people(c: &mut Conn, client_id: &str, now: i64) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT person_id FROM grants
         WHERE client_id = $1 AND revoked_at IS NULL AND expires_at > $2
           AND (' ' || scopes || ' ') LIKE '% wl.share %'
         ORDER BY person_id",
    )
    .bind(client_id)
    .bind(now)
    .fetch_all(c)
    .await
}
