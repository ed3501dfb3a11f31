//! The steps behind `WL`, as synchronous calls from `wl.js`: the loader's state (configuration,
//! discovery, session, the sign-in in progress) lives here, and every decision about it is made
//! here; `wl.js` only does the waiting (fetch, the popup, timers) and fires the events.
//!
//! Errors cross as `{ code, message }` objects (see [`crate::js::error_to_js`]).

use std::cell::Cell;

use wasm_bindgen::prelude::*;

use crate::config::{CONFIGURE_FIRST, Config, Mode, StorageKind};
use crate::error::Error;
use crate::js;
use crate::oidc::{self, AuthRequest, Claims, Discovery};
use crate::pkce;
use crate::scope::Scopes;
use crate::session::{Session, TokenResponse};
use crate::state::{self, CallbackResult, PendingRedirect};
use crate::userinfo::{self, Route};

/// A sign-in waiting for its answer.
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    asked: Scopes,
}

#[derive(Default)]
struct State {
    config: Option<Config>,
    discovery: Option<Discovery>,
    session: Option<Session>,
    pending: Option<Pending>,
}

thread_local! {
    static STATE: Cell<Option<Box<State>>> = const { Cell::new(None) };
}

/// Runs `f` on the loader's state, taken out of its cell and put back: no `RefCell`, whose
/// borrow panic brings `core::fmt` into the wasm (the steps are synchronous and never re-enter).
fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    let mut st = STATE
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default();
    let r = f(&mut st);
    let _ = STATE.try_with(|c| c.set(Some(st)));
    r
}

type Js = Result<JsValue, JsValue>;

fn edge(r: Result<JsValue, Error>) -> Js {
    r.map_err(|e| js::error_to_js(&e))
}

fn not_configured() -> Error {
    Error::config(CONFIGURE_FIRST)
}

fn no_discovery() -> Error {
    Error::ConnectionFailed("the discovery document".into())
}

/// The public session object `{ access_token, token_type, scope: [...], expires_in, expires,
/// id_token?, user_id? }`.
fn session_js(s: &Session) -> JsValue {
    let o = js::object();
    js::set(&o, "access_token", s.access_token.as_str());
    js::set(&o, "token_type", "Bearer");
    js::set(&o, "scope", js::strings(s.scope.iter()));
    js::set(&o, "expires_in", s.expires_in(js::now_secs()));
    js::set(&o, "expires", s.expires.floor());
    if let Some(t) = &s.id_token {
        js::set(&o, "id_token", t.as_str());
    }
    if let Some(u) = &s.user_id {
        js::set(&o, "user_id", u.as_str());
    }
    o
}

/// Applies the first configuration (`WL.init` options, strings or arrays). Resolves with what
/// `wl.js` needs to drive the loader: `{ storage, mode, logging, status, timeout, discovery,
/// warnings }`; `null` when the loader was configured already (the first configuration stays).
#[wasm_bindgen]
pub fn configure(opts: JsValue) -> Js {
    if with(|s| s.config.is_some()) {
        return Ok(JsValue::NULL);
    }
    edge(Config::parse(|k| js::get_string(&opts, k)).map(|cfg| {
        let o = js::object();
        let storage = match cfg.storage {
            StorageKind::Session => "session",
            StorageKind::Local => "local",
            StorageKind::Memory => "memory",
        };
        js::set(&o, "storage", storage);
        js::set(&o, "redirect", cfg.mode == Mode::Redirect);
        js::set(&o, "logging", cfg.logging);
        js::set(&o, "status", cfg.status);
        js::set(&o, "timeout", cfg.timeout_ms);
        js::set(&o, "discovery", Discovery::url(&cfg.authority));
        js::set(
            &o,
            "warnings",
            js::strings(cfg.warnings.iter().map(String::as_str)),
        );
        with(|s| s.config = Some(cfg));
        o
    }))
}

