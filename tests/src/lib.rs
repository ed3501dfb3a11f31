//! Shared support for the browser end-to-end tests.
