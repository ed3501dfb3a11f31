//! The page's one messenger hub client (docs/messenger.md): follows the session (`WL.Event`),
//! restores the persisted state, finds the hub, opens the socket, feeds its frames to the
//! reducer ([`crate::state`]) and reconnects with backoff. One per page (per module instance):
//! every `<wl-bar>` on the page is a view over it, and `WL.messenger` ([`crate::messenger`])
//! is its API (events and promises, [`crate::api`]).
//!
//! It is connected while a bar is on the page or the page called `WL.messenger.connect()`,
//! and the page is shown: a page left for the back/forward cache closes its socket (friends see
//! the person go offline then, not when the browser evicts the page) and opens it again if it
//! comes back. Those closes are normal ones (1000), which the hub's offline grace covers (the
//! next page may connect in a moment); when the session ends, the socket closes with 4000
//! (`signed_out`), and friends see the person offline at once.

use std::cell::Cell;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use crate::api::{self, Pending, Settled, TypingThrottle};
use crate::backoff;
use crate::element::Inner;
use crate::hub::Socket;
use crate::persist::{self, Persisted};
use crate::protocol::{self, ClientFrame, Presence, ServerFrame};
use crate::state::{Effect, Link, Reconnect, State, TYPING_SHOWN_MS};
use wl_controls_common::edge::cell::Slot;
use wl_controls_common::edge::dom as kit_dom;
use wl_controls_common::edge::js::{self, EventTarget, Function, Node, Storage, get_str};
use wl_controls_common::edge::listener::Listener;
use wl_controls_common::edge::time;
use wl_controls_common::edge::timer::Timer;
use wl_controls_common::wl::{self, Subscription};

#[wasm_bindgen]
extern "C" {
    /// `document.createTextNode(text)`: the page's document is its `ownerDocument` (a static
    /// `document` import would bring a lazy cell's panic, and `core::fmt`, into the wasm).
    #[wasm_bindgen(js_namespace = document, js_name = createTextNode)]
    fn text_node(text: &str) -> Node;
    /// `JSON.parse(text)` (the answers are written by [`crate::api`], always valid).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    pub(crate) fn json_parse(text: &str) -> JsValue;
}

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

fn new_state(prefix: &str) -> State {
    let mut s = State::new(prefix);
    s.fold = Some(js::lower_case);
    s
}

fn random_prefix() -> String {
    let n = (js::random() * 2_176_782_336.0) as u64;
    ["m", &crate::i18n::digits(n, 16)].concat()
}

/// A promise's resolve and reject functions.
type Settle = (Function, Function);

/// The page's hub client.
pub(crate) struct Client {
    me: Slot<Weak<Client>>,
    /// The reducer's state, shared by every view.
    pub(crate) state: Slot<State>,
    socket: Slot<Option<Socket>>,
    retry: Slot<Option<Timer>>,
    typing_timer: Slot<Option<Timer>>,
    attempt: Cell<u32>,
    generation: Cell<u32>,
    restored: Cell<bool>,
    /// Whose session the state and the connection are (the session's `user_id`), so that
    /// another person's sign-in over it starts afresh.
    person: Slot<Option<String>>,
    /// The access token the connection said `hello` with, or last passed on in a `token`
    /// frame: a renewed session's new token goes to the hub before the old one ends.
    said: Slot<Option<String>>,
    subs: Slot<Vec<Subscription>>,
    /// The window's `pagehide` and `pageshow` listeners (with `subs`).
    page: Slot<Vec<Listener>>,
    bars: Slot<Vec<Weak<Inner>>>,
    api_wanted: Cell<bool>,
    /// The hub URL a bar's `hub` attribute gives (else discovery's).
    pub(crate) hub: Slot<Option<String>>,
    handlers: Slot<Vec<(String, JsValue)>>,
    pending: Slot<Pending>,
    calls: Slot<Vec<(String, Settle)>>,
    pending_timer: Slot<Option<Timer>>,
    waiters: Slot<Vec<Settle>>,
    waiter_timer: Slot<Option<Timer>>,
    throttle: Slot<TypingThrottle>,
    last_link: Slot<Link>,
}

