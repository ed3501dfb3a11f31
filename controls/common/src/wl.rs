//! The kit's `wl` layer: the controls' only way into the core, the public `window.WL` API exactly
//! as a page script would call it; [`WlError`], the one typed error for its `{ code, message }`;
//! and [`Guard`], what a control keeps alive while connected (its listeners and subscriptions).
//!
//! Every binding catches a synchronous throw (e.g. `WL` not defined yet) and every promise result
//! is normalised with `Promise.resolve`, so a misbehaving loader can never abort the control.

use wasm_bindgen::prelude::*;

use crate::edge::js::{self, get, get_str};
use crate::edge::listener::Listener;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = WL, js_name = login)]
    fn wl_login(opts: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = WL, js_name = logout)]
    fn wl_logout() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = WL, js_name = getSession)]
    fn wl_get_session() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = WL, js_name = api)]
    fn wl_api(opts: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = WL, js_name = getProvider)]
    fn wl_get_provider() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["WL", "Event"], js_name = subscribe)]
    fn wl_subscribe(name: &str, f: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["WL", "Event"], js_name = unsubscribe)]
    fn wl_unsubscribe(name: &str, f: &JsValue) -> Result<JsValue, JsValue>;

    /// A promise (always from `Promise.resolve`, so `then` exists).
    pub type Promise;
    #[wasm_bindgen(static_method_of = Promise, js_name = resolve)]
    fn promise_resolve(v: &JsValue) -> Promise;
    #[wasm_bindgen(static_method_of = Promise, js_name = allSettled)]
    fn all_settled(promises: &JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = then)]
    fn then1(this: &Promise, on_settled: &JsValue) -> JsValue;
}

/// A rejection value (`{ code, message }`, an `Error`, or anything) as the typed error.
pub fn to_error(v: &JsValue) -> WlError {
    WlError::from_parts(get_str(v, "code"), get_str(v, "message"))
}

fn promise(r: Result<JsValue, JsValue>) -> Result<Promise, WlError> {
    r.map(|v| Promise::promise_resolve(&v))
        .map_err(|_| WlError::NoLoader)
}

/// `WL.login(opts)`: must be called synchronously inside the click handler so the core can open
/// the popup within the user gesture.
pub fn login(opts: &JsValue) -> Result<Promise, WlError> {
    promise(wl_login(opts))
}

/// `WL.logout()`.
pub fn logout() -> Result<Promise, WlError> {
    promise(wl_logout())
}

/// `WL.getSession()`: the session object, or `None` when signed out or no loader.
pub fn session() -> Option<JsValue> {
    wl_get_session()
        .ok()
        .filter(|s| !s.is_null() && !s.is_undefined())
}

/// `WL.api(opts)`.
pub fn api(opts: &JsValue) -> Result<Promise, WlError> {
    promise(wl_api(opts))
}

/// `WL.getProvider()`: what discovery says about the provider (`messenger_hub`, …). A loader
/// without it is [`WlError::NoLoader`].
pub fn provider() -> Result<Promise, WlError> {
    promise(wl_get_provider())
}

/// A promise already fulfilled with `v`: [`settle`] on it runs a callback after the current
/// work, as an `await` would.
pub fn resolved(v: &JsValue) -> Promise {
    Promise::promise_resolve(v)
}

/// The one error of the controls: a failure at the `window.WL` boundary, reported in a
/// `wl-error` event (or shown) as `{ code, message }`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WlError {
    /// `window.WL` is missing or threw synchronously.
    #[error("window.WL is not available: load wl.js before using the controls")]
    NoLoader,
    /// The core rejected a call with its own `{ code, message }`.
    #[error("{code}: {message}")]
    Core {
        /// The core's stable code (`access_denied`, `popup_blocked`, …).
        code: String,
        /// The core's message.
        message: String,
    },
}

impl WlError {
    /// The stable code: the core's own, or `invalid_request` when the loader is missing (the
    /// code the core itself uses for "configure the loader first").
    pub fn code(&self) -> &str {
        match self {
            WlError::NoLoader => "invalid_request",
            WlError::Core { code, .. } => code,
        }
    }

