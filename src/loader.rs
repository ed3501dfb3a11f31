//! The loader as one pure state machine: [`Loader::step`] takes the time and one [`Input`] (a
//! `WL` call, a fetch's answer, the SHA-256 of the PKCE verifier, a popup's message, a timer)
//! and returns the [`Effect`]s to carry out (fetch, point the popup or the page at the provider,
//! store, emit an event, arm a timer, resolve or reject a call). The same pattern as the bar's
//! reducer (`controls/bar/src/state.rs`): no browser, no clock, tested natively
//! (`src/loader/tests.rs`, the whole sign-in table-driven).
//!
//! The machine reads JSON through [`Json`] (in the browser a `JsValue`, natively a test value),
//! so it never parses a query string nor percent-encodes one: the interpreter hands it query
//! parameters as objects and encodes the [`Form`]s it returns (docs/loader.md, "What the core
//! decides"). Every rule lives here once: configuration, scopes, PKCE (the verifier is encoded
//! here, only its SHA-256 is the interpreter's, with Web Crypto), `state` and `nonce`, the ID
//! token's claims, the session and its storage form, renewal, the popup watcher's COOP rule,
//! API URLs and errors.

use crate::config::{CONFIGURE_FIRST, Config, Mode, StorageKind};
use crate::error::Error;
use crate::oidc::{self, AuthRequest, Claims, Discovery, Form};
use crate::pkce;
use crate::scope::Scopes;
use crate::session::{MAX_TIMER_MS, Session, TokenResponse};
use crate::state::{self, CallbackResult, PendingRedirect};
use crate::userinfo;

#[cfg(test)]
mod tests;

/// A JSON value as the machine reads it (options, discovery, token answers, ID token payloads,
/// query parameters given as objects).
pub trait Json: Clone {
    /// A property, if it is set and not null.
    fn get(&self, key: &str) -> Option<Self>;
    /// The value itself if it is a string.
    fn string(&self) -> Option<String>;
    /// The value's string form: strings as they are, numbers and booleans in their JSON form,
    /// arrays joined with spaces (so `scope: ["a", "b"]` works); `None` for anything else.
    fn text(&self) -> Option<String>;
    /// The value if it is a number.
    fn number(&self) -> Option<f64>;
    /// The items of an array (`None` if it is not one).
    fn items(&self) -> Option<Vec<Self>>;
    /// `JSON.stringify` (`None` for what has no JSON form).
    fn to_json(&self) -> Option<String>;
    /// `JSON.parse`.
    fn parse(text: &str) -> Option<Self>;

    /// A property's string form ([`Json::text`]).
    fn get_text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| v.text())
    }
}

/// Identifies a `WL` call (given by the interpreter, echoed by [`Effect::Resolve`] and
/// [`Effect::Reject`]).
pub type CallId = u32;

/// Identifies a request the machine asked for ([`Effect::Fetch`], [`Effect::Hash`]).
pub type ReqId = u32;

/// How long after the popup was sent to the provider a closed handle means COOP cut the link
/// rather than the person closing it, in ms.
pub const COOP_WINDOW_MS: f64 = 1500.0;
/// How often the popup's `closed` is looked at, in ms.
pub const POLL_MS: f64 = 300.0;
/// How long a renewal waits after the network failed before it tries again, in ms.
pub const RETRY_MS: f64 = 30_000.0;
/// A renewal timer due later than this (ms) is only a step: timers cannot wait longer than
/// ~24 days, and a due time this close is renewed now.
pub const RENEW_SLACK_MS: f64 = 1000.0;

/// What the interpreter read at `WL.init` (storage and the page), as query parameters.
#[derive(Debug, Clone)]
pub struct Stored<J> {
    /// `wl_connect.session` in `sessionStorage`, its parameters (`None`: absent, or no storage).
    pub session: Option<J>,
    /// `wl_connect.session` in `localStorage`.
    pub local: Option<J>,
    /// A redirect-mode sign-in's record (`wl_connect.redirect` in `sessionStorage`).
    pub redirect: Option<J>,
    /// The answer `callback.js` left (`wl_connect.redirect_result`), its parameters.
    pub redirect_result: Option<J>,
    /// The page's own query parameters (`location.search`).
    pub page_query: Option<J>,
}

impl<J> Default for Stored<J> {
    fn default() -> Self {
        Stored {
            session: None,
            local: None,
            redirect: None,
            redirect_result: None,
            page_query: None,
        }
    }
}

/// A `WL` method call.
#[derive(Debug, Clone)]
pub enum Call<J> {
    /// `WL.init(options)` (the redirect URI already made absolute), with what storage holds.
    Init {
        /// The options.
        options: J,
        /// Storage and the page.
        stored: Stored<J>,
    },
    /// `WL.login(options)`.
    Login {
        /// `{ scope, fallback, mode }`.
        options: J,
        /// Whether a popup was opened in the click (the interpreter keeps it, by this call).
        popup: bool,
        /// 64 random bytes: the PKCE verifier's 32, then `state`'s and `nonce`'s 16 each.
        random: Vec<u8>,
        /// The page's URL (a redirect sign-in comes back to it).
        page: String,
    },
    /// `WL.logout()`.
    Logout,
    /// `WL.getSession()` (synchronous: it resolves in the same step).
    GetSession,
    /// `WL.getLoginStatus()`.
    GetLoginStatus,
    /// `WL.getProvider()`.
    GetProvider,
    /// `WL.api(options)` (`query`: the call's query, handed back in [`Effect::Fetch`] for the
    /// interpreter to append).
    Api {
        /// `{ path, method, body }` or a path.
        options: J,
        /// The interpreter's form of the `query` option (OData names with their `$`).
        query: Option<J>,
    },
}

/// A fetch's answer.
#[derive(Debug, Clone)]
pub struct Response<J> {
    /// The HTTP status.
    pub status: u16,
    /// Whether the status was a success.
    pub ok: bool,
    /// The body as JSON (its text when it is not JSON; `None` when empty).
    pub json: Option<J>,
    /// The `WWW-Authenticate` header's `error` parameter.
    pub www_error: Option<String>,
    /// The `WWW-Authenticate` header's `scope` parameter.
    pub www_scope: Option<String>,
    /// The payload of the body's `id_token`, decoded by the interpreter once it verified the
    /// token's signature with the provider's keys (`None`: no ID token, or one that is not a JWT
    /// signed with them). The machine checks the claims; the signature is Web Crypto's.
    pub claims: Option<J>,
}

/// Where a callback answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Posted by the popup this sign-in opened (`event.source`).
    Popup,
    /// On `BroadcastChannel("wl-connect")`.
    Channel,
    /// Posted by another window of the page's origin.
    Other,
}

/// A timer the machine arms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// The session's renewal (or its end at expiry).
    Renew,
    /// A look at the watched popup's `closed`.
    Poll,
    /// The sign-in's timeout.
    Timeout,
}

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Input<J> {
    /// A `WL` call.
    Call(CallId, Call<J>),
    /// A fetch answered.
    Fetched(ReqId, Response<J>),
    /// A fetch failed (the network): `url` is the URL as fetched.
    FetchFailed(ReqId, String),
    /// The SHA-256 of [`Effect::Hash`]'s text (`None`: no Web Crypto, not a secure context).
    Hashed(ReqId, Option<Vec<u8>>),
    /// A callback answer (`{ type: "wl-connect:callback", query }` from the page's origin), its
    /// query's parameters.
    Message(J, Source),
    /// The popup could not be sent to the provider: it was closed already (`closed`) or
    /// navigating it threw (the browser blocked it).
    PopupLost {
        /// Whether it was closed.
        closed: bool,
    },
    /// A timer fired (`popup_closed`: the watched popup's `closed`, for [`Timer::Poll`]).
    Timer(Timer, bool),
    /// [`Effect::Redirect`]'s record could not be stored (no `sessionStorage`).
    StoreFailed(CallId),
    /// Another window of this origin changed `wl_connect.session` in `localStorage` (a
    /// `storage` event): the new value's parameters, `None` when it was removed. Followed only
    /// when the configured storage is `local`, the one storage tabs share.
    StoredElsewhere(Option<J>),
    /// This tab holds the renewal lock ([`Effect::Lock`]): `stored` is `wl_connect.session` in
    /// `localStorage` as it is now (`readable`: false when reading it threw).
    Locked {
        /// Its parameters; `None`: absent.
        stored: Option<J>,
        /// Whether storage could be read.
        readable: bool,
    },
    /// The answer to [`Effect::Claim`]: whether this tab holds the refresh token (`false`:
    /// another tab does, and this one's session is a copy of it).
    Claimed(bool),
    /// A tab of this origin renewed a `session` storage session presenting refresh token
    /// `was`, and stored `value` (its parameters): a copy of that session follows it.
    Rotated {
        /// The refresh token presented.
        was: String,
        /// The renewed session's parameters.
        value: J,
    },
    /// The page may have been asleep: it was shown again, came back from the back/forward
    /// cache (`restored`), or the network came back. A computer that slept runs the page's
    /// timers late, by as long as it slept, so the renewal is looked at by the wall clock now.
    /// A page restored from that cache after a redirect sign-in sent it away is the person
    /// coming back without signing in (the browser's Back from the provider).
    Woke {
        /// Restored from the back/forward cache.
        restored: bool,
    },
}

