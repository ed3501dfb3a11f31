//! The whole sign-in, natively: a fake provider and popup answer the machine's effects. Each
//! scenario is a row of a table (what happens, then how the login call settles and what the
//! page saw); the helpers below play the interpreter's part.

use sha2::{Digest, Sha256};

use super::*;

/// The payload of an answer's `id_token`, as the interpreter hands it over once it verified the
/// signature (the tests' tokens are signed `sig`: anything else is a forgery).
fn claims(json: &V) -> Option<V> {
    let t = json.get_text("id_token")?;
    let mut parts = t.split('.');
    let (_, payload, sig) = (parts.next()?, parts.next()?, parts.next()?);
    let text = String::from_utf8(crate::b64::decode(payload)?).ok()?;
    (sig == "sig").then(|| V::parse(&text)).flatten()
}

/// A JSON value for the tests (what `JsValue` is in the browser).
#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
}

impl Json for V {
    fn get(&self, key: &str) -> Option<V> {
        match self {
            V::Obj(o) => o
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| *v != V::Null),
            _ => None,
        }
    }
    fn string(&self) -> Option<String> {
        match self {
            V::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn text(&self) -> Option<String> {
        match self {
            V::Str(s) => Some(s.clone()),
            V::Bool(b) => Some(b.to_string()),
            V::Num(n) => Some(n.to_string()),
            V::Arr(a) => Some(
                a.iter()
                    .map(|v| v.text().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            _ => None,
        }
    }
    fn items(&self) -> Option<Vec<V>> {
        match self {
            V::Arr(a) => Some(a.clone()),
            _ => None,
        }
    }
    fn to_json(&self) -> Option<String> {
        Some(match self {
            V::Null => "null".into(),
            V::Bool(b) => b.to_string(),
            V::Num(n) => n.to_string(),
            V::Str(s) => format!("\"{s}\""),
            V::Arr(a) => format!(
                "[{}]",
                a.iter()
                    .filter_map(V::to_json)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            V::Obj(o) => format!(
                "{{{}}}",
                o.iter()
                    .map(|(k, v)| format!("\"{k}\":{}", v.to_json().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        })
    }
    fn parse(text: &str) -> Option<V> {
        let mut p = Parser(text.trim().as_bytes(), 0);
        let v = p.value()?;
        (p.1 == p.0.len()).then_some(v)
    }
}

/// Enough of a JSON parser for ID token payloads (no escapes in strings).
struct Parser<'a>(&'a [u8], usize);

impl Parser<'_> {
    fn peek(&mut self) -> Option<u8> {
        while self.0.get(self.1).is_some_and(u8::is_ascii_whitespace) {
            self.1 += 1;
        }
        self.0.get(self.1).copied()
    }
    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.1 += 1)
    }
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let start = self.1;
        while *self.0.get(self.1)? != b'"' {
            self.1 += 1;
        }
        self.1 += 1;
        String::from_utf8(self.0[start..self.1 - 1].to_vec()).ok()
    }
    fn value(&mut self) -> Option<V> {
        match self.peek()? {
            b'"' => self.string().map(V::Str),
            b'{' => {
                self.1 += 1;
                let mut o = Vec::new();
                while self.eat(b'}').is_none() {
                    let _ = self.eat(b',');
                    let k = self.string()?;
                    self.eat(b':')?;
                    o.push((k, self.value()?));
                }
                Some(V::Obj(o))
            }
            b'[' => {
                self.1 += 1;
                let mut a = Vec::new();
                while self.eat(b']').is_none() {
                    let _ = self.eat(b',');
                    a.push(self.value()?);
                }
                Some(V::Arr(a))
            }
            _ => {
                let start = self.1;
                while self.0.get(self.1).is_some_and(|b| !b",}] \n".contains(b)) {
                    self.1 += 1;
                }
                let word = std::str::from_utf8(&self.0[start..self.1]).ok()?;
                match word {
                    "null" => Some(V::Null),
                    "true" => Some(V::Bool(true)),
                    "false" => Some(V::Bool(false)),
                    n => n.parse().ok().map(V::Num),
                }
            }
        }
    }
}

fn obj(pairs: &[(&str, &str)]) -> V {
    V::Obj(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), V::Str(v.to_string())))
            .collect(),
    )
}

fn form_obj(f: &Form) -> V {
    V::Obj(
        f.iter()
            .map(|(k, v)| (k.to_string(), V::Str(v.clone())))
            .collect(),
    )
}

const ISSUER: &str = "http://127.0.0.1:9/idp";
const CLIENT: &str = "wl-test";
const T0: f64 = 1_700_000_000_000.0;

/// The interpreter's part: the machine, the clock, every effect so far, and the fake provider's
/// settings.
struct H {
    l: Loader<V>,
    now: f64,
    log: Vec<Effect<V>>,
    seen: usize,
    next_call: CallId,
    /// The ID token's nonce (the request's by default).
    nonce: Option<String>,
    refresh_tokens: bool,
    /// Leaves [`Effect::Claim`] unanswered (else it is granted at once).
    claims_by_hand: bool,
    expires_in: f64,
    /// Discovery names the Live-style data API (`wl_api_base`); without it, a
    /// `userinfo_endpoint` (any OpenID provider).
    data_api: bool,
}

impl H {
    fn new() -> H {
        H {
            l: Loader::new(),
            now: T0,
            log: Vec::new(),
            seen: 0,
            next_call: 0,
            nonce: None,
            refresh_tokens: false,
            claims_by_hand: false,
            expires_in: 3600.0,
            data_api: true,
        }
    }

    fn step(&mut self, i: Input<V>) {
        let out = self.l.step(self.now, i);
        let claim = out.iter().any(|e| matches!(e, Effect::Claim(_)));
        self.log.extend(out);
        // A tab alone holds its refresh token: the claim is granted, unless a test answers it.
        if claim && !self.claims_by_hand {
            self.step(Input::Claimed(true));
        }
    }

    fn call(&mut self, c: Call<V>) -> CallId {
        self.next_call += 1;
        let id = self.next_call;
        self.step(Input::Call(id, c));
        id
    }

    fn advance(&mut self, ms: f64) {
        self.now += ms;
    }

    /// Effects since the last look.
    fn fresh(&mut self) -> Vec<Effect<V>> {
        let out = self.log[self.seen..].to_vec();
        self.seen = self.log.len();
        out
    }

    fn options(extra: &[(&str, &str)]) -> V {
        let mut o = vec![
            ("client_id", CLIENT),
            ("authority", ISSUER),
            ("redirect_uri", "http://127.0.0.1:9/callback.html"),
            ("timeout", "5000"),
        ];
        o.extend_from_slice(extra);
        obj(&o)
    }

    fn init_with(&mut self, extra: &[(&str, &str)], stored: Stored<V>) -> CallId {
        let options = H::options(extra);
        self.call(Call::Init { options, stored })
    }

    fn init(&mut self) -> CallId {
        self.init_with(&[], Stored::default())
    }

    fn login_with(&mut self, options: V, popup: bool) -> CallId {
        self.call(Call::Login {
            options,
            popup,
            random: (0..64).collect(),
            page: "http://127.0.0.1:9/page?x=1".into(),
        })
    }

    fn login(&mut self) -> CallId {
        self.login_with(obj(&[]), true)
    }

    /// The fetches not answered yet whose URL ends with `tail`.
    fn open_fetch(&self, tail: &str) -> Option<(ReqId, Option<Body>)> {
        self.log.iter().rev().find_map(|e| match e {
            Effect::Fetch { req, url, body, .. }
                if url.ends_with(tail) && self.l.waits.iter().any(|(r, _)| r == req) =>
            {
                Some((*req, body.clone()))
            }
            _ => None,
        })
    }

    fn reply(&mut self, req: ReqId, status: u16, json: V) {
        let r = Response {
            status,
            ok: (200..300).contains(&status),
            claims: claims(&json),
            json: Some(json),
            www_error: None,
            www_scope: None,
        };
        self.step(Input::Fetched(req, r));
    }

    /// Answers discovery if it is asked for.
    fn discovery(&mut self) {
        if let Some((req, _)) = self.open_fetch("/.well-known/openid-configuration") {
            let (k, v) = if self.data_api {
                ("wl_api_base", format!("{ISSUER}/v1/"))
            } else {
                ("userinfo_endpoint", format!("{ISSUER}/userinfo"))
            };
            let d = obj(&[
                ("issuer", ISSUER),
                ("authorization_endpoint", &format!("{ISSUER}/authorize")),
                ("token_endpoint", &format!("{ISSUER}/token")),
                ("revocation_endpoint", &format!("{ISSUER}/revoke")),
                ("jwks_uri", &format!("{ISSUER}/jwks")),
                (k, &v),
            ]);
            self.reply(req, 200, d);
        }
    }

