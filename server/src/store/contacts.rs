//! Contacts as stored (the address books; `GET /v1/me/contacts` reads them through the
//! collection query of [`crate::api::collections`]), and generated contacts for the bench.

use super::{Db, DbResult, flag};

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
