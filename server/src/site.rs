//! The site origin: serves the `--site-dir`s in order (first hit wins), gzip-compressed, and
//! points demo pages at the real provider by rewriting `http://127.0.0.1:8081` in `.html` files.
//!
//! It hosts the loader the way docs/hosting.md asks of any CDN: scripts and wasm to any origin
//! (CORS, CORP), content-hashed module files (`pkg/wl_connect.3f9a1c2e.js`) cached for a year as
//! `immutable`, `wl.js` for five minutes with a strong `ETag` (`If-None-Match` → 304), and the
//! whole package also under the versioned path [`VERSIONED_PREFIX`] (`/v1/wl.js`).
//!
//! Like a CDN's edge, it keeps each file it served in memory with its `ETag` and its gzip -9
//! copy, both made once per version of the file (its modification time and length): a request
//! costs one `stat` and one write with a `Content-Length`, not a read and a compression.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The literal provider origin demo pages are written against.
pub const DEFAULT_PROVIDER_ORIGIN: &str = "http://127.0.0.1:8081";

/// The versioned path of the loader package: `/v1/wl.js`, `/v1/pkg/…`, `/v1/callback.html` are
/// the same files as `/wl.js`, …, and stay compatible within the loader's version 1 (its API).
pub const VERSIONED_PREFIX: &str = "/v1/";

/// `Cache-Control` of a content-hashed file ([`is_content_hashed`]): its name changes with it.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of `wl.js` (revalidated with its `ETag` after five minutes).
pub const CACHE_LOADER: &str = "public, max-age=300";

/// What the site serves.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Directories searched in order.
    pub dirs: Vec<PathBuf>,
    /// The real provider origin, substituted into served HTML.
    pub provider_origin: String,
}

/// `Content-Security-Policy` of `callback.html`: it runs only its own `callback.js` (which
/// reads the URL, hands the answer to the page that opened the sign-in and closes), loads and
/// sends nothing else, and is never framed.
pub const CALLBACK_CSP: &str = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `Referrer-Policy` of every answer of the dev host: a page's URL (a callback's code and
/// state) never leaves in a `Referer`.
pub const REFERRER_POLICY: &str = "no-referrer";

/// Files larger than this are read for each request and sent as they are (the package's files
/// are tens of kilobytes).
const CACHE_MAX_FILE: u64 = 8 << 20;

/// The site's state: what to serve, and the files served so far.
struct Site {
    config: SiteConfig,
    files: Mutex<HashMap<PathBuf, Arc<Served>>>,
}

/// One version of a file as the site answers with it.
struct Served {
    /// The file's modification time and length when it was read.
    stamp: (Option<SystemTime>, u64),
    /// The bytes (an `.html` file already pointed at the real provider).
    body: Bytes,
    /// gzip -9 of `body`, when its type compresses and the copy is smaller.
    gzip: Option<Bytes>,
    /// The strong `ETag` of `body`; the gzip copy's is [`gzip_tag`] of it.
    tag: String,
    /// Its `Content-Type` ([`content_type`] of its name).
    ctype: &'static str,
}

/// The strong `ETag` of a gzip copy: another representation, so another tag.
fn gzip_tag(tag: &str) -> String {
    format!("{}-gzip\"", tag.trim_end_matches('"'))
}

/// Whether a content type is worth compressing (text, JavaScript, JSON, XML, SVG, wasm; not
/// images or fonts, which are compressed already).
fn compresses(ctype: &str) -> bool {
    ctype.starts_with("text/")
        || ctype.starts_with("application/json")
        || ctype.starts_with("application/xml")
        || ctype == "application/wasm"
        || ctype == "image/svg+xml"
}

/// Whether `Accept-Encoding` allows gzip: `gzip` with a non-zero `q`, or, when gzip is not
/// named, `*` with one.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut star = None;
    for item in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .unwrap_or(0.0);
        if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            return q > 0.0;
        }
        if name == "*" {
            star = Some(q > 0.0);
        }
    }
    star.unwrap_or(false)
}

/// gzip at the best level.
fn gzip_best(body: &[u8]) -> Option<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(body).ok()?;
    enc.finish().ok()
}

impl Site {
    /// The file at `path` (whose metadata is `meta`), from memory while it has not changed.
    async fn file(&self, path: &Path, meta: &std::fs::Metadata) -> Option<Arc<Served>> {
        let stamp = (meta.modified().ok(), meta.len());
        let cache = meta.len() <= CACHE_MAX_FILE;
        if cache {
            let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(f) = files.get(path).filter(|f| f.stamp == stamp) {
                return Some(f.clone());
            }
        }
        let bytes = tokio::fs::read(path).await.ok()?;
        let ctype = content_type(path);
        let body = if ctype.starts_with("text/html")
            && self.config.provider_origin != DEFAULT_PROVIDER_ORIGIN
        {
            String::from_utf8_lossy(&bytes)
                .replace(DEFAULT_PROVIDER_ORIGIN, &self.config.provider_origin)
                .into_bytes()
        } else {
            bytes
        };
        // Hashing and gzip -9 of a large file take a while: off the async workers.
        let served = tokio::task::spawn_blocking(move || {
            let gzip = (compresses(ctype) && cache)
                .then(|| gzip_best(&body))
                .flatten()
                .filter(|z| z.len() < body.len())
                .map(Bytes::from);
            Arc::new(Served {
                stamp,
                tag: etag(&body),
                body: Bytes::from(body),
                gzip,
                ctype,
            })
        })
        .await
        .ok()?;
        if cache {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            files.insert(path.to_path_buf(), served.clone());
        }
        Some(served)
    }
}