/// A storage key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// `wl_connect.session`, in the configured storage.
    Session,
    /// `wl_connect.redirect` (`sessionStorage`).
    Redirect,
    /// `wl_connect.redirect_result` (`sessionStorage`).
    RedirectResult,
}

/// Which storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `sessionStorage`.
    Session,
    /// `localStorage`.
    Local,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A form (`application/x-www-form-urlencoded`).
    Form(Form),
    /// JSON text (`application/json`).
    Json(String),
}

/// The level of a `wl.log` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A failure.
    Error,
    /// Something a developer should fix.
    Warning,
    /// A note.
    Info,
}

/// An event for the page's handlers.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `auth.login` with the session.
    Login(Session),
    /// `auth.logout`.
    Logout,
    /// `auth.sessionChange` with the session or `null`.
    SessionChange(Option<Session>),
    /// `auth.statusChange` with `{ status, session }`.
    StatusChange(Option<Session>),
    /// `wl.log` with `{ level, code?, message }`.
    Log(Level, Option<String>, String),
}

/// What a call resolves with.
#[derive(Debug, Clone)]
pub enum Answer<J> {
    /// `{ status: "connected" | "notConnected", session }`.
    Status(Option<Session>),
    /// The session object or `null`.
    Session(Option<Session>),
    /// `null`.
    Null,
    /// `{ issuer, api_base, messenger_hub }` (`api_base` only with a Live-style data API).
    Provider(String, Option<String>, Option<String>),
    /// An API answer's JSON (`null` when empty).
    Json(Option<J>),
}

/// Where a fetch's answer gets its [`Response::claims`] from (the JWT work is the
/// interpreter's: Web Crypto checks signatures, and decoding base64url and JSON there costs the
/// wasm nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jwt {
    /// No claims.
    None,
    /// The body's `id_token`, its signature checked with the keys at this URL (discovery's
    /// `jwks_uri`): its payload, or none when it is not a JWT signed with them.
    Verify(String),
    /// This JWT's payload, read without a check (the session's ID token, checked when it came).
    Decode(String),
}

/// Something for the interpreter to do.
#[derive(Debug, Clone)]
pub enum Effect<J> {
    /// Fetch `url` with `query` appended; answer with [`Input::Fetched`] or
    /// [`Input::FetchFailed`].
    Fetch {
        /// The request.
        req: ReqId,
        /// The URL.
        url: String,
        /// What to append to its query: the `query` of the `WL.api` call, as the interpreter
        /// gave it.
        query: Option<J>,
        /// `GET`, `POST`, …
        method: String,
        /// A bearer token.
        token: Option<String>,
        /// The body.
        body: Option<Body>,
        /// What the answer's [`Response::claims`] are: see [`Jwt`].
        jwt: Jwt,
    },
    /// The SHA-256 of `text` (Web Crypto); answer with [`Input::Hashed`].
    Hash(ReqId, String),
    /// Sends the popup of login `call` to `url` with `query` appended (answer
    /// [`Input::PopupLost`] if it is closed or navigating throws).
    Navigate {
        /// The login whose popup goes.
        call: CallId,
        /// The URL.
        url: String,
        /// Its query.
        query: Form,
    },
    /// A redirect-mode sign-in: stores its `record` under [`Key::Redirect`] (answer
    /// [`Input::StoreFailed`] if that fails, and stay), then sends the page to `url` with
    /// `query` appended.
    Redirect {
        /// The login.
        call: CallId,
        /// The record of the sign-in in progress.
        record: Form,
        /// The URL.
        url: String,
        /// Its query.
        query: Form,
    },
    /// Closes the popup of login `call`, if it has one.
    ClosePopup(CallId),
    /// Watch for callback answers (`message`, `BroadcastChannel`) for login `call`'s popup;
    /// `None`: stop.
    Watch(Option<CallId>),
    /// Stores `value` (as a query string) under `key`, or removes it (`None`); errors are
    /// ignored (quota, privacy mode: the session then lives in memory only).
    Store(Key, Area, Option<Form>),
    /// Removes the OAuth parameters from the page's URL (`history.replaceState`).
    CleanUrl,
    /// Whether `wl.log` entries also go to the console.
    Console(bool),
    /// Fires an event.
    Emit(Event),
    /// Arms `timer` to fire after `ms` (replacing it if armed).
    Arm(Timer, f64),
    /// Disarms `timer`.
    Disarm(Timer),
    /// Resolves a call.
    Resolve(CallId, Answer<J>),
    /// Rejects a call.
    Reject(CallId, Error),
    /// Asks for the renewal lock tabs sharing a `local` session take one at a time (Web Locks;
    /// at once where there are none, or after a while if another tab never lets go); answer with
    /// [`Input::Locked`].
    Lock,
    /// Lets go of the renewal lock.
    Unlock,
    /// Claims this refresh token for this tab before presenting it (`session` storage): a Web
    /// Lock named after the token, held for as long as the page lives, if no other tab holds
    /// it; answer with [`Input::Claimed`]. A tab the browser copied `sessionStorage` into (a
    /// duplicated tab, a window the page opened) holds the same token, and a rotating refresh
    /// token may be presented once.
    Claim(String),
}

/// A sign-in waiting for its answer (its secrets; a redirect sign-in's come from storage).
#[derive(Debug, Clone)]
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    asked: Scopes,
}

/// A login between its steps.
#[derive(Debug, Clone)]
struct Login {
    call: CallId,
    generation: u32,
    redirect: bool,
    random: Vec<u8>,
    page: String,
}

/// The popup being watched for the answer.
#[derive(Debug, Clone)]
struct Watch {
    call: CallId,
    generation: u32,
    sent_at: f64,
    severed: bool,
    closed_seen: bool,
}

/// Why a refresh grant was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refresh {
    /// The renewal timer.
    Renew,
    /// `WL.init` found an expired session with a refresh token.
    Restore,
}

/// Whose exchange of a code this is: a login call, or `WL.init` finishing a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exchange {
    Login(CallId),
    Init,
}

/// What waits for discovery ([`Loader::after_discovery`]), or for a renewal ([`Loader::waiting`]).
#[derive(Debug, Clone)]
enum Next<J> {
    Login(Login),
    Exchange(Exchange, u32, Form),
    Refresh(Refresh, u32, Form),
    Revoke(CallId, Vec<Form>),
    Provider(CallId),
    Api(CallId, J, Option<J>),
    /// `WL.getLoginStatus()` (it waits only for a renewal, never for discovery).
    Status(CallId),
}

/// What a request in flight is for.
#[derive(Debug, Clone)]
enum Wait {
    Discovery,
    Hash(Login),
    Token(Exchange, u32),
    Refresh(Refresh, u32),
    /// A `WL.api` call with the token it was sent with (`true`: `me` from userinfo).
    Api(CallId, String, bool),
    Revoke(CallId, Vec<Form>),
}

/// `WL.init` between its steps.
#[derive(Debug, Clone)]
struct Init<J> {
    call: CallId,
    stored: Stored<J>,
}

