//! A `setTimeout` that is cleared when dropped.

use wasm_bindgen::prelude::*;

use crate::edge::js;

/// A pending `setTimeout`; dropping it clears the timer (and frees the callback).
pub struct Timer {
    id: i32,
    /// `FnMut(JsValue)` like the listeners': one closure type less in the wasm.
    _f: Closure<dyn FnMut(JsValue)>,
}

impl Timer {
    /// Calls `f` once after `ms` milliseconds (clamped to what `setTimeout` takes).
    pub fn once(ms: f64, f: impl FnOnce() + 'static) -> Self {
        let mut f = Some(f);
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = js::set_timeout(cb.as_ref(), ms.clamp(0.0, 2_147_483_647.0) as i32);
        Timer { id, _f: cb }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        js::clear_timeout(self.id);
    }
}
