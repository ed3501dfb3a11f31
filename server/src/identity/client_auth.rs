//! Confidential clients (issue 15): client secrets and how `/token` and `/revoke`
//! authenticate a client (RFC 6749 §2.3.1).
//!
//! One application service for the portal page and the CLI ([`create`], [`rotate`],
//! [`revoke`], [`list`]) and the endpoints' check ([`authenticate`]). The rules, documented in
//! `docs/confidential-clients.md`:
//!
//! - A secret is `wlcs_` + 256 random bits, shown once; only its SHA-256 is stored.
//! - An app with any secret (live, expired or revoked) is **confidential**: its `/token` and
//!   `/revoke` requests must carry a live secret, by `client_secret_basic` (HTTP Basic, the id
//!   and secret form-urlencoded) or `client_secret_post` (`client_secret` in the form), never
//!   both. Revoking the last secret does not make the app public again: that would open the
//!   door the revocation meant to close.
//! - A secret is never accepted in the query string, nor from a browser (a request with an
//!   `Origin` header): a secret in a page is no secret.
//! - A wrong, revoked or expired secret is 401 `invalid_client`. The presented secret's hash is
//!   compared with every live hash of the app in constant time ([`matching`]).
//! - PKCE stays required for every client, confidential or not (RFC 9700 §2.1.1).

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::crypto::{constant_eq, random_hex, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::identity::tokens::Tokens;
use crate::store::db::Db;
use crate::store::secrets;

pub use crate::store::secrets::SecretRow;

/// Every client secret starts with this.
pub const SECRET_PREFIX: &str = "wlcs_";
/// How long a rotated secret keeps working unless told otherwise: 24 hours.
pub const DEFAULT_OVERLAP: i64 = 24 * 3600;
/// The longest overlap window a rotation may set: 30 days.
pub const MAX_OVERLAP: i64 = 30 * 86_400;

/// A secret just made: its id and the secret itself, to show once and then forget.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// The short public id.
    pub id: String,
    /// The secret (`wlcs_…`).
    pub secret: String,
    /// Until when the secrets it replaces keep working (rotation only).
    pub old_until: Option<i64>,
}

async fn known_app(db: &Db, client_id: &str) -> AppResult<()> {
    if crate::store::apps::find(&mut *db.conn().await?, client_id)
        .await?
        .is_none()
    {
        return Err(AppError::Invalid(format!(
            "No app has the client id `{client_id}`."
        )));
    }
    Ok(())
}

async fn store_new(
    db: &Db,
    client_id: &str,
    old_until: Option<i64>,
    now: i64,
) -> AppResult<NewSecret> {
    known_app(db, client_id).await?;
    let secret = random_secret(SECRET_PREFIX);
    let id = random_hex(6);
    secrets::insert(db, &id, client_id, &secret_hash(&secret), old_until, now).await?;
    tracing::info!(client_id, secret = %id, ?old_until, "client secret made");
    Ok(NewSecret {
        id,
        secret,
        old_until,
    })
}

/// Makes a new secret for the app; the app's other secrets stay as they are.
pub async fn create(db: &Db, client_id: &str, now: i64) -> AppResult<NewSecret> {
    store_new(db, client_id, None, now).await
}

/// Makes a new secret and sets every live secret of the app to stop working `overlap`
/// seconds from now (0: at once; at most [`MAX_OVERLAP`]).
pub async fn rotate(db: &Db, client_id: &str, overlap: i64, now: i64) -> AppResult<NewSecret> {
    if !(0..=MAX_OVERLAP).contains(&overlap) {
        return Err(AppError::Invalid(format!(
            "The overlap window must be between 0 and {} hours.",
            MAX_OVERLAP / 3600
        )));
    }
    store_new(db, client_id, Some(now + overlap), now).await
}

/// Revokes the app's secret `id` at once.
pub async fn revoke(db: &Db, client_id: &str, id: &str, now: i64) -> AppResult<()> {
    if !secrets::revoke(&mut *db.conn().await?, client_id, id, now).await? {
        return Err(AppError::Invalid(format!(
            "The app has no unrevoked secret with the id `{id}`."
        )));
    }
    tracing::info!(client_id, secret = %id, "client secret revoked");
    Ok(())
}

