//! Contacts as stored (the address books; `GET /v1/me/contacts` reads them through the
//! collection query of [`crate::api::collections`]), and generated contacts for the bench.

use rusqlite::{Connection, params};

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
pub fn insert(
    c: &Connection,
    owner_id: &str,
    new: &NewContact,
    now: i64,
) -> Result<String, CapError> {
    let id = format!("contact.{}", random_hex(8));
    let written = c
        .prepare_cached(
            "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at)
             SELECT ?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8
             WHERE (SELECT COUNT(*) FROM contacts WHERE owner_id = ?2) < ?9",
        )?
        .execute(params![
            id,
            owner_id,
            new.first_name,
            new.last_name,
            new.email,
            new.phone,
            new.is_favorite,
            now,
            MAX_CONTACTS
        ])?;
    if written == 0 {
        return Err(CapError::Full(Stored::Contacts));
    }
    Ok(id)
}

fn insert_uncapped(
    c: &Connection,
    owner_id: &str,
    new: &NewContact,
    now: i64,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at)
         VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        format!("contact.{}", random_hex(8)),
        owner_id,
        new.first_name,
        new.last_name,
        new.email,
        new.phone,
        new.is_favorite,
        now
    ])?;
    Ok(())
}

/// Adds `count` generated contacts (varied names, emails, some phones and favourites) to the
/// person `owner_id` in one transaction: what `wl-server seed-contacts` runs for the bench (an
/// operator's command, so past [`MAX_CONTACTS`] too).
pub fn seed(c: &mut Connection, owner_id: &str, count: usize, now: i64) -> rusqlite::Result<usize> {
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
    let tx = c.transaction()?;
    for i in 0..count {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len() + i * 7) % LAST.len()];
        let new = NewContact {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            email: Some(format!(
                "{}.{}{i}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )),
            phone: (i % 3 == 0).then(|| format!("+1 555 {:04}", i % 10_000)),
            is_favorite: i % 17 == 0,
        };
        insert_uncapped(&tx, owner_id, &new, now - (i as i64 % 1000) * 60)?;
    }
    tx.commit()?;
    Ok(count)
}
