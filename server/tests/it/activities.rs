//! Activities over real HTTP: `GET /v1/me/activities`, `GET /v1/me/feed`,
//! `POST /v1/me/activities` (templates), `POST /v1/me/share`: the ActivityStreams 2.0 shape,
//! the OData options, scope rules, validation, and who sees what (a non-friend never).
use crate::common::{Flow, TestServer};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

/// A bearer token for a demo person and the demo app (minted directly: the OAuth flow itself
/// is covered by `provider.rs`, and once here in `scopes_are_checked_token_first`).
async fn token(srv: &TestServer, user: &str, scope: &str) -> String {
    wl_server::identity::tokens::dev_token(&srv.running.state.tokens, user, "wl-demo", scope)
        .await
        .unwrap()
}

async fn get(srv: &TestServer, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", srv.provider()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn get_json(srv: &TestServer, token: &str, path: &str) -> Value {
    let res = get(srv, token, path).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

async fn post(srv: &TestServer, token: &str, path: &str, body: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{path}", srv.provider()))
        .bearer_auth(token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn post_json(srv: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = post(srv, token, path, &body.to_string()).await;
    let status = res.status();
    (status, res.json().await.unwrap())
}

/// Expects a 400 `request_body_invalid` whose message starts with `prefix`.
async fn assert_body_invalid(srv: &TestServer, token: &str, path: &str, body: Value, prefix: &str) {
    let (status, v) = post_json(srv, token, path, body.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {v}");
    assert_eq!(v["error"]["code"], "request_body_invalid", "{body} → {v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(prefix),
        "{body}: message {message:?} should start with {prefix:?}"
    );
}

fn data(v: &Value) -> &Vec<Value> {
    v["data"].as_array().expect("a data array")
}

fn actors(v: &Value) -> Vec<String> {
    data(v)
        .iter()
        .map(|a| a["actor"]["name"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(v: &Value) -> Vec<String> {
    data(v)
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn seeded_activities_in_the_activitystreams_shape() {
    let srv = TestServer::start().await;
    let provider = srv.provider();
    let alice_id = srv.person_id("alice");
    let alice = token(&srv, "alice", "wl.basic").await;

    let own = get_json(&srv, &alice, "/v1/me/activities").await;
    let list = data(&own);
    assert_eq!(list.len(), 1, "{own}");
    let a = &list[0];
    assert_eq!(a["@context"], "https://www.w3.org/ns/activitystreams");
    assert_eq!(a["type"], "Create");
    assert_eq!(
        a["actor"],
        json!({
            "type": "Person",
            "id": alice_id,
            "name": "Alice Anderson",
            "url": format!("{provider}/people/{alice_id}"),
            "icon": a["actor"]["icon"].clone(),
        })
    );
    assert!(
        a["actor"]["icon"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{provider}/pictures/"))
    );
    assert_eq!(a["object"]["type"], "Note");
    assert_eq!(a["summary"], "Alice Anderson posted an update");
    assert!(a["content"].as_str().unwrap().contains("wl-connect bar"));
    assert_eq!(a["mediaType"], "text/plain");
    assert_eq!(
        a["to"],
        json!([format!("{provider}/people/{alice_id}/friends")])
    );
    assert_eq!(
        a["generator"],
        json!({ "type": "Application", "name": "wl-connect demo" })
    );
    let published = a["published"].as_str().unwrap();
    assert_eq!(published.len(), 20, "{published}");
    assert!(published.ends_with('Z') && published.as_bytes()[10] == b'T');
    // Absent values are left out, not null.
    assert!(a.get("object").unwrap().get("href").is_none(), "{a}");

    // Alice's feed: her friends bob, grace and mallory; never carol or dave (not her friends).
    let feed = get_json(&srv, &alice, "/v1/me/feed").await;
    let names = actors(&feed);
    assert_eq!(names.len(), 3, "{feed}");
    assert!(names.contains(&"Bob Baker".to_owned()), "{names:?}");
    assert!(names.contains(&"Grace García".to_owned()), "{names:?}");
    assert!(names.contains(&"<img src=x onerror=alert(1)>".to_owned()));
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("Carol") || n.starts_with("Dave"))
    );
    // Newest first without $orderby.
    let times: Vec<&str> = data(&feed)
        .iter()
        .map(|a| a["published"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    // Mallory's markup is kept as text (it's the reader's job to show it as text).
    let mallory = data(&feed)
        .iter()
        .find(|a| a["actor"]["name"] == "<img src=x onerror=alert(1)>")
        .unwrap();
    assert!(mallory["content"].as_str().unwrap().contains("<script>"));

    // Bob's feed: alice, carol, and dave's link shared with bob alone.
    let bob = token(&srv, "bob", "wl.basic").await;
    let bob_id = srv.person_id("bob");
    let feed = get_json(&srv, &bob, "/v1/me/feed").await;
    let names = actors(&feed);
    assert!(names.contains(&"Alice Anderson".to_owned()), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("Carol")), "{names:?}");
    let dave = data(&feed)
        .iter()
        .find(|a| a["actor"]["name"].as_str().unwrap().starts_with("Dave"))
        .expect("dave's link shared with bob");
    assert_eq!(dave["type"], "Announce");
    assert_eq!(dave["object"]["href"], "https://developer.mozilla.org/");
    assert_eq!(dave["to"], json!([format!("{provider}/people/{bob_id}")]));
    assert!(!names.contains(&"Bob Baker".to_owned()), "never your own");
}

#[tokio::test]
async fn feed_answers_the_odata_options() {
    let srv = TestServer::start().await;
    let bob = token(&srv, "bob", "wl.basic").await;

    let all = get_json(&srv, &bob, "/v1/me/feed?$count=true").await;
    let total = all["count"].as_i64().unwrap();
    assert_eq!(total as usize, data(&all).len());
    assert!(total >= 3, "{all}");

    let links = get_json(&srv, &bob, "/v1/me/feed?$filter=type%20eq%20'Announce'").await;
    assert!(
        data(&links).iter().all(|a| a["type"] == "Announce"),
        "{links}"
    );
    assert!(!data(&links).is_empty());

    let carol = get_json(
        &srv,
        &bob,
        "/v1/me/feed?$filter=startswith(actor/name,'Carol')&$select=id,actor/name,content",
    )
    .await;
    let list = data(&carol);
    assert_eq!(list.len(), 1, "{carol}");
    let keys: Vec<&String> = list[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["@context", "actor", "content", "id"], "{carol}");
    assert_eq!(
        list[0]["actor"],
        json!({ "name": list[0]["actor"]["name"] })
    );

    let oldest_first = get_json(&srv, &bob, "/v1/me/feed?$orderby=published%20asc").await;
    let mut reversed = ids(&all);
    reversed.reverse();
    assert_eq!(ids(&oldest_first), reversed);

    // Paging: one at a time to the end, each activity once.
    let mut seen = Vec::new();
    let mut next = Some(format!("{}/v1/me/feed?$top=1", srv.provider()));
    while let Some(url) = next {
        let res = reqwest::Client::new()
            .get(&url)
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap();
        let page: Value = res.json().await.unwrap();
        seen.extend(ids(&page));
        next = page["paging"]["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, ids(&all));

    let res = get(&srv, &bob, "/v1/me/activities?$filter=nope%20eq%201").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "request_parameter_invalid", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("$filter: ")
    );
}

#[tokio::test]
async fn scopes_are_checked_token_first() {
    let srv = TestServer::start().await;
    // A real token from the OAuth flow, with wl.basic only.
    let flow = Flow::new(&srv);
    let t = flow.tokens("alice", "openid wl.basic", true).await;
    let basic = t["access_token"].as_str().unwrap().to_owned();

    for path in ["/v1/me/activities", "/v1/me/feed"] {
        let res = reqwest::Client::new()
            .get(format!("{}{path}", srv.provider()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        let res = get(&srv, "not-a-token", path).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(get(&srv, &basic, path).await.status(), StatusCode::OK);
    }

    let signin_only = token(&srv, "alice", "wl.signin").await;
    for path in ["/v1/me/activities", "/v1/me/feed"] {
        let res = get(&srv, &signin_only, path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            res.headers()[header::WWW_AUTHENTICATE],
            r#"Bearer error="insufficient_scope", scope="wl.basic""#
        );
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"]["code"], "insufficient_scope");
    }

    // Writing needs wl.share, checked before the body.
    for (path, body) in [
        (
            "/v1/me/activities",
            json!({ "template": "status", "values": { "message": "hi" } }),
        ),
        ("/v1/me/share", json!({ "link": "https://example.org/" })),
        ("/v1/me/share", json!("not even an object")),
    ] {
        let (status, v) = post_json(&srv, &basic, path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {v}");
        assert_eq!(v["error"]["code"], "insufficient_scope");
        assert!(v["error"]["message"].as_str().unwrap().contains("wl.share"));
    }
    let res = post(&srv, &basic, "/v1/me/share", r#"{"link":"https://e.org/"}"#).await;
    assert_eq!(
        res.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="insufficient_scope", scope="wl.share""#
    );
    let res = post(&srv, "nope", "/v1/me/share", r#"{"link":"https://e.org/"}"#).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // wl.share alone writes, and the answer is the activity; reading still needs wl.basic.
    let share_only = token(&srv, "alice", "wl.share").await;
    let (status, v) = post_json(
        &srv,
        &share_only,
        "/v1/me/share",
        json!({ "link": "https://example.org/" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        get(&srv, &share_only, "/v1/me/activities").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn templates_write_activities_and_name_what_is_wrong() {
    let srv = TestServer::start().await;
    let provider = srv.provider();
    let alice = token(&srv, "alice", "wl.basic wl.share").await;
    let bob = token(&srv, "bob", "wl.basic").await;
    let alice_id = srv.person_id("alice");

    let (status, a) = post_json(
        &srv,
        &alice,
        "/v1/me/activities",
        json!({ "template": "shared_link", "values": {
            "url": "https://example.org/post?id=1&x={y}", "title": "A {title} & <b>bold</b> post" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["@context"], "https://www.w3.org/ns/activitystreams");
    assert_eq!(a["type"], "Announce");
    assert_eq!(a["actor"]["id"], alice_id.as_str());
    assert_eq!(
        a["summary"],
        "Alice Anderson shared a link: A {title} & <b>bold</b> post"
    );
    assert_eq!(
        a["object"],
        json!({ "type": "Link", "href": "https://example.org/post?id=1&x={y}",
                "name": "A {title} & <b>bold</b> post" })
    );
    assert_eq!(
        a["to"],
        json!([format!("{provider}/people/{alice_id}/friends")])
    );
    let id = a["id"].as_str().unwrap().to_owned();

    // The newest of her own, and in her friend bob's feed, first.
    let own = get_json(&srv, &alice, "/v1/me/activities").await;
    assert_eq!(ids(&own)[0], id);
    assert_eq!(data(&own)[0], a);
    let feed = get_json(&srv, &bob, "/v1/me/feed").await;
    assert_eq!(ids(&feed)[0], id);

    let (status, s) = post_json(
        &srv,
        &alice,
        "/v1/me/activities",
        json!({ "template": "status", "values": { "message": "  Hello\nfriends  " } }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    assert_eq!(s["type"], "Create");
    assert_eq!(s["object"], json!({ "type": "Note" }));
    assert_eq!(s["content"], "Hello\nfriends");
    assert_eq!(s["summary"], "Alice Anderson posted an update");

    let (status, l) = post_json(
        &srv,
        &alice,
        "/v1/me/activities",
        json!({ "template": "liked_link", "values": { "url": "http://example.net", "title": "Example" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    assert_eq!(l["type"], "Like");
    assert_eq!(l["object"]["href"], "http://example.net/");

    let path = "/v1/me/activities";
    for (body, prefix) in [
        (
            json!({ "template": "fireworks", "values": {} }),
            "template: unknown template `fireworks`",
        ),
        (json!({ "values": { "message": "x" } }), "template: missing"),
        (
            json!({ "template": "shared_link", "values": { "url": "https://example.org/" } }),
            "values.title: template `shared_link` needs a value for `{title}`",
        ),
        (
            json!({ "template": "shared_link", "values": { "title": "t" } }),
            "values.url: template `shared_link` needs a value for `{url}`",
        ),
        (
            json!({ "template": "shared_link", "values": { "url": "javascript:alert(1)", "title": "t" } }),
            "values.url: must be an http or https link",
        ),
        (
            json!({ "template": "status", "values": { "message": "x", "mood": "happy" } }),
            "values.mood: template `status` has no placeholder `{mood}`",
        ),
        (
            json!({ "template": "status", "values": { "message": 42 } }),
            "values.message: must be a string",
        ),
        (
            json!({ "template": "status", "values": { "message": "   " } }),
            "values.message: must not be empty",
        ),
        (
            json!({ "template": "status", "values": { "message": "x".repeat(1001) } }),
            "values.message: is too long",
        ),
        (
            json!({ "template": "status", "values": "hi" }),
            "values: must be an object",
        ),
        (
            json!({ "template": "status", "values": { "message": "x" }, "colour": "red" }),
            "colour: unknown field",
        ),
        (json!([1, 2]), "body: must be a JSON object"),
    ] {
        assert_body_invalid(&srv, &alice, path, body, prefix).await;
    }
    let res = post(&srv, &alice, path, "{not json").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "request_body_invalid");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("body: not valid JSON")
    );

    // Nothing was written by the rejected requests.
    let own = get_json(&srv, &alice, "/v1/me/activities?$count=true").await;
    assert_eq!(own["count"], 4, "the seeded one and the three above: {own}");
}

#[tokio::test]
async fn share_posts_a_link_to_friends() {
    let srv = TestServer::start().await;
    let alice = token(&srv, "alice", "wl.basic wl.share").await;
    let bob = token(&srv, "bob", "wl.basic").await;

    let (status, a) = post_json(
        &srv,
        &alice,
        "/v1/me/share",
        json!({ "link": " https://example.org/page ", "message": "Look <here>" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["type"], "Announce");
    assert_eq!(
        a["object"],
        json!({ "type": "Link", "href": "https://example.org/page" })
    );
    assert_eq!(a["content"], "Look <here>");
    assert_eq!(a["summary"], "Alice Anderson shared a link");
    let feed = get_json(&srv, &bob, "/v1/me/feed").await;
    assert_eq!(data(&feed)[0], a);

    let (status, t) = post_json(
        &srv,
        &alice,
        "/v1/me/share",
        json!({ "link": "http://example.org/", "title": "Example" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["summary"], "Alice Anderson shared a link: Example");
    assert_eq!(t["object"]["name"], "Example");
    assert!(t.get("content").is_none());

    let path = "/v1/me/share";
    for (body, prefix) in [
        (json!({ "message": "no link" }), "link: missing"),
        (
            json!({ "link": "javascript:alert(1)" }),
            "link: must be an http or https link",
        ),
        (
            json!({ "link": "ftp://example.org/f" }),
            "link: must be an http or https link",
        ),
        (
            json!({ "link": "/relative" }),
            "link: must be an http or https link",
        ),
        (json!({ "link": 5 }), "link: must be a string"),
        (
            json!({ "link": "https://e.org/", "message": "m".repeat(1001) }),
            "message: is too long",
        ),
        (
            json!({ "link": "https://e.org/", "url": "x" }),
            "url: unknown field",
        ),
    ] {
        assert_body_invalid(&srv, &alice, path, body, prefix).await;
    }
    let res = post(&srv, &alice, path, "").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "request_parameter_missing", "{v}");
}

#[tokio::test]
async fn to_narrows_the_audience_and_a_non_friend_never_sees_it() {
    let srv = TestServer::start().await;
    let alice = token(&srv, "alice", "wl.basic wl.share").await;
    let bob = token(&srv, "bob", "wl.basic wl.share").await;
    let grace = token(&srv, "grace", "wl.basic").await;
    let carol = token(&srv, "carol", "wl.basic wl.share").await;
    let bob_id = srv.person_id("bob");
    let carol_id = srv.person_id("carol");

    // Alice to bob alone: bob sees it, grace (also alice's friend) does not.
    let (status, a) = post_json(
        &srv,
        &alice,
        "/v1/me/share",
        json!({ "link": "https://example.org/for-bob", "to": [bob_id] }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(
        a["to"],
        json!([format!("{}/people/{bob_id}", srv.provider())])
    );
    let id = a["id"].as_str().unwrap().to_owned();
    assert!(ids(&get_json(&srv, &bob, "/v1/me/feed").await).contains(&id));
    assert!(!ids(&get_json(&srv, &grace, "/v1/me/feed").await).contains(&id));

    // Carol is not alice's friend: alice can't address her, and carol never sees alice's.
    assert_body_invalid(
        &srv,
        &alice,
        "/v1/me/share",
        json!({ "link": "https://example.org/", "to": [bob_id, carol_id] }),
        &format!("to[1]: `{carol_id}` is not one of your friends"),
    )
    .await;
    assert_body_invalid(
        &srv,
        &alice,
        "/v1/me/share",
        json!({ "link": "https://example.org/", "to": [] }),
        "to: must be a non-empty array",
    )
    .await;
    assert_body_invalid(
        &srv,
        &alice,
        "/v1/me/activities",
        json!({ "template": "status", "values": { "message": "x" }, "to": [7] }),
        "to[0]: must be a string",
    )
    .await;
    let (status, c) = post_json(
        &srv,
        &carol,
        "/v1/me/share",
        json!({ "link": "https://example.org/from-carol" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let carol_activity = c["id"].as_str().unwrap().to_owned();
    let alice_feed = get_json(&srv, &alice, "/v1/me/feed?$top=1000").await;
    assert!(!ids(&alice_feed).contains(&carol_activity));
    assert!(
        !actors(&alice_feed).iter().any(|n| n.starts_with("Carol")),
        "{alice_feed}"
    );
    // Not even by filtering for it.
    let filtered = get_json(
        &srv,
        &alice,
        &format!("/v1/me/feed?$filter=id%20eq%20'{carol_activity}'"),
    )
    .await;
    assert!(data(&filtered).is_empty());
    assert!(ids(&get_json(&srv, &bob, "/v1/me/feed").await).contains(&carol_activity));

    // Friendship is checked when the feed is read: once bob and alice are no longer friends,
    // bob's activities leave her feed (and hers his).
    let (_, b) = post_json(
        &srv,
        &bob,
        "/v1/me/share",
        json!({ "link": "https://example.org/from-bob" }),
    )
    .await;
    let bob_activity = b["id"].as_str().unwrap().to_owned();
    assert!(ids(&get_json(&srv, &alice, "/v1/me/feed").await).contains(&bob_activity));
    let alice_id = srv.person_id("alice");
    srv.sql_exec(
        "DELETE FROM friendships WHERE (person_id = $1 AND friend_id = $2) OR (person_id = $2 AND friend_id = $1)",
        &[&alice_id, &bob_id],
    )
    .await;
    let alice_feed = get_json(&srv, &alice, "/v1/me/feed").await;
    assert!(!actors(&alice_feed).contains(&"Bob Baker".to_owned()));
    assert!(!ids(&get_json(&srv, &bob, "/v1/me/feed").await).contains(&id));
}
