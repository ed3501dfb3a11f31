//! The messenger hub protocol, version 1 (`docs/messenger.md`): the frames as typed values.
//!
//! Pure: parsing and serialising only, tested natively.

use crate::json::{Json, ObjectWriter};

/// The protocol version this client speaks.
pub const VERSION: u32 = 1;

/// The WebSocket close codes of the protocol this client sends or acts on
/// (`fixtures/hub/close_codes.json` holds them for both ends' tests).
pub mod close {
    /// A page leaves or no longer needs the connection: the hub keeps the person online for its
    /// offline grace, as the next page may connect in a moment.
    pub const NORMAL: u16 = 1000;
    /// The person signed out: the hub tells friends "offline" at once.
    pub const SIGNED_OUT: u16 = 4000;
    /// The hub: `hello.v` is not one it speaks.
    pub const UNSUPPORTED_VERSION: u16 = 4400;
    /// The hub: the token is missing, invalid, expired or revoked.
    pub const UNAUTHORIZED: u16 = 4401;
    /// The hub: the token lacks `wl.messenger`.
    pub const INSUFFICIENT_SCOPE: u16 = 4403;
}

/// A person's presence as the hub reports it (`appear_offline` is only ever set by oneself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presence {
    /// Online and free to chat.
    Available,
    /// Online, busy.
    Busy,
    /// Online, away from the keyboard.
    Away,
    /// Online but shown to friends as offline (own presence only).
    AppearOffline,
    /// Not connected (also any value this client does not know).
    #[default]
    Offline,
}

