//! The wire format of the hub (`docs/messenger.md`, version 1): client frames parsed from JSON
//! text, hub frames built as JSON text, and the error codes. Pure functions, no I/O.

use serde::Deserialize;
use serde_json::{Value, json};

/// The protocol version this hub speaks.
pub const VERSION: u64 = 1;
pub use crate::store::messages::{MAX_TEXT_CHARS, TEXT_PATTERN, is_blank};
/// The longest `client_id` a client may give a message.
pub const MAX_CLIENT_ID: usize = 128;
/// `history.limit` when the client gives none.
pub const DEFAULT_HISTORY: u32 = 50;
/// The largest `history.limit` (larger values are lowered to it).
pub const MAX_HISTORY: u32 = 100;

/// A presence a person can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Online and free to chat (the default).
    #[default]
    Available,
    /// Online, do not disturb.
    Busy,
    /// Online, away from the keyboard.
    Away,
    /// Online, but shown to friends as offline.
    AppearOffline,
}

impl Status {
    /// The wire name of the chosen status.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Busy => "busy",
            Self::Away => "away",
            Self::AppearOffline => "appear_offline",
        }
    }

    /// What friends see while the person has a connection.
    pub fn shown(self) -> Shown {
        match self {
            Self::Available => Shown::Available,
            Self::Busy => Shown::Busy,
            Self::Away => Shown::Away,
            Self::AppearOffline => Shown::Offline,
        }
    }
}

/// A presence as friends see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Online and free.
    Available,
    /// Do not disturb.
    Busy,
    /// Away.
    Away,
    /// No connection, or "appear offline".
    Offline,
}

impl Shown {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Busy => "busy",
            Self::Away => "away",
            Self::Offline => "offline",
        }
    }
}

/// A frame from a client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Authenticate.
    Hello {
        /// The protocol version the client speaks.
        v: u64,
        /// The bearer token (`None`: missing, refused with `unauthorized`).
        #[serde(default)]
        token: Option<String>,
        /// The largest message id the client has seen.
        #[serde(default)]
        since: Option<u64>,
    },
    /// Set one's own presence.
    Presence {
        /// The chosen status.
        status: Status,
    },
    /// Send a message to a friend.
    Send {
        /// The friend's id.
        to: String,
        /// The text.
        text: String,
        /// The client's own id for the message, echoed in `sent`.
        client_id: String,
    },
    /// The person is typing to a friend.
    Typing {
        /// The friend's id.
        to: String,
    },
    /// Older messages of one conversation.
    History {
        /// The friend's id.
        with: String,
        /// Only messages with a smaller id.
        #[serde(default)]
        before: Option<u64>,
        /// How many (at most [`MAX_HISTORY`]).
        #[serde(default)]
        limit: Option<u32>,
    },
    /// Application-level keep-alive.
    Ping,
    /// The session was renewed: the connection goes on under this access token (the same
    /// person's, from the same app, with `wl.messenger`), which the heartbeat checks from now on.
    Token {
        /// The new bearer token.
        token: String,
    },
}

/// The frame types a client may send.
const KNOWN: &[&str] = &[
    "hello", "presence", "send", "typing", "history", "ping", "token",
];

/// Why the hub refused a frame or a connection. Each has a stable wire code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// Not JSON, or a field missing or of the wrong type.
    #[error("The frame is not valid: {0}")]
    BadFrame(String),
    /// A `type` the hub does not know.
    #[error("The hub does not know frames of type `{0}`.")]
    UnknownType(String),
    /// `hello.v` is not 1.
    #[error("This hub speaks protocol version 1.")]
    UnsupportedVersion,
    /// The token is missing, unknown, expired or revoked.
    #[error("The access token is missing, invalid, expired or has been revoked.")]
    Unauthorized,
    /// The token lacks `wl.messenger`.
    #[error("The access token needs the wl.messenger scope.")]
    InsufficientScope,
    /// The other person is not a friend.
    #[error("You can only chat with your friends.")]
    NotFriends,
    /// The text is empty or too long.
    #[error("A message must have 1 to 2000 characters.")]
    MessageTooLong,
    /// The frame is over the soft size limit.
    #[error("The frame is over 16 KiB.")]
    FrameTooLarge,
    /// Too many frames.
    #[error("Too many frames; retry in {retry_after_ms} ms.")]
    RateLimited {
        /// When a frame will be accepted again.
        retry_after_ms: u64,
    },
    /// A frame other than `hello` before `hello` was accepted.
    #[error("Say hello first.")]
    NotReady,
    /// The person already has the most connections the hub allows one person.
    #[error("You have too many messenger connections open (at most {0}). Close one and try again.")]
    TooManyConnections(usize),
    /// The hub has the most connections it serves.
    #[error("The messenger hub is full. Try again later.")]
    HubFull,
    /// The sender already has the most messages the hub stores per person.
    #[error("You have stored the most messages allowed ({0}). The message was not sent.")]
    StorageFull(i64),
    /// A storage failure on the hub (the frame had no effect; the client may retry).
    #[error("Something went wrong on the hub. Please try again.")]
    Server,
}

