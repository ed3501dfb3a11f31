//! `wl_controls`: the module the bootstrap loads for both `<wl-signin>` and `<wl-userinfo>`.
//!
//! The two controls live in their own crates (`wl-signin`, `wl-userinfo`); this crate only links
//! them into one cdylib so a page pays for one copy of the wasm-bindgen runtime, the allocator and
//! std instead of two. The re-exports keep both `#[wasm_bindgen]` classes in the module's exports
//! (docs/contracts.md, "element shim protocol").
#![deny(missing_docs)]

pub use wl_signin::WlSignin;
pub use wl_userinfo::WlUserinfo;

/// A small free-list allocator (safe to construct; no `unsafe` here) in place of dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
