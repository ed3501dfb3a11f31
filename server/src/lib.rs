//! The wl-connect reference provider and dev host.
//!
//! Two origins: the **provider** (OpenID Connect discovery and JWKS, `/authorize` with sign-in
//! and consent, `/token`, `/userinfo`, `/revoke`, the connected-apps page and the `/v1` data
//! APIs) and the **site** (static files: the loader, demo pages, the Playground). Both routers
//! are plain functions of their state, used by `main` and by the tests.
//!
//! The provider's modules follow its product areas:
//!
//! - [`identity`]: who someone is and what they allowed — apps, people, sessions, sign-in
//!   throttling, scopes, PKCE, grants and tokens, the signing key, the OAuth/OIDC endpoints.
//! - [`api`]: the `/v1` data API — the route table, its OpenAPI rendering, the collections.
//! - [`hub`]: the messenger hub (WebSocket).
//! - [`pages`]: the server-rendered HTML pages (sign-in, consent, connected apps, badge).
//! - [`store`]: the SQLite database, its rows and the demo data.

// The OpenAPI document's component schemas are one `serde_json::json!` literal
// (`api/openapi.rs`), deeper than the default macro recursion limit allows.
#![recursion_limit = "256"]
#![deny(missing_docs)]
// Unit tests may unwrap: a panic there is a test failure with a message.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
pub mod bus;
pub mod clock;
pub mod crypto;
pub mod error;
pub mod feeds;
pub mod hub;
pub mod identity;
pub mod images;
pub mod odata;
pub mod pages;
pub mod provider;
pub mod server;
pub mod site;
pub mod state;
pub mod stats;
pub mod store;
pub mod web;

pub use error::{AppError, AppResult};
pub use provider::provider_router;
pub use server::{Config, Running, start};
pub use site::{SiteConfig, site_router};
pub use state::AppState;
