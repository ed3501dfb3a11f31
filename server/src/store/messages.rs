//! The hub's SQL: storing messages, marking them delivered, resync, history and the friend list.
//! Writes take a transaction ([`crate::store::Db::begin`]).

use sqlx::Row as _;

use super::{Conn, DbResult, Row};

/// The longest message text, in Unicode scalar values (a client counting UTF-16 units stays
/// within it). With [`is_blank`], what a message may be: the hub's rule and the API schema's
/// (`MessageInput.text`) both read it here.
pub const MAX_TEXT_CHARS: usize = 2000;

/// A message with nothing to read: only white space, control characters and byte-order marks
/// (`docs/messenger.md`). The API schema's `MessageInput.text` pattern, [`TEXT_PATTERN`], says
/// the same for other clients.
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || c.is_control() || c == '\u{feff}')
}

/// The regular expression a message's text must match somewhere: one character that is not
/// blank in the sense of [`is_blank`].
pub const TEXT_PATTERN: &str = r"[^\s\x00-\x1f\x7f-\x9f\ufeff]";

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its id (increasing in storing order).
    pub id: i64,
    /// The sender's id.
    pub from: String,
    /// The recipient's id.
    pub to: String,
    /// The text.
    pub text: String,
    /// When stored, Unix seconds.
    pub at: i64,
    /// The sender's own id for it.
    pub client_id: Option<String>,
    /// It has reached one of the recipient's connections.
    pub delivered: bool,
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Sender's id.
    pub from: String,
    /// Recipient's id.
    pub to: String,
    /// The text (already checked).
    pub text: String,
    /// The sender's own id for it.
    pub client_id: String,
}

/// A friend as `welcome` lists them.
#[derive(Debug, Clone)]
pub struct Friend {
    /// Public id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Picture key (the URL is built from the issuer).
    pub picture_key: String,
}

const COLUMNS: &str = "id, sender_id, recipient_id, text, created_at, client_id, delivered_at";

fn row(r: &Row) -> DbResult<Message> {
    Ok(Message {
        id: r.try_get(0)?,
        from: r.try_get(1)?,
        to: r.try_get(2)?,
        text: r.try_get(3)?,
        at: r.try_get(4)?,
        client_id: r.try_get(5)?,
        delivered: r.try_get::<Option<i64>, _>(6)?.is_some(),
    })
}

/// Stores a message and returns its id (the hub's writer stores a batch in one transaction,
/// after checking the per-person cap, [`super::collections::MAX_MESSAGES`], with
/// [`sent_count`]).
pub async fn insert(c: &mut Conn, m: &NewMessage, now: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO messages (sender_id, recipient_id, text, client_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&m.from)
    .bind(&m.to)
    .bind(&m.text)
    .bind(&m.client_id)
    .bind(now)
    .fetch_one(c)
    .await
}

/// How many messages `person` has sent (and the store keeps). Counting walks the sender's
/// index entries, so the hub's writer counts once per person and keeps the number.
pub async fn sent_count(c: &mut Conn, person: &str) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE sender_id = $1")
        .bind(person)
        .fetch_one(c)
        .await
}

/// Marks messages delivered; returns those that were not delivered before.
pub async fn mark_delivered(c: &mut Conn, ids: &[i64], now: i64) -> DbResult<Vec<i64>> {
    let mut changed = Vec::new();
    for &id in ids {
        let n = sqlx::query(
            "UPDATE messages SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected();
        if n > 0 {
            changed.push(id);
        }
    }
    Ok(changed)
}

/// Every message to or from `person` with an id above `since`, oldest first.
pub async fn since(c: &mut Conn, person: &str, since: i64) -> DbResult<Vec<Message>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM messages WHERE sender_id = $1 AND id > $2
         UNION ALL
         SELECT {COLUMNS} FROM messages WHERE recipient_id = $1 AND sender_id <> $1 AND id > $2
         ORDER BY id"
    )))
    .bind(person)
    .bind(since)
    .fetch_all(c)
    .await?
    .iter()
    .map(row)
    .collect()
}

