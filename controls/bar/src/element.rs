//! The `<wl-bar>` element: `WlBar`, the class the bootstrap's element shim drives
//! (docs/contracts.md). It owns the element's shadow root and the bar's state, reads the
//! attributes, builds and renders the view, and runs the reducer's effects. The hub connection
//! and the session are in [`crate::connection`], the person's clicks and keys in
//! [`crate::actions`].

use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wl_controls_common::attrs::{self, Attribute, Theme, Values, parse_choice};
use wl_controls_common::edge::cell::Slot;
use wl_controls_common::edge::dom as kit_dom;
use wl_controls_common::edge::js::{HtmlElement, Storage};
use wl_controls_common::edge::listener::Listener;
use wl_controls_common::edge::time;
use wl_controls_common::warning::Warning;

use crate::client::{Client, client};
use crate::i18n::{self, fill};
use crate::persist;
use crate::state::Effect;
use crate::view::{Feed, Panel, Ui, View};

/// The scopes the bar's own sign-in asks for.
pub const SCOPES: &str = "wl.signin wl.basic wl.messenger wl.share";

const TAG: &str = "wl-bar";

/// The `<wl-bar>` control.
#[wasm_bindgen]
pub struct WlBar {
    inner: Rc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) host: HtmlElement,
    pub(crate) me: Slot<Weak<Inner>>,
    /// The page's hub client (its state is what the bar shows).
    pub(crate) client: Rc<Client>,
    pub(crate) ui: Slot<Ui>,
    pub(crate) view: Slot<Option<View>>,
    pub(crate) listeners: Slot<Vec<Listener>>,
}

