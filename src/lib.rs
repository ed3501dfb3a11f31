//! wl-connect loader core.
