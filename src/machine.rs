//! The wasm edge of [`Loader`](crate::loader::Loader): one export, `step`, taking one input and
//! returning its effects as one JSON text (`JSON.parse` in `www/src/machine.js`, the
//! interpreter that carries them out).
//!
//! Inputs, `step(now, kind, id, flag, a, b, bytes)`: `0` init (`id` the call, `a` the options,
//! `b` `{ session, local, redirect, redirect_result, page_query }` as query parameters), `1` login
//! (`flag` a popup was opened, `a` the options, `b` the page's URL, `bytes` 64 random bytes), `2`
//! logout, `3` getSession, `4` getLoginStatus, `5` getProvider, `6` api (`a` the options, `b`
//! the query as the interpreter will append it), `7` a fetch's answer (`id` the request, `flag`
//! ok, `a` `{ status, json, claims }`, `b` `WWW-Authenticate`'s `{ error, scope }`), `8` a fetch
//! failed (`a` the URL), `9` the SHA-256 asked for (`flag` Web Crypto answered, `bytes`), `10` a
//! callback message (`a` its query's parameters, `id` 0 popup, 1 channel, 2 another window),
//! `11` the popup was lost (`flag` closed), `12` a timer (`id` 0 renew, 1 poll, 2 timeout,
//! `flag` the popup is closed), `13` storing the redirect record failed (`id` the call).
//!
//! Effects, each `[kind, ...]`: `0` fetch `[req, url, query, method, token, body, keys, jwt]`
//! (a form body is an object, a JSON body a string; the answer's `claims` are the payload of
//! the body's `id_token` once its signature checks with the keys at `keys`, or of `jwt` as it
//! is), `1` hash `[req, text]`, `2` navigate the popup
//! `[call, url, query]`, `3` redirect `[call, url, query, record]`, `4` close the popup `[call]`,
//! `5` watch `[call or 0]` (call ids start at 1), `6` store `[key, local, form or null]` (keys:
//! session, redirect, redirect result), `7` clean the URL, `8` console `[on]`, `9` emit `[name,
//! payload]`, `10` arm `[timer, ms]`, `11` disarm `[timer]`, `12` resolve `[call, value]`, `13`
//! reject `[call, { code, message, scope? }]`.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::loader::{
    Answer, Area, Body, Call, Effect, Event, Input, Json, Jwt, Level, Loader, Response, Source,
    Stored, Timer,
};
use crate::oidc::decimal;
use crate::session::Session;

type J = JsValue;

thread_local! {
    static LOADER: Cell<Option<Box<Loader<J>>>> = const { Cell::new(None) };
}

/// A JSON text being written. The items of arrays and the members of objects are written with
/// the methods that put the comma before them ([`W::sep`]: none after `[`, `{` or `:`).
struct W(String);

