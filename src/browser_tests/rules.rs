//! The rules `wl.js` must apply before the core exists, run on the same table as the core's own:
//! reading the stored session (`www/src/stored.js`, `storedSession`, for `WL.getSession()` before
//! the core has loaded; the core: `Session::read` and expiry), and whether a login needs a popup
//! (`satisfied`, decided inside the click; the core: `Config::login_scopes` and
//! `Scopes::missing_from`). The test imports the very module wl.js is bundled from.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

use wl_connect::config::Config;
use wl_connect::scope::Scopes;
use wl_connect::session::{STORAGE_KEY, Session};

async fn stored_js() -> JsValue {
    let import = Function::new_with_args("u", "return import(u)");
    let p: Promise = import
        .call1(&JsValue::NULL, &"/www/src/stored.js".into())
        .expect("import")
        .unchecked_into();
    JsFuture::from(p).await.expect("www/src/stored.js")
}

fn js_fn(module: &JsValue, name: &str) -> Function {
    Reflect::get(module, &name.into())
        .expect(name)
        .unchecked_into()
}

fn config(client: &str, scope: &JsValue) -> (JsValue, Option<Config>) {
    let o = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        Reflect::set(&o, &k.into(), v).expect("set");
    };
    set("client_id", &client.into());
    set("storage", &"session".into());
    set("scope", scope);
    let cfg = Config::parse(|k| match k {
        "authority" => Some("http://127.0.0.1:9".into()),
        "redirect_uri" => Some("http://127.0.0.1:9/callback.html".into()),
        _ => wl_connect::js::get_string(&o, k),
    })
    .ok();
    (o.into(), cfg)
}

#[wasm_bindgen_test]
async fn the_stored_session_is_read_alike_before_and_after_the_core() {
    let m = stored_js().await;
    let stored_session = js_fn(&m, "storedSession");
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let later = wl_connect::oidc::decimal(now + 600);
    let gone = wl_connect::oidc::decimal(now - 5);
    // (the stored query string, the access token both must read, or none)
    let cases: Vec<(String, Option<&str>)> = vec![
        (
            [
                "client_id=app&access_token=t1&scope=openid+wl.signin&expires=",
                &later,
            ]
            .concat(),
            Some("t1"),
        ),
        (
            [
                "client_id=app&access_token=t%262&scope=openid&expires=",
                &later,
                "&refresh_token=r&user_id=u",
            ]
            .concat(),
            Some("t&2"),
        ),
        (
            [
                "client_id=other&access_token=t&scope=openid&expires=",
                &later,
            ]
            .concat(),
            None,
        ),
        (
            ["client_id=app&access_token=t&scope=openid&expires=", &gone].concat(),
            None,
        ),
        ("client_id=app&access_token=t&scope=openid".into(), None),
        (
            [
                "client_id=app&access_token=t&scope=openid&expires=x",
                &later,
            ]
            .concat(),
            None,
        ),
        (
            ["client_id=app&scope=openid&expires=", &later].concat(),
            None,
        ),
        (
            ["client_id=app&access_token=&scope=openid&expires=", &later].concat(),
            None,
        ),
        (
            ["client_id=app&access_token=t&expires=", &later].concat(),
            None,
        ),
        (String::new(), None),
    ];
    let storage = web_sys::window()
        .expect("window")
        .session_storage()
        .expect("sessionStorage")
        .expect("sessionStorage");
    let (cfg_js, _) = config("app", &"wl.signin".into());
    for (text, want) in cases {
        storage.set_item(STORAGE_KEY, &text).expect("setItem");
        let js = stored_session
            .call1(&JsValue::NULL, &cfg_js)
            .expect("storedSession");
        let js_token = if js.is_null() {
            None
        } else {
            crate::prop(&js, "access_token")
        };
        let params = js_sys::Object::from_entries(
            &web_sys::UrlSearchParams::new_with_str(&text).expect("params"),
        )
        .expect("entries");
        let rust = Session::read(|k| wl_connect::js::get_string(&params, k), "app")
            .filter(|s| !s.is_expired(js_sys::Date::now() / 1000.0))
            .map(|s| s.access_token);
        assert_eq!(js_token.as_deref(), want, "wl.js on {text:?}");
        assert_eq!(rust.as_deref(), want, "the core on {text:?}");
    }
    storage.remove_item(STORAGE_KEY).expect("removeItem");
}

#[wasm_bindgen_test]
async fn a_login_needs_a_popup_alike_before_and_after_the_core() {
    let m = stored_js().await;
    let satisfied = js_fn(&m, "satisfied");
    let arr = |items: &[&str]| -> JsValue {
        items
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect::<js_sys::Array>()
            .into()
    };
    // (configured scope, the session's scopes, the login's scope, whether nothing is missing)
    let cases: Vec<(JsValue, &str, JsValue, bool)> = vec![
        ("".into(), "openid wl.signin", JsValue::UNDEFINED, true),
        ("  ".into(), "openid wl.signin", "".into(), true),
        (
            "wl.basic".into(),
            "openid wl.signin",
            JsValue::UNDEFINED,
            false,
        ),
        (
            "wl.basic".into(),
            "openid wl.basic",
            JsValue::UNDEFINED,
            true,
        ),
        ("wl.basic".into(), "wl.basic", JsValue::UNDEFINED, false),
        (
            "wl.basic,wl.emails".into(),
            "openid wl.basic wl.emails",
            "wl.emails".into(),
            true,
        ),
        (
            arr(&["wl.basic", "wl.emails"]),
            "openid wl.basic wl.emails",
            arr(&["wl.contacts"]),
            false,
        ),
        (
            "wl.basic".into(),
            "openid wl.basic wl.contacts",
            "wl.contacts, wl.basic".into(),
            true,
        ),
        (
            "wl.basic".into(),
            "openid wl.basic",
            "wl.Basic".into(),
            false,
        ),
    ];
    for (i, (configured, granted, asked, want)) in cases.into_iter().enumerate() {
        let (cfg_js, cfg) = config("app", &configured);
        let session = js_sys::Object::new();
        let scope: js_sys::Array = granted.split(' ').map(JsValue::from_str).collect();
        Reflect::set(&session, &"scope".into(), &scope).expect("set");
        let js = satisfied
            .call3(&JsValue::NULL, &session, &cfg_js, &asked)
            .expect("satisfied")
            .as_bool();
        // The option as the core reads it (strings as they are, arrays joined with spaces).
        let holder = js_sys::Object::new();
        Reflect::set(&holder, &"scope".into(), &asked).expect("set");
        let asked_text = wl_connect::js::get_string(&holder, "scope").unwrap_or_default();
        let rust = cfg
            .expect("config")
            .login_scopes(&Scopes::parse(&asked_text))
            .missing_from(&Scopes::parse(granted))
            .is_empty();
        assert_eq!(js, Some(want), "wl.js, case {i}");
        assert_eq!(rust, want, "the core, case {i}");
    }
}