/// Takes the stored session at init (its fields: `wl.js` parses the stored query string): `0`
/// nothing for this client, `1` restored, `2` expired with a refresh token (renew it, then
/// [`end`] on failure), `3` expired (remove it from storage).
#[wasm_bindgen]
pub fn restore(stored: JsValue) -> u32 {
    with(|st| {
        let Some(cfg) = &st.config else { return 0 };
        let Some(s) = Session::read(|k| js::get_string(&stored, k), &cfg.client_id) else {
            return 0;
        };
        let code = if !s.is_expired(js::now_secs()) {
            1
        } else if s.refresh_token.is_some() {
            2
        } else {
            return 3;
        };
        st.session = Some(s);
        code
    })
}

/// Reads the discovery document (`ok`: the HTTP status was a success) and keeps it. Returns the
/// endpoints `wl.js` calls and what `WL.getProvider()` tells: `{ token, revocation?, issuer, jwks,
/// api_base?, messenger_hub }` (no `api_base` without a Live-style data API, `messenger_hub`
/// `null` when the provider has none).
#[wasm_bindgen]
pub fn discovered(json: JsValue, ok: bool) -> Js {
    edge((|| {
        let authority =
            with(|s| s.config.as_ref().map(|c| c.authority.clone())).ok_or_else(not_configured)?;
        if !ok {
            return Err(Error::ConnectionFailed(Discovery::url(&authority)));
        }
        let d = Discovery::parse(&authority, |k| js::get_string(&json, k))?;
        let o = js::object();
        js::set(&o, "token", d.token_endpoint.as_str());
        if let Some(r) = &d.revocation_endpoint {
            js::set(&o, "revocation", r.as_str());
        }
        js::set(&o, "issuer", d.issuer.as_str());
        js::set(&o, "jwks", d.jwks_uri.as_str());
        if d.data_api {
            js::set(&o, "api_base", d.api_base.as_str());
        }
        let hub = d
            .messenger_hub
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        js::set(&o, "messenger_hub", hub);
        with(|s| s.discovery = Some(d));
        Ok(o)
    })())
}

/// The session for `WL.getSession()`: the object, `null`, or `undefined` when it has just
/// expired (it is dropped here; `wl.js` then fires the events of a session that ended).
#[wasm_bindgen]
pub fn session() -> JsValue {
    with(|st| match &st.session {
        Some(s) if !s.is_expired(js::now_secs()) => session_js(s),
        Some(_) => {
            st.session = None;
            JsValue::UNDEFINED
        }
        None => JsValue::NULL,
    })
}

/// The session's storage form, its fields as an object (`null` when signed out).
#[wasm_bindgen]
pub fn stored() -> JsValue {
    with(|st| {
        st.session
            .as_ref()
            .map_or(JsValue::NULL, |s| js::form(&s.fields()))
    })
}

/// Milliseconds until the session should be renewed (or ended, without a refresh token); `-1`
/// without a session. Timers cannot wait longer than ~24 days: `wl.js` asks again when it fires.
#[wasm_bindgen(js_name = renewIn)]
pub fn renew_in() -> f64 {
    with(|st| {
        st.session
            .as_ref()
            .map_or(-1.0, |s| s.renew_delay_ms(js::now_secs()))
    })
}

/// The refresh grant's form for the session (an object), or `null` without a refresh token.
#[wasm_bindgen(js_name = refreshBody)]
pub fn refresh_body() -> JsValue {
    with(|st| {
        let (Some(cfg), Some(s)) = (st.config.as_ref(), st.session.as_ref()) else {
            return JsValue::NULL;
        };
        s.refresh_token.as_deref().map_or(JsValue::NULL, |t| {
            js::form(&oidc::refresh_form(t, &cfg.client_id))
        })
    })
}

/// Ends the session (sign-out, expiry, a 401, a failed renewal) and returns the revocation forms
/// of its tokens (objects, for `WL.logout`; best effort).
#[wasm_bindgen]
pub fn end() -> JsValue {
    // A JS array rather than a `Vec` (whose boxed-slice conversion brings a panic path along).
    let forms = js::array();
    with(|st| {
        if let (Some(cfg), Some(s)) = (st.config.as_ref(), st.session.take()) {
            for t in [Some(s.access_token), s.refresh_token]
                .into_iter()
                .flatten()
            {
                forms.push(&js::form(&[
                    ("token", t),
                    ("client_id", cfg.client_id.clone()),
                ]));
            }
        }
    });
    forms.into()
}

