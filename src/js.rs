//! Small helpers at the JavaScript edge: reading option objects, building result objects,
//! Web Crypto, time, and turning [`Error`] into the `{ code, message }` object pages see.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::error::Error;

/// The global `window`, or an error outside a window (a worker, Node).
pub fn window() -> Result<web_sys::Window, Error> {
    web_sys::window().ok_or_else(|| Error::config("wl-connect needs a browser window"))
}

/// A property of a JS value, if it is set and not null.
pub fn get(v: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(v, &JsValue::from_str(key))
        .ok()
        .filter(|x| !x.is_undefined() && !x.is_null())
}

/// A property as a string: strings as they are, numbers and booleans in their usual form,
/// arrays joined with spaces (so `scope: ["a", "b"]` works).
pub fn get_string(v: &JsValue, key: &str) -> Option<String> {
    let x = get(v, key)?;
    if let Some(s) = x.as_string() {
        return Some(s);
    }
    if let Some(b) = x.as_bool() {
        return Some(if b { "true" } else { "false" }.into());
    }
    if x.as_f64().is_some() {
        return js_sys::JSON::stringify(&x).ok().and_then(|s| s.as_string());
    }
    if x.is_array() {
        return js_sys::Array::from(&x).join(" ").as_string();
    }
    None
}

/// A numeric property.
pub fn get_f64(v: &JsValue, key: &str) -> Option<f64> {
    get(v, key).and_then(|x| x.as_f64())
}

/// Sets a property on an object (ignoring failures on frozen objects).
pub fn set(o: &Object, key: &str, val: impl Into<JsValue>) {
    let _ = Reflect::set(o, &JsValue::from_str(key), &val.into());
}

/// Seconds since the epoch.
pub fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// Cryptographically random bytes from `crypto.getRandomValues`.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut buf = [0u8; N];
    window()?
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut buf))
        .map_err(|_| Error::config("Web Crypto is not available (the page must be served over https or from localhost)"))?;
    Ok(buf)
}

/// SHA-256 of `data` with `crypto.subtle.digest`.
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, Error> {
    let unavailable = || {
        Error::config(
            "Web Crypto is not available (the page must be served over https or from localhost)",
        )
    };
    let subtle = window()?.crypto().map_err(|_| unavailable())?.subtle();
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", data)
        .map_err(|_| unavailable())?;
    let buf = JsFuture::from(promise).await.map_err(|_| unavailable())?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// The `{ code, message }` object a promise rejects with (plus `scope` for `insufficient_scope`).
pub fn error_to_js(e: &Error) -> JsValue {
    let o = Object::new();
    set(&o, "code", e.code());
    set(&o, "message", e.message());
    if let Error::InsufficientScope(scope) = e {
        set(&o, "scope", scope.as_str());
    }
    o.into()
}

/// Calls a JS function with one argument; a throwing handler is reported, not propagated.
pub fn call(f: &js_sys::Function, arg: &JsValue) {
    if let Err(e) = f.call1(&JsValue::NULL, arg) {
        web_sys::console::error_2(&JsValue::from_str("wl-connect: an event handler threw"), &e);
    }
}

/// A `Window` from a JS value, if it is an object. (A popup's window belongs to another realm,
/// so `instanceof Window` is false for it: no `dyn_into` here.)
pub fn as_window(v: JsValue) -> Option<web_sys::Window> {
    v.is_object().then(|| v.unchecked_into::<web_sys::Window>())
}
