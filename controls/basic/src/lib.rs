//! `wl_controls`: the module the bootstrap loads for both `<wl-signin>` and `<wl-userinfo>`.
//!
//! The two controls live in their own crates (`wl-signin`, `wl-userinfo`); this crate only links
//! them into one cdylib so a page pays for one copy of the wasm-bindgen runtime, the allocator and
//! std instead of two. The re-exports keep both `#[wasm_bindgen]` classes in the module's exports
//! (docs/contracts.md, "element shim protocol").
//!
//! With the `core` feature it links the loader core (`wl-connect`) too: `pkg/wl_connect_controls`,
//! the one module a page that has controls when it loads fetches (the core's `step` and both
//! classes, one runtime). The core does not know the controls and the controls do not call the
//! core's exports: they still reach it only through `window.WL`, as in separate modules.
#![deny(missing_docs)]

pub use wl_signin::WlSignin;
pub use wl_userinfo::WlUserinfo;

/// The core's state machine's one export, `step` (`wl.js` interprets its effects), linked into
/// this module.
#[cfg(feature = "core")]
pub use wl_connect::machine;

/// A small free-list allocator (safe to construct; no `unsafe` here) in place of dlmalloc. With
/// `core`, wl-connect declares the same one.
#[cfg(all(target_arch = "wasm32", not(feature = "core")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
