//! `<wl-userinfo>` in headless Chromium: session → fetch → rendering, layouts, `cid`, slotted
//! fallback, text-not-HTML, errors that do not throw.
//!
//! `window.WL` is a small fake of the core (controls/common/src/fake-wl.js); the control is the real one.
#![allow(missing_docs)]
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;
use wl_controls_common::testing::{
    check_first_paint_is_taken_over, install_fake_wl, js, new_element, shadow_query, shadow_text,
    sleep, tick,
};
use wl_userinfo::WlUserinfo;

wasm_bindgen_test_configure!(run_in_browser);

/// The allocator of the published module (controls/basic), so the tests run on it too.
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

const PEOPLE: &str = "
  __wlFake.people.me = { id: 'alice', name: 'Alice Liddell', first_name: 'Alice',
    last_name: 'Liddell', picture: 'http://127.0.0.1:9/alice.png' };
  __wlFake.people.bob = { id: 'bob', name: 'Bob', first_name: 'Robert', last_name: 'Jones',
    picture: 'http://127.0.0.1:9/bob.png' };
  __wlFake.people.mallory = { id: 'mallory', name: '<img src=x onerror=alert(1)>',
    picture: 'javascript:alert(2)' };
";

fn setup(signed_in: bool) {
    install_fake_wl();
    js(PEOPLE);
    if signed_in {
        js("__wlFake.signIn()");
    }
}

fn mount(attrs: &[(&str, &str)]) -> (HtmlElement, WlUserinfo) {
    let el = new_element("wl-userinfo", attrs);
    let ctl = WlUserinfo::new(el.clone().unchecked_into());
    ctl.connected();
    (el, ctl)
}

fn card_visible(el: &HtmlElement) -> bool {
    !shadow_query(el, "[part=container]")
        .expect("container")
        .has_attribute("hidden")
}

fn slot_visible(el: &HtmlElement) -> bool {
    !shadow_query(el, "slot")
        .expect("slot")
        .has_attribute("hidden")
}

fn name(el: &HtmlElement) -> String {
    shadow_text(el, "[part=name]").unwrap_or_default()
}

#[wasm_bindgen_test]
async fn signed_in_shows_picture_and_name() {
    setup(true);
    let (el, _ctl) = mount(&[]);
    assert!(card_visible(&el), "a placeholder while loading");
    tick().await;
    assert_eq!(name(&el), "Alice Liddell");
    let img = shadow_query(&el, "img[part=picture]").expect("img");
    assert_eq!(img.get_attribute("alt").as_deref(), Some(""));
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("http://127.0.0.1:9/alice.png")
    );
    assert!(!slot_visible(&el));
    assert!(
        js("return __wlFake.calls.some(c => c.fn === 'api' && c.opts.path === 'me')").is_truthy()
    );
    assert_eq!(
        shadow_query(&el, "[part=container]")
            .expect("card")
            .class_name(),
        "u compact"
    );
}

#[wasm_bindgen_test]
async fn full_layout_has_a_second_line() {
    setup(true);
    let (el, ctl) = mount(&[("layout", "full"), ("locale", "fr")]);
    tick().await;
    let card = shadow_query(&el, "[part=container]").expect("card");
    assert_eq!(card.class_name(), "u full");
    assert_eq!(
        shadow_text(&el, "[part=detail]").as_deref(),
        Some("Connecté")
    );
    // Changing the layout re-renders at once, without a new fetch.
    let calls = js("return __wlFake.calls.length").as_f64();
    el.set_attribute("layout", "compact").expect("set");
    ctl.attribute_changed("layout".into(), Some("full".into()), Some("compact".into()));
    assert_eq!(card.class_name(), "u compact");
    assert_eq!(js("return __wlFake.calls.length").as_f64(), calls);
    el.set_attribute("theme", "dark").expect("set");
    ctl.attribute_changed("theme".into(), None, Some("dark".into()));
    assert_eq!(card.class_name(), "u compact t-dark");
}

#[wasm_bindgen_test]
async fn cid_shows_another_person() {
    setup(true);
    let (el, ctl) = mount(&[("cid", "bob"), ("layout", "full")]);
    tick().await;
    assert_eq!(name(&el), "Bob");
    assert_eq!(
        shadow_text(&el, "[part=detail]").as_deref(),
        Some("Robert Jones")
    );
    el.remove_attribute("cid").expect("remove");
    ctl.attribute_changed("cid".into(), Some("bob".into()), None);
    tick().await;
    assert_eq!(name(&el), "Alice Liddell");
}

#[wasm_bindgen_test]
async fn provider_text_is_text_not_html() {
    setup(true);
    let (el, _ctl) = mount(&[("cid", "mallory")]);
    tick().await;
    assert_eq!(name(&el), "<img src=x onerror=alert(1)>");
    let root = el.shadow_root().expect("root");
    // The only <img> is our own picture element, and it never got the javascript: URL.
    let img = root.query_selector("img").expect("q").expect("img");
    assert_eq!(img.get_attribute("part").as_deref(), Some("picture"));
    assert!(img.get_attribute("src").is_none());
    assert!(img.has_attribute("hidden"));
    assert_eq!(shadow_text(&el, ".mono").as_deref(), Some("<"));
}

