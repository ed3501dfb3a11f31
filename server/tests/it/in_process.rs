//! The routers driven in-process with `oneshot` (no listener), as `main` builds them.
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wl_server::{SiteConfig, provider_router, site_router};

#[tokio::test]
async fn provider_router_answers_without_a_listener() {
    let dir = crate::common::TempDir::new();
    let state = wl_server::server::open_state(&crate::common::config(&dir), "http://127.0.0.1:1")
        .await
        .unwrap();
    let app = provider_router(state.clone());

    let res = app
        .clone()
        .oneshot(
            Request::get("/.well-known/openid-configuration")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: serde_json::Value =
        serde_json::from_slice(&to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
    assert_eq!(doc["issuer"], "http://127.0.0.1:1");
    assert_eq!(doc["wl_api_base"], "http://127.0.0.1:1/v1/");

    let res = app
        .clone()
        .oneshot(Request::get("/v1/me").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        res.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );

    let res = app
        .oneshot(Request::get("/no/such/page").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()[header::X_FRAME_OPTIONS], "DENY");
}

#[tokio::test]
async fn site_router_rewrites_html_only() {
    let dir = crate::common::TempDir::new();
    std::fs::write(dir.0.join("a.html"), "x http://127.0.0.1:8081 y").unwrap();
    std::fs::write(dir.0.join("a.js"), "x http://127.0.0.1:8081 y").unwrap();
    let app = site_router(SiteConfig {
        dirs: vec![dir.0.clone()],
        provider_origin: "http://127.0.0.1:9999".into(),
    });
    let body = |res: axum::response::Response| async {
        String::from_utf8(to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap()
    };
    let res = app
        .clone()
        .oneshot(Request::get("/a.html").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(body(res).await, "x http://127.0.0.1:9999 y");
    let res = app
        .oneshot(Request::get("/a.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(body(res).await, "x http://127.0.0.1:8081 y");
}

/// The loader is hosted like a CDN: a page on another origin may import `wl.js`'s modules and
/// fetch the wasm (CORS, CORP), while the site's own HTML pages stay same-origin only.
#[tokio::test]
async fn site_serves_scripts_and_wasm_to_any_origin_but_not_pages() {
    let dir = crate::common::TempDir::new();
    std::fs::create_dir_all(dir.0.join("pkg")).unwrap();
    std::fs::write(dir.0.join("wl.js"), "// loader").unwrap();
    std::fs::write(dir.0.join("pkg/m.js"), "export default 1").unwrap();
    std::fs::write(dir.0.join("pkg/m_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.0.join("page.html"), "<p>site page</p>").unwrap();
    let app = site_router(SiteConfig {
        dirs: vec![dir.0.clone()],
        provider_origin: "http://127.0.0.1:8081".into(),
    });
    let get = |path: &str| {
        Request::get(path)
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .body(Body::empty())
            .unwrap()
    };
    for (path, ctype) in [
        ("/wl.js", "text/javascript; charset=utf-8"),
        ("/pkg/m.js", "text/javascript; charset=utf-8"),
        ("/pkg/m_bg.wasm", "application/wasm"),
    ] {
        let res = app.clone().oneshot(get(path)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()[header::CONTENT_TYPE], ctype, "{path}");
        assert_eq!(
            res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "*",
            "{path}"
        );
        assert_eq!(
            res.headers()["cross-origin-resource-policy"],
            "cross-origin",
            "{path}"
        );
    }
    let res = app.oneshot(get("/page.html")).await.unwrap();
    assert!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
    assert!(res.headers().get("cross-origin-resource-policy").is_none());
}
