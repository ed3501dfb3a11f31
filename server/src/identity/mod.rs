//! Identity: who someone is and what they allowed an app to do.
//!
//! - [`apps`], [`people`]: registered apps and people; [`app_templates`]: activity-template
//!   text (the apps' own templates and the built-in ones).
//! - [`authorize`]: an authorization request's checks (the pages are [`crate::pages`]).
//! - [`sessions`]: the provider's browser session and CSRF tokens; [`throttle`]: failed
//!   sign-ins.
//! - [`scopes`], [`pkce`], [`tokens`]: scopes, PKCE, grants, codes and tokens.
//! - [`keys`]: the ID-token signing key.
//! - [`oauth`], [`userinfo`]: the OAuth 2.0 / OpenID Connect endpoints.
//! - [`client_auth`]: confidential clients' secrets and how `/token` and `/revoke`
//!   authenticate a client.

pub mod app_templates;
pub mod apps;
pub mod authorize;
pub mod client_auth;
pub mod keys;
pub mod oauth;
pub mod people;
pub mod pkce;
pub mod scopes;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod userinfo;

use axum::Router;
use axum::routing::{get, post};

use axum::extract::FromRef;

use tokens::Tokens;

/// The OAuth 2.0 / OpenID Connect endpoints programs call (behind the API CORS layer), for any
/// router state the [`Tokens`] sub-state can be taken from.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Tokens: FromRef<S>,
{
    Router::new()
        .route("/.well-known/openid-configuration", get(oauth::discovery))
        .route("/jwks.json", get(oauth::jwks))
        .route("/token", post(oauth::token))
        .route("/revoke", post(oauth::revoke))
        .route(
            "/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
}
