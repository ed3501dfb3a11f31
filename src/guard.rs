//! Guards that clean up on `Drop` (timers, event listeners), and a one-shot channel to turn
//! callbacks into a future. Nothing here is `forget()`-ed.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// A `setTimeout` or `setInterval` cleared when dropped.
pub struct Timer {
    id: i32,
    interval: bool,
    _cb: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(ms: f64, interval: bool, f: impl FnMut() + 'static) -> Option<Timer> {
        let cb = Closure::<dyn FnMut()>::new(f);
        let w = web_sys::window()?;
        let func = cb.as_ref().unchecked_ref();
        let ms = ms.clamp(0.0, 2_147_483_647.0) as i32;
        let id = if interval {
            w.set_interval_with_callback_and_timeout_and_arguments_0(func, ms)
        } else {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(func, ms)
        }
        .ok()?;
        Some(Timer {
            id,
            interval,
            _cb: cb,
        })
    }

    /// Calls `f` once after `ms` milliseconds.
    pub fn timeout(ms: f64, f: impl FnMut() + 'static) -> Option<Timer> {
        Self::start(ms, false, f)
    }

    /// Calls `f` every `ms` milliseconds.
    pub fn interval(ms: f64, f: impl FnMut() + 'static) -> Option<Timer> {
        Self::start(ms, true, f)
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            if self.interval {
                w.clear_interval_with_handle(self.id);
            } else {
                w.clear_timeout_with_handle(self.id);
            }
        }
    }
}

/// An event listener removed when dropped.
pub struct Listener {
    target: web_sys::EventTarget,
    name: &'static str,
    cb: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Listens for `name` events on `target`.
    pub fn new(
        target: &web_sys::EventTarget,
        name: &'static str,
        f: impl FnMut(JsValue) + 'static,
    ) -> Option<Self> {
        let cb = Closure::<dyn FnMut(JsValue)>::new(f);
        target
            .add_event_listener_with_callback(name, cb.as_ref().unchecked_ref())
            .ok()?;
        Some(Listener {
            target: target.clone(),
            name,
            cb,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.name, self.cb.as_ref().unchecked_ref());
    }
}

/// A `BroadcastChannel` with a message listener, closed when dropped.
pub struct Channel {
    channel: web_sys::BroadcastChannel,
    _listener: Option<Listener>,
}

impl Channel {
    /// Opens channel `name` and calls `f` with each message event.
    pub fn open(name: &str, f: impl FnMut(JsValue) + 'static) -> Option<Self> {
        let channel = web_sys::BroadcastChannel::new(name).ok()?;
        let listener = Listener::new(&channel, "message", f);
        Some(Channel {
            channel,
            _listener: listener,
        })
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.close();
    }
}

struct Slot<T> {
    value: Option<T>,
    waker: Option<Waker>,
    closed: bool,
}

/// The sending half of a one-shot channel.
pub struct Sender<T>(Rc<RefCell<Slot<T>>>);
/// The receiving half: a future of `Some(value)`, or `None` if the sender was dropped.
pub struct Receiver<T>(Rc<RefCell<Slot<T>>>);

/// A one-shot channel.
pub fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Rc::new(RefCell::new(Slot {
        value: None,
        waker: None,
        closed: false,
    }));
    (Sender(slot.clone()), Receiver(slot))
}

impl<T> Sender<T> {
    /// Delivers the value and wakes the receiver.
    pub fn send(self, v: T) {
        self.0.borrow_mut().value = Some(v);
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut s = self.0.borrow_mut();
            s.closed = true;
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Option<T>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut s = self.0.borrow_mut();
        if let Some(v) = s.value.take() {
            Poll::Ready(Some(v))
        } else if s.closed {
            Poll::Ready(None)
        } else {
            s.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
