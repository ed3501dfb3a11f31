//! Registered apps: client id, name, exact redirect URIs and the origins allowed to call the
//! provider's APIs from a browser (CORS): the checks on registration (the rows are
//! [`crate::store::apps`], re-exported here).

use crate::crypto::random_hex;
use crate::error::AppError;
use crate::store::db::Db;

pub use crate::store::apps::{App, find, list, origin_registered};

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, if it is one.
pub fn origin_of(uri: &str) -> Option<String> {
    let url = url::Url::parse(uri).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// Whether plain http is allowed for this host: loopback (127.0.0.0/8, `::1`) and `localhost`
/// (and its subdomains, which resolve to loopback, RFC 6761 §6.3).
fn loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// https, or http on a loopback host; otherwise says why not.
fn check_scheme(what: &str, value: &str, url: &url::Url) -> Result<(), AppError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback_host(url) => Ok(()),
        "http" => Err(AppError::Invalid(format!(
            "{what} `{value}` must use https: plain http is allowed only for loopback \
             (127.0.0.1, [::1]) and localhost"
        ))),
        _ => Err(AppError::Invalid(format!(
            "{what} `{value}` must be https (or http on loopback or localhost)"
        ))),
    }
}

/// Checks a redirect URI for registration: absolute, https (plain http only on loopback and
/// `localhost`), no fragment.
pub fn validate_redirect_uri(uri: &str) -> Result<(), AppError> {
    let url = url::Url::parse(uri)
        .map_err(|e| AppError::Invalid(format!("redirect URI `{uri}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.fragment().is_some() {
        return Err(AppError::Invalid(format!(
            "redirect URI `{uri}` must be http(s) without a #fragment"
        )));
    }
    check_scheme("redirect URI", uri, &url)
}

/// Checks an origin for registration: exactly `scheme://host[:port]`, https (plain http only
/// on loopback and `localhost`).
pub fn validate_origin(origin: &str) -> Result<(), AppError> {
    match origin_of(origin) {
        Some(o) if o == origin => {
            let url = url::Url::parse(origin)
                .map_err(|e| AppError::Invalid(format!("origin `{origin}`: {e}")))?;
            check_scheme("origin", origin, &url)
        }
        _ => Err(AppError::Invalid(format!(
            "origin `{origin}` must look like https://host[:port] (no path, no trailing slash)"
        ))),
    }
}

/// Registers a new app and returns it. Without `origins`, the redirect URIs' origins are allowed.
pub async fn add(
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
    crate::store::apps::insert(db, &client_id, name.trim(), redirect_uris, &origins, now).await?;
    find(&mut *db.conn().await?, &client_id)
        .await?
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

    #[test]
    fn https_except_loopback_and_localhost() {
        for ok in [
            "https://example.com/cb",
            "http://127.0.0.1:8080/callback.html",
            "http://127.8.9.10/cb",
            "http://[::1]:3000/cb",
            "http://localhost:3000/cb",
            "http://app.localhost/cb",
        ] {
            assert!(validate_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "http://128.0.0.1/cb",
            "http://10.0.0.1/cb",
            "http://localhost.example.com/cb",
            "http://[::2]/cb",
            "ftp://localhost/cb",
        ] {
            let e = validate_redirect_uri(bad).unwrap_err().to_string();
            assert!(e.contains(bad), "{bad}: {e}");
        }
        assert!(validate_origin("https://example.com").is_ok());
        assert!(validate_origin("http://127.0.0.1:5173").is_ok());
        let e = validate_origin("http://example.com")
            .unwrap_err()
            .to_string();
        assert!(e.contains("must use https"), "{e}");
    }
}