impl W {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }
    /// A comma, unless the text ends with `[`, `{` or `:` (a member's value follows).
    fn sep(&mut self) {
        if !matches!(self.0.as_bytes().last(), Some(b'[' | b'{' | b':')) {
            self.raw(",");
        }
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
    /// An item: a string or `null`.
    fn s(&mut self, s: Option<&str>) {
        self.sep();
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }
    /// An item: a whole number (`n` is never negative here; a fraction is dropped).
    fn n(&mut self, n: f64) {
        self.sep();
        self.raw(&decimal(n.max(0.0) as u64));
    }
    /// A member `"key":` (`key` as written: the machine's own names need no escaping).
    fn key(&mut self, key: &str) {
        self.sep();
        self.raw("\"");
        self.raw(key);
        self.raw("\":");
    }
    /// An item: a [`Form`](crate::oidc::Form) as an object, or `null`.
    fn form(&mut self, f: Option<&[(&str, String)]>) {
        self.sep();
        let Some(f) = f else { return self.raw("null") };
        self.raw("{");
        for (k, v) in f {
            self.key(k);
            self.str(v);
        }
        self.raw("}");
    }
    /// An item: a JS value's JSON (`null` without one).
    fn js(&mut self, v: Option<&J>) {
        self.sep();
        self.raw(v.and_then(Json::to_json).as_deref().unwrap_or("null"));
    }
    /// An item: the public session object (`null` without one).
    fn session(&mut self, s: Option<&Session>, now: f64) {
        self.sep();
        let Some(s) = s else { return self.raw("null") };
        self.raw("{\"token_type\":\"Bearer\",\"access_token\":");
        self.str(&s.access_token);
        self.raw(",\"scope\":[");
        for x in s.scope.iter() {
            self.s(Some(x));
        }
        self.raw("],\"expires_in\":");
        self.raw(&decimal(s.expires_in(now) as u64));
        self.key("expires");
        self.raw(&decimal(s.expires as u64));
        for (k, v) in [("id_token", &s.id_token), ("user_id", &s.user_id)] {
            if let Some(v) = v {
                self.key(k);
                self.str(v);
            }
        }
        self.raw("}");
    }
    /// An item: `{ status, session }`.
    fn status(&mut self, s: Option<&Session>, now: f64) {
        self.sep();
        self.raw(if s.is_some() {
            "{\"status\":\"connected\""
        } else {
            "{\"status\":\"notConnected\""
        });
        self.key("session");
        self.session(s, now);
        self.raw("}");
    }
    /// An item: the `{ code, message, scope? }` object a call rejects with.
    fn error(&mut self, e: &Error) {
        self.sep();
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
}

/// Writes one effect: `[kind, ...]`, `kind` a number (see `www/src/`'s interpreter).
fn effect(w: &mut W, e: &Effect<J>, now: f64) {
    w.sep();
    match e {
        Effect::Fetch {
            req,
            url,
            query,
            method,
            token,
            body,
            jwt,
        } => {
            w.raw("[0");
            w.n(f64::from(*req));
            w.s(Some(url));
            w.js(query.as_ref());
            w.s(Some(method));
            w.s(token.as_deref());
            match body {
                Some(Body::Form(f)) => w.form(Some(f)),
                Some(Body::Json(t)) => w.s(Some(t)),
                None => w.s(None),
            }
            // `claims`: from the body's ID token checked with the keys at this URL, or from
            // this JWT read as it is.
            let (verify, decode) = match jwt {
                Jwt::None => (None, None),
                Jwt::Verify(keys) => (Some(keys.as_str()), None),
                Jwt::Decode(t) => (None, Some(t.as_str())),
            };
            w.s(verify);
            w.s(decode);
        }
        Effect::Hash(req, text) => {
            w.raw("[1");
            w.n(f64::from(*req));
            w.s(Some(text));
        }
        Effect::Navigate { call, url, query } => {
            w.raw("[2");
            w.n(f64::from(*call));
            w.s(Some(url));
            w.form(Some(query));
        }
        Effect::Redirect {
            call,
            record,
            url,
            query,
        } => {
            w.raw("[3");
            w.n(f64::from(*call));
            w.s(Some(url));
            w.form(Some(query));
            w.form(Some(record));
        }
        Effect::ClosePopup(call) => {
            w.raw("[4");
            w.n(f64::from(*call));
        }
        Effect::Watch(call) => {
            w.raw("[5");
            w.n(f64::from(call.unwrap_or(0)));
        }
        Effect::Store(key, area, value) => {
            w.raw("[6");
            w.n(f64::from(*key as u8));
            w.n(f64::from(*area == Area::Local));
            w.form(value.as_deref());
        }
        Effect::CleanUrl => w.raw("[7"),
        Effect::Console(on) => {
            w.raw("[8");
            w.n(f64::from(*on));
        }
        Effect::Emit(ev) => {
            w.raw("[9");
            match ev {
                Event::Login(s) => {
                    w.s(Some("auth.login"));
                    w.session(Some(s), now);
                }
                Event::Logout => w.s(Some("auth.logout")),
                Event::SessionChange(s) => {
                    w.s(Some("auth.sessionChange"));
                    w.session(s.as_ref(), now);
                }
                Event::StatusChange(s) => {
                    w.s(Some("auth.statusChange"));
                    w.status(s.as_ref(), now);
                }
                Event::Log(level, code, message) => {
                    w.s(Some("wl.log"));
                    w.sep();
                    w.raw(match level {
                        Level::Error => "{\"level\":\"error\"",
                        Level::Warning => "{\"level\":\"warning\"",
                        Level::Info => "{\"level\":\"info\"",
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
            w.raw("[10");
            w.n(f64::from(*t as u8));
            w.n(*ms);
        }
        Effect::Disarm(t) => {
            w.raw("[11");
            w.n(f64::from(*t as u8));
        }
        Effect::Resolve(call, a) => {
            w.raw("[12");
            w.n(f64::from(*call));
            match a {
                Answer::Status(s) => w.status(s.as_ref(), now),
                Answer::Session(s) => w.session(s.as_ref(), now),
                Answer::Null => w.s(None),
                Answer::Provider(issuer, api_base, hub) => {
                    w.sep();
                    w.raw("{\"issuer\":");
                    w.str(issuer);
                    if let Some(base) = api_base {
                        w.key("api_base");
                        w.str(base);
                    }
                    w.key("messenger_hub");
                    w.s(hub.as_deref());
                    w.raw("}");
                }
                Answer::Json(j) => w.js(j.as_ref()),
            }
        }
        Effect::Reject(call, e) => {
            w.raw("[13");
            w.n(f64::from(*call));
            w.error(e);
        }
        Effect::Lock => w.raw("[14"),
        Effect::Unlock => w.raw("[15"),
        Effect::Claim(rt) => {
            w.raw("[16");
            w.s(Some(rt));
        }
    }
    w.raw("]");
}

/// `v` unless it is `null` or `undefined`.
fn present(v: J) -> Option<J> {
    (!v.is_null() && !v.is_undefined()).then_some(v)
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
        14 => Some(Input::StoredElsewhere(present(a))),
        15 => Some(Input::Locked {
            stored: present(a),
            readable: flag,
        }),
        16 => Some(Input::Claimed(flag)),
        17 => Some(Input::Rotated {
            was: text(&b),
            value: a,
        }),
        18 => Some(Input::Woke { restored: flag }),
        _ => None,
    }
}

/// One step of the loader at `now` (ms since the epoch): the input is `kind` with its `id` (a
/// call, a request, a source, a timer), `flag`, `a`, `b` and `bytes` (see `www/src/machine.js`);
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
    w.raw("[");
    let secs = now / 1000.0;
    for e in &effects {
        effect(&mut w, e, secs);
    }
    w.raw("]");
    w.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Scopes;

    fn text(effects: &[Effect<J>]) -> String {
        let mut w = W(String::new());
        w.raw("[");
        for e in effects {
            effect(&mut w, e, 1000.0);
        }
        w.raw("]");
        w.0
    }

    #[test]
    fn effects_are_one_json_text() {
        let s = Session {
            client_id: "c".into(),
            access_token: "a\"t\n".into(),
            scope: Scopes::parse("openid wl.signin"),
            expires: 1600.5,
            refresh_token: None,
            id_token: None,
            user_id: Some("u".into()),
        };
        let form = vec![("token", "t&1".to_string()), ("client_id", "c".into())];
        assert_eq!(
            text(&[
                Effect::Store(crate::loader::Key::Session, Area::Local, Some(form)),
                Effect::Emit(Event::StatusChange(Some(s))),
                Effect::Emit(Event::Log(Level::Info, None, "m".into())),
                Effect::Arm(Timer::Poll, 300.0),
                Effect::Resolve(3, Answer::Null),
                Effect::Reject(4, Error::TimedOut),
            ]),
            concat!(
                r#"[[6,0,1,{"token":"t&1","client_id":"c"}],"#,
                r#"[9,"auth.statusChange",{"status":"connected","session":{"token_type":"Bearer","#,
                r#""access_token":"a\u0022t\u000a","scope":["openid","wl.signin"],"expires_in":600,"#,
                r#""expires":1600,"user_id":"u"}}],"#,
                r#"[9,"wl.log",{"level":"info","message":"m"}],[10,1,300],[12,3,null],"#,
                r#"[13,4,{"code":"timed_out","message":"sign-in did not finish in time"}]]"#
            )
        );
    }
}
