//! Test support for the controls' browser tests (feature `testing`): installs a fake core as
//! `window.WL` (see `fake-wl.js` beside this file) and small helpers to drive it and wait.
//!
//! The fake stands in for the core, which is not under test here; the controls are real.

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

/// The fake core's source.
pub const FAKE_WL_JS: &str = include_str!("fake-wl.js");

/// Runs JavaScript `body` (a function body; use `return` for a value).
pub fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .unwrap_or_else(|e| panic!("script failed: {body}: {e:?}"))
}

/// Installs a fresh fake `window.WL` (signed out, no calls recorded).
pub fn install_fake_wl() {
    js(FAKE_WL_JS);
}

/// Removes `window.WL` entirely (a page that forgot the script tag).
pub fn remove_wl() {
    js("delete window.WL; delete window.__wlFake;");
}

/// `www/src/paint.js` and the data the build generates for it: the first paint `wl.js` draws
/// when a `<wl-signin>` or `<wl-userinfo>` connects, which the control's wasm then adopts.
const PAINT_JS: &str = include_str!("../../../www/src/paint.js");
const PAINT_DATA_JS: &str = include_str!("../../../www/src/paint-data.js");

/// Draws `el` as `wl.js` does when it connects (`www/src/paint.js`); a click before a control
/// takes it over calls `WL.login(opts)`, as `wl.js`'s does.
pub fn first_paint(el: &HtmlElement) {
    paint_with(el, false);
}

/// Starts recording `console.warn`'s messages (until [`take_warnings`]).
pub fn record_warnings() {
    js(
        "window.__warns = []; console.__warn0 = console.__warn0 || console.warn;
        console.warn = function (m) { __warns.push(String(m)); };",
    );
}

/// The messages recorded since [`record_warnings`], sorted; `console.warn` is itself again.
pub fn take_warnings() -> Vec<String> {
    let list = js("console.warn = console.__warn0 || console.warn; return window.__warns || [];");
    let mut out: Vec<String> = js_sys::Array::from(&list)
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    out.sort();
    out
}

/// What the first paint says on the console about `<tag attrs…>` when the control's module is
/// not coming at once (a signed-out page: `wl.js` then warns in the control's place), sorted.
pub fn first_paint_warnings(tag: &str, attrs: &[(&str, &str)]) -> Vec<String> {
    let el = attached(tag, attrs);
    record_warnings();
    paint_with(&el, true);
    el.remove();
    take_warnings()
}

fn paint_with(el: &HtmlElement, warn: bool) {
    let body = format!(
        "{}\n{}\nreturn paint;",
        PAINT_DATA_JS.replace("export ", ""),
        PAINT_JS
            .lines()
            .filter(|l| !l.starts_with("import "))
            .collect::<Vec<_>>()
            .join("\n")
            .replace("export ", "")
    );
    let paint: Function = Function::new_no_args(&body)
        .call0(&JsValue::NULL)
        .expect("paint.js")
        .unchecked_into();
    let click = Function::new_with_args(
        "el, signedIn, opts",
        "if (signedIn) WL.logout(); else el.__wle = WL.login(opts)",
    );
    let session = js_sys::eval("window.WL && WL.getSession()").unwrap_or(JsValue::NULL);
    let args = js_sys::Array::of4(el, &click, &session, &JsValue::from_bool(warn));
    paint.apply(&JsValue::NULL, &args).expect("the first paint");
}

/// Marks `el` as taken over by its control, as `wl.js` does (`el.__wl`): from then on a click
/// on the first paint's button is the control's alone.
pub fn taken_over(el: &HtmlElement) {
    js_sys::Reflect::set(el, &JsValue::from_str("__wl"), &JsValue::TRUE).expect("el.__wl");
}

/// Creates `<tag attr=value …>` attached to the document body, not yet known to any control; a
/// `<wl-signin>` or `<wl-userinfo>` is drawn as `wl.js` draws it when it connects
/// ([`first_paint`]), for its control to take over.
pub fn new_element(tag: &str, attrs: &[(&str, &str)]) -> HtmlElement {
    let el = attached(tag, attrs);
    if matches!(tag, "wl-signin" | "wl-userinfo") {
        first_paint(&el);
    }
    el
}

/// For each case of `attrs`: a `<tag>` first-painted by `wl.js`, then taken over by its control
/// (`take_over` makes and connects it; it lives until the case ends). The shadow DOM stays what
/// the first paint drew, with the one adopted sheet, and the control's console warnings are
/// what the first paint says when the module is not coming at once.
pub fn check_first_paint_is_taken_over<T>(
    tag: &str,
    cases: &[&[(&str, &str)]],
    take_over: impl Fn(&HtmlElement) -> T,
) {
    for attrs in cases {
        let said = first_paint_warnings(tag, attrs);
        let el = new_element(tag, attrs);
        let root = el.shadow_root().expect("the first paint's shadow root");
        let painted = root.inner_html();
        record_warnings();
        let ctl = take_over(&el);
        assert_eq!(said, take_warnings(), "warnings: {attrs:?}");
        assert_eq!(root.inner_html(), painted, "{attrs:?}");
        let sheets = js_sys::Reflect::get(&root, &"adoptedStyleSheets".into())
            .map(|s| js_sys::Array::from(&s).length())
            .unwrap_or(0);
        assert_eq!(sheets, 1, "{attrs:?}");
        el.remove();
        drop(ctl);
    }
}

/// `<tag attr=value …>`, attached to the document body (not painted).
fn attached(tag: &str, attrs: &[(&str, &str)]) -> HtmlElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el: HtmlElement = doc.create_element(tag).expect("element").unchecked_into();
    for (k, v) in attrs {
        el.set_attribute(k, v).expect("attribute");
    }
    doc.body().expect("body").append_child(&el).expect("append");
    el
}

/// Waits for pending promise reactions and a macrotask (`setTimeout(0)`).
pub async fn tick() {
    sleep(0).await;
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(p).await.expect("timer");
}

/// The text of the first element matching `selector` in `el`'s shadow root.
pub fn shadow_text(el: &HtmlElement, selector: &str) -> Option<String> {
    shadow_query(el, selector).and_then(|e| e.text_content())
}

/// The first element matching `selector` in `el`'s shadow root.
pub fn shadow_query(el: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    el.shadow_root()?.query_selector(selector).ok().flatten()
}
