//! A DOM event listener that is removed when dropped.

use wasm_bindgen::prelude::*;

use crate::edge::js::EventTarget;

/// A DOM event listener that is removed when dropped.
pub struct Listener {
    target: EventTarget,
    name: &'static str,
    /// `FnMut(JsValue)` like [`Subscription`]'s: one closure type less in the wasm.
    f: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Adds `f` as the `name` listener of `target`.
    pub fn new(target: &EventTarget, name: &'static str, f: impl FnMut(JsValue) + 'static) -> Self {
        let f = Closure::<dyn FnMut(JsValue)>::new(f);
        target.add_event_listener_with_callback(name, f.as_ref());
        Listener {
            target: target.clone(),
            name,
            f,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.target
            .remove_event_listener_with_callback(self.name, self.f.as_ref());
    }
}
