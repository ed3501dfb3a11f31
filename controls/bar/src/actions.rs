//! The person's actions: one delegated listener per event type on the shadow root turns clicks,
//! input, submits and keys into reducer actions, `WL` calls (sign-in within the click, sign-out)
//! and data API calls (the activity feed, sharing).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::activity;
use crate::element::{Inner, SCOPES};
use crate::i18n::{decimal, fill};
use crate::protocol::Presence;
use crate::state::share_text;
use crate::view::{Feed, Panel};
use wl_controls_common::edge::js::{Element, Event, JsArray};
use wl_controls_common::edge::{dom as kit_dom, js, time};
use wl_controls_common::wl;

/// The element an event is aimed at (`None` for a target that is not an element).
fn target_element(e: &Event) -> Option<Element> {
    let t = e.target();
    js::get(&t, "closest")
        .is_function()
        .then(|| t.unchecked_into())
}

/// A `KeyboardEvent`'s `key`.
fn key(e: &Event) -> Option<String> {
    js::get_str(e, "key")
}

/// Whether a boolean property of an event (`shiftKey`, `isComposing`) is true.
fn flag(e: &Event, name: &str) -> bool {
    js::get(e, name).as_bool() == Some(true)
}

/// `WL.api({ path, method, body })`.
fn api(path: &str, method: &str, body: Option<&JsValue>) -> Result<wl::Promise, wl::WlError> {
    let opts = js::object_of(&[("path", Some(path)), ("method", Some(method))]);
    if let Some(b) = body {
        js::reflect_set(&opts, &JsValue::from_str("body"), b);
    }
    wl::api(&opts)
}

impl Inner {
    pub(crate) fn on_event(&self, kind: &str, e: &Event) {
        let Some(target) = target_element(e) else {
            return;
        };
        let Some(actor) = target.closest("[data-action]") else {
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
                let fx = self.client.state.borrow_mut().open(&id);
                self.after(fx);
            }
            ("click", "minimise") => {
                let fx = self.client.state.borrow_mut().minimise(&id);
                self.after(fx);
            }
            ("click", "close") => {
                let fx = self.client.state.borrow_mut().close(&id);
                self.after(fx);
            }
            ("click", "more") => {
                let fx = self.client.state.borrow_mut().load_more(&id);
                self.after(fx);
            }
            ("click", "signout") => {
                // The outcome shows through `auth.*` events; a rejection is not left unhandled.
                wl::when_settled(wl::logout(), |_| {});
            }
            ("input", "search") => {
                self.client.state.borrow_mut().search = actor.value();
                self.render();
            }
            ("input", "type") => {
                let fx = self.client.state.borrow_mut().typed(&id, time::now());
                self.after(fx);
            }
            ("change", "presence") => {
                if let Some(p) = Presence::parse(&actor.value()) {
                    // Through the client: every view and `WL.messenger`'s `presence` event.
                    self.client.set_presence(p);
                }
            }
            ("change", "choose") => {
                let checked = actor.checked();
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
                if key(e).as_deref() == Some("Enter")
                    && !flag(e, "shiftKey")
                    && !flag(e, "isComposing")
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
    fn on_key(&self, e: &Event, window: Option<&str>) {
        if key(e).as_deref() != Some("Escape") {
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
            target_element(e)
                .and_then(|t| t.closest("section.win"))
                .and_then(|s| s.get_attribute("data-id"))
        });
        if let Some(with) = with {
            let fx = self.client.state.borrow_mut().minimise(&with);
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
        wl::when_settled(api("me/feed", "GET", None), move |r| {
            let Some(i) = weak.upgrade() else {
                return;
            };
            let feed = match r {
                Ok(v) => {
                    let json = js::stringify(&v)
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
        let r = self.client.state.borrow_mut().compose(with, &ta.value());
        match r {
            Ok(fx) => {
                ta.set_value("");
                self.after(fx);
            }
            Err(err) => {
                if let Some(v) = self.view.borrow().as_ref() {
                    v.announce(err.message());
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
        let doc = self.host.owner_document();
        let link = doc.as_ref().map(kit_dom::page_url).unwrap_or_default();
        // The chat messages first (synchronously, through the open hub connection).
        let text = share_text(&link, &message);
        let mut fx = Vec::new();
        let mut sent = 0usize;
        for with in &chosen {
            if let Ok(f) = self.client.state.borrow_mut().compose(with, &text) {
                fx.extend(f);
                sent += 1;
            }
        }
        self.after(fx);
        // Then the activity.
        // `POST me/share {link, message?, title?, to}`: the activity goes to the chosen friends.
        let to = JsArray::new();
        for id in &chosen {
            to.push(&JsValue::from_str(id));
        }
        let title = doc.as_ref().map(kit_dom::page_title).unwrap_or_default();
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
        let body = js::object();
        for (k, v) in pairs {
            js::reflect_set(&body, &JsValue::from_str(k), v);
        }
        let weak = self.weak();
        wl::when_settled(api("me/share", "POST", Some(&body)), move |r| {
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
                    fill(l.shared, &[&decimal(sent.max(chosen.len()) as u64)])
                }
                Err(e) => fill(l.share_failed, &[e.code()]),
            };
            i.ui.borrow_mut().share_status = Some(status);
            i.render();
        });
    }

    /// `WL.login` synchronously inside the click (the popup opens within the gesture), then
    /// `on-consent-completed` with the session.
    pub(crate) fn sign_in(&self) {
        let p = match wl::login(&js::object_of(&[("scope", Some(SCOPES))])) {
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
        let handler = self.attr(wl_controls_common::attrs::bar::ON_CONSENT_COMPLETED.name);
        wl::when_settled(Ok(p), move |r| {
            let Some(i) = weak.upgrade() else {
                return;
            };
            i.ui.borrow_mut().signing_in = false;
            match r {
                Ok(v) => {
                    if let Some(name) = handler.filter(|h| !h.trim().is_empty()) {
                        let session = js::get(&v, "session");
                        let arg = if session.is_object() { session } else { v };
                        kit_dom::call_global(&i.host, name.trim(), &arg);
                    }
                    i.client.session_changed(false);
                }
                Err(e) => {
                    i.ui.borrow_mut().login_error = Some(e.code().into());
                    i.render();
                }
            }
        });
    }
}
