//! Browser-facing plumbing shared by the provider's pages: cookies, the provider session,
//! CSRF tokens, security headers, the client IP.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};

use crate::crypto::{constant_eq, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::people::Person;
use crate::state::{AppState, SESSION_TTL};

/// The provider session cookie.
pub const SESSION_COOKIE: &str = "wl_session";
/// The CSRF cookie (double-submitted in every form).
pub const CSRF_COOKIE: &str = "wl_csrf";

/// Reads one cookie from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn set_cookie(name: &str, value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The signed-in person, if the request carries a live provider session.
pub fn current_person(state: &AppState, headers: &HeaderMap) -> AppResult<Option<Person>> {
    let Some(sid) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = secret_hash(sid);
    let now = state.clock.now();
    let person_id: Option<String> = state.db.with(|c| {
        c.prepare_cached("SELECT person_id FROM sessions WHERE id_hash = ?1 AND expires_at > ?2")?
            .query_row(params![hash.as_slice(), now], |r| r.get(0))
            .optional()
    })?;
    match person_id {
        Some(id) => Ok(state.db.with(|c| crate::people::by_id(c, &id))?),
        None => Ok(None),
    }
}

/// Starts a provider session for `person_id`; returns the `Set-Cookie` value.
pub fn start_session(state: &AppState, person_id: &str) -> AppResult<HeaderValue> {
    let sid = random_secret("");
    let now = state.clock.now();
    state.db.with(|c| {
        c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
        c.execute(
            "INSERT INTO sessions (id_hash, person_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![secret_hash(&sid).as_slice(), person_id, now, now + SESSION_TTL],
        )
    })?;
    Ok(set_cookie(SESSION_COOKIE, &sid, SESSION_TTL))
}

/// Ends the request's provider session; returns the `Set-Cookie` value that clears it.
pub fn end_session(state: &AppState, headers: &HeaderMap) -> AppResult<HeaderValue> {
    if let Some(sid) = cookie(headers, SESSION_COOKIE) {
        let hash = secret_hash(sid);
        state
            .db
            .with(|c| c.execute("DELETE FROM sessions WHERE id_hash = ?1", [hash.as_slice()]))?;
    }
    Ok(set_cookie(SESSION_COOKIE, "", 0))
}

/// The CSRF token for a page: the browser's existing one, or a new one to set.
#[derive(Debug)]
pub struct Csrf {
    /// The token to put in the page's forms.
    pub token: String,
    /// The `Set-Cookie` value when the token is new.
    pub set_cookie: Option<HeaderValue>,
}

impl Csrf {
    /// Reuses the browser's CSRF cookie or makes a new token.
    pub fn for_page(headers: &HeaderMap) -> Self {
        match cookie(headers, CSRF_COOKIE).filter(|t| t.len() == 43) {
            Some(t) => Self {
                token: t.to_owned(),
                set_cookie: None,
            },
            None => {
                let token = random_secret("");
                let set_cookie = Some(set_cookie(CSRF_COOKIE, &token, SESSION_TTL));
                Self { token, set_cookie }
            }
        }
    }

    /// Adds the cookie (if new) to a response.
    pub fn apply(&self, res: &mut Response) {
        if let Some(v) = &self.set_cookie {
            res.headers_mut().append(header::SET_COOKIE, v.clone());
        }
    }

    /// Checks a submitted form's token against the cookie.
    pub fn check(headers: &HeaderMap, submitted: &str) -> AppResult<()> {
        match cookie(headers, CSRF_COOKIE) {
            Some(t) if !submitted.is_empty() && constant_eq(t.as_bytes(), submitted.as_bytes()) => Ok(()),
            _ => Err(AppError::Page {
                status: StatusCode::FORBIDDEN,
                code: "csrf_invalid",
                title: "This form has expired",
                message: "For your security, the form could not be sent. Go back, reload the page and try again (cookies must be enabled)."
                    .into(),
            }),
        }
    }
}

/// The `Content-Security-Policy` of provider pages; `form_origin` is where a form on the page
/// may end up after redirects (the app's redirect URI).
pub fn csp(form_origin: Option<&str>) -> HeaderValue {
    let extra = form_origin
        .filter(|o| {
            o.bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
        })
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'{extra}; frame-ancestors 'none'; base-uri 'none'"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"))
}

/// A `302`/`303` redirect that is never cached.
pub fn redirect(status: StatusCode, location: &str) -> Response {
    let mut res = status.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A local path to continue to after signing in or out (never another origin).
pub fn safe_continue(cont: &str) -> &str {
    let ok = cont.starts_with('/')
        && !cont.starts_with("//")
        && !cont.starts_with("/\\")
        && !cont.chars().any(|c| c.is_control());
    if ok { cont } else { "/consent" }
}

/// The client's IP address (for sign-in throttling).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(Self(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; wl_csrf=xyz; b=2"),
        );
        assert_eq!(cookie(&h, "wl_csrf"), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn continue_stays_local() {
        assert_eq!(safe_continue("/authorize?x=1"), "/authorize?x=1");
        assert_eq!(safe_continue("//evil.example"), "/consent");
        assert_eq!(safe_continue("https://evil.example"), "/consent");
        assert_eq!(safe_continue("/\\evil"), "/consent");
    }
}