/// Every message to `person` not yet delivered, oldest first.
pub async fn undelivered(c: &mut Conn, person: &str) -> DbResult<Vec<Message>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM messages WHERE recipient_id = $1 AND delivered_at IS NULL ORDER BY id"
    )))
    .bind(person)
    .fetch_all(c)
    .await?
    .iter()
    .map(row)
    .collect()
}

/// The largest id of a message to or from `person` (0 when none).
pub async fn last_id(c: &mut Conn, person: &str) -> DbResult<i64> {
    let (sent, received): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT MAX(id) FROM messages WHERE sender_id = $1), 0),
                COALESCE((SELECT MAX(id) FROM messages WHERE recipient_id = $1), 0)",
    )
    .bind(person)
    .fetch_one(c)
    .await?;
    Ok(sent.max(received))
}

/// Up to `limit` messages between `me` and `with` with an id below `before`, oldest first, and
/// whether there are older ones.
pub async fn history(
    c: &mut Conn,
    me: &str,
    with: &str,
    before: i64,
    limit: u32,
) -> DbResult<(Vec<Message>, bool)> {
    let mut list: Vec<Message> = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM (
             SELECT {COLUMNS} FROM messages WHERE sender_id = $1 AND recipient_id = $2 AND id < $3
             UNION ALL
             SELECT {COLUMNS} FROM messages WHERE sender_id = $2 AND recipient_id = $1 AND id < $3
         ) AS pair ORDER BY id DESC LIMIT $4"
    )))
    .bind(me)
    .bind(with)
    .bind(before)
    .bind(i64::from(limit) + 1)
    .fetch_all(c)
    .await?
    .iter()
    .map(row)
    .collect::<DbResult<_>>()?;
    let more = list.len() > limit as usize;
    list.truncate(limit as usize);
    list.reverse();
    Ok((list, more))
}

/// The person's friends, by name.
pub async fn friends(c: &mut Conn, person: &str) -> DbResult<Vec<Friend>> {
    sqlx::query(
        "SELECT p.id, p.display_name, p.picture_key FROM friendships f JOIN people p ON p.id = f.friend_id
         WHERE f.person_id = $1 ORDER BY p.display_name, p.id",
    )
    .bind(person)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Friend {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            picture_key: r.try_get(2)?,
        })
    })
    .collect()
}

/// One conversation of [`conversations`]: the friend, the newest message between the two and
/// how many of the friend's messages have reached none of the person's connections yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// The friend's id.
    pub with: String,
    /// The newest message between the two.
    pub last: Message,
    /// The friend's messages not yet delivered to the person.
    pub undelivered: i64,
}

/// The person's conversations (friends with at least one message between them), newest first.
pub async fn conversations(c: &mut Conn, person: &str) -> DbResult<Vec<Conversation>> {
    sqlx::query(
        "SELECT m.id, m.sender_id, m.recipient_id, m.text, m.created_at, m.client_id, m.delivered_at,
                pair.friend_id, pair.undelivered
         FROM (
             SELECT f.friend_id AS friend_id,
                    (SELECT MAX(id) FROM messages
                     WHERE (sender_id = $1 AND recipient_id = f.friend_id)
                        OR (sender_id = f.friend_id AND recipient_id = $1)) AS last_id,
                    (SELECT COUNT(*) FROM messages
                     WHERE sender_id = f.friend_id AND recipient_id = $1
                       AND delivered_at IS NULL) AS undelivered
             FROM friendships f WHERE f.person_id = $1
         ) AS pair JOIN messages m ON m.id = pair.last_id
         ORDER BY m.id DESC",
    )
    .bind(person)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Conversation {
            last: row(r)?,
            with: r.try_get(7)?,
            undelivered: r.try_get(8)?,
        })
    })
    .collect()
}

/// Whether `friend` is one of `person`'s friends.
pub async fn is_friend(c: &mut Conn, person: &str, friend: &str) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM friendships WHERE person_id = $1 AND friend_id = $2",
    )
    .bind(person)
    .bind(friend)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}