impl HubError {
    /// The stable code in the `error` frame.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadFrame(_) => "bad_frame",
            Self::UnknownType(_) => "unknown_type",
            Self::UnsupportedVersion => "unsupported_version",
            Self::Unauthorized => "unauthorized",
            Self::InsufficientScope => "insufficient_scope",
            Self::NotFriends => "not_friends",
            Self::MessageTooLong => "message_too_long",
            Self::FrameTooLarge => "frame_too_large",
            Self::RateLimited { .. } => "rate_limited",
            Self::NotReady => "not_ready",
            Self::TooManyConnections(_) => "too_many_connections",
            Self::HubFull => "hub_full",
            Self::StorageFull(_) => "resource_quota_exceeded",
            Self::Server => "server_error",
        }
    }

    /// The WebSocket close code when this error ends the connection.
    pub fn close_code(&self) -> Option<u16> {
        match self {
            Self::UnsupportedVersion => Some(close::VERSION),
            Self::Unauthorized => Some(close::UNAUTHORIZED),
            Self::InsufficientScope => Some(close::FORBIDDEN),
            Self::TooManyConnections(_) => Some(close::TOO_MANY_CONNECTIONS),
            Self::HubFull => Some(close::HUB_FULL),
            _ => None,
        }
    }

    /// The `error` frame, with the `client_id` of the refused `send` if any.
    pub fn frame(&self, client_id: Option<&str>) -> String {
        let mut v = json!({ "type": "error", "code": self.code(), "message": self.to_string() });
        if let Some(id) = client_id {
            v["client_id"] = json!(id);
        }
        if let Self::RateLimited { retry_after_ms } = self {
            v["retry_after_ms"] = json!(retry_after_ms);
        }
        v.to_string()
    }
}

/// The close codes of the hub protocol (`fixtures/hub/close_codes.json` holds them for both
/// ends' tests).
pub mod close {
    /// Sent by a client: its person signed out, so friends see them offline at once (no
    /// offline grace).
    pub const SIGNED_OUT: u16 = 4000;
    /// `hello.v` is not 1.
    pub const VERSION: u16 = 4400;
    /// The token is missing, invalid, expired or revoked (also when it is revoked later).
    pub const UNAUTHORIZED: u16 = 4401;
    /// The token lacks `wl.messenger`.
    pub const FORBIDDEN: u16 = 4403;
    /// No `hello` in time, or no sign of life for the dead-connection interval.
    pub const TIMEOUT: u16 = 4408;
    /// The person already has the most connections allowed (this, the newest, is closed).
    pub const TOO_MANY_CONNECTIONS: u16 = 4409;
    /// Too many refused frames.
    pub const FLOOD: u16 = 4429;
    /// The hub serves the most connections it allows overall.
    pub const HUB_FULL: u16 = 4503;
    /// A frame over the hard size limit.
    pub const TOO_BIG: u16 = 1009;
    /// The hub is stopping.
    pub const GOING_AWAY: u16 = 1001;
    /// The client does not read its frames fast enough.
    pub const TOO_SLOW: u16 = 1013;
}

/// Parses one text frame.
pub fn parse(text: &str) -> Result<ClientFrame, HubError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| HubError::BadFrame(format!("not JSON ({e})")))?;
    let ty = value
        .as_object()
        .ok_or_else(|| HubError::BadFrame("not a JSON object".into()))?
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| HubError::BadFrame("no `type` string".into()))?;
    if !KNOWN.contains(&ty) {
        return Err(HubError::UnknownType(truncate(ty, 40)));
    }
    let ty = ty.to_owned();
    let frame: ClientFrame =
        serde_json::from_value(value).map_err(|e| HubError::BadFrame(format!("`{ty}`: {e}")))?;
    check(&frame)?;
    Ok(frame)
}

