//! HTTP plumbing shared by the provider's routers: cookies, redirects, the page
//! `Content-Security-Policy`, the continue-path check and the client IP.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

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

/// A `Set-Cookie` value for an HttpOnly, SameSite=Lax cookie on the whole origin.
pub fn set_cookie(name: &str, value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
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