/// The site's router (used by `main` and by the tests).
pub fn site_router(config: SiteConfig) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback(serve)
        .layer(axum::middleware::map_response(
            |mut res: Response| async move {
                res.headers_mut().insert(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static(REFERRER_POLICY),
                );
                res
            },
        ))
        .with_state(Arc::new(Site {
            config,
            files: Mutex::new(HashMap::new()),
        }))
}

/// Where `/dir` redirects to: `/dir/`, built from the path alone, so it always starts with
/// exactly one `/` (`//evil` would be another host, `/\evil` too for a browser).
pub fn directory_location(path: &str) -> String {
    let rest = path.trim_start_matches(['/', '\\']);
    format!("/{rest}/")
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

/// Whether a file name is content-hashed (`stem.<8 hex digits>.js|wasm`, as `cargo xtask build`
/// names the package's modules), so it can be cached forever.
pub fn is_content_hashed(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let mut parts = name.rsplit('.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    matches!(ext, "js" | "wasm")
        && !stem.is_empty()
        && hash.len() == 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A strong `ETag` for a body: a quoted prefix of its SHA-256, hex.
pub fn etag(body: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` value matches `tag` (`*`, or one of its comma-separated tags; a
/// weak `W/` tag matches too, as RFC 9110's weak comparison for `GET` allows).
fn none_match(header: &str, tag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == tag)
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

async fn serve(State(site): State<Arc<Site>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    // `/v1/wl.js` is `/wl.js` (and so for the whole package: `wl.js` finds `pkg/` beside it).
    let path = req.uri().path();
    let path = if path.starts_with(VERSIONED_PREFIX) {
        &path[VERSIONED_PREFIX.len() - 1..]
    } else {
        path
    };
    let Some(rel) = relative_path(path) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    for dir in &site.config.dirs {
        let mut candidate = dir.join(&rel);
        let Ok(mut meta) = tokio::fs::metadata(&candidate).await else {
            continue;
        };
        if meta.is_dir() {
            // `/demo` → `/demo/` so relative links resolve.
            if !path.ends_with('/') {
                let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
                if let Ok(v) = HeaderValue::from_str(&directory_location(req.uri().path())) {
                    res.headers_mut().insert(header::LOCATION, v);
                }
                return res;
            }
            candidate = candidate.join("index.html");
            let Ok(m) = tokio::fs::metadata(&candidate).await else {
                continue;
            };
            meta = m;
        }
        if !meta.is_file() {
            continue;
        }
        let Some(file) = site.file(&candidate, &meta).await else {
            continue;
        };
        return answer(&req, &rel, &file);
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

/// The answer with `file` (asked for as `rel`): its gzip copy when the client takes it, 304 when
/// the client holds this version, and the hosting headers.
fn answer(req: &Request, rel: &Path, file: &Served) -> Response {
    let ctype = file.ctype;
    let is_loader = rel.as_os_str() == "wl.js";
    let cache = if is_content_hashed(rel) {
        CACHE_IMMUTABLE
    } else if is_loader {
        CACHE_LOADER
    } else {
        "no-cache"
    };
    let gzip = file.gzip.as_ref().filter(|_| accepts_gzip(req.headers()));
    let gzip_tag = gzip_tag(&file.tag);
    let tag = if gzip.is_some() { &gzip_tag } else { &file.tag };
    // Either coding's tag names this version of the file.
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| none_match(v, &file.tag) || none_match(v, &gzip_tag));
    let mut res = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = gzip.unwrap_or(&file.body).clone();
        ([(header::CONTENT_TYPE, ctype)], body).into_response()
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, v);
    }
    if gzip.is_some() && !not_modified {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if compresses(ctype) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if rel.file_name().is_some_and(|n| n == "callback.html") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CALLBACK_CSP),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if !ctype.starts_with("text/html") {
        // Hosted like a CDN: any site may load the loader and its modules (`import()` and
        // the wasm fetch are CORS requests; COEP pages need CORP), and may time them
        // (Resource Timing). Pages stay same-origin.
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(
            "cross-origin-resource-policy",
            HeaderValue::from_static("cross-origin"),
        );
        headers.insert("timing-allow-origin", HeaderValue::from_static("*"));
    }
    res
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
    fn directory_redirects_stay_on_the_host() {
        assert_eq!(directory_location("/demo"), "/demo/");
        assert_eq!(directory_location("//demo"), "/demo/");
        assert_eq!(directory_location("///evil.example/x"), "/evil.example/x/");
        assert_eq!(directory_location("/\\evil.example"), "/evil.example/");
        assert_eq!(directory_location("/v1/demo"), "/v1/demo/");
    }

    #[test]
    fn hashed_names() {
        assert!(is_content_hashed(Path::new("pkg/wl_connect.3f9a1c2e.js")));
        assert!(is_content_hashed(Path::new(
            "pkg/wl_connect_bg.3f9a1c2e.wasm"
        )));
        assert!(!is_content_hashed(Path::new("pkg/wl_connect.js")));
        assert!(!is_content_hashed(Path::new("wl.js")));
        assert!(!is_content_hashed(Path::new("pkg/a.3F9A1C2E.js")));
        assert!(!is_content_hashed(Path::new("pkg/a.3f9a1c2.js")));
        assert!(!is_content_hashed(Path::new("pkg/a.3f9a1c2e.html")));
        assert!(!is_content_hashed(Path::new(".3f9a1c2e.js")));
    }

    #[test]
    fn if_none_match() {
        assert!(none_match("\"ab\"", "\"ab\""));
        assert!(none_match("\"x\", W/\"ab\"", "\"ab\""));
        assert!(none_match("*", "\"ab\""));
        assert!(!none_match("\"abc\"", "\"ab\""));
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
