//! Small helpers at the JavaScript edge: reading option objects, building result objects, time,
//! and turning [`Error`] into the `{ code, message }` object pages see.
//!
//! The few JavaScript built-ins the core calls are declared here rather than taken from `js-sys`
//! (which would also bring its futures runtime and closure shims into the module).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JavaScript array (only what the core uses of it).
    pub type Array;
    #[wasm_bindgen(js_name = Array)]
    fn new_array() -> Array;
    /// `array.push(value)`.
    #[wasm_bindgen(method)]
    pub fn push(this: &Array, value: &JsValue) -> u32;
    #[wasm_bindgen(method)]
    fn join(this: &Array, separator: &str) -> String;
    #[wasm_bindgen(method, getter)]
    fn length(this: &Array) -> u32;
    #[wasm_bindgen(js_name = Object)]
    fn new_object() -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    // Not `catch`: only ever called on objects the core made (`Reflect.set` throws only when the
    // target is not an object).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> bool;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Date)]
    fn now() -> f64;
}

/// A new empty object.
pub fn object() -> JsValue {
    new_object()
}

/// A new empty array.
pub fn array() -> Array {
    new_array()
}

/// A new array of strings.
pub fn strings<'a>(items: impl Iterator<Item = &'a str>) -> JsValue {
    let a = new_array();
    for s in items {
        a.push(&JsValue::from_str(s));
    }
    a.into()
}

/// The items of an array (`None` if `v` is not one).
pub fn items(v: &JsValue) -> Option<Vec<JsValue>> {
    if !v.is_array() {
        return None;
    }
    let a: &Array = v.unchecked_ref();
    Some(
        (0..a.length())
            .map(|i| reflect_get(v, &JsValue::from(i)).unwrap_or(JsValue::UNDEFINED))
            .collect(),
    )
}

/// `JSON.parse`.
pub fn parse_json(text: &str) -> Option<JsValue> {
    json_parse(text).ok()
}

/// `JSON.stringify` (`None` for what has no JSON form, e.g. a function).
pub fn to_json(v: &JsValue) -> Option<String> {
    json_stringify(v).ok().and_then(|s| s.as_string())
}

/// An array's items joined with `separator` (`None` if `v` is not an array).
pub fn join(v: &JsValue, separator: &str) -> Option<String> {
    v.is_array()
        .then(|| v.unchecked_ref::<Array>().join(separator))
}

/// A property of a JS value, if it is set and not null.
pub fn get(v: &JsValue, key: &str) -> Option<JsValue> {
    reflect_get(v, &JsValue::from_str(key))
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
        return to_json(&x);
    }
    join(&x, " ")
}

/// Sets a property on an object the core made ([`object`]).
pub fn set(o: &JsValue, key: &str, val: impl Into<JsValue>) {
    set_value(o, key, &val.into());
}

/// [`set`], not generic (one copy in the wasm for every value type).
#[inline(never)]
fn set_value(o: &JsValue, key: &str, val: &JsValue) {
    let _ = reflect_set(o, &JsValue::from_str(key), val);
}

/// Seconds since the epoch.
pub fn now_secs() -> f64 {
    now() / 1000.0
}

impl crate::loader::Json for JsValue {
    fn get(&self, key: &str) -> Option<Self> {
        get(self, key)
    }
    fn string(&self) -> Option<String> {
        self.as_string()
    }
    fn text(&self) -> Option<String> {
        if let Some(s) = self.as_string() {
            return Some(s);
        }
        if let Some(b) = self.as_bool() {
            return Some(if b { "true" } else { "false" }.into());
        }
        if self.as_f64().is_some() {
            return to_json(self);
        }
        join(self, " ")
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn items(&self) -> Option<Vec<Self>> {
        items(self)
    }
    fn to_json(&self) -> Option<String> {
        to_json(self)
    }
    fn parse(text: &str) -> Option<Self> {
        parse_json(text)
    }
}
