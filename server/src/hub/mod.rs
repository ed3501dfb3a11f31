//! The messenger hub: a WebSocket endpoint for presence and instant messages between friends
//! (protocol in `docs/messenger.md`).

use axum::Router;

use crate::state::AppState;

/// The hub's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
