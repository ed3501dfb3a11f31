//! Demo data: people with a friend graph and contacts (seeded once, on first start) and the
//! demo app `wl-demo` (reset at every start to the current site origin).

pub mod activities;

use argon2::password_hash::{PasswordHasher, SaltString};

use crate::crypto::random_hex;
use crate::error::AppError;
use crate::store::db::Db;

/// The demo app's client id.
pub const DEMO_CLIENT_ID: &str = "wl-demo";
/// The demo app's name.
pub const DEMO_APP_NAME: &str = "wl-connect demo";
/// Every demo person's password.
pub const DEMO_PASSWORD: &str = "demo";
/// Mallory's display name: markup that must always be shown as text.
pub const MALLORY_NAME: &str = "<img src=x onerror=alert(1)>";

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "Mallory", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
    "Ken", "Laura", "Mike", "Nina", "Oscar", "Peggy", "Quentin", "Rupert", "Sybil", "Trent",
    "Ursula", "Victor", "Walter", "Xena", "Yuki", "Zoe", "Aisha", "Bruno", "Chloe", "Diego",
    "Elena", "Farah", "Gustav", "Hana", "Igor", "Jamal", "Kira", "Liam", "Mei", "Noah", "Olga",
    "Priya", "Rafael", "Sofia", "Tariq", "Uma", "Vera", "Wei", "Yusuf", "Zara", "Amara", "Björn",
    "Camille", "Dmitri", "Esther", "Femi",
];
const LAST: &[&str] = &[
    "Anderson",
    "Baker",
    "Castillo",
    "Moriarty",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Hansen",
    "Ivanov",
    "Johnson",
    "Kowalski",
    "Larsen",
    "Müller",
    "Nakamura",
    "O'Brien",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Underwood",
    "Varga",
    "Williams",
    "Xu",
    "Yamamoto",
    "Zhang",
    "Okafor",
    "Silva",
    "Nguyen",
    "Haddad",
    "Kim",
    "Novak",
    "Singh",
];
const COLORS: &[&str] = &[
    "#0067b8", "#107c10", "#d83b01", "#5c2d91", "#008575", "#c30052", "#986f0b", "#2d7d9a",
    "#6b69d6", "#b4009e",
];

fn username(first: &str) -> String {
    first.to_lowercase().replace('ö', "o")
}

/// The stable public id of a demo person (the same in every data directory, so demo pages and
/// tests can name a friend, e.g. `<wl-userinfo cid="…">`). Pictures stay unguessable.
pub fn demo_person_id(username: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::crypto::hex(
        &Sha256::digest(format!("wl-connect demo person {username}").as_bytes())[..8],
    )
}

/// Every demo person's sign-in name, in order.
pub fn demo_usernames() -> Vec<String> {
    let mut names: Vec<String> = FIRST.iter().map(|f| username(f)).collect();
    names.sort();
    names
}