/// The loader: configuration, discovery, the session, the sign-in in progress, and what is in
/// flight. Drive it with [`Loader::step`].
#[derive(Debug, Clone)]
pub struct Loader<J> {
    config: Option<Config>,
    discovery: Option<Discovery>,
    discovering: bool,
    after_discovery: Vec<Next<J>>,
    session: Option<Session>,
    pending: Option<Pending>,
    watch: Option<Watch>,
    waits: Vec<(ReqId, Option<Wait>)>,
    next_req: ReqId,
    init: Option<Init<J>>,
    /// Counts sign-ins and logouts (the generation): a newer one cancels an older one's steps.
    generation: u32,
    /// Counts session changes: a renewal answering after one is dropped.
    epoch: u32,
    /// The renewal lock (`local` storage): asked for, or held.
    lock: RenewLock,
    /// When the armed renewal is due (ms, `now`'s clock). A timer that fires early, or a long
    /// wait's step, re-arms for what is left of it: working the due time out again from a later
    /// `now` would slide a short token's half-way renewal toward its expiry.
    renew_at: Option<f64>,
    /// The session is a copy of another tab's ([`Loader::claimed`]): the refresh token it came
    /// with, which the other tab presented (its renewal, [`Input::Rotated`], is followed). Its
    /// end at expiry is not written, since frames of one tab share storage with that tab.
    copy_of: Option<String>,
    /// `WL.api` and `WL.getLoginStatus()` calls that came while the session's access token had
    /// expired and its refresh token had not ([`Loader::renewable`]): they go on once the
    /// renewal settles ([`Loader::resume`]).
    waiting: Vec<Next<J>>,
    /// The redirect sign-in that sent the page to the provider: its call never settles, unless
    /// the page comes back from the back/forward cache ([`Input::Woke`]).
    away: Option<CallId>,
    connected: bool,
    out: Vec<Effect<J>>,
    now: f64,
}

impl<J> Default for Loader<J> {
    fn default() -> Self {
        Loader {
            config: None,
            discovery: None,
            discovering: false,
            after_discovery: Vec::new(),
            session: None,
            pending: None,
            watch: None,
            waits: Vec::new(),
            next_req: 0,
            init: None,
            generation: 0,
            epoch: 0,
            lock: RenewLock::Free,
            renew_at: None,
            copy_of: None,
            waiting: Vec::new(),
            away: None,
            connected: false,
            out: Vec::new(),
            now: 0.0,
        }
    }
}

fn not_configured() -> Error {
    Error::config(CONFIGURE_FIRST)
}

fn is_redirect<J: Json>(options: &J, key: &str) -> bool {
    options.get_text(key).as_deref() == Some("redirect")
}

impl<J: Json> Loader<J> {
    /// A loader with nothing configured.
    pub fn new() -> Self {
        Self::default()
    }

    /// The configuration, once `WL.init` applied one.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// The session as it stands (possibly expired).
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Takes one input at `now` (ms since the epoch) and returns what to do, in order.
    pub fn step(&mut self, now: f64, input: Input<J>) -> Vec<Effect<J>> {
        self.now = now;
        match input {
            Input::Call(id, call) => self.call(id, call),
            Input::Fetched(req, r) => {
                if let Some(w) = self.take_wait(req) {
                    self.fetched(w, Ok(r));
                }
            }
            Input::FetchFailed(req, url) => {
                if let Some(w) = self.take_wait(req) {
                    self.fetched(w, Err(Error::ConnectionFailed(url)));
                }
            }
            Input::Hashed(req, digest) => {
                if let Some(Wait::Hash(l)) = self.take_wait(req) {
                    self.hashed(l, digest);
                }
            }
            Input::Message(query, src) => self.message(&query, src),
            Input::PopupLost { closed } => {
                let e = if closed {
                    Error::UserCanceled
                } else {
                    Error::PopupBlocked
                };
                self.settle_watch(Err(e));
            }
            Input::Timer(t, closed) => self.timer(t, closed),
            Input::StoreFailed(call) => {
                self.away = None;
                self.settle_login(
                    call,
                    Err(Error::config("redirect mode needs sessionStorage")),
                );
            }
            Input::StoredElsewhere(value) => self.stored_elsewhere(value),
            Input::Locked { stored, readable } => self.locked(stored, readable),
            Input::Claimed(mine) => self.claimed(mine),
            Input::Rotated { was, value } => self.rotated(&was, value),
            Input::Woke { restored } => {
                if restored && let Some(call) = self.away.take() {
                    self.pending = None;
                    self.settle_login(call, Err(Error::UserCanceled));
                }
                self.renew();
            }
        }
        std::mem::take(&mut self.out)
    }

    fn now_secs(&self) -> f64 {
        self.now / 1000.0
    }

    fn push(&mut self, e: Effect<J>) {
        self.out.push(e);
    }

    fn log(&mut self, level: Level, code: Option<&str>, message: String) {
        self.push(Effect::Emit(Event::Log(
            level,
            code.map(Into::into),
            message,
        )));
    }

    /// Rejects a call, saying so on `wl.log` first (as every `WL` promise does).
    fn fail(&mut self, call: CallId, e: Error) {
        self.log(Level::Error, Some(e.code()), e.message());
        self.push(Effect::Reject(call, e));
    }

    /// Settles a login: its popup closes, then the call settles.
    fn settle_login(&mut self, call: CallId, r: Result<Answer<J>, Error>) {
        self.push(Effect::ClosePopup(call));
        match r {
            Ok(a) => self.push(Effect::Resolve(call, a)),
            Err(e) => self.fail(call, e),
        }
    }

    /// The request `req` waits for, taken out (its slot emptied, then dropped with `retain`:
    /// `Vec::remove`'s index check would bring a panic with `core::fmt` into the wasm).
    fn take_wait(&mut self, req: ReqId) -> Option<Wait> {
        let w = self
            .waits
            .iter_mut()
            .find(|(r, w)| *r == req && w.is_some())
            .and_then(|(_, w)| w.take());
        self.waits.retain(|(_, w)| w.is_some());
        w
    }

    fn request(&mut self, wait: Wait) -> ReqId {
        self.next_req += 1;
        let req = self.next_req;
        self.waits.push((req, Some(wait)));
        req
    }

    fn fetch(&mut self, wait: Wait, url: String, method: &str, body: Option<Body>) {
        // A token answer's ID token is checked against the provider's keys.
        let jwt = match (&wait, &self.discovery) {
            (Wait::Token(..) | Wait::Refresh(..), Some(d)) => Jwt::Verify(d.jwks_uri.clone()),
            _ => Jwt::None,
        };
        let req = self.request(wait);
        self.push(Effect::Fetch {
            req,
            url,
            query: None,
            method: method.into(),
            token: None,
            body,
            jwt,
        });
    }

    /// The session if it has not expired; an expired one is dropped (`true`: it just was).
    fn live(&mut self) -> (Option<Session>, bool) {
        let now = self.now_secs();
        match &self.session {
            Some(s) if !s.is_expired(now) => (Some(s.clone()), false),
            Some(_) => {
                self.session = None;
                (None, true)
            }
            None => (None, false),
        }
    }

    /// `WL.getSession()`: an expired session ends here (its events fire), unless its refresh
    /// token can renew it: then the renewal starts (unless a retry after a failed network is
    /// armed: a page asking often does not send a renewal each time), and until it answers
    /// there is no session to give (`null`), though none ended (no events).
    fn get_session(&mut self) -> Option<Session> {
        if self.renewable() {
            if self.renew_at.is_none_or(|at| at <= self.now) {
                self.renew();
            }
            return None;
        }
        let (s, expired) = self.live();
        if expired {
            self.changed(Change::Ended);
        }
        s
    }

    fn storage(&self) -> Option<Area> {
        match self.config.as_ref()?.storage {
            StorageKind::Session => Some(Area::Session),
            StorageKind::Local => Some(Area::Local),
            StorageKind::Memory => None,
        }
    }

    /// The session changed (login, restore, refresh, logout, ended): storage, renewal, events.
    fn changed(&mut self, kind: Change) -> Option<Session> {
        self.settle_change(kind, true)
    }

