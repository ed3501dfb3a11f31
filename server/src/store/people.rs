//! People as stored: the row ([`Person`], without the password hash) and the lookups.

use sqlx::Row as _;

use super::{Conn, DbResult, Row};

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

fn from_row(r: &Row) -> DbResult<Person> {
    Ok(Person {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        first_name: r.try_get(2)?,
        last_name: r.try_get(3)?,
        display_name: r.try_get(4)?,
        email: r.try_get(5)?,
        locale: r.try_get(6)?,
        picture_key: r.try_get(7)?,
        color: r.try_get(8)?,
        updated_at: r.try_get(9)?,
    })
}

async fn one_by(c: &mut Conn, column: &'static str, value: &str) -> DbResult<Option<Person>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM people WHERE {column} = $1"
    )))
    .bind(value)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Finds a person by public id.
pub async fn by_id(c: &mut Conn, id: &str) -> DbResult<Option<Person>> {
    one_by(c, "id", id).await
}

/// Finds a person by the picture key in their picture's URL.
pub async fn by_picture_key(c: &mut Conn, key: &str) -> DbResult<Option<Person>> {
    one_by(c, "picture_key", key).await
}

/// Finds a person and their password hash by sign-in name (case-insensitive).
pub async fn by_username(c: &mut Conn, username: &str) -> DbResult<Option<(Person, String)>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, password_hash FROM people WHERE username = $1"
    )))
    .bind(username.trim().to_lowercase())
    .fetch_optional(c)
    .await?;
    row.map(|r| Ok((from_row(&r)?, r.try_get(10)?))).transpose()
}

/// True when `a` and `b` are friends.
pub async fn are_friends(c: &mut Conn, a: &str, b: &str) -> DbResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM friendships WHERE person_id = $1 AND friend_id = $2")
            .bind(a)
            .bind(b)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}
