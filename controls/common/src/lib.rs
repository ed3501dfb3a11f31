//! Shared pieces of the wl-connect controls (`<wl-signin>`, `<wl-userinfo>`).
//!
//! The pure parts — every control's attribute table and their parsing ([`attrs`]; each control's
//! typed configuration is in its own crate), translated labels ([`i18n`]) and warnings
//! ([`warning`]) — are plain Rust with native unit tests. The thin browser edge is
//! [`dom`] (shadow root, constructed style sheets, text, events), [`logo`] (inline SVG) and
//! [`wl`] (the public `window.WL` API, the only way the controls reach the core), over [`js`]: the
//! few browser built-ins they call, declared here instead of `web-sys`/`js-sys` (smaller wasm).
//! [`cell::Slot`] holds a control's state.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub mod attrs;
pub mod cell;
pub mod dom;
pub mod i18n;
pub mod js;
pub mod logo;
pub mod profile;
#[cfg(feature = "testing")]
pub mod testing;
pub mod warning;
pub mod wl;

/// The font stack every control uses unless the page sets `--wl-font` (a literal, so that the
/// controls' CSS can `concat!` it).
#[macro_export]
macro_rules! font_stack {
    () => {
        "\"Segoe UI\",\"Segoe UI Web (West European)\",system-ui,-apple-system,BlinkMacSystemFont,Roboto,\"Helvetica Neue\",Arial,sans-serif"
    };
}
