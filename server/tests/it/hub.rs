//! The messenger hub over real WebSockets on loopback: presence, delivery (live, offline, in
//! order), resync with `since`, history, typing, and every refusal with its code (and close code
//! where the protocol closes).
use std::time::Duration;

use crate::common::TestServer;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};
use wl_server::hub::HubConfig;

/// How long any single read may take before the test fails (a hang guard, not a speed check).
const PATIENCE: Duration = Duration::from_secs(15);

/// What a read gave.
#[derive(Debug)]
enum Got {
    Frame(Value),
    Closed(Option<u16>),
}

pub(crate) struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// `here` frames read past by [`Client::next`] (issue 16), oldest first, for
    /// [`Client::here`].
    heres: std::collections::VecDeque<Value>,
}

impl Client {
    async fn open(srv: &TestServer) -> Self {
        let url = format!("ws://{}/v1/hub", srv.running.provider_addr);
        let (ws, _) = connect_async(url).await.expect("WebSocket connects");
        Self {
            ws,
            heres: Default::default(),
        }
    }

    /// Opens a connection and says hello as `user` (scope `wl.messenger`); returns the welcome.
    pub(crate) async fn hello(srv: &TestServer, user: &str) -> (Self, Value) {
        Self::hello_since(srv, user, None).await
    }

    async fn hello_since(srv: &TestServer, user: &str, since: Option<i64>) -> (Self, Value) {
        let token = srv.dev_token(user, "wl.messenger").await;
        Self::hello_with(srv, &token, since).await
    }

    /// Says hello with `token`; returns the welcome.
    pub(crate) async fn hello_with(
        srv: &TestServer,
        token: &str,
        since: Option<i64>,
    ) -> (Self, Value) {
        let mut c = Self::open(srv).await;
        let mut hello = json!({ "type": "hello", "v": 1, "token": token });
        if let Some(s) = since {
            hello["since"] = json!(s);
        }
        c.send(hello).await;
        let welcome = c.next().await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        (c, welcome)
    }

    pub(crate) async fn send(&mut self, v: Value) {
        self.send_text(v.to_string()).await;
    }

    async fn send_text(&mut self, text: String) {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .expect("send");
    }

    async fn read(&mut self) -> Got {
        loop {
            let msg = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("a frame in time");
            match msg {
                Some(Ok(Message::Text(t))) => return Got::Frame(serde_json::from_str(&t).unwrap()),
                Some(Ok(Message::Close(f))) => return Got::Closed(f.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Got::Closed(None),
            }
        }
    }

    /// The next text frame, but `here` frames (kept for [`Client::here`]).
    pub(crate) async fn next(&mut self) -> Value {
        loop {
            match self.read().await {
                Got::Frame(v) if v["type"] == "here" => self.heres.push_back(v),
                Got::Frame(v) => return v,
                Got::Closed(code) => panic!("closed ({code:?}) while a frame was expected"),
            }
        }
    }

    /// The next `here` frame's list (other frames read past are dropped).
    pub(crate) async fn here(&mut self) -> Vec<String> {
        let v = match self.heres.pop_front() {
            Some(v) => v,
            None => loop {
                match self.read().await {
                    Got::Frame(v) if v["type"] == "here" => break v,
                    Got::Frame(_) => continue,
                    Got::Closed(code) => panic!("closed ({code:?}) while `here` was expected"),
                }
            },
        };
        v["friends"]
            .as_array()
            .expect("here.friends is a list")
            .iter()
            .map(|f| f.as_str().expect("an id").to_owned())
            .collect()
    }

    /// No `here` frame comes within a short while (nothing else arrives either, or it is
    /// dropped).
    pub(crate) async fn no_here(&mut self) {
        assert!(self.heres.is_empty(), "unexpected here: {:?}", self.heres);
        self.alive().await;
        assert!(self.heres.is_empty(), "unexpected here: {:?}", self.heres);
    }

    /// Frames up to and including the first of type `ty`, which is returned.
    pub(crate) async fn until(&mut self, ty: &str) -> Value {
        loop {
            let v = self.next().await;
            if v["type"] == ty {
                return v;
            }
        }
    }

    /// Reads until the hub closes; returns the close code.
    async fn closed(&mut self) -> Option<u16> {
        loop {
            if let Got::Closed(code) = self.read().await {
                return code;
            }
        }
    }

    /// Every frame before the `pong` to a `ping` (`here` frames included).
    async fn frames_until_pong(&mut self) -> Vec<Value> {
        self.send(json!({ "type": "ping" })).await;
        let mut got: Vec<Value> = self.heres.drain(..).collect();
        loop {
            match self.read().await {
                Got::Frame(v) if v["type"] == "pong" => return got,
                Got::Frame(v) => got.push(v),
                Got::Closed(code) => panic!("closed ({code:?}) while a pong was expected"),
            }
        }
    }

    /// Closes the connection as a page does, with a close `code`.
    async fn close_with(&mut self, code: u16) {
        use tokio_tungstenite::tungstenite::protocol::CloseFrame;
        let frame = CloseFrame {
            code: code.into(),
            reason: "".into(),
        };
        self.ws.close(Some(frame)).await.unwrap();
    }

    /// The next `presence` frame says `id` went offline, and it comes without the offline
    /// grace (within [`PATIENCE`], far less than [`LONG_GRACE`]).
    async fn offline_at_once(&mut self, id: &str) {
        let p = tokio::time::timeout(PATIENCE, self.until("presence"))
            .await
            .expect("offline at once, not after the offline grace");
        assert_eq!(
            p,
            json!({ "type": "presence", "id": id, "status": "offline" })
        );
    }

    /// No `presence` frame came before the `pong` to a `ping` now (`why` names the case).
    async fn no_presence(&mut self, why: &str) {
        let heard = self.frames_until_pong().await;
        assert!(
            !heard.iter().any(|v| v["type"] == "presence"),
            "{why}: {heard:?}"
        );
    }

    /// The connection still answers: `ping` gets `pong`.
    async fn alive(&mut self) {
        self.send(json!({ "type": "ping" })).await;
        self.until("pong").await;
    }

    async fn message(&mut self, to: &str, text: &str, client_id: &str) -> Value {
        self.send(json!({ "type": "send", "to": to, "text": text, "client_id": client_id }))
            .await;
        let sent = self.until("sent").await;
        assert_eq!(sent["client_id"], client_id);
        sent
    }
}

fn friend<'a>(welcome: &'a Value, id: &str) -> &'a Value {
    welcome["friends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{id} among the friends in {welcome}"))
}

