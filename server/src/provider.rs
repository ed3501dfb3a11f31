//! The provider origin: the routers of the product areas ([`crate::identity`], [`crate::api`],
//! [`crate::hub`], [`crate::pages`]) joined, with the layers that span them: CORS on the APIs,
//! security headers on every answer.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;
use crate::web::csp;

/// The provider's router (used by `main` and by the tests).
pub fn provider_router(state: AppState) -> Router {
    let apis = Router::new()
        .merge(crate::identity::routes())
        .merge(crate::api::router())
        .merge(crate::hub::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::stats::count_api,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), cors));
    let public = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(crate::pages::assets());
    Router::new()
        .merge(apis)
        .merge(crate::pages::routes(state.clone()))
        .merge(public)
        .fallback(crate::pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), page_headers))
        .with_state(state)
}

/// `GET /healthz` (liveness; always 200 while the process serves HTTP): this instance's own
/// state, `{"status": "ok", "hub_connections": n}`, and with a bus also `"instance"` (its name,
/// as in `X-WL-Instance`) and `"bus": "ok" | "degraded"` (degraded: it serves its own
/// connections only). Behind a balancer, ask an instance's own port.
async fn healthz(State(state): State<AppState>) -> Response {
    let mut body = serde_json::json!({
        "status": "ok",
        "hub_connections": state.hub.open_connections(),
    });
    if state.bus.shared() {
        body["instance"] = serde_json::json!(state.bus.instance());
        body["bus"] = serde_json::json!(if state.bus.degraded() {
            "degraded"
        } else {
            "ok"
        });
    }
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// `GET /readyz`: 200 while this instance can serve everything (the database answers and, with
/// a bus, Redis is reachable), else 503 with the stable code `not_ready` and what is down; a
/// balancer takes an instance out while it is not ready.
async fn readyz(State(state): State<AppState>) -> Response {
    // A balancer polls this every few seconds: answer within one.
    let ping = async {
        let mut c = state.db.conn().await?;
        crate::store::meta::ping(&mut c).await
    };
    let database = matches!(
        tokio::time::timeout(std::time::Duration::from_secs(1), ping).await,
        Ok(Ok(()))
    );
    let bus = match (state.bus.shared(), state.bus.degraded()) {
        (false, _) => "none",
        (true, false) => "ok",
        (true, true) => "degraded",
    };
    let ready = database && bus != "degraded";
    let mut body = serde_json::json!({
        "ready": ready,
        "database": if database { "ok" } else { "unavailable" },
        "bus": bus,
    });
    if !ready {
        body["error"] = serde_json::json!({
            "code": "not_ready",
            "message": "This instance cannot serve everything right now: the database or the bus is down.",
        });
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

/// Security headers: `nosniff` and `Referrer-Policy: same-origin` on every answer; on HTML pages
/// also no framing, strict CSP, no caching, and `Cross-Origin-Opener-Policy` when configured.
async fn page_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    // With several instances, which one answered (a balancer's tests and logs use it).
    if state.bus.shared()
        && let Ok(v) = HeaderValue::from_str(state.bus.instance())
    {
        h.insert("x-wl-instance", v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Every answer (pages, redirects to apps, API errors): no URL of the provider — with a
    // code, a consent request or a badge link in it — leaks to another origin in a `Referer`.
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
    // the provider's own forms, and the forms' origin check needs their real `Origin`.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if is_html {
        if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
            h.insert(header::CONTENT_SECURITY_POLICY, csp(None));
        }
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if state.coop {
            h.insert(
                "cross-origin-opener-policy",
                HeaderValue::from_static("same-origin"),
            );
        }
    }
    res
}

/// CORS for the APIs: any origin registered by an app may call them (the `/token` and
/// `/revoke` handlers further check the origin belongs to the calling client).
async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let allowed = match &origin {
        Some(o) => match state.db.conn().await {
            Ok(mut c) => crate::identity::apps::origin_registered(&mut c, o)
                .await
                .unwrap_or(false),
            Err(_) => false,
        },
        None => false,
    };
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut res = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    if let (true, Some(o)) = (allowed, origin.and_then(|o| HeaderValue::from_str(&o).ok())) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        if preflight {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("Authorization, Content-Type, If-Match, If-None-Match"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        } else {
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("WWW-Authenticate, Location, ETag"),
            );
        }
    }
    res
}
