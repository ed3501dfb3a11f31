//! The `<wl-signin>` control: a sign-in / sign-out button.
//!
//! `www/wl.js` defines the element class and forwards its lifecycle to [`WlSignin`] (see
//! `docs/contracts.md`, "element shim protocol"). The control renders a real
//! `<button part="button">` in an open shadow root and reaches the core only through the public
//! `window.WL` API. Attributes: see `controls/README.md`.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub mod config;
pub mod style;

use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wl_controls_common::attrs::{Fallback, Mode};
use wl_controls_common::edge::cell::Slot;
use wl_controls_common::i18n::resolve_locale;

use crate::config::{Phase, SigninConfig, signin_label};
use wl_controls_common::edge::dom;
use wl_controls_common::edge::js::{self, Element, HtmlElement};
use wl_controls_common::edge::listener::Listener;

use wl_controls_common::wl::{self, Guard, Subscription, WlError};

const TAG: &str = "wl-signin";

/// The state behind one `<wl-signin>` element, exported to the bootstrap.
#[wasm_bindgen]
pub struct WlSignin {
    inner: Rc<Inner>,
}

struct Inner {
    host: HtmlElement,
    /// `<button part="button">`; `None` only if the DOM refused to build it.
    view: Option<View>,
    state: Slot<State>,
    /// Click listener and core subscriptions while connected; dropping them undoes them.
    guards: Slot<Vec<Guard>>,
}

struct View {
    button: Element,
    label: Element,
    /// Visually hidden `role="status"`: announces "Pop-up blocked" to screen readers.
    status: Element,
}

struct State {
    cfg: SigninConfig,
    signed_in: bool,
    phase: Phase,
    /// Bumped by every click; only the latest request's result is applied.
    request: u32,
}

#[wasm_bindgen]
impl WlSignin {
    /// Takes over `elem` (the `<wl-signin>`) and the button `wl.js` drew in its shadow root.
    #[wasm_bindgen(constructor)]
    pub fn new(elem: HtmlElement) -> WlSignin {
        let view = build(&elem);
        WlSignin {
            inner: Rc::new(Inner {
                host: elem,
                view,
                state: Slot::new(State {
                    cfg: SigninConfig::default(),
                    signed_in: false,
                    phase: Phase::Idle,
                    request: 0,
                }),
                guards: Slot::new(Vec::new()),
            }),
        }
    }

    /// The element was connected: read every attribute, the current session, start listening
    /// to clicks and to the core's session events, and render.
    pub fn connected(&self) {
        let inner = &self.inner;
        let mut cfg = SigninConfig::default();
        for name in SigninConfig::ATTRIBUTES {
            if let Some(w) = cfg.set(name, inner.host.get_attribute(name).as_deref()) {
                dom::warn(TAG, &w);
            }
        }
        for w in cfg.custom_text_warnings() {
            dom::warn(TAG, &w);
        }
        {
            let mut s = inner.state.borrow_mut();
            s.cfg = cfg;
            s.signed_in = wl::session().is_some();
        }
        inner.listen();
        inner.render();
    }

    /// An observed attribute changed: apply it and re-render at once.
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, name: String, _old: Option<String>, new: Option<String>) {
        let warnings = {
            let mut s = self.inner.state.borrow_mut();
            let mut w: Vec<_> = s.cfg.set(&name, new.as_deref()).into_iter().collect();
            if matches!(
                name.as_str(),
                "type" | "sign-in-text" | "sign-out-text" | "signed-in-text" | "signed-out-text"
            ) {
                w.extend(s.cfg.custom_text_warnings());
            }
            w
        };
        for w in &warnings {
            dom::warn(TAG, w);
        }
        self.inner.render();
    }

    /// A sign-in `wl.js` started from a click on the first paint, before this control took the
    /// element over (`WL.login`'s promise): shown and settled as if this control's own click had
    /// started it (pending label, then `wl-login` and `on-signin`, or the error state).
    pub fn pending(&self, login: JsValue) {
        let request = {
            let mut s = self.inner.state.borrow_mut();
            s.request = s.request.wrapping_add(1);
            s.request
        };
        self.inner
            .wait(&wl::resolved(&login), Phase::SigningIn, request, false);
    }

    /// The element was disconnected: stop listening (nothing stays subscribed in the core).
    pub fn disconnected(&self) {
        self.inner.guards.borrow_mut().clear();
    }
}