#[wasm_bindgen]
impl WlBar {
    /// Wraps the element (nothing rendered until `connected()`).
    #[wasm_bindgen(constructor)]
    pub fn new(el: HtmlElement) -> WlBar {
        let inner = Rc::new(Inner {
            host: el,
            me: Slot::new(Weak::new()),
            client: client(),
            ui: Slot::new(Ui {
                sign_in_enabled: true,
                ..Default::default()
            }),
            view: Slot::new(None),
            listeners: Slot::new(Vec::new()),
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

    /// The element left the page: its listeners go, and the hub connection too unless
    /// something else on the page (another bar, `WL.messenger.connect()`) wants it.
    pub fn disconnected(&self) {
        let i = &self.inner;
        i.listeners.borrow_mut().clear();
        i.client.detach(&i.weak());
    }
}

impl Inner {
    pub(crate) fn weak(&self) -> Weak<Inner> {
        self.me.borrow().clone()
    }

    /// The page's `localStorage` (`local`) or `sessionStorage`, if it may be used.
    pub(crate) fn storage(&self, local: bool) -> Option<Storage> {
        kit_dom::storage(&self.host.owner_document()?, local)
    }

    pub(crate) fn attr(&self, name: &str) -> Option<String> {
        self.host.get_attribute(name)
    }

    /// A `true`/`false` attribute of the table (an empty value or its own name count as
    /// `true`); another value warns and uses the default.
    pub(crate) fn flag(&self, a: Attribute) -> bool {
        let default = matches!(a.values, Values::Flag { default: true });
        let Some(raw) = self.attr(a.name) else {
            return default;
        };
        let v = raw.trim().to_ascii_lowercase();
        if v.is_empty() || v == "true" || v == a.name {
            true
        } else if v == "false" {
            false
        } else {
            let used = if default { "true" } else { "false" };
            let w = Warning::UnknownValue {
                attr: a.name,
                value: raw,
                used,
            };
            kit_dom::warn(TAG, &w);
            default
        }
    }

    /// The theme is styled from the attribute itself (`:host([theme=…])`); an unknown one warns.
    fn check_theme(&self) {
        if let (_, Some(w)) = parse_choice::<Theme>(self.attr(attrs::bar::THEME.name).as_deref()) {
            kit_dom::warn(TAG, &w);
        }
    }

    fn locale(&self) -> Option<String> {
        self.attr(attrs::bar::LOCALE.name)
            .or_else(|| kit_dom::page_lang(&self.host))
    }

    pub(crate) fn build_view(&self) {
        let Some(root) = kit_dom::shadow_root(&self.host) else {
            return;
        };
        kit_dom::adopt_styles(&root, crate::style::CSS);
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
            ui.sign_in_enabled = self.flag(attrs::bar::SIGN_IN_ENABLED);
            let hide_tip = self.flag(attrs::bar::HIDE_FIRST_RUN_EXPERIENCE);
            if !hide_tip && !ui.tip {
                let store = self.storage(true);
                let seen = store
                    .as_ref()
                    .and_then(|s| s.get_item(persist::FIRST_RUN_KEY))
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
        self.client.attach(self.weak());
        *self.client.hub.borrow_mut() = self.attr(attrs::bar::HUB.name);
        self.client.session_changed(false);
    }

    /// The session changed (the client tells every bar): what the bar shows besides the hub
    /// state.
    pub(crate) fn session_ui(&self, signed_in: bool) {
        {
            let mut ui = self.ui.borrow_mut();
            ui.signed_in = signed_in;
            if signed_in {
                ui.tip = false;
            } else {
                ui.panel = None;
                ui.feed = Feed::Idle;
                ui.share_selected.clear();
                ui.share_status = None;
            }
        }
        self.render();
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
                    i.on_event(name, e.unchecked_ref());
                }
            }));
        }
    }

    fn attribute_changed(&self, name: &str) {
        match name {
            "theme" => self.check_theme(),
            "locale" if self.view.borrow().is_some() => self.build_view(),
            "sign-in-enabled" => {
                self.ui.borrow_mut().sign_in_enabled = self.flag(attrs::bar::SIGN_IN_ENABLED);
            }
            "hide-first-run-experience" if self.flag(attrs::bar::HIDE_FIRST_RUN_EXPERIENCE) => {
                self.ui.borrow_mut().tip = false;
            }
            "hub" => {
                *self.client.hub.borrow_mut() = self.attr(attrs::bar::HUB.name);
                self.client.reconnect();
            }
            _ => {}
        }
        self.render();
    }

    /// Runs effects, saves, renders, then moves focus if an effect asked.
    pub(crate) fn after(&self, fx: Vec<Effect>) {
        self.effects(&fx, true);
    }

    /// [`Self::after`] on borrowed effects (the client hands the same ones to every bar; only
    /// one of them sends the frames, when `send`).
    pub(crate) fn effects(&self, fx: &[Effect], send: bool) {
        let mut focus: Option<&Effect> = None;
        for e in fx {
            match e {
                Effect::Send(frame) => {
                    if send {
                        self.client.send(&frame.to_json());
                    }
                }
                Effect::Announce { from, text } => {
                    if let Some(v) = self.view.borrow().as_ref() {
                        let l = v.labels();
                        v.announce(&fill(l.new_message, &[from, text]));
                    }
                }
                other => focus = Some(other),
            }
        }
        self.persist();
        self.render();
        if let Some(v) = self.view.borrow().as_ref() {
            match focus {
                Some(Effect::FocusComposer(w)) => v.focus_composer(w),
                Some(Effect::FocusTab(w)) => v.focus_tab(w),
                Some(Effect::FocusFriends) => v.focus_toggle(Panel::Friends),
                _ => {}
            }
        }
    }

    pub(crate) fn persist(&self) {
        if self.ui.borrow().signed_in {
            self.client.persist();
        }
    }

    pub(crate) fn render(&self) {
        let state = self.client.state.borrow();
        let ui = self.ui.borrow();
        if let Some(v) = self.view.borrow_mut().as_mut() {
            v.render(&state, &ui, time::now());
        }
    }
}