#[tokio::test]
async fn discovery_names_the_hub() {
    let srv = TestServer::start().await;
    let doc = srv.discovery().await;
    let hub = doc["wl_messenger_hub"].as_str().unwrap();
    assert_eq!(hub, format!("ws://{}/v1/hub", srv.running.provider_addr));
    let (mut ws, _) = connect_async(hub)
        .await
        .expect("the named hub accepts WebSockets");
    ws.send(Message::Text(json!({ "type": "ping" }).to_string().into()))
        .await
        .unwrap();
    let Some(Ok(Message::Text(t))) = ws.next().await else {
        panic!("an answer");
    };
    assert!(t.contains("not_ready"), "{t}");
}

#[tokio::test]
async fn welcome_lists_me_and_my_friends() {
    let srv = TestServer::start().await;
    let (_a, w) = Client::hello(&srv, "alice").await;
    assert_eq!(w["v"], 1);
    assert_eq!(w["me"]["id"], srv.person_id("alice"));
    assert_eq!(w["me"]["name"], "Alice Anderson");
    assert_eq!(w["me"]["presence"], "available");
    assert_eq!(w["last_id"], 0);
    let bob = friend(&w, &srv.person_id("bob"));
    assert_eq!(bob["name"], "Bob Baker");
    assert_eq!(bob["presence"], "offline");
    assert!(
        bob["picture"]
            .as_str()
            .unwrap()
            .starts_with(&srv.provider())
    );
    // Mallory's markup name is plain data in a JSON string.
    let mallory = friend(&w, &srv.person_id("mallory"));
    assert_eq!(mallory["name"], "<img src=x onerror=alert(1)>");
    assert!(
        w["friends"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] != srv.person_id("carol")),
        "carol is not alice's friend"
    );
}

#[tokio::test]
async fn presence_fans_out_to_online_friends() {
    let srv = TestServer::start().await;
    let bob_id = srv.person_id("bob");
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;

    // Carol (not a friend) comes online: alice hears nothing of it, so the next frame she
    // gets is about bob.
    let (mut carol, _) = Client::hello(&srv, "carol").await;
    carol.until("synced").await;

    let (mut bob, w) = Client::hello(&srv, "bob").await;
    assert_eq!(friend(&w, &srv.person_id("alice"))["presence"], "available");
    let p = alice.next().await;
    assert_eq!(
        p,
        json!({ "type": "presence", "id": bob_id, "status": "available" })
    );

    for (set, shown) in [
        ("busy", "busy"),
        ("away", "away"),
        ("appear_offline", "offline"),
        ("available", "available"),
    ] {
        bob.send(json!({ "type": "presence", "status": set })).await;
        let p = alice.next().await;
        assert_eq!(
            p,
            json!({ "type": "presence", "id": bob_id, "status": shown })
        );
    }

    // A second connection of bob changes nothing; closing both makes him offline once.
    let (mut bob2, w2) = Client::hello(&srv, "bob").await;
    assert_eq!(w2["me"]["presence"], "available");
    bob2.until("synced").await;
    bob.ws.close(None).await.unwrap();
    bob2.send(json!({ "type": "presence", "status": "busy" }))
        .await;
    let p = alice.next().await;
    assert_eq!(p["status"], "busy", "bob is still online through bob2: {p}");
    bob2.ws.close(None).await.unwrap();
    let p = alice.next().await;
    assert_eq!(
        p,
        json!({ "type": "presence", "id": bob_id, "status": "offline" })
    );

    // The chosen status is kept for his next connection.
    let (_bob3, w3) = Client::hello(&srv, "bob").await;
    assert_eq!(w3["me"]["status"], "busy");
    assert_eq!(w3["me"]["presence"], "busy");
    let p = alice.next().await;
    assert_eq!(p["status"], "busy");
}

