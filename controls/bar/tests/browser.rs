//! `<wl-bar>` in headless Chromium: attributes and session → rendering, state → DOM (text only,
//! never HTML), the sign-in click → `WL.login` within the gesture.
//!
//! `window.WL` is a small fake of the core (below; the core is not under test here); the bar's
//! control and view are the real ones. The hub is not involved: views are rendered from states
//! built by the real reducer from hub frames.
#![allow(missing_docs)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, ShadowRoot};
use wl_bar::WlBar;
use wl_bar::protocol::{ServerFrame, WireMessage, parse};
use wl_bar::state::State;
use wl_bar::view::{Panel, Ui, View};

wasm_bindgen_test_configure!(run_in_browser);

/// A fake core: records calls in `window.__wlFake.calls`; `__wlFake.session` is what
/// `getSession()` returns; `login` resolves with a session carrying every scope asked for.
const FAKE_WL: &str = r#"
const fake = { calls: [], session: null, subs: {}, feed: { data: [] } };
window.__wlFake = fake;
const fire = (name, v) => (fake.subs[name] || []).forEach(f => f(v));
window.WL = {
  getSession() { fake.calls.push(['getSession']); return fake.session; },
  login(opts) {
    fake.calls.push(['login', opts && opts.scope, !!navigator.userActivation && navigator.userActivation.isActive]);
    fake.session = { access_token: 'tok', scope: String(opts.scope).split(' ') };
    return Promise.resolve({ status: 'connected', session: fake.session }).then(v => { fire('auth.sessionChange', fake.session); return v; });
  },
  logout() { fake.calls.push(['logout']); fake.session = null; fire('auth.logout', null); fire('auth.sessionChange', null); return Promise.resolve(); },
  api(o) { fake.calls.push(['api', o.path, o.method]); return Promise.resolve(fake.feed); },
  getProvider() { return Promise.resolve({ issuer: 'x', api_base: 'x', messenger_hub: null }); },
  Event: {
    subscribe(n, f) { (fake.subs[n] = fake.subs[n] || []).push(f); },
    unsubscribe(n, f) { fake.subs[n] = (fake.subs[n] || []).filter(g => g !== f); },
  },
};
"#;

fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .unwrap_or_else(|e| panic!("script failed: {body}: {e:?}"))
}

async fn tick() {
    let p = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .expect("setTimeout");
    });
    JsFuture::from(p).await.expect("timer");
}

fn doc() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
}

fn new_element(attrs: &[(&str, &str)]) -> HtmlElement {
    let el: HtmlElement = doc().create_element("wl-bar").expect("el").unchecked_into();
    for (k, v) in attrs {
        el.set_attribute(k, v).expect("attr");
    }
    doc()
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    el
}

fn fresh(attrs: &[(&str, &str)]) -> (HtmlElement, WlBar) {
    js(FAKE_WL);
    let el = new_element(attrs);
    let bar = WlBar::new(el.clone().unchecked_into());
    bar.connected();
    (el, bar)
}

fn root(el: &HtmlElement) -> ShadowRoot {
    el.shadow_root().expect("shadow root")
}

fn q(el: &HtmlElement, sel: &str) -> Option<Element> {
    root(el).query_selector(sel).expect("selector")
}

fn visible(e: &Element) -> bool {
    e.dyn_ref::<HtmlElement>()
        .is_some_and(|h| h.offset_width() > 0 || h.offset_height() > 0)
}

fn clean() {
    js(
        "document.querySelectorAll('wl-bar, .test-host').forEach(e => e.remove()); localStorage.clear(); sessionStorage.clear();",
    );
}

#[wasm_bindgen_test]
async fn signed_out_shows_the_prompt_and_the_first_run_tip_once() {
    clean();
    let (el, _bar) = fresh(&[]);
    let button = q(&el, "button[data-action=signin]").expect("sign-in button");
    assert!(visible(&button));
    assert_eq!(button.text_content().as_deref(), Some("Sign in"));
    let tip = q(&el, ".tip").expect("tip");
    assert!(visible(&tip), "first visit shows the tip");
    assert!(
        q(&el, ".in").is_some_and(|e| !visible(&e)),
        "no signed-in part"
    );
    // A second bar (the next page) does not show it again.
    let (el2, _bar2) = fresh(&[]);
    assert!(!visible(&q(&el2, ".tip").expect("tip")));
    // Dismissing puts focus on the sign-in button.
    q(&el, "button[data-action=tip-dismiss]")
        .expect("got it")
        .unchecked_into::<HtmlElement>()
        .click();
    assert!(!visible(&tip));
    assert_eq!(
        root(&el)
            .active_element()
            .and_then(|a| a.get_attribute("data-action")),
        Some("signin".into())
    );
}

