//! Activities as stored: writing one (with its audience), a person's friends to share with,
//! and the checks every way of writing shares (links, text lengths).

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::Row as _;

use super::contacts::Written;
use super::{Conn, Db, DbResult};

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
    pub template: Option<std::borrow::Cow<'static, str>>,
    /// Who sees it.
    pub audience: Audience,
    /// The app that wrote it (`None` for the provider's own pages).
    pub client_id: Option<String>,
    /// When, in Unix seconds.
    pub published: i64,
    /// Its action link and "via" link, if any.
    pub links: Links,
}

/// The links of an activity that bring people back to the app's site (issue 17 §1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// The action link (an http(s) URL), if any.
    pub action_href: Option<String>,
    /// The action link's label (plain text), if any.
    pub action_name: Option<String>,
    /// The "via <app>" link: the app's site (an http(s) URL), if any.
    pub via_href: Option<String>,
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
pub async fn insert(db: &Db, a: &NewActivity) -> Result<String, CapError> {
    insert_as(db, &new_id(a.published), a).await
}

/// [`insert`] under a given id (capped the same way): for writers that order several
/// activities of one moment themselves ([`time_id`] with their own millisecond part).
pub async fn insert_as(db: &Db, id: &str, a: &NewActivity) -> Result<String, CapError> {
    let id = id.to_owned();
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, &a.actor_id).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE actor_id = $1")
        .bind(&a.actor_id)
        .fetch_one(&mut *tx)
        .await?;
    if count >= MAX_ACTIVITIES {
        return Err(CapError::Full(Stored::Activities));
    }
    write(&mut tx, &id, a).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes an activity under a given id (the demo seed uses fixed suffixes; not capped).
pub async fn insert_with_id(db: &Db, id: &str, a: &NewActivity) -> DbResult<()> {
    let mut tx = db.begin().await?;
    write(&mut tx, id, a).await?;
    tx.commit().await
}

async fn write(c: &mut Conn, id: &str, a: &NewActivity) -> DbResult<()> {
    let audience = match a.audience {
        Audience::Friends => "friends",
        Audience::Chosen(_) => "chosen",
    };
    sqlx::query(
        "INSERT INTO activities (id, actor_id, kind, object_type, object_href, object_name, summary, content, template, audience, client_id, published, action_href, action_name, via_href)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(id)
    .bind(&a.actor_id)
    .bind(a.kind)
    .bind(a.object_type)
    .bind(&a.object_href)
    .bind(&a.object_name)
    .bind(&a.summary)
    .bind(&a.content)
    .bind(a.template.as_deref())
    .bind(audience)
    .bind(&a.client_id)
    .bind(a.published)
    .bind(&a.links.action_href)
    .bind(&a.links.action_name)
    .bind(&a.links.via_href)
    .execute(&mut *c)
    .await?;
    if let Audience::Chosen(ids) = &a.audience {
        for person in ids {
            sqlx::query(
                "INSERT INTO activity_recipients (activity_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(person)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}

/// The version tag of an activity's stored state (the `ETag` of `/v1/me/activities/{id}`):
/// the first 16 bytes (hex) of the SHA-256 of its id, type, object, summary, content and time.
pub fn version_tag(parts: &[Option<&str>]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in parts {
        match part {
            Some(p) => {
                h.update([1]);
                h.update((p.len() as u64).to_le_bytes());
                h.update(p.as_bytes());
            }
            None => h.update([0]),
        }
    }
    crate::crypto::hex(&h.finalize()[..16])
}

/// The version tag of `actor_id`'s activity `id`; `None` when they wrote none by that id.
pub async fn own_tag(c: &mut Conn, actor_id: &str, id: &str) -> DbResult<Option<String>> {
    let row = sqlx::query(
        "SELECT kind, object_type, object_href, object_name, summary, content, audience, published
         FROM activities WHERE id = $1 AND actor_id = $2",
    )
    .bind(id)
    .bind(actor_id)
    .fetch_optional(c)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let published: i64 = r.try_get(7)?;
    let published = published.to_string();
    let cols: Vec<Option<String>> = (0..7).map(|i| r.try_get(i)).collect::<Result<_, _>>()?;
    let mut parts: Vec<Option<&str>> = vec![Some(id)];
    parts.extend(cols.iter().map(Option::as_deref));
    parts.push(Some(&published));
    Ok(Some(version_tag(&parts)))
}

/// Sets the `content` (the person's own words) of `actor_id`'s activity `id` when its tag is
/// `expected` (any when `None`), in one transaction under the actor's lock.
pub async fn update_content(
    db: &Db,
    actor_id: &str,
    id: &str,
    expected: Option<&[String]>,
    content: Option<&str>,
) -> DbResult<Written> {
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, actor_id).await?;
    let Some(tag) = own_tag(&mut tx, actor_id, id).await? else {
        return Ok(Written::NotFound);
    };
    if expected.is_some_and(|e| !e.contains(&tag)) {
        return Ok(Written::Stale(tag));
    }
    sqlx::query("UPDATE activities SET content = $3 WHERE id = $1 AND actor_id = $2")
        .bind(id)
        .bind(actor_id)
        .bind(content)
        .execute(&mut *tx)
        .await?;
    let after = own_tag(&mut tx, actor_id, id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Written::Done(after))
}

/// Deletes `actor_id`'s activity `id` and its recipients when its tag is `expected` (any when
/// `None`); [`Written::Done`] carries the deleted version's tag.
pub async fn delete_own(
    db: &Db,
    actor_id: &str,
    id: &str,
    expected: Option<&[String]>,
) -> DbResult<Written> {
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, actor_id).await?;
    let Some(tag) = own_tag(&mut tx, actor_id, id).await? else {
        return Ok(Written::NotFound);
    };
    if expected.is_some_and(|e| !e.contains(&tag)) {
        return Ok(Written::Stale(tag));
    }
    sqlx::query("DELETE FROM activity_recipients WHERE activity_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM activities WHERE id = $1 AND actor_id = $2")
        .bind(id)
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Written::Done(tag))
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
pub async fn friends(c: &mut Conn, person_id: &str) -> DbResult<Vec<Friend>> {
    Ok(super::messages::friends(c, person_id)
        .await?
        .into_iter()
        .map(|f| Friend {
            id: f.id,
            name: f.name,
            picture_key: f.picture_key,
        })
        .collect())
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
pub async fn shared_by(c: &mut Conn, id: &str, actor_id: &str) -> DbResult<Option<Shared>> {
    let Some(r) = sqlx::query(
        "SELECT object_href, content, audience FROM activities WHERE id = $1 AND actor_id = $2",
    )
    .bind(id)
    .bind(actor_id)
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(Shared {
        href: r.try_get(0)?,
        content: r.try_get(1)?,
        audience: r.try_get(2)?,
    }))
}

/// The display names of an activity's chosen recipients, sorted.
pub async fn recipient_names(c: &mut Conn, id: &str) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT p.display_name FROM activity_recipients r JOIN people p ON p.id = r.person_id
         WHERE r.activity_id = $1 ORDER BY p.display_name",
    )
    .bind(id)
    .fetch_all(c)
    .await
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
