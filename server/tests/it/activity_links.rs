//! An activity's action link and "via <app>" link (issue 17 §1) over real HTTP: set by the
//! app when it posts, checked (http(s) only, capped), "via" defaulted to the app's registered
//! site, returned by `/v1/me/feed`, and left through the counted click-throughs
//! `/r/{id}/action` and `/r/{id}/via`, which go only to the stored links.
use crate::common::{TestServer, browser, expect_error, location};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

#[tokio::test]
async fn action_and_via_links_reach_the_feed_and_leave_through_the_click_through() {
    let srv = TestServer::start().await;
    let p = srv.provider();
    let alice = srv.api("alice", "wl.basic wl.share").await;
    let res = alice
        .post_json(
            "/v1/me/share",
            &json!({ "link": "https://example.org/post",
                     "action": { "href": "https://example.org/play?level=2", "name": "Play now" },
                     "via": "https://games.example.org/" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let a: Value = res.json().await.unwrap();
    let id = a["id"].as_str().unwrap().to_owned();
    assert_eq!(
        a["action"],
        json!({ "type": "Link", "href": "https://example.org/play?level=2", "name": "Play now",
                "url": format!("{p}/r/{id}/action") })
    );
    assert_eq!(a["generator"]["href"], "https://games.example.org/");
    assert_eq!(a["generator"]["url"], format!("{p}/r/{id}/via"));

    // A template activity without `via`: the app's registered site (the demo app's origin).
    let res = alice
        .post_json(
            "/v1/me/activities",
            &json!({ "template": "status", "values": { "message": "hi" } }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let b: Value = res.json().await.unwrap();
    let site = srv.site();
    assert_eq!(b["generator"]["href"], format!("{site}/"), "{b}");
    assert!(b.get("action").is_none(), "no action link: {b}");

    // A friend's feed has both, filterable like any field.
    let bob = srv.api("bob", "wl.basic").await;
    let feed = bob
        .json("/v1/me/feed?$filter=action/name%20eq%20'Play%20now'")
        .await;
    let items = feed["data"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{feed}");
    assert_eq!(items[0]["action"]["url"], format!("{p}/r/{id}/action"));

    // The click-throughs go to exactly the stored links, whatever the request adds.
    let client = browser();
    for (url, to) in [
        (
            format!("{p}/r/{id}/action"),
            "https://example.org/play?level=2",
        ),
        (
            format!("{p}/r/{id}/action?url=https://evil.example/"),
            "https://example.org/play?level=2",
        ),
        (format!("{p}/r/{id}/via"), "https://games.example.org/"),
        (format!("{p}/r/{id}"), "https://example.org/post"),
    ] {
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND, "{url}");
        assert_eq!(location(&res), to, "{url}");
    }
    // No open redirect: other link names, activities without such a link, encoded targets.
    let note = b["id"].as_str().unwrap();
    for url in [
        format!("{p}/r/{id}/evil"),
        format!("{p}/r/{id}/https:%2F%2Fevil.example"),
        format!("{p}/r/{note}/action"),
        format!("{p}/r/nope/via"),
        format!("{p}/r/{id}/action/https://evil.example"),
    ] {
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{url}");
        assert!(res.headers().get(header::LOCATION).is_none(), "{url}");
    }
    // Each click-through is counted for the app (the statistics' clicks): the four above.
    srv.running
        .state
        .tokens
        .stats
        .flush(&srv.running.state.db)
        .await
        .unwrap();
    let clicks = srv
        .sql_i64(
            "SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) FROM stats_daily WHERE client_id = 'wl-demo' AND metric = 'clicks'",
            &[],
        )
        .await;
    assert_eq!(clicks, 4);
}

#[tokio::test]
async fn bad_links_are_refused_with_a_stable_code_and_nothing_is_written() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.basic wl.share").await;
    let before = alice.json("/v1/me/activities?$count=true").await["count"].clone();
    let long = format!("https://example.org/{}", "a".repeat(2048));
    for (extra, says) in [
        (
            json!({ "action": { "href": "javascript:alert(1)" } }),
            "action.href: must be an http or https link",
        ),
        (
            json!({ "action": { "href": "data:text/html,<script>1</script>" } }),
            "action.href: must be an http or https link",
        ),
        (
            json!({ "action": { "href": "//evil.example/" } }),
            "action.href: must be an http or https link",
        ),
        (
            json!({ "action": { "href": long } }),
            "action.href: must be an http or https link",
        ),
        (
            json!({ "action": { "name": "Go" } }),
            "action.href: missing",
        ),
        (
            json!({ "action": "https://example.org/" }),
            "action: must be an object",
        ),
        (
            json!({ "action": { "href": "https://example.org/", "name": "x".repeat(61) } }),
            "action.name: is too long",
        ),
        (
            json!({ "action": { "href": "https://example.org/", "target": "_top" } }),
            "action.target: unknown field",
        ),
        (
            json!({ "via": "javascript:alert(1)" }),
            "via: must be an http or https link",
        ),
        (
            json!({ "via": "file:///etc/passwd" }),
            "via: must be an http or https link",
        ),
        (json!({ "via": 7 }), "via: must be a string"),
    ] {
        for (path, mut body) in [
            ("/v1/me/share", json!({ "link": "https://example.org/" })),
            (
                "/v1/me/activities",
                json!({ "template": "status", "values": { "message": "m" } }),
            ),
        ] {
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            let res = alice.post_json(path, &body).await;
            let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
            assert!(msg.starts_with(says), "{path} {body}: {msg}");
        }
    }
    let after = alice.json("/v1/me/activities?$count=true").await["count"].clone();
    assert_eq!(before, after, "nothing written");
}

#[tokio::test]
async fn the_badge_icons_are_served_where_the_2010_markup_points() {
    let srv = TestServer::start().await;
    let client = browser();
    for (name, size) in [
        ("SharingBadge16x16White.png", 16),
        ("SharingBadge22x22White.png", 22),
        ("SharingBadge16x16Orange.png", 16),
        ("SharingBadge22x22Orange.png", 22),
    ] {
        let res = client
            .get(format!("{}/static/img/{name}", srv.provider()))
            .header("Origin", "https://recipes.example.org")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(
            res.headers()["cross-origin-resource-policy"],
            "cross-origin"
        );
        let png = res.bytes().await.unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        // The IHDR chunk's width and height.
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), (size, size), "{name}");
    }
    for other in ["SharingBadge32x32White.png", "..%2Fsecret", "x.png"] {
        let res = client
            .get(format!("{}/static/img/{other}", srv.provider()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{other}");
    }
}
