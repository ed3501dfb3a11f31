//! Activities (ActivityStreams 2.0): `GET/POST /v1/me/activities`, `GET /v1/me/feed`,
//! `POST /v1/me/share` and the activity templates. The rows are in
//! [`crate::store::activities`]; the no-JavaScript sharing badge is a page
//! ([`crate::pages::badge`]).
//!
//! - [`templates`]: named activity templates with `{placeholder}`s.
//! - [`handlers`]: the bearer-token endpoints and their OData-queryable collections.
//!
//! The shape and the rules are documented for site developers in `docs/activities.md`.

pub mod handlers;
pub mod templates;
