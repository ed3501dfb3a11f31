//! Contacts as stored (the address books; `GET /v1/me/contacts` reads them through the
//! collection query of [`crate::api::collections`]), and generated contacts for the bench.

use sqlx::Row as _;

use super::{Conn, Db, DbResult, flag};

use super::collections::{CapError, MAX_CONTACTS, Stored};
use crate::crypto::random_hex;

/// A validated new contact.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewContact {
    /// Given name ("" when only the last name is known).
    pub first_name: String,
    /// Family name ("" when only the first name is known).
    pub last_name: String,
    /// Preferred email address.
    pub email: Option<String>,
    /// Personal phone number.
    pub phone: Option<String>,
    /// Marked as a favourite.
    pub is_favorite: bool,
}

/// Stores a contact for `owner_id`; returns its id. Refused ([`CapError::Full`], nothing
/// written) when the owner already has [`MAX_CONTACTS`]: the count and the insert are one
/// statement, so concurrent writes cannot pass the cap together.
pub async fn insert(
    db: &Db,
    owner_id: &str,
    new: &NewContact,
    now: i64,
) -> Result<String, CapError> {
    let id = format!("contact.{}", random_hex(8));
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, owner_id).await?;
    let written = sqlx::query(
        "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at)
         SELECT $1, $2, NULL, $3, $4, $5, $6, $7, $8
         WHERE (SELECT COUNT(*) FROM contacts WHERE owner_id = $2) < $9",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(&new.first_name)
    .bind(&new.last_name)
    .bind(&new.email)
    .bind(&new.phone)
    .bind(flag(new.is_favorite))
    .bind(now)
    .bind(MAX_CONTACTS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Err(CapError::Full(Stored::Contacts));
    }
    tx.commit().await?;
    Ok(id)
}

/// Adds `count` generated contacts (varied names, emails, some phones and favourites) to the
/// person `owner_id` in one transaction: what `wl-server seed-contacts` runs for the bench (an
/// operator's command, so past [`MAX_CONTACTS`] too).
pub async fn seed(db: &Db, owner_id: &str, count: usize, now: i64) -> DbResult<usize> {
    const FIRST: &[&str] = &[
        "Ada", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lea",
        "Max", "Nia", "Otto", "Pia", "Quin", "Rosa", "Sam", "Tess", "Uma", "Vik", "Wes", "Xia",
        "Yara", "Zed",
    ];
    const LAST: &[&str] = &[
        "Adams", "Baker", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes",
        "Ivanova", "Jones", "Kim", "Lopez", "Miller", "Nguyen", "Okafor", "Patel", "Quinn",
        "Rossi", "Smith", "Tanaka", "Usman", "Vargas", "Weber", "Xu", "Young", "Zhang",
    ];
    // Rows of 8 values, 500 rows a statement: well under both databases' parameter limits.
    const CHUNK: usize = 500;
    let mut tx = db.begin().await?;
    let mut i = 0;
    while i < count {
        let rows = CHUNK.min(count - i);
        let mut sql = String::from(
            "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at) VALUES ",
        );
        for r in 0..rows {
            let p = r * 8;
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, NULL, ${}, ${}, ${}, ${}, ${}, ${})",
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                p + 5,
                p + 6,
                p + 7,
                p + 8
            ));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for n in i..i + rows {
            let first = FIRST[n % FIRST.len()];
            let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
            q = q
                .bind(format!("contact.{}", random_hex(8)))
                .bind(owner_id.to_owned())
                .bind(first)
                .bind(last)
                .bind(Some(format!(
                    "{}.{}{n}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                )))
                .bind((n % 3 == 0).then(|| format!("+1 555 {:04}", n % 10_000)))
                .bind(flag(n % 17 == 0))
                .bind(now - (n as i64 % 1000) * 60);
        }
        q.execute(&mut *tx).await?;
        i += rows;
    }
    tx.commit().await?;
    Ok(count)
}

/// A stored contact's writable fields and its version tag (the `ETag` of `/v1/me/contacts/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    /// The writable fields as stored.
    pub fields: NewContact,
    /// The version tag: see [`version_tag`].
    pub tag: String,
}