    /// [`Loader::changed`]; `store`: write the session to storage (not when another tab's write
    /// is what changed it).
    fn settle_change(&mut self, kind: Change, store: bool) -> Option<Session> {
        // A copy's own end is not written; any change makes the session no longer a copy.
        let copy_ended = self.copy_of.take().is_some() && kind == Change::Ended;
        let store = store && !copy_ended;
        let (s, _) = self.live();
        let was = self.connected;
        if let Some(area) = self.storage().filter(|_| store) {
            let value = self.session.as_ref().map(Session::fields);
            self.push(Effect::Store(Key::Session, area, value));
        }
        self.epoch += 1;
        self.push(Effect::Disarm(Timer::Renew));
        self.renew_at = None;
        if let Some(due) = self.renew_in() {
            self.arm_renewal(due);
        }
        self.connected = s.is_some();
        if kind == Change::Login
            && let Some(s) = &s
        {
            self.push(Effect::Emit(Event::Login(s.clone())));
        }
        if kind == Change::Logout {
            self.push(Effect::Emit(Event::Logout));
        }
        if kind != Change::Restore {
            self.push(Effect::Emit(Event::SessionChange(s.clone())));
            if was != self.connected {
                self.push(Effect::Emit(Event::StatusChange(s.clone())));
            }
        }
        self.resume(None);
        s
    }

    /// Whether the session's access token has expired and its refresh token may renew it (the
    /// renewal timer ran late: the computer slept; or its renewal could not reach the provider).
    fn renewable(&self) -> bool {
        let now = self.now_secs();
        self.session
            .as_ref()
            .is_some_and(|s| s.refresh_token.is_some() && s.is_expired(now))
    }

    /// Whether a renewal is under way: its lock or claim asked for or held, or its refresh
    /// grant waiting for discovery or in flight.
    fn renewing(&self) -> bool {
        self.lock != RenewLock::Free
            || self
                .waits
                .iter()
                .any(|(_, w)| matches!(w, Some(Wait::Refresh(..))))
            || self
                .after_discovery
                .iter()
                .any(|n| matches!(n, Next::Refresh(..)))
    }

    /// The calls that waited for a renewal ([`Loader::waiting`]) go on, with the session as it
    /// now is (renewed, or ended: then as on a signed-out page); `failed`: the renewal could not
    /// reach the provider, and they fail as it did.
    fn resume(&mut self, failed: Option<&Error>) {
        for n in std::mem::take(&mut self.waiting) {
            match failed {
                Some(e) => self.discovery_failed(n, e.clone()),
                None => self.discovered(n),
            }
        }
    }

    /// `next` goes on once the expired session's renewal, which starts now, settles.
    fn wait_renewal(&mut self, next: Next<J>) {
        self.waiting.push(next);
        self.renew();
    }

    fn renew_in(&self) -> Option<f64> {
        let now = self.now_secs();
        self.session.as_ref().map(|s| s.renew_delay_ms(now))
    }

    /// Arms the renewal timer `ms` from now, and remembers when it is due.
    fn arm_renewal(&mut self, ms: f64) {
        self.renew_at = Some(self.now + ms);
        self.push(Effect::Arm(Timer::Renew, ms.min(MAX_TIMER_MS)));
    }

    /// Ends the session; the revocation forms of its tokens, the last to send first (the
    /// refresh token's, then the access token's: [`Loader::revoke`] pops them).
    fn end(&mut self) -> Vec<Form> {
        let mut forms = Vec::new();
        if let (Some(cfg), Some(s)) = (self.config.as_ref(), self.session.take()) {
            for t in [s.refresh_token, Some(s.access_token)]
                .into_iter()
                .flatten()
            {
                forms.push(vec![("token", t), ("client_id", cfg.client_id.clone())]);
            }
        }
        forms
    }

    /// Continues `next` once discovery is known (fetching it once; again after a failure).
    fn with_discovery(&mut self, next: Next<J>) {
        if self.discovery.is_some() {
            return self.discovered(next);
        }
        self.after_discovery.push(next);
        if !self.discovering {
            let Some(cfg) = &self.config else { return };
            let url = Discovery::url(&cfg.authority);
            self.discovering = true;
            self.fetch(Wait::Discovery, url, "GET", None);
        }
    }

    fn call(&mut self, id: CallId, call: Call<J>) {
        if self.config.is_none()
            && matches!(
                call,
                Call::Logout | Call::GetLoginStatus | Call::GetProvider
            )
        {
            return self.fail(id, not_configured());
        }
        match call {
            Call::Init { options, stored } => self.init(id, &options, stored),
            Call::Login {
                options,
                popup,
                random,
                page,
            } => self.login(id, &options, popup, random, page),
            Call::Logout => self.logout(id),
            Call::GetSession => {
                let s = self.get_session();
                self.push(Effect::Resolve(id, Answer::Session(s)));
            }
            Call::GetLoginStatus if self.renewable() => self.wait_renewal(Next::Status(id)),
            Call::GetLoginStatus => self.discovered(Next::Status(id)),
            Call::GetProvider => self.with_discovery(Next::Provider(id)),
            Call::Api { options, query } if self.renewable() => {
                self.wait_renewal(Next::Api(id, options, query));
            }
            Call::Api { options, query } => match self.api_check(&options) {
                Ok(_) => self.with_discovery(Next::Api(id, options, query)),
                Err(e) => self.fail(id, e),
            },
        }
    }

    // --- WL.init --------------------------------------------------------------------------

    fn init(&mut self, id: CallId, options: &J, stored: Stored<J>) {
        if self.config.is_some() {
            self.log(
                Level::Warning,
                None,
                "WL.init was called again; the first configuration stays in effect".into(),
            );
            let s = self.get_session();
            return self.push(Effect::Resolve(id, Answer::Status(s)));
        }
        let cfg = match Config::parse(|k| options.get_text(k)) {
            Ok(c) => c,
            Err(e) => return self.fail(id, e),
        };
        self.push(Effect::Console(cfg.logging));
        for w in &cfg.warnings {
            self.out
                .push(Effect::Emit(Event::Log(Level::Warning, None, w.clone())));
        }
        self.config = Some(cfg);
        let text = match self.storage() {
            Some(Area::Session) => stored.session.clone(),
            Some(Area::Local) => stored.local.clone(),
            None => None,
        };
        self.init = Some(Init { call: id, stored });
        // The stored session: restored, renewed with its refresh token, or dropped.
        let client = self.config.as_ref().map_or("", |c| c.client_id.as_str());
        let s = text.and_then(|t| Session::read(|k| t.get_text(k), client));
        let now = self.now_secs();
        match s {
            Some(s) if !s.is_expired(now) => {
                self.session = Some(s);
                self.changed(Change::Restore);
            }
            Some(s) if s.refresh_token.is_some() => {
                self.session = Some(s);
                return self.refresh_in_turn(Refresh::Restore);
            }
            Some(_) => self.drop_stored(),
            None => {}
        }
        self.init_redirect();
    }

    fn drop_stored(&mut self) {
        if let Some(area) = self.storage() {
            self.push(Effect::Store(Key::Session, area, None));
        }
    }

    /// A redirect-mode sign-in that came back to this page: its answer is in storage (left by
    /// `callback.js`) or in the page's own URL.
    fn init_redirect(&mut self) {
        let Some(init) = &self.init else { return };
        let stored = &init.stored;
        let Some(record) = stored
            .redirect
            .as_ref()
            .and_then(|r| PendingRedirect::read(|k| r.get_text(k)))
        else {
            return self.init_done(false);
        };
        self.pending = Some(Pending {
            state: record.state,
            nonce: record.nonce,
            verifier: record.verifier,
            asked: Scopes::parse(&record.scope),
        });
        let from_url = stored
            .page_query
            .as_ref()
            .filter(|q| callback(*q).is_callback());
        let answer = match (&stored.redirect_result, from_url) {
            (Some(a), _) => callback(a),
            (None, Some(q)) => callback(q),
            (None, None) => return self.init_done(false),
        };
        let clean = from_url.is_some();
        self.push(Effect::Store(Key::Redirect, Area::Session, None));
        self.push(Effect::Store(Key::RedirectResult, Area::Session, None));
        if clean {
            self.push(Effect::CleanUrl);
        }
        let generation = self.generation;
        self.exchange(Exchange::Init, generation, answer);
    }

    /// The end of `WL.init` (`signed_in`: a redirect sign-in has just fired its own events).
    fn init_done(&mut self, signed_in: bool) {
        let Some(init) = self.init.take() else { return };
        let s = self.get_session();
        if self.config.as_ref().is_some_and(|c| c.status) && !signed_in {
            if let Some(s) = &s {
                self.push(Effect::Emit(Event::SessionChange(Some(s.clone()))));
            }
            self.push(Effect::Emit(Event::StatusChange(s.clone())));
        }
        self.push(Effect::Resolve(init.call, Answer::Status(s)));
    }

