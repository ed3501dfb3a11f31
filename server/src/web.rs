//! HTTP plumbing shared by the provider's routers: cookies, redirects, the page
//! `Content-Security-Policy`, the continue-path check, the client IP and the one reader of a
//! JSON object body (the data API's writes and the messenger's REST half).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Extension;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Reads one cookie from the request. A name sent more than once counts as absent: another
/// page on the same host (another port, a sibling path or domain) can add a second cookie of
/// the same name, and neither the order nor the value is then the server's to trust.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// A `Set-Cookie` value for an HttpOnly, SameSite=Lax cookie on the whole origin (host-only:
/// no `Domain`), `Secure` when `secure` (required for a `__Host-` name).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The origin part (`scheme://host[:port]`, lower-case) of `issuer`.
fn origin_of(issuer: &str) -> String {
    let lower = issuer.to_ascii_lowercase();
    match lower.find("://") {
        Some(i) => match lower[i + 3..].find('/') {
            Some(j) => lower[..i + 3 + j].to_owned(),
            None => lower,
        },
        None => lower,
    }
}

/// Whether a state-changing request comes from the provider's own pages: its `Origin` is the
/// issuer's origin (or names the `Host` the request was sent to); without an `Origin`, its
/// `Sec-Fetch-Site` is `same-origin`. `Origin: null` (a page under `Referrer-Policy:
/// no-referrer`, a sandboxed frame, a `data:` URL) counts only with `Sec-Fetch-Site:
/// same-origin`. A request with neither header is not a browser's form (browsers send `Origin`
/// with every POST): it passes here and still needs its CSRF token.
pub fn same_origin_request(headers: &HeaderMap, issuer: &str) -> bool {
    let fetch_site = headers.get("sec-fetch-site").map(|v| v.to_str());
    let origin = headers.get(header::ORIGIN);
    if origin.is_some_and(|o| o.as_bytes().eq_ignore_ascii_case(b"null")) {
        return matches!(fetch_site, Some(Ok(s)) if s.eq_ignore_ascii_case("same-origin"));
    }
    if let Some(origin) = origin {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = origin.trim().to_ascii_lowercase();
        if origin == origin_of(issuer) {
            return true;
        }
        // The same origin reached by another name than the issuer's (`localhost` for
        // `127.0.0.1`): the browser's Host and Origin name the same server.
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_ascii_lowercase);
        let scheme = issuer
            .split_once("://")
            .map(|(s, _)| s.to_ascii_lowercase());
        return match (scheme, host) {
            (Some(scheme), Some(host)) => {
                !host.is_empty() && origin == format!("{scheme}://{host}")
            }
            _ => false,
        };
    }
    match fetch_site {
        Some(Ok(site)) => site.eq_ignore_ascii_case("same-origin"),
        Some(Err(_)) => false,
        None => true,
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

/// Peers whose `X-Forwarded-For` the provider believes ([`crate::server::Config::trusted_proxies`]),
/// as a request extension on the provider's routes.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Arc<[IpAddr]>);

/// The layer that hands [`TrustedProxies`] to [`ClientIp`].
pub fn forwarded_layer(trusted: Vec<IpAddr>) -> Extension<TrustedProxies> {
    Extension(TrustedProxies(trusted.into()))
}

/// The client's address, from the TCP peer and the `X-Forwarded-For` values (in the order
/// received). While the address at hand is a trusted proxy, the next entry from the right is who
/// that proxy saw; the first one that is not a trusted proxy is the client. A peer that is not
/// trusted is the client whatever the header says (a client cannot choose its own address), and
/// an entry that is not an address ends the walk at the proxy that wrote it.
pub fn client_addr(peer: IpAddr, forwarded: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let mut hops = forwarded
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>()
        .into_iter()
        .rev();
    let mut at = peer;
    while trusted.contains(&at) {
        match hops.next().and_then(|h| h.parse::<IpAddr>().ok()) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// The client's IP address (for sign-in throttling): the peer's, or the one a trusted proxy
/// reports ([`client_addr`]).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return Ok(Self("unknown".into()));
        };
        let trusted = parts
            .extensions
            .get::<TrustedProxies>()
            .map(|t| &*t.0)
            .unwrap_or(&[]);
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Self(client_addr(peer, &forwarded, trusted).to_string()))
    }
}

/// Largest accepted JSON body of the data API, in bytes.
pub const MAX_BODY: usize = 16 * 1024;

/// Why a body is not a JSON object; each router turns it into its own error (the data API's
/// `request_parameter_missing`/`request_body_invalid`, the hub's `request_body_invalid`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// `Content-Type` names something other than JSON.
    #[error("the body must be JSON (Content-Type: application/json), not '{0}'")]
    NotJsonType(String),
    /// No body (or only white space); the example shows what to send.
    #[error("The request needs a JSON body, e.g. {0}.")]
    Missing(String),
    /// Over the router's limit (in bytes).
    #[error("the body is larger than {} KB", .0 / 1024)]
    TooLarge(usize),
    /// JSON, but not an object.
    #[error("the body must be a JSON object")]
    NotObject,
    /// Not JSON (serde's words).
    #[error("the body is not valid JSON ({0})")]
    NotJson(String),
}

