//! The messenger over REST (issue 16 §1): `/v1/me/presence` and `/v1/me/conversations…`, for a
//! back end holding a person's (offline) token. Each call does what the matching hub frame
//! does; a hub WebSocket client sees what is POSTed and PUT over REST.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Api, TestServer, cli_dev_token_in, config, expect_error};
use crate::hub::Client;

const SCOPE: &str = "wl.messenger";

fn messages(friend: &str) -> String {
    format!("/v1/me/conversations/{friend}/messages")
}

async fn put_json(api: &Api, path: &str, body: &Value) -> reqwest::Response {
    api.request(Method::PUT, path)
        .json(body)
        .send()
        .await
        .expect("PUT")
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn presence_reads_and_sets_the_status_and_friends_on_the_hub_hear_of_it() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", SCOPE).await;
    let v = alice.json("/v1/me/presence").await;
    assert_eq!(v, json!({ "status": "available", "shown": "offline" }));

    // Alice's bar is open; bob is online and hears alice's status set over REST.
    let (mut alice_ws, _) = Client::hello(&srv, "alice").await;
    let (mut bob_ws, _) = Client::hello(&srv, "bob").await;
    alice_ws.until("synced").await;
    bob_ws.until("synced").await;
    let res = put_json(&alice, "/v1/me/presence", &json!({ "status": "busy" })).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v, json!({ "status": "busy", "shown": "busy" }));
    let p = bob_ws.until("presence").await;
    assert_eq!(p["id"], srv.person_id("alice"), "{p}");
    assert_eq!(p["status"], "busy", "{p}");
    assert_eq!(
        alice.json("/v1/me/presence").await,
        json!({ "status": "busy", "shown": "busy" })
    );
    // Appear offline: friends see offline.
    put_json(
        &alice,
        "/v1/me/presence",
        &json!({ "status": "appear_offline" }),
    )
    .await;
    let p = bob_ws.until("presence").await;
    assert_eq!(p["status"], "offline", "{p}");

    // Bad input: an unknown status, another shape, not JSON.
    for body in [
        json!({ "status": "online" }),
        json!({ "status": 3 }),
        json!({}),
        json!({ "status": "busy", "extra": 1 }),
        json!(["busy"]),
    ] {
        let res = put_json(&alice, "/v1/me/presence", &body).await;
        expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    }
    let res = alice
        .request(Method::PUT, "/v1/me/presence")
        .body("status=busy")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    // The data API's body rules (one reader, `web::json_object`): JSON under another type, no
    // body at all, a body over 32 KB (a message's largest escaped form is under it).
    let too_big = format!(r#"{{"status":"busy","pad":"{}"}}"#, "x".repeat(33 * 1024));
    for (content_type, body) in [
        ("text/plain", r#"{"status":"busy"}"#.to_string()),
        ("application/json", String::new()),
        ("application/json", too_big),
    ] {
        let res = alice
            .request(Method::PUT, "/v1/me/presence")
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    }
}

#[tokio::test]
async fn a_message_posted_over_rest_is_stored_as_a_hub_send_and_delivered_live() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id) = (srv.person_id("alice"), srv.person_id("bob"));
    let (mut bob_ws, _) = Client::hello(&srv, "bob").await;
    let (mut alice_ws, _) = Client::hello(&srv, "alice").await;
    bob_ws.until("synced").await;
    alice_ws.until("synced").await;

    // A back end with alice's token (what `wl-server dev-token` prints).
    let alice = srv.api("alice", SCOPE).await;
    let m = created(
        alice
            .post_json(
                &messages(&bob_id),
                &json!({ "text": "hello from the back end" }),
            )
            .await,
    )
    .await;
    assert_eq!(m["from"], alice_id);
    assert_eq!(m["to"], bob_id);
    assert_eq!(m["text"], "hello from the back end");
    assert_eq!(m["status"], "sent");
    assert!(m["id"].as_i64().unwrap() > 0);
    assert!(m["sent_at"].as_str().unwrap().ends_with('Z'));
    // Bob's bar gets it live, and alice's own bar gets her copy.
    let got = bob_ws.until("message").await;
    assert_eq!(got["id"], m["id"]);
    assert_eq!(got["text"], "hello from the back end");
    assert_eq!(got["from"], alice_id);
    let mine = alice_ws.until("message").await;
    assert_eq!(mine["id"], m["id"]);
    assert_eq!(mine["client_id"], m["client_id"]);
    // Delivered to bob: alice's bar hears of it, and the history says so.
    assert_eq!(alice_ws.until("delivered").await["id"], m["id"]);

    // Stored as a hub send: bob's hub history lists it, and REST history says the same.
    bob_ws
        .send(json!({ "type": "history", "with": alice_id }))
        .await;
    let h = bob_ws.until("history").await;
    assert_eq!(h["messages"][0]["id"], m["id"]);
    let bob = srv.api("bob", SCOPE).await;
    let rest = bob.json(&messages(&alice_id)).await;
    assert_eq!(rest["more"], false);
    assert_eq!(rest["data"][0]["id"], m["id"]);
    assert_eq!(rest["data"][0]["status"], "delivered");
    assert!(
        rest["data"][0].get("client_id").is_none(),
        "the recipient does not see the sender's client_id"
    );

    // A hub send after it: conversations list bob's newest first, with the last message.
    alice_ws
        .send(
            json!({ "type": "send", "to": bob_id, "text": "and from the bar", "client_id": "c-2" }),
        )
        .await;
    alice_ws.until("sent").await;
    let conv = alice.json("/v1/me/conversations").await;
    assert_eq!(conv["data"].as_array().unwrap().len(), 1, "{conv}");
    assert_eq!(conv["data"][0]["friend_id"], bob_id);
    assert_eq!(conv["data"][0]["last_message"]["text"], "and from the bar");
    assert_eq!(conv["data"][0]["last_message"]["client_id"], "c-2");
    assert_eq!(conv["data"][0]["undelivered"], 0);
}

