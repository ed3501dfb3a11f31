//! The wasm edge of [`Loader`]: one export, [`step`], taking one input and returning its
//! effects as one JSON text (`wl.js` does `JSON.parse`): arrays whose first item says which
//! effect.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::loader::{
    Answer, Area, Body, Call, Effect, Event, Input, Json, Level, Loader, Response, Source, Stored,
    Timer,
};
use crate::oidc::decimal;
use crate::session::Session;

type J = JsValue;

thread_local! {
    static LOADER: Cell<Option<Box<Loader<J>>>> = const { Cell::new(None) };
}

/// A JSON text being written.
struct W(String);

impl W {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }
    /// A JSON string, escaped byte-wise (`"`, `\\` and control characters as `\\u00XX`):
    /// no `char` decoding or encoding in the wasm.
    fn str(&mut self, s: &str) {
        const HEX: &str = "0123456789abcdef";
        let hex = |n: u8| HEX.get(usize::from(n)..usize::from(n) + 1).unwrap_or("");
        self.raw("\"");
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                self.raw(s.get(start..i).unwrap_or(""));
                self.raw("\\u00");
                self.raw(hex(b >> 4));
                self.raw(hex(b & 15));
                start = i + 1;
            }
        }
        self.raw(s.get(start..).unwrap_or(""));
        self.raw("\"");
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }
    fn num(&mut self, n: f64) {
        self.raw(&decimal(n.max(0.0) as u64));
    }
    fn tag(&mut self, t: &str) {
        self.raw(",[");
        self.str(t);
    }
    fn key(&mut self, k: &str) {
        self.raw(",");
        self.str(k);
        self.raw(":");
    }
    fn form(&mut self, f: &[(&str, String)]) {
        self.raw("{\"\":0");
        for (k, v) in f {
            self.key(k);
            self.str(v);
        }
        self.raw("}");
    }
    fn session(&mut self, s: Option<&Session>, now: f64) {
        let Some(s) = s else { return self.raw("null") };
        self.raw("{\"token_type\":\"Bearer\"");
        self.key("access_token");
        self.str(&s.access_token);
        self.key("scope");
        self.raw("[0");
        for x in s.scope.iter() {
            self.raw(",");
            self.str(x);
        }
        self.raw("]");
        self.key("expires_in");
        self.num(s.expires_in(now));
        self.key("expires");
        self.num(s.expires);
        if let Some(t) = &s.id_token {
            self.key("id_token");
            self.str(t);
        }
        if let Some(u) = &s.user_id {
            self.key("user_id");
            self.str(u);
        }
        self.raw("}");
    }
    fn error(&mut self, e: &Error) {
        self.raw("{\"code\":");
        self.str(e.code());
        self.key("message");
        self.str(&e.message());
        if let Error::InsufficientScope(s) = e {
            self.key("scope");
            self.str(s);
        }
        self.raw("}");
    }
    fn js(&mut self, v: Option<&J>) {
        match v.and_then(Json::to_json) {
            Some(t) => self.raw(&t),
            None => self.raw("null"),
        }
    }
}

fn n(w: &mut W, x: u32) {
    w.raw(",");
    w.num(f64::from(x));
}

