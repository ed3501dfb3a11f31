//! `<wl-signin>` in headless Chromium: attributes → rendering, clicks → `WL` calls and DOM events.
//!
//! `window.WL` is a small fake of the core (controls/common/src/fake-wl.js); the control is the real one.
#![allow(missing_docs)]
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, ShadowRoot};
use wl_controls_common::testing::{
    check_first_paint_is_taken_over, install_fake_wl, js, new_element, remove_wl, shadow_query,
    shadow_text, tick,
};
use wl_signin::WlSignin;

wasm_bindgen_test_configure!(run_in_browser);

/// The allocator of the published module (controls/basic), so the tests run on it too.
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

fn mount(attrs: &[(&str, &str)]) -> (HtmlElement, WlSignin) {
    let el = new_element("wl-signin", attrs);
    let ctl = WlSignin::new(el.clone().unchecked_into());
    wl_controls_common::testing::taken_over(&el);
    ctl.connected();
    (el, ctl)
}

fn label(el: &HtmlElement) -> String {
    shadow_text(el, "button .l").unwrap_or_default()
}

/// How many elements matching `selector` in `el`'s shadow root are drawn (have a box).
fn shown(el: &HtmlElement, selector: &str) -> u32 {
    let list = el
        .shadow_root()
        .expect("root")
        .query_selector_all(selector)
        .expect("q");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter(|n| {
            let e: &web_sys::Element = n.unchecked_ref();
            e.get_client_rects().length() > 0
        })
        .count() as u32
}

fn button(el: &HtmlElement) -> web_sys::HtmlElement {
    shadow_query(el, "button[part=button]")
        .expect("a real <button part=button>")
        .unchecked_into()
}

fn set(el: &HtmlElement, ctl: &WlSignin, name: &str, value: Option<&str>) {
    let old = el.get_attribute(name);
    match value {
        Some(v) => el.set_attribute(name, v).expect("set"),
        None => el.remove_attribute(name).expect("remove"),
    }
    ctl.attribute_changed(name.into(), old, value.map(str::to_owned));
}

/// Records the `detail` of every `name` event reaching `document` (proves bubbling + composed).
fn record(name: &'static str) -> Rc<RefCell<Vec<JsValue>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    let f = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        assert!(
            e.bubbles() && e.composed(),
            "{name} must bubble and be composed"
        );
        s.borrow_mut().push(e.detail());
    });
    web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
        .add_event_listener_with_callback(name, f.as_ref().unchecked_ref())
        .expect("listen");
    f.forget(); // test only
    seen
}

fn fake_calls(kind: &str) -> u32 {
    js(&format!(
        "return __wlFake.calls.filter(c => c.fn === '{kind}').length"
    ))
    .as_f64()
    .unwrap_or(0.0) as u32
}