/// Takes over the shadow tree `wl.js` drew at once (`www/src/paint.js`, from the build's copy of
/// this crate's stylesheet, [`style::CSS`]): `<button part="button"><span class="ic"><svg …>
/// </span><span class="sp"/><span class="l" part="label"/></button><span class="vh"/>`. The module builds
/// none of its own, so taking over changes nothing on screen.
fn build(host: &HtmlElement) -> Option<View> {
    let root = host.shadow_root()?;
    Some(View {
        button: root.query_selector(".b")?,
        label: root.query_selector(".l")?,
        status: root.query_selector(".vh")?,
    })
}

impl Inner {
    /// Adds the click listener and the core subscriptions (once per connection).
    fn listen(self: &Rc<Self>) {
        let mut guards = self.guards.borrow_mut();
        if !guards.is_empty() {
            return;
        }
        if let Some(view) = &self.view {
            let me = Rc::downgrade(self);
            guards.push(Guard::Dom(Listener::new(
                &view.button,
                "click",
                move |_| {
                    if let Some(me) = me.upgrade() {
                        me.click();
                    }
                },
            )));
        }
        let me = Rc::downgrade(self);
        guards.push(Guard::Core(Subscription::new(
            "auth.sessionChange",
            move |session| {
                with(&me, |me| {
                    me.session_changed(!session.is_null() && !session.is_undefined())
                })
            },
        )));
        let me = Rc::downgrade(self);
        guards.push(Guard::Core(Subscription::new(
            "auth.statusChange",
            move |status| {
                let connected = match js::get_str(&status, "status").as_deref() {
                    Some("connected") => true,
                    Some("notConnected") => false,
                    _ => return,
                };
                with(&me, |me| me.session_changed(connected));
            },
        )));
    }

    /// The session appeared or went away (from the core's events).
    fn session_changed(&self, signed_in: bool) {
        {
            let mut s = self.state.borrow_mut();
            if s.signed_in == signed_in {
                return;
            }
            s.signed_in = signed_in;
            // A pending sign-in is settled by its own promise; other transient states end here.
            if s.phase != Phase::SigningIn {
                s.phase = Phase::Idle;
            }
        }
        dom::set_attr(&self.host, "data-wl-error", None);
        self.render();
    }

    /// A click (mouse, Enter or Space). `WL.login` is called synchronously, before any await,
    /// so the core can open the popup inside the user gesture.
    fn click(self: &Rc<Self>) {
        let (signed_in, phase, request, opts) = {
            let mut s = self.state.borrow_mut();
            if s.phase == Phase::SigningOut {
                return;
            }
            s.request = s.request.wrapping_add(1);
            let redirect = |on: bool| on.then_some("redirect");
            let opts = js::object_of(&[
                ("scope", s.cfg.scope.as_deref()),
                ("fallback", redirect(s.cfg.fallback == Fallback::Redirect)),
                ("mode", redirect(s.cfg.mode == Mode::Redirect)),
            ]);
            let phase = if s.signed_in {
                Phase::SigningOut
            } else {
                Phase::SigningIn
            };
            (s.signed_in, phase, s.request, opts)
        };
        let call = if signed_in {
            wl::logout()
        } else {
            wl::login(&opts)
        };
        match call {
            Ok(p) => self.wait(&p, phase, request, signed_in),
            Err(e) => self.fail(&e),
        }
    }