#[wasm_bindgen_test]
async fn hide_first_run_and_sign_in_disabled_are_honoured() {
    clean();
    let (el, bar) = fresh(&[
        ("hide-first-run-experience", ""),
        ("sign-in-enabled", "false"),
    ]);
    assert!(!visible(&q(&el, ".tip").expect("tip")));
    assert!(!visible(
        &q(&el, "button[data-action=signin]").expect("button")
    ));
    el.set_attribute("sign-in-enabled", "true").expect("attr");
    bar.attribute_changed(
        "sign-in-enabled".into(),
        Some("false".into()),
        Some("true".into()),
    );
    assert!(visible(
        &q(&el, "button[data-action=signin]").expect("button")
    ));
}

#[wasm_bindgen_test]
async fn the_sign_in_click_calls_wl_login_in_the_gesture_then_the_consent_handler() {
    clean();
    js(
        "window.__consented = []; window.app = { done(s) { window.__consented.push(s && s.access_token); } };",
    );
    let (el, _bar) = fresh(&[
        ("on-consent-completed", "app.done"),
        ("hide-first-run-experience", ""),
    ]);
    q(&el, "button[data-action=signin]")
        .expect("button")
        .unchecked_into::<HtmlElement>()
        .click();
    let login = js("return JSON.stringify(__wlFake.calls.filter(c => c[0] === 'login'));");
    assert_eq!(
        login.as_string().as_deref(),
        Some(r#"[["login","wl.signin wl.basic wl.messenger wl.share",false]]"#),
        "WL.login is called synchronously in the click with the messenger scopes"
    );
    tick().await;
    tick().await;
    assert_eq!(
        js("return JSON.stringify(window.__consented);")
            .as_string()
            .as_deref(),
        Some(r#"["tok"]"#)
    );
    // Signed in now: the signed-out part is gone.
    assert!(!visible(&q(&el, ".out").expect("out")));
    assert!(visible(&q(&el, ".in").expect("in")));
}

#[wasm_bindgen_test]
async fn a_session_without_wl_messenger_offers_to_turn_chat_on() {
    clean();
    js(FAKE_WL);
    js("__wlFake.session = { access_token: 't', scope: ['wl.signin', 'wl.basic'] };");
    let el = new_element(&[("hide-first-run-experience", "")]);
    let bar = WlBar::new(el.clone().unchecked_into());
    bar.connected();
    let allow = q(&el, "button[data-action=consent]").expect("consent button");
    assert!(visible(&allow));
    assert_eq!(allow.text_content().as_deref(), Some("Turn on chat"));
    assert_eq!(
        q(&el, ".status[role=status]")
            .and_then(|s| s.text_content())
            .as_deref(),
        Some("Chat needs your permission.")
    );
}

#[wasm_bindgen_test]
async fn themes_change_the_bar_colours() {
    clean();
    let mut colours = Vec::new();
    for theme in ["blue", "white", "dark", "light"] {
        let (el, _bar) = fresh(&[("theme", theme), ("hide-first-run-experience", "")]);
        let bar = q(&el, ".bar").expect("bar");
        let bg = web_sys::window()
            .expect("window")
            .get_computed_style(&bar)
            .expect("style")
            .expect("style")
            .get_property_value("background-color")
            .expect("bg");
        colours.push(bg);
        // Fixed to the bottom of the page.
        let pos = web_sys::window()
            .expect("window")
            .get_computed_style(&el)
            .expect("style")
            .expect("style")
            .get_property_value("position")
            .expect("pos");
        assert_eq!(pos, "fixed");
        assert!(
            el.get_attribute("style").is_none(),
            "no inline style attribute"
        );
        el.remove();
    }
    assert_eq!(
        colours,
        [
            "rgb(0, 103, 184)",
            "rgb(255, 255, 255)",
            "rgb(31, 31, 31)",
            "rgb(243, 243, 243)"
        ]
    );
}

const MARKUP: &str = "<img src=x onerror=alert(1)>";

fn signed_in_state() -> State {
    let mut s = State::new("t");
    s.apply(
        parse(&format!(
            r#"{{"type":"welcome","v":1,"me":{{"id":"a","name":"Alice","presence":"available"}},
            "friends":[{{"id":"b","name":"Bob","presence":"busy"}},
                       {{"id":"m","name":{},"presence":"available"}},
                       {{"id":"c","name":"Cy","presence":"offline"}}],"last_id":0}}"#,
            serde_json_string(MARKUP)
        ))
        .expect("welcome"),
        0.0,
    );
    s
}

fn serde_json_string(s: &str) -> String {
    js_sys::JSON::stringify(&JsValue::from_str(s))
        .expect("stringify")
        .as_string()
        .expect("string")
}

