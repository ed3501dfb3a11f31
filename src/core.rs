//! The loader's state and the flows behind `WL`: init, login (popup or redirect), logout,
//! status, session renewal. Events fire only after internal borrows are released.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Object;
use wasm_bindgen::JsValue;
use web_sys::Window;

use crate::config::{CONFIGURE_FIRST, Config, Mode};
use crate::error::Error;
use crate::events::{self, fail};
use crate::guard::Timer;
use crate::js;
use crate::net;
use crate::oidc::{self, AuthRequest, Claims, Discovery};
use crate::pkce;
use crate::popup;
use crate::scope::Scopes;
use crate::session::{self, Session, TokenResponse};
use crate::state::{self, CallbackResult, PendingRedirect};

/// `sessionStorage` key of a redirect-mode sign-in in progress.
pub const REDIRECT_KEY: &str = "wl_connect.redirect";
/// `sessionStorage` key where `callback.js` leaves a redirect-mode result.
pub const REDIRECT_RESULT_KEY: &str = "wl_connect.redirect_result";

#[derive(Default)]
struct State {
    config: Option<Rc<Config>>,
    discovery: Option<Rc<Discovery>>,
    session: Option<Session>,
    renew: Option<Timer>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    static LOGIN_GEN: Cell<u32> = const { Cell::new(0) };
}

/// Why the session changed (decides which events fire).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Login,
    Restore,
    Refresh,
    Logout,
    Ended,
}

fn config() -> Result<Rc<Config>, Error> {
    STATE
        .with_borrow(|s| s.config.clone())
        .ok_or_else(|| Error::config(CONFIGURE_FIRST))
}

/// Whether the loader has been configured.
pub fn configured() -> bool {
    STATE.with_borrow(|s| s.config.is_some())
}

fn current_session() -> Option<Session> {
    STATE.with_borrow(|s| s.session.clone())
}

/// The public session object `{ access_token, token_type, scope: [...], expires_in, expires,
/// id_token?, user_id? }`.
fn session_js(s: &Session) -> JsValue {
    let o = Object::new();
    js::set(&o, "access_token", s.access_token.as_str());
    js::set(&o, "token_type", "Bearer");
    let scope = js_sys::Array::new();
    for sc in s.scope.iter() {
        scope.push(&JsValue::from_str(sc));
    }
    js::set(&o, "scope", scope);
    js::set(&o, "expires_in", s.expires_in(js::now_secs()));
    js::set(&o, "expires", s.expires.floor());
    if let Some(t) = &s.id_token {
        js::set(&o, "id_token", t.as_str());
    }
    if let Some(u) = &s.user_id {
        js::set(&o, "user_id", u.as_str());
    }
    o.into()
}

/// The session for `WL.getSession()`, or `null` (an expired session ends here).
pub fn session_value() -> JsValue {
    match current_session() {
        Some(s) if !s.is_expired(js::now_secs()) => session_js(&s),
        Some(_) => {
            set_session(None, Change::Ended);
            JsValue::NULL
        }
        None => JsValue::NULL,
    }
}

/// `{ status, session }`.
pub fn status_value() -> JsValue {
    let session = session_value();
    let o = Object::new();
    js::set(
        &o,
        "status",
        if session.is_null() {
            "notConnected"
        } else {
            "connected"
        },
    );
    js::set(&o, "session", session);
    o.into()
}

/// Replaces the session, keeps storage in step, schedules renewal, and fires the events.
fn set_session(new: Option<Session>, change: Change) {
    let Ok(cfg) = config() else { return };
    let was_connected = STATE.with_borrow(|s| s.session.is_some());
    session::store(cfg.storage, new.as_ref());
    let renew = new.as_ref().and_then(|s| {
        let delay = s.renew_delay_ms(js::now_secs());
        Timer::timeout(delay, || wasm_bindgen_futures::spawn_local(renew()))
    });
    let is_connected = new.is_some();
    let value = new.as_ref().map_or(JsValue::NULL, session_js);
    STATE.with_borrow_mut(|s| {
        s.session = new;
        s.renew = renew;
    });
    match change {
        Change::Login => events::emit(events::AUTH_LOGIN, &value),
        Change::Logout => events::emit(events::AUTH_LOGOUT, &JsValue::NULL),
        _ => {}
    }
    if change != Change::Restore {
        events::emit(events::AUTH_SESSION_CHANGE, &value);
    }
    if was_connected != is_connected && change != Change::Restore {
        events::emit(events::AUTH_STATUS_CHANGE, &status_value());
    }
}

