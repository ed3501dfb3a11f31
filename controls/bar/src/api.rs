//! `WL.messenger`'s pure half (docs/loader.md, "WL.messenger"): what the page-wide hub client
//! tells pages (events and answers as JSON text), the table of sends waiting for the hub's
//! answer, and the typing throttle. No browser, no clock (times are passed in), tested natively;
//! the browser edge is [`crate::client`] and [`crate::messenger`].

use crate::json::{ObjectWriter, write_str};
use crate::protocol::{Presence, ServerFrame, WireMessage};
use crate::state::{Friend, Link, State};

/// How long `send` waits for the hub's answer (`sent`, then `delivered` when the friend is
/// online) before it settles: rejected `timed_out` without `sent`, resolved `sent` with it.
pub const SEND_TIMEOUT_MS: f64 = 10_000.0;
/// How long `connect` waits for `welcome` before it rejects `timed_out`.
pub const CONNECT_TIMEOUT_MS: f64 = 15_000.0;

/// How a `send` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Resolved: the hub stored it (`status: "sent"`) or it reached the friend
    /// (`status: "delivered"`).
    Done {
        /// The hub's message id.
        id: u64,
        /// When it was stored (RFC 3339).
        at: String,
        /// Whether `delivered` came.
        delivered: bool,
    },
    /// Rejected with a stable code.
    Failed {
        /// `not_friends`, `message_too_long`, `rate_limited`, `not_connected`, `timed_out`, …
        code: String,
        /// Human-readable.
        message: String,
    },
}

/// One settled `send`: its client id, recipient and outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// Our id for the message.
    pub client_id: String,
    /// The friend it was sent to.
    pub to: String,
    /// How it ended.
    pub outcome: Outcome,
}

impl Settled {
    /// The promise's value (`Done`) or reason (`Failed`) as JSON text.
    pub fn to_json(&self) -> String {
        match &self.outcome {
            Outcome::Done { id, at, delivered } => ObjectWriter::new()
                .num("id", *id)
                .str("to", &self.to)
                .str("at", at)
                .str("client_id", &self.client_id)
                .str("status", if *delivered { "delivered" } else { "sent" })
                .finish(),
            Outcome::Failed { code, message } => error_json(code, message),
        }
    }
}

/// `{ "code", "message" }`.
pub fn error_json(code: &str, message: &str) -> String {
    ObjectWriter::new()
        .str("code", code)
        .str("message", message)
        .finish()
}

#[derive(Debug, Clone)]
struct Entry {
    client_id: String,
    to: String,
    id: Option<u64>,
    at: String,
    deadline: f64,
}

/// The sends waiting for the hub's answer.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    entries: Vec<Entry>,
}

impl Pending {
    /// Waits for the answer to the `send` with `client_id` to `to`, sent at `now`.
    pub fn add(&mut self, client_id: &str, to: &str, now: f64) {
        self.entries.push(Entry {
            client_id: client_id.into(),
            to: to.into(),
            id: None,
            at: String::new(),
            deadline: now + SEND_TIMEOUT_MS,
        });
    }

    /// How many are waiting.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is waiting.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sends a hub frame settles. After `sent` a send to a friend who shows `online` waits
    /// for `delivered`; to one offline it resolves `sent` at once (delivery comes when they
    /// connect: the `delivered` event).
    pub fn on_frame(&mut self, frame: &ServerFrame, online: impl Fn(&str) -> bool) -> Vec<Settled> {
        let mut done = Vec::new();
        match frame {
            ServerFrame::Sent { client_id, id, at } => {
                let mut offline = false;
                if let Some(e) = self.entries.iter_mut().find(|e| e.client_id == *client_id) {
                    e.id = Some(*id);
                    e.at = at.clone();
                    offline = !online(&e.to);
                }
                if offline {
                    done.extend(self.take(&|e| e.client_id == *client_id, false));
                }
            }
            ServerFrame::Delivered { id, .. } => {
                done.extend(self.take(&|e| e.id == Some(*id), true));
            }
            ServerFrame::Error {
                code,
                message,
                client_id: Some(cid),
                ..
            } => {
                if let Some(e) = take_first(&mut self.entries, &|e| e.client_id == *cid) {
                    done.push(Settled {
                        client_id: e.client_id,
                        to: e.to,
                        outcome: Outcome::Failed {
                            code: code.clone(),
                            message: message.clone(),
                        },
                    });
                }
            }
            _ => {}
        }
        done
    }