fn mount_view() -> (HtmlElement, View) {
    let host: HtmlElement = doc().create_element("div").expect("div").unchecked_into();
    host.set_class_name("test-host");
    doc()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let root = wl_controls_common::edge::dom::shadow_root(host.unchecked_ref()).expect("root");
    wl_controls_common::edge::dom::adopt_styles(&root, wl_bar::CSS);
    let view = View::build(root.unchecked_ref(), wl_bar::i18n::labels(Some("en"))).expect("view");
    (host, view)
}

fn message(id: u64, from: &str, to: &str, text: &str) -> ServerFrame {
    ServerFrame::Message(WireMessage {
        id,
        from: from.into(),
        to: to.into(),
        text: text.into(),
        at: "2026-11-23T14:00:00Z".into(),
        client_id: None,
    })
}

#[wasm_bindgen_test]
async fn provider_text_is_rendered_as_text_never_html() {
    clean();
    js("window.__alerted = false; window.alert = () => { window.__alerted = true; };");
    let mut s = signed_in_state();
    s.open("m");
    s.apply(message(1, "m", "a", MARKUP), 0.0);
    s.apply(
        message(
            2,
            "m",
            "a",
            "<script>alert(2)</script> javascript:alert(3) https://example.test/x",
        ),
        0.0,
    );
    let ui = Ui {
        signed_in: true,
        sign_in_enabled: true,
        panel: Some(Panel::Friends),
        ..Default::default()
    };
    let (host, mut view) = mount_view();
    view.render(&s, &ui, 0.0);
    let root = host.shadow_root().expect("root");
    assert!(
        root.query_selector("img[src=x]").expect("q").is_none(),
        "no injected <img>"
    );
    assert!(
        root.query_selector("script").expect("q").is_none(),
        "no injected <script>"
    );
    let friend = root
        .query_selector("button.friend[data-id=m] .name")
        .expect("q")
        .expect("friend");
    assert_eq!(friend.text_content().as_deref(), Some(MARKUP));
    let title = root
        .query_selector("section.win[data-id=m] [part=window-title]")
        .expect("q")
        .expect("title");
    assert_eq!(title.text_content().as_deref(), Some(MARKUP));
    let bubbles: Vec<String> = {
        let list = root.query_selector_all(".win .bubble").expect("q");
        (0..list.length())
            .filter_map(|i| list.get(i).and_then(|n| n.text_content()))
            .collect()
    };
    assert_eq!(
        bubbles,
        [
            MARKUP.to_string(),
            "<script>alert(2)</script> javascript:alert(3) https://example.test/x".to_string()
        ]
    );
    // Only the http(s) URL became a link.
    let links = root.query_selector_all(".win .bubble a").expect("q");
    assert_eq!(links.length(), 1);
    let a: Element = links.get(0).expect("a").unchecked_into();
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://example.test/x")
    );
    assert_eq!(
        a.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    tick().await;
    assert_eq!(js("return window.__alerted;"), JsValue::FALSE);
}

#[wasm_bindgen_test]
async fn friends_are_grouped_searchable_and_unread_shows_on_the_tab() {
    clean();
    let mut s = signed_in_state();
    s.apply(message(5, "b", "a", "hi alice"), 0.0);
    s.apply(message(6, "b", "a", "are you there?"), 0.0);
    let mut ui = Ui {
        signed_in: true,
        sign_in_enabled: true,
        panel: Some(Panel::Friends),
        ..Default::default()
    };
    let (host, mut view) = mount_view();
    view.render(&s, &ui, 0.0);
    let root = host.shadow_root().expect("root");
    let groups: Vec<String> = {
        let list = root.query_selector_all("#wl-p-friends h3").expect("q");
        (0..list.length())
            .filter_map(|i| list.get(i).and_then(|n| n.text_content()))
            .collect()
    };
    assert_eq!(groups, ["Online (2)", "Offline (1)"]);
    let bob = root
        .query_selector("button.friend[data-id=b]")
        .expect("q")
        .expect("bob");
    assert_eq!(bob.get_attribute("data-presence").as_deref(), Some("busy"));
    assert!(bob.text_content().unwrap_or_default().contains("Busy"));
    // Bob's message opened a minimised tab with an unread count of 2.
    let tab = root
        .query_selector(".tabs button[data-id=b]")
        .expect("q")
        .expect("tab");
    assert_eq!(
        tab.query_selector(".badge")
            .expect("q")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("2")
    );
    assert_eq!(
        tab.get_attribute("aria-label").as_deref(),
        Some("Conversation with Bob (Busy), 2 unread")
    );
    assert!(
        root.query_selector("section.win").expect("q").is_none(),
        "minimised: no window"
    );
    // The friends button counts who is online.
    assert_eq!(
        root.query_selector("[data-id=friends] .count")
            .expect("q")
            .and_then(|c| c.text_content())
            .as_deref(),
        Some("2")
    );
    // Search.
    s.search = "cy".into();
    view.render(&s, &ui, 0.0);
    let shown = root.query_selector_all("button.friend").expect("q");
    assert_eq!(shown.length(), 1);
    s.search = "nobody".into();
    view.render(&s, &ui, 0.0);
    assert!(
        root.query_selector("#wl-p-friends .muted")
            .expect("q")
            .and_then(|m| m.text_content())
            .is_some_and(|t| t.contains("No friend matches"))
    );
    // Opening the conversation clears the count and shows the window with both messages.
    s.search.clear();
    s.open("b");
    ui.panel = None;
    view.render(&s, &ui, 0.0);
    assert!(
        root.query_selector(".tabs button[data-id=b]")
            .expect("q")
            .is_none()
    );
    let win = root
        .query_selector("section.win[data-id=b]")
        .expect("q")
        .expect("window");
    assert_eq!(
        win.get_attribute("aria-label").as_deref(),
        Some("Conversation with Bob")
    );
    assert_eq!(win.query_selector_all("li.msg").expect("q").length(), 2);
    assert!(!visible(
        &root
            .query_selector("#wl-p-friends")
            .expect("q")
            .expect("panel")
    ));
}

