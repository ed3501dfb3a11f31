//! `WL.messenger` (docs/loader.md): the loader's stub forwards every call, by name, to
//! [`messenger`] in this module (loaded on first use), which answers with a promise. The calls
//! drive the page's one hub client ([`crate::client`]), the same one every `<wl-bar>` shows.

use wasm_bindgen::prelude::*;

use crate::api;
use crate::client::{client, json_parse, reject};
use crate::protocol::Presence;
use wl_controls_common::edge::js::{self, Function};
use wl_controls_common::wl;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Promise)]
    type JsPromise;
    #[wasm_bindgen(constructor, js_class = "Promise")]
    fn new(executor: &mut dyn FnMut(Function, Function)) -> JsPromise;
}

/// A new promise and its resolve/reject functions.
fn promise() -> (JsValue, (Function, Function)) {
    let mut fs = None;
    let p = JsPromise::new(&mut |ok, no| fs = Some((ok, no)));
    let fs = fs.unwrap_or_else(|| (JsValue::UNDEFINED.into(), JsValue::UNDEFINED.into()));
    (p.into(), fs)
}

fn resolved(v: &JsValue) -> JsValue {
    wl::resolved(v).into()
}

fn rejected(code: &str, message: &str) -> JsValue {
    let (p, s) = promise();
    reject(&s, code, message);
    p
}

/// A whole number option (`before`, `limit`), if given as one.
fn whole(v: &JsValue) -> Result<Option<u64>, ()> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 9.0e15 => Ok(Some(n as u64)),
        _ => Err(()),
    }
}

/// `WL.messenger[method](...args)`: every method answers with a promise; a rejection is
/// `{ code, message }` with a stable code.
#[wasm_bindgen]
pub fn messenger(method: String, args: JsValue) -> JsValue {
    let arg = |i: u32| js::at(&args, i);
    let c = client();
    let bad = |m: &str| rejected("invalid_request", m);
    match method.as_str() {
        "connect" => {
            let (p, s) = promise();
            c.api_connect(s);
            p
        }
        "disconnect" => {
            c.api_disconnect();
            resolved(&JsValue::UNDEFINED)
        }
        "state" => resolved(&json_parse(&api::link_json(&c.state.borrow().link))),
        "me" => resolved(&json_parse(&api::me_json(&c.state.borrow()))),
        "presence" => resolved(&JsValue::from_str(c.state.borrow().presence.as_str())),
        "setPresence" => {
            match arg(0)
                .as_string()
                .and_then(|s| Presence::parse(&s))
                .filter(|p| Presence::CHOICES.contains(p))
            {
                Some(p) => {
                    c.set_presence(p);
                    resolved(&JsValue::from_str(p.as_str()))
                }
                None => bad("setPresence needs available, busy, away or appear_offline"),
            }
        }
        "friends" => {
            let online = js::get(&arg(0), "online").as_bool() == Some(true);
            resolved(&json_parse(&api::friends_json(&c.state.borrow(), online)))
        }
        "conversations" => api_get("me/conversations"),
        "history" => {
            let o = arg(1);
            let (Ok(before), Ok(limit)) =
                (whole(&js::get(&o, "before")), whole(&js::get(&o, "limit")))
            else {
                return bad("history's before and limit are whole numbers");
            };
            match arg(0)
                .as_string()
                .and_then(|id| api::history_path(&id, before, limit))
            {
                Some(path) => api_get(&path),
                None => bad("history needs a friend id"),
            }
        }
        "send" => {
            let (Some(to), Some(text)) = (arg(0).as_string(), arg(1).as_string()) else {
                return bad("send needs a friend id and a text");
            };
            let (p, s) = promise();
            c.api_send(&to, &text, s);
            p
        }
        "typing" => match arg(0).as_string() {
            Some(to) => resolved(&JsValue::from_bool(c.typing(&to))),
            None => bad("typing needs a friend id"),
        },
        "on" | "off" => {
            let name = arg(0).as_string().unwrap_or_default();
            let f = arg(1);
            if !api::EVENTS.contains(&name.as_str()) {
                return bad(
                    "unknown event: message, typing, presence, delivered, friends or state",
                );
            }
            if method == "on" {
                if !f.is_function() {
                    return bad("on needs a function");
                }
                c.on(&name, f);
            } else {
                c.off(&name, &f);
            }
            resolved(&JsValue::UNDEFINED)
        }
        _ => bad(&["WL.messenger has no method ", &method].concat()),
    }
}

/// `WL.api({ path })`: the REST half of the hub (docs/messenger.md).
fn api_get(path: &str) -> JsValue {
    let opts = js::object_of(&[("path", Some(path))]);
    match wl::api(&opts) {
        Ok(p) => p.into(),
        Err(e) => rejected(e.code(), e.message()),
    }
}