/// Field checks beyond types (the ones with their own codes come later, in the hub).
fn check(frame: &ClientFrame) -> Result<(), HubError> {
    match frame {
        ClientFrame::Send { client_id, .. } if client_id.chars().count() > MAX_CLIENT_ID => Err(
            HubError::BadFrame(format!("`client_id` is over {MAX_CLIENT_ID} characters")),
        ),
        _ => Ok(()),
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Checks a message text: 1 to [`MAX_TEXT_CHARS`] characters, not only white space.
pub fn check_text(text: &str) -> Result<(), HubError> {
    if is_blank(text) || text.chars().count() > MAX_TEXT_CHARS {
        Err(HubError::MessageTooLong)
    } else {
        Ok(())
    }
}

/// The effective `history.limit`.
pub fn history_limit(limit: Option<u32>) -> u32 {
    limit.unwrap_or(DEFAULT_HISTORY).clamp(1, MAX_HISTORY)
}

/// Unix seconds as RFC 3339 in UTC (`2026-11-23T13:45:00Z`).
pub fn rfc3339(secs: i64) -> String {
    let (y, m, d, h, mi, s) = crate::clock::civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

pub use crate::store::messages::Message;

impl Message {
    /// The message as JSON for `viewer` (the `client_id` only on the sender's own copies).
    pub fn json(&self, viewer: &str) -> Value {
        let mut v = json!({
            "type": "message",
            "id": self.id,
            "from": self.from,
            "to": self.to,
            "text": self.text,
            "at": rfc3339(self.at),
        });
        if let (true, Some(c)) = (viewer == self.from, &self.client_id) {
            v["client_id"] = json!(c);
        }
        v
    }
}

/// A friend as listed in `welcome`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Friend {
    /// The friend's id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Absolute picture URL.
    pub picture: String,
    /// Presence as this person sees it.
    pub presence: Shown,
}

/// `welcome`: `hello` accepted for `me_id` (`status` is the person's own choice).
pub fn welcome(
    me_id: &str,
    me_name: &str,
    status: Status,
    friends: &[Friend],
    last_id: i64,
) -> String {
    let list: Vec<Value> = friends
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "name": f.name,
                "picture": f.picture,
                "presence": f.presence.as_str(),
            })
        })
        .collect();
    json!({
        "type": "welcome",
        "v": VERSION,
        "me": {
            "id": me_id,
            "name": me_name,
            "presence": status.shown().as_str(),
            "status": status.as_str(),
        },
        "friends": list,
        "last_id": last_id,
    })
    .to_string()
}

/// `sent`.
pub fn sent(client_id: &str, id: i64, at: i64) -> String {
    json!({ "type": "sent", "client_id": client_id, "id": id, "at": rfc3339(at) }).to_string()
}

/// `delivered`.
pub fn delivered(id: i64, to: &str) -> String {
    json!({ "type": "delivered", "id": id, "to": to }).to_string()
}

/// `synced`.
pub fn synced(last_id: i64) -> String {
    json!({ "type": "synced", "last_id": last_id }).to_string()
}

/// `presence` of a friend.
pub fn presence(id: &str, shown: Shown) -> String {
    json!({ "type": "presence", "id": id, "status": shown.as_str() }).to_string()
}

/// `here`: the friends online now from the same app as the connection ("here now"; friends
/// who hide that app are never listed), sorted.
pub fn here(friends: &[String]) -> String {
    json!({ "type": "here", "friends": friends }).to_string()
}

/// `typing`.
pub fn typing(from: &str) -> String {
    json!({ "type": "typing", "from": from }).to_string()
}

/// `pong`.
pub fn pong() -> String {
    json!({ "type": "pong" }).to_string()
}