    /// The human-readable message (no `core::fmt`).
    pub fn message(&self) -> &str {
        match self {
            WlError::NoLoader => "window.WL is not available: load wl.js before using the controls",
            WlError::Core { message, .. } => message,
        }
    }

    /// Builds the error from a code and message the core gave; a missing code becomes
    /// `connection_failed` (what the core reports for failures it did not classify).
    pub fn from_parts(code: Option<String>, message: Option<String>) -> Self {
        let code = code
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "connection_failed".to_owned());
        let message = message.unwrap_or_else(|| code.clone());
        WlError::Core { code, message }
    }
}

/// Calls `f` once with the promise's outcome.
///
/// Through `Promise.allSettled([p])`, which never rejects, so one `FnMut(JsValue)` callback (the
/// closure type the listeners use too: less wasm) sees both outcomes. The callback is handed to
/// the JS garbage collector (`into_js_value`, not `forget`): it is freed once the promise is gone.
pub fn settle(p: &Promise, f: impl FnOnce(Result<JsValue, JsValue>) + 'static) {
    settle_boxed(p, Box::new(f));
}

/// [`settle`], not generic: one closure shim in the wasm for every caller.
#[inline(never)]
fn settle_boxed(p: &Promise, f: Box<dyn FnOnce(Result<JsValue, JsValue>)>) {
    let mut f = Some(f);
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |results: JsValue| {
        let r = js::reflect_get(&results, &JsValue::from(0)).unwrap_or(JsValue::UNDEFINED);
        let ok = get_str(&r, "status").as_deref() == Some("fulfilled");
        let v = get(&r, if ok { "value" } else { "reason" });
        if let Some(f) = f.take() {
            f(if ok { Ok(v) } else { Err(v) });
        }
    })
    .into_js_value();
    let _ = Promise::all_settled(&js::array_of1(p)).then1(&cb);
}

/// Calls `f` with the outcome of a `WL` call (its promise's, or the call's own failure), always
/// after the current work, as an `await` would.
pub fn when_settled(
    call: Result<Promise, WlError>,
    f: impl FnOnce(Result<JsValue, WlError>) + 'static,
) {
    match call {
        Ok(p) => settle(&p, move |r| f(r.map_err(|e| to_error(&e)))),
        Err(e) => settle(&resolved(&JsValue::NULL), move |_| f(Err(e))),
    }
}

/// A `WL.Event.subscribe` that is unsubscribed when dropped.
pub struct Subscription {
    name: &'static str,
    f: Closure<dyn FnMut(JsValue)>,
}

impl Subscription {
    /// Subscribes `f` to the core event `name` (`auth.sessionChange`, …). Without a loader the
    /// subscription is inert.
    pub fn new(name: &'static str, f: impl FnMut(JsValue) + 'static) -> Self {
        let f = Closure::<dyn FnMut(JsValue)>::new(f);
        let _ = wl_subscribe(name, f.as_ref());
        Subscription { name, f }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let _ = wl_unsubscribe(self.name, self.f.as_ref());
    }
}

/// What a control keeps alive while its element is connected: a DOM listener or a core
/// subscription. Dropping the guard removes it, so `disconnected()` is a `clear()`.
#[allow(dead_code)] // held only for its `Drop`
pub enum Guard {
    /// A DOM event listener.
    Dom(Listener),
    /// A `WL.Event` subscription.
    Core(Subscription),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(WlError::NoLoader.code(), "invalid_request");
        let e = WlError::from_parts(Some("popup_blocked".into()), Some("blocked".into()));
        assert_eq!(e.code(), "popup_blocked");
        assert_eq!(e.message(), "blocked");
        assert_eq!(e.to_string(), "popup_blocked: blocked");
        let e = WlError::from_parts(None, None);
        assert_eq!(e.code(), "connection_failed");
        assert_eq!(e.message(), "connection_failed");
    }
}
