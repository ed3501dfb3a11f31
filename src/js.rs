//! Small helpers at the JavaScript edge: reading option objects, building result objects, time,
//! and turning [`Error`] into the `{ code, message }` object pages see.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::error::Error;

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