    /// The sends whose time ran out at `now`: stored ones resolve `sent`, the others reject
    /// `timed_out`.
    pub fn expire(&mut self, now: f64) -> Vec<Settled> {
        self.settle_where(
            |e| e.deadline <= now,
            "timed_out",
            "the hub did not answer in time",
        )
    }

    /// The connection ended: stored sends resolve `sent`, the others reject `not_connected`
    /// (the hub may not have them).
    pub fn connection_lost(&mut self) -> Vec<Settled> {
        self.settle_where(
            |_| true,
            "not_connected",
            "the connection to the hub was lost",
        )
    }

    /// When the next one times out.
    pub fn next_deadline(&self) -> Option<f64> {
        self.entries.iter().map(|e| e.deadline).reduce(f64::min)
    }

    fn settle_where(
        &mut self,
        f: impl Fn(&Entry) -> bool,
        code: &str,
        message: &str,
    ) -> Vec<Settled> {
        let mut gone = Vec::new();
        for e in std::mem::take(&mut self.entries) {
            if !f(&e) {
                self.entries.push(e);
                continue;
            }
            let outcome = match e.id {
                Some(id) => Outcome::Done {
                    id,
                    at: e.at,
                    delivered: false,
                },
                None => Outcome::Failed {
                    code: code.into(),
                    message: message.into(),
                },
            };
            gone.push(Settled {
                client_id: e.client_id,
                to: e.to,
                outcome,
            });
        }
        gone
    }

    fn take(&mut self, f: &dyn Fn(&Entry) -> bool, delivered: bool) -> Option<Settled> {
        let e = take_first(&mut self.entries, f)?;
        Some(Settled {
            client_id: e.client_id,
            to: e.to,
            outcome: Outcome::Done {
                id: e.id.unwrap_or_default(),
                at: e.at,
                delivered,
            },
        })
    }
}

/// Removes and returns the first item `f` picks, keeping the others in order (without
/// `Vec::remove`, whose bounds panic would bring `core::fmt` into the wasm).
pub fn take_first<T>(v: &mut Vec<T>, f: &dyn Fn(&T) -> bool) -> Option<T> {
    let mut found = None;
    for x in std::mem::take(v) {
        if found.is_none() && f(&x) {
            found = Some(x);
        } else {
            v.push(x);
        }
    }
    found
}

/// Sends a `typing` frame to a friend at most every [`crate::state::TYPING_SEND_EVERY_MS`].
#[derive(Debug, Clone, Default)]
pub struct TypingThrottle {
    last: Vec<(String, f64)>,
}

impl TypingThrottle {
    /// Whether a `typing` frame to `to` may go at `now` (and notes it if so).
    pub fn allow(&mut self, to: &str, now: f64) -> bool {
        let every = crate::state::TYPING_SEND_EVERY_MS;
        match self.last.iter_mut().find(|(t, _)| t == to) {
            Some((_, at)) if now - *at < every => false,
            Some((_, at)) => {
                *at = now;
                true
            }
            None => {
                self.last.push((to.into(), now));
                true
            }
        }
    }
}

/// A message as `WL.messenger` gives it: `{id, from, to, text, at, mine, client_id?}`.
pub fn message_json(m: &WireMessage, me: &str) -> String {
    let w = ObjectWriter::new()
        .num("id", m.id)
        .str("from", &m.from)
        .str("to", &m.to)
        .str("text", &m.text)
        .str("at", &m.at)
        .bool("mine", m.from == me);
    match &m.client_id {
        Some(c) => w.str("client_id", c),
        None => w,
    }
    .finish()
}

/// A friend: `{id, name, picture, presence, here}` (`picture` `null` when none).
pub fn friend_json(f: &Friend, here: bool) -> String {
    let w = ObjectWriter::new().str("id", &f.id).str("name", &f.name);
    match &f.picture {
        Some(p) => w.str("picture", p),
        None => w.raw("picture", "null"),
    }
    .str("presence", f.presence.as_str())
    .bool("here", here)
    .finish()
}

