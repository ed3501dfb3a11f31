//! The `<wl-userinfo>` control: the signed-in person's picture and name (or a friend's, with
//! `cid`), in a compact or full layout; nothing — or the element's slotted fallback content —
//! when signed out.
//!
//! `www/wl.js` defines the element class and forwards its lifecycle to [`WlUserinfo`] (see
//! `docs/contracts.md`, "element shim protocol"). Data comes from `WL.api({ path })` only. Every
//! provider text is set with `textContent`, never parsed as HTML.
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub mod config;
pub mod style;

use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wl_controls_common::attrs::{CardTheme, Layout};
use wl_controls_common::edge::cell::Slot;
use wl_controls_common::i18n::resolve_locale;

use crate::config::UserinfoConfig;
use wl_controls_common::edge::dom;
use wl_controls_common::edge::js::{self, Element, HtmlElement};
use wl_controls_common::edge::listener::Listener;
use wl_controls_common::i18n::Locale;
use wl_controls_common::profile::{PersonFields, Profile};

use wl_controls_common::wl::{self, Guard, Subscription, WlError};

const TAG: &str = "wl-userinfo";

/// The state behind one `<wl-userinfo>` element, exported to the bootstrap.
#[wasm_bindgen]
pub struct WlUserinfo {
    inner: Rc<Inner>,
}

struct Inner {
    host: HtmlElement,
    view: Option<View>,
    state: Slot<State>,
    /// Picture error listener and core subscriptions while connected.
    guards: Slot<Vec<Guard>>,
}

struct View {
    card: Element,
    img: Element,
    mono: Element,
    name: Element,
    detail: Element,
    slot: Element,
}

#[derive(Default)]
struct State {
    cfg: UserinfoConfig,
    signed_in: bool,
    /// The access token of the session shown: a new token (new person, new scopes) re-fetches.
    token: Option<String>,
    /// The fetched person, with the fields kept so a locale change can rebuild the detail line.
    person: Option<(PersonFields, Profile)>,
    loading: bool,
    /// The picture failed to load: show the monogram.
    picture_failed: bool,
    /// Bumped by every fetch; only the latest response is applied.
    request: u32,
}

#[wasm_bindgen]
impl WlUserinfo {
    /// Takes over `elem` (the `<wl-userinfo>`) and the card `wl.js` drew in its shadow root.
    #[wasm_bindgen(constructor)]
    pub fn new(elem: HtmlElement) -> WlUserinfo {
        let view = build(&elem);
        WlUserinfo {
            inner: Rc::new(Inner {
                host: elem,
                view,
                state: Slot::new(State::default()),
                guards: Slot::new(Vec::new()),
            }),
        }
    }

    /// The element was connected: read the attributes and the session, subscribe to session
    /// changes, fetch the person if signed in, and render.
    pub fn connected(&self) {
        let inner = &self.inner;
        let mut cfg = UserinfoConfig::default();
        for name in UserinfoConfig::ATTRIBUTES {
            if let Some(w) = cfg.set(name, inner.host.get_attribute(name).as_deref()) {
                dom::warn(TAG, &w);
            }
        }
        let token = wl::session().map(|s| token_of(&s));
        let signed_in = token.is_some();
        {
            let mut s = inner.state.borrow_mut();
            s.cfg = cfg;
            s.signed_in = signed_in;
            s.token = token;
        }
        inner.listen();
        if signed_in {
            inner.fetch();
        } else {
            inner.state.borrow_mut().person = None;
        }
        inner.render();
    }

    /// An observed attribute changed: re-render at once (and re-fetch for a new `cid`).
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, name: String, _old: Option<String>, new: Option<String>) {
        let (warning, refetch) = {
            let mut s = self.inner.state.borrow_mut();
            let before = s.cfg.cid.clone();
            let w = s.cfg.set(&name, new.as_deref());
            (w, s.signed_in && s.cfg.cid != before)
        };
        if let Some(w) = warning {
            dom::warn(TAG, &w);
        }
        if refetch {
            self.inner.fetch();
        }
        self.inner.render();
    }

    /// The element was disconnected: unsubscribe from the core, drop listeners.
    pub fn disconnected(&self) {
        self.inner.guards.borrow_mut().clear();
    }
}

