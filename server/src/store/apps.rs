//! Registered apps as stored: client id, name, redirect URIs and CORS origins.

use rusqlite::{Connection, OptionalExtension, params};

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
pub fn find(c: &Connection, client_id: &str) -> rusqlite::Result<Option<App>> {
    let Some(name) = c
        .prepare_cached("SELECT name FROM apps WHERE client_id = ?1")?
        .query_row([client_id], |r| r.get::<_, String>(0))
        .optional()?
    else {
        return Ok(None);
    };
    let redirect_uris = c
        .prepare_cached("SELECT uri FROM app_redirect_uris WHERE client_id = ?1 ORDER BY uri")?
        .query_map([client_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let origins = c
        .prepare_cached("SELECT origin FROM app_origins WHERE client_id = ?1 ORDER BY origin")?
        .query_map([client_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(App {
        client_id: client_id.to_owned(),
        name,
        redirect_uris,
        origins,
    }))
}

/// Every registered app, by name.
pub fn list(c: &Connection) -> rusqlite::Result<Vec<App>> {
    let ids: Vec<String> = c
        .prepare("SELECT client_id FROM apps ORDER BY name, client_id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut apps = Vec::new();
    for id in ids {
        if let Some(app) = find(c, &id)? {
            apps.push(app);
        }
    }
    Ok(apps)
}

/// True when any registered app allows `origin`.
pub fn origin_registered(c: &Connection, origin: &str) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM app_origins WHERE origin = ?1 LIMIT 1")?
        .query_row([origin], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
}

/// Stores a new app with its redirect URIs and origins, in one transaction.
pub fn insert(
    c: &mut Connection,
    client_id: &str,
    name: &str,
    redirect_uris: &[String],
    origins: &[String],
    now: i64,
) -> rusqlite::Result<()> {
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO apps (client_id, name, created_at) VALUES (?1, ?2, ?3)",
        params![client_id, name, now],
    )?;
    for uri in redirect_uris {
        tx.execute(
            "INSERT OR IGNORE INTO app_redirect_uris (client_id, uri) VALUES (?1, ?2)",
            params![client_id, uri],
        )?;
    }
    for o in origins {
        tx.execute(
            "INSERT OR IGNORE INTO app_origins (client_id, origin) VALUES (?1, ?2)",
            params![client_id, o],
        )?;
    }
    tx.commit()
}
