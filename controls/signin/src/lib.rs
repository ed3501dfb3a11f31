//! The <wl-signin> control.
