//! Web Crypto at the edge, error objects, and guards: a dropped timer never fires.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_test::wasm_bindgen_test;
use wl_connect::guard::{Timer, oneshot};

use crate::sleep;

#[wasm_bindgen_test]
async fn js_random_and_sha256() {
    let a = wl_connect::js::random_bytes::<16>().expect("random");
    let b = wl_connect::js::random_bytes::<16>().expect("random");
    assert_ne!(a, b);
    // RFC 7636 appendix B through Web Crypto.
    let d = wl_connect::js::sha256(b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        .await
        .expect("digest");
    assert_eq!(
        wl_connect::pkce::challenge(&d),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

#[wasm_bindgen_test]
fn error_objects_have_code_and_message() {
    let e =
        wl_connect::js::error_to_js(&wl_connect::Error::InsufficientScope("wl.contacts".into()));
    assert_eq!(
        crate::prop(&e, "code").as_deref(),
        Some("insufficient_scope")
    );
    assert_eq!(crate::prop(&e, "scope").as_deref(), Some("wl.contacts"));
    assert!(
        crate::prop(&e, "message")
            .unwrap_or_default()
            .contains("WL.login")
    );
}

#[wasm_bindgen_test]
async fn timers_fire_unless_dropped() {
    let fired = Rc::new(Cell::new(0));
    let f = fired.clone();
    let kept = Timer::timeout(5.0, move || f.set(f.get() + 1));
    let g = fired.clone();
    drop(Timer::timeout(5.0, move || g.set(g.get() + 10)));
    sleep(40).await;
    assert_eq!(fired.get(), 1);
    drop(kept);
}

#[wasm_bindgen_test]
async fn oneshot_delivers_or_reports_a_dropped_sender() {
    let (tx, rx) = oneshot::<u32>();
    let _t = Timer::timeout(1.0, {
        let mut tx = Some(tx);
        move || {
            if let Some(tx) = tx.take() {
                tx.send(7);
            }
        }
    });
    assert_eq!(rx.await, Some(7));
    let (tx, rx) = oneshot::<u32>();
    drop(tx);
    assert_eq!(rx.await, None);
}
