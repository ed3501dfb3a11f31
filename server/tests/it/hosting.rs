//! The dev host serves the loader package the way docs/hosting.md asks of any CDN: MIME types,
//! CORS/CORP, a year of `immutable` for content-hashed modules, a short cache plus a strong
//! `ETag` (answered with 304) for `wl.js`, the versioned path `/v1/`, and gzip made once per
//! version of a file (sent with a `Content-Length`, its own `ETag`, never stale).
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use tower::ServiceExt;
use wl_server::{SiteConfig, site_router};

const GLUE: &str = "pkg/wl_connect.3f9a1c2e.js";
const WASM: &str = "pkg/wl_connect_bg.3f9a1c2e.wasm";

fn package() -> (crate::common::TempDir, axum::Router) {
    let dir = crate::common::TempDir::new();
    std::fs::create_dir_all(dir.0.join("pkg")).unwrap();
    std::fs::write(dir.0.join("wl.js"), "// the loader, version 1").unwrap();
    std::fs::write(
        dir.0.join("callback.html"),
        "<!doctype html><script src=\"wl.js\"></script>",
    )
    .unwrap();
    std::fs::write(dir.0.join(GLUE), "export default 1").unwrap();
    std::fs::write(dir.0.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.0.join("pkg/plain.js"), "export default 2").unwrap();
    let app = site_router(SiteConfig {
        dirs: vec![dir.0.clone()],
        provider_origin: "http://127.0.0.1:8081".into(),
    });
    (dir, app)
}

async fn get(app: &axum::Router, path: &str, if_none_match: Option<&str>) -> Response {
    get_with(app, path, if_none_match, None).await
}

async fn get_with(
    app: &axum::Router,
    path: &str,
    if_none_match: Option<&str>,
    accept_encoding: Option<&str>,
) -> Response {
    let mut req = Request::get(path).header(header::ORIGIN, "http://127.0.0.1:3000");
    if let Some(tag) = if_none_match {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    if let Some(a) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, a);
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

fn h<'a>(res: &'a Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn hashed_modules_are_immutable_for_a_year_and_served_to_any_origin() {
    let (_dir, app) = package();
    for (path, ctype) in [
        (GLUE, "text/javascript; charset=utf-8"),
        (WASM, "application/wasm"),
    ] {
        let res = get(&app, &format!("/{path}"), None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(h(&res, "content-type"), ctype, "{path}");
        assert_eq!(
            h(&res, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(h(&res, "access-control-allow-origin"), "*", "{path}");
        assert_eq!(h(&res, "cross-origin-resource-policy"), "cross-origin");
    }
    // A module without a content hash in its name is never cached without revalidation.
    let res = get(&app, "/pkg/plain.js", None).await;
    assert_eq!(h(&res, "cache-control"), "no-cache");
}

#[tokio::test]
async fn wl_js_is_short_cached_with_an_etag_answered_with_304() {
    let (_dir, app) = package();
    let res = get(&app, "/wl.js", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, "cache-control"), "public, max-age=300");
    assert_eq!(h(&res, "content-type"), "text/javascript; charset=utf-8");
    let tag = h(&res, "etag").to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() > 10,
        "a strong ETag: {tag}"
    );

    let res = get(&app, "/wl.js", Some(&tag)).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(h(&res, "etag"), tag);
    assert_eq!(h(&res, "cache-control"), "public, max-age=300");
    assert!(to_bytes(res.into_body(), 1 << 20).await.unwrap().is_empty());

    // Another tag (an older wl.js): the whole file again.
    let res = get(&app, "/wl.js", Some("\"0123456789abcdef\"")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        to_bytes(res.into_body(), 1 << 20).await.unwrap(),
        "// the loader, version 1"
    );
}

#[tokio::test]
async fn the_versioned_path_serves_the_same_package() {
    let (_dir, app) = package();
    let plain = get(&app, "/wl.js", None).await;
    let versioned = get(&app, "/v1/wl.js", None).await;
    assert_eq!(versioned.status(), StatusCode::OK);
    assert_eq!(h(&versioned, "etag"), h(&plain, "etag"));
    assert_eq!(h(&versioned, "cache-control"), "public, max-age=300");
    assert_eq!(h(&versioned, "access-control-allow-origin"), "*");
    // wl.js finds its modules beside it: /v1/pkg/… is there too, immutable.
    let res = get(&app, &format!("/v1/{WASM}"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, "content-type"), "application/wasm");
    assert_eq!(
        h(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    // And the one-line callback page.
    let res = get(&app, "/v1/callback.html", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    // The prefix does not open a way out of the package.
    let res = get(&app, "/v1/../../etc/passwd", None).await;
    assert_ne!(res.status(), StatusCode::OK);
    let res = get(&app, "/v1/%2e%2e/%2e%2e/etc/passwd", None).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

fn gunzip(b: &[u8]) -> String {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::GzDecoder::new(b)
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn gzip_is_made_once_per_version_and_sent_whole_with_its_own_etag() {
    let (dir, app) = package();
    let loader = "// the loader\n".repeat(200);
    std::fs::write(dir.0.join("wl.js"), &loader).unwrap();

    let plain = get_with(&app, "/wl.js", None, None).await;
    assert_eq!(h(&plain, "content-encoding"), "");
    assert_eq!(h(&plain, "vary"), "accept-encoding");
    let plain_tag = h(&plain, "etag").to_owned();

    let res = get_with(&app, "/wl.js", None, Some("gzip, deflate")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, "content-encoding"), "gzip");
    assert_eq!(h(&res, "vary"), "accept-encoding");
    // Resource Timing may read how long it took, from any site (as CDNs allow).
    assert_eq!(h(&res, "timing-allow-origin"), "*");
    let tag = h(&res, "etag").to_owned();
    assert_ne!(
        tag, plain_tag,
        "another representation, another strong ETag"
    );
    let len: usize = h(&res, "content-length").parse().expect("a Content-Length");
    let body = to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert_eq!(body.len(), len);
    assert!(
        body.len() < loader.len() / 10,
        "gzip -9 of a repetitive file"
    );
    assert_eq!(gunzip(&body), loader);

    // Either tag is this version: 304.
    for held in [&tag, &plain_tag] {
        let res = get_with(&app, "/wl.js", Some(held), Some("gzip")).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{held}");
        assert_eq!(h(&res, "etag"), tag);
    }
    // A client that refuses gzip gets the bytes as they are.
    for refuses in ["gzip;q=0", "identity", "br", "gzip;q=0, *"] {
        let res = get_with(&app, "/wl.js", None, Some(refuses)).await;
        assert_eq!(h(&res, "content-encoding"), "", "{refuses}");
        assert_eq!(to_bytes(res.into_body(), 1 << 20).await.unwrap(), loader);
    }
    let res = get_with(&app, "/wl.js", None, Some("br;q=1, *;q=0.5")).await;
    assert_eq!(h(&res, "content-encoding"), "gzip");

    // A new build of the file is served at once (the memory copy is per version), with a new tag.
    let next = "// the loader, next build\n".repeat(300);
    std::fs::write(dir.0.join("wl.js"), &next).unwrap();
    let res = get_with(&app, "/wl.js", Some(&tag), Some("gzip")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_ne!(h(&res, "etag"), tag);
    let body = to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert_eq!(gunzip(&body), next);

    // Images are not compressed again, and do not vary.
    std::fs::write(dir.0.join("logo.png"), [0x89u8; 4000]).unwrap();
    let res = get_with(&app, "/logo.png", None, Some("gzip")).await;
    assert_eq!(h(&res, "content-encoding"), "");
    assert_eq!(h(&res, "vary"), "");
}