    /// Answers the SHA-256 the machine asked for (`None`: no Web Crypto).
    fn hash(&mut self, crypto: bool) {
        let asked = self.log.iter().rev().find_map(|e| match e {
            Effect::Hash(req, text) => Some((*req, text.clone())),
            _ => None,
        });
        if let Some((req, text)) = asked {
            let digest = crypto.then(|| Sha256::digest(text.as_bytes()).to_vec());
            self.step(Input::Hashed(req, digest));
        }
    }

    /// A parameter of the last authorization request.
    fn sent(&self, name: &str) -> Option<String> {
        self.log.iter().rev().find_map(|e| match e {
            Effect::Navigate { query, .. } | Effect::Redirect { query, .. } => query
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone()),
            _ => None,
        })
    }

    /// Login up to the popup at the provider.
    fn at_provider(&mut self) -> CallId {
        let id = self.login();
        self.discovery();
        self.hash(true);
        id
    }

    /// A whole popup sign-in: login, the provider's answer `c1` on the callback channel, the
    /// token endpoint's answer.
    fn sign_in(&mut self) {
        self.at_provider();
        let a = self.answer("c1");
        self.step(Input::Message(a, Source::Channel));
        self.token();
    }

    /// The callback's answer for the last request (`code`), as its query's parameters.
    fn answer(&self, code: &str) -> V {
        obj(&[
            ("code", code),
            ("state", &self.sent("state").unwrap_or_default()),
        ])
    }

    fn id_token(&self, nonce: &str) -> String {
        let payload = format!(
            r#"{{"iss":"{ISSUER}","aud":["x","{CLIENT}"],"azp":"{CLIENT}","sub":"alice","exp":{},"iat":{},"nonce":"{nonce}"}}"#,
            (self.now / 1000.0) as u64 + 600,
            (self.now / 1000.0) as u64
        );
        format!("e30.{}.sig", crate::b64::encode(payload.as_bytes()))
    }

    /// Answers the token endpoint's open request (a code exchange or a refresh).
    fn token(&mut self) {
        let Some((req, body)) = self.open_fetch("/token") else {
            return;
        };
        let Some(Body::Form(f)) = body else { return };
        let get = |k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        let grant = get("grant_type").unwrap_or_default();
        let mut o = vec![
            ("token_type", "Bearer".to_string()),
            ("scope", "openid wl.signin".into()),
        ];
        if grant == "refresh_token" {
            o.push(("access_token", "at-renewed".into()));
        } else {
            let code = get("code").unwrap_or_default();
            let nonce = self
                .nonce
                .clone()
                .or_else(|| self.sent("nonce"))
                .unwrap_or_default();
            o.push(("access_token", ["at-", &code].concat()));
            o.push(("id_token", self.id_token(&nonce)));
            if self.refresh_tokens {
                o.push(("refresh_token", ["rt-", &code].concat()));
            }
        }
        let mut v: Vec<(String, V)> = o
            .into_iter()
            .map(|(k, v)| (k.to_string(), V::Str(v)))
            .collect();
        v.push(("expires_in".into(), V::Num(self.expires_in)));
        self.reply(req, 200, V::Obj(v));
    }

    /// How call `id` settled: `Ok(access token or "")` or `Err(code)`; `None`: pending.
    fn outcome(&self, id: CallId) -> Option<Result<String, String>> {
        self.log.iter().find_map(|e| match e {
            Effect::Resolve(c, a) if *c == id => Some(Ok(match a {
                Answer::Status(Some(s)) | Answer::Session(Some(s)) => s.access_token.clone(),
                _ => String::new(),
            })),
            Effect::Reject(c, e) if *c == id => Some(Err(e.code().to_string())),
            _ => None,
        })
    }

    /// The page's events, by name (`wl.log` as its code or level).
    fn events(&self) -> Vec<String> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Effect::Emit(Event::Login(_)) => Some("auth.login".into()),
                Effect::Emit(Event::Logout) => Some("auth.logout".into()),
                Effect::Emit(Event::SessionChange(s)) => Some(format!(
                    "sessionChange:{}",
                    s.as_ref().map_or("null", |s| s.access_token.as_str())
                )),
                Effect::Emit(Event::StatusChange(s)) => Some(format!(
                    "statusChange:{}",
                    if s.is_some() {
                        "connected"
                    } else {
                        "notConnected"
                    }
                )),
                Effect::Emit(Event::Log(level, code, _)) => Some(format!(
                    "log:{}",
                    code.clone()
                        .unwrap_or_else(|| format!("{level:?}").to_lowercase())
                )),
                _ => None,
            })
            .collect()
    }

    fn armed(&self, t: Timer) -> Option<f64> {
        let mut at = None;
        for e in &self.log {
            match e {
                Effect::Arm(x, ms) if *x == t => at = Some(*ms),
                Effect::Disarm(x) if *x == t => at = None,
                _ => {}
            }
        }
        at
    }

    fn popup_closed(&self, call: CallId) -> bool {
        self.log
            .iter()
            .any(|e| matches!(e, Effect::ClosePopup(c) if *c == call))
    }

    /// Fires the renewal timer until it does something (a wait longer than a timer can take is
    /// taken in steps): a refresh, the end of the session, or (`local` storage) asking for the
    /// renewal lock.
    fn renew(&mut self) {
        for _ in 0..20 {
            let Some(due) = self.armed(Timer::Renew) else {
                return;
            };
            self.advance(due);
            let n = self.log.len();
            self.step(Input::Timer(Timer::Renew, false));
            let locking = self.log[n..]
                .iter()
                .any(|e| matches!(e, Effect::Lock | Effect::Claim(_)));
            if locking || self.open_fetch("/token").is_some() || self.l.session().is_none() {
                return;
            }
        }
    }

    fn poll(&mut self, closed: bool) {
        self.advance(POLL_MS);
        self.step(Input::Timer(Timer::Poll, closed));
    }
}

type Script = fn(&mut H, CallId);

/// A row: its name, what happens, how the login settles (`Err("pending")`: it does not), the
/// page's events.
type Row = (
    &'static str,
    Script,
    Result<&'static str, &'static str>,
    &'static [&'static str],
);

