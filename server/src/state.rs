//! The provider's shared state, handed explicitly to every handler.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;

use crate::clock::Clock;
use crate::hub::{Hub, HubState};
use crate::identity::sessions::Sessions;
use crate::identity::throttle::Throttle;
use crate::identity::tokens::Tokens;
use crate::store::db::Db;

/// Everything handlers share. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// The fields behind [`AppState`].
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub db: Arc<Db>,
    /// The clock (tests advance it).
    pub clock: Arc<Clock>,
    /// The issuer: the provider origin, no trailing slash.
    pub issuer: String,
    /// Add `Cross-Origin-Opener-Policy: same-origin` to provider HTML pages.
    pub coop: bool,
    /// Demo data is on (the sign-in page says the demo password).
    pub demo: bool,
    /// The right-to-left pseudo-locale `ar-XB` may be asked for (`ui_locales`,
    /// `Accept-Language`): an operator's and the tests' setting for checking layouts.
    pub pseudo_locale: bool,
    /// Grants, codes and tokens (the signing key, the code lifetime, the token cache).
    pub tokens: Tokens,
    /// Failed sign-in throttling.
    pub throttle: Throttle,
    /// An argon2id hash checked when the username is unknown, so timing does not tell.
    pub dummy_hash: String,
    /// The messenger hub: who is online, their connections, the message writer.
    pub hub: Arc<Hub>,
    /// The secret key the forms' CSRF tokens are HMACs under (kept in the `meta` table, so
    /// open forms survive a restart).
    pub csrf_key: [u8; 32],
    /// Cross-instance state (none without `--bus`).
    pub bus: crate::bus::Bus,
    /// Feed polling: the operator's settings and the fetcher (issue 17).
    pub feeds: crate::feeds::Feeds,
}

impl AppState {
    /// Wraps the fields.
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }
}

impl AppState {
    /// What the provider's sessions and form tokens need ([`Sessions`]).
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions {
            db: &self.db,
            clock: &self.clock,
            issuer: &self.issuer,
            csrf_key: &self.csrf_key,
        }
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl FromRef<AppState> for Tokens {
    fn from_ref(state: &AppState) -> Self {
        state.tokens.clone()
    }
}

impl FromRef<AppState> for HubState {
    fn from_ref(state: &AppState) -> Self {
        HubState {
            hub: state.hub.clone(),
            db: state.db.clone(),
            clock: state.clock.clone(),
            issuer: Arc::from(state.issuer.as_str()),
            tokens: state.tokens.clone(),
        }
    }
}