/// The app's secrets (ids and dates only), newest first.
pub async fn list(db: &Db, client_id: &str) -> AppResult<Vec<SecretRow>> {
    known_app(db, client_id).await?;
    Ok(secrets::list(&mut *db.conn().await?, client_id).await?)
}

/// The id of the stored hash equal to `presented`, comparing with every one of them in
/// constant time (no early exit, no comparison that stops at the first differing byte).
pub fn matching<'a>(presented: &[u8; 32], stored: &'a [(String, Vec<u8>)]) -> Option<&'a str> {
    let mut found = None;
    for (id, hash) in stored {
        if constant_eq(presented, hash) {
            found = Some(id.as_str());
        }
    }
    found
}

/// Who called `/token` or `/revoke`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The authenticated (confidential) or identified (public) client id.
    pub client_id: String,
    /// True when it authenticated with a secret.
    pub confidential: bool,
}

/// The client's credentials as sent: the HTTP Basic ones, else the form's.
#[derive(Debug)]
struct Credentials {
    client_id: String,
    secret: Option<String>,
}

fn invalid_request(m: &str) -> AppError {
    AppError::oauth("invalid_request", m)
}

/// Decodes one `application/x-www-form-urlencoded` component (RFC 6749 §2.3.1 encodes the id
/// and the secret so before Basic encoding).
fn form_decode(s: &str) -> Option<String> {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The `Authorization: Basic` credentials, if the header is there.
fn basic(headers: &HeaderMap) -> AppResult<Option<(String, String)>> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || {
        AppError::oauth(
            "invalid_client",
            "The Authorization header is not valid HTTP Basic client authentication.",
        )
    };
    let value = value.to_str().map_err(|_| bad())?;
    let (scheme, rest) = value.split_once(' ').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad());
    }
    let decoded = STANDARD.decode(rest.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    Ok(Some((
        form_decode(id).ok_or_else(bad)?,
        form_decode(secret).ok_or_else(bad)?,
    )))
}

fn credentials(
    headers: &HeaderMap,
    form_client_id: Option<&str>,
    form_secret: Option<&str>,
) -> AppResult<Credentials> {
    let form_client_id = form_client_id.filter(|c| !c.is_empty());
    let form_secret = form_secret.filter(|s| !s.is_empty());
    match basic(headers)? {
        Some((id, secret)) => {
            if form_secret.is_some() {
                return Err(invalid_request(
                    "Use one client authentication method: HTTP Basic or client_secret in the form, not both.",
                ));
            }
            if form_client_id.is_some_and(|f| f != id) {
                return Err(invalid_request(
                    "The client_id in the form is not the one in the Authorization header.",
                ));
            }
            Ok(Credentials {
                client_id: id,
                secret: Some(secret),
            })
        }
        None => {
            let Some(id) = form_client_id else {
                return Err(invalid_request("client_id is required."));
            };
            Ok(Credentials {
                client_id: id.to_owned(),
                secret: form_secret.map(str::to_owned),
            })
        }
    }
}

/// Whether the raw query string carries a `client_secret` (never accepted there: URLs end up
/// in logs and histories).
pub fn secret_in_query(raw_query: Option<&str>) -> bool {
    raw_query.is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "client_secret")
    })
}

