//! Shared pieces of the wl-connect controls.