#[wasm_bindgen_test]
async fn friends_here_now_come_first_and_are_not_repeated() {
    clean();
    let mut s = signed_in_state();
    s.apply(
        parse(r#"{"type":"here","friends":["b"]}"#).expect("here"),
        0.0,
    );
    let ui = Ui {
        signed_in: true,
        sign_in_enabled: true,
        panel: Some(Panel::Friends),
        ..Default::default()
    };
    let (host, mut view) = mount_view();
    view.render(&s, &ui, 0.0);
    let root = host.shadow_root().expect("root");
    let texts = |sel: &str| -> Vec<String> {
        let list = root.query_selector_all(sel).expect("q");
        (0..list.length())
            .filter_map(|i| list.get(i).and_then(|n| n.text_content()))
            .collect()
    };
    assert_eq!(
        texts("#wl-p-friends h3"),
        ["Here now (1)", "Online (1)", "Offline (1)"]
    );
    // Bob once, in the first list; the friends button still counts everyone online.
    assert_eq!(
        root.query_selector_all("button.friend[data-id=b]")
            .expect("q")
            .length(),
        1
    );
    let first = root
        .query_selector("#wl-p-friends ul button.friend")
        .expect("q")
        .expect("a friend");
    assert_eq!(first.get_attribute("data-id").as_deref(), Some("b"));
    assert_eq!(texts("[data-id=friends] .count"), ["2"]);
    // Nobody here: no such group.
    s.apply(parse(r#"{"type":"here","friends":[]}"#).expect("here"), 0.0);
    view.render(&s, &ui, 0.0);
    assert_eq!(texts("#wl-p-friends h3"), ["Online (2)", "Offline (1)"]);
    // In French.
    s.apply(
        parse(r#"{"type":"here","friends":["b"]}"#).expect("here"),
        0.0,
    );
    let (host_fr, mut view_fr) = {
        let host: HtmlElement = doc().create_element("div").expect("div").unchecked_into();
        host.set_class_name("test-host");
        doc()
            .body()
            .expect("body")
            .append_child(&host)
            .expect("append");
        let root = wl_controls_common::edge::dom::shadow_root(host.unchecked_ref()).expect("root");
        wl_controls_common::edge::dom::adopt_styles(&root, wl_bar::CSS);
        let view =
            View::build(root.unchecked_ref(), wl_bar::i18n::labels(Some("fr"))).expect("view");
        (host, view)
    };
    view_fr.render(&s, &ui, 0.0);
    let fr = host_fr.shadow_root().expect("root");
    let first_heading = fr
        .query_selector("#wl-p-friends h3")
        .expect("q")
        .and_then(|h| h.text_content());
    assert_eq!(first_heading.as_deref(), Some("Ici maintenant (1)"));
}

#[wasm_bindgen_test]
async fn own_messages_show_sending_sent_delivered_and_typing_shows() {
    clean();
    let mut s = signed_in_state();
    s.open("b");
    s.compose("b", "hello bob").expect("compose");
    let ui = Ui {
        signed_in: true,
        sign_in_enabled: true,
        ..Default::default()
    };
    let (host, mut view) = mount_view();
    view.render(&s, &ui, 0.0);
    let root = host.shadow_root().expect("root");
    let status = |root: &ShadowRoot| {
        root.query_selector("li.msg.mine")
            .expect("q")
            .and_then(|m| m.get_attribute("data-status"))
    };
    assert_eq!(status(&root).as_deref(), Some("pending"));
    s.apply(
        parse(r#"{"type":"sent","client_id":"t-1","id":9,"at":"2026-11-23T14:01:00Z"}"#)
            .expect("sent"),
        0.0,
    );
    view.render(&s, &ui, 0.0);
    assert_eq!(status(&root).as_deref(), Some("sent"));
    s.apply(
        parse(r#"{"type":"delivered","id":9,"to":"b"}"#).expect("delivered"),
        0.0,
    );
    s.apply(
        parse(r#"{"type":"typing","from":"b"}"#).expect("typing"),
        1_000.0,
    );
    view.render(&s, &ui, 2_000.0);
    assert_eq!(status(&root).as_deref(), Some("delivered"));
    assert!(
        root.query_selector("li.msg.mine .meta")
            .expect("q")
            .and_then(|m| m.text_content())
            .is_some_and(|t| t.ends_with("Delivered"))
    );
    assert_eq!(
        root.query_selector(".win .typing")
            .expect("q")
            .and_then(|t| t.text_content())
            .as_deref(),
        Some("Bob is typing…")
    );
    view.render(&s, &ui, 60_000.0);
    assert_eq!(
        root.query_selector(".win .typing")
            .expect("q")
            .and_then(|t| t.text_content())
            .as_deref(),
        Some("")
    );
}

#[wasm_bindgen_test]
async fn labels_follow_the_locale() {
    clean();
    let (el, bar) = fresh(&[("locale", "fr"), ("hide-first-run-experience", "")]);
    assert_eq!(
        q(&el, "button[data-action=signin]")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Se connecter")
    );
    el.set_attribute("locale", "de").expect("attr");
    bar.attribute_changed("locale".into(), Some("fr".into()), Some("de".into()));
    assert_eq!(
        q(&el, "button[data-action=signin]")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Anmelden")
    );
    assert_eq!(
        q(&el, ".bar")
            .and_then(|b| b.get_attribute("lang"))
            .as_deref(),
        Some("de")
    );
    // Every language of the kit, as the other controls (the Playground offers them all).
    for (tag, sign_in) in [
        ("es", "Iniciar sesión"),
        ("it", "Accedi"),
        ("en", "Sign in"),
    ] {
        el.set_attribute("locale", tag).expect("attr");
        bar.attribute_changed("locale".into(), None, Some(tag.into()));
        assert_eq!(
            q(&el, "button[data-action=signin]")
                .and_then(|b| b.text_content())
                .as_deref(),
            Some(sign_in),
            "{tag}"
        );
    }
}

/// A fake `WebSocket` recording every instance and frame: `__ws.list[i].sent`, `.open()`,
/// `.push(frame)`, `.closeWith(code)`; `.closeCode` is the code of the page's own first `close`.
const FAKE_WS: &str = r#"
const ws = { list: [] };
window.__ws = ws;
class FakeSocket extends EventTarget {
  constructor(url) { super(); this.url = url; this.readyState = 0; this.sent = []; ws.list.push(this); }
  open() { this.readyState = 1; this.dispatchEvent(new Event('open')); }
  send(t) { this.sent.push(JSON.parse(t)); }
  push(f) { this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(f) })); }
  closeWith(code) { this.readyState = 3; this.dispatchEvent(new CloseEvent('close', { code })); }
  close(code) {
    if (this.readyState < 2) this.closeCode = code;
    this.readyState = 3;
    this.closedByClient = true;
  }
}
FakeSocket.OPEN = 1;
window.WebSocket = FakeSocket;
"#;

const WELCOME: &str = r#"{ type: 'welcome', v: 1, me: { id: 'a', name: 'Alice', presence: 'available' },
  friends: [{ id: 'b', name: 'Bob', presence: 'available' }], last_id: 0 }"#;

async fn wait_js(what: &str, body: &str) -> JsValue {
    for _ in 0..400 {
        let v = js(body);
        if v.is_truthy() {
            return v;
        }
        let p = Promise::new(&mut |resolve, _| {
            web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
                .expect("setTimeout");
        });
        JsFuture::from(p).await.expect("timer");
    }
    panic!("timed out waiting for {what}");
}

fn signed_in_bar() -> (HtmlElement, WlBar) {
    js(FAKE_WL);
    js(FAKE_WS);
    js(
        "__wlFake.session = { access_token: 'tok', scope: ['wl.signin', 'wl.basic', 'wl.messenger', 'wl.share'] };",
    );
    let el = new_element(&[
        ("hub", "ws://hub.test/v1/hub"),
        ("hide-first-run-experience", ""),
    ]);
    let bar = WlBar::new(el.clone().unchecked_into());
    bar.connected();
    (el, bar)
}

/// The first fake socket opens, and the hub's `welcome` arrives on it.
fn welcome_first_socket() {
    js(&format!(
        "__ws.list[0].open(); __ws.list[0].push({WELCOME});"
    ));
}

/// [`signed_in_bar`], online: its socket opened and welcomed.
async fn online_bar() -> (HtmlElement, WlBar) {
    let bar = signed_in_bar();
    wait_js("a socket", "return __ws.list.length === 1;").await;
    welcome_first_socket();
    bar
}

fn link_state(el: &HtmlElement) -> Option<String> {
    q(el, ".bar").and_then(|b| b.get_attribute("data-link"))
}

#[wasm_bindgen_test]
async fn hello_first_then_reconnect_with_backoff_and_since() {
    clean();
    let (el, _bar) = signed_in_bar();
    wait_js("a socket", "return __ws.list.length === 1;").await;
    assert_eq!(
        js("return __ws.list[0].url;").as_string().as_deref(),
        Some("ws://hub.test/v1/hub"),
        "the token is never in the URL"
    );
    js("__ws.list[0].open();");
    assert_eq!(
        js("return JSON.stringify(__ws.list[0].sent[0]);")
            .as_string()
            .as_deref(),
        Some(r#"{"type":"hello","v":1,"token":"tok"}"#)
    );
    js(&format!(
        "__ws.list[0].push({WELCOME}); __ws.list[0].push({{ type: 'message', id: 7, from: 'b', to: 'a', text: 'hi', at: '' }});"
    ));
    assert_eq!(link_state(&el).as_deref(), Some("online"));
    assert!(
        q(&el, "[aria-live]")
            .and_then(|l| l.text_content())
            .is_some_and(|t| t == "New message from Bob: hi")
    );
    // The connection drops: reconnecting, then a new socket whose hello resyncs from id 7.
    js("__ws.list[0].closeWith(1006);");
    assert_eq!(link_state(&el).as_deref(), Some("reconnecting"));
    assert_eq!(
        q(&el, ".status").and_then(|s| s.text_content()).as_deref(),
        Some("Connection lost. Reconnecting…")
    );
    wait_js(
        "a second socket after the backoff",
        "return __ws.list.length === 2;",
    )
    .await;
    js("__ws.list[1].open();");
    assert_eq!(
        js("return JSON.stringify(__ws.list[1].sent[0]);")
            .as_string()
            .as_deref(),
        Some(r#"{"type":"hello","v":1,"token":"tok","since":7}"#)
    );
}

#[wasm_bindgen_test]
async fn an_unauthorized_close_stops_retrying_and_says_why() {
    clean();
    let (el, _bar) = signed_in_bar();
    wait_js("a socket", "return __ws.list.length === 1;").await;
    js("__ws.list[0].open(); __ws.list[0].closeWith(4401);");
    assert_eq!(link_state(&el).as_deref(), Some("failed"));
    assert_eq!(
        q(&el, ".status").and_then(|s| s.text_content()).as_deref(),
        Some("Chat is unavailable (unauthorized).")
    );
    // Long enough for a first retry (at most 1 s): none comes.
    let p = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 1_100)
            .expect("setTimeout");
    });
    JsFuture::from(p).await.expect("timer");
    assert_eq!(js("return __ws.list.length;"), JsValue::from(1));
}

/// The page hides (the next page, or the back/forward cache): the socket closes normally
/// (1000), so the hub keeps the person online for its offline grace; back from the cache, it
/// connects again.
#[wasm_bindgen_test]
async fn a_hidden_page_closes_normally_and_connects_again_when_shown() {
    clean();
    let (el, bar) = online_bar().await;
    js("window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));");
    assert_eq!(js("return __ws.list[0].closeCode;"), JsValue::from(1000));
    js("window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));");
    wait_js(
        "a socket again",
        "return __ws.list.length === 2 && __ws.list[1].readyState === 0;",
    )
    .await;
    bar.disconnected();
    el.remove();
}

#[wasm_bindgen_test]
async fn open_windows_carry_over_to_the_next_page() {
    clean();
    let (el, bar) = online_bar().await;
    // Keyboard: the friends panel opens with focus in the search box; Escape closes it and
    // puts focus back on its button.
    let friends = q(&el, "button[data-action=panel][data-id=friends]").expect("friends button");
    friends.unchecked_ref::<HtmlElement>().click();
    assert_eq!(
        root(&el)
            .active_element()
            .and_then(|a| a.get_attribute("id"))
            .as_deref(),
        Some("wl-search")
    );
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    init.set_composed(true);
    let esc =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    root(&el)
        .active_element()
        .expect("focus")
        .dispatch_event(&esc)
        .expect("dispatch");
    assert_eq!(
        friends.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        root(&el)
            .active_element()
            .and_then(|a| a.get_attribute("data-id"))
            .as_deref(),
        Some("friends")
    );
    // Open bob's window: history asked for, focus in the text box, saved for the next page.
    friends.unchecked_ref::<HtmlElement>().click();
    q(&el, "button.friend[data-id=b]")
        .expect("bob")
        .unchecked_into::<HtmlElement>()
        .click();
    assert_eq!(
        js("return JSON.stringify(__ws.list[0].sent[__ws.list[0].sent.length - 1]);")
            .as_string()
            .as_deref(),
        Some(r#"{"type":"history","with":"b","limit":50}"#)
    );
    assert_eq!(
        root(&el).active_element().map(|a| a.tag_name()).as_deref(),
        Some("TEXTAREA")
    );
    assert_eq!(
        js("return sessionStorage.getItem('wl.bar.v1');")
            .as_string()
            .as_deref(),
        Some(
            r#"{"v":1,"last_id":0,"presence":"available","windows":[{"with":"b","minimised":false,"unread":0}]}"#
        )
    );
    // "The next page": the element goes, a new one comes, with the same sessionStorage. The
    // socket closes normally (1000): the hub keeps bob online for its offline grace.
    bar.disconnected();
    el.remove();
    assert_eq!(js("return __ws.list[0].closeCode;"), JsValue::from(1000));
    let (el2, _bar2) = signed_in_bar();
    wait_js(
        "a socket for the new page",
        "return __ws.list.length === 1;",
    )
    .await;
    welcome_first_socket();
    assert!(
        q(&el2, "section.win[data-id=b]").is_some(),
        "bob's window is back"
    );
    assert!(
        js("return __ws.list[0].sent.some(f => f.type === 'history' && f.with === 'b');")
            .is_truthy(),
        "its history is asked for"
    );
    js(
        "__ws.list[0].push({ type: 'history', with: 'b', messages: [{ id: 3, from: 'a', to: 'b', text: 'earlier', at: '' }], more: false });",
    );
    assert_eq!(
        q(&el2, "section.win[data-id=b] li.msg.mine .bubble")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("earlier")
    );
    // Signing out from the menu forgets the windows and shows the signed-out bar.
    q(&el2, "button[data-action=signout]")
        .expect("sign out")
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
    assert_eq!(link_state(&el2).as_deref(), Some("signed-out"));
    assert!(js("return sessionStorage.getItem('wl.bar.v1') === null;").is_truthy());
    assert!(js("return __ws.list[0].closedByClient === true;").is_truthy());
    assert_eq!(
        js("return __ws.list[0].closeCode;"),
        JsValue::from(4000),
        "a sign-out says so (close code 4000), so friends see offline at once"
    );
}

/// Calls `wl_bar::messenger(method, args)` now; awaiting gives `Ok(value)` or `Err(reason)`.
fn messenger(method: &str, args: &[JsValue]) -> JsFuture {
    let a = js_sys::Array::new();
    for v in args {
        a.push(v);
    }
    let p: Promise = wl_bar::messenger(method.into(), a.into()).unchecked_into();
    JsFuture::from(p)
}

fn field(v: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(v, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
async fn two_bars_and_the_api_share_one_socket_and_one_state() {
    clean();
    let (el1, _bar1) = signed_in_bar();
    wait_js("a socket", "return __ws.list.length === 1;").await;
    // A second bar on the same page (its own setup reinstalls nothing the first uses).
    let el2 = new_element(&[
        ("hub", "ws://hub.test/v1/hub"),
        ("hide-first-run-experience", ""),
    ]);
    let bar2 = WlBar::new(el2.clone().unchecked_into());
    bar2.connected();
    js("window.__events = []; window.__on = (n) => (e) => __events.push([n, e]);");
    messenger("on", &["message".into(), js("return __on('message');")])
        .await
        .expect("on");
    messenger("on", &["state".into(), js("return __on('state');")])
        .await
        .expect("on");
    let connected = messenger("connect", &[]);
    welcome_first_socket();
    let state = connected.await.expect("connect resolves once online");
    assert_eq!(field(&state, "state"), JsValue::from("online"));
    assert_eq!(
        js("return __ws.list.length;"),
        JsValue::from(1),
        "one socket for two bars and the API"
    );
    assert_eq!(link_state(&el1).as_deref(), Some("online"));
    assert_eq!(link_state(&el2).as_deref(), Some("online"));
    let friends = messenger("friends", &[]).await.expect("friends");
    assert_eq!(
        js_sys::JSON::stringify(&friends).expect("json"),
        r#"[{"id":"b","name":"Bob","picture":null,"presence":"available","here":false}]"#
    );

    // A message shows in both bars and reaches the API's listener once.
    js(
        "__ws.list[0].push({ type: 'message', id: 9, from: 'b', to: 'a', text: 'hello both', at: '' });",
    );
    for el in [&el1, &el2] {
        assert!(
            q(el, ".tabs button[data-id=b] .badge").is_some(),
            "both bars show the unread tab"
        );
    }
    assert_eq!(
        js("return JSON.stringify(__events.filter(e => e[0] === 'message').map(e => [e[1].id, e[1].text, e[1].mine]));").as_string().as_deref(),
        Some(r#"[[9,"hello both",false]]"#)
    );

    // send: resolves on `delivered` (bob is online); the frame went once.
    let sent = messenger("send", &["b".into(), " hi bob ".into()]);
    let frame = js("return __ws.list[0].sent.filter(f => f.type === 'send');");
    assert_eq!(
        js_sys::Array::from(&frame).length(),
        1,
        "one send frame for two bars"
    );
    let cid = field(&js_sys::Array::from(&frame).get(0), "client_id");
    js(&format!(
        "__ws.list[0].push({{ type: 'sent', client_id: {}, id: 10, at: '2026-12-03T10:00:00Z' }}); __ws.list[0].push({{ type: 'delivered', id: 10, to: 'b' }});",
        js_sys::JSON::stringify(&cid).expect("json")
    ));
    let r = sent.await.expect("send resolves");
    assert_eq!(field(&r, "status"), JsValue::from("delivered"));
    assert_eq!(field(&r, "id"), JsValue::from(10));
    // The bars show it as delivered too.
    assert!(q(&el1, "section.win[data-id=b], .tabs button[data-id=b]").is_some());

    // Refusals: the hub's code with the client id; a bad status; an unknown method.
    let refused = messenger("send", &["z".into(), "who?".into()]);
    let cid = js(
        "const s = __ws.list[0].sent.filter(f => f.type === 'send'); return s[s.length - 1].client_id;",
    );
    js(&format!(
        "__ws.list[0].push({{ type: 'error', code: 'not_friends', message: 'not a friend', client_id: {} }});",
        js_sys::JSON::stringify(&cid).expect("json")
    ));
    let e = refused.await.expect_err("rejects");
    assert_eq!(field(&e, "code"), JsValue::from("not_friends"));
    let e = messenger("send", &["b".into(), "   ".into()])
        .await
        .expect_err("empty");
    assert_eq!(field(&e, "code"), JsValue::from("message_empty"));
    let e = messenger("setPresence", &["offline".into()])
        .await
        .expect_err("not a choice");
    assert_eq!(field(&e, "code"), JsValue::from("invalid_request"));
    let e = messenger("nope", &[]).await.expect_err("unknown");
    assert_eq!(field(&e, "code"), JsValue::from("invalid_request"));

    // Presence from the API goes out once and shows in both bars' own menu state.
    messenger("setPresence", &["busy".into()])
        .await
        .expect("busy");
    assert_eq!(
        js(
            "return __ws.list[0].sent.filter(f => f.type === 'presence').map(f => f.status).join();"
        )
        .as_string()
        .as_deref(),
        Some("busy")
    );
    assert_eq!(
        messenger("presence", &[]).await.expect("presence"),
        JsValue::from("busy")
    );
    // …and one chosen in a bar reaches the API's listener.
    messenger("on", &["presence".into(), js("return __on('presence');")])
        .await
        .expect("on");
    q(&el2, "button[data-action=panel][data-id=me]")
        .expect("me button")
        .unchecked_into::<HtmlElement>()
        .click();
    js("const s = document.querySelectorAll('wl-bar')[1].shadowRoot.querySelector('select[data-action=presence]');
        s.value = 'away'; s.dispatchEvent(new Event('change', { bubbles: true }));");
    assert_eq!(
        js("return JSON.stringify(__events.filter(e => e[0] === 'presence').map(e => e[1]));")
            .as_string()
            .as_deref(),
        Some(r#"[{"id":"me","presence":"away"}]"#)
    );
    assert_eq!(
        js(
            "return __ws.list[0].sent.filter(f => f.type === 'presence').map(f => f.status).join();"
        )
        .as_string()
        .as_deref(),
        Some("busy,away")
    );

    // A lost connection: a pending send rejects `not_connected`, the state event says so.
    let pending = messenger("send", &["b".into(), "lost".into()]);
    js("__ws.list[0].closeWith(1006);");
    let e = pending.await.expect_err("rejects");
    assert_eq!(field(&e, "code"), JsValue::from("not_connected"));
    assert!(
        js("return __events.some(e => e[0] === 'state' && e[1].state === 'reconnecting');")
            .is_truthy()
    );

    // The API lets go; the bars keep the client until they leave.
    messenger("disconnect", &[]).await.expect("disconnect");
    messenger("off", &["message".into()]).await.expect("off");
    bar2.disconnected();
    el2.remove();
}
