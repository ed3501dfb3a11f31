//! People as stored: the row ([`Person`], without the password hash) and the lookups.

use rusqlite::{Connection, OptionalExtension, params};

/// A person as stored (without the password hash).
#[derive(Debug, Clone)]
pub struct Person {
    /// Public id.
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The name shown to others.
    pub display_name: String,
    /// Email address.
    pub email: String,
    /// Locale, Live Connect style (`en_US`).
    pub locale: String,
    /// Unguessable path segment of the public picture.
    pub picture_key: String,
    /// Avatar background colour (`#rrggbb`).
    pub color: String,
    /// Last change, Unix seconds.
    pub updated_at: i64,
}

const COLUMNS: &str = "id, username, first_name, last_name, display_name, email, locale, picture_key, color, updated_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        username: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        display_name: r.get(4)?,
        email: r.get(5)?,
        locale: r.get(6)?,
        picture_key: r.get(7)?,
        color: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

/// Finds a person by public id.
pub fn by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<Person>> {
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM people WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Finds a person by the picture key in their picture's URL.
pub fn by_picture_key(c: &Connection, key: &str) -> rusqlite::Result<Option<Person>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM people WHERE picture_key = ?1"
    ))?
    .query_row([key], from_row)
    .optional()
}

/// Finds a person and their password hash by sign-in name (case-insensitive).
pub fn by_username(c: &Connection, username: &str) -> rusqlite::Result<Option<(Person, String)>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS}, password_hash FROM people WHERE username = ?1"
    ))?
    .query_row([username.trim().to_lowercase()], |r| {
        Ok((from_row(r)?, r.get(10)?))
    })
    .optional()
}

/// True when `a` and `b` are friends.
pub fn are_friends(c: &Connection, a: &str, b: &str) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM friendships WHERE person_id = ?1 AND friend_id = ?2")?
        .query_row(params![a, b], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
}