    /// Shows `phase` until `p` (request number `request`) settles, then [`Inner::finished`].
    fn wait(self: &Rc<Self>, p: &wl::Promise, phase: Phase, request: u32, signed_in: bool) {
        self.state.borrow_mut().phase = phase;
        self.render();
        let me = Rc::downgrade(self);
        wl::settle(p, move |r| {
            with(&me, |me| me.finished(request, signed_in, r));
        });
    }

    /// `WL.login` / `WL.logout` settled.
    fn finished(&self, request: u32, was_signed_in: bool, r: Result<JsValue, JsValue>) {
        if self.state.borrow().request != request {
            return; // superseded by a later click
        }
        match r {
            Ok(v) => {
                dom::set_attr(&self.host, "data-wl-error", None);
                let handler = {
                    let mut s = self.state.borrow_mut();
                    s.phase = Phase::Idle;
                    s.signed_in = !was_signed_in;
                    if was_signed_in {
                        s.cfg.on_signout.clone()
                    } else {
                        s.cfg.on_signin.clone()
                    }
                };
                self.render();
                let detail = if was_signed_in {
                    JsValue::NULL
                } else {
                    // `WL.login` resolves with `{ status, session }`; accept a bare session too.
                    let session = js::get(&v, "session");
                    if session.is_object() { session } else { v }
                };
                let event = if was_signed_in {
                    "wl-logout"
                } else {
                    "wl-login"
                };
                dom::dispatch(&self.host, event, &detail);
                if let Some(name) = handler {
                    dom::call_global(&self.host, &name, &detail);
                }
            }
            Err(e) => self.fail(&wl::to_error(&e)),
        }
    }

    /// Shows the failure and tells the page with `wl-error` `{ code, message }`.
    fn fail(&self, e: &WlError) {
        let phase = match e.code() {
            "popup_blocked" => Phase::PopupBlocked,
            "connection_failed" | "timed_out" => Phase::Unreachable,
            _ => Phase::Idle,
        };
        self.state.borrow_mut().phase = phase;
        // The provider unreachable is an error state the page can style and test, as when the
        // control's module cannot load (docs/hosting.md): `data-wl-error` until a click works.
        if phase == Phase::Unreachable {
            dom::set_attr(&self.host, "data-wl-error", Some(e.code()));
        }
        self.render();
        let detail = js::object_of(&[("code", Some(e.code())), ("message", Some(e.message()))]);
        dom::dispatch(&self.host, "wl-error", &detail);
    }

    /// Brings the shadow DOM in line with the attributes and state.
    fn render(&self) {
        let Some(view) = &self.view else { return };
        // `borrow_mut`, though it only reads: the module then has one borrow panic path, not two
        // (`borrow` would add its own message: +35 B on the sign-in page).
        let s = self.state.borrow_mut();
        let lang = dom::page_lang(&self.host);
        let locale = resolve_locale(s.cfg.locale.as_deref(), lang.as_deref());
        let busy = matches!(s.phase, Phase::SigningIn | Phase::SigningOut);
        let mut class = s.cfg.classes();
        if busy {
            class.push_str(" busy");
        }
        let failed = matches!(s.phase, Phase::PopupBlocked | Phase::Unreachable);
        if failed {
            class.push_str(" blocked");
        }
        dom::set_attr(&view.button, "class", Some(&class));
        dom::set_attr(&view.button, "aria-busy", busy.then_some("true"));
        dom::set_attr(&view.button, "lang", Some(locale.tag()));
        let text = signin_label(&s.cfg, s.signed_in, s.phase, locale);
        dom::set_text(&view.label, text);
        let announce = if failed { text } else { "" };
        dom::set_text(&view.status, announce);
    }
}

/// Runs `f` on the control if it still exists (callbacks hold only a weak reference, so a freed
/// element is never kept alive by a pending promise or a core event).
fn with(me: &Weak<Inner>, f: impl FnOnce(&Rc<Inner>)) {
    if let Some(me) = me.upgrade() {
        f(&me);
    }
}
