//! The control kit of wl-connect: what `<wl-signin>`, `<wl-userinfo>` and `<wl-bar>` share.
//!
//! Three layers, over pure data:
//! - [`edge`]: the browser built-ins the controls call (declared here instead of
//!   `web-sys`/`js-sys`, and without `core::fmt`: a smaller module), listener guards, the one
//!   shadow-root builder with constructed style sheets, logos, [`edge::cell::Slot`];
//! - [`wl`]: the public `window.WL` API, the only way the controls reach the core, and
//!   [`wl::WlError`], the one typed error for its `{ code, message }`;
//! - [`i18n`]: one [`i18n::Locale`] and the label tables.
//!
//! The pure parts — every control's attribute table and its parsing ([`attrs`]; each control's
//! typed configuration is in its own crate), [`i18n`], [`warning`] and [`profile`] — are plain
//! Rust with native unit tests.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub mod attrs;
pub mod edge;
pub mod i18n;
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