#[tokio::test]
async fn messages_are_delivered_and_acknowledged() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id) = (srv.person_id("alice"), srv.person_id("bob"));
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let (mut alice2, _) = Client::hello(&srv, "alice").await;
    alice2.until("synced").await;
    let (mut bob, _) = Client::hello(&srv, "bob").await;
    bob.until("synced").await;

    let sent = alice.message(&bob_id, "Hi Bob <b>!</b>", "c-1").await;
    let id = sent["id"].as_i64().unwrap();
    assert!(id > 0);
    assert!(sent["at"].as_str().unwrap().ends_with('Z'));

    let m = bob.until("message").await;
    assert_eq!(m["id"], id);
    assert_eq!(m["from"], alice_id);
    assert_eq!(m["to"], bob_id);
    assert_eq!(m["text"], "Hi Bob <b>!</b>");
    assert_eq!(m["at"], sent["at"]);
    assert!(
        m.get("client_id").is_none(),
        "only the sender's copies: {m}"
    );

    let copy = alice2.until("message").await;
    assert_eq!(copy["id"], id);
    assert_eq!(copy["client_id"], "c-1");

    let d = alice.until("delivered").await;
    assert_eq!(d, json!({ "type": "delivered", "id": id, "to": bob_id }));

    // Bob answers; alice's connections both get it.
    let sent = bob.message(&alice_id, "Hello!", "b-1").await;
    for c in [&mut alice, &mut alice2] {
        let m = c.until("message").await;
        assert_eq!(m["id"], sent["id"]);
        assert_eq!(m["text"], "Hello!");
    }
}

#[tokio::test]
async fn offline_friend_gets_messages_when_they_connect() {
    let srv = TestServer::start().await;
    let bob_id = srv.person_id("bob");
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let first = alice.message(&bob_id, "one", "c-1").await["id"]
        .as_i64()
        .unwrap();
    let second = alice.message(&bob_id, "two", "c-2").await["id"]
        .as_i64()
        .unwrap();

    let (mut bob, w) = Client::hello(&srv, "bob").await;
    assert_eq!(w["last_id"], second);
    let m1 = bob.next().await;
    let m2 = bob.next().await;
    assert_eq!(
        (m1["id"].as_i64(), m1["text"].as_str()),
        (Some(first), Some("one"))
    );
    assert_eq!(
        (m2["id"].as_i64(), m2["text"].as_str()),
        (Some(second), Some("two"))
    );
    let s = bob.next().await;
    assert_eq!(s, json!({ "type": "synced", "last_id": second }));

    // Alice learns both arrived (after bob's presence).
    let mut delivered = Vec::new();
    while delivered.len() < 2 {
        let f = alice.next().await;
        if f["type"] == "delivered" {
            delivered.push(f["id"].as_i64().unwrap());
        }
    }
    delivered.sort();
    assert_eq!(delivered, vec![first, second]);

    // Delivered once: a new connection of bob without `since` gets nothing again.
    let (mut bob2, _) = Client::hello(&srv, "bob").await;
    assert_eq!(
        bob2.next().await,
        json!({ "type": "synced", "last_id": second })
    );
}

#[tokio::test]
async fn a_conversation_arrives_in_order() {
    let srv = TestServer::start().await;
    let bob_id = srv.person_id("bob");
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let (mut bob, _) = Client::hello(&srv, "bob").await;
    bob.until("synced").await;
    // Many sends without waiting for their answers.
    for i in 0..30 {
        alice
            .send(json!({ "type": "send", "to": bob_id, "text": format!("m{i}"), "client_id": format!("c{i}") }))
            .await;
    }
    let mut sent_ids = Vec::new();
    while sent_ids.len() < 30 {
        let f = alice.next().await;
        if f["type"] == "sent" {
            assert_eq!(f["client_id"], format!("c{}", sent_ids.len()));
            sent_ids.push(f["id"].as_i64().unwrap());
        }
    }
    assert!(sent_ids.windows(2).all(|w| w[0] < w[1]), "{sent_ids:?}");
    for (i, id) in sent_ids.iter().enumerate() {
        let m = bob.until("message").await;
        assert_eq!(m["text"], format!("m{i}"));
        assert_eq!(m["id"], *id);
    }
}

