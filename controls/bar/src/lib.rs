//! `<wl-bar>`: the Messenger bar. Its own wasm module (`pkg/wl_bar.js`), fetched by the
//! bootstrap only when a `<wl-bar>` element appears; it reaches the core only through `window.WL`
//! and the messenger hub (docs/messenger.md).
//!
//! Pure modules (native unit tests): [`protocol`], [`state`], [`persist`], [`backoff`],
//! [`activity`], [`i18n`]. The browser edge is the kit's (`wl_controls_common::edge`: bindings
//! declared without `web-sys`/`js-sys`, listener and timer guards, the shadow root): on it sit
//! [`view`], [`hub`] and the exported [`WlBar`], in three parts: the element (`element`), the hub
//! connection and session (`connection`) and the person's actions (`actions`).
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod activity;
pub mod api;
pub mod backoff;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fixtures;
pub mod i18n;
pub mod json;
pub mod persist;
pub mod protocol;
pub mod state;

mod actions;
mod client;
mod element;
pub mod hub;
mod messenger;
pub mod style;
pub mod view;

pub use element::{SCOPES, WlBar};
pub use messenger::messenger;
pub use style::CSS;

/// A small free-list allocator instead of std's dlmalloc (as the other wasm modules).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
