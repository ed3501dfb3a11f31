//! People: lookups, the Live Connect / OIDC profile shapes, and the generated avatar pictures.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use crate::pages::html::escape;

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

/// Splits Unix seconds into UTC (year, month, day, hour, minute, second).
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
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

    /// The generated avatar: initials on the person's colour, as SVG.
    pub fn avatar_svg(&self) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-label="{label}"><rect width="96" height="96" fill="{color}"/><text x="48" y="48" dy=".35em" text-anchor="middle" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="38" font-weight="600" fill="#fff">{initials}</text></svg>"##,
            label = escape(&self.display_name),
            color = escape(&self.color),
            initials = escape(&self.initials()),
        )
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

    #[test]
    fn avatar_escapes_names() {
        let p = Person {
            id: "1".into(),
            username: "mallory".into(),
            first_name: "Mallory".into(),
            last_name: "<b>".into(),
            display_name: "<img src=x onerror=alert(1)>".into(),
            email: "m@example.net".into(),
            locale: "en_US".into(),
            picture_key: "k".into(),
            color: "#123456".into(),
            updated_at: 0,
        };
        let svg = p.avatar_svg();
        assert!(!svg.contains("<img"));
        assert!(svg.contains("&lt;img"));
        assert_eq!(p.initials(), "MB");
    }
}