thread_local! {
    static CLIENT: Rc<Client> = Client::new();
}

/// The page's client.
pub(crate) fn client() -> Rc<Client> {
    // `try_with`: `with`'s panic would bring `core::fmt` into the wasm (it cannot fail here:
    // a page's thread-locals are never destroyed).
    CLIENT
        .try_with(Rc::clone)
        .unwrap_or_else(|_| wasm_bindgen::throw_str("wl-connect: the messenger client is gone"))
}

/// Calls `f(arg)`, reporting a throw on the console.
pub(crate) fn call(f: &JsValue, arg: &JsValue) {
    let f: &Function = f.unchecked_ref();
    if let Err(e) = f.call1(&JsValue::UNDEFINED, arg) {
        js::error(&e);
    }
}

impl Client {
    fn new() -> Rc<Client> {
        let c = Rc::new(Client {
            me: Slot::new(Weak::new()),
            state: Slot::new(new_state(&random_prefix())),
            socket: Slot::new(None),
            retry: Slot::new(None),
            typing_timer: Slot::new(None),
            attempt: Cell::new(0),
            generation: Cell::new(0),
            restored: Cell::new(false),
            person: Slot::new(None),
            said: Slot::new(None),
            subs: Slot::new(Vec::new()),
            page: Slot::new(Vec::new()),
            bars: Slot::new(Vec::new()),
            api_wanted: Cell::new(false),
            hub: Slot::new(None),
            handlers: Slot::new(Vec::new()),
            pending: Slot::new(Pending::default()),
            calls: Slot::new(Vec::new()),
            pending_timer: Slot::new(None),
            waiters: Slot::new(Vec::new()),
            waiter_timer: Slot::new(None),
            throttle: Slot::new(TypingThrottle::default()),
            last_link: Slot::new(Link::Idle),
        });
        *c.me.borrow_mut() = Rc::downgrade(&c);
        c
    }

    fn weak(&self) -> Weak<Client> {
        self.me.borrow().clone()
    }

    fn storage(&self) -> Option<Storage> {
        text_node("")
            .owner_document()
            .and_then(|d| kit_dom::storage(&d, false))
    }

    /// Follows `auth.*` (once).
    fn follow_session(&self) {
        if !self.subs.borrow().is_empty() {
            return;
        }
        let mut subs = Vec::new();
        for name in [
            "auth.sessionChange",
            "auth.statusChange",
            "auth.login",
            "auth.logout",
        ] {
            let weak = self.weak();
            subs.push(Subscription::new(name, move |_| {
                if let Some(c) = weak.upgrade() {
                    c.session_changed(name == "auth.logout");
                }
            }));
        }
        *self.subs.borrow_mut() = subs;
        // The page leaves (for good, or into the back/forward cache, where a browser may keep
        // the socket open): close it now. Back from the cache: connect again.
        if let Some(window) = kit_dom::window_of(&text_node("")) {
            let window: EventTarget = window.unchecked_into();
            let weak = self.weak();
            let hide = Listener::new(&window, "pagehide", move |_| {
                if let Some(c) = weak.upgrade() {
                    c.drop_connection();
                }
            });
            let weak = self.weak();
            let show = Listener::new(&window, "pageshow", move |e| {
                if js::get(&e, "persisted").as_bool() == Some(true)
                    && let Some(c) = weak.upgrade()
                {
                    c.session_changed(false);
                }
            });
            *self.page.borrow_mut() = vec![hide, show];
        }
    }

    fn bars(&self) -> Vec<Rc<Inner>> {
        let mut bars = self.bars.borrow_mut();
        bars.retain(|b| b.strong_count() > 0);
        bars.iter().filter_map(Weak::upgrade).collect()
    }

    fn wanted(&self) -> bool {
        self.api_wanted.get() || !self.bars().is_empty()
    }