#[wasm_bindgen_test]
async fn signed_out_shows_slotted_fallback_and_follows_the_session() {
    setup(false);
    let el = new_element("wl-userinfo", &[]);
    let fallback = new_element("span", &[]);
    fallback.set_text_content(Some("Not signed in"));
    el.append_child(&fallback).expect("append");
    let ctl = WlUserinfo::new(el.clone().unchecked_into());
    ctl.connected();
    assert!(!card_visible(&el));
    assert!(slot_visible(&el));
    let assigned = shadow_query(&el, "slot")
        .expect("slot")
        .unchecked_into::<web_sys::HtmlSlotElement>()
        .assigned_nodes()
        .length();
    assert_eq!(assigned, 1, "the fallback content is slotted");
    assert!(js("return !__wlFake.calls.some(c => c.fn === 'api')").is_truthy());

    js("__wlFake.signIn()");
    tick().await;
    assert!(card_visible(&el));
    assert!(!slot_visible(&el));
    assert_eq!(name(&el), "Alice Liddell");
    let fetches = js("return __wlFake.calls.filter(c => c.fn === 'api').length").as_f64();
    assert_eq!(
        fetches,
        Some(1.0),
        "sessionChange + statusChange → one fetch"
    );

    // A new session (another token: e.g. more scopes, or another person) re-fetches.
    js("__wlFake.people.me = { name: 'Bob Martin' }; \
        __wlFake.signIn({ access_token: 'second', scope: ['wl.basic'] })");
    tick().await;
    assert_eq!(name(&el), "Bob Martin");

    js("__wlFake.signOut()");
    assert!(!card_visible(&el));
    assert!(slot_visible(&el));
    assert_eq!(name(&el), "");
}

#[wasm_bindgen_test]
async fn errors_do_not_throw_and_fire_wl_error() {
    setup(true);
    js(
        "window.__errs = []; document.addEventListener('wl-error', e => __errs.push(e.detail.code));",
    );
    let (el, _ctl) = mount(&[("cid", "nobody")]);
    tick().await;
    assert!(!card_visible(&el));
    assert!(slot_visible(&el));
    assert!(js("return __errs.includes('resource_not_found')").is_truthy());
}

#[wasm_bindgen_test]
async fn stale_responses_are_ignored() {
    setup(true);
    js("__wlFake.apiDelay = 30;");
    let (el, ctl) = mount(&[("cid", "bob")]);
    // Switch to the viewer before bob's answer arrives.
    el.remove_attribute("cid").expect("remove");
    ctl.attribute_changed("cid".into(), Some("bob".into()), None);
    sleep(80).await;
    assert_eq!(name(&el), "Alice Liddell");
}

#[wasm_bindgen_test]
async fn picture_error_falls_back_to_a_monogram() {
    setup(true);
    let (el, _ctl) = mount(&[]);
    // http://127.0.0.1:9 refuses connections: the image fails to load.
    for _ in 0..50 {
        sleep(20).await;
        if shadow_query(&el, "img[part=picture]")
            .expect("img")
            .has_attribute("hidden")
        {
            break;
        }
    }
    assert!(
        shadow_query(&el, "img[part=picture]")
            .expect("img")
            .has_attribute("hidden")
    );
    let mono = shadow_query(&el, ".mono").expect("mono");
    assert!(!mono.has_attribute("hidden"));
    assert_eq!(mono.text_content().as_deref(), Some("A"));
}

#[wasm_bindgen_test]
fn disconnect_unsubscribes() {
    setup(false);
    let (_el, ctl) = mount(&[]);
    assert!(js("return __wlFake.subscribers('auth.sessionChange') === 1").is_truthy());
    ctl.disconnected();
    assert!(js("return __wlFake.subscribers('auth.sessionChange') === 0").is_truthy());
    ctl.connected();
    drop(ctl);
    assert!(js("return __wlFake.subscribers('auth.sessionChange') === 0").is_truthy());
}

/// `wl.js`'s first paint (`www/src/paint.js`) is exactly what the control shows signed out once
/// it takes the element over, for every case of this one table (no flash, no shift).
#[wasm_bindgen_test]
fn the_first_paint_is_what_the_control_draws_signed_out() {
    setup(false);
    let cases: &[&[(&str, &str)]] = &[
        &[],
        &[("layout", "full")],
        &[("layout", " FULL "), ("theme", "dark")],
        &[("theme", "blue"), ("layout", "wide")],
        &[("cid", "friend-1"), ("locale", "fr")],
        &[("theme", "neon"), ("locale", " xx-YY ")],
        &[("layout", "constructor"), ("theme", "__proto__")],
    ];
    check_first_paint_is_taken_over("wl-userinfo", cases, |el| {
        let ctl = WlUserinfo::new(el.clone().unchecked_into());
        ctl.connected();
        ctl
    });
}