/// The friends as a JSON array, in the hub's order; only those who show online when `online`.
pub fn friends_json(s: &State, online: bool) -> String {
    let mut out = String::from("[");
    for f in s
        .friends
        .iter()
        .filter(|f| !online || f.presence != Presence::Offline)
    {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&friend_json(f, s.here.contains(&f.id)));
    }
    out.push(']');
    out
}

/// The signed-in person (`{id, name, picture, presence}` with their own chosen status), or
/// `null` before `welcome`.
pub fn me_json(s: &State) -> String {
    match &s.me {
        Some(me) => {
            let mut f = me.clone();
            f.presence = s.presence;
            let w = ObjectWriter::new().str("id", &f.id).str("name", &f.name);
            match &f.picture {
                Some(p) => w.str("picture", p),
                None => w.raw("picture", "null"),
            }
            .str("presence", f.presence.as_str())
            .finish()
        }
        None => "null".into(),
    }
}

/// The connection's state name: `idle`, `connecting`, `online`, `reconnecting`,
/// `needs_consent`, `failed`.
pub fn link_name(l: &Link) -> &'static str {
    match l {
        Link::Idle => "idle",
        Link::Connecting => "connecting",
        Link::Online => "online",
        Link::Reconnecting => "reconnecting",
        Link::NeedsConsent => "needs_consent",
        Link::Failed(_) => "failed",
    }
}

/// `{state, code?}` for the `state` event and `WL.messenger.state()`.
pub fn link_json(l: &Link) -> String {
    let w = ObjectWriter::new().str("state", link_name(l));
    match l {
        Link::Failed(code) => w.str("code", code),
        Link::NeedsConsent => w.str("code", "insufficient_scope"),
        _ => w,
    }
    .finish()
}

/// For a `sent` frame answering a message a bar on the page sent (the reducer holds it, by its
/// client id): the `message` event's JSON, as the person's other tabs get it.
pub fn sent_json(frame: &ServerFrame, before: &State) -> Option<String> {
    let ServerFrame::Sent { client_id, id, at } = frame else {
        return None;
    };
    let me = before.me.as_ref()?;
    before.conversations.iter().find_map(|c| {
        let m = c
            .messages
            .iter()
            .find(|m| m.client_id.as_deref() == Some(client_id.as_str()))?;
        let wire = WireMessage {
            id: *id,
            from: me.id.clone(),
            to: c.with.clone(),
            text: m.text.clone(),
            at: at.clone(),
            client_id: Some(client_id.clone()),
        };
        Some(message_json(&wire, &me.id))
    })
}

/// Whether a frame changes the friends list (then the `friends` event follows, with
/// [`friends_json`] of the state after it).
pub fn changes_friends(frame: &ServerFrame) -> bool {
    matches!(
        frame,
        ServerFrame::Welcome { .. } | ServerFrame::Here { .. }
    )
}

/// The events one hub frame makes (name, JSON payload), given the state before it is applied:
/// `message`, `typing`, `presence` (a friend's), `delivered`.
pub fn events(frame: &ServerFrame, before: &State) -> Vec<(&'static str, String)> {
    let me = before
        .me
        .as_ref()
        .map(|m| m.id.as_str())
        .unwrap_or_default();
    match frame {
        ServerFrame::Message(m) => vec![("message", message_json(m, me))],
        ServerFrame::Typing { from } => {
            vec![("typing", ObjectWriter::new().str("from", from).finish())]
        }
        ServerFrame::Presence { id, status } => {
            let shown = if *status == Presence::AppearOffline {
                Presence::Offline
            } else {
                *status
            };
            vec![(
                "presence",
                ObjectWriter::new()
                    .str("id", id)
                    .str("presence", shown.as_str())
                    .finish(),
            )]
        }
        ServerFrame::Delivered { id, to } => vec![(
            "delivered",
            ObjectWriter::new().num("id", *id).str("to", to).finish(),
        )],
        _ => Vec::new(),
    }
}

/// The event names `on`/`off` accept.
pub const EVENTS: [&str; 6] = [
    "message",
    "typing",
    "presence",
    "delivered",
    "friends",
    "state",
];