/// `history`: `messages` oldest first.
pub fn history(viewer: &str, with: &str, messages: &[Message], more: bool) -> String {
    let list: Vec<Value> = messages.iter().map(|m| m.json(viewer)).collect();
    json!({ "type": "history", "with": with, "messages": list, "more": more }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_known_frame() {
        assert_eq!(
            parse(r#"{"type":"hello","v":1,"token":"wlat_x","since":7}"#).unwrap(),
            ClientFrame::Hello {
                v: 1,
                token: Some("wlat_x".into()),
                since: Some(7)
            }
        );
        assert_eq!(
            parse(r#"{"type":"hello","v":2}"#).unwrap(),
            ClientFrame::Hello {
                v: 2,
                token: None,
                since: None
            }
        );
        assert_eq!(
            parse(r#"{"type":"presence","status":"appear_offline"}"#).unwrap(),
            ClientFrame::Presence {
                status: Status::AppearOffline
            }
        );
        assert_eq!(
            parse(r#"{"type":"send","to":"b","text":"hi","client_id":"c1","extra":true}"#).unwrap(),
            ClientFrame::Send {
                to: "b".into(),
                text: "hi".into(),
                client_id: "c1".into()
            }
        );
        assert_eq!(
            parse(r#"{"type":"typing","to":"b"}"#).unwrap(),
            ClientFrame::Typing { to: "b".into() }
        );
        assert_eq!(
            parse(r#"{"type":"history","with":"b","before":10}"#).unwrap(),
            ClientFrame::History {
                with: "b".into(),
                before: Some(10),
                limit: None
            }
        );
        assert_eq!(parse(r#"{"type":"ping"}"#).unwrap(), ClientFrame::Ping);
    }

    #[test]
    fn refuses_bad_frames_with_their_codes() {
        for bad in [
            "not json",
            "[1,2]",
            r#"{"no":"type"}"#,
            r#"{"type":7}"#,
            r#"{"type":"send","to":"b","text":"hi"}"#,
            r#"{"type":"send","to":"b","text":5,"client_id":"c"}"#,
            r#"{"type":"hello","v":"1","token":"t"}"#,
            r#"{"type":"hello","v":-1}"#,
            r#"{"type":"presence","status":"invisible"}"#,
            r#"{"type":"history","with":"b","limit":-3}"#,
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "bad_frame", "{bad}");
        }
        let long_id = format!(
            r#"{{"type":"send","to":"b","text":"x","client_id":"{}"}}"#,
            "c".repeat(129)
        );
        assert_eq!(parse(&long_id).unwrap_err().code(), "bad_frame");
        let e = parse(r#"{"type":"dance"}"#).unwrap_err();
        assert_eq!(e, HubError::UnknownType("dance".into()));
        assert_eq!(e.code(), "unknown_type");
    }

    #[test]
    fn text_limits_count_characters() {
        assert!(check_text("hi").is_ok());
        assert!(check_text(&"é".repeat(2000)).is_ok());
        assert_eq!(check_text(&"é".repeat(2001)), Err(HubError::MessageTooLong));
        assert_eq!(check_text(""), Err(HubError::MessageTooLong));
        assert_eq!(check_text(" \n"), Err(HubError::MessageTooLong));
        // Found by Schemathesis: a lone carriage return, control characters, a byte-order mark.
        for blank in ["\r", "\u{1}\t", "\u{feff}", "\u{1c}\u{85}\u{3000}"] {
            assert_eq!(
                check_text(blank),
                Err(HubError::MessageTooLong),
                "{blank:?}"
            );
        }
        assert!(check_text(" \u{1}x").is_ok());
    }

    /// The schema's pattern and the hub's rule agree on every character.
    #[test]
    fn text_pattern_is_is_blank() {
        let pattern = regex::Regex::new(TEXT_PATTERN).unwrap();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let one = c.encode_utf8(&mut buf);
            assert_eq!(pattern.is_match(one), !is_blank(one), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn history_limit_is_clamped() {
        assert_eq!(history_limit(None), 50);
        assert_eq!(history_limit(Some(0)), 1);
        assert_eq!(history_limit(Some(500)), 100);
    }

    #[test]
    fn error_frames_carry_code_and_extras() {
        let v: Value =
            serde_json::from_str(&HubError::RateLimited { retry_after_ms: 50 }.frame(Some("c1")))
                .unwrap();
        assert_eq!(v["type"], "error");
        assert_eq!(v["code"], "rate_limited");
        assert_eq!(v["retry_after_ms"], 50);
        assert_eq!(v["client_id"], "c1");
        assert_eq!(HubError::InsufficientScope.close_code(), Some(4403));
        assert_eq!(HubError::NotFriends.close_code(), None);
    }

    #[test]
    fn own_copies_carry_the_client_id() {
        let m = Message {
            id: 3,
            from: "a".into(),
            to: "b".into(),
            text: "hi".into(),
            at: 0,
            client_id: Some("c".into()),
            delivered: false,
        };
        assert_eq!(m.json("a")["client_id"], "c");
        assert!(m.json("b").get("client_id").is_none());
        assert_eq!(m.json("b")["at"], "1970-01-01T00:00:00Z");
        assert_eq!(Status::AppearOffline.shown().as_str(), "offline");
    }
}
