//! Registered apps as stored: client id, name, redirect URIs and CORS origins, what the
//! consent screen shows about them (description, terms and privacy links, logo), the scopes
//! they may request, and their owners.

use super::{Conn, Db, DbResult};

/// A registered app.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct App {
    /// The public client id.
    pub client_id: String,
    /// The name people see on the consent screen.
    pub name: String,
    /// Redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// Browser origins allowed to call `/token`, `/revoke` and the APIs.
    pub origins: Vec<String>,
    /// What the app does, in a sentence or two (shown on the consent screen; may be empty).
    pub description: String,
    /// The app's terms of use, if it has any.
    pub terms_url: Option<String>,
    /// The app's privacy statement, if it has one.
    pub privacy_url: Option<String>,
    /// The scopes the app may request, space-separated; `None`: every scope the provider knows.
    pub allowed_scopes: Option<String>,
    /// Whether the app has a logo (served at `/developers/apps/{id}/logo.png`).
    pub has_logo: bool,
}

/// What an app's row holds besides its id (written on registration and on every edit).
#[derive(Debug, Clone, Default)]
pub struct AppFields<'a> {
    /// The name.
    pub name: &'a str,
    /// The description.
    pub description: &'a str,
    /// The terms-of-use URL.
    pub terms_url: Option<&'a str>,
    /// The privacy URL.
    pub privacy_url: Option<&'a str>,
    /// The scopes it may request, space-separated (`None`: all).
    pub allowed_scopes: Option<&'a str>,
    /// Exact redirect URIs.
    pub redirect_uris: &'a [String],
    /// Allowed browser origins.
    pub origins: &'a [String],
}

/// What happens to an app's logo on an edit.
#[derive(Debug, Clone, Copy)]
pub enum LogoChange<'a> {
    /// It stays as it is.
    Keep,
    /// It is removed.
    Remove,
    /// It becomes these (already re-encoded) PNG bytes.
    Set(&'a [u8]),
}

/// Loads one app by client id.
pub async fn find(c: &mut Conn, client_id: &str) -> DbResult<Option<App>> {
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
    );
    let Some((name, description, terms_url, privacy_url, allowed_scopes, has_logo)): Option<Row> =
        sqlx::query_as(
            "SELECT name, description, terms_url, privacy_url, allowed_scopes,
                    CAST(CASE WHEN logo IS NULL THEN 0 ELSE 1 END AS BIGINT)
             FROM apps WHERE client_id = $1",
        )
        .bind(client_id)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let redirect_uris =
        sqlx::query_scalar("SELECT uri FROM app_redirect_uris WHERE client_id = $1 ORDER BY uri")
            .bind(client_id)
            .fetch_all(&mut *c)
            .await?;
    let origins =
        sqlx::query_scalar("SELECT origin FROM app_origins WHERE client_id = $1 ORDER BY origin")
            .bind(client_id)
            .fetch_all(&mut *c)
            .await?;
    Ok(Some(App {
        client_id: client_id.to_owned(),
        name,
        redirect_uris,
        origins,
        description,
        terms_url,
        privacy_url,
        allowed_scopes,
        has_logo: has_logo != 0,
    }))
}

/// The app's logo (PNG bytes), if it has one.
pub async fn logo(c: &mut Conn, client_id: &str) -> DbResult<Option<Vec<u8>>> {
    let row: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT logo FROM apps WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(c)
            .await?;
    Ok(row.flatten())
}

/// Every registered app, by name.
pub async fn list(c: &mut Conn) -> DbResult<Vec<App>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT client_id FROM apps ORDER BY name, client_id")
            .fetch_all(&mut *c)
            .await?;
    let mut apps = Vec::new();
    for id in ids {
        if let Some(app) = find(c, &id).await? {
            apps.push(app);
        }
    }
    Ok(apps)
}

/// True when any registered app allows `origin`.
pub async fn origin_registered(c: &mut Conn, origin: &str) -> DbResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM app_origins WHERE origin = $1 LIMIT 1")
            .bind(origin)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}

