//! `www/wl.js` injected as a classic script: `window.WL` at once, the elements defined with
//! their observed attributes, legacy tags upgraded (present and added later), idempotent.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Document, Element};

use wl_connect::scope::Scopes;
use wl_connect::session::{STORAGE_KEY, Session, TokenResponse};

use crate::sleep;

const WL_JS: &str = include_str!("../../www/wl.js");

fn doc() -> Document {
    web_sys::window()
        .expect("window")
        .document()
        .expect("document")
}

fn inject() {
    let d = doc();
    let s = d.create_element("script").expect("script");
    // Configuration from the script element, as a page's tag would carry it. (The core's own
    // files are not served by the test runner, so only what wl.js does by itself is checked.)
    s.set_attribute("data-client-id", "wl-boot").expect("attr");
    s.set_attribute("data-authority", "http://127.0.0.1:9")
        .expect("attr");
    s.set_attribute("data-storage", "local").expect("attr");
    s.set_text_content(Some(WL_JS));
    d.head().expect("head").append_child(&s).expect("append");
}

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .expect("window")
        .local_storage()
        .expect("localStorage")
        .expect("localStorage")
}

fn wl() -> JsValue {
    js_sys::Reflect::get(&web_sys::window().expect("window"), &"WL".into()).expect("WL")
}

fn observed(tag: &str) -> Vec<String> {
    let ctor = web_sys::window()
        .expect("window")
        .custom_elements()
        .get(tag);
    let list =
        js_sys::Reflect::get(&ctor, &"observedAttributes".into()).expect("observedAttributes");
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

#[wasm_bindgen_test]
async fn bootstrap_defines_upgrades_and_is_idempotent() {
    let d = doc();
    let host: Element = d.create_element("div").expect("div");
    host.set_inner_html(
        r#"<wl:signin theme="dark" signed-in-text="Bye"><span>fallback</span></wl:signin>"#,
    );
    d.body().expect("body").append_child(&host).expect("append");

    // A session stored by the core (same format) for this client, in the configured storage.
    let t = TokenResponse {
        access_token: "boot-token".into(),
        expires_in: Some(600.0),
        scope: Some("openid wl.signin".into()),
        refresh_token: Some("never shown".into()),
        id_token: None,
    };
    let now = js_sys::Date::now() / 1000.0;
    let stored = Session::from_token("wl-boot", t, &Scopes::default(), now, None)
        .fields()
        .iter()
        .map(|(k, v)| [k, "=", &wl_connect::oidc::encode(v)].concat())
        .collect::<Vec<_>>()
        .join("&");
    local_storage()
        .set_item(STORAGE_KEY, &stored)
        .expect("localStorage");

    inject();
    let first = wl();
    assert!(first.is_object(), "window.WL is defined at once");
    for m in [
        "init",
        "login",
        "logout",
        "getSession",
        "getLoginStatus",
        "api",
        "ui",
    ] {
        let f = js_sys::Reflect::get(&first, &m.into()).expect("method");
        assert!(f.is_function(), "WL.{m}");
    }
    // getSession is synchronous: before the core is there, wl.js reads the stored session of
    // the client and storage named on its script tag.
    let s = js_sys::Reflect::get(&first, &"getSession".into())
        .expect("getSession")
        .unchecked_into::<js_sys::Function>()
        .call0(&first)
        .expect("call");
    assert_eq!(
        crate::prop(&s, "access_token").as_deref(),
        Some("boot-token")
    );
    assert_eq!(
        crate::prop(&s, "refresh_token"),
        None,
        "the refresh token stays inside"
    );
    let scope = js_sys::Array::from(&js_sys::Reflect::get(&s, &"scope".into()).expect("scope"));
    assert_eq!(
        scope.join(" ").as_string().as_deref(),
        Some("openid wl.signin")
    );
    local_storage()
        .remove_item(STORAGE_KEY)
        .expect("localStorage");

    // Elements are defined with their attributes, legacy names included.
    let signin = observed("wl-signin");
    for a in [
        "brand",
        "type",
        "theme",
        "size",
        "shape",
        "sign-in-text",
        "sign-out-text",
        "scope",
        "locale",
        "signed-in-text",
        "on-signout",
    ] {
        assert!(signin.iter().any(|x| x == a), "wl-signin observes {a}");
    }
    assert_eq!(
        observed("wl-userinfo"),
        ["layout", "cid", "locale", "theme"]
    );
    assert!(observed("wl-app").iter().any(|x| x == "callback-url"));

    // The legacy tag that was already there is replaced, attributes and children kept.
    let el = host
        .query_selector("wl-signin")
        .expect("query")
        .expect("upgraded <wl-signin>");
    assert_eq!(el.get_attribute("theme").as_deref(), Some("dark"));
    assert_eq!(el.get_attribute("signed-in-text").as_deref(), Some("Bye"));
    assert_eq!(el.text_content().as_deref(), Some("fallback"));
    assert!(host.query_selector("wl\\:signin").expect("query").is_none());

    // A legacy tag added later is upgraded too (MutationObserver).
    let late = d.create_element("section").expect("section");
    late.set_inner_html(r#"<wl:userinfo layout="full"></wl:userinfo>"#);
    host.append_child(&late).expect("append");
    sleep(20).await;
    let ui = host
        .query_selector("wl-userinfo")
        .expect("query")
        .expect("late <wl-userinfo>");
    assert_eq!(ui.get_attribute("layout").as_deref(), Some("full"));

    // A second copy of the script changes nothing.
    inject();
    assert!(js_sys::Object::is(&first, &wl()), "the same WL object");
    host.remove();
}
