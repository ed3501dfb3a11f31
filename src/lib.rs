//! wl-connect loader core: configuration, the `WL` JavaScript API behind `wl.js`, the OAuth 2.0
//! authorization code + PKCE popup flow, the session, events and the API client.
//!
//! The loader is one pure state machine, [`loader::Loader`], tested natively, with the pure
//! logic it uses (`config`, `pkce`, `state`, `scope`, `oidc`, `session`, `api` URL building and
//! error mapping, `userinfo`). Its wasm edge is one export, [`machine::step`]: `wl.js` carries out
//! the effects it returns (fetch, the popup, timers, storage, events). Pages use `window.WL`,
//! never this export directly.
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
pub mod machine;
pub mod oidc;
pub mod pkce;
pub mod scope;
pub mod session;
pub mod state;
pub mod userinfo;

pub use error::Error;
