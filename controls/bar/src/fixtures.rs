//! `<wl-bar>`'s half of the hub protocol fixtures (`fixtures/hub/`, shared with the provider's
//! tests): every hub frame parses to the frame named here, and every client frame is exactly what
//! the bar writes. A fixture without a case here fails the test.

use crate::protocol::{ClientFrame, Person, Presence, ServerFrame, WireMessage, parse};
use std::path::PathBuf;

fn dir(side: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/hub")
        .join(side)
}

/// Every `*.json` file of one side, by name without the extension.
fn fixtures(side: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir(side))
        .expect("fixtures/hub is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&p).expect("a fixture"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir(side).display());
    out
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

fn s(v: &str) -> String {
    v.to_owned()
}

fn person(id: &str, name: &str, presence: Presence) -> Person {
    Person {
        id: s(id),
        name: s(name),
        picture: Some(format!("http://127.0.0.1:8081/pictures/{id}.svg")),
        presence,
    }
}

fn msg(
    id: u64,
    from: &str,
    to: &str,
    text: &str,
    at: &str,
    client_id: Option<&str>,
) -> WireMessage {
    WireMessage {
        id,
        from: s(from),
        to: s(to),
        text: s(text),
        at: s(at),
        client_id: client_id.map(s),
    }
}

fn hub_case(name: &str) -> ServerFrame {
    match name {
        "welcome" => ServerFrame::Welcome {
            v: 1,
            me: Person {
                picture: None,
                ..person("alice", "Alice Anderson", Presence::Busy)
            },
            friends: vec![
                person("bob", "Bob Brown", Presence::Available),
                person("carol", "Carol <Clark>", Presence::Offline),
            ],
            last_id: 42,
        },
        "welcome_appear_offline" => ServerFrame::Welcome {
            v: 1,
            me: Person {
                picture: None,
                ..person("alice", "Alice Anderson", Presence::Offline)
            },
            friends: vec![],
            last_id: 0,
        },
        "message" => ServerFrame::Message(msg(
            43,
            "bob",
            "alice",
            "Hello <i>Alice</i>",
            "2026-11-23T13:45:00Z",
            None,
        )),
        "message_own_copy" => ServerFrame::Message(msg(
            44,
            "alice",
            "bob",
            "Hi Bob",
            "2026-11-23T13:45:07Z",
            Some("c-18"),
        )),
        "sent" => ServerFrame::Sent {
            client_id: s("c-17"),
            id: 45,
            at: s("2026-11-23T13:46:00Z"),
        },
        "delivered" => ServerFrame::Delivered {
            id: 45,
            to: s("bob"),
        },
        "synced" => ServerFrame::Synced { last_id: 45 },
        "presence" => ServerFrame::Presence {
            id: s("bob"),
            status: Presence::Away,
        },
        "presence_offline" => ServerFrame::Presence {
            id: s("bob"),
            status: Presence::Offline,
        },
        "typing" => ServerFrame::Typing { from: s("bob") },
        "here" => ServerFrame::Here {
            friends: vec![s("bob"), s("carol")],
        },
        "here_none" => ServerFrame::Here { friends: vec![] },
        "history" => ServerFrame::History {
            with: s("bob"),
            messages: vec![
                msg(3, "bob", "alice", "first", "2026-11-20T08:00:00Z", None),
                msg(
                    5,
                    "alice",
                    "bob",
                    "second",
                    "2026-11-20T08:01:00Z",
                    Some("c-2"),
                ),
            ],
            more: true,
        },
        "pong" => ServerFrame::Pong,
        "error_not_friends" => ServerFrame::Error {
            code: s("not_friends"),
            message: s("You can only chat with your friends."),
            client_id: Some(s("c-19")),
            retry_after_ms: None,
        },
        "error_rate_limited" => ServerFrame::Error {
            code: s("rate_limited"),
            message: s("Too many frames; retry in 250 ms."),
            client_id: None,
            retry_after_ms: Some(250),
        },
        "error_too_many_connections" => ServerFrame::Error {
            code: s("too_many_connections"),
            message: s(
                "You have too many messenger connections open (at most 8). Close one and try again.",
            ),
            client_id: None,
            retry_after_ms: None,
        },
        "error_resource_quota_exceeded" => ServerFrame::Error {
            code: s("resource_quota_exceeded"),
            message: s(
                "You have stored the most messages allowed (100000). The message was not sent.",
            ),
            client_id: Some(s("c-20")),
            retry_after_ms: None,
        },
        "error_hub_full" => ServerFrame::Error {
            code: s("hub_full"),
            message: s("The messenger hub is full. Try again later."),
            client_id: None,
            retry_after_ms: None,
        },
        other => {
            panic!("fixtures/hub/hub/{other}.json has no case in controls/bar/src/fixtures.rs")
        }
    }
}

fn client_case(name: &str) -> ClientFrame {
    match name {
        "hello" => ClientFrame::Hello {
            v: 1,
            token: s("wlat_example"),
            since: None,
        },
        "hello_since" => ClientFrame::Hello {
            v: 1,
            token: s("wlat_example"),
            since: Some(42),
        },
        "presence" => ClientFrame::Presence {
            status: Presence::Busy,
        },
        "presence_appear_offline" => ClientFrame::Presence {
            status: Presence::AppearOffline,
        },
        "send" => ClientFrame::Send {
            to: s("bob"),
            text: s("Hi Bob <b>&</b> \"quoted\" ☕"),
            client_id: s("c-17"),
        },
        "typing" => ClientFrame::Typing { to: s("bob") },
        "history" => ClientFrame::History {
            with: s("bob"),
            before: None,
            limit: Some(50),
        },
        "history_before" => ClientFrame::History {
            with: s("bob"),
            before: Some(120),
            limit: Some(20),
        },
        "ping" => ClientFrame::Ping,
        "token" => ClientFrame::Token {
            token: s("wlat_renewed"),
        },
        other => {
            panic!("fixtures/hub/client/{other}.json has no case in controls/bar/src/fixtures.rs")
        }
    }
}

#[test]
fn the_bar_parses_every_hub_fixture() {
    for (name, text) in fixtures("hub") {
        assert_eq!(parse(&text), Some(hub_case(&name)), "hub/{name}.json");
    }
}

#[test]
fn the_bar_writes_every_client_fixture() {
    for (name, text) in fixtures("client") {
        assert_eq!(
            json(&client_case(&name).to_json()),
            json(&text),
            "client/{name}.json"
        );
    }
}

/// Every close code of `fixtures/hub/close_codes.json`: the ones the bar sends are its own
/// constants, and after each one the hub sends the bar does what the protocol says (stop on a
/// refused version or token, ask for consent on a missing scope, reconnect later otherwise).
#[test]
fn the_bar_knows_every_close_code() {
    use crate::protocol::close;
    use crate::state::{Link, Reconnect, State};
    let text = std::fs::read_to_string(dir("").join("close_codes.json")).expect("close codes");
    let codes = json(&text);
    let codes = codes.as_object().expect("an object");
    let code = |name: &str| codes[name].as_u64().expect("a code") as u16;
    assert_eq!(code("signed_out"), close::SIGNED_OUT);
    assert_eq!(code("unsupported_version"), close::UNSUPPORTED_VERSION);
    assert_eq!(code("unauthorized"), close::UNAUTHORIZED);
    assert_eq!(code("insufficient_scope"), close::INSUFFICIENT_SCOPE);
    let welcome = std::fs::read_to_string(dir("hub").join("welcome.json")).expect("welcome");
    for name in codes.keys().filter(|n| *n != "signed_out") {
        let mut s = State::new("p");
        s.apply(parse(&welcome).expect("a welcome"), 0.0);
        assert_eq!(s.link, Link::Online);
        let next = s.closed_with(code(name));
        let expected = match name.as_str() {
            "unsupported_version" | "unauthorized" => (Reconnect::No, Link::Failed(name.clone())),
            "insufficient_scope" => (Reconnect::No, Link::NeedsConsent),
            _ => (Reconnect::Later, Link::Reconnecting),
        };
        assert_eq!((next, s.link), expected, "{name}");
    }
}