/// A popup sign-in from the click to its end: (what happens once the popup is at the provider,
/// how the login settles, the page's events after `WL.init`).
const POPUP: &[Row] = &[
    (
        "the answer on BroadcastChannel signs in",
        |h, _| {
            let a = h.answer("c1");
            h.step(Input::Message(a, Source::Channel));
            h.token();
        },
        Ok("at-c1"),
        &[
            "auth.login",
            "sessionChange:at-c1",
            "statusChange:connected",
        ],
    ),
    (
        "the answer posted by the popup signs in",
        |h, _| {
            let a = h.answer("c2");
            h.step(Input::Message(a, Source::Popup));
            h.token();
        },
        Ok("at-c2"),
        &[
            "auth.login",
            "sessionChange:at-c2",
            "statusChange:connected",
        ],
    ),
    (
        "popup cancelled: closed by the person, seen twice",
        |h, _| {
            h.advance(COOP_WINDOW_MS);
            h.poll(false);
            h.poll(true);
            h.poll(true);
        },
        Err("user_canceled"),
        &["log:user_canceled"],
    ),
    (
        "COOP cut: closed at once, the answer still comes on the channel",
        |h, _| {
            h.poll(true);
            h.poll(true);
            h.advance(10_000.0);
            h.poll(true);
            let a = h.answer("c3");
            h.step(Input::Message(a, Source::Channel));
            h.token();
        },
        Ok("at-c3"),
        &[
            "log:info",
            "auth.login",
            "sessionChange:at-c3",
            "statusChange:connected",
        ],
    ),
    (
        "COOP cut and no answer: timed out",
        |h, _| {
            h.poll(true);
            h.advance(5000.0);
            h.step(Input::Timer(Timer::Timeout, true));
        },
        Err("timed_out"),
        &["log:info", "log:timed_out"],
    ),
    (
        "no answer in time: timed out",
        |h, _| {
            h.poll(false);
            h.advance(5000.0);
            h.step(Input::Timer(Timer::Timeout, false));
        },
        Err("timed_out"),
        &["log:timed_out"],
    ),
    (
        "state mismatch from our popup: invalid_state",
        |h, _| {
            h.step(Input::Message(
                obj(&[("code", "c"), ("state", "other")]),
                Source::Popup,
            ))
        },
        Err("invalid_state"),
        &["log:invalid_state"],
    ),
    (
        "another tab's answer is ignored",
        |h, _| {
            h.step(Input::Message(
                obj(&[("code", "c"), ("state", "other")]),
                Source::Other,
            ));
            h.step(Input::Message(
                obj(&[("code", "c"), ("state", "other")]),
                Source::Channel,
            ));
            h.step(Input::Message(
                obj(&[("error", "access_denied")]),
                Source::Other,
            ));
            // Anyone can open callback.html?error=… in a window of the site: on the channel an
            // error without our state does not end the sign-in.
            h.step(Input::Message(
                obj(&[("error", "access_denied")]),
                Source::Channel,
            ));
        },
        Err("pending"),
        &[],
    ),
    (
        "a denial with our state: access_denied",
        |h, _| {
            let s = h.sent("state").unwrap_or_default();
            let a = obj(&[("error", "access_denied"), ("state", &s)]);
            h.step(Input::Message(a, Source::Channel));
        },
        Err("access_denied"),
        &["log:access_denied"],
    ),
    (
        "an error without state from our popup is the provider's error",
        |h, _| {
            let a = obj(&[("error", "server_error"), ("error_description", "down")]);
            h.step(Input::Message(a, Source::Popup));
        },
        Err("server_error"),
        &["log:server_error"],
    ),
    (
        "a code without state is never accepted",
        |h, _| h.step(Input::Message(obj(&[("code", "c")]), Source::Popup)),
        Err("invalid_state"),
        &["log:invalid_state"],
    ),
    (
        "an ID token for another nonce: invalid_state",
        |h, _| {
            h.nonce = Some("not-ours".into());
            let a = h.answer("c4");
            h.step(Input::Message(a, Source::Channel));
            h.token();
        },
        Err("invalid_state"),
        &["log:invalid_state"],
    ),
    (
        "an ID token whose signature does not verify: invalid_token",
        |h, _| {
            let a = h.answer("c6");
            h.step(Input::Message(a, Source::Channel));
            let (req, _) = h.open_fetch("/token").expect("token request");
            let nonce = h.sent("nonce").unwrap_or_default();
            let forged = h.id_token(&nonce).replace(".sig", ".forged");
            h.reply(
                req,
                200,
                obj(&[("access_token", "at-c6"), ("id_token", &forged)]),
            );
        },
        Err("invalid_token"),
        &["log:invalid_token"],
    ),
    (
        "the token endpoint refuses the code",
        |h, _| {
            let a = h.answer("c5");
            h.step(Input::Message(a, Source::Channel));
            let (req, _) = h.open_fetch("/token").expect("token request");
            h.reply(req, 400, obj(&[("error", "invalid_grant")]));
        },
        Err("invalid_grant"),
        &["log:invalid_grant"],
    ),
    (
        "the token endpoint cannot be reached",
        |h, _| {
            let a = h.answer("c6");
            h.step(Input::Message(a, Source::Channel));
            let (req, _) = h.open_fetch("/token").expect("token request");
            h.step(Input::FetchFailed(req, format!("{ISSUER}/token")));
        },
        Err("connection_failed"),
        &["log:connection_failed"],
    ),
    (
        "a second login cancels the first",
        |h, _| {
            let second = h.at_provider();
            assert_eq!(h.outcome(second), None);
        },
        Err("request_canceled"),
        &["log:request_canceled"],
    ),
    (
        "a login while the code exchange is in flight cancels the exchange",
        |h, _| {
            let a = h.answer("c7");
            h.step(Input::Message(a, Source::Channel));
            let second = h.login();
            h.token();
            assert_eq!(h.outcome(second), None);
        },
        Err("request_canceled"),
        &["log:request_canceled"],
    ),
    (
        "logout cancels a pending login",
        |h, _| {
            let out = h.call(Call::Logout);
            assert_eq!(h.outcome(out), Some(Ok(String::new())));
        },
        Err("request_canceled"),
        &["log:request_canceled"],
    ),
    (
        "logout while the code exchange is in flight stays signed out",
        |h, _| {
            let a = h.answer("c8");
            h.step(Input::Message(a, Source::Channel));
            h.call(Call::Logout);
            h.token();
            assert!(h.l.session().is_none());
        },
        Err("request_canceled"),
        &["log:request_canceled"],
    ),
    (
        "the popup was closed before it could go: user_canceled",
        |h, _| h.step(Input::PopupLost { closed: true }),
        Err("user_canceled"),
        &["log:user_canceled"],
    ),
    (
        "the popup could not be navigated: popup_blocked",
        |h, _| h.step(Input::PopupLost { closed: false }),
        Err("popup_blocked"),
        &["log:popup_blocked"],
    ),
];

#[test]
fn popup_sign_in_table() {
    for (name, script, want, events) in POPUP {
        let mut h = H::new();
        h.init();
        let start = h.events().len();
        let id = h.at_provider();
        assert!(
            h.sent("state").is_some(),
            "{name}: the popup went to the provider"
        );
        script(&mut h, id);
        let got = h.outcome(id);
        match want {
            Err("pending") => assert_eq!(got, None, "{name}"),
            Ok(t) => assert_eq!(got, Some(Ok(t.to_string())), "{name}"),
            Err(c) => assert_eq!(got, Some(Err(c.to_string())), "{name}"),
        }
        if got.is_some() && h.l.watch.is_none() {
            assert!(h.popup_closed(id), "{name}: the popup is closed");
            assert_eq!(h.armed(Timer::Poll), None, "{name}: no poll left");
            assert_eq!(h.armed(Timer::Timeout), None, "{name}: no timeout left");
        }
        assert_eq!(
            h.events()[start..],
            events.iter().map(|e| e.to_string()).collect::<Vec<_>>()[..],
            "{name}"
        );
    }
}

#[test]
fn the_authorization_request() {
    let mut h = H::new();
    h.init();
    h.at_provider();
    let nav = h.log.iter().find_map(|e| match e {
        Effect::Navigate { url, query, .. } => Some((url.clone(), query.clone())),
        _ => None,
    });
    let (url, query) = nav.expect("navigated");
    assert_eq!(url, format!("{ISSUER}/authorize"));
    let get = |k: &str| query.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("scope"), Some("openid wl.signin"));
    assert_eq!(get("display"), Some("popup"));
    assert_eq!(get("code_challenge_method"), Some("S256"));
    // The verifier is the machine's (base64url of the first 32 bytes), the digest the host's.
    let verifier = crate::pkce::verifier(&(0..32).collect::<Vec<u8>>());
    let challenge = crate::pkce::challenge(&Sha256::digest(verifier.as_bytes()));
    assert_eq!(get("code_challenge"), Some(challenge.as_str()));
    assert_eq!(
        get("state"),
        Some(crate::state::random_token(&(32..48).collect::<Vec<u8>>()).as_str())
    );
    assert_eq!(h.armed(Timer::Timeout), Some(5000.0));
    assert_eq!(h.armed(Timer::Poll), Some(POLL_MS));
}

/// Logins that never open the provider, or leave the page.
#[test]
fn login_without_a_popup() {
    // Not configured.
    let mut h = H::new();
    let id = h.login();
    assert_eq!(h.outcome(id), Some(Err("invalid_request".into())));

    // No popup and no fallback: blocked. With the fallback: the page goes (redirect mode).
    let mut h = H::new();
    h.init();
    let id = h.login_with(obj(&[]), false);
    assert_eq!(h.outcome(id), Some(Err("popup_blocked".into())));
    let id = h.login_with(obj(&[("fallback", "redirect")]), false);
    h.discovery();
    h.hash(true);
    assert_eq!(h.outcome(id), None);
    let record = h.log.iter().find_map(|e| match e {
        Effect::Redirect { record, .. } => Some(record.clone()),
        _ => None,
    });
    let record = record.expect("redirect");
    assert!(record.contains(&("return_url", "http://127.0.0.1:9/page?x=1".into())));
    assert_eq!(h.sent("display"), None);
    // No sessionStorage for the record: it stays and rejects.
    h.step(Input::StoreFailed(id));
    assert_eq!(h.outcome(id), Some(Err("invalid_request".into())));

    // The person went back from the provider to this very page (Back, the back/forward
    // cache): the sign-in is over, as when a popup is closed. The page shown again without
    // that (another tab, then this one) is not it.
    let id = h.login_with(obj(&[("mode", "redirect")]), false);
    h.hash(true);
    h.step(Input::Woke { restored: false });
    assert_eq!(h.outcome(id), None);
    h.step(Input::Woke { restored: true });
    assert_eq!(h.outcome(id), Some(Err("user_canceled".into())));
    let n = h.log.len();
    h.step(Input::Woke { restored: true });
    assert!(
        h.log[n..].iter().all(|e| !matches!(e, Effect::Reject(..))),
        "once"
    );

    // No Web Crypto.
    let id = h.login();
    h.hash(false);
    assert_eq!(h.outcome(id), Some(Err("invalid_request".into())));

    // Nothing missing: the session at once, the popup closed.
    let mut h = H::new();
    h.init();
    h.sign_in();
    let id = h.login_with(obj(&[("scope", "wl.signin")]), true);
    assert_eq!(h.outcome(id), Some(Ok("at-c1".into())));
    assert!(h.popup_closed(id));
    // A scope the session lacks: the union is asked for.
    let id = h.login_with(obj(&[("scope", "wl.contacts")]), true);
    h.hash(true);
    assert_eq!(h.outcome(id), None);
    assert_eq!(
        h.sent("scope").as_deref(),
        Some("openid wl.signin wl.contacts")
    );
}