#[wasm_bindgen_test]
fn renders_a_real_button_with_defaults() {
    install_fake_wl();
    let (el, _ctl) = mount(&[]);
    let root: ShadowRoot = el.shadow_root().expect("open shadow root");
    assert_eq!(
        root.adopted_style_sheets().length(),
        1,
        "styles are adopted"
    );
    let b = button(&el);
    assert_eq!(b.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(b.class_name(), "b t-blue s-medium p-rect g-windows");
    assert_eq!(label(&el), "Sign in");
    assert_eq!(
        b.text_content().as_deref(),
        Some("Sign in"),
        "accessible name"
    );
    assert_eq!(shown(&el, "svg.logo rect"), 4, "windows logo: four squares");
    assert_eq!(shown(&el, "svg.logo circle"), 0, "only the brand's mark");
    assert!(b.get_attribute("style").is_none(), "no inline styles");
}

#[wasm_bindgen_test]
fn labels_per_type_and_locale() {
    install_fake_wl();
    let (el, ctl) = mount(&[("type", "login")]);
    assert_eq!(label(&el), "Log in");
    set(&el, &ctl, "type", Some("connect"));
    assert_eq!(label(&el), "Connect");
    set(&el, &ctl, "locale", Some("fr-FR"));
    assert_eq!(label(&el), "Connecter");
    set(&el, &ctl, "type", Some("signin"));
    assert_eq!(label(&el), "Se connecter");
    set(&el, &ctl, "locale", Some("de"));
    assert_eq!(label(&el), "Anmelden");
    assert_eq!(button(&el).get_attribute("lang").as_deref(), Some("de"));
    // Signed in: the sign-out label.
    js("__wlFake.signIn()");
    assert_eq!(label(&el), "Abmelden");
    set(&el, &ctl, "locale", None);
    assert_eq!(label(&el), "Sign out");
}

/// A `<wl-signin>` inside a `<div lang=…>`, drawn by the first paint; returns (div, element).
fn painted_in_lang(lang: &str) -> (HtmlElement, HtmlElement) {
    let wrapper = new_element("div", &[("lang", lang)]);
    let el: HtmlElement = web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
        .create_element("wl-signin")
        .expect("el")
        .unchecked_into();
    wrapper.append_child(&el).expect("append");
    wl_controls_common::testing::first_paint(&el);
    (wrapper, el)
}

#[wasm_bindgen_test]
fn page_lang_is_used_without_locale() {
    install_fake_wl();
    let (wrapper, el) = painted_in_lang("es");
    let ctl = WlSignin::new(el.clone().unchecked_into());
    wl_controls_common::testing::taken_over(&el);
    ctl.connected();
    assert_eq!(label(&el), "Iniciar sesión");
    wrapper.remove();
}

#[wasm_bindgen_test]
fn attributes_rerender_at_once() {
    install_fake_wl();
    let (el, ctl) = mount(&[("theme", "dark"), ("size", "small"), ("shape", "pill")]);
    assert_eq!(
        button(&el).class_name(),
        "b t-dark s-small p-pill g-windows"
    );
    set(&el, &ctl, "theme", Some("white"));
    set(&el, &ctl, "size", Some("large"));
    set(&el, &ctl, "brand", Some("messenger"));
    assert_eq!(
        button(&el).class_name(),
        "b t-white s-large p-pill g-messenger"
    );
    assert_eq!(shown(&el, "svg.logo circle"), 2);
    assert_eq!(shown(&el, "svg.logo rect"), 0);
    set(&el, &ctl, "brand", Some("none"));
    assert_eq!(shown(&el, ".ic"), 0, "no logo");
}

#[wasm_bindgen_test]
fn unknown_values_fall_back_with_a_warning() {
    install_fake_wl();
    js("window.__warnings = []; window.__warn = console.warn; \
        console.warn = (m) => __warnings.push(String(m));");
    let (el, ctl) = mount(&[("theme", "purple"), ("size", "huge")]);
    set(&el, &ctl, "type", Some("custom"));
    js("console.warn = window.__warn;");
    assert_eq!(
        button(&el).class_name(),
        "b t-blue s-medium p-rect g-windows"
    );
    let warnings: Vec<String> = js("return __warnings")
        .unchecked_into::<js_sys::Array>()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("theme \"purple\"") && w.contains("\"blue\"")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("size \"huge\"")));
    assert!(warnings.iter().any(|w| w.contains("sign-in-text")));
    // Custom without texts falls back to the built-in label.
    assert_eq!(label(&el), "Sign in");
}

#[wasm_bindgen_test]
fn custom_and_legacy_texts_are_text_not_html() {
    install_fake_wl();
    let evil = "<img src=x onerror=alert(1)>";
    let (el, _ctl) = mount(&[
        ("type", "custom"),
        ("sign-in-text", evil),
        ("sign-out-text", "Bye"),
    ]);
    assert_eq!(label(&el), evil);
    assert!(
        el.shadow_root()
            .expect("root")
            .query_selector("img")
            .expect("q")
            .is_none()
    );
    js("__wlFake.signIn()");
    assert_eq!(label(&el), "Bye");

    let (el, _ctl) = mount(&[
        ("type", "custom"),
        ("signed-out-text", "Come in"),
        ("signed-in-text", "Leave"),
    ]);
    assert_eq!(label(&el), "Leave", "signed in: the legacy signed-in-text");
    js("__wlFake.signOut()");
    assert_eq!(label(&el), "Come in");
}

