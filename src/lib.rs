//! wl-connect loader core: configuration, the `WL` JavaScript API behind `wl.js`, the OAuth 2.0
//! authorization code + PKCE popup flow, the session, events and the API client.
//!
//! Pure logic (`config`, `pkce`, `state`, `scope`, `oidc`, `session`, `api` URL
//! building and error mapping) is plain Rust tested natively. The exported [`steps`] are
//! synchronous: `wl.js` does the waiting (fetch, the popup, timers, events) and asks this module
//! for every decision. Pages use `window.WL`, never these exports directly.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

/// A small free-list allocator (safe to construct; no `unsafe` here) in place of dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

pub mod api;
pub mod b64;
pub mod config;
pub mod error;
pub mod js;
pub mod loader;
pub mod oidc;
pub mod pkce;
pub mod scope;
pub mod session;
pub mod state;
#[cfg(not(feature = "machine"))]
pub mod steps;
/// With the `machine` feature (measurement only), `steps` is [`Loader`](loader::Loader)'s one
/// wasm entry point instead (src/machine.rs).
#[cfg(feature = "machine")]
#[path = "machine.rs"]
pub mod steps;
pub mod userinfo;

pub use error::Error;