#[tokio::test]
async fn reconnect_with_since_gets_what_was_missed() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id) = (srv.person_id("alice"), srv.person_id("bob"));
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let (mut bob, _) = Client::hello(&srv, "bob").await;
    bob.until("synced").await;
    alice.message(&bob_id, "seen", "c-1").await;
    let seen = bob.until("message").await["id"].as_i64().unwrap();
    let own = bob.message(&alice_id, "mine", "b-1").await["id"]
        .as_i64()
        .unwrap();
    bob.ws.close(None).await.unwrap();
    drop(bob);

    let m2 = alice.message(&bob_id, "missed 1", "c-2").await["id"]
        .as_i64()
        .unwrap();
    let m3 = alice.message(&bob_id, "missed 2", "c-3").await["id"]
        .as_i64()
        .unwrap();

    // Since the first message: bob's own reply (with his client_id) and the two he missed.
    let (mut bob, _) = Client::hello_since(&srv, "bob", Some(seen)).await;
    let a = bob.next().await;
    assert_eq!(
        (a["id"].as_i64(), &a["client_id"]),
        (Some(own), &json!("b-1"))
    );
    let b = bob.next().await;
    assert_eq!(
        (b["id"].as_i64(), &b["text"]),
        (Some(m2), &json!("missed 1"))
    );
    let c = bob.next().await;
    assert_eq!(
        (c["id"].as_i64(), &c["text"]),
        (Some(m3), &json!("missed 2"))
    );
    assert_eq!(bob.next().await, json!({ "type": "synced", "last_id": m3 }));

    // Live messages carry on after the resync, without repeats.
    let m4 = alice.message(&bob_id, "live", "c-4").await["id"]
        .as_i64()
        .unwrap();
    let d = bob.next().await;
    assert_eq!((d["id"].as_i64(), &d["text"]), (Some(m4), &json!("live")));

    // Up to date: nothing but `synced`.
    let (mut bob2, _) = Client::hello_since(&srv, "bob", Some(m4)).await;
    assert_eq!(
        bob2.next().await,
        json!({ "type": "synced", "last_id": m4 })
    );
}

#[tokio::test]
async fn history_pages_back_through_a_conversation() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id) = (srv.person_id("alice"), srv.person_id("bob"));
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let (mut bob, _) = Client::hello(&srv, "bob").await;
    bob.until("synced").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let (who, to, cid) = if i % 2 == 0 {
            (&mut alice, &bob_id, format!("a{i}"))
        } else {
            (&mut bob, &alice_id, format!("b{i}"))
        };
        ids.push(
            who.message(to, &format!("h{i}"), &cid).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    // A message with someone else is not part of this conversation.
    alice.message(&srv.person_id("mallory"), "other", "x").await;

    alice
        .send(json!({ "type": "history", "with": bob_id, "limit": 2 }))
        .await;
    let h = alice.until("history").await;
    assert_eq!(h["with"], bob_id);
    assert_eq!(h["more"], true);
    let page: Vec<i64> = h["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page, ids[3..5]);
    assert_eq!(h["messages"][0]["text"], "h3");
    assert_eq!(
        h["messages"][1]["client_id"], "a4",
        "alice's own message carries her client_id"
    );

    alice
        .send(json!({ "type": "history", "with": bob_id, "before": ids[3], "limit": 2 }))
        .await;
    let h = alice.until("history").await;
    let page: Vec<i64> = h["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        (page, h["more"].as_bool()),
        (ids[1..3].to_vec(), Some(true))
    );

    alice
        .send(json!({ "type": "history", "with": bob_id, "before": ids[1] }))
        .await;
    let h = alice.until("history").await;
    let page: Vec<i64> = h["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!((page, h["more"].as_bool()), (vec![ids[0]], Some(false)));

    // Bob sees the same conversation from his side.
    bob.send(json!({ "type": "history", "with": alice_id }))
        .await;
    let h = bob.until("history").await;
    assert_eq!(h["messages"].as_array().unwrap().len(), 5);
    assert_eq!(h["more"], false);

    alice
        .send(json!({ "type": "history", "with": srv.person_id("carol") }))
        .await;
    assert_eq!(alice.until("error").await["code"], "not_friends");
}

#[tokio::test]
async fn typing_is_forwarded_to_the_friend() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id) = (srv.person_id("alice"), srv.person_id("bob"));
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let (mut bob, _) = Client::hello(&srv, "bob").await;
    bob.until("synced").await;
    alice.send(json!({ "type": "typing", "to": bob_id })).await;
    assert_eq!(
        bob.next().await,
        json!({ "type": "typing", "from": alice_id })
    );
    alice
        .send(json!({ "type": "typing", "to": srv.person_id("carol") }))
        .await;
    assert_eq!(alice.until("error").await["code"], "not_friends");
}

