//! The exported `WL` functions against the real browser: configuration, status, restore,
//! just-in-time login without a popup, popup_blocked, logout and the events. One test, because
//! the loader is configured once per page.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use wl_connect::config::StorageKind;
use wl_connect::scope::Scopes;
use wl_connect::session::{self, Session, TokenResponse};

use crate::{prop, recorder};

fn opts(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o.into()
}

fn code(e: &JsValue) -> String {
    prop(e, "code").unwrap_or_default()
}

#[wasm_bindgen_test]
async fn configure_restore_login_logout() {
    // Not configured yet: invalid_request that says what to do.
    let e = wl_connect::get_login_status()
        .await
        .expect_err("not configured");
    assert_eq!(code(&e), "invalid_request");
    assert!(
        prop(&e, "message")
            .unwrap_or_default()
            .contains("configure")
    );
    let e = wl_connect::login(JsValue::NULL, JsValue::NULL)
        .await
        .expect_err("not configured");
    assert_eq!(code(&e), "invalid_request");
    assert!(!wl_connect::configured());

    // A stored, unexpired session for this client is restored by init.
    let now = js_sys::Date::now() / 1000.0;
    let t = TokenResponse {
        access_token: "at-1".into(),
        expires_in: Some(3600.0),
        scope: Some("openid wl.signin wl.basic".into()),
        refresh_token: None,
        id_token: None,
    };
    session::store(
        StorageKind::Session,
        Some(&Session::from_token(
            "wl-test",
            t,
            &Scopes::default(),
            now,
            None,
        )),
    );

    let (status_changes, statuses) = recorder();
    let (logs_fn, logs) = recorder();
    wl_connect::subscribe("auth.statusChange", status_changes);
    wl_connect::subscribe("wl.log", logs_fn);
    let scope = js_sys::Array::of2(&"wl.signin".into(), &"wl.basic".into());
    let status = wl_connect::init(opts(&[
        ("client_id", "wl-test".into()),
        ("authority", "http://127.0.0.1:9".into()),
        ("redirect_uri", "http://127.0.0.1:9/callback.html".into()),
        ("scope", scope.into()),
        ("logging", false.into()),
        ("timeout", 5000.into()),
    ]))
    .await
    .expect("init");
    assert!(wl_connect::configured());
    assert_eq!(prop(&status, "status").as_deref(), Some("connected"));
    assert_eq!(statuses.length(), 1, "auth.statusChange fires once at init");
    let s = wl_connect::get_session();
    assert_eq!(prop(&s, "access_token").as_deref(), Some("at-1"));
    let scopes: js_sys::Array = js_sys::Reflect::get(&s, &"scope".into())
        .expect("scope")
        .unchecked_into();
    assert_eq!(scopes.length(), 3);

    // A second init is ignored, and says so on wl.log.
    let again = wl_connect::init(opts(&[("client_id", "other".into())]))
        .await
        .expect("ignored");
    assert_eq!(prop(&again, "status").as_deref(), Some("connected"));
    assert!(
        prop(&logs.get(logs.length() - 1), "message")
            .unwrap_or_default()
            .contains("WL.init")
    );

    // Nothing missing: login resolves at once, without a popup.
    let s = wl_connect::login(opts(&[("scope", "wl.basic".into())]), JsValue::NULL)
        .await
        .expect("no popup needed");
    assert_eq!(prop(&s, "access_token").as_deref(), Some("at-1"));

    // A missing scope needs the popup; without one it is popup_blocked, on wl.log too.
    let e = wl_connect::login(opts(&[("scope", "wl.contacts".into())]), JsValue::NULL)
        .await
        .expect_err("blocked");
    assert_eq!(code(&e), "popup_blocked");
    assert_eq!(
        prop(&logs.get(logs.length() - 1), "code").as_deref(),
        Some("popup_blocked")
    );

    // Logout: events, and the stored session is gone.
    let (logouts, logged_out) = recorder();
    wl_connect::subscribe("auth.logout", logouts);
    wl_connect::logout().await.expect("logout");
    assert_eq!(logged_out.length(), 1);
    assert!(wl_connect::get_session().is_null());
    assert_eq!(
        prop(&statuses.get(statuses.length() - 1), "status").as_deref(),
        Some("notConnected")
    );
    assert_eq!(session::load(StorageKind::Session, "wl-test"), None);
    let status = wasm_bindgen_futures::JsFuture::from(wl_connect::get_login_status())
        .await
        .expect("configured");
    assert_eq!(prop(&status, "status").as_deref(), Some("notConnected"));
}