    /// A bar joined the page. When nothing used the client before, it starts afresh (as on a
    /// new page: the state comes back from `sessionStorage`).
    pub(crate) fn attach(&self, bar: Weak<Inner>) {
        if !self.wanted() {
            self.reset();
        }
        self.follow_session();
        let mut bars = self.bars.borrow_mut();
        if !bars.iter().any(|b| b.ptr_eq(&bar)) {
            bars.push(bar);
        }
    }

    /// A bar left the page: the connection goes when nothing else wants it.
    pub(crate) fn detach(&self, bar: &Weak<Inner>) {
        self.bars.borrow_mut().retain(|b| !b.ptr_eq(bar));
        if !self.wanted() {
            self.reset();
            self.renew_link();
        }
    }

    /// Nothing on the page uses the client: no connection, no session subscriptions, a fresh
    /// state (the page's event listeners stay).
    fn reset(&self) {
        self.drop_connection();
        self.subs.borrow_mut().clear();
        self.page.borrow_mut().clear();
        let prefix = self.state.borrow().client_prefix.clone();
        *self.state.borrow_mut() = new_state(&prefix);
        self.restored.set(false);
        self.attempt.set(0);
    }

    /// `WL.messenger.connect()`: resolves with the state once online; rejects
    /// `not_signed_in`, `insufficient_scope`, a failure's code, or `timed_out`.
    pub(crate) fn api_connect(&self, settle: Settle) {
        if !self.wanted() {
            self.reset();
        }
        self.follow_session();
        self.api_wanted.set(true);
        if session().is_none() {
            reject(&settle, "not_signed_in", "sign in first (WL.login)");
            return;
        }
        self.waiters.borrow_mut().push(settle);
        let weak = self.weak();
        *self.waiter_timer.borrow_mut() = Some(Timer::once(api::CONNECT_TIMEOUT_MS, move || {
            if let Some(c) = weak.upgrade() {
                let ws = std::mem::take(&mut *c.waiters.borrow_mut());
                for w in ws {
                    reject(&w, "timed_out", "the hub did not answer in time");
                }
            }
        }));
        self.session_changed(false);
        self.settle_waiters();
    }

    /// `WL.messenger.disconnect()`: the page no longer wants the connection (a bar on the page
    /// keeps it).
    pub(crate) fn api_disconnect(&self) {
        self.api_wanted.set(false);
        if !self.wanted() {
            self.reset();
            self.renew_link();
        }
    }

    fn drop_connection(&self) {
        self.end_connection(false);
    }

    /// Drops the connection, telling the hub the person signed out when `signed_out` (friends
    /// then see them offline at once, not after the hub's offline grace).
    fn end_connection(&self, signed_out: bool) {
        self.generation.set(self.generation.get() + 1);
        self.retry.borrow_mut().take();
        self.said.borrow_mut().take();
        let socket = self.socket.borrow_mut().take();
        if let Some(socket) = socket
            && signed_out
        {
            socket.close_signed_out();
        }
        let lost = self.pending.borrow_mut().connection_lost();
        self.settle_all(lost);
    }

