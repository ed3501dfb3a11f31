//! wl-connect loader core: configuration, the `WL` JavaScript API behind `wl.js`, the OAuth 2.0
//! authorization code + PKCE popup flow, the session, events and the API client.
//!
//! Pure logic (`config`, `pkce`, `state`, `scope`, `oidc`, `session`, `api` URL building) is
//! plain Rust tested natively; the browser edge is thin. `wl.js` loads this module and calls
//! the exports below; pages use `window.WL`, never these exports directly.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub mod api;
pub mod b64;
pub mod config;
mod core;
pub mod error;
pub mod events;
pub mod guard;
pub mod js;
mod net;
pub mod oidc;
pub mod pkce;
pub mod popup;
pub mod scope;
pub mod session;
pub mod state;

use js_sys::Function;
use wasm_bindgen::prelude::*;

pub use error::Error;

fn edge<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| js::error_to_js(&e))
}

/// `WL.init(options)`: configures the loader once; resolves with `{ status, session }`.
#[wasm_bindgen]
pub async fn init(options: JsValue) -> Result<JsValue, JsValue> {
    edge(core::init(options).await)
}

/// `WL.login({ scope, state, fallback })` with the popup `wl.js` opened inside the user
/// gesture (`null` if it was blocked or not needed).
#[wasm_bindgen]
pub async fn login(options: JsValue, popup: JsValue) -> Result<JsValue, JsValue> {
    edge(core::login(options, js::as_window(popup)).await)
}

/// `WL.logout()`.
#[wasm_bindgen]
pub async fn logout() -> Result<JsValue, JsValue> {
    edge(core::logout().await)
}

/// `WL.getSession()`: the session object or `null`.
#[wasm_bindgen(js_name = getSession)]
pub fn get_session() -> JsValue {
    core::session_value()
}

/// `WL.getLoginStatus()`: `{ status, session }`.
#[wasm_bindgen(js_name = getLoginStatus)]
pub fn get_login_status() -> js_sys::Promise {
    match core::login_status() {
        Ok(v) => js_sys::Promise::resolve(&v),
        Err(e) => js_sys::Promise::reject(&js::error_to_js(&e)),
    }
}

/// `WL.api({ path, method, body, query })`.
#[wasm_bindgen]
pub async fn api(options: JsValue) -> Result<JsValue, JsValue> {
    edge(core::api(options).await.map_err(events::fail))
}

/// `WL.Event.subscribe(name, fn)`.
#[wasm_bindgen]
pub fn subscribe(name: &str, f: Function) {
    events::subscribe(name, f);
}

/// `WL.Event.unsubscribe(name, fn?)`.
#[wasm_bindgen]
pub fn unsubscribe(name: &str, f: Option<Function>) {
    events::unsubscribe(name, f.as_ref());
}

/// Fires `wl.log` (used by `wl.js` for problems it finds before or outside the core).
#[wasm_bindgen]
pub fn log(level: &str, code: Option<String>, message: &str) {
    events::log(level, code.as_deref(), message);
}

/// Whether the loader has been configured.
#[wasm_bindgen]
pub fn configured() -> bool {
    core::configured()
}
