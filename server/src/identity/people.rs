//! People: lookups and the Live Connect / OIDC profile shapes (their avatar pictures are
//! drawn by [`crate::pages::avatar_svg`]).

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use crate::clock::civil;

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

/// Formats Unix seconds as Live Connect did: `2010-11-23T11:00:00+0000`.
pub fn live_time(secs: i64) -> String {
    let (y, m, d, h, mi, s) = civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}+0000")
}

impl Person {
    /// The absolute URL of the person's public picture.
    pub fn picture_url(&self, issuer: &str) -> String {
        format!("{issuer}/pictures/{}.svg", self.picture_key)
    }

    /// The Live Connect profile (`/v1/me`, `/v1/{id}`); `emails` adds the addresses.
    pub fn live_profile(&self, issuer: &str, emails: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "name": self.display_name,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "link": format!("{issuer}/people/{}", self.id),
            "locale": self.locale,
            "updated_time": live_time(self.updated_at),
            "picture": self.picture_url(issuer),
        });
        if emails {
            v["emails"] = json!({ "preferred": self.email, "account": self.email, "personal": self.email, "business": null });
        }
        v
    }

    /// The OpenID Connect UserInfo claims.
    pub fn oidc_claims(&self, issuer: &str, emails: bool) -> Value {
        let mut v = json!({
            "sub": self.id,
            "name": self.display_name,
            "given_name": self.first_name,
            "family_name": self.last_name,
            "preferred_username": self.username,
            "picture": self.picture_url(issuer),
            "locale": self.locale.replace('_', "-"),
            "updated_at": self.updated_at,
        });
        if emails {
            v["email"] = json!(self.email);
            v["email_verified"] = json!(true);
        }
        v
    }

    /// Up to two initials for the avatar (letters and digits only).
    pub fn initials(&self) -> String {
        let first = |s: &str| {
            s.chars()
                .find(|c| c.is_alphanumeric())
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default()
        };
        let s = format!("{}{}", first(&self.first_name), first(&self.last_name));
        if s.is_empty() { "?".into() } else { s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_live_time() {
        assert_eq!(live_time(0), "1970-01-01T00:00:00+0000");
        assert_eq!(live_time(1_290_510_000), "2010-11-23T11:00:00+0000");
        assert_eq!(live_time(951_782_400), "2000-02-29T00:00:00+0000");
    }
}
