//! `WlBar`, the class the bootstrap's element shim drives (docs/contracts.md): it owns the
//! element's shadow root, follows the session through `WL.Event`, talks to the hub, and turns
//! clicks and keys (one delegated listener per event type on the shadow root) into reducer
//! actions.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::dom::{self, Listener, Timer};
use crate::hub::Socket;
use crate::i18n::{self, fill};
use crate::persist::{self, Persisted};
use crate::protocol::{self, Presence, ServerFrame};
use crate::state::{Effect, Link, Reconnect, State, TYPING_SHOWN_MS, share_text};
use crate::view::{Feed, Panel, Ui, View};
use crate::wl::{self, Subscription};
use crate::{activity, backoff};

/// The scopes the bar's own sign-in asks for.
pub const SCOPES: &str = "wl.signin wl.basic wl.messenger wl.share";

const THEMES: [&str; 4] = ["blue", "white", "dark", "light"];

/// The `<wl-bar>` control.
#[wasm_bindgen]
pub struct WlBar {
    inner: Rc<Inner>,
}

struct Inner {
    host: HtmlElement,
    me: RefCell<Weak<Inner>>,
    state: RefCell<State>,
    ui: RefCell<Ui>,
    view: RefCell<Option<View>>,
    socket: RefCell<Option<Socket>>,
    retry: RefCell<Option<Timer>>,
    typing_timer: RefCell<Option<Timer>>,
    attempt: Cell<u32>,
    generation: Cell<u32>,
    listeners: RefCell<Vec<Listener>>,
    subs: RefCell<Vec<Subscription>>,
    restored: Cell<bool>,
}

fn new_state(prefix: &str) -> State {
    let mut s = State::new(prefix);
    s.fold = Some(dom::fold);
    s
}

fn random_prefix() -> String {
    let n = (js_sys::Math::random() * 2_176_782_336.0) as u64;
    format!("b{n:x}")
}

fn storage(local: bool) -> Option<web_sys::Storage> {
    let w = web_sys::window()?;
    if local {
        w.local_storage().ok().flatten()
    } else {
        w.session_storage().ok().flatten()
    }
}

#[wasm_bindgen]
impl WlBar {
    /// Wraps the element (nothing rendered until `connected()`).
    #[wasm_bindgen(constructor)]
    pub fn new(el: HtmlElement) -> WlBar {
        let inner = Rc::new(Inner {
            host: el,
            me: RefCell::new(Weak::new()),
            state: RefCell::new(new_state(&random_prefix())),
            ui: RefCell::new(Ui {
                sign_in_enabled: true,
                ..Default::default()
            }),
            view: RefCell::new(None),
            socket: RefCell::new(None),
            retry: RefCell::new(None),
            typing_timer: RefCell::new(None),
            attempt: Cell::new(0),
            generation: Cell::new(0),
            listeners: RefCell::new(Vec::new()),
            subs: RefCell::new(Vec::new()),
            restored: Cell::new(false),
        });
        *inner.me.borrow_mut() = Rc::downgrade(&inner);
        WlBar { inner }
    }

    /// The element connected: render, listen, follow the session.
    pub fn connected(&self) {
        self.inner.connect_element();
    }

    /// An observed attribute changed.
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, name: String, old: Option<String>, new: Option<String>) {
        if old == new {
            return;
        }
        self.inner.attribute_changed(&name);
    }

    /// The element left the page: listeners, subscriptions, timers and the socket go.
    pub fn disconnected(&self) {
        let i = &self.inner;
        i.generation.set(i.generation.get() + 1);
        i.listeners.borrow_mut().clear();
        i.subs.borrow_mut().clear();
        i.retry.borrow_mut().take();
        i.typing_timer.borrow_mut().take();
        i.socket.borrow_mut().take();
    }
}

impl Inner {
    fn weak(&self) -> Weak<Inner> {
        self.me.borrow().clone()
    }