/// What a conditional write found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Written; the new version tag.
    Done(String),
    /// The owner has no contact with that id (nothing written).
    NotFound,
    /// The contact's version is not the expected one (nothing written); its current tag.
    Stale(String),
}

/// The version tag of a contact's stored state: the first 16 bytes (hex) of the SHA-256 of
/// every stored column that the API shows (names, email, phone, favourite, member link and
/// the update time), so any change of what `GET` answers changes the tag, and equal states
/// have equal tags.
pub fn version_tag(id: &str, person_id: Option<&str>, c: &NewContact, updated_at: i64) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        id,
        person_id.unwrap_or("\u{0}"),
        &c.first_name,
        &c.last_name,
        c.email.as_deref().unwrap_or("\u{0}"),
        c.phone.as_deref().unwrap_or("\u{0}"),
        if c.is_favorite { "1" } else { "0" },
        &updated_at.to_string(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    crate::crypto::hex(&h.finalize()[..16])
}

async fn load(c: &mut Conn, owner_id: &str, id: &str) -> DbResult<Option<Versioned>> {
    let row = sqlx::query(
        "SELECT person_id, first_name, last_name, email, phone, is_favorite, updated_at
         FROM contacts WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(owner_id)
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(|r| {
        let person_id: Option<String> = r.get(0);
        let fields = NewContact {
            first_name: r.get(1),
            last_name: r.get(2),
            email: r.get(3),
            phone: r.get(4),
            is_favorite: r.get::<i64, _>(5) != 0,
        };
        let updated_at: i64 = r.get(6);
        let tag = version_tag(id, person_id.as_deref(), &fields, updated_at);
        Versioned { fields, tag }
    }))
}

/// The owner's contact `id` with its version tag; `None` when the owner has none by that id.
pub async fn versioned(c: &mut Conn, owner_id: &str, id: &str) -> DbResult<Option<Versioned>> {
    load(c, owner_id, id).await
}

/// Replaces the writable fields of the owner's contact `id` when its version tag is
/// `expected` (any version when `None`), in one transaction under the owner's lock, so two
/// writers holding the same tag cannot both succeed.
pub async fn update(
    db: &Db,
    owner_id: &str,
    id: &str,
    expected: Option<&[String]>,
    new: &NewContact,
    now: i64,
) -> DbResult<Written> {
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, owner_id).await?;
    let Some(current) = load(&mut tx, owner_id, id).await? else {
        return Ok(Written::NotFound);
    };
    if expected.is_some_and(|e| !e.contains(&current.tag)) {
        return Ok(Written::Stale(current.tag));
    }
    sqlx::query(
        "UPDATE contacts SET first_name = $3, last_name = $4, email = $5, phone = $6, is_favorite = $7, updated_at = $8
         WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(owner_id)
    .bind(&new.first_name)
    .bind(&new.last_name)
    .bind(&new.email)
    .bind(&new.phone)
    .bind(flag(new.is_favorite))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let after = load(&mut tx, owner_id, id)
        .await?
        .map(|v| v.tag)
        .unwrap_or_default();
    tx.commit().await?;
    Ok(Written::Done(after))
}

/// Deletes the owner's contact `id` when its version tag is `expected` (any when `None`).
/// [`Written::Done`] carries the deleted version's tag.
pub async fn delete(
    db: &Db,
    owner_id: &str,
    id: &str,
    expected: Option<&[String]>,
) -> DbResult<Written> {
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, owner_id).await?;
    let Some(current) = load(&mut tx, owner_id, id).await? else {
        return Ok(Written::NotFound);
    };
    if expected.is_some_and(|e| !e.contains(&current.tag)) {
        return Ok(Written::Stale(current.tag));
    }
    sqlx::query("DELETE FROM contacts WHERE id = $1 AND owner_id = $2")
        .bind(id)
        .bind(owner_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Written::Done(current.tag))
}
