//! The provider's shared state, handed explicitly to every handler.

use std::ops::Deref;
use std::sync::Arc;

use crate::clock::Clock;
use crate::hub::Hub;
use crate::identity::keys::SigningKey;
use crate::identity::throttle::Throttle;
use crate::identity::tokens::TokenCache;
use crate::store::db::Db;

/// How long a grant and its access tokens live when "Remember this connection" stayed ticked.
pub const REMEMBER_TTL: i64 = 365 * 86_400;
/// How long they live when it was unticked.
pub const SHORT_TTL: i64 = 3 * 3600;
/// How long a provider sign-in session lasts.
pub const SESSION_TTL: i64 = 14 * 86_400;
/// How long an ID token is valid.
pub const ID_TOKEN_TTL: i64 = 3600;
/// Default lifetime of an authorization code.
pub const CODE_TTL: i64 = 60;

/// Everything handlers share. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// The fields behind [`AppState`].
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub db: Db,
    /// The clock (tests advance it).
    pub clock: Clock,
    /// The ID-token signing key.
    pub key: SigningKey,
    /// The issuer: the provider origin, no trailing slash.
    pub issuer: String,
    /// Add `Cross-Origin-Opener-Policy: same-origin` to provider HTML pages.
    pub coop: bool,
    /// Demo data is on (the sign-in page says the demo password).
    pub demo: bool,
    /// Authorization code lifetime in seconds (≤ 60).
    pub code_ttl: i64,
    /// Validated access tokens.
    pub tokens: TokenCache,
    /// Failed sign-in throttling.
    pub throttle: Throttle,
    /// An argon2id hash checked when the username is unknown, so timing does not tell.
    pub dummy_hash: String,
    /// The messenger hub: who is online, their connections, the message writer.
    pub hub: Hub,
}

impl AppState {
    /// Wraps the fields.
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
