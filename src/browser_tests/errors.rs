//! Error objects at the edge.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::prop;

#[wasm_bindgen_test]
fn error_objects_have_code_and_message() {
    let e =
        wl_connect::js::error_to_js(&wl_connect::Error::InsufficientScope("wl.contacts".into()));
    assert_eq!(prop(&e, "code").as_deref(), Some("insufficient_scope"));
    assert_eq!(prop(&e, "scope").as_deref(), Some("wl.contacts"));
    assert!(
        prop(&e, "message")
            .unwrap_or_default()
            .contains("wl.contacts")
    );
    for code in [
        "user_canceled",
        "request_canceled",
        "timed_out",
        "popup_blocked",
        "invalid_state",
    ] {
        let e = wl_connect::steps::fault(code, "");
        assert_eq!(prop(&e, "code").as_deref(), Some(code));
        assert!(!prop(&e, "message").unwrap_or_default().is_empty());
    }
    let e = wl_connect::steps::fault("connection_failed", "http://x/");
    assert!(
        prop(&e, "message")
            .unwrap_or_default()
            .contains("http://x/")
    );
    let e = wl_connect::steps::fault("not_configured", "");
    assert_eq!(prop(&e, "code").as_deref(), Some("invalid_request"));
    assert!(
        prop(&e, "message")
            .unwrap_or_default()
            .contains("configure")
    );
}
