//! The Controls Playground's pure logic: which attributes each control has and the markup a
//! page pastes (plain Rust, tested natively, shared by the Playground and the tests).
//!
//! - [`catalogue`]: the controls and their attributes with defaults,
//! - [`state`]: the Playground's settings and their URL form,
//! - [`snippet`]: the copy-paste markup, escaped, and the set-up a page needs,
//! - [`first_paint`]: a control's first paint written into the page (declarative shadow DOM),
//! - [`origin`]: the person's own site's origin, checked,
//! - [`api`]: the API Playground's calls, OData options and the JavaScript to paste,
//! - [`format`]: XML indentation for the REST Explorer.

#![deny(missing_docs)]

pub mod api;
pub mod catalogue;
pub mod first_paint;
pub mod format;
pub mod origin;
pub mod percent;
pub mod snippet;
pub mod state;