#[tokio::test]
async fn history_pages_as_the_hub_s_and_conversations_are_newest_first() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id, dave_id) = (
        srv.person_id("alice"),
        srv.person_id("bob"),
        srv.person_id("dave"),
    );
    let alice = srv.api("alice", SCOPE).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let m = created(
            alice
                .post_json(
                    &messages(&bob_id),
                    &json!({ "text": format!("m{i}"), "client_id": format!("k{i}") }),
                )
                .await,
        )
        .await;
        assert_eq!(m["client_id"], format!("k{i}"));
        ids.push(m["id"].as_i64().unwrap());
    }
    let page = alice.json(&format!("{}?limit=2", messages(&bob_id))).await;
    let got: Vec<i64> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, ids[3..].to_vec(), "the newest two, oldest first");
    assert_eq!(page["more"], true);
    let older = alice
        .json(&format!("{}?limit=2&before={}", messages(&bob_id), ids[3]))
        .await;
    assert_eq!(older["data"][0]["id"], ids[1]);
    assert_eq!(older["more"], true);
    // Limits are the hub's: 0 is raised to 1, a huge one lowered to 100.
    let one = alice.json(&format!("{}?limit=0", messages(&bob_id))).await;
    assert_eq!(one["data"].as_array().unwrap().len(), 1);
    // (Also past u32, up to the 18 digits the spec allows: Schemathesis's stateful phase sent
    // `limit=8499832249901237`, and the answer was a 400 the spec did not describe.)
    for huge in ["100000", "8499832249901237", "999999999999999999"] {
        let all = alice
            .json(&format!("{}?limit={huge}", messages(&bob_id)))
            .await;
        assert_eq!(all["data"].as_array().unwrap().len(), 5, "limit={huge}");
    }
    for q in ["limit=ten", "before=-1", "limit=-3", "before=x"] {
        let res = alice.get(&format!("{}?{q}", messages(&bob_id))).await;
        expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
    }

    // Bob has 5 undelivered messages from alice (he never opened the bar).
    let bob = srv.api("bob", SCOPE).await;
    let conv = bob.json("/v1/me/conversations").await;
    assert_eq!(conv["data"][0]["friend_id"], alice_id);
    assert_eq!(conv["data"][0]["undelivered"], 5);
    assert_eq!(conv["data"][0]["last_message"]["id"], ids[4]);

    // Is dave alice's friend? Whichever: a newer conversation comes first if he is.
    let dave_friend = alice.get(&messages(&dave_id)).await.status() == StatusCode::OK;
    if dave_friend {
        created(
            alice
                .post_json(&messages(&dave_id), &json!({ "text": "hi dave" }))
                .await,
        )
        .await;
        let conv = alice.json("/v1/me/conversations").await;
        assert_eq!(conv["data"][0]["friend_id"], dave_id);
        assert_eq!(conv["data"][1]["friend_id"], bob_id);
    }
}