    // --- WL.login -------------------------------------------------------------------------

    /// A newer sign-in or a logout cancels the popup being watched.
    fn cancel(&mut self) {
        self.settle_watch(Err(Error::RequestCanceled));
    }

    fn login(&mut self, id: CallId, options: &J, popup: bool, random: Vec<u8>, page: String) {
        self.generation += 1;
        let generation = self.generation;
        self.cancel();
        self.pending = None;
        let Some(cfg) = &self.config else {
            return self.settle_login(id, Err(not_configured()));
        };
        let wanted = cfg.login_scopes(&Scopes::parse(
            &options.get_text("scope").unwrap_or_default(),
        ));
        let redirect = cfg.mode == Mode::Redirect
            || (!popup && (is_redirect(options, "fallback") || is_redirect(options, "mode")));
        let (current, _) = self.live();
        if let Some(s) = &current
            && wanted.missing_from(&s.scope).is_empty()
        {
            return self.settle_login(id, Ok(Answer::Status(current)));
        }
        if !popup && !redirect {
            return self.settle_login(id, Err(Error::PopupBlocked));
        }
        let asked = current.map_or_else(|| wanted.clone(), |s| s.scope.union(&wanted));
        self.pending = Some(Pending {
            state: String::new(),
            nonce: String::new(),
            verifier: String::new(),
            asked,
        });
        self.with_discovery(Next::Login(Login {
            call: id,
            generation,
            redirect,
            random,
            page,
        }));
    }

    /// Discovery is known: the PKCE verifier from the first 32 random bytes, its SHA-256 asked.
    fn login_discovered(&mut self, l: Login) {
        if l.generation != self.generation {
            return self.settle_login(l.call, Err(Error::RequestCanceled));
        }
        let v = l.random.get(..pkce::VERIFIER_BYTES).unwrap_or(&l.random);
        let verifier = pkce::verifier(v);
        let req = self.request(Wait::Hash(l));
        self.push(Effect::Hash(req, verifier));
    }

    /// The verifier's SHA-256: the authorization request, then the popup or the page goes.
    fn hashed(&mut self, l: Login, digest: Option<Vec<u8>>) {
        let Some(digest) = digest else {
            return self.settle_login(
                l.call,
                Err(Error::config(
                    "sign-in needs a secure context (https, or http on localhost) for Web Crypto",
                )),
            );
        };
        if l.generation != self.generation {
            return self.settle_login(l.call, Err(Error::RequestCanceled));
        }
        let (Some(cfg), Some(d), Some(p)) = (
            self.config.as_ref(),
            self.discovery.as_ref(),
            self.pending.as_mut(),
        ) else {
            return self.settle_login(l.call, Err(Error::RequestCanceled));
        };
        let (v, rest) = l
            .random
            .split_at_checked(pkce::VERIFIER_BYTES)
            .unwrap_or((&l.random, &[]));
        let (s, n) = rest
            .split_at_checked(state::RANDOM_BYTES)
            .unwrap_or((rest, &[]));
        p.verifier = pkce::verifier(v);
        p.state = state::random_token(s);
        p.nonce = state::random_token(n);
        let scope = p.asked.to_wire();
        let query = oidc::authorize_query(&AuthRequest {
            client_id: &cfg.client_id,
            redirect_uri: &cfg.redirect_uri,
            scope: &scope,
            state: &p.state,
            nonce: &p.nonce,
            code_challenge: &pkce::challenge(&digest),
            popup: !l.redirect,
        });
        let url = d.authorization_endpoint.clone();
        if l.redirect {
            let record = PendingRedirect {
                state: p.state.clone(),
                nonce: p.nonce.clone(),
                verifier: p.verifier.clone(),
                scope,
                return_url: l.page,
            };
            self.push(Effect::ClosePopup(l.call));
            // The page is going away: the call never settles, unless storing the record fails
            // or the person comes back to this very page (the back/forward cache).
            self.away = Some(l.call);
            self.push(Effect::Redirect {
                call: l.call,
                record: record.fields(),
                url,
                query,
            });
            return;
        }
        self.push(Effect::Navigate {
            call: l.call,
            url,
            query,
        });
        self.watch = Some(Watch {
            call: l.call,
            generation: l.generation,
            sent_at: self.now,
            severed: false,
            closed_seen: false,
        });
        self.push(Effect::Watch(Some(l.call)));
        self.push(Effect::Arm(Timer::Poll, POLL_MS));
        let timeout = self.config.as_ref().map_or(0, |c| c.timeout_ms);
        self.push(Effect::Arm(Timer::Timeout, f64::from(timeout)));
    }
}

/// The renewal lock of tabs that share a `local` session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RenewLock {
    Free,
    /// Asked for, to refresh for this reason, at this session epoch.
    Asked(Refresh, u32),
    Held,
    /// The refresh token's claim ([`Effect::Claim`], `session` storage) is asked for, as above.
    Claiming(Refresh, u32),
}

/// What kind of session change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Login,
    Restore,
    Refresh,
    Logout,
    Ended,
}

impl<J: Json> Loader<J> {
    // --- the popup watcher ----------------------------------------------------------------

    /// A callback answer while a popup is watched: ours (its `state`), a provider's error that
    /// dropped the state (from our popup only: this sign-in's error, never a code), a
    /// foreign answer from our popup (`invalid_state`), or another tab's (ignored).
    fn message(&mut self, query: &J, src: Source) {
        if self.watch.is_none() {
            return;
        }
        let Some(ours) = self.pending.as_ref().map(|p| p.state.clone()) else {
            return;
        };
        let cb = callback(query);
        if cb.matches(&ours) {
            return self.settle_watch(Ok(cb));
        }
        let error = cb.error.clone().filter(|e| !e.is_empty());
        // Only from the popup we opened: on the channel, any window of the site could post
        // `?error=…` and end a pending sign-in.
        if src == Source::Popup && error.is_some() && cb.state.is_none() && cb.code.is_none() {
            let answer = CallbackResult {
                code: None,
                state: Some(ours),
                error,
                error_description: cb.error_description,
            };
            self.settle_watch(Ok(answer));
        } else if src == Source::Popup {
            self.settle_watch(Err(Error::InvalidState));
        }
    }

    /// Stops watching: the popup closes; the answer goes to the exchange, an error to the call.
    fn settle_watch(&mut self, r: Result<CallbackResult, Error>) {
        let Some(w) = self.watch.take() else { return };
        self.push(Effect::Watch(None));
        self.push(Effect::Disarm(Timer::Poll));
        self.push(Effect::Disarm(Timer::Timeout));
        self.push(Effect::ClosePopup(w.call));
        match r {
            Ok(cb) => self.exchange(Exchange::Login(w.call), w.generation, cb),
            Err(e) => self.settle_login(w.call, Err(e)),
        }
    }

    fn timer(&mut self, t: Timer, popup_closed: bool) {
        match t {
            Timer::Renew => self.renew(),
            Timer::Timeout => self.settle_watch(Err(Error::TimedOut)),
            Timer::Poll => {
                let now = self.now;
                let Some(w) = self.watch.as_mut() else { return };
                if w.severed || !popup_closed {
                    return self.push(Effect::Arm(Timer::Poll, POLL_MS));
                }
                if now - w.sent_at < COOP_WINDOW_MS {
                    w.severed = true;
                    self.push(Effect::Arm(Timer::Poll, POLL_MS));
                    self.log(Level::Info, None, "Cross-Origin-Opener-Policy cut the popup's handle: waiting on BroadcastChannel".into());
                } else if w.closed_seen {
                    self.settle_watch(Err(Error::UserCanceled));
                } else {
                    // An answer already on its way gets one more tick to arrive.
                    w.closed_seen = true;
                    self.push(Effect::Arm(Timer::Poll, POLL_MS));
                }
            }
        }
    }

    // --- tokens ---------------------------------------------------------------------------