    /// The session changed (or a view appeared): connect, disconnect or reset.
    pub(crate) fn session_changed(&self, logged_out: bool) {
        let person = session().map(|s| get_str(&s, "user_id"));
        let signed_in = person.is_some();
        let person = person.flatten();
        // Another person signed in over this session (here, or in a tab sharing it): the last
        // one's connection, conversations and kept windows go, as after their sign-out.
        let someone_else = person.is_some() && {
            let was = self.person.borrow();
            was.is_some() && *was != person
        };
        if (logged_out || someone_else)
            && let Some(s) = self.storage()
        {
            s.remove_item(persist::KEY);
        }
        if !signed_in || someone_else {
            self.end_connection(true);
            let prefix = self.state.borrow().client_prefix.clone();
            *self.state.borrow_mut() = new_state(&prefix);
            self.restored.set(false);
        }
        *self.person.borrow_mut() = person;
        if signed_in {
            if !self.restored.get() {
                self.restored.set(true);
                if let Some(p) = self
                    .storage()
                    .and_then(|s| s.get_item(persist::KEY))
                    .and_then(|t| Persisted::parse(&t))
                    .filter(|p| p.who.is_none() || p.who == *self.person.borrow())
                {
                    self.state.borrow_mut().restore(&p);
                }
            }
            if !has_scope("wl.messenger") {
                self.drop_connection();
                self.state.borrow_mut().link = Link::NeedsConsent;
            } else if !self.wanted() {
                // Nothing on the page wants it (yet).
            } else if self.socket.borrow().is_none() && self.retry.borrow().is_none() {
                self.connect();
            } else {
                self.pass_on_token();
            }
        }
        for b in self.bars() {
            b.session_ui(signed_in);
        }
        self.renew_link();
    }

    /// The session was renewed while connected: the hub checks the connection's token at each
    /// heartbeat and would end it (4401) once the token it was opened with expires, so the new
    /// one goes to it now.
    fn pass_on_token(&self) {
        let Some(now) = token() else {
            return;
        };
        if self.said.borrow().as_ref().is_none_or(|said| *said == now) {
            return;
        }
        if self.send(&ClientFrame::Token { token: now.clone() }.to_json()) {
            *self.said.borrow_mut() = Some(now);
        }
    }

    /// Opens the connection again (a bar's `hub` attribute changed).
    pub(crate) fn reconnect(&self) {
        if self.socket.borrow().is_some() || self.retry.borrow().is_some() {
            self.drop_connection();
            self.connect();
        }
    }