#[tokio::test]
async fn a_stranger_is_refused_and_the_connection_kept() {
    let srv = TestServer::start().await;
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    alice
        .send(json!({ "type": "send", "to": srv.person_id("carol"), "text": "hi", "client_id": "c-9" }))
        .await;
    let e = alice.next().await;
    assert_eq!(e["type"], "error");
    assert_eq!(e["code"], "not_friends");
    assert_eq!(e["client_id"], "c-9");
    // Nothing was stored for carol.
    let (mut carol, w) = Client::hello(&srv, "carol").await;
    assert_eq!(w["last_id"], 0);
    assert_eq!(
        carol.next().await,
        json!({ "type": "synced", "last_id": 0 })
    );
    alice.alive().await;
}

#[tokio::test]
async fn message_text_limits() {
    let srv = TestServer::start().await;
    let bob_id = srv.person_id("bob");
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    for text in [String::new(), "   ".into(), "x".repeat(2001)] {
        alice
            .send(json!({ "type": "send", "to": bob_id, "text": text, "client_id": "c" }))
            .await;
        let e = alice.until("error").await;
        assert_eq!(
            (e["code"].as_str(), e["client_id"].as_str()),
            (Some("message_too_long"), Some("c"))
        );
    }
    alice.message(&bob_id, &"é".repeat(2000), "ok").await;
}

#[tokio::test]
async fn a_token_without_messenger_scope_is_refused() {
    let srv = TestServer::start().await;
    let mut c = Client::open(&srv).await;
    c.send(
        json!({ "type": "hello", "v": 1, "token": srv.dev_token("alice", "wl.basic wl.signin").await }),
    )
    .await;
    let e = c.next().await;
    assert_eq!(e["code"], "insufficient_scope");
    assert_eq!(c.closed().await, Some(4403));
}

#[tokio::test]
async fn bad_missing_and_revoked_tokens_are_unauthorized() {
    let srv = TestServer::start().await;
    let revoked = srv.dev_token("alice", "wl.messenger").await;
    wl_server::identity::tokens::revoke_token(&srv.running.state.tokens, "wl-demo", &revoked)
        .await
        .unwrap();
    for hello in [
        json!({ "type": "hello", "v": 1, "token": "wlat_not-a-real-token" }),
        json!({ "type": "hello", "v": 1 }),
        json!({ "type": "hello", "v": 1, "token": revoked }),
    ] {
        let mut c = Client::open(&srv).await;
        c.send(hello.clone()).await;
        let e = c.next().await;
        assert_eq!(e["code"], "unauthorized", "{hello}");
        assert_eq!(c.closed().await, Some(4401), "{hello}");
    }
    let mut c = Client::open(&srv).await;
    c.send(
        json!({ "type": "hello", "v": 2, "token": srv.dev_token("alice", "wl.messenger").await }),
    )
    .await;
    assert_eq!(c.next().await["code"], "unsupported_version");
    assert_eq!(c.closed().await, Some(4400));
}

#[tokio::test]
async fn a_token_revoked_while_connected_is_closed_at_the_next_heartbeat() {
    let srv = TestServer::start().await;
    srv.running.state.hub.configure(HubConfig {
        ping_interval: Duration::from_millis(50),
        ..HubConfig::default()
    });
    let mut c = Client::open(&srv).await;
    let t = srv.dev_token("alice", "wl.messenger").await;
    c.send(json!({ "type": "hello", "v": 1, "token": t })).await;
    c.until("synced").await;
    wl_server::identity::tokens::revoke_token(&srv.running.state.tokens, "wl-demo", &t)
        .await
        .unwrap();
    assert_eq!(c.until("error").await["code"], "unauthorized");
    assert_eq!(c.closed().await, Some(4401));
}

/// The page's session is renewed while connected: a `token` frame hands the hub the new token.
/// The connection goes on past the old token's end (revoked here), and from then on the
/// heartbeat checks the new one: its revocation closes the connection (4401).
#[tokio::test]
async fn a_renewed_token_carries_the_connection_on() {
    let srv = TestServer::start().await;
    srv.running.state.hub.configure(HubConfig {
        ping_interval: Duration::from_millis(50),
        ..HubConfig::default()
    });
    let mut c = Client::open(&srv).await;
    let old = srv.dev_token("alice", "wl.messenger").await;
    c.send(json!({ "type": "hello", "v": 1, "token": old }))
        .await;
    c.until("synced").await;
    let new = srv.dev_token("alice", "wl.messenger wl.basic").await;
    c.send(json!({ "type": "token", "token": new })).await;
    c.alive().await;
    wl_server::identity::tokens::revoke_token(&srv.running.state.tokens, "wl-demo", &old)
        .await
        .unwrap();
    // Several heartbeats later, still connected.
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.alive().await;
    wl_server::identity::tokens::revoke_token(&srv.running.state.tokens, "wl-demo", &new)
        .await
        .unwrap();
    assert_eq!(c.until("error").await["code"], "unauthorized");
    assert_eq!(c.closed().await, Some(4401));
}

