//! The `/v1` data API (Live Connect style REST, bearer tokens).
//!
//! - [`routes`]: the route table — each endpoint's path, method, scope and handler — from which
//!   the router is built; [`openapi`] only renders it ([`endpoint`] is the entry's shape).
//! - [`profile`]: `/v1/me`, `/v1/{id}` and pictures.
//! - [`collections`]: the OData-queryable collection machinery and `/v1/me/friends`.
//! - [`contacts`]: `/v1/me/contacts`, `GET` and `POST`, and one contact's `GET`/`PUT`/`PATCH`/`DELETE`.
//! - [`etag`]: entity tags and `If-Match`/`If-None-Match` of the single items.
//! - [`invitations`]: invitations to connect by e-mail address (no membership leak).
//! - [`activities`]: ActivityStreams activities, the feed and sharing.
//! - [`photos`]: albums, photos (upload, sizes); [`calendars`]: calendars, events and their
//!   iCalendar export ([`ical`]).
//! - [`portable`], [`format`](mod@format), [`xml`]: Portable Contacts, `$format`/`Accept` and the XML form.
//! - [`error`]: the `/v1` error answers.

pub mod activities;
pub mod app_stats;
pub mod body;
pub mod calendars;
pub mod collections;
pub mod contacts;
pub mod endpoint;
pub mod error;
pub mod etag;
pub mod format;
pub mod ical;
pub mod invitations;
pub mod openapi;
pub mod photos;
pub mod portable;
pub mod profile;
pub mod routes;
pub mod xml;

use axum::Router;

use crate::state::AppState;

/// The rows of the photo and calendar collections at `path` (for the OpenAPI document).
fn media_rows(path: &str) -> Option<&'static crate::store::collections::Source> {
    use crate::store::{calendars, photos as rows};
    match path {
        p if p == photos::ALBUMS.path => Some(&rows::ALBUM_ROWS),
        p if p == photos::ALBUM_PHOTOS.path => Some(&rows::PHOTO_ROWS),
        p if p == self::calendars::CALENDARS.path => Some(&calendars::CALENDAR_ROWS),
        p if p == self::calendars::EVENTS.path => Some(&calendars::EVENT_ROWS),
        _ => None,
    }
}

/// Every `/v1` API (the route table), with the `$format`/`Accept` layer and the
/// `request_url_invalid` / `request_method_invalid` answers. The hub's router is merged in by
/// [`crate::provider`].
pub fn router() -> Router<AppState> {
    routes::v1_router()
}
