//! The bar's connection: follows the session (`WL.Event`), restores the persisted state, finds
//! the messenger hub, opens the socket, feeds its frames to the reducer and reconnects with
//! backoff (docs/messenger.md).

use wasm_bindgen::JsValue;

use crate::backoff;
use crate::element::{Inner, new_state};
use crate::hub::Socket;
use crate::persist::{self, Persisted};
use crate::protocol::{self, ServerFrame};
use crate::state::{Link, Reconnect, TYPING_SHOWN_MS};
use crate::view::Feed;
use wl_controls_common::edge::js::{self, get_str};
use wl_controls_common::edge::time;
use wl_controls_common::edge::timer::Timer;
use wl_controls_common::wl;

/// The session (`WL.getSession()`), if signed in with a token.
pub(crate) fn session() -> Option<JsValue> {
    wl::session().filter(|s| s.is_object() && get_str(s, "access_token").is_some())
}

/// The session's access token.
fn token() -> Option<String> {
    session().and_then(|s| get_str(&s, "access_token"))
}

/// Whether the session grants `scope` (`session.scope` is an array or a space-separated string).
fn has_scope(scope: &str) -> bool {
    let Some(s) = session() else {
        return false;
    };
    let v = js::get(&s, "scope");
    if let Some(text) = v.as_string() {
        return text.split([' ', ',']).any(|x| x == scope);
    }
    let len = js::get(&v, "length").as_f64().unwrap_or(0.0) as u32;
    js::is_array(&v) && (0..len).any(|i| js::at(&v, i).as_string().as_deref() == Some(scope))
}

impl Inner {
    pub(crate) fn drop_connection(&self) {
        self.generation.set(self.generation.get() + 1);
        self.retry.borrow_mut().take();
        self.socket.borrow_mut().take();
    }

    pub(crate) fn session_changed(&self, logged_out: bool) {
        let signed_in = session().is_some();
        if logged_out && let Some(s) = self.storage(false) {
            s.remove_item(persist::KEY);
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
            if let Some(p) = self
                .storage(false)
                .and_then(|s| s.get_item(persist::KEY))
                .and_then(|t| Persisted::parse(&t))
            {
                self.state.borrow_mut().restore(&p);
            }
        }
        if !has_scope("wl.messenger") {
            self.drop_connection();
            self.state.borrow_mut().link = Link::NeedsConsent;
        } else if self.socket.borrow().is_none() && self.retry.borrow().is_none() {
            self.connect();
        }
        self.render();
    }

    pub(crate) fn connect(&self) {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        self.retry.borrow_mut().take();
        if !matches!(self.state.borrow().link, Link::Reconnecting) {
            self.state.borrow_mut().link = Link::Connecting;
        }
        let weak = self.weak();
        let found = move |url: Option<String>| {
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
        };
        // The `hub` attribute, else discovery's `messenger_hub` (`WL.getProvider()`); either way
        // after the current work, as the session change that asked for it finishes first.
        let explicit = self
            .attr(wl_controls_common::attrs::bar::HUB.name)
            .filter(|h| !h.trim().is_empty());
        let hub = match explicit {
            Some(u) => Ok(wl::resolved(&JsValue::from_str(&u))),
            None => wl::provider(),
        };
        match hub {
            Ok(p) => wl::settle(&p, move |r| {
                let url = match r {
                    Ok(v) if v.is_string() => v.as_string(),
                    Ok(provider) => get_str(&provider, "messenger_hub"),
                    Err(_) => None,
                };
                found(url.filter(|s| !s.is_empty()));
            }),
            Err(_) => {
                let p = wl::resolved(&JsValue::NULL);
                wl::settle(&p, move |_| found(None));
            }
        }
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
        let Some(token) = token() else {
            self.drop_connection();
            return;
        };
        let hello = self.state.borrow_mut().hello(&token);
        self.send(&hello.to_json());
    }

    pub(crate) fn send(&self, text: &str) {
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
        let fx = self.state.borrow_mut().apply(frame, time::now());
        if typing {
            let weak = self.weak();
            *self.typing_timer.borrow_mut() =
                Some(Timer::once(TYPING_SHOWN_MS + 50.0, move || {
                    if let Some(i) = weak.upgrade() {
                        i.render();
                    }
                }));
        }
        self.after(fx);
    }

    fn on_close(&self, code: u16, generation: u32) {
        if self.generation.get() != generation {
            return;
        }
        self.socket.borrow_mut().take();
        let next = self.state.borrow_mut().closed_with(code);
        if next == Reconnect::Later && session().is_some() {
            let attempt = self.attempt.get();
            self.attempt.set(attempt.saturating_add(1));
            let delay = backoff::delay_ms(attempt, js::random());
            let weak = self.weak();
            *self.retry.borrow_mut() = Some(Timer::once(delay, move || {
                if let Some(i) = weak.upgrade() {
                    i.retry.borrow_mut().take();
                    i.connect();
                }
            }));
        }
        self.render();
    }
}