/// A `token` frame cannot hand a connection to anyone else: bob's token on alice's connection,
/// alice's token from another app, an unknown or revoked token end it (4401), a token without
/// `wl.messenger` too (4403), and before `hello` it is `not_ready`.
#[tokio::test]
async fn a_token_frame_takes_over_no_one_elses_connection() {
    let srv = TestServer::start().await;
    let other_app = srv.other_app_token("alice", "wl.messenger").await;
    let revoked = srv.dev_token("alice", "wl.messenger").await;
    wl_server::identity::tokens::revoke_token(&srv.running.state.tokens, "wl-demo", &revoked)
        .await
        .unwrap();
    let cases = [
        (
            srv.dev_token("bob", "wl.messenger").await,
            "unauthorized",
            4401,
        ),
        (other_app, "unauthorized", 4401),
        ("wlat_not-a-real-token".to_owned(), "unauthorized", 4401),
        (revoked, "unauthorized", 4401),
        (
            srv.dev_token("alice", "wl.basic").await,
            "insufficient_scope",
            4403,
        ),
    ];
    for (token, code, close) in cases {
        let mut c = Client::open(&srv).await;
        c.send(json!({ "type": "token", "token": token })).await;
        assert_eq!(c.next().await["code"], "not_ready");
        let hello = srv.dev_token("alice", "wl.messenger").await;
        c.send(json!({ "type": "hello", "v": 1, "token": hello }))
            .await;
        c.until("synced").await;
        c.send(json!({ "type": "token", "token": token })).await;
        assert_eq!(c.until("error").await["code"], code, "{token}");
        assert_eq!(c.closed().await, Some(close), "{token}");
    }
}

#[tokio::test]
async fn oversized_frames() {
    let srv = TestServer::start().await;
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let big = json!({ "type": "send", "to": srv.person_id("bob"), "text": "x".repeat(20 * 1024), "client_id": "c" });
    alice.send(big).await;
    let e = alice.next().await;
    assert_eq!(e["code"], "frame_too_large");
    alice.alive().await;
    // Over the hard limit the connection closes.
    alice.send_text("y".repeat(70 * 1024)).await;
    assert_eq!(alice.closed().await, Some(1009));
}

#[tokio::test]
async fn a_flood_is_rate_limited_then_closed() {
    let srv = TestServer::start().await;
    // One frame a second with a burst of five: the test's frames all arrive far faster.
    srv.running.state.hub.configure(HubConfig {
        frames_per_sec: 1,
        burst: 5,
        max_refused: 30,
        ..HubConfig::default()
    });
    let (mut c, _) = Client::hello(&srv, "alice").await;
    c.until("synced").await;
    for _ in 0..20 {
        c.send(json!({ "type": "ping" })).await;
    }
    let mut pongs = 0;
    let mut limited = 0;
    while pongs + limited < 20 {
        let f = c.next().await;
        match f["type"].as_str() {
            Some("pong") => pongs += 1,
            Some("error") => {
                assert_eq!(f["code"], "rate_limited");
                assert!(f["retry_after_ms"].as_u64().unwrap() > 0);
                limited += 1;
            }
            _ => {}
        }
    }
    assert!(limited >= 10, "{pongs} pongs, {limited} refused");
    // Kept open; a long flood closes it with 4429.
    for _ in 0..40 {
        c.send(json!({ "type": "ping" })).await;
    }
    assert_eq!(c.closed().await, Some(4429));
}

#[tokio::test]
async fn bad_frames_are_refused_and_the_connection_kept() {
    let srv = TestServer::start().await;
    let (mut c, _) = Client::hello(&srv, "alice").await;
    c.until("synced").await;
    c.send_text("{not json".into()).await;
    assert_eq!(c.next().await["code"], "bad_frame");
    c.send(json!({ "type": "send", "to": 5 })).await;
    assert_eq!(c.next().await["code"], "bad_frame");
    c.send(json!({ "type": "dance" })).await;
    assert_eq!(c.next().await["code"], "unknown_type");
    c.ws.send(Message::Binary(vec![1u8, 2, 3].into()))
        .await
        .unwrap();
    assert_eq!(c.next().await["code"], "bad_frame");
    c.alive().await;
}

