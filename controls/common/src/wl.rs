//! The controls' only way into the core: the public `window.WL` API, exactly as a page script
//! would call it, plus guards that undo subscriptions and listeners when dropped.
//!
//! Every binding catches a synchronous throw (e.g. `WL` not defined yet) and every promise result
//! is normalised with `Promise.resolve`, so a misbehaving loader can never abort the control.

use wasm_bindgen::prelude::*;

use crate::js::{self, EventTarget};
use crate::warning::ControlError;

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

/// A plain object `{ key: value, … }` from string pairs (absent values are left out).
pub fn object(pairs: &[(&str, Option<&str>)]) -> JsValue {
    let o = js::object();
    for (k, v) in pairs {
        if let Some(v) = v {
            let _ = js::reflect_set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
        }
    }
    o
}

/// A property of a JS value, or `undefined`.
pub fn get(v: &JsValue, key: &str) -> JsValue {
    if v.is_object() {
        js::reflect_get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A string property of a JS value.
pub fn get_str(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// A rejection value (`{ code, message }`, an `Error`, or anything) as a typed error.
pub fn to_error(v: &JsValue) -> ControlError {
    ControlError::from_parts(get_str(v, "code"), get_str(v, "message"))
}

fn promise(r: Result<JsValue, JsValue>) -> Result<Promise, ControlError> {
    r.map(|v| Promise::promise_resolve(&v))
        .map_err(|_| ControlError::NoLoader)
}

/// `WL.login(opts)`: must be called synchronously inside the click handler so the core can open
/// the popup within the user gesture.
pub fn login(opts: &JsValue) -> Result<Promise, ControlError> {
    promise(wl_login(opts))
}

/// `WL.logout()`.
pub fn logout() -> Result<Promise, ControlError> {
    promise(wl_logout())
}

/// `WL.getSession()`: the session object, or `None` when signed out or no loader.
pub fn session() -> Option<JsValue> {
    wl_get_session()
        .ok()
        .filter(|s| !s.is_null() && !s.is_undefined())
}

/// `WL.api(opts)`.
pub fn api(opts: &JsValue) -> Result<Promise, ControlError> {
    promise(wl_api(opts))
}

/// Calls `f` once with the promise's outcome.
///
/// Through `Promise.allSettled([p])`, which never rejects, so one `FnMut(JsValue)` callback (the
/// closure type the listeners use too: less wasm) sees both outcomes. The callback is handed to
/// the JS garbage collector (`into_js_value`, not `forget`): it is freed once the promise is gone.
pub fn settle(p: &Promise, f: impl FnOnce(Result<JsValue, JsValue>) + 'static) {
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

/// A DOM event listener that is removed when dropped.
pub struct Listener {
    target: EventTarget,
    name: &'static str,
    /// `FnMut(JsValue)` like [`Subscription`]'s: one closure type less in the wasm.
    f: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Adds `f` as the `name` listener of `target`.
    pub fn new(target: &EventTarget, name: &'static str, f: impl FnMut(JsValue) + 'static) -> Self {
        let f = Closure::<dyn FnMut(JsValue)>::new(f);
        target.add_event_listener_with_callback(name, f.as_ref());
        Listener {
            target: target.clone(),
            name,
            f,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.target
            .remove_event_listener_with_callback(self.name, self.f.as_ref());
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