fn token_response(json: &JsValue) -> Result<TokenResponse, Error> {
    Ok(TokenResponse {
        access_token: js::get_string(json, "access_token").ok_or_else(|| {
            Error::ConnectionFailed("the token endpoint returned no access_token".into())
        })?,
        expires_in: js::get_f64(json, "expires_in"),
        scope: js::get_string(json, "scope"),
        refresh_token: js::get_string(json, "refresh_token"),
        id_token: js::get_string(json, "id_token"),
    })
}

/// Reads and checks the ID token's claims; returns `sub`.
fn check_id_token(
    token: Option<&str>,
    payload: &JsValue,
    issuer: &str,
    client_id: &str,
    nonce: &str,
) -> Result<Option<String>, Error> {
    token.ok_or_else(|| {
        Error::InvalidToken("the provider returned no ID token for scope openid".into())
    })?;
    if !payload.is_object() {
        return Err(oidc::unreadable());
    }
    let payload = payload.clone();
    let aud = match js::get(&payload, "aud") {
        Some(a) => match js::items(&a) {
            Some(items) => items.iter().filter_map(JsValue::as_string).collect(),
            None => a.as_string().into_iter().collect(),
        },
        None => Vec::new(),
    };
    let claims = Claims {
        iss: js::get_string(&payload, "iss"),
        aud,
        nonce: js::get_string(&payload, "nonce"),
        exp: js::get_f64(&payload, "exp"),
        iat: js::get_f64(&payload, "iat"),
        azp: js::get_string(&payload, "azp"),
        sub: js::get_string(&payload, "sub"),
    };
    oidc::check_claims(&claims, issuer, client_id, nonce, js::now_secs())?;
    Ok(claims.sub)
}

/// Takes the token endpoint's answer (`ok`: the HTTP status was a success): for a refresh
/// (`refresh`), renews the session; otherwise finishes the sign-in in progress (the ID token's
/// claims, `claims`, which `wl.js` decoded after verifying its signature: `iss`, `aud`, `azp`,
/// `nonce`, `exp` and `iat` are checked). The new session is then [`session`].
#[wasm_bindgen]
pub fn token(json: JsValue, ok: bool, refresh: bool, claims: JsValue) -> Js {
    edge(with(|st| {
        let cfg = st.config.as_ref().ok_or_else(not_configured)?;
        let d = st.discovery.as_ref().ok_or_else(no_discovery)?;
        if let Some(e) = js::get_string(&json, "error") {
            return Err(Error::from_oauth(&e));
        }
        if !ok {
            return Err(Error::ConnectionFailed(d.token_endpoint.clone()));
        }
        let t = token_response(&json)?;
        let now = js::now_secs();
        let s = if refresh {
            let old = st.session.as_ref().ok_or(Error::SessionEnded)?;
            let mut s = Session::from_token(
                &cfg.client_id,
                t,
                &old.scope,
                now,
                old.refresh_token.clone(),
            );
            if s.id_token.is_none() {
                s.id_token = old.id_token.clone();
            }
            s.user_id = old.user_id.clone();
            s
        } else {
            let p = st.pending.take().ok_or(Error::InvalidState)?;
            let sub = check_id_token(
                t.id_token.as_deref(),
                &claims,
                &d.issuer,
                &cfg.client_id,
                &p.nonce,
            )?;
            let mut s = Session::from_token(&cfg.client_id, t, &p.asked, now, None);
            s.user_id = sub;
            s
        };
        st.session = Some(s);
        Ok(JsValue::UNDEFINED)
    }))
}

