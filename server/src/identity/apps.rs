//! Registered apps: client id, name, exact redirect URIs and the origins allowed to call the
//! provider's APIs from a browser (CORS).

use rusqlite::{Connection, OptionalExtension, params};

use crate::crypto::random_hex;
use crate::error::AppError;
use crate::store::db::Db;

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

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, if it is one.
pub fn origin_of(uri: &str) -> Option<String> {
    let url = url::Url::parse(uri).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// Checks a redirect URI for registration: absolute http(s), no fragment.
pub fn validate_redirect_uri(uri: &str) -> Result<(), AppError> {
    let url = url::Url::parse(uri)
        .map_err(|e| AppError::Invalid(format!("redirect URI `{uri}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.fragment().is_some() {
        return Err(AppError::Invalid(format!(
            "redirect URI `{uri}` must be http(s) without a #fragment"
        )));
    }
    Ok(())
}

/// Checks an origin for registration: exactly `scheme://host[:port]`.
pub fn validate_origin(origin: &str) -> Result<(), AppError> {
    match origin_of(origin) {
        Some(o) if o == origin => Ok(()),
        _ => Err(AppError::Invalid(format!(
            "origin `{origin}` must look like http://host:port (no path, no trailing slash)"
        ))),
    }
}

/// Registers a new app and returns it. Without `origins`, the redirect URIs' origins are allowed.
pub fn add(
    db: &Db,
    name: &str,
    redirect_uris: &[String],
    origins: &[String],
    now: i64,
) -> Result<App, AppError> {
    if name.trim().is_empty() {
        return Err(AppError::Invalid("the app needs a name".into()));
    }
    if redirect_uris.is_empty() {
        return Err(AppError::Invalid(
            "the app needs at least one --redirect-uri".into(),
        ));
    }
    for uri in redirect_uris {
        validate_redirect_uri(uri)?;
    }
    for o in origins {
        validate_origin(o)?;
    }
    let mut origins: Vec<String> = if origins.is_empty() {
        redirect_uris.iter().filter_map(|u| origin_of(u)).collect()
    } else {
        origins.to_vec()
    };
    origins.sort();
    origins.dedup();
    let client_id = random_hex(16);
    db.with(|c| {
        let tx = c.transaction()?;
        tx.execute(
            "INSERT INTO apps (client_id, name, created_at) VALUES (?1, ?2, ?3)",
            params![client_id, name.trim(), now],
        )?;
        for uri in redirect_uris {
            tx.execute(
                "INSERT OR IGNORE INTO app_redirect_uris (client_id, uri) VALUES (?1, ?2)",
                params![client_id, uri],
            )?;
        }
        for o in &origins {
            tx.execute(
                "INSERT OR IGNORE INTO app_origins (client_id, origin) VALUES (?1, ?2)",
                params![client_id, o],
            )?;
        }
        tx.commit()
    })?;
    db.with(|c| find(c, &client_id))?
        .ok_or_else(|| AppError::Internal("app vanished".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/callback.html").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://example.com/a").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert!(validate_origin("http://localhost:3000").is_ok());
        assert!(validate_origin("http://localhost:3000/").is_err());
        assert!(validate_redirect_uri("http://a/cb#x").is_err());
    }
}
