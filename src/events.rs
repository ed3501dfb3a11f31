//! `WL.Event`: subscribe, unsubscribe, emit, and the `wl.log` channel.

use std::cell::{Cell, RefCell};

use js_sys::{Function, Object};
use wasm_bindgen::JsValue;

use crate::error::Error;
use crate::js;

/// `auth.login`: a person signed in (argument: the session).
pub const AUTH_LOGIN: &str = "auth.login";
/// `auth.logout`: the session ended by `WL.logout` (argument: null).
pub const AUTH_LOGOUT: &str = "auth.logout";
/// `auth.sessionChange`: the session object changed (argument: session or null).
pub const AUTH_SESSION_CHANGE: &str = "auth.sessionChange";
/// `auth.statusChange`: connected/notConnected changed (argument: `{ status, session }`).
pub const AUTH_STATUS_CHANGE: &str = "auth.statusChange";
/// `wl.log`: an error or warning (argument: `{ level, code?, message }`).
pub const WL_LOG: &str = "wl.log";

thread_local! {
    static HANDLERS: RefCell<Vec<(String, Function)>> = const { RefCell::new(Vec::new()) };
    static CONSOLE: Cell<bool> = const { Cell::new(true) };
}

/// Adds `f` for `name` (a function already subscribed to that name is not added twice).
pub fn subscribe(name: &str, f: Function) {
    HANDLERS.with_borrow_mut(|h| {
        if !h.iter().any(|(n, g)| n == name && g == &f) {
            h.push((name.to_string(), f));
        }
    });
}

/// Removes `f` from `name`; without `f`, removes every handler of `name`.
pub fn unsubscribe(name: &str, f: Option<&Function>) {
    HANDLERS.with_borrow_mut(|h| h.retain(|(n, g)| n != name || f.is_some_and(|f| f != g)));
}

/// Calls every handler of `name` with `arg`. Handlers are copied first, so a handler may
/// subscribe, unsubscribe or call back into `WL` freely.
pub fn emit(name: &str, arg: &JsValue) {
    let fs: Vec<Function> = HANDLERS.with_borrow(|h| {
        h.iter()
            .filter(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .collect()
    });
    for f in fs {
        js::call(&f, arg);
    }
}

/// Whether `wl.log` messages also go to the console (the `logging` option).
pub fn set_console_logging(on: bool) {
    CONSOLE.set(on);
}

/// Fires `wl.log` with `{ level, code?, message }` (and writes to the console if enabled).
pub fn log(level: &str, code: Option<&str>, message: &str) {
    let o = Object::new();
    js::set(&o, "level", level);
    if let Some(c) = code {
        js::set(&o, "code", c);
    }
    js::set(&o, "message", message);
    if CONSOLE.get() {
        let text = JsValue::from_str(&["wl-connect:", code.unwrap_or(level), message].join(" "));
        if level == "error" {
            web_sys::console::error_1(&text);
        } else {
            web_sys::console::warn_1(&text);
        }
    }
    emit(WL_LOG, &o.into());
}

/// Logs an error and hands it back, for `.map_err(events::fail)`.
pub fn fail(e: Error) -> Error {
    log("error", Some(e.code()), &e.message());
    e
}
