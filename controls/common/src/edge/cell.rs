//! [`Slot`]: a `RefCell` whose failed borrow throws a JavaScript error instead of panicking.
//!
//! A `RefCell` panic formats `BorrowError` / `BorrowMutError` with `core::fmt`, which is about
//! 1 KB of wasm for a message nobody sees; a double borrow is a bug either way.

use std::cell::{Ref, RefCell, RefMut};

/// Mutable state shared by a control's callbacks (one borrow at a time, like `RefCell`).
#[derive(Debug, Default)]
pub struct Slot<T>(RefCell<T>);

impl<T> Slot<T> {
    /// A slot holding `value`.
    pub const fn new(value: T) -> Self {
        Slot(RefCell::new(value))
    }

    /// Borrows the value; throws if it is mutably borrowed (a re-entrancy bug).
    pub fn borrow(&self) -> Ref<'_, T> {
        self.0.try_borrow().unwrap_or_else(|_| busy())
    }

    /// Borrows the value mutably; throws if it is borrowed (a re-entrancy bug).
    pub fn borrow_mut(&self) -> RefMut<'_, T> {
        self.0.try_borrow_mut().unwrap_or_else(|_| busy())
    }
}

#[cold]
fn busy() -> ! {
    wasm_bindgen::throw_str("wl-connect: re-entrant use of a control's state")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_like_a_refcell() {
        let s = Slot::new(1);
        *s.borrow_mut() += 1;
        assert_eq!(*s.borrow(), 2);
        let (a, b) = (s.borrow(), s.borrow());
        assert_eq!(*a + *b, 4);
    }
}