impl Presence {
    /// Whether friends see this person as online.
    pub fn is_online(self) -> bool {
        matches!(self, Presence::Available | Presence::Busy | Presence::Away)
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Available => "available",
            Presence::Busy => "busy",
            Presence::Away => "away",
            Presence::AppearOffline => "appear_offline",
            Presence::Offline => "offline",
        }
    }

    /// The presences a person may choose for themself, in menu order.
    pub const CHOICES: [Presence; 4] = [
        Presence::Available,
        Presence::Busy,
        Presence::Away,
        Presence::AppearOffline,
    ];

    /// Parses a wire name (`None` for anything else).
    pub fn parse(s: &str) -> Option<Presence> {
        [
            Presence::Available,
            Presence::Busy,
            Presence::Away,
            Presence::AppearOffline,
            Presence::Offline,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// A person in `welcome` (`me` or a friend).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The person's id (a conversation is identified by the friend's id).
    pub id: String,
    /// Display name: provider text, shown as text only.
    pub name: String,
    /// Picture URL, if any.
    pub picture: Option<String>,
    /// Presence.
    pub presence: Presence,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireMessage {
    /// The hub's id (positive, increasing in storage order).
    pub id: u64,
    /// Sender id.
    pub from: String,
    /// Recipient id.
    pub to: String,
    /// The text (provider text, shown as text only).
    pub text: String,
    /// RFC 3339 time.
    pub at: String,
    /// The sending client's own id (only on the sender's own copies).
    pub client_id: Option<String>,
}

/// A frame from the hub. Unknown frame types parse as [`ServerFrame::Unknown`] (ignored, as
/// version 1 allows new frame types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerFrame {
    /// `hello` accepted.
    Welcome {
        /// Protocol version.
        v: u32,
        /// The signed-in person.
        me: Person,
        /// Their friends.
        friends: Vec<Person>,
        /// The largest message id the hub has for this person.
        last_id: u64,
    },
    /// A message to or from this person.
    Message(WireMessage),
    /// The hub stored our `send`.
    Sent {
        /// Our id for it.
        client_id: String,
        /// The hub's id.
        id: u64,
        /// RFC 3339 time.
        at: String,
    },
    /// A message reached one of the recipient's connections.
    Delivered {
        /// Message id.
        id: u64,
        /// Recipient id.
        to: String,
    },
    /// Resync after `hello.since` done.
    Synced {
        /// The largest id sent.
        last_id: u64,
    },
    /// A friend's presence changed.
    Presence {
        /// Friend id.
        id: String,
        /// New status.
        status: Presence,
    },
    /// A friend is typing to us.
    Typing {
        /// Friend id.
        from: String,
    },
    /// The friends online now from the same app as this connection ("Here now"), the whole
    /// list.
    Here {
        /// Friend ids.
        friends: Vec<String>,
    },
    /// Older messages of one conversation.
    History {
        /// Friend id.
        with: String,
        /// Oldest first.
        messages: Vec<WireMessage>,
        /// Whether older ones remain.
        more: bool,
    },
    /// Answer to `ping`.
    Pong,
    /// A refused frame.
    Error {
        /// Stable code (`rate_limited`, `not_friends`, …).
        code: String,
        /// Human-readable message (not shown verbatim to people).
        message: String,
        /// The refused `send`'s client id, if it was one.
        client_id: Option<String>,
        /// When to retry (`rate_limited`).
        retry_after_ms: Option<u64>,
    },
    /// A frame type this client does not know.
    Unknown,
}

fn string(v: &Json, key: &str) -> Option<String> {
    v.get(key).as_str().map(str::to_owned)
}

fn string_or_empty(v: &Json, key: &str) -> String {
    string(v, key).unwrap_or_default()
}

fn presence(v: &Json) -> Presence {
    v.as_str()
        .and_then(Presence::parse)
        .unwrap_or(Presence::Offline)
}

fn person(v: &Json) -> Option<Person> {
    Some(Person {
        id: string(v, "id")?,
        name: string_or_empty(v, "name"),
        picture: string(v, "picture"),
        presence: presence(v.get("presence")),
    })
}

fn wire_message(v: &Json) -> Option<WireMessage> {
    Some(WireMessage {
        id: v.get("id").as_u64()?,
        from: string(v, "from")?,
        to: string(v, "to")?,
        text: string(v, "text")?,
        at: string_or_empty(v, "at"),
        client_id: string(v, "client_id"),
    })
}

/// Parses one text frame; `None` for anything that is not a frame of a known shape (ignored).
pub fn parse(text: &str) -> Option<ServerFrame> {
    let v = Json::parse(text)?;
    let kind = v.get("type").as_str()?;
    Some(match kind {
        "welcome" => ServerFrame::Welcome {
            v: v.get("v").as_u64().unwrap_or(0) as u32,
            me: person(v.get("me"))?,
            friends: v
                .get("friends")
                .as_array()
                .unwrap_or_default()
                .iter()
                .filter_map(person)
                .collect(),
            last_id: v.get("last_id").as_u64().unwrap_or(0),
        },
        "message" => ServerFrame::Message(wire_message(&v)?),
        "sent" => ServerFrame::Sent {
            client_id: string(&v, "client_id")?,
            id: v.get("id").as_u64()?,
            at: string_or_empty(&v, "at"),
        },
        "delivered" => ServerFrame::Delivered {
            id: v.get("id").as_u64()?,
            to: string_or_empty(&v, "to"),
        },
        "synced" => ServerFrame::Synced {
            last_id: v.get("last_id").as_u64().unwrap_or(0),
        },
        "presence" => ServerFrame::Presence {
            id: string(&v, "id")?,
            status: v
                .get("status")
                .as_str()
                .map(|s| Presence::parse(s).unwrap_or(Presence::Offline))?,
        },
        "typing" => ServerFrame::Typing {
            from: string(&v, "from")?,
        },
        "here" => ServerFrame::Here {
            friends: v
                .get("friends")
                .as_array()
                .unwrap_or_default()
                .iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect(),
        },
        "history" => ServerFrame::History {
            with: string(&v, "with")?,
            messages: v
                .get("messages")
                .as_array()
                .unwrap_or_default()
                .iter()
                .filter_map(wire_message)
                .collect(),
            more: v.get("more").as_bool().unwrap_or(false),
        },
        "pong" => ServerFrame::Pong,
        "error" => ServerFrame::Error {
            code: string(&v, "code")?,
            message: string_or_empty(&v, "message"),
            client_id: string(&v, "client_id"),
            retry_after_ms: v.get("retry_after_ms").as_u64(),
        },
        _ => ServerFrame::Unknown,
    })
}

/// A frame to the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    /// Authenticate.
    Hello {
        /// Protocol version.
        v: u32,
        /// Bearer token (never in the URL).
        token: String,
        /// The largest message id seen.
        since: Option<u64>,
    },
    /// Set own presence.
    Presence {
        /// New status.
        status: Presence,
    },
    /// Send a message.
    Send {
        /// Friend id.
        to: String,
        /// 1–2000 characters.
        text: String,
        /// Our id for it.
        client_id: String,
    },
    /// We are typing.
    Typing {
        /// Friend id.
        to: String,
    },
    /// Ask for older messages.
    History {
        /// Friend id.
        with: String,
        /// Messages before this id.
        before: Option<u64>,
        /// How many (≤ 100).
        limit: Option<u32>,
    },
    /// Keep-alive.
    Ping,
    /// The session was renewed: go on under this access token.
    Token {
        /// The new bearer token.
        token: String,
    },
}