    /// Exchanges a callback's answer for tokens (`generation`: the sign-in's generation; a newer
    /// sign-in or a logout meanwhile cancels it).
    fn exchange(&mut self, who: Exchange, generation: u32, answer: CallbackResult) {
        let form = match (self.config.as_ref(), self.pending.as_ref()) {
            (None, _) => Err(not_configured()),
            (_, None) => Err(Error::InvalidState),
            (Some(cfg), Some(p)) => answer.into_code(&p.state).map(|code| {
                oidc::code_exchange_form(&code, &cfg.redirect_uri, &cfg.client_id, &p.verifier)
            }),
        };
        match form {
            Ok(f) => self.with_discovery(Next::Exchange(who, generation, f)),
            Err(e) => self.exchange_failed(who, e),
        }
    }

    fn exchange_failed(&mut self, who: Exchange, e: Error) {
        match who {
            Exchange::Login(call) => self.settle_login(call, Err(e)),
            Exchange::Init => {
                self.log(Level::Error, Some(e.code()), e.message());
                self.init_done(false);
            }
        }
    }

    fn token_answer(&mut self, who: Exchange, generation: u32, r: Result<Response<J>, Error>) {
        if generation != self.generation {
            return self.exchange_failed(who, Error::RequestCanceled);
        }
        match r.and_then(|r| self.signed_in(&r)) {
            Err(e) => self.exchange_failed(who, e),
            Ok(()) => {
                let s = self.changed(Change::Login);
                match who {
                    Exchange::Login(call) => self.settle_login(call, Ok(Answer::Status(s))),
                    Exchange::Init => self.init_done(true),
                }
            }
        }
    }

    /// The token endpoint's answer, checked: the fields of a success.
    fn token_fields(&self, r: &Response<J>) -> Result<TokenResponse, Error> {
        let d = self.discovery.as_ref().ok_or_else(no_discovery)?;
        let json = r.json.as_ref();
        let field = |k: &str| json.and_then(|j| j.get_text(k));
        if let Some(e) = field("error") {
            return Err(Error::from_oauth(&e));
        }
        if !r.ok {
            return Err(Error::ConnectionFailed(d.token_endpoint.clone()));
        }
        if field("id_token").is_some() && r.claims.is_none() {
            return Err(Error::InvalidToken(
                "it is not a JWT signed with the provider's keys".into(),
            ));
        }
        Ok(TokenResponse {
            access_token: field("access_token").ok_or_else(|| {
                Error::ConnectionFailed("the token endpoint returned no access_token".into())
            })?,
            expires_in: json
                .and_then(|j| j.get("expires_in"))
                .and_then(|v| v.number()),
            scope: field("scope"),
            refresh_token: field("refresh_token"),
            id_token: field("id_token"),
        })
    }

    /// Finishes the sign-in in progress with the token endpoint's answer: the ID token's `iss`,
    /// `aud`, `nonce` and `exp` are checked, then it is the session.
    fn signed_in(&mut self, r: &Response<J>) -> Result<(), Error> {
        let t = self.token_fields(r)?;
        let cfg = self.config.as_ref().ok_or_else(not_configured)?;
        let d = self.discovery.as_ref().ok_or_else(no_discovery)?;
        let p = self.pending.take().ok_or(Error::InvalidState)?;
        let now = self.now / 1000.0;
        let sub = check_id_token(
            t.id_token.as_deref(),
            r.claims.as_ref(),
            &d.issuer,
            &cfg.client_id,
            Some(&p.nonce),
            now,
        )?;
        let mut s = Session::from_token(&cfg.client_id, t, &p.asked, now, None);
        s.user_id = sub;
        self.session = Some(s);
        Ok(())
    }

    /// Renews the session with the refresh token's answer. A new ID token is checked as the
    /// sign-in's was, and must name the same person (OpenID Connect Core §12.2).
    fn refreshed(&mut self, r: &Response<J>) -> Result<(), Error> {
        let t = self.token_fields(r)?;
        let cfg = self.config.as_ref().ok_or_else(not_configured)?;
        let old = self.session.as_ref().ok_or(Error::SessionEnded)?;
        let now = self.now / 1000.0;
        // (`token_fields` has required discovery: `d` is always there.)
        if let (Some(_), Some(d)) = (&t.id_token, &self.discovery) {
            let sub = check_id_token(
                t.id_token.as_deref(),
                r.claims.as_ref(),
                &d.issuer,
                &cfg.client_id,
                None,
                now,
            )?;
            if sub != old.user_id {
                return Err(Error::InvalidToken(
                    "the renewed ID token names another person".into(),
                ));
            }
        }
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
        self.session = Some(s);
        Ok(())
    }

    /// Asks for a refresh grant (the session must have a refresh token).
    fn refresh(&mut self, why: Refresh) {
        let form = match (self.config.as_ref(), self.session.as_ref()) {
            (Some(cfg), Some(s)) => s
                .refresh_token
                .as_deref()
                .map(|t| oidc::refresh_form(t, &cfg.client_id)),
            _ => None,
        };
        let epoch = self.epoch;
        self.with_discovery(Next::Refresh(why, epoch, form.unwrap_or_default()));
    }

    fn refresh_answer(&mut self, why: Refresh, epoch: u32, r: Result<Response<J>, Error>) {
        self.take_refresh_answer(why, epoch, r);
        // After the new session's Store: the next tab to take the lock reads it.
        self.unlock();
    }

    fn take_refresh_answer(&mut self, why: Refresh, epoch: u32, r: Result<Response<J>, Error>) {
        // The session changed while the answer was on its way: it belongs to a session that is
        // gone (it neither signs the person back in nor replaces the newer session).
        if r.is_ok() && epoch != self.epoch {
            if why == Refresh::Restore {
                self.init_redirect();
            }
            return;
        }
        match r.and_then(|r| self.refreshed(&r)) {
            Ok(()) => {
                if why == Refresh::Renew {
                    self.changed(Change::Refresh);
                } else {
                    self.changed(Change::Restore);
                    self.init_redirect();
                }
            }
            Err(e) => self.refresh_failed(why, epoch, e),
        }
    }

    fn refresh_failed(&mut self, why: Refresh, epoch: u32, e: Error) {
        match why {
            Refresh::Restore => {
                self.log(
                    Level::Info,
                    Some(e.code()),
                    "the stored session could not be renewed".into(),
                );
                // The network is not there (a browser restoring its tabs before the computer is
                // online): the stored session and its refresh token stay, and it is renewed in
                // a while or once the network is back; the page is signed out until then.
                if self.retried_later(&e) {
                    self.arm_renewal(RETRY_MS);
                } else {
                    self.end();
                    self.drop_stored();
                }
                self.init_redirect();
            }
            Refresh::Renew => {
                if epoch != self.epoch {
                    return; // the session changed meanwhile: not this renewal's to end
                }
                self.log(Level::Warning, Some(e.code()), e.message());
                // The network failed: try again in a while (or when it is back, `Woke`), with
                // the refresh token, even past the access token's expiry; what waited fails.
                if self.retried_later(&e) {
                    self.arm_renewal(RETRY_MS);
                    self.resume(Some(&e));
                } else {
                    self.end();
                    self.changed(Change::Ended);
                }
            }
        }
    }

    /// Whether a renewal that failed with `e` is tried again later: the network failed (not
    /// the provider's answer), and the session has its refresh token still.
    fn retried_later(&self, e: &Error) -> bool {
        matches!(e, Error::ConnectionFailed(_))
            && self
                .session
                .as_ref()
                .is_some_and(|s| s.refresh_token.is_some())
    }

    /// The renewal timer (or [`Input::Woke`], or a call finding the access token expired): renew
    /// with the refresh token, or end the session at expiry without one; once, however often it
    /// is asked meanwhile. Before it is due by the wall clock the timer is armed again for the
    /// rest (a long wait is taken in steps), unless the access token has expired already.
    fn renew(&mut self) {
        if self.session.is_none() || self.renewing() {
            return;
        }
        let due = self.renew_at.map_or(-1.0, |at| at - self.now);
        if due > RENEW_SLACK_MS && !self.renewable() {
            return self.push(Effect::Arm(Timer::Renew, due.min(MAX_TIMER_MS)));
        }
        if self
            .session
            .as_ref()
            .is_none_or(|s| s.refresh_token.is_none())
        {
            self.log(Level::Info, None, "the session has expired".into());
            self.end();
            self.changed(Change::Ended);
            return;
        }
        self.refresh_in_turn(Refresh::Renew);
    }

