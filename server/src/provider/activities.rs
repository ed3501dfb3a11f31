//! Activities (ActivityStreams 2.0): `GET/POST /v1/me/activities`, `GET /v1/me/feed`,
//! `POST /v1/me/share`, activity templates, and the no-JavaScript sharing badge (`/badge`).

use axum::Router;

use crate::state::AppState;

/// The `/v1` routes of this module (behind the API CORS layer).
pub fn api_routes() -> Router<AppState> {
    Router::new()
}

/// The people-facing pages of this module (the sharing badge).
pub fn page_routes() -> Router<AppState> {
    Router::new()
}