fn effect(w: &mut W, e: &Effect<J>, now: f64) {
    match e {
        Effect::Fetch {
            req,
            url,
            query,
            method,
            token,
            body,
        } => {
            w.tag("F");
            n(w, *req);
            w.raw(",");
            w.str(url);
            w.raw(",");
            w.js(query.as_ref());
            w.raw(",");
            w.str(method);
            w.raw(",");
            w.opt(token.as_deref());
            w.raw(",");
            match body {
                None => w.raw("null"),
                Some(Body::Form(f)) => w.form(f),
                Some(Body::Json(t)) => w.str(t),
            }
        }
        Effect::Hash(req, text) => {
            w.tag("H");
            n(w, *req);
            w.raw(",");
            w.str(text);
        }
        Effect::Navigate { call, url, query } => {
            w.tag("N");
            n(w, *call);
            w.raw(",");
            w.str(url);
            w.raw(",");
            w.form(query);
        }
        Effect::Redirect {
            call,
            record,
            url,
            query,
        } => {
            w.tag("R");
            n(w, *call);
            w.raw(",");
            w.form(record);
            w.raw(",");
            w.str(url);
            w.raw(",");
            w.form(query);
        }
        Effect::ClosePopup(call) => {
            w.tag("C");
            n(w, *call);
        }
        Effect::Watch(call) => {
            w.tag("W");
            n(w, call.unwrap_or(0));
        }
        Effect::Store(key, area, value) => {
            w.tag("S");
            n(w, *key as u32);
            n(w, (*area == Area::Local) as u32);
            w.raw(",");
            match value {
                Some(f) => w.form(f),
                None => w.raw("null"),
            }
        }
        Effect::CleanUrl => w.tag("U"),
        Effect::Console(on) => {
            w.tag("K");
            n(w, *on as u32);
        }
        Effect::Emit(ev) => {
            w.tag("E");
            w.raw(",");
            match ev {
                Event::Login(s) => {
                    w.str("auth.login");
                    w.raw(",");
                    w.session(Some(s), now);
                }
                Event::Logout => w.str("auth.logout"),
                Event::SessionChange(s) => {
                    w.str("auth.sessionChange");
                    w.raw(",");
                    w.session(s.as_ref(), now);
                }
                Event::StatusChange(s) => {
                    w.str("auth.statusChange");
                    w.raw(",");
                    status(w, s.as_ref(), now);
                }
                Event::Log(level, code, message) => {
                    w.str("wl.log");
                    w.raw(",{\"level\":");
                    w.str(match level {
                        Level::Error => "error",
                        Level::Warning => "warning",
                        Level::Info => "info",
                    });
                    if let Some(c) = code {
                        w.key("code");
                        w.str(c);
                    }
                    w.key("message");
                    w.str(message);
                    w.raw("}");
                }
            }
        }
        Effect::Arm(t, ms) => {
            w.tag("A");
            n(w, *t as u32);
            w.raw(",");
            w.num(*ms);
        }
        Effect::Disarm(t) => {
            w.tag("D");
            n(w, *t as u32);
        }
        Effect::Resolve(call, a) => {
            w.tag("Y");
            n(w, *call);
            w.raw(",");
            match a {
                Answer::Status(s) => status(w, s.as_ref(), now),
                Answer::Session(s) => w.session(s.as_ref(), now),
                Answer::Null => w.raw("null"),
                Answer::Provider(issuer, api_base, hub) => {
                    w.raw("{\"issuer\":");
                    w.str(issuer);
                    w.key("api_base");
                    w.str(api_base);
                    w.key("messenger_hub");
                    w.opt(hub.as_deref());
                    w.raw("}");
                }
                Answer::Json(j) => w.js(j.as_ref()),
            }
        }
        Effect::Reject(call, e) => {
            w.tag("X");
            n(w, *call);
            w.raw(",");
            w.error(e);
        }
    }
    w.raw("]");
}

fn status(w: &mut W, s: Option<&Session>, now: f64) {
    w.raw("{\"status\":");
    w.str(if s.is_some() {
        "connected"
    } else {
        "notConnected"
    });
    w.key("session");
    w.session(s, now);
    w.raw("}");
}

fn text(v: &J) -> String {
    v.as_string().unwrap_or_default()
}

fn input(kind: u32, id: u32, flag: bool, a: J, b: J, bytes: Vec<u8>) -> Option<Input<J>> {
    let call = |c| Some(Input::Call(id, c));
    match kind {
        0 => call(Call::Init {
            options: a,
            stored: Stored {
                session: b.get("session"),
                local: b.get("local"),
                redirect: b.get("redirect"),
                redirect_result: b.get("redirect_result"),
                page_query: b.get("page_query"),
            },
        }),
        1 => call(Call::Login {
            options: a,
            popup: flag,
            random: bytes,
            page: text(&b),
        }),
        2 => call(Call::Logout),
        3 => call(Call::GetSession),
        4 => call(Call::GetLoginStatus),
        5 => call(Call::GetProvider),
        6 => call(Call::Api {
            options: a,
            query: Some(b),
        }),
        7 => Some(Input::Fetched(
            id,
            Response {
                status: a.get("status").and_then(|s| s.as_f64()).unwrap_or(0.0) as u16,
                ok: flag,
                json: a.get("json"),
                www_error: b.get_text("error"),
                www_scope: b.get_text("scope"),
                claims: a.get("claims"),
            },
        )),
        8 => Some(Input::FetchFailed(id, text(&a))),
        9 => Some(Input::Hashed(id, flag.then_some(bytes))),
        10 => Some(Input::Message(
            a,
            match id {
                0 => Source::Popup,
                1 => Source::Channel,
                _ => Source::Other,
            },
        )),
        11 => Some(Input::PopupLost { closed: flag }),
        12 => Some(Input::Timer(
            match id {
                0 => Timer::Renew,
                1 => Timer::Poll,
                _ => Timer::Timeout,
            },
            flag,
        )),
        13 => Some(Input::StoreFailed(id)),
        _ => None,
    }
}

/// One step of the loader at `now` (ms since the epoch): the input is `kind` with its `id` (a
/// call, a request, a source, a timer), `flag`, `a`, `b` and `bytes` (see `www/src/flows.js`);
/// the effects come back as a JSON array of arrays.
#[wasm_bindgen]
pub fn step(now: f64, kind: u32, id: u32, flag: bool, a: J, b: J, bytes: Vec<u8>) -> String {
    let mut l = LOADER
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default();
    let effects = match input(kind, id, flag, a, b, bytes) {
        Some(i) => l.step(now, i),
        None => Vec::new(),
    };
    let _ = LOADER.try_with(|c| c.set(Some(l)));
    let mut w = W(String::new());
    w.raw("[0");
    let secs = now / 1000.0;
    for e in &effects {
        effect(&mut w, e, secs);
    }
    w.raw("]");
    w.0
}