    /// Refreshes, but one tab at a time where tabs share the session (`local` storage): two
    /// refreshes of one rotating refresh token would have the provider replace, or as a reuse
    /// revoke, the first one's tokens (two tabs renewing at the same expiry; every tab a
    /// restarted browser restores at once).
    fn refresh_in_turn(&mut self, why: Refresh) {
        let rt = self.session.as_ref().and_then(|s| s.refresh_token.clone());
        match (self.storage(), rt) {
            _ if self.lock != RenewLock::Free => {}
            (Some(Area::Local), _) => {
                self.lock = RenewLock::Asked(why, self.epoch);
                self.push(Effect::Lock);
            }
            (Some(Area::Session), Some(rt)) => {
                self.lock = RenewLock::Claiming(why, self.epoch);
                self.push(Effect::Claim(rt));
            }
            _ => self.refresh(why),
        }
    }

    /// The answer to a claim on the refresh token (`session` storage). This tab's: refresh.
    /// Another tab's (this session is a copy of it): this tab does not present it. A session
    /// still live goes on without it until it expires, and an expired one ends now; neither is
    /// revoked or written, since the tokens are the other tab's too.
    fn claimed(&mut self, mine: bool) {
        let RenewLock::Claiming(why, asked) = self.lock else {
            return;
        };
        self.lock = RenewLock::Free;
        if why == Refresh::Renew && self.epoch != asked {
            return;
        }
        if mine {
            return self.refresh(why);
        }
        self.log(
            Level::Info,
            None,
            "this tab's session is a copy of another tab's (a duplicated tab, or a window the \
             page opened): that tab renews it and this one takes its new tokens, or ends when \
             it expires"
                .into(),
        );
        // Storage is left as it is: frames of one tab share it, and the tab holding the claim
        // may be storing its new tokens there.
        if why == Refresh::Restore {
            self.session = None;
            return self.init_redirect();
        }
        self.copy_of = self.session.as_mut().and_then(|s| s.refresh_token.take());
        if let Some(due) = self.renew_in() {
            self.arm_renewal(due);
        }
    }

    /// The renewal lock is this tab's. If another tab renewed (or signed out) while this one
    /// waited, storage says so, and this tab takes that instead; otherwise it refreshes, and
    /// lets go once the answer is stored ([`Loader::refresh_answer`]).
    fn locked(&mut self, stored: Option<J>, readable: bool) {
        let RenewLock::Asked(why, asked) = self.lock else {
            self.lock = RenewLock::Held;
            return self.unlock();
        };
        self.lock = RenewLock::Held;
        // Storage holds this tab's own session unless another tab changed it meanwhile.
        let now = self.now_secs();
        let theirs = self.stored_session(stored);
        let moved = readable && theirs != self.session;
        if why == Refresh::Restore {
            // Another tab restored it first (its tokens are in storage, or this tab took them
            // from its storage event meanwhile), or ended it: nothing to refresh.
            let current = if moved { theirs } else { self.session.clone() };
            match current {
                Some(s) if s.is_expired(now) => return self.refresh(why),
                Some(s) => {
                    self.session = Some(s);
                    self.changed(Change::Restore);
                }
                None => self.session = None,
            }
            self.unlock();
            return self.init_redirect();
        }
        if moved {
            self.follow(theirs);
        }
        // The session changed since the renewal asked (followed just now, or a logout, a
        // sign-in, a 401 meanwhile): what it would have renewed is gone.
        if self.epoch != asked {
            return self.unlock();
        }
        self.refresh(why);
    }

    fn unlock(&mut self) {
        if self.lock == RenewLock::Held {
            self.push(Effect::Unlock);
        }
        self.lock = RenewLock::Free;
    }

    /// Another tab signed in, renewed, signed out or ended the session they share (`local`
    /// storage): this one follows, with the events its own change would fire (a removed session
    /// is a logout unless this tab's copy has expired; the same person's new tokens are a
    /// refresh), and without writing it back. A session that is unreadable, another client's or
    /// expired counts as removed. A renewal of the old session answering later is dropped (the
    /// epoch moved), so two tabs renewing at once end up with the same tokens.
    fn stored_elsewhere(&mut self, value: Option<J>) {
        if self.storage() != Some(Area::Local) {
            return;
        }
        let theirs = self.stored_session(value);
        self.follow(theirs);
    }

    /// A stored session value as this client's session (`None`: absent, unreadable or another
    /// client's).
    fn stored_session(&self, value: Option<J>) -> Option<Session> {
        let client = self.config.as_ref().map_or("", |c| c.client_id.as_str());
        value.and_then(|t| Session::read(|k| t.get_text(k), client))
    }

    /// Takes the session another tab left in storage ([`Loader::stored_elsewhere`]); an expired
    /// one as none.
    fn follow(&mut self, theirs: Option<Session>) {
        self.follow_with(theirs, false);
    }

    /// Another tab renewed the session this one is a copy of (`session` storage, [`Input::Rotated`]):
    /// this tab takes the new tokens and keeps them in its own storage, as if it had renewed.
    fn rotated(&mut self, was: &str, value: J) {
        let ours = self
            .session
            .as_ref()
            .and_then(|s| s.refresh_token.as_deref());
        let same_chain = ours == Some(was) || self.copy_of.as_deref() == Some(was);
        if self.storage() != Some(Area::Session) || !same_chain {
            return;
        }
        if let Some(theirs) = self.stored_session(Some(value)) {
            self.follow_with(Some(theirs), true);
        }
    }

    /// [`Loader::follow`]; `store`: write what it takes to this tab's storage.
    fn follow_with(&mut self, theirs: Option<Session>, store: bool) {
        let now = self.now_secs();
        let theirs = theirs.filter(|s| !s.is_expired(now));
        let kind = match (&self.session, &theirs) {
            (ours, theirs) if ours == theirs => return,
            (Some(ours), None) if ours.is_expired(now) => Change::Ended,
            (Some(_), None) => Change::Logout,
            (Some(ours), Some(s)) if ours.user_id == s.user_id => Change::Refresh,
            _ => Change::Login,
        };
        self.session = theirs;
        self.settle_change(kind, store);
    }

    // --- logout, provider, api ------------------------------------------------------------

    fn logout(&mut self, id: CallId) {
        self.generation += 1;
        self.cancel();
        if self.session.is_none() {
            return self.push(Effect::Resolve(id, Answer::Null));
        }
        let forms = self.end();
        self.changed(Change::Logout);
        self.with_discovery(Next::Revoke(id, forms));
    }

    /// Revokes the tokens at the provider one after the other (best effort), then resolves.
    fn revoke(&mut self, id: CallId, mut forms: Vec<Form>) {
        let endpoint = self
            .discovery
            .as_ref()
            .and_then(|d| d.revocation_endpoint.clone());
        match (endpoint, forms.pop()) {
            (Some(url), Some(form)) => {
                self.fetch(Wait::Revoke(id, forms), url, "POST", Some(Body::Form(form)));
            }
            _ => self.push(Effect::Resolve(id, Answer::Null)),
        }
    }

    /// Checks a `WL.api` call: its options, the configuration, a live session.
    fn api_check(&self, options: &J) -> Result<(ApiCall, String), Error> {
        let call = api_call(options)?;
        self.config.as_ref().ok_or_else(not_configured)?;
        let now = self.now_secs();
        let s = self
            .session
            .as_ref()
            .filter(|s| !s.is_expired(now))
            .ok_or_else(|| {
                Error::config("WL.api needs a signed-in session: call WL.login first")
            })?;
        Ok((call, s.access_token.clone()))
    }

    fn api_send(&mut self, id: CallId, options: &J, query: Option<J>) {
        let r = self.api_check(options).and_then(|(call, token)| {
            let d = self.discovery.as_ref().ok_or_else(no_discovery)?;
            // The data API, or `GET me` from the userinfo endpoint (any OpenID provider).
            let (url, me) = match userinfo::route(d, &call.path, &call.method)? {
                userinfo::Route::Api(url) => (url, false),
                userinfo::Route::Userinfo(url) => (url.to_string(), true),
            };
            Ok((url, me, call, token))
        });
        match r {
            Err(e) => self.fail(id, e),
            Ok((url, me, call, token)) => {
                // `me` maps userinfo over the session's ID token's claims.
                let jwt = match self.session.as_ref().and_then(|s| s.id_token.clone()) {
                    Some(t) if me => Jwt::Decode(t),
                    _ => Jwt::None,
                };
                let req = self.request(Wait::Api(id, token.clone(), me));
                self.push(Effect::Fetch {
                    req,
                    url,
                    query: if me { None } else { query },
                    method: call.method,
                    token: Some(token),
                    body: call.body.map(Body::Json),
                    jwt,
                });
            }
        }
    }

