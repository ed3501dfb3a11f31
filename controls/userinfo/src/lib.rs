//! The <wl-userinfo> control.
