//! `<wl-bar>`: the Messenger bar. Its own wasm module (`pkg/wl_bar.js`), fetched by the
//! bootstrap only when a `<wl-bar>` element appears; it reaches the core only through `window.WL`
//! and the messenger hub (docs/messenger.md).