/// The JSON object of a body: `Content-Type` JSON (or absent), not empty (`example` shows what
/// to send), at most `max` bytes, valid JSON, an object.
pub fn json_object(
    headers: &HeaderMap,
    body: &[u8],
    example: &str,
    max: usize,
) -> Result<serde_json::Map<String, serde_json::Value>, BodyError> {
    if let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media != "application/json" && !media.ends_with("+json") {
            return Err(BodyError::NotJsonType(media));
        }
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(BodyError::Missing(example.into()));
    }
    if body.len() > max {
        return Err(BodyError::TooLarge(max));
    }
    match serde_json::from_slice(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(BodyError::NotObject),
        Err(e) => Err(BodyError::NotJson(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_address_is_believed_only_from_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let lb = [ip("127.0.0.1")];
        // No proxy configured: the header is the client's own word, ignored.
        assert_eq!(
            client_addr(ip("10.0.0.9"), &["1.2.3.4"], &[]),
            ip("10.0.0.9")
        );
        // A client that is not the proxy cannot pick an address, even a trusted one.
        assert_eq!(
            client_addr(ip("10.0.0.9"), &["127.0.0.1"], &lb),
            ip("10.0.0.9")
        );
        // Through the load balancer: the address it saw.
        assert_eq!(
            client_addr(ip("127.0.0.1"), &["198.51.100.7"], &lb),
            ip("198.51.100.7")
        );
        // A client that sends its own header through the proxy: only the proxy's entry counts.
        assert_eq!(
            client_addr(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7"], &lb),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_addr(ip("127.0.0.1"), &["6.6.6.6", "198.51.100.7"], &lb),
            ip("198.51.100.7")
        );
        // Two trusted hops, IPv6.
        let two = [ip("127.0.0.1"), ip("::1")];
        assert_eq!(
            client_addr(ip("127.0.0.1"), &["2001:db8::5, ::1"], &two),
            ip("2001:db8::5")
        );
        // No header, or garbage where an address should be: the proxy itself.
        assert_eq!(client_addr(ip("127.0.0.1"), &[], &lb), ip("127.0.0.1"));
        assert_eq!(
            client_addr(ip("127.0.0.1"), &["nonsense"], &lb),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; wl_csrf=xyz; b=2"),
        );
        assert_eq!(cookie(&h, "wl_csrf"), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
        // Sent twice (another port of the host set a second one): neither is trusted.
        h.append(header::COOKIE, HeaderValue::from_static("wl_csrf=abc"));
        assert_eq!(cookie(&h, "wl_csrf"), None);
        assert_eq!(cookie(&h, "a"), Some("1"));
    }

    #[test]
    fn cookie_flags() {
        let plain = set_cookie("wl_csrf", "v", 60, false);
        assert_eq!(
            plain.to_str().unwrap(),
            "wl_csrf=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        let host = set_cookie("__Host-wl_csrf", "v", 60, true);
        assert_eq!(
            host.to_str().unwrap(),
            "__Host-wl_csrf=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
    }

    fn with(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn origins() {
        let iss = "http://127.0.0.1:8081";
        let ok = |p: &[(&str, &str)]| same_origin_request(&with(p), iss);
        assert!(ok(&[("origin", "http://127.0.0.1:8081")]));
        assert!(ok(&[("origin", "HTTP://127.0.0.1:8081")]));
        assert!(!ok(&[("origin", "http://127.0.0.1:8080")]));
        assert!(!ok(&[("origin", "null")]));
        assert!(!ok(&[("origin", "null"), ("sec-fetch-site", "cross-site")]));
        assert!(ok(&[("origin", "null"), ("sec-fetch-site", "same-origin")]));
        assert!(!ok(&[("origin", "https://127.0.0.1:8081")]));
        assert!(ok(&[
            ("origin", "http://localhost:8081"),
            ("host", "localhost:8081")
        ]));
        assert!(!ok(&[
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8081")
        ]));
        assert!(!ok(&[
            ("origin", "https://localhost:8081"),
            ("host", "localhost:8081")
        ]));
        assert!(ok(&[("sec-fetch-site", "same-origin")]));
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        assert!(!ok(&[("sec-fetch-site", "cross-site")]));
        assert!(ok(&[]));
        assert!(same_origin_request(
            &with(&[("origin", "https://login.example")]),
            "https://login.example/"
        ));
    }

    #[test]
    fn continue_stays_local() {
        assert_eq!(safe_continue("/authorize?x=1"), "/authorize?x=1");
        assert_eq!(safe_continue("//evil.example"), "/consent");
        assert_eq!(safe_continue("https://evil.example"), "/consent");
        assert_eq!(safe_continue("/\\evil"), "/consent");
    }
}