/// The session: restore, refresh, expiry, 401, logout.
#[test]
fn refresh_renews_the_session() {
    let mut h = signed_in_renewable();
    let due = h.armed(Timer::Renew).expect("renewal armed");
    assert_eq!(due, (3600.0 - 60.0) * 1000.0);
    h.fresh();
    h.renew();
    let (_, body) = h.open_fetch("/token").expect("refresh grant");
    assert!(matches!(body, Some(Body::Form(f)) if f.contains(&("refresh_token", "rt-c1".into()))));
    h.token();
    assert_eq!(
        h.l.session().map(|s| s.access_token.as_str()),
        Some("at-renewed")
    );
    // The refresh token stays, and the stored form follows.
    assert_eq!(
        h.l.session().and_then(|s| s.refresh_token.as_deref()),
        Some("rt-c1")
    );
    let stored = h.fresh().into_iter().find_map(|e| match e {
        Effect::Store(Key::Session, Area::Session, Some(f)) => Some(f),
        _ => None,
    });
    assert!(
        stored
            .expect("stored")
            .contains(&("access_token", "at-renewed".into()))
    );
    assert!(
        h.events()
            .ends_with(&["sessionChange:at-renewed".to_string()])
    );
}

/// A token shorter than two minutes is renewed half-way through its life, when the timer armed
/// for that fires. A timer that fires early re-arms for what is left; it does not work the
/// half-way point out again from the later time, which would slide the renewal toward expiry
/// (a 10 s token was renewed 1.2 s before it expired, after three timers).
#[test]
fn a_short_token_is_renewed_half_way_through_its_life() {
    let mut h = H::new();
    h.refresh_tokens = true;
    h.expires_in = 10.0;
    h.init();
    h.sign_in();
    let due = h.armed(Timer::Renew).expect("renewal armed");
    assert!((4000.0..=5000.0).contains(&due), "half-way: {due}");
    h.fresh();
    h.advance(due - 2000.0);
    h.step(Input::Timer(Timer::Renew, false));
    assert_eq!(
        h.armed(Timer::Renew),
        Some(2000.0),
        "early: the rest of the wait"
    );
    assert!(h.open_fetch("/token").is_none());
    h.advance(2000.0);
    h.step(Input::Timer(Timer::Renew, false));
    assert!(h.open_fetch("/token").is_some(), "renewed when due");

    // A retry after a failed network is due when its own timer fires, too.
    let mut h = signed_in_renewable();
    h.renew();
    let (req, _) = h.open_fetch("/token").expect("refresh");
    h.step(Input::FetchFailed(req, "x".into()));
    assert_eq!(h.armed(Timer::Renew), Some(RETRY_MS));
    h.advance(RETRY_MS);
    h.step(Input::Timer(Timer::Renew, false));
    assert!(h.open_fetch("/token").is_some(), "retried after RETRY_MS");
}

/// The token a fetch to a URL ending with `tail` was sent with (the last such fetch).
fn sent_with(h: &H, tail: &str) -> Option<String> {
    h.log.iter().rev().find_map(|e| match e {
        Effect::Fetch { url, token, .. } if url.ends_with(tail) => token.clone(),
        _ => None,
    })
}

/// How many refresh grants were asked for.
fn refreshes(h: &H) -> usize {
    h.log
        .iter()
        .filter(|e| {
            matches!(e, Effect::Fetch { body: Some(Body::Form(f)), .. }
                if f.iter().any(|(k, v)| *k == "grant_type" && v == "refresh_token"))
        })
        .count()
}

#[test]
fn a_session_past_its_expiry_is_renewed_when_asked_for() {
    // The computer slept past the access token's expiry: the renewal timer has not run (it runs
    // late, by as long as the computer slept), and the page asks first.
    let asleep = || {
        let mut h = signed_in_renewable();
        h.advance(3_700_000.0);
        h.fresh();
        h
    };
    let me = || Call::Api {
        options: V::Str("me".into()),
        query: None,
    };
    let mut h = asleep();
    let s = h.call(Call::GetSession);
    assert_eq!(
        h.outcome(s),
        Some(Ok(String::new())),
        "no session to give yet"
    );
    assert!(h.l.session().is_some(), "but none ended");
    let n = h.events().len();
    assert!(h.open_fetch("/token").is_some(), "the renewal starts");
    let (api, status) = (h.call(me()), h.call(Call::GetLoginStatus));
    h.call(Call::GetSession);
    h.step(Input::Woke { restored: false });
    h.step(Input::Timer(Timer::Renew, false));
    assert_eq!(refreshes(&h), 1, "one renewal however often it is asked");
    assert_eq!(
        (h.outcome(api), h.outcome(status)),
        (None, None),
        "they wait"
    );
    h.token();
    assert_eq!(h.outcome(status), Some(Ok("at-renewed".into())));
    assert_eq!(sent_with(&h, "/v1/me").as_deref(), Some("at-renewed"));
    assert!(h.outcome(api).is_none(), "sent with the renewed token");
    assert_eq!(
        h.events()[n..],
        ["sessionChange:at-renewed"],
        "a renewal, no end"
    );

    // The network is down (the computer woke before it did): what waited fails as the renewal
    // did, and the session stays, to be renewed in 30 s or once the network is back.
    let mut h = asleep();
    let n = h.events().len();
    let api = h.call(me());
    let (req, _) = h.open_fetch("/token").expect("refresh");
    h.step(Input::FetchFailed(req, "x".into()));
    assert_eq!(h.outcome(api), Some(Err("connection_failed".into())));
    assert!(h.l.session().is_some());
    assert!(
        !h.events()[n..]
            .iter()
            .any(|e| e.starts_with("sessionChange"))
    );
    assert_eq!(h.armed(Timer::Renew), Some(RETRY_MS));
    h.step(Input::Woke { restored: false });
    assert_eq!(refreshes(&h), 2, "back online: at once");

    // The provider refuses it: the session ends, and what waited answers as signed out.
    let mut h = asleep();
    let (api, status) = (h.call(me()), h.call(Call::GetLoginStatus));
    let (req, _) = h.open_fetch("/token").expect("refresh");
    h.reply(req, 400, obj(&[("error", "invalid_grant")]));
    assert!(h.l.session().is_none());
    assert_eq!(h.outcome(api), Some(Err("invalid_request".into())));
    assert_eq!(h.outcome(status), Some(Ok(String::new())));

    // Without a refresh token, an expired session ends when asked for, as before.
    let mut h = H::new();
    h.init();
    h.sign_in();
    h.advance(3_700_000.0);
    h.call(Call::GetSession);
    assert!(h.l.session().is_none());
    assert!(h.events().ends_with(&[
        "sessionChange:null".into(),
        "statusChange:notConnected".into()
    ]));
}

#[test]
fn waking_looks_at_the_renewal_by_the_wall_clock() {
    let mut h = signed_in_renewable();
    let due = h.armed(Timer::Renew).expect("renewal armed");
    // Awake again before it is due: the late timer is armed again for what is left.
    h.advance(due / 2.0);
    h.step(Input::Woke { restored: false });
    assert_eq!(h.armed(Timer::Renew), Some(due / 2.0));
    assert_eq!(refreshes(&h), 0);
    // Awake after it was due, the token still live: renewed now, once.
    h.advance(due);
    h.step(Input::Woke { restored: false });
    h.step(Input::Woke { restored: false });
    assert_eq!(refreshes(&h), 1);
    h.token();
    assert_eq!(
        h.l.session().map(|s| s.access_token.as_str()),
        Some("at-renewed")
    );
    // Signed out: nothing to renew.
    h.call(Call::Logout);
    h.advance(due * 3.0);
    h.step(Input::Woke { restored: false });
    assert_eq!(refreshes(&h), 1);
}