/// Starts `WL.login({ scope, fallback, mode })` (`popup`: whether `wl.js` has a popup open):
/// resolves with the session when it already holds every scope asked for, `true` for a
/// redirect-mode sign-in, `false` for a popup one; rejects when not configured or when the
/// popup was blocked without a redirect fallback.
#[wasm_bindgen]
pub fn login(opts: JsValue, popup: bool) -> Js {
    edge(with(|st| {
        st.pending = None;
        let cfg = st.config.as_ref().ok_or_else(not_configured)?;
        let wanted = cfg.login_scopes(&Scopes::parse(
            &js::get_string(&opts, "scope").unwrap_or_default(),
        ));
        let now = js::now_secs();
        let current = st.session.as_ref().filter(|s| !s.is_expired(now));
        if let Some(s) = current
            && wanted.missing_from(&s.scope).is_empty()
        {
            return Ok(session_js(s));
        }
        let asked = current.map_or_else(|| wanted.clone(), |s| s.scope.union(&wanted));
        let fallback = |k| js::get_string(&opts, k).as_deref() == Some("redirect");
        let redirect =
            cfg.mode == Mode::Redirect || (!popup && (fallback("fallback") || fallback("mode")));
        if !popup && !redirect {
            return Err(Error::PopupBlocked);
        }
        st.pending = Some(Pending {
            state: String::new(),
            nonce: String::new(),
            verifier: String::new(),
            asked,
        });
        Ok(redirect.into())
    }))
}

/// Prepares the authorization request of the sign-in [`login`] started, from 64 random bytes
/// (PKCE verifier, `state`, `nonce`) and `verifier_sha256`, the SHA-256 digest of the verifier
/// (the unpadded base64url of the first 32 random bytes; `wl.js` hashes it with Web Crypto):
/// `{ url, query, redirect? }`: the authorization endpoint and the request's parameters (`wl.js`
/// appends them), and `redirect`, the fields of the record a redirect-mode sign-in keeps in
/// `sessionStorage` (`return_url`: the page).
#[wasm_bindgen]
pub fn authorize(random: &[u8], verifier_sha256: &[u8], redirect: bool, return_url: String) -> Js {
    edge(with(|st| {
        let cfg = st.config.as_ref().ok_or_else(not_configured)?;
        let d = st.discovery.as_ref().ok_or_else(no_discovery)?;
        let p = st.pending.as_mut().ok_or(Error::RequestCanceled)?;
        let (v, rest) = random
            .split_at_checked(pkce::VERIFIER_BYTES)
            .unwrap_or((random, &[]));
        let (s, n) = rest
            .split_at_checked(state::RANDOM_BYTES)
            .unwrap_or((rest, &[]));
        p.verifier = pkce::verifier(v);
        p.state = state::random_token(s);
        p.nonce = state::random_token(n);
        let challenge = pkce::challenge(verifier_sha256);
        let scope = p.asked.to_wire();
        let query = oidc::authorize_query(&AuthRequest {
            client_id: &cfg.client_id,
            redirect_uri: &cfg.redirect_uri,
            scope: &scope,
            state: &p.state,
            nonce: &p.nonce,
            code_challenge: &challenge,
            popup: !redirect,
        });
        let o = js::object();
        js::set(&o, "url", d.authorization_endpoint.as_str());
        js::set(&o, "query", js::form(&query));
        if redirect {
            let record = PendingRedirect {
                state: p.state.clone(),
                nonce: p.nonce.clone(),
                verifier: p.verifier.clone(),
                scope,
                return_url,
            };
            js::set(&o, "redirect", js::form(&record.fields()));
        }
        Ok(o)
    }))
}

/// A callback answer from its query parameters (an object: `wl.js` parses the query string).
fn callback(query: &JsValue) -> CallbackResult {
    CallbackResult::read(|k| js::get_string(query, k))
}

/// Whether a callback answer (its query parameters) belongs to the sign-in in progress.
#[wasm_bindgen]
pub fn matches(query: JsValue) -> bool {
    with(|st| {
        st.pending
            .as_ref()
            .is_some_and(|p| callback(&query).matches(&p.state))
    })
}

/// Takes back a redirect-mode sign-in's record (its fields, from `sessionStorage`) as the
/// sign-in in progress; `false` if it is malformed.
#[wasm_bindgen]
pub fn resume(record: JsValue) -> bool {
    let Some(r) = PendingRedirect::read(|k| js::get_string(&record, k)) else {
        return false;
    };
    with(|st| {
        st.pending = Some(Pending {
            state: r.state,
            nonce: r.nonce,
            verifier: r.verifier,
            asked: Scopes::parse(&r.scope),
        })
    });
    true
}

/// Whether a page's query parameters are an OAuth callback.
#[wasm_bindgen(js_name = isCallback)]
pub fn is_callback(query: JsValue) -> bool {
    callback(&query).is_callback()
}

