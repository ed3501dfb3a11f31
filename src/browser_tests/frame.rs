//! One fresh page per wl.js test: an iframe on `frame.html` (served from this directory by the
//! test runner) with its own `window.WL` (`www/wl.js` injected as a classic script) and its own
//! instance of the real core (`core-shim/wl_connect.js` there re-exports this test binary's wasm, which
//! links the wl-connect crate). `harness.js` in the frame fakes only the provider and the popup.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const WL_JS: &str = include_str!("../../www/wl.js");

/// A test page with wl.js loaded and the harness's `T`.
pub struct Frame {
    el: web_sys::Element,
    win: JsValue,
}

fn parent_fn(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

impl Frame {
    /// Opens a fresh frame, shares this binary's compiled module with it, injects wl.js.
    pub async fn open() -> Frame {
        let w = web_sys::window().expect("window");
        Reflect::set(&w, &"__wlTestModule".into(), &wasm_bindgen::module()).expect("set");
        let d = w.document().expect("document");
        let el = d.create_element("iframe").expect("iframe");
        el.set_attribute("src", "/src/browser_tests/frame.html")
            .expect("src");
        let loaded: Promise = parent_fn(
            "f",
            "return new Promise(function (r) { f.addEventListener('load', r, { once: true }); })",
        )
        .call1(&JsValue::NULL, &el)
        .expect("load promise")
        .unchecked_into();
        d.body().expect("body").append_child(&el).expect("append");
        JsFuture::from(loaded).await.expect("frame loaded");
        let win = Reflect::get(&el, &"contentWindow".into()).expect("contentWindow");
        let f = Frame { el, win };
        // A classic inline script in the frame's document, as a page's tag would be.
        f.call(
            "src",
            "var s = document.createElement('script'); s.dataset.modules = 'core-shim/'; \
             s.textContent = src; document.head.appendChild(s); \
             return typeof WL === 'object' && typeof T === 'object';",
            &WL_JS.into(),
        );
        f
    }

    /// Runs `body` (a function body taking `arg`) in the frame's realm.
    pub fn call(&self, arg_name: &str, body: &str, arg: &JsValue) -> JsValue {
        let ctor: Function = Reflect::get(&self.win, &"Function".into())
            .expect("Function")
            .unchecked_into();
        let f: Function = Reflect::construct(&ctor, &Array::of2(&arg_name.into(), &body.into()))
            .expect("compile")
            .unchecked_into();
        f.call1(&JsValue::NULL, arg).expect("call")
    }

    /// Runs `body` as an async function in the frame and awaits its result (a rejection panics
    /// with the error).
    pub async fn run(&self, body: &str) -> JsValue {
        let eval: Function = Reflect::get(&self.win, &"eval".into())
            .expect("eval")
            .unchecked_into();
        let ctor: Function = eval
            .call1(&JsValue::NULL, &"(async function () {}).constructor".into())
            .expect("AsyncFunction")
            .unchecked_into();
        let f: Function = Reflect::construct(&ctor, &Array::of1(&body.into()))
            .expect("compile")
            .unchecked_into();
        let p: Promise = f.call0(&JsValue::NULL).expect("call").unchecked_into();
        match JsFuture::from(p).await {
            Ok(v) => v,
            Err(e) => panic!("the frame's script failed: {e:?}"),
        }
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        self.el.remove();
    }
}

/// `v[key]`.
pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `v[key]` as a string.
pub fn text(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// A JS array of strings.
pub fn strings(v: &JsValue) -> Vec<String> {
    Array::from(v)
        .iter()
        .filter_map(|x| x.as_string())
        .collect()
}

/// A `T.settled` outcome: `(state, code or access_token)`; a login resolves with
/// `{ status, session }`, so the token is read from its session.
pub fn outcome(o: &JsValue) -> (String, Option<String>) {
    let state = text(o, "state").unwrap_or_default();
    let v = get(o, "value");
    let detail = text(&v, "code")
        .or_else(|| text(&v, "access_token"))
        .or_else(|| text(&get(&v, "session"), "access_token"));
    (state, detail)
}
