//! The wl-connect reference provider and dev host.
//!
//! Two origins: the **provider** (OpenID Connect discovery and JWKS, `/authorize` with sign-in
//! and consent, `/token`, `/userinfo`, `/revoke`, the connected-apps page and the `/v1` data
//! APIs) and the **site** (static files: the loader, demo pages, the Playground). Both routers
//! are plain functions of their state, used by `main` and by the tests.
#![deny(missing_docs)]
// Unit tests may unwrap: a panic there is a test failure with a message.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod apps;
pub mod clock;
pub mod crypto;
pub mod db;
pub mod error;
pub mod html;
pub mod hub;
pub mod keys;
pub mod odata;
pub mod people;
pub mod pkce;
pub mod provider;
pub mod scopes;
pub mod seed;
pub mod server;
pub mod site;
pub mod state;
pub mod throttle;
pub mod tokens;

pub use error::{AppError, AppResult};
pub use provider::provider_router;
pub use server::{Config, Running, start};
pub use site::{SiteConfig, site_router};
pub use state::AppState;