    fn attr(&self, name: &str) -> Option<String> {
        self.host.get_attribute(name)
    }

    fn flag(&self, name: &str, default: bool) -> bool {
        match self.attr(name).map(|v| v.trim().to_ascii_lowercase()) {
            None => default,
            Some(v) if v.is_empty() || v == "true" || v == name => true,
            Some(v) if v == "false" => false,
            Some(v) => {
                dom::warn(&format!(
                    "<wl-bar>: {name}=\"{v}\" is not true or false; using {default}"
                ));
                default
            }
        }
    }

    fn check_theme(&self) {
        if let Some(t) = self.attr("theme")
            && !THEMES.contains(&t.as_str())
        {
            dom::warn(&format!(
                "<wl-bar>: theme=\"{t}\" is not one of blue, white, dark, light; using blue"
            ));
        }
    }

    fn locale(&self) -> Option<String> {
        self.attr("locale").or_else(|| {
            self.host
                .closest("[lang]")
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute("lang"))
        })
    }

    fn build_view(&self) {
        let Some(root) = dom::shadow_root(&self.host) else {
            return;
        };
        dom::adopt_styles(&root, crate::style::CSS);
        let labels = i18n::labels(self.locale().as_deref());
        *self.view.borrow_mut() = View::build(&root, labels);
    }

    fn connect_element(&self) {
        self.check_theme();
        if self.view.borrow().is_none() {
            self.build_view();
        }
        {
            let mut ui = self.ui.borrow_mut();
            ui.sign_in_enabled = self.flag("sign-in-enabled", true);
            let hide_tip = self.flag("hide-first-run-experience", false);
            if !hide_tip && !ui.tip {
                let store = storage(true);
                let seen = store
                    .as_ref()
                    .and_then(|s| s.get_item(persist::FIRST_RUN_KEY).ok().flatten())
                    .is_some();
                if !seen {
                    ui.tip = true;
                    if let Some(s) = store {
                        let _ = s.set_item(persist::FIRST_RUN_KEY, "1");
                    }
                }
            }
        }
        self.listen();
        self.session_changed(false);
    }

    fn listen(&self) {
        let Some(root) = self.host.shadow_root() else {
            return;
        };
        let mut ls = self.listeners.borrow_mut();
        ls.clear();
        for name in ["click", "input", "change", "submit", "keydown"] {
            let weak = self.weak();
            ls.push(Listener::new(&root, name, move |e| {
                if let Some(i) = weak.upgrade() {
                    i.on_event(name, &e);
                }
            }));
        }
        drop(ls);
        let mut subs = self.subs.borrow_mut();
        subs.clear();
        for name in ["auth.sessionChange", "auth.statusChange", "auth.login"] {
            let weak = self.weak();
            subs.push(Subscription::new(name, move |_| {
                if let Some(i) = weak.upgrade() {
                    i.session_changed(false);
                }
            }));
        }
        let weak = self.weak();
        subs.push(Subscription::new("auth.logout", move |_| {
            if let Some(i) = weak.upgrade() {
                i.session_changed(true);
            }
        }));
    }

    fn attribute_changed(&self, name: &str) {
        match name {
            "theme" => self.check_theme(),
            "locale" if self.view.borrow().is_some() => self.build_view(),
            "sign-in-enabled" => {
                self.ui.borrow_mut().sign_in_enabled = self.flag("sign-in-enabled", true);
            }
            "hide-first-run-experience" if self.flag("hide-first-run-experience", false) => {
                self.ui.borrow_mut().tip = false;
            }
            "hub" if self.socket.borrow().is_some() || self.retry.borrow().is_some() => {
                self.drop_connection();
                self.connect();
            }
            _ => {}
        }
        self.render();
    }

    // --- session and hub -------------------------------------------------------------------

    fn drop_connection(&self) {
        self.generation.set(self.generation.get() + 1);
        self.retry.borrow_mut().take();
        self.socket.borrow_mut().take();
    }

    fn session_changed(&self, logged_out: bool) {
        let signed_in = wl::session().is_some();
        if logged_out && let Some(s) = storage(false) {
            let _ = s.remove_item(persist::KEY);
        }
        self.ui.borrow_mut().signed_in = signed_in;
        if !signed_in {
            self.drop_connection();
            let prefix = self.state.borrow().client_prefix.clone();
            *self.state.borrow_mut() = new_state(&prefix);
            self.restored.set(false);
            let mut ui = self.ui.borrow_mut();
            ui.panel = None;
            ui.feed = Feed::Idle;
            ui.share_selected.clear();
            ui.share_status = None;
            drop(ui);
            self.render();
            return;
        }
        self.ui.borrow_mut().tip = false;
        if !self.restored.get() {
            self.restored.set(true);
            if let Some(p) = storage(false)
                .and_then(|s| s.get_item(persist::KEY).ok().flatten())
                .and_then(|t| Persisted::parse(&t))
            {
                self.state.borrow_mut().restore(&p);
            }
        }
        if !wl::has_scope("wl.messenger") {
            self.drop_connection();
            self.state.borrow_mut().link = Link::NeedsConsent;
        } else if self.socket.borrow().is_none() && self.retry.borrow().is_none() {
            self.connect();
        }
        self.render();
    }

    fn connect(&self) {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        self.retry.borrow_mut().take();
        if !matches!(self.state.borrow().link, Link::Reconnecting) {
            self.state.borrow_mut().link = Link::Connecting;
        }
        let weak = self.weak();
        let explicit = self.attr("hub").filter(|h| !h.trim().is_empty());
        wasm_bindgen_futures::spawn_local(async move {
            let url = match explicit {
                Some(u) => Some(u),
                None => wl::provider_hub().await,
            };
            let Some(i) = weak.upgrade() else {
                return;
            };
            if i.generation.get() != generation {
                return;
            }
            let Some(url) = url else {
                i.state.borrow_mut().link = Link::Failed("no_hub".into());
                i.render();
                return;
            };
            i.open_socket(&url, generation);
        });
    }

    fn open_socket(&self, url: &str, generation: u32) {
        let (w1, w2, w3) = (self.weak(), self.weak(), self.weak());
        let socket = Socket::open(
            url,
            move || {
                if let Some(i) = w1.upgrade() {
                    i.on_open(generation);
                }
            },
            move |text| {
                if let Some(i) = w2.upgrade() {
                    i.on_frame(&text, generation);
                }
            },
            move |code| {
                if let Some(i) = w3.upgrade() {
                    i.on_close(code, generation);
                }
            },
        );
        match socket {
            Ok(s) => *self.socket.borrow_mut() = Some(s),
            Err(e) => {
                self.state.borrow_mut().link = Link::Failed(e.code().into());
                self.render();
            }
        }
    }

    fn on_open(&self, generation: u32) {
        if self.generation.get() != generation {
            return;
        }
        let Some(token) = wl::token() else {
            self.drop_connection();
            return;
        };
        let hello = self.state.borrow_mut().hello(&token);
        self.send(&hello.to_json());
    }

    fn send(&self, text: &str) {
        if let Some(s) = self.socket.borrow().as_ref() {
            s.send(text);
        }
    }

    fn on_frame(&self, text: &str, generation: u32) {
        if self.generation.get() != generation {
            return;
        }
        let Some(frame) = protocol::parse(text) else {
            return;
        };
        let typing = matches!(frame, ServerFrame::Typing { .. });
        if matches!(frame, ServerFrame::Welcome { .. }) {
            self.attempt.set(0);
        }
        let fx = self.state.borrow_mut().apply(frame, dom::now());
        if typing {
            let weak = self.weak();
            *self.typing_timer.borrow_mut() = Timer::once(TYPING_SHOWN_MS + 50.0, move || {
                if let Some(i) = weak.upgrade() {
                    i.render();
                }
            });
        }
        self.after(fx);
    }

    fn on_close(&self, code: u16, generation: u32) {
        if self.generation.get() != generation {
            return;
        }
        self.socket.borrow_mut().take();
        let next = self.state.borrow_mut().closed_with(code);
        if next == Reconnect::Later && wl::session().is_some() {
            let attempt = self.attempt.get();
            self.attempt.set(attempt.saturating_add(1));
            let delay = backoff::delay_ms(attempt, js_sys::Math::random());
            let weak = self.weak();
            *self.retry.borrow_mut() = Timer::once(delay, move || {
                if let Some(i) = weak.upgrade() {
                    i.retry.borrow_mut().take();
                    i.connect();
                }
            });
        }
        self.render();
    }

    /// Runs effects, saves, renders, then moves focus if an effect asked.
    fn after(&self, fx: Vec<Effect>) {
        let mut focus: Option<Effect> = None;
        for e in fx {
            match e {
                Effect::Send(frame) => self.send(&frame.to_json()),
                Effect::Announce { from, text } => {
                    if let Some(v) = self.view.borrow().as_ref() {
                        let l = v.labels();
                        v.announce(&fill(l.new_message, &[&from, &text]));
                    }
                }
                other => focus = Some(other),
            }
        }
        self.persist();
        self.render();
        if let Some(v) = self.view.borrow().as_ref() {
            match focus {
                Some(Effect::FocusComposer(w)) => v.focus_composer(&w),
                Some(Effect::FocusTab(w)) => v.focus_tab(&w),
                Some(Effect::FocusFriends) => v.focus_toggle(Panel::Friends),
                _ => {}
            }
        }
    }

    fn persist(&self) {
        if !self.ui.borrow().signed_in {
            return;
        }
        if let Some(s) = storage(false) {
            let _ = s.set_item(persist::KEY, &self.state.borrow().persisted().to_json());
        }
    }

    fn render(&self) {
        let state = self.state.borrow();
        let ui = self.ui.borrow();
        if let Some(v) = self.view.borrow_mut().as_mut() {
            v.render(&state, &ui, dom::now());
        }
    }

    // --- the person's actions ---------------------------------------------------------------

    fn on_event(&self, kind: &str, e: &web_sys::Event) {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Some(actor) = target.closest("[data-action]").ok().flatten() else {
            if kind == "keydown" {
                self.on_key(e, None);
            }
            return;
        };
        let action = actor.get_attribute("data-action").unwrap_or_default();
        let id = actor.get_attribute("data-id").unwrap_or_default();
        match (kind, action.as_str()) {
            ("click", "signin" | "consent") => self.sign_in(),
            ("click", "tip-dismiss") => {
                self.ui.borrow_mut().tip = false;
                self.render();
                if let Some(v) = self.view.borrow().as_ref() {
                    v.focus_sign_in();
                }
            }
            ("click", "panel") => self.toggle_panel(Panel::parse(&id)),
            ("click", "open") => {
                {
                    let mut ui = self.ui.borrow_mut();
                    ui.panel = None;
                    ui.front = Some(id.clone());
                }
                let fx = self.state.borrow_mut().open(&id);
                self.after(fx);
            }
            ("click", "minimise") => {
                let fx = self.state.borrow_mut().minimise(&id);
                self.after(fx);
            }
            ("click", "close") => {
                let fx = self.state.borrow_mut().close(&id);
                self.after(fx);
            }
            ("click", "more") => {
                let fx = self.state.borrow_mut().load_more(&id);
                self.after(fx);
            }
            ("click", "signout") => {
                if let Ok(p) = wl::logout() {
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = wl::settle(p).await;
                    });
                }
            }
            ("input", "search") => {
                let q = actor
                    .dyn_ref::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default();
                self.state.borrow_mut().search = q;
                self.render();
            }
            ("input", "type") => {
                let fx = self.state.borrow_mut().typed(&id, dom::now());
                self.after(fx);
            }
            ("change", "presence") => {
                let p = actor
                    .dyn_ref::<HtmlSelectElement>()
                    .and_then(|s| Presence::parse(&s.value()));
                if let Some(p) = p {
                    let fx = self.state.borrow_mut().set_presence(p);
                    self.after(fx);
                }
            }
            ("change", "choose") => {
                let checked = actor
                    .dyn_ref::<HtmlInputElement>()
                    .is_some_and(|i| i.checked());
                let mut ui = self.ui.borrow_mut();
                ui.share_selected.retain(|x| *x != id);
                if checked {
                    ui.share_selected.push(id);
                }
            }
            ("submit", "send") => {
                e.prevent_default();
                self.send_from(&id);
            }
            ("submit", "share") => {
                e.prevent_default();
                self.share();
            }
            ("keydown", "type") => {
                let key = e.dyn_ref::<web_sys::KeyboardEvent>();
                if let Some(k) = key
                    && k.key() == "Enter"
                    && !k.shift_key()
                    && !k.is_composing()
                {
                    e.prevent_default();
                    self.send_from(&id);
                } else {
                    self.on_key(e, Some(&id));
                }
            }
            ("keydown", _) => self.on_key(e, None),
            _ => {}
        }
    }

    /// Escape closes the open panel (focus back to its button) or minimises the window the
    /// focus is in.
    fn on_key(&self, e: &web_sys::Event, window: Option<&str>) {
        let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.key() != "Escape" {
            return;
        }
        let open = self.ui.borrow().panel;
        if let Some(p) = open {
            self.ui.borrow_mut().panel = None;
            self.render();
            if let Some(v) = self.view.borrow().as_ref() {
                v.focus_toggle(p);
            }
            return;
        }
        let with = window.map(str::to_owned).or_else(|| {
            e.target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("section.win").ok().flatten())
                .and_then(|s| s.get_attribute("data-id"))
        });
        if let Some(with) = with {
            let fx = self.state.borrow_mut().minimise(&with);
            self.after(fx);
        }
    }

    fn toggle_panel(&self, p: Option<Panel>) {
        let Some(p) = p else {
            return;
        };
        let opening = self.ui.borrow().panel != Some(p);
        {
            let mut ui = self.ui.borrow_mut();
            ui.panel = opening.then_some(p);
            if opening && p == Panel::Share {
                ui.share_status = None;
            }
        }
        if opening && p == Panel::Activities {
            self.load_feed();
        }
        self.render();
        if opening && let Some(v) = self.view.borrow().as_ref() {
            v.focus_panel(p);
        }
    }

    fn load_feed(&self) {
        self.ui.borrow_mut().feed = Feed::Loading;
        let weak = self.weak();
        wasm_bindgen_futures::spawn_local(async move {
            let r = wl::api("me/feed", "GET", None).await;
            let Some(i) = weak.upgrade() else {
                return;
            };
            let feed = match r {
                Ok(v) => {
                    let json = js_sys::JSON::stringify(&v)
                        .ok()
                        .and_then(|s| s.as_string())
                        .and_then(|s| crate::json::Json::parse(&s))
                        .unwrap_or(crate::json::Json::Null);
                    Feed::Rows(activity::rows(&json))
                }
                Err(e) => Feed::Failed(e.code().into()),
            };
            i.ui.borrow_mut().feed = feed;
            i.render();
        });
    }

    fn send_from(&self, with: &str) {
        let Some(ta) = self.view.borrow().as_ref().and_then(|v| v.textarea(with)) else {
            return;
        };
        let Some(ta) = ta.dyn_ref::<HtmlTextAreaElement>() else {
            return;
        };
        let r = self.state.borrow_mut().compose(with, &ta.value());
        match r {
            Ok(fx) => {
                ta.set_value("");
                self.after(fx);
            }
            Err(err) => {
                if let Some(v) = self.view.borrow().as_ref() {
                    v.announce(&err.to_string());
                }
            }
        }
    }

    fn share(&self) {
        let chosen = self.ui.borrow().share_selected.clone();
        let Some(l) = self.view.borrow().as_ref().map(|v| v.labels()) else {
            return;
        };
        if chosen.is_empty() {
            self.ui.borrow_mut().share_status = Some(l.choose_friend.into());
            self.render();
            return;
        }
        let message = self
            .view
            .borrow()
            .as_ref()
            .map(|v| v.share_message())
            .unwrap_or_default();
        let link = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        // The chat messages first (synchronously, through the open hub connection).
        let text = share_text(&link, &message);
        let mut fx = Vec::new();
        let mut sent = 0usize;
        for with in &chosen {
            if let Ok(f) = self.state.borrow_mut().compose(with, &text) {
                fx.extend(f);
                sent += 1;
            }
        }
        self.after(fx);
        // Then the activity.
        // `POST me/share {link, message?, title?, to}`: the activity goes to the chosen friends.
        let to = js_sys::Array::new();
        for id in &chosen {
            to.push(&JsValue::from_str(id));
        }
        let title = web_sys::window()
            .and_then(|w| w.document())
            .map(|d| d.title())
            .unwrap_or_default();
        let link_v = JsValue::from_str(&link);
        let message_v = JsValue::from_str(message.trim());
        let title_v = JsValue::from_str(title.trim());
        let mut pairs: Vec<(&str, &JsValue)> = vec![("link", &link_v), ("to", &to)];
        if !message.trim().is_empty() {
            pairs.push(("message", &message_v));
        }
        if !title.trim().is_empty() {
            pairs.push(("title", &title_v));
        }
        let body = wl::object(&pairs);
        let weak = self.weak();
        wasm_bindgen_futures::spawn_local(async move {
            let r = wl::api("me/share", "POST", Some(&body)).await;
            let Some(i) = weak.upgrade() else {
                return;
            };
            let status = match r {
                Ok(_) => {
                    if let Some(v) = i.view.borrow().as_ref() {
                        v.clear_share_message();
                    }
                    let mut ui = i.ui.borrow_mut();
                    ui.share_selected.clear();
                    fill(l.shared, &[&sent.max(chosen.len()).to_string()])
                }
                Err(e) => fill(l.share_failed, &[e.code()]),
            };
            i.ui.borrow_mut().share_status = Some(status);
            i.render();
        });
    }

    /// `WL.login` synchronously inside the click (the popup opens within the gesture), then
    /// `on-consent-completed` with the session.
    fn sign_in(&self) {
        let p = match wl::login(SCOPES) {
            Ok(p) => p,
            Err(e) => {
                self.ui.borrow_mut().login_error = Some(e.code().into());
                self.render();
                return;
            }
        };
        {
            let mut ui = self.ui.borrow_mut();
            ui.signing_in = true;
            ui.login_error = None;
        }
        self.render();
        let weak = self.weak();
        let handler = self.attr("on-consent-completed");
        wasm_bindgen_futures::spawn_local(async move {
            let r = wl::settle(p).await;
            let Some(i) = weak.upgrade() else {
                return;
            };
            i.ui.borrow_mut().signing_in = false;
            match r {
                Ok(v) => {
                    if let Some(name) = handler.filter(|h| !h.trim().is_empty()) {
                        let session = wl::get(&v, "session");
                        let arg = if session.is_object() { session } else { v };
                        wl::call_global(&name, &arg);
                    }
                    i.session_changed(false);
                }
                Err(e) => {
                    i.ui.borrow_mut().login_error = Some(e.code().into());
                    i.render();
                }
            }
        });
    }
}