/// Takes over the shadow tree `wl.js` drew at once (`www/src/paint.js`, from the build's copy of
/// this crate's stylesheet, [`style::CSS`]): `<div class="u" part="container"><img part="picture">
/// <span class="mono"><span class="tx"><span part="name"><span part="detail"></span></div><slot>`.
fn build(host: &HtmlElement) -> Option<View> {
    let root = host.shadow_root()?;
    Some(View {
        card: root.query_selector(".u")?,
        img: root.query_selector("img")?,
        mono: root.query_selector(".mono")?,
        name: root.query_selector(".n")?,
        detail: root.query_selector(".st")?,
        slot: root.query_selector("slot")?,
    })
}

impl Inner {
    fn locale(&self, s: &State) -> Locale {
        let lang = dom::page_lang(&self.host);
        resolve_locale(s.cfg.locale.as_deref(), lang.as_deref())
    }

    /// Subscribes to the core's session events and the picture's `error` (once per connection).
    fn listen(self: &Rc<Self>) {
        let mut guards = self.guards.borrow_mut();
        if !guards.is_empty() {
            return;
        }
        if let Some(view) = &self.view {
            let me = Rc::downgrade(self);
            guards.push(Guard::Dom(Listener::new(&view.img, "error", move |_| {
                with(&me, |me| {
                    me.state.borrow_mut().picture_failed = true;
                    me.render();
                })
            })));
        }
        let me = Rc::downgrade(self);
        guards.push(Guard::Core(Subscription::new(
            "auth.sessionChange",
            move |session| {
                let token =
                    (!session.is_null() && !session.is_undefined()).then(|| token_of(&session));
                with(&me, |me| me.session_changed(token));
            },
        )));
        let me = Rc::downgrade(self);
        guards.push(Guard::Core(Subscription::new(
            "auth.statusChange",
            move |status| {
                let token = match js::get_str(&status, "status").as_deref() {
                    Some("connected") => {
                        Some(wl::session().map_or_else(String::new, |s| token_of(&s)))
                    }
                    Some("notConnected") => None,
                    _ => return,
                };
                with(&me, |me| me.session_changed(token));
            },
        )));
    }

    /// Signed in → fetch (again: the person may have changed); signed out → clear.
    /// `token`: the new session's access token, `None` when signed out.
    fn session_changed(self: &Rc<Self>, token: Option<String>) {
        let signed_in = token.is_some();
        {
            let mut s = self.state.borrow_mut();
            // `auth.statusChange` repeats what `auth.sessionChange` said: one fetch is enough.
            if s.token == token {
                return;
            }
            s.token = token;
            s.signed_in = signed_in;
            if !signed_in {
                s.person = None;
                s.loading = false;
                s.request = s.request.wrapping_add(1);
            }
        }
        if signed_in {
            self.fetch();
        } else {
            dom::set_attr(&self.host, "data-wl-error", None);
        }
        self.render();
    }

    /// `WL.api({ path: "me" | cid })`; errors never throw: they clear the card, show the
    /// fallback content and fire `wl-error`.
    fn fetch(self: &Rc<Self>) {
        let (request, path) = {
            let mut s = self.state.borrow_mut();
            s.request = s.request.wrapping_add(1);
            s.loading = true;
            (s.request, s.cfg.api_path())
        };
        let Some(path) = path else {
            self.failed(
                request,
                &WlError::from_parts(
                    Some("invalid_request".to_owned()),
                    Some("cid is not a valid id".to_owned()),
                ),
            );
            return;
        };
        match wl::api(&js::object_of(&[("path", Some(&path))])) {
            Ok(p) => {
                let me = Rc::downgrade(self);
                wl::settle(&p, move |r| {
                    with(&me, |me| match r {
                        Ok(v) => me.loaded(request, &v),
                        Err(e) => me.failed(request, &wl::to_error(&e)),
                    })
                });
            }
            Err(e) => self.failed(request, &e),
        }
    }

