//! The core's steps (src/steps.rs) in the real browser, in the order `wl.js` calls them:
//! configuration, restore, the login plan, the authorization request, the callback's answer,
//! the token answer and the session, API errors, the end. One test: the state is per page.

use js_sys::{Array, Object, Reflect};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use wl_connect::scope::Scopes;
use wl_connect::session::{Session, TokenResponse};
use wl_connect::steps;

use crate::prop;

fn opts(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o.into()
}

/// A query's or form's parameters as the object `wl.js` hands the core (`Object.fromEntries(new
/// URLSearchParams(q))`).
fn params(q: &str) -> JsValue {
    let p = SearchParams::new(&q.into());
    Object::from_entries(&p).expect("entries").into()
}

/// An object the core made as a query string, as `wl.js` encodes it (`new URLSearchParams(o)`).
fn encoded(o: &JsValue) -> String {
    SearchParams::new(o).text()
}

#[wasm_bindgen]
extern "C" {
    /// `URLSearchParams`, as wl.js uses it.
    #[wasm_bindgen(js_name = URLSearchParams)]
    type SearchParams;
    #[wasm_bindgen(constructor, js_class = "URLSearchParams")]
    fn new(init: &JsValue) -> SearchParams;
    #[wasm_bindgen(method, js_class = "URLSearchParams", js_name = toString)]
    fn text(this: &SearchParams) -> String;
}

fn code(e: &JsValue) -> String {
    prop(e, "code").unwrap_or_default()
}

fn b64(s: &str) -> String {
    wl_connect::b64::encode(s.as_bytes())
}

