//! The provider's half of the hub protocol fixtures (`fixtures/hub/`, shared with `<wl-bar>`'s
//! tests): every client frame parses to the frame named here, and every hub frame is exactly what
//! the frame builders write for the same values. A fixture without a case here fails the test.

use super::protocol::{self, ClientFrame, Friend, HubError, Message, Shown, Status};
use serde_json::Value;
use std::path::PathBuf;

fn dir(side: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/hub")
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

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// 2026-11-23T13:45:00Z and friends, as the hub stores times (Unix seconds).
const T_13_45_00: i64 = 1_795_441_500;

fn message(id: i64, from: &str, to: &str, text: &str, at: i64, client_id: Option<&str>) -> Message {
    Message {
        id,
        from: from.into(),
        to: to.into(),
        text: text.into(),
        at,
        client_id: client_id.map(Into::into),
        delivered: false,
    }
}

fn client_case(name: &str) -> ClientFrame {
    let s = |v: &str| v.to_owned();
    match name {
        "hello" => ClientFrame::Hello {
            v: 1,
            token: Some(s("wlat_example")),
            since: None,
        },
        "hello_since" => ClientFrame::Hello {
            v: 1,
            token: Some(s("wlat_example")),
            since: Some(42),
        },
        "presence" => ClientFrame::Presence {
            status: Status::Busy,
        },
        "presence_appear_offline" => ClientFrame::Presence {
            status: Status::AppearOffline,
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
            panic!("fixtures/hub/client/{other}.json has no case in server/src/hub/fixtures.rs")
        }
    }
}

fn hub_case(name: &str) -> String {
    let friend = |id: &str, name: &str, presence| Friend {
        id: id.into(),
        name: name.into(),
        picture: format!("http://127.0.0.1:8081/pictures/{id}.svg"),
        presence,
    };
    match name {
        "welcome" => protocol::welcome(
            "alice",
            "Alice Anderson",
            Status::Busy,
            &[
                friend("bob", "Bob Brown", Shown::Available),
                friend("carol", "Carol <Clark>", Shown::Offline),
            ],
            42,
        ),
        "welcome_appear_offline" => {
            protocol::welcome("alice", "Alice Anderson", Status::AppearOffline, &[], 0)
        }
        "message" => message(43, "bob", "alice", "Hello <i>Alice</i>", T_13_45_00, None)
            .json("alice")
            .to_string(),
        // The sender's own copy (on another of her connections) carries her client id.
        "message_own_copy" => message(44, "alice", "bob", "Hi Bob", T_13_45_00 + 7, Some("c-18"))
            .json("alice")
            .to_string(),
        "sent" => protocol::sent("c-17", 45, T_13_45_00 + 60),
        "delivered" => protocol::delivered(45, "bob"),
        "synced" => protocol::synced(45),
        "presence" => protocol::presence("bob", Shown::Away),
        "presence_offline" => protocol::presence("bob", Shown::Offline),
        "typing" => protocol::typing("bob"),
        "here" => protocol::here(&["bob".into(), "carol".into()]),
        "here_none" => protocol::here(&[]),
        "history" => {
            let day = T_13_45_00 - 3 * 86_400 - 5 * 3600 - 45 * 60;
            protocol::history(
                "alice",
                "bob",
                &[
                    message(3, "bob", "alice", "first", day, None),
                    message(5, "alice", "bob", "second", day + 60, Some("c-2")),
                ],
                true,
            )
        }
        "pong" => protocol::pong(),
        "error_not_friends" => HubError::NotFriends.frame(Some("c-19")),
        "error_rate_limited" => HubError::RateLimited {
            retry_after_ms: 250,
        }
        .frame(None),
        "error_too_many_connections" => HubError::TooManyConnections(8).frame(None),
        "error_hub_full" => HubError::HubFull.frame(None),
        "error_resource_quota_exceeded" => HubError::StorageFull(100_000).frame(Some("c-20")),
        other => panic!("fixtures/hub/hub/{other}.json has no case in server/src/hub/fixtures.rs"),
    }
}

#[test]
fn the_hub_parses_every_client_fixture() {
    for (name, text) in fixtures("client") {
        assert_eq!(
            protocol::parse(&text),
            Ok(client_case(&name)),
            "client/{name}.json"
        );
    }
}

#[test]
fn the_hub_writes_every_hub_fixture() {
    for (name, text) in fixtures("hub") {
        assert_eq!(json(&hub_case(&name)), json(&text), "hub/{name}.json");
    }
}

#[test]
fn the_times_are_the_fixtures_times() {
    assert_eq!(protocol::rfc3339(T_13_45_00), "2026-11-23T13:45:00Z");
}

#[test]
fn the_close_codes_are_the_fixtures() {
    use protocol::close;
    let text = std::fs::read_to_string(dir("").join("close_codes.json")).expect("close codes");
    let ours = serde_json::json!({
        "signed_out": close::SIGNED_OUT,
        "unsupported_version": close::VERSION,
        "unauthorized": close::UNAUTHORIZED,
        "insufficient_scope": close::FORBIDDEN,
        "timeout": close::TIMEOUT,
        "too_many_connections": close::TOO_MANY_CONNECTIONS,
        "flood": close::FLOOD,
        "hub_full": close::HUB_FULL,
        "too_big": close::TOO_BIG,
        "going_away": close::GOING_AWAY,
        "too_slow": close::TOO_SLOW,
    });
    assert_eq!(ours, json(&text), "fixtures/hub/close_codes.json");
}