#[wasm_bindgen_test]
async fn click_signs_in_synchronously_and_fires_wl_login() {
    install_fake_wl();
    let logins = record("wl-login");
    js("window.__onSignin = []; window.myApp = { signedIn: (s) => __onSignin.push(s) };");
    let (el, _ctl) = mount(&[
        ("scope", "wl.basic wl.emails"),
        ("on-signin", "myApp.signedIn"),
    ]);
    let before = logins.borrow().len();
    button(&el).click();
    // WL.login was called inside the click handler, before any await.
    assert_eq!(fake_calls("login"), 1);
    assert_eq!(
        js("return __wlFake.calls[0].opts.scope")
            .as_string()
            .as_deref(),
        Some("wl.basic wl.emails")
    );
    assert!(js("return !('fallback' in __wlFake.calls[0].opts)").is_truthy());
    assert!(js("return !('mode' in __wlFake.calls[0].opts)").is_truthy());
    let b = button(&el);
    assert_eq!(b.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(label(&el), "Signing in…");

    js("__wlFake.resolveLogin({ access_token: 't1', scope: ['wl.basic'] })");
    tick().await;
    assert_eq!(b.get_attribute("aria-busy"), None);
    assert_eq!(label(&el), "Sign out");
    assert_eq!(logins.borrow().len(), before + 1);
    let detail = logins.borrow().last().cloned().expect("detail");
    assert_eq!(
        js_sys::Reflect::get(&detail, &"access_token".into())
            .expect("get")
            .as_string()
            .as_deref(),
        Some("t1"),
        "wl-login detail is the session"
    );
    assert!(
        js("return __onSignin.length === 1 && __onSignin[0].access_token === 't1'").is_truthy()
    );
}

#[wasm_bindgen_test]
async fn click_when_signed_in_signs_out_and_fires_wl_logout() {
    install_fake_wl();
    js("__wlFake.signIn()");
    let logouts = record("wl-logout");
    js("window.__signedOut = 0; window.bye = () => { __signedOut++; };");
    let (el, _ctl) = mount(&[("on-signout", "bye")]);
    assert_eq!(label(&el), "Sign out");
    let before = logouts.borrow().len();
    button(&el).click();
    assert_eq!(fake_calls("logout"), 1);
    tick().await;
    assert_eq!(label(&el), "Sign in");
    assert_eq!(logouts.borrow().len(), before + 1);
    assert!(js("return __signedOut === 1").is_truthy());
}

#[wasm_bindgen_test]
async fn popup_blocked_says_so_and_the_next_click_retries() {
    install_fake_wl();
    let errors = record("wl-error");
    let (el, ctl) = mount(&[("fallback", "redirect")]);
    button(&el).click();
    assert!(js("return __wlFake.calls[0].opts.fallback === 'redirect'").is_truthy());
    assert!(js("return !('mode' in __wlFake.calls[0].opts)").is_truthy());
    let before = errors.borrow().len();
    js("__wlFake.rejectLogin('popup_blocked')");
    tick().await;
    assert_eq!(label(&el), "Pop-up blocked — click to try again");
    assert!(button(&el).class_name().contains("blocked"));
    assert_eq!(
        shadow_text(&el, "[role=status]").as_deref(),
        Some("Pop-up blocked — click to try again"),
        "announced to screen readers"
    );
    // A status event that changes nothing keeps the message.
    js("__wlFake.fire('auth.statusChange', { status: 'notConnected', session: null })");
    assert_eq!(label(&el), "Pop-up blocked — click to try again");
    assert_eq!(errors.borrow().len(), before + 1);
    let detail = errors.borrow().last().cloned().expect("detail");
    assert_eq!(
        js_sys::Reflect::get(&detail, &"code".into())
            .expect("code")
            .as_string()
            .as_deref(),
        Some("popup_blocked")
    );
    // Retry (this time asking the core to redirect straight away).
    set(&el, &ctl, "mode", Some("redirect"));
    button(&el).click();
    assert_eq!(fake_calls("login"), 2);
    assert!(js("return __wlFake.calls[1].opts.mode === 'redirect'").is_truthy());
    assert_eq!(label(&el), "Signing in…");
    assert_eq!(shadow_text(&el, "[role=status]").as_deref(), Some(""));
    js("__wlFake.resolveLogin()");
    tick().await;
    assert_eq!(label(&el), "Sign out");
}

#[wasm_bindgen_test]
async fn an_unreachable_provider_is_an_error_state_until_a_click_works() {
    install_fake_wl();
    let errors = record("wl-error");
    let (el, _ctl) = mount(&[]);
    for code in ["connection_failed", "timed_out"] {
        button(&el).click();
        let before = errors.borrow().len();
        js(&format!("__wlFake.rejectLogin('{code}')"));
        tick().await;
        assert_eq!(label(&el), "Can’t connect — click to try again");
        assert!(button(&el).class_name().contains("blocked"));
        assert_eq!(
            shadow_text(&el, "[role=status]").as_deref(),
            Some("Can’t connect — click to try again"),
            "announced to screen readers"
        );
        assert_eq!(el.get_attribute("data-wl-error").as_deref(), Some(code));
        assert_eq!(errors.borrow().len(), before + 1);
    }
    // A person's own decision is no error state.
    button(&el).click();
    js("__wlFake.rejectLogin('user_canceled')");
    tick().await;
    assert_eq!(label(&el), "Sign in");
    // The next click that works clears it.
    button(&el).click();
    js("__wlFake.resolveLogin()");
    tick().await;
    assert_eq!(label(&el), "Sign out");
    assert_eq!(el.get_attribute("data-wl-error"), None);
}

#[wasm_bindgen_test]
async fn a_superseded_login_does_not_clobber_the_new_one() {
    install_fake_wl();
    let (el, _ctl) = mount(&[]);
    button(&el).click();
    button(&el).click(); // the fake (like the core) cancels the first with request_canceled
    tick().await;
    assert_eq!(
        label(&el),
        "Signing in…",
        "still waiting for the second login"
    );
    js("__wlFake.rejectLogin('user_canceled')");
    tick().await;
    assert_eq!(label(&el), "Sign in");
    assert_eq!(button(&el).get_attribute("aria-busy"), None);
}

#[wasm_bindgen_test]
fn follows_session_events_and_unsubscribes_when_disconnected() {
    install_fake_wl();
    let (el, ctl) = mount(&[]);
    assert!(js("return __wlFake.subscribers('auth.sessionChange') === 1").is_truthy());
    js("__wlFake.signIn()");
    assert_eq!(label(&el), "Sign out");
    js("__wlFake.fire('auth.statusChange', { status: 'notConnected', session: null })");
    assert_eq!(label(&el), "Sign in");
    ctl.disconnected();
    assert!(js("return __wlFake.subscribers('auth.sessionChange') === 0").is_truthy());
    assert!(js("return __wlFake.subscribers('auth.statusChange') === 0").is_truthy());
    // Re-connect subscribes again and picks up the current session.
    js("__wlFake.signIn()");
    ctl.connected();
    assert_eq!(label(&el), "Sign out");
    drop(ctl); // free(): nothing stays subscribed
    assert!(js("return __wlFake.subscribers('auth.sessionChange') === 0").is_truthy());
}

#[wasm_bindgen_test]
async fn without_the_loader_a_click_reports_wl_error() {
    remove_wl();
    let errors = record("wl-error");
    let (el, _ctl) = mount(&[]);
    assert_eq!(label(&el), "Sign in");
    let before = errors.borrow().len();
    button(&el).click();
    assert_eq!(errors.borrow().len(), before + 1);
    let detail = errors.borrow().last().cloned().expect("detail");
    assert_eq!(
        js_sys::Reflect::get(&detail, &"code".into())
            .expect("code")
            .as_string()
            .as_deref(),
        Some("invalid_request")
    );
    assert_eq!(label(&el), "Sign in");
}

/// `wl.js`'s first paint (`www/src/paint.js`, drawn from the build's copy of this control's
/// tables) is exactly what the control shows once it takes the element over, for every case of
/// this one table: so taking over changes nothing on screen (no flash, no shift).
#[wasm_bindgen_test]
fn the_first_paint_is_what_the_control_draws() {
    install_fake_wl();
    let cases: &[&[(&str, &str)]] = &[
        &[],
        &[("theme", "dark"), ("size", "small"), ("shape", "pill")],
        &[
            ("theme", " WHITE "),
            ("size", "large"),
            ("brand", "messenger"),
        ],
        &[
            ("theme", "light"),
            ("brand", "none"),
            ("shape", "rectangle"),
        ],
        &[("brand", "live"), ("theme", "neon"), ("size", "huge")],
        &[("type", "login"), ("locale", "fr-CA")],
        &[("type", "connect"), ("locale", "de_CH")],
        &[("type", "custom"), ("sign-in-text", "Go <b>in</b>")],
        &[
            ("signed-out-text", "  Old text "),
            ("locale", "xx"),
            ("type", "signin"),
        ],
        &[
            ("locale", "es"),
            ("mode", "redirect"),
            ("fallback", "redirect"),
        ],
        &[("locale", "it"), ("type", "LOGIN")],
        &[
            ("theme", "constructor"),
            ("locale", "__proto__"),
            ("type", "toString"),
        ],
    ];
    check_first_paint_is_taken_over("wl-signin", cases, |el| {
        let ctl = WlSignin::new(el.clone().unchecked_into());
        ctl.connected();
        ctl
    });
    // A signed-in visitor (a stored session before the core is there): "Sign out" at once, in
    // every type and with the page's own text.
    js("__wlFake.signIn()");
    for attrs in [
        &[][..],
        &[("type", "login"), ("locale", "fr")],
        &[
            ("type", "custom"),
            ("sign-in-text", "In"),
            ("sign-out-text", "Out"),
        ],
        &[("signed-in-text", "Old out"), ("locale", "it")],
    ] {
        let el = new_element("wl-signin", attrs);
        let root = el.shadow_root().expect("the first paint's shadow root");
        let painted = root.inner_html();
        WlSignin::new(el.clone().unchecked_into()).connected();
        assert_eq!(root.inner_html(), painted, "signed in: {attrs:?}");
        el.remove();
    }
    js("__wlFake.signOut()");
    // The page's language, from the nearest `lang`.
    let (wrapper, el) = painted_in_lang("de");
    let root = el.shadow_root().expect("root");
    let painted = root.inner_html();
    assert!(painted.contains("Anmelden"), "{painted}");
    WlSignin::new(el.clone().unchecked_into()).connected();
    assert_eq!(root.inner_html(), painted);
    wrapper.remove();
}

/// A click on the first paint, before the control took it over, signs in at once (`WL.login`
/// in the click, so the popup may open); the control, taking over, shows that sign-in pending and
/// settles it as its own (`wl-login`, `on-signin`; or the error state and `wl-error`).
#[wasm_bindgen_test]
async fn a_click_before_the_control_signs_in_and_the_control_settles_it() {
    install_fake_wl();
    let logins = record("wl-login");
    let errors = record("wl-error");
    js("window.__onSignin = []; window.myApp = { signedIn: (s) => __onSignin.push(s) };");
    let el = new_element(
        "wl-signin",
        &[
            ("scope", "wl.basic wl.emails"),
            ("on-signin", "myApp.signedIn"),
        ],
    );
    button(&el).click();
    assert_eq!(fake_calls("login"), 1, "WL.login in the click");
    let scope = js("return __wlFake.calls.filter(c => c.fn === 'login')[0].opts.scope");
    assert_eq!(scope.as_string().as_deref(), Some("wl.basic wl.emails"));
    // The module arrives (as wl.js does it: construct, connect, hand over the pending login).
    let ctl = WlSignin::new(el.clone().unchecked_into());
    wl_controls_common::testing::taken_over(&el);
    ctl.connected();
    let pending = js_sys::Reflect::get(&el, &"__wle".into()).expect("el.__wle");
    ctl.pending(pending);
    assert_eq!(label(&el), "Signing in…");
    assert_eq!(
        button(&el).get_attribute("aria-busy").as_deref(),
        Some("true")
    );
    let before = logins.borrow().len();
    js("__wlFake.resolveLogin({ access_token: 't1', scope: ['wl.basic'] })");
    tick().await;
    assert_eq!(label(&el), "Sign out");
    assert_eq!(logins.borrow().len(), before + 1, "one wl-login");
    assert!(js("return __onSignin.length === 1").is_truthy());
    assert_eq!(fake_calls("login"), 1, "the control did not sign in again");
    el.remove();

    // Blocked: the control shows it, and tells the page once.
    install_fake_wl();
    let el = new_element("wl-signin", &[]);
    button(&el).click();
    let ctl = WlSignin::new(el.clone().unchecked_into());
    wl_controls_common::testing::taken_over(&el);
    ctl.connected();
    ctl.pending(js_sys::Reflect::get(&el, &"__wle".into()).expect("el.__wle"));
    let before = errors.borrow().len();
    js("__wlFake.rejectLogin('popup_blocked')");
    tick().await;
    assert!(label(&el).starts_with("Pop-up blocked"), "{}", label(&el));
    assert_eq!(errors.borrow().len(), before + 1, "one wl-error");
    el.remove();
}
