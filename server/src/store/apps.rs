//! Registered apps as stored: client id, name, redirect URIs and CORS origins.

use super::{Conn, Db, DbResult};

/// A registered app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// The public client id.
    pub client_id: String,
    /// The name people see on the consent screen.
    pub name: String,
    /// Redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// Browser origins allowed to call `/token`, `/revoke` and the APIs.
    pub origins: Vec<String>,
}

/// Loads one app by client id.
pub async fn find(c: &mut Conn, client_id: &str) -> DbResult<Option<App>> {
    let Some(name) = sqlx::query_scalar("SELECT name FROM apps WHERE client_id = $1")
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
    }))
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

/// Stores a new app with its redirect URIs and origins, in one transaction.
pub async fn insert(
    db: &Db,
    client_id: &str,
    name: &str,
    redirect_uris: &[String],
    origins: &[String],
    now: i64,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    sqlx::query("INSERT INTO apps (client_id, name, created_at) VALUES ($1, $2, $3)")
        .bind(client_id)
        .bind(name)
        .bind(now)
        .execute(&mut *c)
        .await?;
    for uri in redirect_uris {
        sqlx::query(
            "INSERT INTO app_redirect_uris (client_id, uri) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(client_id)
        .bind(uri)
        .execute(&mut *c)
        .await?;
    }
    for o in origins {
        sqlx::query(
            "INSERT INTO app_origins (client_id, origin) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(client_id)
        .bind(o)
        .execute(&mut *c)
        .await?;
    }
    tx.commit().await
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