    fn api_answer(&mut self, id: CallId, token: &str, me: bool, r: Response<J>) {
        if r.ok && me {
            let user = self.session.as_ref().and_then(|s| s.user_id.clone());
            return match me_from_userinfo(r.json.as_ref(), r.claims.as_ref(), user.as_deref()) {
                Ok(j) => self.push(Effect::Resolve(id, Answer::Json(j))),
                Err(e) => self.fail(id, e),
            };
        }
        if r.ok {
            return self.push(Effect::Resolve(id, Answer::Json(r.json)));
        }
        let err = r.json.as_ref().and_then(|j| j.get("error"));
        let field = |k: &str| err.as_ref().and_then(|e| e.get_text(k));
        let e = crate::api::error_for(
            r.status,
            (r.www_error.clone(), r.www_scope.clone()),
            field("code"),
            field("message"),
        );
        if r.status == 401 {
            let (live, _) = self.live();
            if live.is_some_and(|s| s.access_token == token) {
                self.end();
                self.changed(Change::Ended);
            }
        }
        self.fail(id, e);
    }

    // --- what comes back ------------------------------------------------------------------

    fn discovered(&mut self, next: Next<J>) {
        match next {
            Next::Login(l) => self.login_discovered(l),
            Next::Exchange(who, generation, form) => {
                let url = self.discovery.as_ref().map(|d| d.token_endpoint.clone());
                let url = url.unwrap_or_default();
                self.fetch(
                    Wait::Token(who, generation),
                    url,
                    "POST",
                    Some(Body::Form(form)),
                );
            }
            Next::Refresh(why, epoch, form) => {
                let url = self.discovery.as_ref().map(|d| d.token_endpoint.clone());
                let url = url.unwrap_or_default();
                self.fetch(
                    Wait::Refresh(why, epoch),
                    url,
                    "POST",
                    Some(Body::Form(form)),
                );
            }
            Next::Revoke(id, forms) => self.revoke(id, forms),
            Next::Provider(id) => {
                if let Some(d) = &self.discovery {
                    let a = Answer::Provider(
                        d.issuer.clone(),
                        d.data_api.then(|| d.api_base.clone()),
                        d.messenger_hub.clone(),
                    );
                    self.push(Effect::Resolve(id, a));
                }
            }
            Next::Api(id, options, query) => self.api_send(id, &options, query),
            Next::Status(id) => {
                let s = self.get_session();
                self.push(Effect::Resolve(id, Answer::Status(s)));
            }
        }
    }

    fn discovery_failed(&mut self, next: Next<J>, e: Error) {
        match next {
            Next::Login(l) => self.settle_login(l.call, Err(e)),
            Next::Exchange(who, _, _) => self.exchange_failed(who, e),
            Next::Refresh(why, epoch, _) => {
                self.refresh_failed(why, epoch, e);
                self.unlock();
            }
            Next::Revoke(id, _) => self.push(Effect::Resolve(id, Answer::Null)),
            Next::Provider(id) | Next::Api(id, ..) | Next::Status(id) => self.fail(id, e),
        }
    }

    fn fetched(&mut self, wait: Wait, r: Result<Response<J>, Error>) {
        match wait {
            Wait::Discovery => {
                self.discovering = false;
                let authority = self
                    .config
                    .as_ref()
                    .map(|c| c.authority.clone())
                    .unwrap_or_default();
                let d = r.and_then(|r| {
                    if !r.ok {
                        return Err(Error::ConnectionFailed(Discovery::url(&authority)));
                    }
                    let json = r.json;
                    Discovery::parse(&authority, |k| json.as_ref().and_then(|j| j.get_text(k)))
                });
                let waiting = std::mem::take(&mut self.after_discovery);
                match d {
                    Ok(d) => {
                        self.discovery = Some(d);
                        for n in waiting {
                            self.discovered(n);
                        }
                    }
                    Err(e) => {
                        for n in waiting {
                            self.discovery_failed(n, e.clone());
                        }
                    }
                }
            }
            Wait::Hash(l) => self.settle_login(l.call, Err(Error::RequestCanceled)),
            Wait::Token(who, generation) => self.token_answer(who, generation, r),
            Wait::Refresh(why, epoch) => self.refresh_answer(why, epoch, r),
            Wait::Api(id, token, me) => match r {
                Ok(r) => self.api_answer(id, &token, me, r),
                Err(e) => self.fail(id, e),
            },
            Wait::Revoke(id, rest) => self.revoke(id, rest),
        }
    }
}

/// A callback answer from its query's parameters (one reader for every place that reads one).
fn callback<J: Json>(query: &J) -> CallbackResult {
    CallbackResult::read(|k| query.get_text(k))
}

fn no_discovery() -> Error {
    Error::ConnectionFailed("the discovery document".into())
}

/// The options of one `WL.api` call.
struct ApiCall {
    path: String,
    method: String,
    body: Option<String>,
}

/// Reads `{ path, method, body }` (or just a path string).
fn api_call<J: Json>(o: &J) -> Result<ApiCall, Error> {
    if let Some(path) = o.string() {
        return Ok(ApiCall {
            path,
            method: "GET".into(),
            body: None,
        });
    }
    let path = o
        .get_text("path")
        .ok_or_else(|| Error::config("WL.api needs a path, e.g. { path: \"me\" }"))?;
    let method = o
        .get_text("method")
        .unwrap_or_else(|| "GET".into())
        .to_ascii_uppercase();
    let body = o
        .get("body")
        .and_then(|b| b.string().or_else(|| b.to_json()));
    Ok(ApiCall { path, method, body })
}

/// Live's `me` from the userinfo endpoint's answer over the ID token's claims (`claims`), once
/// userinfo's `sub` is the session's (`user`): [`userinfo::me`], written as JSON text and read
/// back as `J` (`email` as `emails.preferred` and `emails.account`).
fn me_from_userinfo<J: Json>(
    userinfo: Option<&J>,
    claims: Option<&J>,
    user: Option<&str>,
) -> Result<Option<J>, Error> {
    let get = |j: Option<&J>, k: &str| j.and_then(|j| j.get(k)).and_then(|v| v.to_json());
    userinfo::check_sub(userinfo.and_then(|u| u.get_text("sub")).as_deref(), user)?;
    let mut text = String::from("{");
    userinfo::me(
        |c| get(userinfo, c),
        |c| get(claims, c),
        |field, v| {
            // (`push_str`, not `format!`: no `core::fmt` in the wasm)
            text.push_str(if text.len() > 1 { ",\"" } else { "\"" });
            if field == "email" {
                for part in ["emails\":{\"preferred\":", &v, ",\"account\":", &v, "}"] {
                    text.push_str(part);
                }
            } else {
                for part in [field, "\":", &v] {
                    text.push_str(part);
                }
            }
        },
    );
    text.push('}');
    Ok(J::parse(&text))
}

/// Reads and checks the ID token's claims; returns `sub`.
fn check_id_token<J: Json>(
    token: Option<&str>,
    payload: Option<&J>,
    issuer: &str,
    client_id: &str,
    nonce: Option<&str>,
    now_secs: f64,
) -> Result<Option<String>, Error> {
    token.ok_or_else(|| {
        Error::InvalidToken("the provider returned no ID token for scope openid".into())
    })?;
    let payload = payload.ok_or_else(oidc::unreadable)?;
    let aud = match payload.get("aud") {
        Some(a) => match a.items() {
            Some(items) => items.iter().filter_map(J::string).collect(),
            None => a.string().into_iter().collect(),
        },
        None => Vec::new(),
    };
    let claims = Claims {
        iss: payload.get_text("iss"),
        aud,
        nonce: payload.get_text("nonce"),
        exp: payload.get("exp").and_then(|v| v.number()),
        iat: payload.get("iat").and_then(|v| v.number()),
        azp: payload.get_text("azp"),
        sub: payload.get_text("sub"),
    };
    oidc::check_claims(&claims, issuer, client_id, nonce, now_secs)?;
    Ok(claims.sub)
}
