//! The `/v1` data API (Live Connect style REST, bearer tokens).
//!
//! - [`routes`]: the route table — each endpoint's path, method, scope and handler — from which
//!   the router is built; [`openapi`] only renders it ([`endpoint`] is the entry's shape).
//! - [`profile`]: `/v1/me`, `/v1/{id}` and pictures.
//! - [`collections`]: the OData-queryable collection machinery and `/v1/me/friends`.
//! - [`contacts`]: `/v1/me/contacts`, `GET` and `POST`.
//! - [`activities`]: ActivityStreams activities, the feed and sharing.
//! - [`portable`], [`format`](mod@format), [`xml`]: Portable Contacts, `$format`/`Accept` and the XML form.
//! - [`error`]: the `/v1` error answers.

pub mod activities;
pub mod app_stats;
pub mod collections;
pub mod contacts;
pub mod endpoint;
pub mod error;
pub mod format;
pub mod openapi;
pub mod portable;
pub mod profile;
pub mod routes;
pub mod xml;

use axum::Router;

use crate::state::AppState;

/// Every `/v1` API (the route table), with the `$format`/`Accept` layer and the
/// `request_url_invalid` / `request_method_invalid` answers. The hub's router is merged in by
/// [`crate::provider`].
pub fn router() -> Router<AppState> {
    routes::v1_router()
}