    fn loaded(&self, request: u32, v: &JsValue) {
        {
            let mut s = self.state.borrow_mut();
            if s.request != request {
                return;
            }
            let fields = PersonFields {
                name: js::get_str(v, "name"),
                first_name: js::get_str(v, "first_name"),
                last_name: js::get_str(v, "last_name"),
                picture: js::get_str(v, "picture"),
                status: js::get_str(v, "status"),
            };
            let profile = Profile::new(fields.clone(), s.cfg.cid.is_none(), self.locale(&s));
            s.person = Some((fields, profile));
            s.loading = false;
            s.picture_failed = false;
        }
        dom::set_attr(&self.host, "data-wl-error", None);
        self.render();
    }

    fn failed(&self, request: u32, e: &WlError) {
        {
            let mut s = self.state.borrow_mut();
            if s.request != request {
                return;
            }
            s.person = None;
            s.loading = false;
        }
        // The fallback content shows; the code stays on the element until a fetch works (or
        // the session ends), for the page to style or test, as when the module cannot load.
        dom::set_attr(&self.host, "data-wl-error", Some(e.code()));
        self.render();
        let detail = js::object_of(&[("code", Some(e.code())), ("message", Some(e.message()))]);
        dom::dispatch(&self.host, "wl-error", &detail);
    }

    /// Brings the shadow DOM in line with the state.
    fn render(&self) {
        let Some(v) = &self.view else { return };
        let mut s = self.state.borrow_mut();
        let locale = self.locale(&s);
        let is_viewer = s.cfg.cid.is_none();
        // Rebuild the detail line if the language changed since the fetch.
        if let Some((fields, profile)) = &mut s.person {
            let fresh = Profile::new(fields.clone(), is_viewer, locale);
            if fresh.detail != profile.detail {
                profile.detail = fresh.detail;
            }
        }
        let show_card = s.signed_in && (s.person.is_some() || s.loading);
        dom::set_hidden(&v.card, !show_card);
        dom::set_hidden(&v.slot, show_card);
        let mut class = String::from("u ");
        class.push_str(match s.cfg.layout {
            Layout::Compact => "compact",
            Layout::Full => "full",
        });
        if s.cfg.theme == CardTheme::Dark {
            class.push_str(" t-dark");
        }
        match &s.person {
            Some((_, p)) => {
                dom::set_attr(&v.card, "aria-busy", None);
                dom::set_text(&v.name, &p.name);
                dom::set_attr(&v.name, "title", Some(&p.name));
                dom::set_text(&v.detail, &p.detail);
                let picture = p.picture.as_deref().filter(|_| !s.picture_failed);
                if let Some(src) = picture
                    && v.img.get_attribute("src").as_deref() != Some(src)
                {
                    v.img.set_attribute("src", src);
                }
                dom::set_hidden(&v.img, picture.is_none());
                dom::set_hidden(&v.mono, picture.is_some());
                dom::set_text(&v.mono, &p.initial);
                const CLASSES: [&str; 6] = ["c0", "c1", "c2", "c3", "c4", "c5"];
                let mut mono_class = String::from("pic mono ");
                mono_class.push_str(CLASSES.get(usize::from(p.colour)).copied().unwrap_or("c0"));
                dom::set_attr(&v.mono, "class", Some(&mono_class));
            }
            None => {
                // Loading placeholder (or hidden).
                class.push_str(" sk");
                dom::set_attr(&v.card, "aria-busy", Some("true"));
                dom::set_text(&v.name, "");
                dom::set_text(&v.detail, "");
                dom::set_hidden(&v.img, true);
                dom::set_hidden(&v.mono, false);
                dom::set_text(&v.mono, "");
                dom::set_attr(&v.mono, "class", Some("pic mono"));
            }
        }
        dom::set_attr(&v.card, "class", Some(&class));
    }
}

/// The session's access token ("" if it has none: still a session).
fn token_of(session: &JsValue) -> String {
    js::get_str(session, "access_token").unwrap_or_default()
}

/// Runs `f` on the control if it still exists (callbacks hold only a weak reference).
fn with(me: &Weak<Inner>, f: impl FnOnce(&Rc<Inner>)) {
    if let Some(me) = me.upgrade() {
        f(&me);
    }
}
