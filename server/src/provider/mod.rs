//! The provider origin: OIDC/OAuth endpoints, the people-facing pages and the data APIs.

pub mod activities;
pub mod api;
pub mod api_error;
pub mod authorize;
pub mod consent;
pub mod contacts;
pub mod data;
pub mod format;
pub mod oauth;
pub mod openapi;
pub mod portable;
pub mod web;
pub mod xml;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::{AppError, PageError};
use crate::state::AppState;

/// The provider's router (used by `main` and by the tests).
pub fn provider_router(state: AppState) -> Router {
    let apis = Router::new()
        .route("/.well-known/openid-configuration", get(oauth::discovery))
        .route("/jwks.json", get(oauth::jwks))
        .route("/token", post(oauth::token))
        .route("/revoke", post(oauth::revoke))
        .route("/userinfo", get(api::userinfo).post(api::userinfo))
        // Every /v1 API (the route table in openapi.rs, plus activities' routes), with the
        // $format/Accept layer and the request_url_invalid / request_method_invalid answers.
        .merge(openapi::v1_router(activities::api_routes()))
        .merge(crate::hub::routes())
        .layer(middleware::from_fn_with_state(state.clone(), cors));
    let pages = Router::new()
        .route(
            "/",
            get(|| async { web::redirect(StatusCode::FOUND, "/consent") }),
        )
        .route("/authorize", get(authorize::authorize))
        .route("/authorize/decision", post(authorize::decision))
        .route("/signin", post(authorize::signin))
        .route("/signout", post(authorize::signout))
        .route("/consent", get(consent::page))
        .route("/consent/revoke", post(consent::revoke))
        .route("/people/{id}", get(profile_page))
        .merge(activities::page_routes());
    let public = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/assets/provider.css", get(stylesheet))
        .route("/pictures/{file}", get(picture));
    Router::new()
        .merge(apis)
        .merge(pages)
        .merge(public)
        .fallback(|| async {
            PageError(AppError::Page {
                status: StatusCode::NOT_FOUND,
                code: "not_found",
                title: "Page not found",
                message: "There's nothing at this address.".into(),
            })
        })
        .layer(middleware::from_fn_with_state(state.clone(), page_headers))
        .with_state(state)
}

/// Security headers on every provider HTML page: no framing, strict CSP, no caching, and
/// `Cross-Origin-Opener-Policy` when configured.
async fn page_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_html {
        if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
            h.insert(header::CONTENT_SECURITY_POLICY, web::csp(None));
        }
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
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
        Some(o) => state
            .db
            .with(|c| crate::apps::origin_registered(c, o))
            .unwrap_or(false),
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
                HeaderValue::from_static("GET, POST, OPTIONS"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("Authorization, Content-Type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        } else {
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("WWW-Authenticate, Location"),
            );
        }
    }
    res
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        crate::html::CSS,
    )
        .into_response()
}

/// `GET /pictures/{key}.svg`: a person's public avatar. Anyone may load it, from any origin.
async fn picture(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let key = file.strip_suffix(".svg").ok_or(AppError::NotFound)?;
    let person = state
        .db
        .with(|c| crate::people::by_picture_key(c, key))?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        person.avatar_svg(),
    )
        .into_response())
}

/// `GET /people/{id}`: the public profile page a `/v1/me` `link` points to.
async fn profile_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let person = state
        .db
        .with(|c| crate::people::by_id(c, &id))?
        .ok_or(AppError::Page {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            title: "Page not found",
            message: "There's no one with this profile address.".into(),
        })?;
    Ok(Html(crate::html::profile_page(
        &person.display_name,
        &person.picture_url(&state.issuer),
    ))
    .into_response())
}
