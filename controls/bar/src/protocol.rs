//! The messenger hub protocol, version 1 (`docs/messenger.md`): the frames as typed values.
//!
//! Pure: parsing and serialising only, tested natively.

use serde::{Deserialize, Serialize};

/// The protocol version this client speaks.
pub const VERSION: u32 = 1;

/// A person's presence as the hub reports it (`appear_offline` is only ever set by oneself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    #[serde(other)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Person {
    /// The person's id (a conversation is identified by the friend's id).
    pub id: String,
    /// Display name: provider text, shown as text only.
    #[serde(default)]
    pub name: String,
    /// Picture URL, if any.
    #[serde(default)]
    pub picture: Option<String>,
    /// Presence.
    #[serde(default)]
    pub presence: Presence,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    #[serde(default)]
    pub at: String,
    /// The sending client's own id (only on the sender's own copies).
    #[serde(default)]
    pub client_id: Option<String>,
}

/// A frame from the hub. Unknown frame types parse as [`ServerFrame::Unknown`] (ignored, as
/// version 1 allows new frame types).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// `hello` accepted.
    Welcome {
        /// Protocol version.
        #[serde(default)]
        v: u32,
        /// The signed-in person.
        me: Person,
        /// Their friends.
        #[serde(default)]
        friends: Vec<Person>,
        /// The largest message id the hub has for this person.
        #[serde(default)]
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
        #[serde(default)]
        at: String,
    },
    /// A message reached one of the recipient's connections.
    Delivered {
        /// Message id.
        id: u64,
        /// Recipient id.
        #[serde(default)]
        to: String,
    },
    /// Resync after `hello.since` done.
    Synced {
        /// The largest id sent.
        #[serde(default)]
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
    /// Older messages of one conversation.
    History {
        /// Friend id.
        with: String,
        /// Oldest first.
        #[serde(default)]
        messages: Vec<WireMessage>,
        /// Whether older ones remain.
        #[serde(default)]
        more: bool,
    },
    /// Answer to `ping`.
    Pong,
    /// A refused frame.
    Error {
        /// Stable code (`rate_limited`, `not_friends`, …).
        code: String,
        /// Human-readable message (not shown verbatim to people).
        #[serde(default)]
        message: String,
        /// The refused `send`'s client id, if it was one.
        #[serde(default)]
        client_id: Option<String>,
        /// When to retry (`rate_limited`).
        #[serde(default)]
        retry_after_ms: Option<u64>,
    },
    /// A frame type this client does not know.
    #[serde(other)]
    Unknown,
}

/// Parses one text frame; `None` for anything that is not a frame (ignored).
pub fn parse(text: &str) -> Option<ServerFrame> {
    serde_json::from_str(text).ok()
}

/// A frame to the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Authenticate.
    Hello {
        /// Protocol version.
        v: u32,
        /// Bearer token (never in the URL).
        token: String,
        /// The largest message id seen.
        #[serde(skip_serializing_if = "Option::is_none")]
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
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<u64>,
        /// How many (≤ 100).
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    /// Keep-alive.
    Ping,
}

impl ClientFrame {
    /// The frame as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
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
