//! Driving the popup the bootstrap opened inside the click: point it at the authorize URL, then
//! wait for the callback page's answer (`postMessage`, origin-checked, or `BroadcastChannel`),
//! the person closing it, a timeout, or a newer sign-in cancelling this one. Everything that
//! watches is a guard dropped when the sign-in settles.

use std::cell::{Cell, RefCell};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};

use crate::error::Error;
use crate::events;
use crate::guard::{Channel, Listener, Sender, Timer, oneshot};
use crate::js;
use crate::state::CallbackResult;

/// The `BroadcastChannel` name `callback.js` posts on.
pub const CHANNEL: &str = "wl-connect";
/// The `type` of the message `callback.js` sends.
pub const MESSAGE_TYPE: &str = "wl-connect:callback";
/// How often the popup's `closed` flag is checked, in milliseconds.
const POLL_MS: f64 = 300.0;
/// A popup handle that reports `closed` this soon after being sent to the provider was cut off
/// by the provider's `Cross-Origin-Opener-Policy`, not closed by a person.
pub const COOP_WINDOW_MS: f64 = 1500.0;

type Outcome = Result<CallbackResult, Error>;

struct Pending {
    id: u32,
    state: String,
    popup: Window,
    tx: Option<Sender<Outcome>>,
    navigated_at: f64,
    severed: bool,
    closed_seen: bool,
    _guards: (
        Option<Listener>,
        Option<Channel>,
        Option<Timer>,
        Option<Timer>,
    ),
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// Settles pending sign-in `id` (if it is still the pending one): guards dropped, popup closed.
fn settle(id: u32, outcome: Outcome) {
    let p = PENDING.with_borrow_mut(|slot| match slot {
        Some(p) if p.id == id => slot.take(),
        _ => None,
    });
    if let Some(mut p) = p {
        let _ = p.popup.close();
        if let Some(tx) = p.tx.take() {
            tx.send(outcome);
        }
    }
}

/// Cancels the pending sign-in, if any, with `request_canceled`.
pub fn cancel() {
    if let Some(id) = PENDING.with_borrow(|p| p.as_ref().map(|p| p.id)) {
        settle(id, Err(Error::RequestCanceled));
    }
}

/// Whether a popup sign-in is waiting for its answer.
pub fn is_pending() -> bool {
    PENDING.with_borrow(|p| p.is_some())
}

fn with_pending<R>(id: u32, f: impl FnOnce(&mut Pending) -> R) -> Option<R> {
    PENDING.with_borrow_mut(|p| p.as_mut().filter(|p| p.id == id).map(f))
}

/// An answer arrived: ours settles the sign-in; a foreign one is `invalid_state` when it came
/// from our own popup and ignored otherwise (another tab's sign-in on the same channel).
fn deliver(id: u32, data: &JsValue, source: Option<&JsValue>) {
    if js::get_string(data, "type").as_deref() != Some(MESSAGE_TYPE) {
        return;
    }
    let result = CallbackResult::from_query(&js::get_string(data, "query").unwrap_or_default());
    let verdict = with_pending(id, |p| {
        let ours = source.is_some_and(|s| js_sys::Object::is(s, p.popup.as_ref()));
        if result.matches(&p.state) {
            Some(true)
        } else if ours {
            Some(false)
        } else {
            None
        }
    })
    .flatten();
    match verdict {
        Some(true) => settle(id, Ok(result)),
        Some(false) => settle(id, Err(Error::InvalidState)),
        None => {}
    }
}

fn on_message(id: u32, ev: JsValue) {
    let Ok(ev) = ev.dyn_into::<MessageEvent>() else {
        return;
    };
    let own_origin = web_sys::window().and_then(|w| w.location().origin().ok());
    if own_origin.as_deref() != Some(ev.origin().as_str()) {
        return;
    }
    let source = ev.source().map(JsValue::from);
    deliver(id, &ev.data(), source.as_ref());
}

fn on_broadcast(id: u32, ev: JsValue) {
    if let Ok(ev) = ev.dyn_into::<MessageEvent>() {
        deliver(id, &ev.data(), None);
    }
}

enum Seen {
    Nothing,
    Severed,
    Closed,
}

fn on_poll(id: u32) {
    let seen = with_pending(id, |p| {
        if p.severed || !p.popup.closed().unwrap_or(true) {
            return Seen::Nothing;
        }
        if js_sys::Date::now() - p.navigated_at < COOP_WINDOW_MS {
            p.severed = true;
            return Seen::Severed;
        }
        // Closed: give an answer already on its way one more tick to arrive.
        if p.closed_seen {
            Seen::Closed
        } else {
            p.closed_seen = true;
            Seen::Nothing
        }
    });
    match seen {
        Some(Seen::Severed) => events::log(
            "info",
            None,
            "the popup's handle closed right after it reached the provider (Cross-Origin-Opener-Policy); waiting for the answer on BroadcastChannel",
        ),
        Some(Seen::Closed) => settle(id, Err(Error::UserCanceled)),
        _ => {}
    }
}

/// Sends `popup` to `url` and waits for the callback's answer carrying `state`.
pub async fn run(
    popup: &Window,
    url: &str,
    state: String,
    timeout_ms: u32,
) -> Result<CallbackResult, Error> {
    cancel();
    if popup.closed().unwrap_or(true) {
        return Err(Error::UserCanceled);
    }
    let w = js::window()?;
    popup
        .location()
        .set_href(url)
        .map_err(|_| Error::PopupBlocked)?;
    let id = NEXT_ID.get() + 1;
    NEXT_ID.set(id);
    let (tx, rx) = oneshot();
    let guards = (
        Listener::new(&w, "message", move |ev| on_message(id, ev)),
        Channel::open(CHANNEL, move |ev| on_broadcast(id, ev)),
        Timer::interval(POLL_MS, move || on_poll(id)),
        Timer::timeout(f64::from(timeout_ms), move || {
            settle(id, Err(Error::TimedOut))
        }),
    );
    PENDING.set(Some(Pending {
        id,
        state,
        popup: popup.clone(),
        tx: Some(tx),
        navigated_at: js_sys::Date::now(),
        severed: false,
        closed_seen: false,
        _guards: guards,
    }));
    rx.await.unwrap_or(Err(Error::RequestCanceled))
}