    fn connect(&self) {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        self.retry.borrow_mut().take();
        if !matches!(self.state.borrow().link, Link::Reconnecting) {
            self.state.borrow_mut().link = Link::Connecting;
        }
        let weak = self.weak();
        let found = move |url: Option<String>| {
            let Some(c) = weak.upgrade() else {
                return;
            };
            if c.generation.get() != generation {
                return;
            }
            let Some(url) = url else {
                c.state.borrow_mut().link = Link::Failed("no_hub".into());
                c.render();
                return;
            };
            c.open_socket(&url, generation);
        };
        // A bar's `hub` attribute, else discovery's `messenger_hub` (`WL.getProvider()`); either
        // way after the current work, as the session change that asked for it finishes first.
        let explicit = self.hub.borrow().clone().filter(|h| !h.trim().is_empty());
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
                if let Some(c) = w1.upgrade() {
                    c.on_open(generation);
                }
            },
            move |text| {
                if let Some(c) = w2.upgrade() {
                    c.on_frame(&text, generation);
                }
            },
            move |code| {
                if let Some(c) = w3.upgrade() {
                    c.on_close(code, generation);
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
        if self.send(&hello.to_json()) {
            *self.said.borrow_mut() = Some(token);
        }
    }

    /// Sends one frame's text if connected.
    pub(crate) fn send(&self, text: &str) -> bool {
        self.socket.borrow().as_ref().is_some_and(|s| s.send(text))
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
        // The page's events and the settled sends, from the frame and the state before it
        // (the frame then goes to the reducer without a copy); `friends` after it.
        let (mut events, settled) = {
            let state = self.state.borrow();
            let online = |id: &str| {
                state
                    .friend(id)
                    .is_some_and(|f| f.presence != Presence::Offline)
            };
            let mut events = api::events(&frame, &state);
            // A bar's own send, once stored: a `message` event (the API's own settle a promise).
            if let ServerFrame::Sent { client_id, .. } = &frame
                && !self.calls.borrow().iter().any(|(c, _)| c == client_id)
                && let Some(m) = api::sent_json(&frame, &state)
            {
                events.push(("message", m));
            }
            let settled = self.pending.borrow_mut().on_frame(&frame, online);
            (events, settled)
        };
        let friends = api::changes_friends(&frame);
        let fx = self.state.borrow_mut().apply(frame, time::now());
        if friends {
            events.push(("friends", api::friends_json(&self.state.borrow(), false)));
        }
        if typing {
            let weak = self.weak();
            *self.typing_timer.borrow_mut() =
                Some(Timer::once(TYPING_SHOWN_MS + 50.0, move || {
                    if let Some(c) = weak.upgrade() {
                        c.render();
                    }
                }));
        }
        self.after(fx);
        self.settle_all(settled);
        for (name, json) in events {
            self.emit(name, &json);
        }
    }

    fn on_close(&self, code: u16, generation: u32) {
        if self.generation.get() != generation {
            return;
        }
        self.socket.borrow_mut().take();
        let lost = self.pending.borrow_mut().connection_lost();
        self.settle_all(lost);
        let next = self.state.borrow_mut().closed_with(code);
        if next == Reconnect::Later && session().is_some() && self.wanted() {
            let attempt = self.attempt.get();
            self.attempt.set(attempt.saturating_add(1));
            let delay = backoff::delay_ms(attempt, js::random());
            let weak = self.weak();
            *self.retry.borrow_mut() = Some(Timer::once(delay, move || {
                if let Some(c) = weak.upgrade() {
                    c.retry.borrow_mut().take();
                    c.connect();
                }
            }));
        }
        self.render();
    }

    /// Runs the effects of a reducer step: frames go to the hub, the rest to the bars (which
    /// save and render); with no bar, saves here.
    pub(crate) fn after(&self, fx: Vec<Effect>) {
        let bars = self.bars();
        if bars.is_empty() {
            for e in &fx {
                if let Effect::Send(frame) = e {
                    self.send(&frame.to_json());
                }
            }
            self.persist();
        }
        // The first bar sends the frames; every bar announces and renders.
        for (i, b) in bars.iter().enumerate() {
            b.effects(&fx, i == 0);
        }
        self.renew_link();
    }

    /// Saves what the next page of the site restores (signed in only).
    pub(crate) fn persist(&self) {
        if session().is_none() {
            return;
        }
        if let Some(s) = self.storage() {
            let mut p = self.state.borrow().persisted();
            p.who = self.person.borrow().clone();
            let _ = s.set_item(persist::KEY, &p.to_json());
        }
    }

    /// Renders every bar (and tells the page when the connection's state changed).
    pub(crate) fn render(&self) {
        for b in self.bars() {
            b.render();
        }
        self.renew_link();
    }

    /// The `state` event and `connect()`'s promises, when the connection's state changed.
    fn renew_link(&self) {
        let link = self.state.borrow().link.clone();
        if *self.last_link.borrow() == link {
            return;
        }
        *self.last_link.borrow_mut() = link.clone();
        self.settle_waiters();
        self.emit("state", &api::link_json(&link));
    }

    fn settle_waiters(&self) {
        let link = self.state.borrow().link.clone();
        let code = match &link {
            Link::Online => None,
            Link::NeedsConsent => Some("insufficient_scope".to_owned()),
            Link::Failed(c) => Some(c.clone()),
            Link::Idle if session().is_none() => Some("not_signed_in".to_owned()),
            _ => return,
        };
        let ws = std::mem::take(&mut *self.waiters.borrow_mut());
        if ws.is_empty() {
            return;
        }
        self.waiter_timer.borrow_mut().take();
        for w in ws {
            match &code {
                None => call(&w.0, &json_parse(&api::link_json(&link))),
                Some(c) => reject(&w, c, "could not connect to the messenger hub"),
            }
        }
    }

    // ---- `WL.messenger`'s calls ----

    /// `on(name, fn)`.
    pub(crate) fn on(&self, name: &str, f: JsValue) {
        let mut hs = self.handlers.borrow_mut();
        if !hs.iter().any(|(n, g)| n == name && *g == f) {
            hs.push((name.into(), f));
        }
    }

    /// `off(name, fn?)`.
    pub(crate) fn off(&self, name: &str, f: &JsValue) {
        self.handlers
            .borrow_mut()
            .retain(|(n, g)| n != name || (!f.is_undefined() && g != f));
    }

    fn emit(&self, name: &str, json: &str) {
        let hs: Vec<JsValue> = self
            .handlers
            .borrow()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .collect();
        if hs.is_empty() {
            return;
        }
        let arg = json_parse(json);
        for f in hs {
            call(&f, &arg);
        }
    }

    /// `setPresence(status)`.
    pub(crate) fn set_presence(&self, p: Presence) {
        let fx = self.state.borrow_mut().set_presence(p);
        self.after(fx);
        self.emit(
            "presence",
            &crate::json::ObjectWriter::new()
                .str("id", "me")
                .str("presence", p.as_str())
                .finish(),
        );
    }

    /// `typing(friendId)`: whether a frame went (at most one every 3 s per friend).
    pub(crate) fn typing(&self, to: &str) -> bool {
        if self.state.borrow().link != Link::Online
            || !self.throttle.borrow_mut().allow(to, time::now())
        {
            return false;
        }
        self.send(&ClientFrame::Typing { to: to.into() }.to_json())
    }

    /// `send(friendId, text)`: settles `settle` on the hub's answer.
    pub(crate) fn api_send(&self, to: &str, text: &str, settle: Settle) {
        let known = self.state.borrow().friend(to).is_some();
        let frame = if known {
            self.state.borrow_mut().compose(to, text).map(|fx| {
                fx.into_iter().find_map(|e| match e {
                    Effect::Send(f) => Some(f),
                    _ => None,
                })
            })
        } else {
            // Not a friend (as far as `welcome` said): the hub answers `not_friends`.
            let mut s = self.state.borrow_mut();
            match s.compose_check(text) {
                Err(e) => Err(e),
                Ok(text) => Ok(Some(s.send_frame(to, &text))),
            }
        };
        let frame = match frame {
            Ok(Some(f)) => f,
            Ok(None) => {
                reject(&settle, "not_connected", "not connected");
                return;
            }
            Err(e) => {
                reject(&settle, e.code(), e.message());
                return;
            }
        };
        let ClientFrame::Send { client_id, .. } = &frame else {
            return;
        };
        let client_id = client_id.clone();
        if !self.send(&frame.to_json()) {
            reject(&settle, "not_connected", "not connected");
            return;
        }
        self.pending.borrow_mut().add(&client_id, to, time::now());
        self.calls.borrow_mut().push((client_id, settle));
        self.arm_pending_timer();
        // The bars show it as pending.
        self.after(Vec::new());
    }

    fn arm_pending_timer(&self) {
        let Some(at) = self.pending.borrow().next_deadline() else {
            self.pending_timer.borrow_mut().take();
            return;
        };
        let weak = self.weak();
        *self.pending_timer.borrow_mut() = Some(Timer::once(at - time::now() + 5.0, move || {
            if let Some(c) = weak.upgrade() {
                let done = c.pending.borrow_mut().expire(time::now());
                c.settle_all(done);
            }
        }));
    }

    fn settle_all(&self, done: Vec<Settled>) {
        if done.is_empty() {
            return;
        }
        for s in done {
            let call_of = api::take_first(&mut self.calls.borrow_mut(), &|c: &(String, Settle)| {
                c.0 == s.client_id
            })
            .map(|c| c.1);
            if let Some((ok, no)) = call_of {
                let v = json_parse(&s.to_json());
                match s.outcome {
                    api::Outcome::Done { .. } => call(&ok, &v),
                    api::Outcome::Failed { .. } => call(&no, &v),
                }
            }
        }
        self.arm_pending_timer();
    }
}

/// Rejects with `{code, message}`.
pub(crate) fn reject(settle: &Settle, code: &str, message: &str) {
    call(&settle.1, &json_parse(&api::error_json(code, message)));
}