/// Renews the session with its refresh token, or ends it at expiry without one.
async fn renew() {
    let (Ok(cfg), Some(old)) = (config(), current_session()) else {
        return;
    };
    // Timers cannot wait longer than ~24 days: a long-lived token is renewed in steps.
    let due = old.renew_delay_ms(js::now_secs());
    if due > 1000.0 {
        let later = Timer::timeout(due, || wasm_bindgen_futures::spawn_local(renew()));
        STATE.with_borrow_mut(|s| s.renew = later);
        return;
    }
    let Some(rt) = old.refresh_token.clone() else {
        events::log("info", None, "the session has expired");
        set_session(None, Change::Ended);
        return;
    };
    match refresh(&cfg, &old, &rt).await {
        Ok(s) => set_session(Some(s), Change::Refresh),
        Err(e) => {
            events::log("warning", Some(e.code()), &e.message());
            let expired = old.is_expired(js::now_secs());
            if expired || !matches!(e, Error::ConnectionFailed(_)) {
                set_session(None, Change::Ended);
            } else {
                // The network failed: try again in a while, until expiry.
                let retry = Timer::timeout(30_000.0, || wasm_bindgen_futures::spawn_local(renew()));
                STATE.with_borrow_mut(|s| s.renew = retry);
            }
        }
    }
}

async fn refresh(cfg: &Config, old: &Session, rt: &str) -> Result<Session, Error> {
    let d = discovery(cfg).await?;
    let json = net::post_form(&d.token_endpoint, oidc::refresh_body(rt, &cfg.client_id)).await?;
    let mut s = Session::from_token(
        &cfg.client_id,
        token_response(&json)?,
        &old.scope,
        js::now_secs(),
        Some(rt.into()),
    );
    if s.id_token.is_none() {
        s.id_token = old.id_token.clone();
    }
    s.user_id = old.user_id.clone();
    Ok(s)
}

async fn discovery(cfg: &Config) -> Result<Rc<Discovery>, Error> {
    if let Some(d) = STATE.with_borrow(|s| s.discovery.clone()) {
        return Ok(d);
    }
    let json = net::get_json(&Discovery::url(&cfg.authority)).await?;
    let d = Rc::new(Discovery::parse(|k| js::get_string(&json, k))?);
    STATE.with_borrow_mut(|s| s.discovery = Some(d.clone()));
    Ok(d)
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
    issuer: &str,
    client_id: &str,
    nonce: &str,
) -> Result<Option<String>, Error> {
    let token = token.ok_or_else(|| {
        Error::InvalidToken("the provider returned no ID token for scope openid".into())
    })?;
    let payload = js_sys::JSON::parse(&oidc::jwt_payload(token)?)
        .map_err(|_| Error::InvalidToken("the payload is not JSON".into()))?;
    let aud = match js::get(&payload, "aud") {
        Some(a) if a.is_array() => js_sys::Array::from(&a)
            .iter()
            .filter_map(|x| x.as_string())
            .collect(),
        Some(a) => a.as_string().into_iter().collect(),
        None => Vec::new(),
    };
    let claims = Claims {
        iss: js::get_string(&payload, "iss"),
        aud,
        nonce: js::get_string(&payload, "nonce"),
        exp: js::get_f64(&payload, "exp"),
        sub: js::get_string(&payload, "sub"),
    };
    oidc::check_claims(&claims, issuer, client_id, nonce, js::now_secs())?;
    Ok(claims.sub)
}

/// Exchanges a code for tokens, checks the ID token, and makes the session.
async fn exchange(
    cfg: &Config,
    d: &Discovery,
    code: &str,
    verifier: &str,
    nonce: &str,
    asked: &Scopes,
) -> Result<Session, Error> {
    let body = oidc::code_exchange_body(code, &cfg.redirect_uri, &cfg.client_id, verifier);
    let json = net::post_form(&d.token_endpoint, body).await?;
    let t = token_response(&json)?;
    let sub = check_id_token(t.id_token.as_deref(), &d.issuer, &cfg.client_id, nonce)?;
    let mut s = Session::from_token(&cfg.client_id, t, asked, js::now_secs(), None);
    s.user_id = sub;
    Ok(s)
}