#[test]
fn renewal_failures() {
    let signed_in = |refresh: bool| {
        let mut h = H::new();
        h.refresh_tokens = refresh;
        h.init();
        h.sign_in();
        h.renew();
        h
    };
    // The network failed: again in 30 s.
    let mut h = signed_in(true);
    let (req, _) = h.open_fetch("/token").expect("refresh");
    h.step(Input::FetchFailed(req, "x".into()));
    assert_eq!(h.armed(Timer::Renew), Some(RETRY_MS));
    assert!(h.l.session().is_some());
    // The provider refused: the session ends.
    let mut h = signed_in(true);
    let (req, _) = h.open_fetch("/token").expect("refresh");
    h.reply(req, 400, obj(&[("error", "invalid_grant")]));
    assert!(h.l.session().is_none());
    assert!(h.events().ends_with(&[
        "log:invalid_grant".to_string(),
        "sessionChange:null".into(),
        "statusChange:notConnected".into()
    ]));
    // A renewal answering after a logout is dropped: the logout's events fire once.
    let mut h = signed_in(true);
    h.call(Call::Logout);
    h.token();
    assert!(h.l.session().is_none());
    let n = h
        .events()
        .iter()
        .filter(|e| *e == "sessionChange:null")
        .count();
    assert_eq!(n, 1);
    // Without a refresh token the session ends at expiry.
    let h = signed_in(false);
    assert!(h.l.session().is_none());
    assert!(h.events().ends_with(&[
        "log:info".to_string(),
        "sessionChange:null".into(),
        "statusChange:notConnected".into()
    ]));
}

/// A renewal's ID token must be the sign-in's person, for this client, from this provider, and
/// not expired (OpenID Connect Core §12.2), or the session ends (`invalid_token`): a token
/// endpoint answer swapped for another person's, another site's or a forged one does not become
/// the session. One that passes replaces the session's ID token.
#[test]
fn a_renewed_id_token_must_name_the_same_person() {
    // Renews with an ID token from `iss`, for `aud`, naming `sub`, expiring `exp` s after now.
    let renewal = |iss: &str, aud: &str, sub: &str, exp: i64, sig: &str| {
        let mut h = signed_in_renewable();
        h.renew();
        let (req, _) = h.open_fetch("/token").expect("refresh");
        let now = (h.now / 1000.0) as i64;
        let payload = format!(
            r#"{{"iss":"{iss}","aud":"{aud}","sub":"{sub}","exp":{},"iat":{now}}}"#,
            now + exp
        );
        let id_token = format!("e30.{}.{sig}", crate::b64::encode(payload.as_bytes()));
        let answer = obj(&[
            ("access_token", "at-renewed"),
            ("token_type", "Bearer"),
            ("id_token", &id_token),
        ]);
        h.reply(req, 200, answer);
        (h, id_token)
    };
    // The same person: renewed, the new ID token kept (no nonce needed).
    let (h, id_token) = renewal(ISSUER, CLIENT, "alice", 600, "sig");
    let s = h.l.session().expect("renewed");
    assert_eq!(s.access_token, "at-renewed");
    assert_eq!(s.id_token.as_deref(), Some(id_token.as_str()));
    assert_eq!(s.user_id.as_deref(), Some("alice"));
    let evil = "http://127.0.0.1:9/evil";
    for (iss, aud, sub, exp, sig, what) in [
        (ISSUER, CLIENT, "mallory", 600, "sig", "another person"),
        (
            ISSUER,
            "another-site",
            "alice",
            600,
            "sig",
            "another client",
        ),
        (evil, CLIENT, "alice", 600, "sig", "another issuer"),
        (ISSUER, CLIENT, "alice", -3600, "sig", "expired"),
        (
            ISSUER,
            CLIENT,
            "alice",
            600,
            "forged",
            "not signed with the keys",
        ),
    ] {
        let (h, _) = renewal(iss, aud, sub, exp, sig);
        assert!(h.l.session().is_none(), "{what}: the session ends");
        assert!(
            h.events().ends_with(&[
                "log:invalid_token".to_string(),
                "sessionChange:null".into(),
                "statusChange:notConnected".into()
            ]),
            "{what}: {:?}",
            h.events()
        );
    }
}

/// A session's storage form, as a tab stores it: `token` (and `refresh`), for `user`, expiring
/// in `expires_in` s.
fn session_form(
    h: &H,
    token: &str,
    refresh: Option<&str>,
    user: Option<&str>,
    expires_in: f64,
) -> V {
    let t = TokenResponse {
        access_token: token.into(),
        expires_in: Some(expires_in),
        scope: Some("openid wl.signin".into()),
        refresh_token: refresh.map(Into::into),
        id_token: None,
    };
    let mut s = Session::from_token(CLIENT, t, &Scopes::default(), h.now / 1000.0, None);
    s.user_id = user.map(Into::into);
    form_obj(&s.fields())
}

fn stored_session(h: &H, expires_in: f64, refresh: bool) -> V {
    session_form(
        h,
        "at-stored",
        refresh.then_some("rt-stored"),
        None,
        expires_in,
    )
}

/// `WL.init` on a stored session whose access token expired 10 s ago, with its refresh token:
/// the init call and its refresh grant, not answered yet.
fn init_on_expired(h: &mut H) -> (CallId, ReqId) {
    let stored = Stored {
        session: Some(stored_session(h, -10.0, true)),
        ..Stored::default()
    };
    let id = h.init_with(&[], stored);
    h.discovery();
    let (req, _) = h.open_fetch("/token").expect("refresh");
    (id, req)
}

#[test]
fn init_restores_the_stored_session() {
    // (stored: expires in, refresh token; storage; the session after init; its events)
    type Case = (
        f64,
        bool,
        &'static str,
        Option<&'static str>,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            3600.0,
            false,
            "session",
            Some("at-stored"),
            &["sessionChange:at-stored", "statusChange:connected"],
        ),
        (3600.0, false, "local", None, &["statusChange:notConnected"]),
        (
            3600.0,
            false,
            "memory",
            None,
            &["statusChange:notConnected"],
        ),
        (
            -10.0,
            false,
            "session",
            None,
            &["statusChange:notConnected"],
        ),
        (
            -10.0,
            true,
            "session",
            Some("at-renewed"),
            &["sessionChange:at-renewed", "statusChange:connected"],
        ),
    ];
    for (i, (expires_in, refresh, storage, want, events)) in cases.iter().enumerate() {
        let mut h = H::new();
        let stored = Stored {
            session: Some(stored_session(&h, *expires_in, *refresh)),
            ..Stored::default()
        };
        let id = h.init_with(&[("storage", storage)], stored);
        h.discovery();
        h.token();
        assert_eq!(
            h.outcome(id),
            Some(Ok(want.unwrap_or("").to_string())),
            "case {i}"
        );
        assert_eq!(
            h.events(),
            events.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            "case {i}"
        );
    }
    // An expired session whose renewal fails is dropped from storage.
    let mut h = H::new();
    let (id, req) = init_on_expired(&mut h);
    h.reply(req, 400, obj(&[("error", "invalid_grant")]));
    assert_eq!(h.outcome(id), Some(Ok(String::new())));
    assert!(
        h.log
            .iter()
            .any(|e| matches!(e, Effect::Store(Key::Session, Area::Session, None)))
    );
    // The provider cannot be reached (a browser restoring its tabs before the computer is
    // online): the stored session stays, signed out until a renewal works, in 30 s or once the
    // network is back.
    let restoring_offline = || {
        let mut h = H::new();
        h.refresh_tokens = true;
        let (id, req) = init_on_expired(&mut h);
        h.step(Input::FetchFailed(req, "x".into()));
        assert_eq!(h.outcome(id), Some(Ok(String::new())), "signed out for now");
        assert!(h.l.session().is_some());
        assert!(
            !h.log
                .iter()
                .any(|e| matches!(e, Effect::Store(Key::Session, _, None)))
        );
        assert_eq!(h.armed(Timer::Renew), Some(RETRY_MS));
        // Asking for the session meanwhile does not send a renewal each time.
        h.call(Call::GetSession);
        assert_eq!(refreshes(&h), 1);
        h
    };
    let mut h = restoring_offline();
    h.step(Input::Woke { restored: false });
    h.token();
    assert_eq!(
        h.events(),
        [
            "log:connection_failed",
            "statusChange:notConnected",
            "sessionChange:at-renewed",
            "statusChange:connected"
        ]
    );
    let stored = h.log.iter().rev().find_map(|e| match e {
        Effect::Store(Key::Session, Area::Session, Some(f)) => Some(f.clone()),
        _ => None,
    });
    assert!(stored.is_some_and(|f| f.contains(&("access_token", "at-renewed".into()))));
    // The timer's retry, refused by the provider: now it is dropped.
    let mut h = restoring_offline();
    h.advance(RETRY_MS);
    h.step(Input::Timer(Timer::Renew, false));
    let (req, _) = h.open_fetch("/token").expect("retried");
    h.reply(req, 400, obj(&[("error", "invalid_grant")]));
    assert!(h.l.session().is_none());
    assert!(
        h.log
            .iter()
            .any(|e| matches!(e, Effect::Store(Key::Session, _, None)))
    );

    // A second init: a warning, the status.
    let mut h = H::new();
    h.init();
    let again = h.init();
    assert_eq!(h.outcome(again), Some(Ok(String::new())));
    assert!(h.events().contains(&"log:warning".to_string()));
}