#[tokio::test]
async fn frames_before_hello_are_not_ready() {
    let srv = TestServer::start().await;
    let mut c = Client::open(&srv).await;
    c.send(json!({ "type": "ping" })).await;
    assert_eq!(c.next().await["code"], "not_ready");
    c.send(json!({ "type": "send", "to": srv.person_id("bob"), "text": "hi", "client_id": "c" }))
        .await;
    assert_eq!(c.next().await["code"], "not_ready");
    c.send(
        json!({ "type": "hello", "v": 1, "token": srv.dev_token("alice", "wl.messenger").await }),
    )
    .await;
    assert_eq!(c.next().await["type"], "welcome");
}

/// Alice connects, then bob with `token` (a new one when `None`); returns both once alice has
/// heard bob come online, and bob's id.
async fn alice_then_bob(srv: &TestServer, token: Option<&str>) -> (Client, Client, String) {
    let bob_id = srv.person_id("bob");
    let (mut alice, _) = Client::hello(srv, "alice").await;
    alice.until("synced").await;
    let token = match token {
        Some(t) => t.to_owned(),
        None => srv.dev_token("bob", "wl.messenger").await,
    };
    let (mut bob, _) = Client::hello_with(srv, &token, None).await;
    bob.until("synced").await;
    let p = alice.until("presence").await;
    assert_eq!(p["status"], "available", "{p}");
    (alice, bob, bob_id)
}

#[tokio::test]
async fn a_page_change_is_no_offline_to_friends() {
    let srv = TestServer::start().await;
    let grace = HubConfig::default().offline_grace;
    let (mut alice, mut bob, bob_id) = alice_then_bob(&srv, None).await;
    assert_eq!(alice.here().await, Vec::<String>::new(), "after welcome");
    assert_eq!(alice.here().await, vec![bob_id.clone()]);

    // Bob's page closes its socket and the next page opens one: alice hears nothing, even
    // once the grace is over.
    bob.ws.close(None).await.unwrap();
    let (mut bob, w) = Client::hello(&srv, "bob").await;
    assert_eq!(w["me"]["presence"], "available");
    bob.until("synced").await;
    tokio::time::sleep(grace + Duration::from_millis(500)).await;
    let heard = alice.frames_until_pong().await;
    assert!(
        heard.is_empty(),
        "alice heard of the page change: {heard:?}"
    );

    // Bob leaves for good: while the grace runs a friend who connects still sees him online;
    // then alice hears "offline" (not before the grace is over), and he is here no longer.
    let closed = std::time::Instant::now();
    bob.ws.close(None).await.unwrap();
    let (_carol_like, w) = Client::hello(&srv, "alice").await;
    assert_eq!(friend(&w, &bob_id)["presence"], "available", "{w}");
    let p = alice.until("presence").await;
    assert_eq!(
        p,
        json!({ "type": "presence", "id": bob_id, "status": "offline" })
    );
    assert!(
        closed.elapsed() >= grace,
        "offline after {:?}",
        closed.elapsed()
    );
    assert_eq!(alice.here().await, Vec::<String>::new());
}

/// A grace no test waits out: an "offline" that arrives at all came without it.
const LONG_GRACE: Duration = Duration::from_secs(600);

/// Bob signs out: his page closes with 4000 (`signed_out`), and alice hears "offline" at once,
/// not after the offline grace. A sign-out on one of two connections says nothing: he is still
/// online on the other, and that one leaving normally gets the grace again.
#[tokio::test]
async fn signing_out_is_offline_to_friends_at_once() {
    let srv = TestServer::start().await;
    srv.running.state.hub.configure(HubConfig {
        offline_grace: LONG_GRACE,
        ..HubConfig::default()
    });
    let (mut alice, mut bob, bob_id) = alice_then_bob(&srv, None).await;
    let (mut bob_tab, _) = Client::hello(&srv, "bob").await;
    bob_tab.until("synced").await;

    // The second tab "signs out" (an attacker's close code on its own connection): bob stays
    // online on the first, so alice hears nothing.
    bob_tab.close_with(4000).await;
    bob.alive().await;
    alice
        .no_presence("bob is still online on his other connection")
        .await;

    bob.close_with(4000).await;
    alice.offline_at_once(&bob_id).await;
    assert!(!srv.running.state.hub.registry.is_here(&bob_id));

    // Bob back, then leaving normally (1000, a page change): the grace holds again.
    let (mut bob, _) = Client::hello(&srv, "bob").await;
    bob.until("synced").await;
    assert_eq!(alice.until("presence").await["status"], "available");
    bob.close_with(1000).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    alice.no_presence("a normal close gets the grace").await;
}

/// Bob's token is revoked while he is connected: the hub closes his connection at the next
/// heartbeat (4401), and alice hears "offline" at once: he cannot come back with that token.
#[tokio::test]
async fn a_revoked_token_is_offline_to_friends_at_once() {
    let srv = TestServer::start().await;
    srv.running.state.hub.configure(HubConfig {
        ping_interval: Duration::from_millis(50),
        offline_grace: LONG_GRACE,
        ..HubConfig::default()
    });
    let token = srv.dev_token("bob", "wl.messenger").await;
    let (mut alice, mut bob, bob_id) = alice_then_bob(&srv, Some(&token)).await;
    wl_server::identity::tokens::revoke_token(&srv.running.state.tokens, "wl-demo", &token)
        .await
        .unwrap();
    assert_eq!(bob.closed().await, Some(4401));
    alice.offline_at_once(&bob_id).await;
}