/// Stores a new app with its redirect URIs, origins, logo and first owner (if any), in one
/// transaction.
pub async fn insert(
    db: &Db,
    client_id: &str,
    fields: &AppFields<'_>,
    logo: Option<&[u8]>,
    owner: Option<&str>,
    now: i64,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    sqlx::query(
        "INSERT INTO apps (client_id, name, created_at, description, terms_url, privacy_url, allowed_scopes, logo)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(client_id)
    .bind(fields.name)
    .bind(now)
    .bind(fields.description)
    .bind(fields.terms_url)
    .bind(fields.privacy_url)
    .bind(fields.allowed_scopes)
    .bind(logo)
    .execute(&mut *c)
    .await?;
    write_uris(c, client_id, fields).await?;
    if let Some(person_id) = owner {
        add_owner(c, client_id, person_id, now).await?;
    }
    tx.commit().await
}

/// Replaces an app's row, redirect URIs and origins (and its logo, as `logo` says), in one
/// transaction. False when there is no such app.
pub async fn update(
    db: &Db,
    client_id: &str,
    fields: &AppFields<'_>,
    logo: LogoChange<'_>,
) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    let n = sqlx::query(
        "UPDATE apps SET name = $2, description = $3, terms_url = $4, privacy_url = $5, allowed_scopes = $6
         WHERE client_id = $1",
    )
    .bind(client_id)
    .bind(fields.name)
    .bind(fields.description)
    .bind(fields.terms_url)
    .bind(fields.privacy_url)
    .bind(fields.allowed_scopes)
    .execute(&mut *c)
    .await?
    .rows_affected();
    if n == 0 {
        return Ok(false);
    }
    match logo {
        LogoChange::Keep => {}
        LogoChange::Remove => {
            sqlx::query("UPDATE apps SET logo = NULL WHERE client_id = $1")
                .bind(client_id)
                .execute(&mut *c)
                .await?;
        }
        LogoChange::Set(bytes) => {
            sqlx::query("UPDATE apps SET logo = $2 WHERE client_id = $1")
                .bind(client_id)
                .bind(bytes)
                .execute(&mut *c)
                .await?;
        }
    }
    sqlx::query("DELETE FROM app_redirect_uris WHERE client_id = $1")
        .bind(client_id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM app_origins WHERE client_id = $1")
        .bind(client_id)
        .execute(&mut *c)
        .await?;
    write_uris(c, client_id, fields).await?;
    tx.commit().await?;
    Ok(true)
}

async fn write_uris(c: &mut Conn, client_id: &str, fields: &AppFields<'_>) -> DbResult<()> {
    for uri in fields.redirect_uris {
        sqlx::query("INSERT INTO app_redirect_uris (client_id, uri) VALUES ($1, $2)")
            .bind(client_id)
            .bind(uri)
            .execute(&mut *c)
            .await?;
    }
    for o in fields.origins {
        sqlx::query("INSERT INTO app_origins (client_id, origin) VALUES ($1, $2)")
            .bind(client_id)
            .bind(o)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// What deleting an app revokes: its grants and tokens still in force at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InForce {
    /// Grants neither revoked nor expired.
    pub grants: i64,
    /// Access and refresh tokens neither revoked nor expired.
    pub tokens: i64,
}

/// The app's grants and tokens in force at `now`.
pub async fn in_force(c: &mut Conn, client_id: &str, now: i64) -> DbResult<InForce> {
    let grants = sqlx::query_scalar(
        "SELECT COUNT(*) FROM grants WHERE client_id = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(client_id)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let tokens = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tokens WHERE client_id = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(client_id)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    Ok(InForce { grants, tokens })
}

/// Deletes an app with everything issued to it (tokens, authorization codes, grants, owners,
/// redirect URIs, origins) in one transaction, and returns the ids of its grants (for the
/// token caches to forget), or `None` when there is no such app.
pub async fn delete(db: &Db, client_id: &str) -> DbResult<Option<Vec<String>>> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    let exists = sqlx::query("SELECT 1 FROM apps WHERE client_id = $1")
        .bind(client_id)
        .fetch_optional(&mut *c)
        .await?
        .is_some();
    if !exists {
        return Ok(None);
    }
    let grant_ids: Vec<String> = sqlx::query_scalar("SELECT id FROM grants WHERE client_id = $1")
        .bind(client_id)
        .fetch_all(&mut *c)
        .await?;
    for stmt in [
        "DELETE FROM tokens WHERE grant_id IN (SELECT id FROM grants WHERE client_id = $1)",
        "DELETE FROM tokens WHERE client_id = $1",
        "DELETE FROM auth_codes WHERE grant_id IN (SELECT id FROM grants WHERE client_id = $1)",
        "DELETE FROM auth_codes WHERE client_id = $1",
        "DELETE FROM grants WHERE client_id = $1",
        "DELETE FROM app_owners WHERE client_id = $1",
        "DELETE FROM app_templates WHERE client_id = $1",
        "DELETE FROM app_redirect_uris WHERE client_id = $1",
        "DELETE FROM app_origins WHERE client_id = $1",
        "DELETE FROM apps WHERE client_id = $1",
    ] {
        sqlx::query(stmt).bind(client_id).execute(&mut *c).await?;
    }
    // Its statistics go with it (the rollups have no foreign key: counting never waits on one).
    super::stats::delete_app(c, client_id).await?;
    tx.commit().await?;
    Ok(Some(grant_ids))
}

/// Whether `person_id` owns the app (may see and change it, and read its statistics).
pub async fn is_owner(c: &mut Conn, client_id: &str, person_id: &str) -> DbResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM app_owners WHERE client_id = $1 AND person_id = $2")
            .bind(client_id)
            .bind(person_id)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}

/// The app's owners' person ids, oldest first.
pub async fn owners(c: &mut Conn, client_id: &str) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT person_id FROM app_owners WHERE client_id = $1 ORDER BY added_at, person_id",
    )
    .bind(client_id)
    .fetch_all(c)
    .await
}

