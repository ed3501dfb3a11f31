//! The site origin: serves the `--site-dir`s in order (first hit wins), gzip-compressed, and
//! points demo pages at the real provider by rewriting `http://127.0.0.1:8081` in `.html` files.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;

/// The literal provider origin demo pages are written against.
pub const DEFAULT_PROVIDER_ORIGIN: &str = "http://127.0.0.1:8081";

/// What the site serves.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Directories searched in order.
    pub dirs: Vec<PathBuf>,
    /// The real provider origin, substituted into served HTML.
    pub provider_origin: String,
}

/// The site's router (used by `main` and by the tests).
pub fn site_router(config: SiteConfig) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback(serve)
        .layer(CompressionLayer::new())
        .with_state(Arc::new(config))
}

/// The content type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("webp") => "image/webp",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("ts") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The safe relative path for a request path, or `None` if it tries to leave the directory.
pub fn relative_path(uri_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(uri_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut rel = PathBuf::new();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => rel.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if decoded.ends_with('/') || rel.as_os_str().is_empty() {
        rel.push("index.html");
    }
    Some(rel)
}

async fn serve(State(cfg): State<Arc<SiteConfig>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let Some(rel) = relative_path(req.uri().path()) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    for dir in &cfg.dirs {
        let mut candidate = dir.join(&rel);
        if tokio::fs::metadata(&candidate)
            .await
            .is_ok_and(|m| m.is_dir())
        {
            // `/demo` → `/demo/` so relative links resolve.
            if !req.uri().path().ends_with('/') {
                let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("{}/", req.uri().path())) {
                    res.headers_mut().insert(header::LOCATION, v);
                }
                return res;
            }
            candidate = candidate.join("index.html");
        }
        let Ok(bytes) = tokio::fs::read(&candidate).await else {
            continue;
        };
        let ctype = content_type(&candidate);
        let body =
            if ctype.starts_with("text/html") && cfg.provider_origin != DEFAULT_PROVIDER_ORIGIN {
                String::from_utf8_lossy(&bytes)
                    .replace(DEFAULT_PROVIDER_ORIGIN, &cfg.provider_origin)
                    .into_bytes()
            } else {
                bytes
            };
        let mut res = (
            [
                (header::CONTENT_TYPE, ctype),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            body,
        )
            .into_response();
        if !ctype.starts_with("text/html") {
            // Hosted like a CDN: any site may load the loader and its modules (`import()` and
            // the wasm fetch are CORS requests; COEP pages need CORP). Pages stay same-origin.
            let headers = res.headers_mut();
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
            headers.insert(
                "cross-origin-resource-policy",
                HeaderValue::from_static("cross-origin"),
            );
        }
        return res;
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(relative_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(
            relative_path("/demo/"),
            Some(PathBuf::from("demo/index.html"))
        );
        assert_eq!(
            relative_path("/pkg/a.wasm"),
            Some(PathBuf::from("pkg/a.wasm"))
        );
        assert_eq!(relative_path("/../etc/passwd"), None);
        assert_eq!(relative_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(relative_path("/a/..%2f..%2fx"), None);
        assert_eq!(relative_path("/a%5c..%5cx"), None);
    }

    #[test]
    fn types() {
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("x.HTML")),
            "text/html; charset=utf-8"
        );
    }
}
