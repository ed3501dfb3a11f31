//! The routers driven in-process with `oneshot` (no listener), as `main` builds them.
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wl_server::{SiteConfig, provider_router, site_router};

#[tokio::test]
async fn provider_router_answers_without_a_listener() {
    let dir = crate::common::TempDir::new();
    let state =
        wl_server::server::open_state(&crate::common::config(&dir), "http://127.0.0.1:1").unwrap();
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