/// `WL.init`: the first configuration wins; restores the session and finishes a redirect-mode
/// sign-in that came back to this page.
pub async fn init(opts: JsValue) -> Result<JsValue, Error> {
    if configured() {
        events::log(
            "warning",
            None,
            "WL.init was called again; the first configuration stays in effect",
        );
        return Ok(status_value());
    }
    let cfg = Rc::new(Config::parse(|k| js::get_string(&opts, k)).map_err(fail)?);
    events::set_console_logging(cfg.logging);
    for w in &cfg.warnings {
        events::log("warning", None, w);
    }
    STATE.with_borrow_mut(|s| s.config = Some(cfg.clone()));
    let now = js::now_secs();
    if let Some(s) = session::load(cfg.storage, &cfg.client_id) {
        if !s.is_expired(now) {
            set_session(Some(s), Change::Restore);
        } else if let Some(rt) = s.refresh_token.clone() {
            match refresh(&cfg, &s, &rt).await {
                Ok(fresh) => set_session(Some(fresh), Change::Restore),
                Err(e) => {
                    events::log(
                        "info",
                        Some(e.code()),
                        "the stored session could not be renewed",
                    );
                    session::store(cfg.storage, None);
                }
            }
        } else {
            session::store(cfg.storage, None);
        }
    }
    let signed_in = match finish_redirect(&cfg).await {
        Ok(done) => done,
        Err(e) => {
            fail(e);
            false
        }
    };
    let status = status_value();
    // A redirect sign-in has just fired its own events.
    if cfg.status && !signed_in {
        if let Some(s) = js::get(&status, "session") {
            events::emit(events::AUTH_SESSION_CHANGE, &s);
        }
        events::emit(events::AUTH_STATUS_CHANGE, &status);
    }
    Ok(status)
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Finishes a redirect-mode sign-in: the result is left by `callback.js` in `sessionStorage`,
/// or is in this page's own URL (when the redirect URI is the page itself), whose OAuth
/// parameters are then removed. `Ok(true)` when a session was made (its events have fired).
async fn finish_redirect(cfg: &Config) -> Result<bool, Error> {
    let Some(st) = session_storage() else {
        return Ok(false);
    };
    let Some(pending) = st
        .get_item(REDIRECT_KEY)
        .ok()
        .flatten()
        .and_then(|p| PendingRedirect::from_storage(&p))
    else {
        return Ok(false);
    };
    let w = js::window()?;
    let search = w.location().search().unwrap_or_default();
    let from_url = CallbackResult::from_query(&search);
    let result = match st.get_item(REDIRECT_RESULT_KEY).ok().flatten() {
        Some(q) => CallbackResult::from_query(&q),
        None if from_url.is_callback() => from_url.clone(),
        None => return Ok(false),
    };
    let _ = st.remove_item(REDIRECT_KEY);
    let _ = st.remove_item(REDIRECT_RESULT_KEY);
    if from_url.is_callback() {
        let path = w.location().pathname().unwrap_or_default();
        let hash = w.location().hash().unwrap_or_default();
        let clean = [path, state::strip_oauth_params(&search), hash].concat();
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
        }
    }
    let code = result.into_code(&pending.state)?;
    let d = discovery(cfg).await?;
    let s = exchange(
        cfg,
        &d,
        &code,
        &pending.verifier,
        &pending.nonce,
        &Scopes::parse(&pending.scope),
    )
    .await?;
    set_session(Some(s), Change::Login);
    Ok(true)
}

/// Options of `WL.login`.
struct LoginOptions {
    scope: Scopes,
    redirect_fallback: bool,
}

/// `WL.login`: asks only for the scopes the session lacks, in the popup the bootstrap opened
/// (`popup`, or `None` when it was blocked or not needed), or by redirect.
pub async fn login(opts: JsValue, popup: Option<Window>) -> Result<JsValue, Error> {
    let res = login_flow(&opts, popup.as_ref()).await;
    if let Some(p) = &popup {
        let _ = p.close();
    }
    res.map_err(fail)
}

