//! Activities (ActivityStreams 2.0): `GET/POST /v1/me/activities`, `GET /v1/me/feed`,
//! `POST /v1/me/share`, activity templates, and the no-JavaScript sharing badge (`/badge`).
//!
//! - [`store`]: the SQLite rows, audiences, links and time-ordered ids.
//! - [`templates`]: named activity templates with `{placeholder}`s.
//! - [`api`]: the bearer-token endpoints and their OData-queryable collections.
//! - [`badge`], [`badge_view`]: the provider pages behind `<a href="…/badge?url=…">`.
//! - [`seed`]: demo activities for the demo people.
//!
//! The shape and the rules are documented for site developers in `docs/activities.md`.

pub mod api;
pub mod badge;
pub mod badge_view;
pub mod seed;
pub mod store;
pub mod templates;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The `/v1` routes of this module (behind the API CORS layer).
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/v1/me/activities", get(api::own).post(api::create))
        .route("/v1/me/feed", get(api::feed))
        .route("/v1/me/share", axum::routing::post(api::share))
}

/// The people-facing pages of this module (the sharing badge).
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/badge", get(badge::page).post(badge::submit))
        .route("/badge/shared", get(badge::shared))
        .route("/badge/badge.css", get(badge::stylesheet))
}