/// An attacker with bob's token opens and closes hub connections as fast as it can, each one
/// saying hello: alice hears nothing while it goes on (no storm of offline/online), and one
/// "offline" once it stops and the grace is over.
#[tokio::test]
async fn cycling_connections_fast_is_no_storm_to_friends() {
    let srv = TestServer::start().await;
    let grace = Duration::from_millis(500);
    srv.running.state.hub.configure(HubConfig {
        offline_grace: grace,
        ..HubConfig::default()
    });
    let token = srv.dev_token("bob", "wl.messenger").await;
    let (mut alice, mut last, bob_id) = alice_then_bob(&srv, Some(&token)).await;
    for _ in 0..200 {
        last.ws.close(None).await.unwrap();
        last = Client::hello_with(&srv, &token, None).await.0;
    }
    alice
        .no_presence("no presence frame while bob cycles")
        .await;
    last.ws.close(None).await.unwrap();
    let p = alice.until("presence").await;
    assert_eq!(
        p,
        json!({ "type": "presence", "id": bob_id, "status": "offline" })
    );
    tokio::time::sleep(grace * 2).await;
    alice.no_presence("one offline, nothing after it").await;
    assert!(
        !srv.running.state.hub.registry.is_here(&bob_id),
        "nothing of bob is left once the grace is over"
    );
}

#[tokio::test]
async fn heartbeats_close_dead_connections_and_keep_live_ones() {
    let srv = TestServer::start().await;
    srv.running.state.hub.configure(HubConfig {
        // Generous next to the ping interval, so a busy test machine never looks dead.
        ping_interval: Duration::from_millis(100),
        dead_after: Duration::from_millis(1000),
        hello_timeout: Duration::from_millis(1000),
        // A dead connection is offline at once, whatever the grace.
        offline_grace: LONG_GRACE,
        ..HubConfig::default()
    });
    let (mut alice, mut bob, bob_id) = alice_then_bob(&srv, None).await;

    // Bob stops reading (so his client answers no ping); alice keeps reading. The hub finds
    // bob dead, and alice sees him go offline (at once: he is not changing pages).
    alice.offline_at_once(&bob_id).await;
    assert_eq!(bob.closed().await, Some(4408));

    // Alice answered every ping while she read: still connected.
    alice.alive().await;

    // A connection that never says hello is closed too.
    let mut silent = Client::open(&srv).await;
    assert_eq!(silent.closed().await, Some(4408));
}

#[tokio::test]
async fn stopping_the_hub_closes_connections_with_going_away() {
    let srv = TestServer::start().await;
    let (mut alice, _) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    srv.running.state.hub.shut_down();
    assert_eq!(alice.closed().await, Some(1001));
}

#[tokio::test]
async fn a_page_on_another_origin_may_connect() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let srv = TestServer::start().await;
    let mut req = format!("ws://{}/v1/hub", srv.running.provider_addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("origin", srv.site().parse().unwrap());
    let (ws, res) = connect_async(req).await.expect("a cross-origin upgrade");
    assert_eq!(res.status(), 101);
    let mut c = Client {
        ws,
        heres: Default::default(),
    };
    c.send(json!({ "type": "hello", "v": 1, "token": srv.dev_token("bob", "wl.messenger").await }))
        .await;
    assert_eq!(c.next().await["type"], "welcome");
}

#[tokio::test]
async fn the_first_message_to_a_friend_on_a_connection_starts_a_counted_conversation() {
    let srv = TestServer::start().await;
    let (mut alice, welcome) = Client::hello(&srv, "alice").await;
    alice.until("synced").await;
    let friends: Vec<String> = welcome["friends"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(friends.len() >= 2, "{welcome}");
    alice.message(&friends[0], "hi", "c-1").await;
    alice.message(&friends[0], "again", "c-2").await;
    alice.message(&friends[1], "hi there", "c-3").await;
    // A stranger refused: nothing started.
    alice
        .send(json!({ "type": "send", "to": "nobody", "text": "x", "client_id": "c-4" }))
        .await;
    alice.until("error").await;
    let st = &srv.running.state;
    st.tokens.stats.flush(&st.db).await.unwrap();
    let day = st.clock.now().div_euclid(86_400);
    let mut c = st.db.conn().await.unwrap();
    let r = wl_server::stats::report::load(&mut c, "wl-demo", day, day)
        .await
        .unwrap();
    assert_eq!(r.days[0].conversations, 2, "two friends, once each");
}
