//! `WL.Event`: subscribe, unsubscribe, emit, `wl.log`.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use wl_connect::events;

use crate::{prop, recorder};

#[wasm_bindgen_test]
fn subscribe_emit_unsubscribe() {
    let (f, calls) = recorder();
    events::subscribe("test.a", f.clone());
    events::subscribe("test.a", f.clone()); // the same function is not added twice
    events::emit("test.a", &JsValue::from_str("one"));
    events::emit("test.b", &JsValue::from_str("other event"));
    assert_eq!(calls.length(), 1);
    assert_eq!(calls.get(0).as_string().as_deref(), Some("one"));
    events::unsubscribe("test.a", Some(&f));
    events::emit("test.a", &JsValue::from_str("two"));
    assert_eq!(calls.length(), 1);
}

#[wasm_bindgen_test]
fn unsubscribe_without_a_function_removes_all() {
    let (f, calls) = recorder();
    let (g, calls2) = recorder();
    events::subscribe("test.c", f);
    events::subscribe("test.c", g);
    events::unsubscribe("test.c", None);
    events::emit("test.c", &JsValue::NULL);
    assert_eq!(calls.length() + calls2.length(), 0);
}

#[wasm_bindgen_test]
fn a_throwing_handler_does_not_stop_the_others() {
    let bad = js_sys::Function::new_no_args("throw new Error('handler failed')");
    let (f, calls) = recorder();
    events::subscribe("test.d", bad);
    events::subscribe("test.d", f);
    events::emit("test.d", &JsValue::from_f64(1.0));
    assert_eq!(calls.length(), 1);
}

#[wasm_bindgen_test]
fn log_fires_wl_log_with_level_code_and_message() {
    let (f, calls) = recorder();
    events::subscribe(events::WL_LOG, f.clone());
    events::set_console_logging(false);
    events::log("error", Some("access_denied"), "no thanks");
    events::unsubscribe(events::WL_LOG, Some(&f));
    events::set_console_logging(true);
    assert_eq!(calls.length(), 1);
    let entry = calls.get(0);
    assert_eq!(prop(&entry, "level").as_deref(), Some("error"));
    assert_eq!(prop(&entry, "code").as_deref(), Some("access_denied"));
    assert_eq!(prop(&entry, "message").as_deref(), Some("no thanks"));
}
