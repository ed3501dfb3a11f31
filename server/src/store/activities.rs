//! Activities as stored: writing one (with its audience), a person's friends to share with,
//! and the checks every way of writing shares (links, text lengths).

use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};

use super::collections::{CapError, MAX_ACTIVITIES, Stored};
use crate::crypto::random_hex;

/// The longest link accepted, in bytes.
pub const MAX_LINK: usize = 2048;
/// The longest message (an activity's `content`), in characters.
pub const MAX_MESSAGE: usize = 1000;
/// The longest title or other one-line value, in characters.
pub const MAX_LINE: usize = 300;

/// Who sees an activity besides its actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every friend of the actor (at the time the feed is read).
    Friends,
    /// Only these friends (public person ids), still only while they are friends.
    Chosen(Vec<String>),
}

/// An activity to write.
#[derive(Debug, Clone)]
pub struct NewActivity {
    /// The person who did it (public id).
    pub actor_id: String,
    /// The AS2 activity type (`Create`, `Announce`, `Like`).
    pub kind: &'static str,
    /// The AS2 object type (`Note`, `Link`).
    pub object_type: &'static str,
    /// The object's link (an http(s) URL), if any.
    pub object_href: Option<String>,
    /// The object's title, if any.
    pub object_name: Option<String>,
    /// One line saying what happened (plain text).
    pub summary: String,
    /// The person's own words (plain text), if any.
    pub content: Option<String>,
    /// The template it was written with, if any.
    pub template: Option<&'static str>,
    /// Who sees it.
    pub audience: Audience,
    /// The app that wrote it (`None` for the provider's own pages).
    pub client_id: Option<String>,
    /// When, in Unix seconds.
    pub published: i64,
}

/// A new activity id: ids sort **newest first** (the first 12 hex digits count down in
/// milliseconds), so a collection read without `$orderby` starts with the latest activity,
/// and the primary-key tie-break of an `$orderby=published desc` agrees with it.
pub fn new_id(published_secs: i64) -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::from(d.subsec_millis()))
        .unwrap_or(0);
    time_id(published_secs, millis, &random_hex(4))
}

/// The id for a time (seconds plus a millisecond part) and a suffix that tells apart
/// activities of the same millisecond.
pub fn time_id(published_secs: i64, millis: i64, suffix: &str) -> String {
    const MAX: i64 = 0xFFFF_FFFF_FFFF;
    let at = published_secs
        .saturating_mul(1000)
        .saturating_add(millis)
        .clamp(0, MAX);
    format!("{:012x}{suffix}", MAX - at)
}

/// Writes an activity and its recipients in one transaction; returns its id. Refused
/// ([`CapError::Full`], nothing written) when the actor already published [`MAX_ACTIVITIES`].
pub fn insert(c: &mut Connection, a: &NewActivity) -> Result<String, CapError> {
    let id = new_id(a.published);
    let tx = c.transaction()?;
    let count: i64 = tx.query_row(
        "SELECT COUNT(*) FROM activities WHERE actor_id = ?1",
        params![a.actor_id],
        |r| r.get(0),
    )?;
    if count >= MAX_ACTIVITIES {
        return Err(CapError::Full(Stored::Activities));
    }
    write(&tx, &id, a)?;
    tx.commit()?;
    Ok(id)
}

/// Writes an activity under a given id (the demo seed uses fixed suffixes; not capped).
pub fn insert_with_id(c: &mut Connection, id: &str, a: &NewActivity) -> rusqlite::Result<()> {
    let tx = c.transaction()?;
    write(&tx, id, a)?;
    tx.commit()
}

fn write(tx: &rusqlite::Transaction<'_>, id: &str, a: &NewActivity) -> rusqlite::Result<()> {
    let audience = match a.audience {
        Audience::Friends => "friends",
        Audience::Chosen(_) => "chosen",
    };
    tx.execute(
        "INSERT INTO activities (id, actor_id, kind, object_type, object_href, object_name, summary, content, template, audience, client_id, published)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            a.actor_id,
            a.kind,
            a.object_type,
            a.object_href,
            a.object_name,
            a.summary,
            a.content,
            a.template,
            audience,
            a.client_id,
            a.published
        ],
    )?;
    if let Audience::Chosen(ids) = &a.audience {
        for person in ids {
            tx.execute(
                "INSERT OR IGNORE INTO activity_recipients (activity_id, person_id) VALUES (?1, ?2)",
                params![id, person],
            )?;
        }
    }
    Ok(())
}

/// One friend, as the badge lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Friend {
    /// Public id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Unguessable key of their public picture.
    pub picture_key: String,
}