#[test]
fn init_finishes_a_redirect_sign_in() {
    for from_url in [false, true] {
        let mut h = H::new();
        h.init();
        let id = h.login_with(obj(&[("mode", "redirect")]), false);
        h.discovery();
        h.hash(true);
        let record = h.log.iter().find_map(|e| match e {
            Effect::Redirect { record, .. } => Some(form_obj(record)),
            _ => None,
        });
        assert_eq!(h.outcome(id), None);
        // The page comes back: a new loader, the record and the answer in storage.
        let answer = h.answer("r1");
        let nonce = h.sent("nonce");
        let mut h = H::new();
        h.nonce = nonce;
        let stored = Stored {
            redirect: record,
            redirect_result: (!from_url).then(|| answer.clone()),
            page_query: from_url.then_some(answer),
            ..Stored::default()
        };
        let id = h.init_with(&[], stored);
        h.discovery();
        h.token();
        assert_eq!(h.outcome(id), Some(Ok("at-r1".into())));
        assert_eq!(
            h.events(),
            [
                "auth.login",
                "sessionChange:at-r1",
                "statusChange:connected"
            ]
        );
        let cleaned = h.log.iter().any(|e| matches!(e, Effect::CleanUrl));
        assert_eq!(cleaned, from_url);
    }
}

