//! Error objects at the edge: what a `WL` promise rejects with, as the machine writes it
//! (`{ code, message, scope? }`) and as the page's JavaScript reads it.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::prop;

/// The effects of one `step` in the real browser, parsed as `wl.js` parses them.
fn effects(kind: u32, id: u32, a: JsValue) -> js_sys::Array {
    let text = wl_connect::machine::step(1e12, kind, id, false, a, JsValue::NULL, Vec::new());
    js_sys::JSON::parse(&text)
        .expect("the effects are one JSON text")
        .into()
}

#[wasm_bindgen_test]
fn rejections_have_code_and_message() {
    // `WL.logout()` before any configuration: `wl.log`, then the call rejects.
    let out = effects(2, 7, JsValue::UNDEFINED);
    let reject: js_sys::Array = out.get(out.length() - 1).into();
    assert_eq!(reject.get(0).as_f64(), Some(13.0));
    assert_eq!(reject.get(1).as_f64(), Some(7.0));
    let e = reject.get(2);
    assert_eq!(prop(&e, "code").as_deref(), Some("invalid_request"));
    assert!(
        prop(&e, "message")
            .unwrap_or_default()
            .contains("configure")
    );
    let log: js_sys::Array = out.get(0).into();
    assert_eq!(log.get(1).as_string().as_deref(), Some("wl.log"));
    assert_eq!(
        prop(&log.get(2), "code").as_deref(),
        Some("invalid_request")
    );
}