/// Seeds the demo people, friend graph and contacts if there are no people yet.
pub async fn ensure_demo_people(db: &Db, now: i64) -> Result<(), AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(&mut *db.conn().await?)
        .await?;
    if count > 0 {
        return Ok(());
    }
    // One argon2id hash for everyone: every demo password is the same, and seeding stays fast.
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(DEMO_PASSWORD.as_bytes(), &salt)
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))?
        .to_string();
    let n = FIRST.len();
    let ids: Vec<String> = FIRST.iter().map(|f| demo_person_id(&username(f))).collect();
    let mut tx = db.begin().await?;
    // Another instance starting on the same database may have seeded while this one hashed:
    // take the setup lock, then count again.
    db.setup_lock(&mut tx).await?;
    let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(&mut *tx)
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    for (i, first) in FIRST.iter().enumerate() {
        let last = LAST[i % LAST.len()];
        let user = username(first);
        let display = if user == "mallory" {
            MALLORY_NAME.to_owned()
        } else {
            format!("{first} {last}")
        };
        sqlx::query(
            "INSERT INTO people (id, username, password_hash, first_name, last_name, display_name, email, locale, picture_key, color, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'en_US', $8, $9, $10)",
        )
        .bind(&ids[i])
        .bind(&user)
        .bind(&hash)
        .bind(*first)
        .bind(last)
        .bind(display)
        .bind(format!("{user}@example.net"))
        .bind(random_hex(16))
        .bind(COLORS[i % COLORS.len()])
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    // A friend graph: everyone befriends the people 1, 3 and 7 places on (so alice–bob,
    // alice–mallory), about six friends each, both directions stored.
    for i in 0..n {
        for step in [1, 3, 7] {
            let j = (i + step) % n;
            for (a, b) in [(i, j), (j, i)] {
                sqlx::query(
                    "INSERT INTO friendships (person_id, friend_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(&ids[a])
                .bind(&ids[b])
                .bind(now - ((a * 7 + b * 13) % 900) as i64 * 86_400)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    // Contacts: every friend, plus two people who are not members.
    for i in 0..n {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT p.id, p.first_name, p.last_name, p.email FROM friendships f JOIN people p ON p.id = f.friend_id WHERE f.person_id = $1",
        )
        .bind(&ids[i])
        .fetch_all(&mut *tx)
        .await?;
        for (k, (pid, first, last, email)) in rows.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)",
            )
            .bind(format!("contact.{}", random_hex(8)))
            .bind(&ids[i])
            .bind(pid)
            .bind(first)
            .bind(last)
            .bind(email)
            .bind(i64::from(k == 0))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for k in 0..2 {
            let first = FIRST[(i * 5 + k * 11 + 4) % n];
            let last = LAST[(i * 3 + k * 7 + 5) % LAST.len()];
            sqlx::query(
                "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at) VALUES ($1, $2, NULL, $3, $4, $5, $6, 0, $7)",
            )
            .bind(format!("contact.{}", random_hex(8)))
            .bind(&ids[i])
            .bind(first)
            .bind(last)
            .bind(format!(
                "{}.{}@example.org",
                username(first),
                last.to_lowercase().replace(['\'', 'ü', 'í'], "")
            ))
            .bind(format!("+1 555 01{:02}", (i * 2 + k) % 100))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    tracing::info!(people = n, "seeded demo people");
    crate::store::seed::activities::ensure_demo_activities(db, now).await?;
    crate::store::calendars::seed_demo(db, &ids, now).await?;
    Ok(())
}

/// Creates the demo app if needed, resets its redirect URIs and origins to `site_origin`, and
/// makes alice (when seeded) one of its owners.
pub async fn reset_demo_app(db: &Db, site_origin: &str, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    db.setup_lock(&mut tx).await?;
    sqlx::query(
        "INSERT INTO apps (client_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (client_id) DO UPDATE SET name = excluded.name",
    )
    .bind(DEMO_CLIENT_ID)
    .bind(DEMO_APP_NAME)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for table in ["app_redirect_uris", "app_origins"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE client_id = $1"
        )))
        .bind(DEMO_CLIENT_ID)
        .execute(&mut *tx)
        .await?;
    }
    for uri in [
        format!("{site_origin}/callback.html"),
        format!("{site_origin}/demo/callback.html"),
    ] {
        sqlx::query("INSERT INTO app_redirect_uris (client_id, uri) VALUES ($1, $2)")
            .bind(DEMO_CLIENT_ID)
            .bind(uri)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO app_origins (client_id, origin) VALUES ($1, $2)")
        .bind(DEMO_CLIENT_ID)
        .bind(site_origin)
        .execute(&mut *tx)
        .await?;
    // alice owns the demo app in the developer portal (once she exists).
    sqlx::query(
        "INSERT INTO app_owners (client_id, person_id, added_at) SELECT $1, id, $3 FROM people WHERE id = $2
         ON CONFLICT DO NOTHING",
    )
    .bind(DEMO_CLIENT_ID)
    .bind(demo_person_id("alice"))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ids_are_stable() {
        assert_eq!(demo_person_id("alice"), demo_person_id("alice"));
        assert_ne!(demo_person_id("alice"), demo_person_id("bob"));
        assert_eq!(demo_person_id("alice").len(), 16);
        // Pinned: demo pages and docs use these.
        assert_eq!(demo_person_id("alice"), "b1fc132cc0fd482c");
        assert_eq!(demo_person_id("bob"), "61c6b662b252daec");
        assert_eq!(demo_person_id("mallory"), "02782136e0e28685");
    }
}