impl Friend {
    /// The absolute URL of their picture.
    pub fn picture_url(&self, issuer: &str) -> String {
        format!("{issuer}/pictures/{}.svg", self.picture_key)
    }
}

/// A person's friends, by name.
pub fn friends(c: &Connection, person_id: &str) -> rusqlite::Result<Vec<Friend>> {
    c.prepare_cached(
        "SELECT p.id, p.display_name, p.picture_key FROM friendships f JOIN people p ON p.id = f.friend_id
         WHERE f.person_id = ?1 ORDER BY p.display_name, p.id",
    )?
    .query_map([person_id], |r| {
        Ok(Friend {
            id: r.get(0)?,
            name: r.get(1)?,
            picture_key: r.get(2)?,
        })
    })?
    .collect()
}

/// Why a value can't be used in an activity; the message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidField {
    /// Not an absolute http(s) URL (or too long).
    #[error("{0}: must be an http or https link (at most {MAX_LINK} bytes)")]
    Link(String),
    /// Longer than allowed.
    #[error("{field}: is too long (at most {max} characters)")]
    TooLong {
        /// The field.
        field: String,
        /// Its limit.
        max: usize,
    },
    /// Empty where a value is needed.
    #[error("{0}: must not be empty")]
    Empty(String),
}

/// Checks a link: an absolute `http:` or `https:` URL with a host; returns it normalised.
pub fn check_link(field: &str, value: &str) -> Result<String, InvalidField> {
    let value = value.trim();
    if value.len() > MAX_LINK {
        return Err(InvalidField::Link(field.to_owned()));
    }
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        _ => Err(InvalidField::Link(field.to_owned())),
    }
}

/// Checks a text value: trimmed, at most `max` characters; `None` when it is empty.
pub fn check_text(field: &str, value: &str, max: usize) -> Result<Option<String>, InvalidField> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(InvalidField::TooLong {
            field: field.to_owned(),
            max,
        });
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// What the confirmation page of a share shows.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The shared link.
    pub href: Option<String>,
    /// The message written with it.
    pub content: Option<String>,
    /// `friends` (all of them) or the chosen recipients.
    pub audience: String,
}

/// A share of `actor_id`'s by activity id.
pub fn shared_by(c: &Connection, id: &str, actor_id: &str) -> rusqlite::Result<Option<Shared>> {
    c.query_row(
        "SELECT object_href, content, audience FROM activities WHERE id = ?1 AND actor_id = ?2",
        [id, actor_id],
        |r| {
            Ok(Shared {
                href: r.get(0)?,
                content: r.get(1)?,
                audience: r.get(2)?,
            })
        },
    )
    .optional()
}

/// The display names of an activity's chosen recipients, sorted.
pub fn recipient_names(c: &Connection, id: &str) -> rusqlite::Result<Vec<String>> {
    c.prepare(
        "SELECT p.display_name FROM activity_recipients r JOIN people p ON p.id = r.person_id
         WHERE r.activity_id = ?1 ORDER BY p.display_name",
    )?
    .query_map([id], |r| r.get(0))?
    .collect()
}

/// The summary of a shared link.
pub fn share_summary(actor: &str, title: Option<&str>) -> String {
    match title {
        Some(t) => format!("{actor} shared a link: {t}"),
        None => format!("{actor} shared a link"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_newest_first() {
        let older = time_id(1_000, 5, "aaaaaaaa");
        let newer = time_id(1_000, 6, "00000000");
        let much_newer = time_id(2_000_000_000, 0, "00000000");
        assert!(newer < older);
        assert!(much_newer < newer);
        assert_eq!(older.len(), 20);
    }

    #[test]
    fn links_are_http_or_https_only() {
        assert_eq!(
            check_link("link", " https://example.org/a?b=c ").unwrap(),
            "https://example.org/a?b=c"
        );
        assert_eq!(
            check_link("link", "http://example.org").unwrap(),
            "http://example.org/"
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://example.org/",
            "//example.org/",
            "/relative",
            "",
            "http://",
            "file:///etc/passwd",
        ] {
            assert_eq!(
                check_link("link", bad),
                Err(InvalidField::Link("link".into())),
                "{bad}"
            );
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_LINK));
        assert!(check_link("link", &long).is_err());
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(check_text("m", "  hi ", 5).unwrap(), Some("hi".into()));
        assert_eq!(check_text("m", "   ", 5).unwrap(), None);
        assert_eq!(
            check_text("m", "ééééééé", 5),
            Err(InvalidField::TooLong {
                field: "m".into(),
                max: 5
            })
        );
    }
}