/// The REST path of a conversation's history (`me/conversations/{id}/messages?before=&limit=`);
/// `None` for an id that is empty or not URL-safe as is.
pub fn history_path(friend: &str, before: Option<u64>, limit: Option<u64>) -> Option<String> {
    let ok = !friend.bytes().all(|b| b == b'.')
        && friend
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if !ok {
        return None;
    }
    let mut p = ["me/conversations/", friend, "/messages"].concat();
    let mut sep = '?';
    for (k, v) in [("before", before), ("limit", limit)] {
        if let Some(v) = v {
            p.push(sep);
            p.push_str(k);
            p.push('=');
            p.push_str(&crate::i18n::decimal(v));
            sep = '&';
        }
    }
    Some(p)
}

/// A JSON string literal (for answers that are one string).
pub fn string_json(s: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, s);
    out
}

// serde_json is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::protocol::Person;

    fn sent(cid: &str, id: u64) -> ServerFrame {
        ServerFrame::Sent {
            client_id: cid.into(),
            id,
            at: "2026-12-03T10:00:00Z".into(),
        }
    }

    fn error(cid: Option<&str>, code: &str) -> ServerFrame {
        ServerFrame::Error {
            code: code.into(),
            message: "no".into(),
            client_id: cid.map(Into::into),
            retry_after_ms: None,
        }
    }

    fn delivered(id: u64) -> ServerFrame {
        ServerFrame::Delivered {
            id,
            to: "bob".into(),
        }
    }

    fn done(id: u64, delivered: bool) -> Outcome {
        Outcome::Done {
            id,
            at: "2026-12-03T10:00:00Z".into(),
            delivered,
        }
    }

    fn failed(code: &str, message: &str) -> Outcome {
        Outcome::Failed {
            code: code.into(),
            message: message.into(),
        }
    }

    /// Table: frames in order (with whether the friend shows online), then what settled.
    #[test]
    fn sends_settle_on_the_hubs_answers() {
        type Case = (&'static str, bool, Vec<ServerFrame>, Vec<Outcome>, usize);
        let cases: Vec<Case> = vec![
            (
                "online: sent then delivered",
                true,
                vec![sent("c1", 7), delivered(7)],
                vec![done(7, true)],
                0,
            ),
            (
                "online: sent only waits",
                true,
                vec![sent("c1", 7)],
                vec![],
                1,
            ),
            (
                "offline: sent resolves",
                false,
                vec![sent("c1", 7)],
                vec![done(7, false)],
                0,
            ),
            (
                "offline: a later delivered settles nothing more",
                false,
                vec![sent("c1", 7), delivered(7)],
                vec![done(7, false)],
                0,
            ),
            (
                "refused with its client id",
                true,
                vec![error(Some("c1"), "not_friends")],
                vec![failed("not_friends", "no")],
                0,
            ),
            (
                "rate limited",
                true,
                vec![error(Some("c1"), "rate_limited")],
                vec![failed("rate_limited", "no")],
                0,
            ),
            (
                "another send's error",
                true,
                vec![error(Some("c2"), "not_friends")],
                vec![],
                1,
            ),
            (
                "an error without client id",
                true,
                vec![error(None, "bad_frame")],
                vec![],
                1,
            ),
            (
                "another message delivered",
                true,
                vec![sent("c1", 7), delivered(8)],
                vec![],
                1,
            ),
            ("another send's sent", true, vec![sent("c9", 7)], vec![], 1),
            (
                "unrelated frames",
                true,
                vec![
                    ServerFrame::Pong,
                    ServerFrame::Typing { from: "bob".into() },
                ],
                vec![],
                1,
            ),
        ];
        for (name, online, frames, want, left) in cases {
            let mut p = Pending::default();
            p.add("c1", "bob", 0.0);
            let mut got = Vec::new();
            for f in &frames {
                got.extend(p.on_frame(f, |to| {
                    assert_eq!(to, "bob");
                    online
                }));
            }
            let outcomes: Vec<Outcome> = got.iter().map(|s| s.outcome.clone()).collect();
            assert_eq!(outcomes, want, "{name}");
            assert!(
                got.iter().all(|s| s.client_id == "c1" && s.to == "bob"),
                "{name}"
            );
            assert_eq!(p.len(), left, "{name}");
        }
    }

    #[test]
    fn a_send_never_hangs() {
        let mut p = Pending::default();
        p.add("a", "bob", 0.0);
        p.add("b", "bob", 1_000.0);
        p.on_frame(&sent("b", 3), |_| true);
        assert_eq!(p.next_deadline(), Some(SEND_TIMEOUT_MS));
        assert!(p.expire(SEND_TIMEOUT_MS - 1.0).is_empty());
        let first = p.expire(SEND_TIMEOUT_MS);
        assert_eq!(first.len(), 1);
        assert_eq!(
            first[0].outcome,
            failed("timed_out", "the hub did not answer in time")
        );
        // Stored but never delivered in time: resolved "sent".
        let second = p.expire(SEND_TIMEOUT_MS + 1_000.0);
        assert_eq!(second[0].outcome, done(3, false));
        assert!(p.is_empty());
        assert_eq!(p.next_deadline(), None);
    }

    #[test]
    fn a_lost_connection_settles_everything() {
        let mut p = Pending::default();
        p.add("a", "bob", 0.0);
        p.add("b", "bob", 0.0);
        p.on_frame(&sent("b", 3), |_| true);
        let all = p.connection_lost();
        let outcomes: Vec<Outcome> = all.into_iter().map(|s| s.outcome).collect();
        assert_eq!(
            outcomes,
            vec![
                failed("not_connected", "the connection to the hub was lost"),
                done(3, false)
            ]
        );
        assert!(p.is_empty());
    }

    #[test]
    fn settled_json() {
        let s = Settled {
            client_id: "c\"1".into(),
            to: "bob".into(),
            outcome: done(7, true),
        };
        let v: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"id": 7, "to": "bob", "at": "2026-12-03T10:00:00Z", "client_id": "c\"1", "status": "delivered"})
        );
        let f = Settled {
            outcome: failed("not_friends", "not a friend"),
            ..s
        };
        let v: serde_json::Value = serde_json::from_str(&f.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "not_friends", "message": "not a friend"})
        );
    }

    #[test]
    fn typing_is_throttled_per_friend() {
        let every = crate::state::TYPING_SEND_EVERY_MS;
        let mut t = TypingThrottle::default();
        let steps = [
            ("bob", 0.0, true),
            ("bob", every - 1.0, false),
            ("carol", 10.0, true),
            ("bob", every, true),
            ("bob", every + 1.0, false),
            ("carol", every + 10.0, true),
        ];
        for (to, now, want) in steps {
            assert_eq!(t.allow(to, now), want, "{to} at {now}");
        }
    }

    fn person(id: &str, presence: Presence) -> Person {
        Person {
            id: id.into(),
            name: format!("N {id}"),
            picture: (id == "bob").then(|| "http://127.0.0.1/p.png".into()),
            presence,
        }
    }

    fn welcomed() -> State {
        let mut s = State::new("t");
        s.apply(
            ServerFrame::Welcome {
                v: 1,
                me: person("me", Presence::Busy),
                friends: vec![
                    person("bob", Presence::Available),
                    person("carol", Presence::Offline),
                ],
                last_id: 0,
            },
            0.0,
        );
        s.apply(
            ServerFrame::Here {
                friends: vec!["bob".into()],
            },
            0.0,
        );
        s
    }

    #[test]
    fn friends_me_and_state_as_json() {
        let s = welcomed();
        let all: serde_json::Value = serde_json::from_str(&friends_json(&s, false)).unwrap();
        assert_eq!(
            all,
            serde_json::json!([
                {"id": "bob", "name": "N bob", "picture": "http://127.0.0.1/p.png", "presence": "available", "here": true},
                {"id": "carol", "name": "N carol", "picture": null, "presence": "offline", "here": false}
            ])
        );
        let online: serde_json::Value = serde_json::from_str(&friends_json(&s, true)).unwrap();
        assert_eq!(online.as_array().unwrap().len(), 1);
        let me: serde_json::Value = serde_json::from_str(&me_json(&s)).unwrap();
        assert_eq!(me["presence"], "busy");
        assert_eq!(me_json(&State::new("t")), "null");
        let cases = [
            (Link::Idle, serde_json::json!({"state": "idle"})),
            (Link::Online, serde_json::json!({"state": "online"})),
            (
                Link::Reconnecting,
                serde_json::json!({"state": "reconnecting"}),
            ),
            (
                Link::NeedsConsent,
                serde_json::json!({"state": "needs_consent", "code": "insufficient_scope"}),
            ),
            (
                Link::Failed("no_hub".into()),
                serde_json::json!({"state": "failed", "code": "no_hub"}),
            ),
        ];
        for (l, want) in cases {
            let got: serde_json::Value = serde_json::from_str(&link_json(&l)).unwrap();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn frames_become_events() {
        let s = welcomed();
        let m = WireMessage {
            id: 4,
            from: "bob".into(),
            to: "me".into(),
            text: "hi \"you\"".into(),
            at: "2026-12-03T10:00:00Z".into(),
            client_id: None,
        };
        let cases: Vec<(ServerFrame, Vec<(&str, serde_json::Value)>)> = vec![
            (
                ServerFrame::Message(m),
                vec![(
                    "message",
                    serde_json::json!({"id": 4, "from": "bob", "to": "me", "text": "hi \"you\"", "at": "2026-12-03T10:00:00Z", "mine": false}),
                )],
            ),
            (
                ServerFrame::Typing { from: "bob".into() },
                vec![("typing", serde_json::json!({"from": "bob"}))],
            ),
            (
                ServerFrame::Presence {
                    id: "bob".into(),
                    status: Presence::AppearOffline,
                },
                vec![(
                    "presence",
                    serde_json::json!({"id": "bob", "presence": "offline"}),
                )],
            ),
            (
                delivered(4),
                vec![("delivered", serde_json::json!({"id": 4, "to": "bob"}))],
            ),
            (ServerFrame::Pong, vec![]),
            (sent("c", 1), vec![]),
        ];
        for (frame, want) in cases {
            let got: Vec<(&str, serde_json::Value)> = events(&frame, &s)
                .into_iter()
                .map(|(n, j)| (n, serde_json::from_str(&j).unwrap()))
                .collect();
            assert_eq!(got, want, "{frame:?}");
        }
        let here = ServerFrame::Here { friends: vec![] };
        assert!(events(&here, &s).is_empty());
        assert!(changes_friends(&here));
        assert!(!changes_friends(&ServerFrame::Pong));
    }

    #[test]
    fn a_bars_own_send_becomes_a_message_event_when_stored() {
        let mut s = welcomed();
        s.apply(
            ServerFrame::Presence {
                id: "bob".into(),
                status: Presence::Available,
            },
            0.0,
        );
        let fx = s.compose("bob", "from the bar").unwrap();
        let Some(crate::state::Effect::Send(crate::protocol::ClientFrame::Send {
            client_id, ..
        })) = fx.first()
        else {
            panic!("a send frame: {fx:?}");
        };
        let frame = ServerFrame::Sent {
            client_id: client_id.clone(),
            id: 12,
            at: "2026-12-03T10:00:00Z".into(),
        };
        let v: serde_json::Value = serde_json::from_str(&sent_json(&frame, &s).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"id": 12, "from": "me", "to": "bob", "text": "from the bar", "at": "2026-12-03T10:00:00Z", "mine": true, "client_id": client_id})
        );
        assert_eq!(sent_json(&sent("other", 13), &s), None);
        assert_eq!(sent_json(&ServerFrame::Pong, &s), None);
    }

    #[test]
    fn history_paths() {
        let cases = [
            ("bob", None, None, Some("me/conversations/bob/messages")),
            (
                "bob",
                Some(9),
                None,
                Some("me/conversations/bob/messages?before=9"),
            ),
            (
                "u-1_x",
                Some(9),
                Some(20),
                Some("me/conversations/u-1_x/messages?before=9&limit=20"),
            ),
            (
                "bob",
                None,
                Some(5),
                Some("me/conversations/bob/messages?limit=5"),
            ),
            ("", None, None, None),
            ("..", None, None, None),
            ("../me", None, None, None),
            ("a/b", None, None, None),
            ("a?b", None, None, None),
        ];
        for (id, before, limit, want) in cases {
            assert_eq!(history_path(id, before, limit).as_deref(), want, "{id}");
        }
    }
}
