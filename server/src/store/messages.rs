//! The hub's SQL: storing messages, marking them delivered, resync, history and the friend list.
//! Blocking functions over one connection; callers run them off the async threads.

use rusqlite::{Connection, params};

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

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: r.get(0)?,
        from: r.get(1)?,
        to: r.get(2)?,
        text: r.get(3)?,
        at: r.get(4)?,
        client_id: r.get(5)?,
        delivered: r.get::<_, Option<i64>>(6)?.is_some(),
    })
}

/// Stores messages in one transaction, in order; returns their ids. Each message is stored
/// only if `allowed` says so (the hub's per-person cap,
/// [`super::collections::MAX_MESSAGES`]); a refused one is
/// `None` and not written. `allowed` may look at the database (the transaction's view).
pub fn insert(
    c: &mut Connection,
    msgs: &[NewMessage],
    now: i64,
    mut allowed: impl FnMut(&Connection, &NewMessage) -> rusqlite::Result<bool>,
) -> rusqlite::Result<Vec<Option<i64>>> {
    let tx = c.transaction()?;
    let mut ids = Vec::with_capacity(msgs.len());
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO messages (sender_id, recipient_id, text, client_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for m in msgs {
            if !allowed(&tx, m)? {
                ids.push(None);
                continue;
            }
            stmt.execute(params![m.from, m.to, m.text, m.client_id, now])?;
            ids.push(Some(tx.last_insert_rowid()));
        }
    }
    tx.commit()?;
    Ok(ids)
}

/// How many messages `person` has sent (and the store keeps). Counting walks the sender's
/// index entries, so the hub's writer counts once per person and keeps the number.
pub fn sent_count(c: &Connection, person: &str) -> rusqlite::Result<i64> {
    c.prepare_cached("SELECT COUNT(*) FROM messages WHERE sender_id = ?1")?
        .query_row([person], |r| r.get(0))
}

/// Marks messages delivered; returns those that were not delivered before.
pub fn mark_delivered(c: &mut Connection, ids: &[i64], now: i64) -> rusqlite::Result<Vec<i64>> {
    let tx = c.transaction()?;
    let mut changed = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE messages SET delivered_at = ?1 WHERE id = ?2 AND delivered_at IS NULL",
        )?;
        for &id in ids {
            if stmt.execute(params![now, id])? > 0 {
                changed.push(id);
            }
        }
    }
    tx.commit()?;
    Ok(changed)
}

/// Every message to or from `person` with an id above `since`, oldest first.
pub fn since(c: &Connection, person: &str, since: i64) -> rusqlite::Result<Vec<Message>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages WHERE sender_id = ?1 AND id > ?2
         UNION ALL
         SELECT {COLUMNS} FROM messages WHERE recipient_id = ?1 AND sender_id <> ?1 AND id > ?2
         ORDER BY id"
    ))?;
    stmt.query_map(params![person, since], row)?.collect()
}

/// Every message to `person` not yet delivered, oldest first.
pub fn undelivered(c: &Connection, person: &str) -> rusqlite::Result<Vec<Message>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages WHERE recipient_id = ?1 AND delivered_at IS NULL ORDER BY id"
    ))?;
    stmt.query_map([person], row)?.collect()
}

/// The largest id of a message to or from `person` (0 when none).
pub fn last_id(c: &Connection, person: &str) -> rusqlite::Result<i64> {
    c.prepare_cached(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM messages WHERE sender_id = ?1), 0),
                    COALESCE((SELECT MAX(id) FROM messages WHERE recipient_id = ?1), 0))",
    )?
    .query_row([person], |r| r.get(0))
}

/// Up to `limit` messages between `me` and `with` with an id below `before`, oldest first, and
/// whether there are older ones.
pub fn history(
    c: &Connection,
    me: &str,
    with: &str,
    before: i64,
    limit: u32,
) -> rusqlite::Result<(Vec<Message>, bool)> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM (
             SELECT {COLUMNS} FROM messages WHERE sender_id = ?1 AND recipient_id = ?2 AND id < ?3
             UNION ALL
             SELECT {COLUMNS} FROM messages WHERE sender_id = ?2 AND recipient_id = ?1 AND id < ?3
         ) ORDER BY id DESC LIMIT ?4"
    ))?;
    let mut list: Vec<Message> = stmt
        .query_map(params![me, with, before, i64::from(limit) + 1], row)?
        .collect::<rusqlite::Result<_>>()?;
    let more = list.len() > limit as usize;
    list.truncate(limit as usize);
    list.reverse();
    Ok((list, more))
}

/// The person's friends, by name.
pub fn friends(c: &Connection, person: &str) -> rusqlite::Result<Vec<Friend>> {
    let mut stmt = c.prepare_cached(
        "SELECT p.id, p.display_name, p.picture_key FROM friendships f JOIN people p ON p.id = f.friend_id
         WHERE f.person_id = ?1 ORDER BY p.display_name, p.id",
    )?;
    stmt.query_map([person], |r| {
        Ok(Friend {
            id: r.get(0)?,
            name: r.get(1)?,
            picture_key: r.get(2)?,
        })
    })?
    .collect()
}
