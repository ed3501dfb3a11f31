//! The bar's only way into the core: the public `window.WL` API, exactly as a page script would
//! call it (`getSession`, `login`, `logout`, `api`, `getProvider`, `Event.subscribe`).
//!
//! Every call looks `WL` up when made and catches throws, so a page without the loader (or an
//! older loader without `getProvider`) degrades to "no session" instead of aborting the control.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Errors at the `WL` boundary, with stable codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WlError {
    /// `window.WL` (or the method) is missing.
    #[error("the wl-connect loader is not on this page")]
    NoLoader,
    /// The core rejected, with its `{ code, message }`.
    #[error("{code}: {message}")]
    Core {
        /// Stable code (`access_denied`, `user_canceled`, `request_failed`, …).
        code: String,
        /// Message.
        message: String,
    },
}

impl WlError {
    /// Stable code.
    pub fn code(&self) -> &str {
        match self {
            WlError::NoLoader => "invalid_request",
            WlError::Core { code, .. } => code,
        }
    }

    fn from_js(v: &JsValue) -> Self {
        WlError::Core {
            code: get_str(v, "code").unwrap_or_else(|| "request_failed".into()),
            message: get_str(v, "message").unwrap_or_default(),
        }
    }
}

/// A property of a JS value, or `undefined`.
pub fn get(v: &JsValue, key: &str) -> JsValue {
    if v.is_object() || v.is_function() {
        Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A string property.
pub fn get_str(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

fn wl() -> Option<JsValue> {
    let w = get(&js_sys::global(), "WL");
    w.is_object().then_some(w)
}

fn call(path: &[&str], args: &[&JsValue]) -> Result<JsValue, WlError> {
    let mut this = wl().ok_or(WlError::NoLoader)?;
    let (last, parents) = path.split_last().ok_or(WlError::NoLoader)?;
    for p in parents {
        this = get(&this, p);
    }
    let f = get(&this, last);
    let f: &Function = f.dyn_ref().ok_or(WlError::NoLoader)?;
    let arr = Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(&this, &arr).map_err(|e| WlError::from_js(&e))
}

/// Awaits a value that may be a promise; a rejection becomes a typed error.
pub async fn settle(v: JsValue) -> Result<JsValue, WlError> {
    JsFuture::from(Promise::resolve(&v))
        .await
        .map_err(|e| WlError::from_js(&e))
}

/// The current session (`WL.getSession()`), if signed in.
pub fn session() -> Option<JsValue> {
    call(&["getSession"], &[])
        .ok()
        .filter(|s| s.is_object() && get_str(s, "access_token").is_some())
}

/// The session's access token.
pub fn token() -> Option<String> {
    session().and_then(|s| get_str(&s, "access_token"))
}

/// Whether the session grants `scope` (`session.scope` is an array or a space-separated string).
pub fn has_scope(scope: &str) -> bool {
    let Some(s) = session() else {
        return false;
    };
    let v = get(&s, "scope");
    if let Some(text) = v.as_string() {
        return text.split([' ', ',']).any(|x| x == scope);
    }
    Array::is_array(&v)
        && Array::from(&v)
            .iter()
            .any(|x| x.as_string().as_deref() == Some(scope))
}

/// A plain object from string pairs.
pub fn object(pairs: &[(&str, &JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// `WL.login({ scope })`, called synchronously inside the click so the core can open its popup
/// within the user gesture; returns the promise to await afterwards.
pub fn login(scope: &str) -> Result<JsValue, WlError> {
    call(
        &["login"],
        &[&object(&[("scope", &JsValue::from_str(scope))])],
    )
}

/// `WL.logout()`.
pub fn logout() -> Result<JsValue, WlError> {
    call(&["logout"], &[])
}

/// `WL.api({ path, method, body })`.
pub async fn api(path: &str, method: &str, body: Option<&JsValue>) -> Result<JsValue, WlError> {
    let mut pairs: Vec<(&str, &JsValue)> = Vec::new();
    let path = JsValue::from_str(path);
    let method = JsValue::from_str(method);
    pairs.push(("path", &path));
    pairs.push(("method", &method));
    if let Some(b) = body {
        pairs.push(("body", b));
    }
    settle(call(&["api"], &[&object(&pairs)])?).await
}

/// The messenger hub URL from `WL.getProvider()` (`messenger_hub`), if the loader knows one.
pub async fn provider_hub() -> Option<String> {
    let v = call(&["getProvider"], &[]).ok()?;
    let p = settle(v).await.ok()?;
    get_str(&p, "messenger_hub").filter(|s| !s.is_empty())
}

/// A `WL.Event.subscribe` undone when dropped.
pub struct Subscription {
    name: &'static str,
    f: Closure<dyn FnMut(JsValue)>,
}

impl Subscription {
    /// Subscribes `f` to the core event `name`; inert without a loader.
    pub fn new(name: &'static str, f: impl FnMut(JsValue) + 'static) -> Self {
        let f = Closure::<dyn FnMut(JsValue)>::new(f);
        let _ = call(
            &["Event", "subscribe"],
            &[&JsValue::from_str(name), f.as_ref()],
        );
        Subscription { name, f }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let _ = call(
            &["Event", "unsubscribe"],
            &[&JsValue::from_str(self.name), self.f.as_ref()],
        );
    }
}

/// Calls the global function named by `on-consent-completed` (dotted paths allowed) with `arg`;
/// anything that is not a function is ignored, a throw is reported on the console.
pub fn call_global(name: &str, arg: &JsValue) {
    let mut this: JsValue = js_sys::global().into();
    let mut target: JsValue = this.clone();
    for key in name.trim().split('.') {
        if !target.is_object() && !target.is_function() {
            return;
        }
        this = target.clone();
        target = get(&target, key);
    }
    if let Some(f) = target.dyn_ref::<Function>()
        && let Err(e) = f.call1(&this, arg)
    {
        web_sys::console::error_1(&e);
    }
}