/// The client ids of the apps `person_id` owns, by name.
pub async fn owned_by(c: &mut Conn, person_id: &str) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT a.client_id FROM apps a JOIN app_owners o ON o.client_id = a.client_id
         WHERE o.person_id = $1 ORDER BY a.name, a.client_id",
    )
    .bind(person_id)
    .fetch_all(c)
    .await
}

/// Makes `person_id` an owner of the app (again: nothing changes).
pub async fn add_owner(c: &mut Conn, client_id: &str, person_id: &str, now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO app_owners (client_id, person_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(client_id)
    .bind(person_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// One of an app's own activity templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppTemplate {
    /// Its name in `POST /v1/me/activities` (`"template": "…"`).
    pub name: String,
    /// The one line, with `{placeholder}`s.
    pub text: String,
}

/// The app's own templates, by name.
pub async fn templates(c: &mut Conn, client_id: &str) -> DbResult<Vec<AppTemplate>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT name, text FROM app_templates WHERE client_id = $1 ORDER BY name")
            .bind(client_id)
            .fetch_all(c)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(name, text)| AppTemplate { name, text })
        .collect())
}

/// The text of the app's template `name`, if it has one.
pub async fn template(c: &mut Conn, client_id: &str, name: &str) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT text FROM app_templates WHERE client_id = $1 AND name = $2")
        .bind(client_id)
        .bind(name)
        .fetch_optional(c)
        .await
}

/// Adds a template; false when the app already has one of that name (nothing changes).
pub async fn add_template(
    c: &mut Conn,
    client_id: &str,
    name: &str,
    text: &str,
    now: i64,
) -> DbResult<bool> {
    let n = sqlx::query(
        "INSERT INTO app_templates (client_id, name, text, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(client_id)
    .bind(name)
    .bind(text)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Removes a template; false when there was none.
pub async fn remove_template(c: &mut Conn, client_id: &str, name: &str) -> DbResult<bool> {
    let n = sqlx::query("DELETE FROM app_templates WHERE client_id = $1 AND name = $2")
        .bind(client_id)
        .bind(name)
        .execute(c)
        .await?
        .rows_affected();
    Ok(n > 0)
}