async fn login_flow(opts: &JsValue, popup: Option<&Window>) -> Result<JsValue, Error> {
    let generation = LOGIN_GEN.get() + 1;
    LOGIN_GEN.set(generation);
    popup::cancel();
    let cfg = config()?;
    let o = LoginOptions {
        scope: Scopes::parse(&js::get_string(opts, "scope").unwrap_or_default()),
        redirect_fallback: js::get_string(opts, "fallback").as_deref() == Some("redirect")
            || js::get_string(opts, "mode").as_deref() == Some("redirect"),
    };
    let wanted = cfg.login_scopes(&o.scope);
    let current = current_session().filter(|s| !s.is_expired(js::now_secs()));
    if let Some(s) = &current
        && wanted.missing_from(&s.scope).is_empty()
    {
        return Ok(session_js(s));
    }
    let asked = current.map_or_else(|| wanted.clone(), |s| s.scope.union(&wanted));
    let redirect = cfg.mode == Mode::Redirect || (popup.is_none() && o.redirect_fallback);
    if popup.is_none() && !redirect {
        return Err(Error::PopupBlocked);
    }
    let d = discovery(&cfg).await?;
    let verifier = pkce::verifier(&js::random_bytes::<{ pkce::VERIFIER_BYTES }>()?);
    let challenge = pkce::challenge(&js::sha256(verifier.as_bytes()).await?);
    let state = state::random_token(&js::random_bytes::<{ state::RANDOM_BYTES }>()?);
    let nonce = state::random_token(&js::random_bytes::<{ state::RANDOM_BYTES }>()?);
    if LOGIN_GEN.get() != generation {
        return Err(Error::RequestCanceled);
    }
    let scope = asked.to_wire();
    let req = AuthRequest {
        client_id: &cfg.client_id,
        redirect_uri: &cfg.redirect_uri,
        scope: &scope,
        state: &state,
        nonce: &nonce,
        code_challenge: &challenge,
        popup: !redirect,
    };
    let url = oidc::authorize_url(&d.authorization_endpoint, &req);
    let Some(popup) = popup.filter(|_| !redirect) else {
        if let Some(p) = popup {
            let _ = p.close();
        }
        let w = js::window()?;
        let pending = PendingRedirect {
            state,
            nonce,
            verifier,
            scope,
            return_url: w.location().href().unwrap_or_default(),
        };
        let st =
            session_storage().ok_or_else(|| Error::config("redirect mode needs sessionStorage"))?;
        st.set_item(REDIRECT_KEY, &pending.to_storage())
            .map_err(|_| Error::config("redirect mode needs sessionStorage"))?;
        w.location()
            .assign(&url)
            .map_err(|_| Error::config("could not leave the page for the provider"))?;
        // The page is going away; this promise ends with it.
        std::future::pending::<()>().await;
        return Ok(JsValue::NULL);
    };
    let result = popup::run(popup, &url, state.clone(), cfg.timeout_ms).await?;
    let code = result.into_code(&state)?;
    let s = exchange(&cfg, &d, &code, &verifier, &nonce, &asked).await?;
    let value = session_js(&s);
    set_session(Some(s), Change::Login);
    Ok(value)
}

/// `WL.logout`: ends the session, cancels a pending sign-in, and revokes the tokens
/// (best effort).
pub async fn logout() -> Result<JsValue, Error> {
    let cfg = config().map_err(fail)?;
    LOGIN_GEN.set(LOGIN_GEN.get() + 1);
    popup::cancel();
    let Some(old) = current_session() else {
        return Ok(JsValue::NULL);
    };
    set_session(None, Change::Logout);
    if let Ok(d) = discovery(&cfg).await
        && let Some(endpoint) = &d.revocation_endpoint
    {
        for token in [Some(&old.access_token), old.refresh_token.as_ref()]
            .into_iter()
            .flatten()
        {
            let form = oidc::encode_pairs(&[("token", token), ("client_id", &cfg.client_id)]);
            let _ = net::post_form(endpoint, form).await;
        }
    }
    Ok(JsValue::NULL)
}

/// `WL.getLoginStatus`.
pub fn login_status() -> Result<JsValue, Error> {
    config().map_err(fail)?;
    Ok(status_value())
}

/// `WL.api`.
pub async fn api(opts: JsValue) -> Result<JsValue, Error> {
    let call = crate::api::ApiCall::from_js(&opts)?;
    let cfg = config()?;
    let session = current_session()
        .filter(|s| !s.is_expired(js::now_secs()))
        .ok_or_else(|| Error::config("WL.api needs a signed-in session: call WL.login first"))?;
    let d = discovery(&cfg).await?;
    let url = crate::api::build_url(&d.api_base, &call.path, &call.query)?;
    let body = call.body.map(|text| net::Body {
        content_type: "application/json",
        text,
    });
    let resp = net::fetch(&url, &call.method, Some(&session.access_token), body).await?;
    let status = resp.status();
    let json = net::body(&resp).await?;
    if resp.ok() {
        return Ok(json);
    }
    let err_obj = js::get(&json, "error").unwrap_or(JsValue::NULL);
    let www = resp.headers().get("WWW-Authenticate").ok().flatten();
    let e = crate::api::error_for(
        status,
        www.as_deref(),
        js::get_string(&err_obj, "code"),
        js::get_string(&err_obj, "message"),
    );
    if status == 401 && current_session().is_some_and(|s| s.access_token == session.access_token) {
        set_session(None, Change::Ended);
    }
    Err(e)
}