#[tokio::test]
async fn attacks_non_friends_other_people_s_conversations_scope_size_and_rate() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id, carol_id) = (
        srv.person_id("alice"),
        srv.person_id("bob"),
        srv.person_id("carol"),
    );
    let alice = srv.api("alice", SCOPE).await;
    created(
        alice
            .post_json(&messages(&bob_id), &json!({ "text": "private" }))
            .await,
    )
    .await;

    // Carol is no friend of alice: nothing sent, no history, the hub's code, 404 (no leak:
    // an id that names nobody gets the same answer).
    for id in [carol_id.as_str(), "nobody-at-all", &alice_id] {
        let res = alice
            .post_json(&messages(id), &json!({ "text": "hi" }))
            .await;
        expect_error(res, StatusCode::NOT_FOUND, "not_friends").await;
        let res = alice.get(&messages(id)).await;
        expect_error(res, StatusCode::NOT_FOUND, "not_friends").await;
    }
    // Carol cannot read alice and bob's conversation through either id: alice is no friend
    // of hers (404), and with bob's id she reads her own conversation with bob.
    let carol = srv.api("carol", SCOPE).await;
    expect_error(
        carol.get(&messages(&alice_id)).await,
        StatusCode::NOT_FOUND,
        "not_friends",
    )
    .await;
    let res = carol.get(&messages(&bob_id)).await;
    if res.status() == StatusCode::OK {
        let v: Value = res.json().await.unwrap();
        assert!(!v.to_string().contains("private"), "{v}");
    } else {
        expect_error(res, StatusCode::NOT_FOUND, "not_friends").await;
    }
    let conv = carol.json("/v1/me/conversations").await;
    assert_eq!(conv["data"], json!([]));
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM messages WHERE sender_id = $1 AND recipient_id = $2",
            &[&alice_id, &carol_id]
        )
        .await,
        0
    );

    // No token, a bad token, a token without wl.messenger.
    let anon = crate::common::browser();
    for (method, path) in [
        (Method::GET, "/v1/me/presence".to_owned()),
        (Method::PUT, "/v1/me/presence".to_owned()),
        (Method::GET, "/v1/me/conversations".to_owned()),
        (Method::GET, messages(&bob_id)),
        (Method::POST, messages(&bob_id)),
    ] {
        let res = anon
            .request(method.clone(), format!("{}{path}", srv.provider()))
            .json(&json!({ "text": "x", "status": "busy" }))
            .send()
            .await
            .unwrap();
        expect_error(res, StatusCode::UNAUTHORIZED, "request_token_invalid").await;
        let res = anon
            .request(method.clone(), format!("{}{path}", srv.provider()))
            .bearer_auth("not-a-token")
            .json(&json!({ "text": "x", "status": "busy" }))
            .send()
            .await
            .unwrap();
        expect_error(res, StatusCode::UNAUTHORIZED, "request_token_invalid").await;
        let basic = srv.api("alice", "wl.basic").await;
        let res = basic
            .request(method, &path)
            .json(&json!({ "text": "x", "status": "busy" }))
            .send()
            .await
            .unwrap();
        let www = res
            .headers()
            .get("www-authenticate")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(www.contains("wl.messenger"), "{www}");
        expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;
    }

    // Text: empty, blank, over 2000 characters, not a string, a long client_id.
    for body in [
        json!({ "text": "" }),
        json!({ "text": "   \n" }),
        json!({ "text": "x".repeat(2001) }),
    ] {
        let res = alice.post_json(&messages(&bob_id), &body).await;
        expect_error(res, StatusCode::BAD_REQUEST, "message_too_long").await;
    }
    created(
        alice
            .post_json(&messages(&bob_id), &json!({ "text": "é".repeat(2000) }))
            .await,
    )
    .await;
    // The longest message as a client that escapes every non-ASCII character sends it (Python's
    // json.dumps: 12 B an emoji), with the longest client_id: under the body limit.
    let escaped = format!(
        r#"{{"text":"{}","client_id":"{}"}}"#,
        "\\ud83d\\ude00".repeat(2000),
        "\\u00e9".repeat(128)
    );
    created(
        alice
            .request(Method::POST, &messages(&bob_id))
            .header("content-type", "application/json")
            .body(escaped)
            .send()
            .await
            .unwrap(),
    )
    .await;
    for body in [
        json!({ "text": 5 }),
        json!({ "txt": "hi" }),
        json!({ "text": "hi", "client_id": "c".repeat(129) }),
    ] {
        let res = alice.post_json(&messages(&bob_id), &body).await;
        expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    }

    // The person's frame budget (burst 40 by default): a flood is refused with Retry-After.
    let mut limited = None;
    for i in 0..60 {
        let res = alice
            .post_json(&messages(&bob_id), &json!({ "text": format!("flood {i}") }))
            .await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let res = limited.expect("a flood is rate limited");
    assert!(res.headers().get("retry-after").is_some());
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn a_back_end_with_a_cli_dev_token_posts_a_status_and_a_message() {
    let dir = crate::common::TempDir::new();
    let cfg = config(&dir);
    let (data, database) = (cfg.data_dir.clone(), cfg.database.clone());
    let srv = TestServer::start_with(cfg, std::sync::Arc::new(dir)).await;
    let bob_id = srv.person_id("bob");
    let (mut bob_ws, _) = Client::hello(&srv, "bob").await;
    bob_ws.until("synced").await;
    let alice = Api {
        client: crate::common::browser(),
        provider: srv.provider(),
        token: cli_dev_token_in(&data, database.as_deref(), "alice", SCOPE),
    };
    let res = put_json(&alice, "/v1/me/presence", &json!({ "status": "away" })).await;
    assert_eq!(res.status(), StatusCode::OK);
    let m = created(
        alice
            .post_json(&messages(&bob_id), &json!({ "text": "from cron" }))
            .await,
    )
    .await;
    assert_eq!(bob_ws.until("message").await["id"], m["id"]);
}