#[test]
fn api_calls_and_401() {
    let mut h = H::new();
    h.init();
    // Not signed in.
    let id = h.call(Call::Api {
        options: V::Str("me".into()),
        query: None,
    });
    assert_eq!(h.outcome(id), Some(Err("invalid_request".into())));
    h.sign_in();
    let api = |h: &mut H, status: u16, json: V, www: Option<(&str, &str)>| {
        let options = V::Obj(vec![
            ("path".into(), V::Str("/v1/me/friends".into())),
            ("method".into(), V::Str("post".into())),
            ("body".into(), obj(&[("a", "1")])),
        ]);
        let id = h.call(Call::Api {
            options,
            query: Some(obj(&[("$top", "5")])),
        });
        let fetch = h.log.iter().rev().find_map(|e| match e {
            Effect::Fetch {
                req,
                url,
                query,
                method,
                token,
                body,
                ..
            } => Some((
                *req,
                url.clone(),
                query.clone(),
                method.clone(),
                token.clone(),
                body.clone(),
            )),
            _ => None,
        });
        let (req, url, query, method, token, body) = fetch.expect("fetch");
        assert_eq!(url, format!("{ISSUER}/v1/me/friends"));
        assert_eq!(query, Some(obj(&[("$top", "5")])));
        assert_eq!(method, "POST");
        assert_eq!(token.as_deref(), Some("at-c1"));
        assert_eq!(body, Some(Body::Json(r#"{"a":"1"}"#.into())));
        let r = Response {
            status,
            ok: status < 300,
            json: Some(json),
            www_error: www.map(|w| w.0.to_string()),
            www_scope: www.map(|w| w.1.to_string()),
            claims: None,
        };
        h.step(Input::Fetched(req, r));
        h.outcome(id)
    };
    assert_eq!(
        api(&mut h, 200, obj(&[("id", "x")]), None),
        Some(Ok(String::new()))
    );
    let e = api(
        &mut h,
        403,
        V::Null,
        Some(("insufficient_scope", "wl.contacts")),
    );
    assert_eq!(e, Some(Err("insufficient_scope".into())));
    let err = V::Obj(vec![(
        "error".into(),
        obj(&[("code", "resource_not_found"), ("message", "no")]),
    )]);
    assert_eq!(
        api(&mut h, 404, err, None),
        Some(Err("resource_not_found".into()))
    );
    assert!(h.l.session().is_some());
    // 401: the session ends.
    let e = api(&mut h, 401, V::Null, Some(("invalid_token", "")));
    assert_eq!(e, Some(Err("invalid_token".into())));
    assert!(h.l.session().is_none());
    assert!(h.events().ends_with(&[
        "sessionChange:null".to_string(),
        "statusChange:notConnected".into(),
        "log:invalid_token".into()
    ]));
}

/// Any OpenID provider (no data API): `WL.api("me")` is the userinfo endpoint's answer over the
/// ID token's claims, as Live's `me`; another person's userinfo, or any other path, is refused.
#[test]
fn me_from_userinfo_without_a_data_api() {
    let mut h = H::new();
    h.data_api = false;
    h.init();
    h.sign_in();
    // The token answer's ID token is checked against discovery's keys.
    assert!(h.log.iter().any(|e| matches!(e,
        Effect::Fetch { url, jwt: Jwt::Verify(keys), .. } if url.ends_with("/token") && keys.ends_with("/jwks"))));
    let me = |h: &mut H, path: &str, userinfo: V| {
        let before = h.log.len();
        let id = h.call(Call::Api {
            options: V::Str(path.into()),
            query: Some(obj(&[("$top", "5")])),
        });
        let fetch = h.log[before..].iter().find_map(|e| match e {
            Effect::Fetch {
                req,
                url,
                query,
                token,
                jwt,
                ..
            } if url.ends_with("/userinfo") => {
                Some((*req, query.clone(), token.clone(), jwt.clone()))
            }
            _ => None,
        });
        let Some((req, query, token, jwt)) = fetch else {
            return (h.outcome(id), None);
        };
        assert_eq!(query, None, "userinfo takes no OData query");
        assert_eq!(token.as_deref(), Some("at-c1"));
        let Jwt::Decode(t) = jwt else {
            panic!("the session's ID token is decoded for its claims")
        };
        assert_eq!(
            t,
            h.l.session()
                .and_then(|s| s.id_token.clone())
                .unwrap_or_default()
        );
        let claims = obj(&[("sub", "alice"), ("given_name", "Al"), ("email", "a@x")]);
        h.step(Input::Fetched(
            req,
            Response {
                status: 200,
                ok: true,
                json: Some(userinfo),
                www_error: None,
                www_scope: None,
                claims: Some(claims),
            },
        ));
        let answer = h.log.iter().find_map(|e| match e {
            Effect::Resolve(c, Answer::Json(j)) if *c == id => j.as_ref().and_then(V::to_json),
            _ => None,
        });
        (h.outcome(id), answer)
    };
    let (r, json) = me(&mut h, "me", obj(&[("sub", "alice"), ("name", "Alice A")]));
    assert_eq!(r, Some(Ok(String::new())));
    assert_eq!(
        json.as_deref(),
        Some(
            r#"{"id":"alice","name":"Alice A","first_name":"Al","emails":{"preferred":"a@x","account":"a@x"}}"#
        )
    );
    // Someone else's userinfo (a token substitution): refused.
    let (r, _) = me(&mut h, "/v1/me", obj(&[("sub", "mallory"), ("name", "M")]));
    assert_eq!(r, Some(Err("invalid_token".into())));
    // Anything but `me` needs the data API.
    let (r, _) = me(&mut h, "me/friends", V::Null);
    assert_eq!(r, Some(Err("not_supported".into())));
}

#[test]
fn logout_revokes_both_tokens_one_after_the_other() {
    let mut h = signed_in_renewable();
    let id = h.call(Call::Logout);
    assert!(h.events().ends_with(&[
        "auth.logout".to_string(),
        "sessionChange:null".into(),
        "statusChange:notConnected".into()
    ]));
    let (req, body) = h.open_fetch("/revoke").expect("revoke access token");
    assert!(matches!(body, Some(Body::Form(f)) if f[0] == ("token", "at-c1".into())));
    assert_eq!(h.outcome(id), None);
    h.step(Input::FetchFailed(req, "x".into()));
    let (req, body) = h.open_fetch("/revoke").expect("revoke refresh token");
    assert!(matches!(body, Some(Body::Form(f)) if f[0] == ("token", "rt-c1".into())));
    h.reply(req, 200, V::Null);
    assert_eq!(h.outcome(id), Some(Ok(String::new())));
    // Signed out already: null at once.
    let id = h.call(Call::Logout);
    assert_eq!(h.outcome(id), Some(Ok(String::new())));
}

#[test]
fn provider_and_discovery_failures() {
    let mut h = H::new();
    let id = h.call(Call::GetProvider);
    assert_eq!(h.outcome(id), Some(Err("invalid_request".into())));
    h.init();
    let a = h.call(Call::GetProvider);
    let b = h.login();
    let (req, _) = h
        .open_fetch("openid-configuration")
        .expect("discovery, once");
    let asked = h
        .log
        .iter()
        .filter(|e| matches!(e, Effect::Fetch { .. }))
        .count();
    assert_eq!(asked, 1);
    h.reply(req, 500, V::Null);
    assert_eq!(h.outcome(a), Some(Err("connection_failed".into())));
    assert_eq!(h.outcome(b), Some(Err("connection_failed".into())));
    // Fetched again after a failure.
    let c = h.call(Call::GetProvider);
    h.discovery();
    assert_eq!(h.outcome(c), Some(Ok(String::new())));
    // An expired session ends when it is looked at.
    h.sign_in();
    h.advance(3600.0 * 1000.0);
    let s = h.call(Call::GetSession);
    assert_eq!(h.outcome(s), Some(Ok(String::new())));
    assert!(h.events().ends_with(&[
        "sessionChange:null".to_string(),
        "statusChange:notConnected".into()
    ]));
}

/// Another tab's session as it stored it: `token`, for `user`, expiring in `expires_in` s.
fn elsewhere(h: &H, token: &str, user: Option<&str>, expires_in: f64) -> Input<V> {
    Input::StoredElsewhere(Some(session_form(h, token, None, user, expires_in)))
}

/// The events and writes since `seen`: (events, whether the session was written to storage).
fn since(h: &mut H, seen: usize) -> (Vec<String>, bool) {
    let wrote = h
        .fresh()
        .iter()
        .any(|e| matches!(e, Effect::Store(Key::Session, ..)));
    (h.events()[seen..].to_vec(), wrote)
}

#[test]
fn another_tab_changes_the_shared_session() {
    // `local` storage: each change another tab makes is followed, with this tab's events, and
    // never written back (a write would be another tab's storage event again).
    let mut h = H::new();
    h.init_with(&[("storage", "local")], Stored::default());
    h.fresh();
    let mut seen = h.events().len();
    let mut step = |h: &mut H, i: Input<V>, want: &[&str]| {
        h.step(i);
        let (events, wrote) = since(h, seen);
        seen = h.events().len();
        assert_eq!(events, want);
        assert!(!wrote, "{want:?}: nothing written back");
    };
    let alice = elsewhere(&h, "at-a1", Some("alice"), 3600.0);
    step(
        &mut h,
        alice.clone(),
        &[
            "auth.login",
            "sessionChange:at-a1",
            "statusChange:connected",
        ],
    );
    assert!(h.armed(Timer::Renew).is_some(), "its expiry is watched");
    // The same value again: nothing.
    step(&mut h, alice, &[]);
    // The same person's new tokens (the other tab renewed): a session change.
    let renewed = elsewhere(&h, "at-a2", Some("alice"), 3600.0);
    step(&mut h, renewed, &["sessionChange:at-a2"]);
    // Another person: a sign-in.
    let bob = elsewhere(&h, "at-b1", Some("bob"), 3600.0);
    step(&mut h, bob, &["auth.login", "sessionChange:at-b1"]);
    // Removed: a logout here too, and nothing is revoked (the other tab did that).
    step(
        &mut h,
        Input::StoredElsewhere(None),
        &[
            "auth.logout",
            "sessionChange:null",
            "statusChange:notConnected",
        ],
    );
    assert!(h.open_fetch("/revoke").is_none());
    assert_eq!(h.armed(Timer::Renew), None);
    step(&mut h, Input::StoredElsewhere(None), &[]);
    // Unreadable, expired or another client's: as removed (nothing here to remove).
    step(
        &mut h,
        Input::StoredElsewhere(Some(obj(&[("x", "y")]))),
        &[],
    );
    let expired = elsewhere(&h, "at-old", Some("alice"), -10.0);
    step(&mut h, expired, &[]);
    let theirs = elsewhere(&h, "at-x", None, 3600.0);
    let Input::StoredElsewhere(Some(V::Obj(mut fields))) = theirs else {
        unreachable!()
    };
    for (k, v) in fields.iter_mut() {
        if k == "client_id" {
            *v = V::Str("another-client".into());
        }
    }
    step(&mut h, Input::StoredElsewhere(Some(V::Obj(fields))), &[]);
    // This tab's copy expired while the other tab removed it: the session ended (no logout).
    let short = elsewhere(&h, "at-s", Some("alice"), 30.0);
    step(
        &mut h,
        short,
        &["auth.login", "sessionChange:at-s", "statusChange:connected"],
    );
    h.advance(60_000.0);
    step(
        &mut h,
        Input::StoredElsewhere(None),
        &["sessionChange:null", "statusChange:notConnected"],
    );
    // The default storage (`session`, one tab's) and `memory` ignore it.
    for storage in ["session", "memory"] {
        let mut h = H::new();
        h.init_with(&[("storage", storage)], Stored::default());
        let n = h.log.len();
        let i = elsewhere(&h, "at-a1", Some("alice"), 3600.0);
        h.step(i);
        h.step(Input::StoredElsewhere(None));
        assert_eq!(h.log.len(), n, "{storage}");
        assert!(h.l.session().is_none());
    }
}

/// The session `h` would store now, as another tab reads it from storage.
fn stored_now(h: &H) -> Option<V> {
    h.l.session().map(|s| form_obj(&s.fields()))
}

/// Signed in through the popup, with a refresh token (the default `session` storage).
fn signed_in_renewable() -> H {
    let mut h = H::new();
    h.refresh_tokens = true;
    h.init();
    h.sign_in();
    h
}

/// A tab signed in with a refresh token, its session in `local` storage.
fn signed_in_local() -> H {
    let mut h = H::new();
    h.refresh_tokens = true;
    h.init_with(&[("storage", "local")], Stored::default());
    h.sign_in();
    h
}

/// The renewal lock is `h`'s; storage holds `stored`.
fn granted(h: &mut H, stored: Option<V>) {
    h.step(Input::Locked {
        stored,
        readable: true,
    });
}

/// `h`'s effects since `seen` that matter to the renewal lock, in order.
fn lock_effects(h: &H, seen: usize) -> Vec<&'static str> {
    h.log[seen..]
        .iter()
        .filter_map(|e| match e {
            Effect::Lock => Some("lock"),
            Effect::Unlock => Some("unlock"),
            Effect::Store(Key::Session, ..) => Some("store"),
            Effect::Fetch { url, .. } if url.ends_with("/token") => Some("refresh"),
            _ => None,
        })
        .collect()
}

#[test]
fn tabs_sharing_a_session_renew_it_one_at_a_time() {
    // Two tabs with one `local` session; both renewal timers fire at once. Each asks for the
    // lock; the first to hold it refreshes, stores the new tokens, then lets go; the second finds
    // them in storage and takes them: one refresh grant in all, one set of tokens.
    let mut a = signed_in_local();
    let mut b = H::new();
    b.init_with(&[("storage", "local")], Stored::default());
    b.now = a.now;
    b.step(Input::StoredElsewhere(stored_now(&a)));
    assert_eq!(b.l.session(), a.l.session());
    let (na, nb) = (a.log.len(), b.log.len());
    a.renew();
    b.renew();
    assert_eq!(lock_effects(&a, na), ["lock"], "no refresh before the lock");
    assert_eq!(lock_effects(&b, nb), ["lock"]);
    // A holds it: its storage is as it left it.
    let stored = stored_now(&a);
    granted(&mut a, stored);
    a.token();
    assert_eq!(
        lock_effects(&a, na),
        ["lock", "refresh", "store", "unlock"],
        "the lock is let go after the new tokens are stored"
    );
    // Then B: storage has A's new tokens.
    b.now = a.now;
    granted(&mut b, stored_now(&a));
    assert_eq!(
        lock_effects(&b, nb),
        ["lock", "unlock"],
        "B does not refresh"
    );
    assert_eq!(
        b.l.session().map(|s| s.access_token.as_str()),
        Some("at-renewed")
    );
    assert!(
        b.events()
            .ends_with(&["sessionChange:at-renewed".to_string()])
    );
    // Storage unreadable: B cannot tell, and refreshes under the lock.
    let mut b2 = signed_in_local();
    let n = b2.log.len();
    b2.renew();
    b2.step(Input::Locked {
        stored: None,
        readable: false,
    });
    assert_eq!(lock_effects(&b2, n), ["lock", "refresh"]);
    // Signed out while waiting for the lock: it is let go, nothing is refreshed.
    let mut c = signed_in_local();
    let n = c.log.len();
    c.renew();
    c.call(Call::Logout);
    granted(&mut c, None);
    assert_eq!(lock_effects(&c, n), ["lock", "store", "unlock"]);
    // `session` storage is one tab's: no lock.
    let mut d = H::new();
    d.refresh_tokens = true;
    d.init();
    d.sign_in();
    let n = d.log.len();
    d.renew();
    assert_eq!(lock_effects(&d, n), ["refresh"]);
}

#[test]
fn tabs_restoring_an_expired_session_refresh_it_once() {
    // A restarted browser restores two tabs at once, both with the expired stored session: the
    // first to hold the lock refreshes it; the second takes the tokens it stored.
    let mut a = H::new();
    let expired = stored_session(&a, -10.0, true);
    let local = |v: &V| Stored {
        local: Some(v.clone()),
        ..Stored::default()
    };
    let ia = a.init_with(&[("storage", "local")], local(&expired));
    let mut b = H::new();
    let ib = b.init_with(&[("storage", "local")], local(&expired));
    assert_eq!(lock_effects(&a, 0), ["lock"]);
    assert_eq!(lock_effects(&b, 0), ["lock"]);
    granted(&mut a, Some(expired.clone()));
    a.discovery();
    a.token();
    assert_eq!(a.outcome(ia), Some(Ok("at-renewed".into())));
    assert_eq!(lock_effects(&a, 0), ["lock", "refresh", "store", "unlock"]);
    granted(&mut b, stored_now(&a));
    assert_eq!(b.outcome(ib), Some(Ok("at-renewed".into())));
    assert_eq!(
        lock_effects(&b, 0),
        ["lock", "store", "unlock"],
        "no refresh"
    );
    assert_eq!(
        b.events(),
        ["sessionChange:at-renewed", "statusChange:connected"]
    );
    // The other tab's tokens came by their storage event while this one waited: taken then,
    // and nothing is refreshed once the lock is this tab's.
    let mut c = H::new();
    let ic = c.init_with(&[("storage", "local")], local(&expired));
    c.step(Input::StoredElsewhere(stored_now(&a)));
    granted(&mut c, stored_now(&a));
    assert_eq!(c.outcome(ic), Some(Ok("at-renewed".into())));
    assert_eq!(
        lock_effects(&c, 0),
        ["lock", "store", "unlock"],
        "no refresh"
    );
    // The other tab signed out meanwhile: signed out here, nothing refreshed.
    let mut d = H::new();
    let id = d.init_with(&[("storage", "local")], local(&expired));
    granted(&mut d, None);
    assert_eq!(d.outcome(id), Some(Ok(String::new())));
    assert_eq!(lock_effects(&d, 0), ["lock", "unlock"]);
}

#[test]
fn two_tabs_renewing_at_once_keep_the_same_tokens() {
    // Without the lock's protection (Web Locks missing, or the wait timed out) this tab's
    // renewal is on its way when the other tab's renewed session arrives: the answer, refused
    // (the other tab rotated the refresh token first) or not, is dropped, so neither ends the
    // session nor replaces the one both tabs now share.
    for refused in [true, false] {
        let mut h = signed_in_local();
        h.renew();
        let stored = stored_now(&h);
        granted(&mut h, stored);
        let (req, _) = h.open_fetch("/token").expect("refresh");
        let theirs = elsewhere(&h, "at-theirs", None, 3600.0);
        h.step(theirs);
        if refused {
            h.reply(req, 400, obj(&[("error", "invalid_grant")]));
        } else {
            h.token();
        }
        assert_eq!(
            h.l.session().map(|s| s.access_token.as_str()),
            Some("at-theirs"),
            "refused: {refused}"
        );
        assert!(
            !h.events().contains(&"sessionChange:null".to_string()),
            "refused: {refused}"
        );
        assert!(h.log.iter().any(|e| matches!(e, Effect::Unlock)));
    }
}

/// `session` storage copied into a second tab (a duplicated tab, a window the page opened):
/// both hold one rotating refresh token, which may be presented once. Each tab claims it before
/// presenting it; the tab that gets the claim refreshes, the other does not present it. Its
/// session goes on without a refresh token until it expires, then ends, and nothing is revoked
/// (the tokens are the other tab's too). A copy restored expired at init ends at once.
#[test]
fn a_session_copied_into_another_tab_is_renewed_by_one_of_them() {
    let renewing = || {
        let mut h = H::new();
        h.refresh_tokens = true;
        h.claims_by_hand = true;
        h.init();
        h.sign_in();
        h.fresh();
        h.renew();
        h
    };
    let claims = |h: &H| -> Vec<String> {
        h.log
            .iter()
            .filter_map(|e| match e {
                Effect::Claim(rt) => Some(rt.clone()),
                _ => None,
            })
            .collect()
    };
    // The tab that holds the claim refreshes.
    let mut h = renewing();
    assert_eq!(claims(&h), ["rt-c1"]);
    assert!(
        h.open_fetch("/token").is_none(),
        "not presented before the claim"
    );
    h.step(Input::Claimed(true));
    assert!(h.open_fetch("/token").is_some());

    // The copy does not present it, and ends at expiry, revoking nothing.
    let mut h = renewing();
    h.fresh();
    let seen = h.events().len();
    h.step(Input::Claimed(false));
    assert!(h.open_fetch("/token").is_none());
    let s = h.l.session().expect("still signed in until expiry");
    assert_eq!(s.refresh_token, None);
    assert!(
        !h.fresh().iter().any(|e| matches!(e, Effect::Store(..))),
        "storage left to the tab that holds the token"
    );
    assert_eq!(
        h.armed(Timer::Renew),
        Some(crate::session::REFRESH_LEAD_SECS * 1000.0)
    );
    assert!(
        !h.events()[seen..]
            .iter()
            .any(|e| e.starts_with("sessionChange")),
        "nothing the page sees changed"
    );
    h.renew();
    assert!(h.l.session().is_none(), "ended at expiry");
    assert!(
        !h.fresh().iter().any(|e| matches!(e, Effect::Store(..))),
        "its end is not written either"
    );
    assert!(h.open_fetch("/token").is_none() && h.open_fetch("/revoke").is_none());
    assert_eq!(claims(&h), ["rt-c1"], "claimed once");

    // The other tab renewed it (presenting "rt-c1"): the copy takes the new tokens, as its own.
    let mut h = renewing();
    h.step(Input::Claimed(false));
    h.fresh();
    let user = h.l.session().and_then(|s| s.user_id.clone());
    let value = session_form(&h, "at-rotated", Some("rt-next"), user.as_deref(), 3600.0);
    h.step(Input::Rotated {
        was: "rt-other-chain".into(),
        value: value.clone(),
    });
    assert_eq!(
        h.l.session().map(|s| s.access_token.as_str()),
        Some("at-c1")
    );
    h.step(Input::Rotated {
        was: "rt-c1".into(),
        value,
    });
    let s = h.l.session().expect("signed in");
    assert_eq!(
        (s.access_token.as_str(), s.refresh_token.as_deref()),
        ("at-rotated", Some("rt-next"))
    );
    assert!(h.fresh().iter().any(|e| matches!(
        e,
        Effect::Store(Key::Session, Area::Session, Some(f)) if f.contains(&("refresh_token", "rt-next".into()))
    )));
    assert!(
        h.events()
            .ends_with(&["sessionChange:at-rotated".to_string()])
    );
    // Any other change is the copy's own, and written: a sign-out before its end.
    let mut h = renewing();
    h.step(Input::Claimed(false));
    h.fresh();
    h.call(Call::Logout);
    assert!(
        h.fresh()
            .iter()
            .any(|e| matches!(e, Effect::Store(Key::Session, Area::Session, None))),
        "a sign-out in the copy is written"
    );

    // An expired copy restored at init ends at once.
    let mut h = H::new();
    h.claims_by_hand = true;
    let expired = stored_session(&h, -10.0, true);
    let init = h.init_with(
        &[],
        Stored {
            session: Some(expired),
            ..Stored::default()
        },
    );
    assert_eq!(claims(&h), ["rt-stored"]);
    h.step(Input::Claimed(false));
    h.discovery();
    assert!(h.open_fetch("/token").is_none());
    assert!(h.l.session().is_none());
    assert!(h.outcome(init).is_some(), "init settles");
    assert!(!h.log.iter().any(|e| matches!(e, Effect::Store(..))));
}