/// Reads the callback's answer (its query parameters) for the sign-in in progress: the code
/// exchange's form (an object), or the error it stands for (`access_denied`, `invalid_state`, …).
#[wasm_bindgen]
pub fn code(query: JsValue) -> Js {
    edge(with(|st| {
        let cfg = st.config.as_ref().ok_or_else(not_configured)?;
        let p = st.pending.as_ref().ok_or(Error::InvalidState)?;
        let code = callback(&query).into_code(&p.state)?;
        Ok(js::form(&oidc::code_exchange_form(
            &code,
            &cfg.redirect_uri,
            &cfg.client_id,
            &p.verifier,
        )))
    }))
}

/// Checks a `WL.api` call (`{ path, method, body, query }` or a path) and, once discovery is
/// known (`ready`), resolves it to `{ url, method, body?, token, me? }` (`wl.js` appends the
/// call's `query` to `url`). Without a Live-style data API only `GET me` is answered
/// ([`userinfo::route`]): `me` says `url` is the userinfo endpoint, whose JSON `wl.js` then
/// hands back as `answer` for Live's `me` object (or `invalid_token` when it is about another
/// person than the ID token: [`userinfo::me_js`]).
#[wasm_bindgen]
pub fn api(opts: JsValue, ready: bool, answer: JsValue, claims: JsValue) -> Js {
    edge(with(|st| {
        let call = crate::api::ApiCall::from_js(&opts)?;
        st.config.as_ref().ok_or_else(not_configured)?;
        let s = st
            .session
            .as_ref()
            .filter(|s| !s.is_expired(js::now_secs()))
            .ok_or_else(|| {
                Error::config("WL.api needs a signed-in session: call WL.login first")
            })?;
        if !ready {
            return Ok(JsValue::UNDEFINED);
        }
        let d = st.discovery.as_ref().ok_or_else(no_discovery)?;
        let o = js::object();
        match userinfo::route(d, &call.path, &call.method)? {
            Route::Api(url) => js::set(&o, "url", url),
            // The userinfo endpoint's answer, back from wl.js: Live's `me`.
            Route::Userinfo(_) if !answer.is_undefined() => {
                return userinfo::me_js(&answer, &claims, s);
            }
            Route::Userinfo(url) => {
                js::set(&o, "url", url);
                js::set(&o, "me", true);
            }
        }
        js::set(&o, "method", call.method);
        if let Some(b) = call.body {
            js::set(&o, "body", b);
        }
        js::set(&o, "token", s.access_token.as_str());
        Ok(o)
    }))
}

/// The error of a failed `WL.api` answer: `status`, its JSON body, and its `WWW-Authenticate`
/// header's parameters (`{ error?, scope? }`: `wl.js` reads them off the header).
#[wasm_bindgen(js_name = apiError)]
pub fn api_error(status: u16, json: JsValue, www: JsValue) -> JsValue {
    let err = js::get(&json, "error").unwrap_or(JsValue::NULL);
    js::error_to_js(&crate::api::error_for(
        status,
        (js::get_string(&www, "error"), js::get_string(&www, "scope")),
        js::get_string(&err, "code"),
        js::get_string(&err, "message"),
    ))
}

/// The `{ code, message }` object for a failure `wl.js` sees itself: `user_canceled`,
/// `request_canceled`, `timed_out`, `popup_blocked`, `invalid_state`, `connection_failed`
/// (`detail`: the URL), `invalid_token` (`detail`: why), anything else as `invalid_request` with `detail` as the message (or,
/// without one, the message saying how to configure the loader).
#[wasm_bindgen]
pub fn fault(code: &str, detail: &str) -> JsValue {
    let e = match code {
        "user_canceled" => Error::UserCanceled,
        "request_canceled" => Error::RequestCanceled,
        "timed_out" => Error::TimedOut,
        "popup_blocked" => Error::PopupBlocked,
        "invalid_state" => Error::InvalidState,
        "connection_failed" => Error::ConnectionFailed(detail.into()),
        "invalid_token" => Error::InvalidToken(detail.into()),
        _ if detail.is_empty() => not_configured(),
        _ => Error::config(detail),
    };
    js::error_to_js(&e)
}