impl ClientFrame {
    /// The frame as JSON text.
    pub fn to_json(&self) -> String {
        match self {
            ClientFrame::Hello { v, token, since } => {
                let w = ObjectWriter::new()
                    .str("type", "hello")
                    .num("v", u64::from(*v))
                    .str("token", token);
                match since {
                    Some(s) => w.num("since", *s),
                    None => w,
                }
                .finish()
            }
            ClientFrame::Presence { status } => ObjectWriter::new()
                .str("type", "presence")
                .str("status", status.as_str())
                .finish(),
            ClientFrame::Send {
                to,
                text,
                client_id,
            } => ObjectWriter::new()
                .str("type", "send")
                .str("to", to)
                .str("text", text)
                .str("client_id", client_id)
                .finish(),
            ClientFrame::Typing { to } => ObjectWriter::new()
                .str("type", "typing")
                .str("to", to)
                .finish(),
            ClientFrame::History {
                with,
                before,
                limit,
            } => {
                let mut w = ObjectWriter::new().str("type", "history").str("with", with);
                if let Some(b) = before {
                    w = w.num("before", *b);
                }
                if let Some(l) = limit {
                    w = w.num("limit", u64::from(*l));
                }
                w.finish()
            }
            ClientFrame::Ping => ObjectWriter::new().str("type", "ping").finish(),
            ClientFrame::Token { token } => ObjectWriter::new()
                .str("type", "token")
                .str("token", token)
                .finish(),
        }
    }
}

/// The longest message text the hub accepts, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_welcome_with_friends_and_unknown_presence() {
        let f = parse(
            r#"{"type":"welcome","v":1,"me":{"id":"a","name":"Alice","presence":"available"},
            "friends":[{"id":"b","name":"Bob","picture":"http://p/b","presence":"busy"},
                       {"id":"c","name":"Cy","presence":"dancing"}],"last_id":7}"#,
        )
        .unwrap();
        let ServerFrame::Welcome {
            me,
            friends,
            last_id,
            v,
        } = f
        else {
            panic!("not welcome: {f:?}");
        };
        assert_eq!((me.name.as_str(), v, last_id), ("Alice", 1, 7));
        assert_eq!(friends[0].presence, Presence::Busy);
        assert_eq!(friends[1].presence, Presence::Offline);
    }

    #[test]
    fn parses_message_sent_and_unknown_types() {
        let m = parse(r#"{"type":"message","id":3,"from":"b","to":"a","text":"<b>hi</b>","at":"2026-01-01T00:00:00Z"}"#)
            .unwrap();
        assert!(
            matches!(m, ServerFrame::Message(ref w) if w.text == "<b>hi</b>" && w.client_id.is_none())
        );
        assert_eq!(
            parse(r#"{"type":"sent","client_id":"c1","id":4,"at":"x"}"#),
            Some(ServerFrame::Sent {
                client_id: "c1".into(),
                id: 4,
                at: "x".into()
            })
        );
        assert_eq!(
            parse(r#"{"type":"brand_new","x":1}"#),
            Some(ServerFrame::Unknown)
        );
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"type":"presence","id":"b"}"#), None);
    }

    #[test]
    fn serialises_client_frames() {
        let hello = ClientFrame::Hello {
            v: VERSION,
            token: "t".into(),
            since: None,
        };
        assert_eq!(hello.to_json(), r#"{"type":"hello","v":1,"token":"t"}"#);
        let hello = ClientFrame::Hello {
            v: VERSION,
            token: "t".into(),
            since: Some(9),
        };
        assert_eq!(
            hello.to_json(),
            r#"{"type":"hello","v":1,"token":"t","since":9}"#
        );
        assert_eq!(
            ClientFrame::Presence {
                status: Presence::AppearOffline
            }
            .to_json(),
            r#"{"type":"presence","status":"appear_offline"}"#
        );
        assert_eq!(
            ClientFrame::History {
                with: "b".into(),
                before: None,
                limit: Some(50)
            }
            .to_json(),
            r#"{"type":"history","with":"b","limit":50}"#
        );
        assert_eq!(ClientFrame::Ping.to_json(), r#"{"type":"ping"}"#);
    }

    #[test]
    fn presence_names_round_trip() {
        for p in Presence::CHOICES {
            assert_eq!(Presence::parse(p.as_str()), Some(p));
        }
        assert!(!Presence::AppearOffline.is_online());
        assert!(Presence::Away.is_online());
    }
}
