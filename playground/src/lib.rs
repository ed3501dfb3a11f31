//! The Controls Playground, the API Playground and the REST Explorer: a yew app the site serves
//! as its landing page (docs/playground.md).
//!
//! The pure parts (control catalogue, markup generator, URL state, API calls) are `wl-markup`;
//! this crate is the UI and the thin edge to the browser: the preview frame, `fetch`, the URL.

#![deny(clippy::unwrap_used)]

mod api_view;
mod app;
mod dom;
mod editor;
mod error;
mod frame;
mod preview;
mod rest_view;
mod snippet_view;
mod store;

pub use app::App;
pub use error::Error;

/// Mounts the Playground on the page's `<body>`.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