#[wasm_bindgen_test]
fn configure_restore_login_token_end() {
    // Not configured yet: invalid_request that says what to do.
    let e = steps::login(JsValue::NULL, true).expect_err("not configured");
    assert_eq!(code(&e), "invalid_request");
    assert!(
        prop(&e, "message")
            .unwrap_or_default()
            .contains("configure")
    );

    let bad = steps::configure(opts(&[("client_id", "x".into())])).expect_err("no authority");
    assert_eq!(code(&bad), "invalid_request");

    let scope = Array::of2(&"wl.signin".into(), &"wl.basic".into());
    let c = steps::configure(opts(&[
        ("client_id", "wl-test".into()),
        ("authority", "http://127.0.0.1:9/".into()),
        ("redirect_uri", "http://127.0.0.1:9/callback.html".into()),
        ("scope", scope.into()),
        ("logging", false.into()),
        ("timeout", 5000.into()),
    ]))
    .expect("configure");
    assert_eq!(prop(&c, "storage").as_deref(), Some("session"));
    assert_eq!(
        prop(&c, "discovery").as_deref(),
        Some("http://127.0.0.1:9/.well-known/openid-configuration")
    );
    // The first configuration stays.
    assert!(
        steps::configure(opts(&[("client_id", "other".into())]))
            .expect("ignored")
            .is_null()
    );

    // A stored, unexpired session for this client is restored; another client's is not.
    let now = js_sys::Date::now() / 1000.0;
    let stored = |client: &str, expires_in: f64, refresh: bool| {
        let t = TokenResponse {
            access_token: "at-1".into(),
            expires_in: Some(expires_in),
            scope: Some("openid wl.signin wl.basic".into()),
            refresh_token: refresh.then(|| "rt-1".into()),
            id_token: None,
        };
        let f = Session::from_token(client, t, &Scopes::default(), now, None).fields();
        let o = Object::new();
        for (k, v) in f {
            Reflect::set(&o, &k.into(), &v.into()).expect("set");
        }
        // Through its storage form and back, as wl.js keeps it.
        params(&encoded(&o))
    };
    assert_eq!(steps::restore(stored("other", 3600.0, false)), 0);
    assert_eq!(steps::restore(stored("wl-test", 0.0, false)), 3);
    assert_eq!(steps::restore(stored("wl-test", 3600.0, true)), 1);
    let s = steps::session();
    assert_eq!(prop(&s, "access_token").as_deref(), Some("at-1"));
    let scopes: Array = Reflect::get(&s, &"scope".into())
        .expect("scope")
        .unchecked_into();
    assert_eq!(scopes.length(), 3);
    assert!(encoded(&steps::refresh_body()).contains("refresh_token=rt-1"));
    assert!(steps::renew_in() > 0.0);

    // Nothing missing: the session at once, without a popup; a missing scope without a popup
    // is popup_blocked, or a redirect with the fallback.
    let s = steps::login(opts(&[("scope", "wl.basic".into())]), false).expect("no popup needed");
    assert_eq!(prop(&s, "access_token").as_deref(), Some("at-1"));
    let e = steps::login(opts(&[("scope", "wl.contacts".into())]), false).expect_err("blocked");
    assert_eq!(code(&e), "popup_blocked");
    let r = steps::login(
        opts(&[
            ("scope", "wl.contacts".into()),
            ("fallback", "redirect".into()),
        ]),
        false,
    )
    .expect("redirect");
    assert_eq!(r.as_bool(), Some(true));
    assert_eq!(
        steps::login(opts(&[("scope", "wl.contacts".into())]), true)
            .expect("popup")
            .as_bool(),
        Some(false)
    );

    // Discovery, then the authorization request: the union of scopes, PKCE S256, popup display.
    let disco = opts(&[
        ("issuer", "http://127.0.0.1:9".into()),
        (
            "authorization_endpoint",
            "http://127.0.0.1:9/authorize".into(),
        ),
        ("token_endpoint", "http://127.0.0.1:9/token".into()),
        ("jwks_uri", "http://127.0.0.1:9/jwks".into()),
        ("wl_api_base", "http://127.0.0.1:9/v1/".into()),
    ]);
    // A document naming another issuer than the configured authority (OIDC Discovery §4.3).
    let other = Object::assign(&Object::new(), disco.unchecked_ref());
    Reflect::set(&other, &"issuer".into(), &"http://127.0.0.1:10".into()).expect("set");
    let e = steps::discovered(other.into(), true).expect_err("another issuer");
    assert_eq!(code(&e), "connection_failed");
    let e = steps::discovered(disco.clone(), false).expect_err("HTTP error");
    assert_eq!(code(&e), "connection_failed");
    let d = steps::discovered(disco, true).expect("discovery");
    assert_eq!(
        prop(&d, "token").as_deref(),
        Some("http://127.0.0.1:9/token")
    );
    assert_eq!(prop(&d, "jwks").as_deref(), Some("http://127.0.0.1:9/jwks"));
    let random: Vec<u8> = (0..64u8).collect();
    let verifier = wl_connect::pkce::verifier(&random[..32]);
    let digest = Sha256::digest(verifier.as_bytes());
    let a = steps::authorize(&random, &digest, false, String::new()).expect("authorize");
    assert_eq!(
        prop(&a, "url").as_deref(),
        Some("http://127.0.0.1:9/authorize")
    );
    let url = encoded(&Reflect::get(&a, &"query".into()).expect("query"));
    assert!(url.starts_with("response_type=code&client_id=wl-test"));
    assert!(url.contains("scope=openid+wl.signin+wl.basic+wl.contacts"));
    assert!(url.contains("code_challenge_method=S256") && url.contains("display=popup"));
    let challenge = wl_connect::pkce::challenge(&digest);
    assert!(url.contains(&["code_challenge=", &challenge].concat()));
    let state = wl_connect::state::random_token(&random[32..48]);
    let nonce = wl_connect::state::random_token(&random[48..64]);

    // The callback's answer: only ours matches; a denial is access_denied.
    assert!(!steps::matches(params("?code=c&state=someone-else")));
    let ours = ["?code=c1&state=", &state].concat();
    assert!(steps::matches(params(&ours)));
    assert!(steps::is_callback(params(&ours)));
    assert!(!steps::is_callback(params("?page=2")));
    let e =
        steps::code(params(&["?error=access_denied&state=", &state].concat())).expect_err("denied");
    assert_eq!(code(&e), "access_denied");
    let body = encoded(&steps::code(params(&ours)).expect("code"));
    assert!(body.contains("code=c1") && body.contains(&["code_verifier=", &verifier].concat()));

    // The token answer: an ID token with the wrong nonce is invalid_state; the right one signs in.
    // wl.js hands the core the ID token's claims once it has verified its signature.
    let payload = |nonce: &str| {
        [
            r#"{"iss":"http://127.0.0.1:9","aud":["other","wl-test"],"azp":"wl-test","sub":"alice","iat":"#,
            &wl_connect::oidc::decimal(now as u64),
            r#","exp":"#,
            &wl_connect::oidc::decimal(now as u64 + 600),
            r#","nonce":""#,
            nonce,
            r#""}"#,
        ]
        .concat()
    };
    let claims = |nonce: &str| js_sys::JSON::parse(&payload(nonce)).expect("claims");
    let id_token = |nonce: &str| [&b64("{}"), ".", &b64(&payload(nonce)), ".sig"].concat();
    let answer = |nonce: &str| {
        opts(&[
            ("access_token", "at-2".into()),
            ("expires_in", 3600.into()),
            ("scope", "openid wl.signin wl.basic wl.contacts".into()),
            ("id_token", id_token(nonce).into()),
        ])
    };
    let e = steps::token(
        opts(&[("error", "invalid_grant".into())]),
        false,
        false,
        JsValue::UNDEFINED,
    )
    .expect_err("oauth error");
    assert_eq!(code(&e), "invalid_grant");
    let e = steps::token(answer("not-ours"), true, false, claims("not-ours")).expect_err("nonce");
    assert_eq!(code(&e), "invalid_state");
    // The failed answer ended that sign-in; start another one for the same scopes.
    steps::login(opts(&[("scope", "wl.contacts".into())]), true).expect("popup");
    let a = steps::authorize(&random, &digest, false, String::new()).expect("authorize");
    assert!(prop(&a, "url").is_some());
    // Claims that are not an object (wl.js could not decode them) are refused.
    let e = steps::token(answer(&nonce), true, false, JsValue::NULL).expect_err("no claims");
    assert_eq!(code(&e), "invalid_token");
    steps::login(opts(&[("scope", "wl.contacts".into())]), true).expect("popup");
    steps::authorize(&random, &digest, false, String::new()).expect("authorize");
    steps::token(answer(&nonce), true, false, claims(&nonce)).expect("signed in");
    let s = steps::session();
    assert_eq!(prop(&s, "access_token").as_deref(), Some("at-2"));
    assert_eq!(prop(&s, "user_id").as_deref(), Some("alice"));

    // API calls: checked, resolved against the API base, errors mapped.
    let e = steps::api(opts(&[]), false, JsValue::UNDEFINED, JsValue::NULL).expect_err("no path");
    assert_eq!(code(&e), "invalid_request");
    let req = steps::api("me".into(), true, JsValue::UNDEFINED, JsValue::NULL).expect("api");
    assert_eq!(
        prop(&req, "url").as_deref(),
        Some("http://127.0.0.1:9/v1/me")
    );
    assert_eq!(prop(&req, "token").as_deref(), Some("at-2"));
    // Query values: arrays joined with commas, numbers as JSON, OData names with their `$`.
    let query = opts(&[
        ("select", Array::of2(&"id".into(), &"name".into()).into()),
        ("top", 5.into()),
    ]);
    let req = steps::api(
        opts(&[
            ("path", "/v1/me/friends".into()),
            ("method", "post".into()),
            ("query", query),
            ("body", opts(&[("a", 1.into())])),
        ]),
        true,
        JsValue::UNDEFINED,
        JsValue::NULL,
    )
    .expect("api");
    // The query is wl.js's (watcher.rs, `api_query_is_appended_by_wl_js`).
    assert_eq!(
        prop(&req, "url").as_deref(),
        Some("http://127.0.0.1:9/v1/me/friends")
    );
    assert_eq!(prop(&req, "method").as_deref(), Some("POST"));
    assert_eq!(prop(&req, "body").as_deref(), Some(r#"{"a":1}"#));
    let e = steps::api_error(
        403,
        JsValue::NULL,
        opts(&[
            ("error", "insufficient_scope".into()),
            ("scope", "wl.photos".into()),
        ]),
    );
    assert_eq!(code(&e), "insufficient_scope");
    assert_eq!(prop(&e, "scope").as_deref(), Some("wl.photos"));

    // The end: revocation bodies for the access token, the session gone.
    let forms: Array = steps::end().unchecked_into();
    assert_eq!(forms.length(), 1);
    assert_eq!(encoded(&forms.get(0)), "token=at-2&client_id=wl-test");
    assert!(steps::session().is_null());
    assert!(steps::stored().is_null());
    assert_eq!(steps::renew_in(), -1.0);
}

/// In the browser UTF-8 is checked by `decodeURIComponent` (not Rust's validator): the same
/// answers as natively, for ID-token payloads.
#[wasm_bindgen_test]
fn utf8_is_checked_in_the_browser() {
    use wl_connect::oidc;
    assert_eq!(
        oidc::utf8("é😀 a%+".as_bytes().to_vec()).as_deref(),
        Some("é😀 a%+")
    );
    assert_eq!(oidc::utf8(vec![0xff, b'a']), None);
    assert_eq!(oidc::utf8(vec![0xe2, 0x82]), None);
    let payload = ["x.", &b64(r#"{"name":"Zoë"}"#), ".s"].concat();
    assert_eq!(
        oidc::jwt_payload(&payload).as_deref(),
        Ok(r#"{"name":"Zoë"}"#)
    );
}
