//! Browser tests of the core's edge, the bootstrap, and wl.js's flows, in headless Chromium:
//! `CHROMEDRIVER=$(which chromedriver) WASM_BINDGEN_TEST_WEBDRIVER_JSON=webdriver.json
//! cargo test --target wasm32-unknown-unknown -p wl-connect --test browser`.
//! (Native builds compile this to nothing: the pure logic has its own unit tests.)
//!
//! `events` and `watcher` run each test in its own frame (`frame.rs`, `frame.html`): a fresh
//! `window.WL` from `www/wl.js` and a fresh instance of the real core (this binary's wasm, via
//! `core-shim/wl_connect.js`), with a fake provider and popup (`harness.js`) the test drives.
//! `modules` checks which build wl.js fetches, with `core-shim/` standing in for every module
//! (`wl_connect_controls.js`, `wl_controls.js`: the real core's `step`, stand-in controls).
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

mod bootstrap;
mod errors;
mod events;
mod frame;
mod id_token;
mod modules;
mod provider;
mod renewal;
mod rules;
mod tabs;
mod watcher;

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let w = web_sys::window().expect("window");
        w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(p)
        .await
        .expect("sleep");
}

/// A JS function recording its calls into a JS array, with the array.
pub fn recorder() -> (js_sys::Function, js_sys::Array) {
    let calls = js_sys::Array::new();
    let f = js_sys::Function::new_with_args("x", "this.push(x === undefined ? null : x)");
    let bound = f.bind0(&calls);
    (bound, calls)
}

/// `Reflect.get` as a string.
pub fn prop(v: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(v, &key.into())
        .ok()
        .and_then(|x| x.as_string())
}