/// Authenticates the caller of `/token` or `/revoke` (see the module's rules). A public
/// client's browser call must come from one of its origins.
pub async fn authenticate(
    state: &Tokens,
    headers: &HeaderMap,
    raw_query: Option<&str>,
    form_client_id: Option<&str>,
    form_secret: Option<&str>,
) -> AppResult<Client> {
    if secret_in_query(raw_query) {
        return Err(invalid_request(
            "A client secret is never accepted in the URL: send it with HTTP Basic or in the form body.",
        ));
    }
    let creds = credentials(headers, form_client_id, form_secret)?;
    let mut c = state.db.conn().await?;
    let Some(app) = crate::store::apps::find(&mut c, &creds.client_id).await? else {
        return Err(AppError::oauth("invalid_client", "Unknown client_id."));
    };
    let origin = headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or("(not text)"));
    if let Some(secret) = creds.secret {
        if origin.is_some() {
            return Err(AppError::oauth(
                "invalid_client",
                "A client secret is never accepted from a browser (the request has an Origin header): \
                 exchange codes from the app's back end.",
            ));
        }
        let now = state.clock.now();
        let live = secrets::live_hashes(&mut c, &app.client_id, now).await?;
        let Some(id) = matching(&secret_hash(&secret), &live) else {
            tracing::warn!(client_id = %app.client_id, "client authentication failed");
            return Err(AppError::oauth(
                "invalid_client",
                "Client authentication failed: the client secret is wrong, revoked or expired.",
            ));
        };
        secrets::mark_used(&mut c, id, now).await?;
        return Ok(Client {
            client_id: app.client_id,
            confidential: true,
        });
    }
    if secrets::any(&mut c, &app.client_id).await? {
        return Err(AppError::oauth(
            "invalid_client",
            "This client is confidential: authenticate with client_secret_basic or client_secret_post.",
        ));
    }
    if let Some(origin) = origin
        && !app.origins.iter().any(|o| o == origin)
    {
        return Err(AppError::oauth(
            "invalid_client",
            format!("The origin {origin} is not allowed for this client."),
        ));
    }
    Ok(Client {
        client_id: app.client_id,
        confidential: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(n: u8) -> Vec<(String, Vec<u8>)> {
        (0..n)
            .map(|i| (format!("s{i}"), secret_hash(&format!("wlcs_{i}")).to_vec()))
            .collect()
    }

    #[test]
    fn matching_finds_only_an_equal_hash() {
        let s = stored(3);
        assert_eq!(matching(&secret_hash("wlcs_1"), &s), Some("s1"));
        assert_eq!(matching(&secret_hash("wlcs_9"), &s), None);
        assert_eq!(matching(&secret_hash("wlcs_1"), &[]), None);
        // A hash of the wrong length (a corrupt row) never matches.
        let short = vec![("x".to_owned(), secret_hash("wlcs_1")[..31].to_vec())];
        assert_eq!(matching(&secret_hash("wlcs_1"), &short), None);
    }

    /// The comparison takes the same time whether the first byte or the last differs (a
    /// timing attack learns a secret's hash byte by byte from early exits). Medians of many
    /// rounds, interleaved: `constant_eq` measures a ratio of about 1.0 here, the slice `==`
    /// (memcmp, which stops at the first difference) about 3, a byte loop with an early exit
    /// thousands; the bound is 2.
    #[test]
    fn the_compare_is_timing_safe() {
        use std::hint::black_box;
        use std::time::Instant;
        let a = [7u8; 4096];
        let mut first = a;
        first[0] ^= 1;
        let mut last = a;
        last[4095] ^= 1;
        let time = |b: &[u8; 4096]| {
            let mut runs: Vec<u128> = (0..301)
                .map(|_| {
                    let t = Instant::now();
                    for _ in 0..20 {
                        black_box(constant_eq(black_box(&a), black_box(b)));
                    }
                    t.elapsed().as_nanos()
                })
                .collect();
            runs.sort_unstable();
            runs[150] as f64
        };
        // Warm up, then interleave so both see the same machine load.
        time(&first);
        let (mut f, mut l) = (0.0, 0.0);
        for _ in 0..3 {
            f += time(&first);
            l += time(&last);
        }
        let ratio = f.max(l) / f.min(l);
        assert!(
            ratio < 2.0,
            "constant_eq: differing first byte {f} ns, last byte {l} ns (ratio {ratio:.2})"
        );
        assert!(!constant_eq(&a, &first) && !constant_eq(&a, &last) && constant_eq(&a, &a));
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let mut h = HeaderMap::new();
        let raw = STANDARD.encode("my%20app:wlcs_a%2Bb+c");
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {raw}").parse().unwrap(),
        );
        assert_eq!(
            basic(&h).unwrap(),
            Some(("my app".to_owned(), "wlcs_a+b c".to_owned()))
        );
        h.insert(header::AUTHORIZATION, "Bearer x".parse().unwrap());
        assert!(basic(&h).is_err());
        h.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert!(basic(&h).is_err());
    }

    #[test]
    fn a_secret_in_the_query_is_seen() {
        assert!(secret_in_query(Some("client_secret=x")));
        assert!(secret_in_query(Some("a=1&client%5Fsecret=x")));
        assert!(!secret_in_query(Some("client_id=x")));
        assert!(!secret_in_query(None));
    }
}
