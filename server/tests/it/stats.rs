//! Usage statistics over real HTTP (issue 15): events counted in memory, flushed into the
//! rollups, then shown by the portal page, its CSV and JSON, and the `/v1/apps/{id}/stats`
//! API, to the app's owners only; the click-through redirect `/r/{id}` and its attacks.

use crate::common::{Flow, TestServer, browser, expect_error, location};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use wl_server::stats::Stats;

/// Makes `username` an owner of the demo app.
async fn own_demo_app(srv: &TestServer, username: &str) {
    let mut c = srv.running.state.db.conn().await.unwrap();
    wl_server::store::apps::add_owner(&mut c, "wl-demo", &srv.person_id(username), 0)
        .await
        .unwrap();
}

async fn flush(srv: &TestServer) {
    let st = &srv.running.state;
    st.tokens.stats.flush(&st.db).await.expect("flush");
}

fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    wl_server::stats::report::format_date(now.div_euclid(86_400))
}

#[tokio::test]
async fn events_are_counted_flushed_and_shown_to_owners_as_page_json_and_csv() {
    let srv = TestServer::start().await;
    own_demo_app(&srv, "alice").await;

    // Alice signs in to the demo app (sign-in + consent), uses the API, shares a link.
    let flow = Flow::new(&srv);
    let tokens = flow.tokens("alice", "openid wl.basic wl.share", true).await;
    let token = tokens["access_token"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(flow.me(&token).await.status(), StatusCode::OK);
    }
    let api = |path: &str| {
        flow.client
            .get(format!("{}{path}", srv.provider()))
            .bearer_auth(&token)
    };
    // One error answered with its code (the token has no contacts scope).
    let res = api("/v1/me/contacts").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let shared: Value = flow
        .client
        .post(format!("{}/v1/me/share", srv.provider()))
        .bearer_auth(&token)
        .json(&json!({ "link": "https://example.org/page?x=1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = shared["id"].as_str().unwrap().to_owned();

    // Bob, her friend, finds it in his feed with a `url` through the provider, and clicks it.
    let bob = srv.api("bob", "wl.basic").await;
    let feed = bob.json("/v1/me/feed").await;
    let item = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("the share in bob's feed");
    let url = item["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/r/{id}", srv.provider()));
    assert_eq!(item["object"]["href"], "https://example.org/page?x=1");
    let res = browser().get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "https://example.org/page?x=1");

    // Nothing is in the rollups until a flush: counting never writes.
    assert_eq!(
        srv.sql_i64("SELECT COUNT(*) FROM stats_daily", &[]).await,
        0
    );
    flush(&srv).await;
    assert!(srv.sql_i64("SELECT COUNT(*) FROM stats_daily", &[]).await > 0);
    // No row names a person: the metrics are app-level names.
    let alice_id = srv.person_id("alice");
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM stats_daily WHERE metric LIKE '%' || $1 || '%'",
            &[&alice_id]
        )
        .await,
        0
    );

    // The portal page (alice is signed in on the flow's browser).
    let page = flow.get("/developers/apps/wl-demo/stats").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Statistics: wl-connect demo"), "{html}");
    assert!(html.contains(r#"role="img""#));
    assert!(html.contains("Sign-ins: total 1, highest day 1"), "{html}");
    assert!(html.contains("Click-throughs: total 1"), "{html}");
    assert!(html.contains("GET /v1/me"), "{html}");
    assert!(!html.contains("<script"));

    // JSON for the session.
    let q = format!("?from={0}&to={0}", today());
    let v: Value = flow
        .get(&format!("/developers/apps/wl-demo/stats.json{q}"))
        .await
        .json()
        .await
        .unwrap();
    let day = &v["days"][0];
    assert_eq!(day["date"], today());
    for (k, n) in [
        ("signins", 1),
        ("consents", 1),
        ("revocations", 0),
        ("shares", 1),
        ("activities", 1),
        ("clicks", 1),
        // Alice, and Bob reading his feed through the same app.
        ("daily_actives", 2),
        ("monthly_actives", 2),
        ("api_errors", 1),
    ] {
        assert_eq!(day[k], n, "{k}: {v}");
    }
    // 3 × /v1/me, the bad contacts call, the share (bob's feed read is bob's, same app).
    assert!(day["api_calls"].as_i64().unwrap() >= 5, "{v}");
    let me = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint"] == "GET /v1/me")
        .unwrap();
    assert_eq!(me["2xx"], 3);
    assert_eq!(v["errors"]["insufficient_scope"], 1, "{v}");
    let contacts = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint"] == "GET /v1/me/contacts")
        .unwrap();
    assert_eq!(contacts["4xx"], 1, "{v}");
    assert_eq!(v["scopes"]["wl.share"], 1, "{v}");

    // CSV: the same numbers.
    let res = flow
        .get(&format!("/developers/apps/wl-demo/stats.csv{q}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cell = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
    assert_eq!(cell("date"), today());
    assert_eq!(
        (
            cell("signins"),
            cell("consents"),
            cell("shares"),
            cell("clicks")
        ),
        ("1", "1", "1", "1")
    );

    // The JSON API, with a token the demo app holds for its owner.
    let v: Value = api(&format!("/v1/apps/wl-demo/stats{q}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["totals"]["signins"], 1, "{v}");

    // A revocation on the connected-apps page is counted at the next flush.
    let page = flow.get("/consent").await.text().await.unwrap();
    let res = flow
        .post_form(
            "/consent/revoke",
            &[
                ("csrf", &crate::common::hidden(&page, "csrf")),
                ("grant", &crate::common::hidden(&page, "grant")),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    flush(&srv).await;
    let v: Value = flow
        .get(&format!("/developers/apps/wl-demo/stats.json{q}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["days"][0]["revocations"], 1, "{v}");
    assert_eq!(v["days"][0]["signins"], 1, "flushes add, not replace: {v}");
}

#[tokio::test]
async fn non_owners_get_404_and_bad_ranges_a_clear_error() {
    let srv = TestServer::start().await;
    own_demo_app(&srv, "alice").await;
    // Bob is signed in (his own session) but owns nothing.
    let bob = Flow::new(&srv);
    bob.tokens("bob", "openid wl.basic", true).await;
    for path in [
        "/developers/apps/wl-demo/stats",
        "/developers/apps/wl-demo/stats.csv",
        "/developers/apps/no-such-app/stats",
    ] {
        let res = bob.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!res.text().await.unwrap().contains("Sign-ins"), "{path}");
    }
    let res = bob.get("/developers/apps/wl-demo/stats.json").await;
    expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    // Bob's token of the demo app: not an owner.
    let token = srv.dev_token("bob", "wl.basic").await;
    let res = browser()
        .get(format!("{}/v1/apps/wl-demo/stats", srv.provider()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    // No token: 401.
    let res = reqwest::get(format!("{}/v1/apps/wl-demo/stats", srv.provider()))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Signed out: the page asks to sign in, and shows no numbers.
    let res = browser()
        .get(format!("{}/developers/apps/wl-demo/stats", srv.provider()))
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"action="/signin""#), "{html}");

    // Alice's bad ranges.
    let alice = Flow::new(&srv);
    alice.tokens("alice", "openid", true).await;
    for (q, says) in [
        ("?from=2026-12-05&to=2026-12-01", "after"),
        ("?from=2020-01-01&to=2026-01-01", "at most 366"),
        ("?from=yesterday", "YYYY-MM-DD"),
        ("?to=2026-02-30", "YYYY-MM-DD"),
    ] {
        let res = alice
            .get(&format!("/developers/apps/wl-demo/stats{q}"))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{q}");
        let html = res.text().await.unwrap();
        assert!(html.contains("stats_range_invalid"), "{q}: {html}");
        assert!(html.contains(says), "{q}: {html}");
        let res = alice
            .get(&format!("/developers/apps/wl-demo/stats.json{q}"))
            .await;
        let msg = expect_error(res, StatusCode::BAD_REQUEST, "stats_range_invalid").await;
        assert!(msg.contains(says), "{q}: {msg}");
    }
}

#[tokio::test]
async fn the_click_through_goes_only_to_the_shared_link() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.basic wl.share").await;
    let res = alice
        .post_json("/v1/me/share", &json!({ "link": "https://example.org/a" }))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let status = alice
        .post_json(
            "/v1/me/activities",
            &json!({ "template": "status", "values": { "message": "no link" } }),
        )
        .await;
    let note = status.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = srv.provider();
    let client = browser();
    // Whatever is added to the request, the target is the stored link.
    for url in [
        format!("{p}/r/{id}"),
        format!("{p}/r/{id}?url=https://evil.example/"),
        format!("{p}/r/{id}?to=//evil.example"),
        format!("{p}/r/{id}#https://evil.example"),
    ] {
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND, "{url}");
        assert_eq!(location(&res), "https://example.org/a", "{url}");
    }
    // Anything else is 404 with no Location: unknown ids, an activity without a link, paths.
    for url in [
        format!("{p}/r/nope"),
        format!("{p}/r/{note}"),
        format!("{p}/r/https:%2F%2Fevil.example"),
        format!("{p}/r/{id}/https://evil.example"),
        format!("{p}/r/%2F%2Fevil.example"),
        format!("{p}/r/{id}'%20OR%20'1'='1"),
    ] {
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{url}");
        assert!(res.headers().get(header::LOCATION).is_none(), "{url}");
    }
}

#[tokio::test]
async fn two_instances_flush_their_own_increments_and_actives_merge() {
    let srv = TestServer::start().await;
    let db = &srv.running.state.db;
    // Two instances' counters (one key: the provider's shared secret).
    let a = Stats::new(b"shared");
    let b = Stats::new(b"shared");
    let now = srv.running.state.clock.now();
    for s in [&a, &b] {
        s.count("wl-demo", "signins", now);
        s.active("wl-demo", "person-1", now);
    }
    b.active("wl-demo", "person-2", now);
    a.flush(db).await.unwrap();
    b.flush(db).await.unwrap();
    // Flushing nothing writes nothing.
    assert_eq!(a.flush(db).await.unwrap(), 0);
    let mut c = db.conn().await.unwrap();
    let day = now.div_euclid(86_400);
    let r = wl_server::stats::report::load(&mut c, "wl-demo", day, day)
        .await
        .unwrap();
    assert_eq!(r.days[0].signins, 2);
    assert_eq!(r.days[0].daily_actives, 2, "person-1 counted once");
    assert_eq!(r.days[0].monthly_actives, 2);
}

#[tokio::test]
async fn what_is_pending_at_shutdown_is_flushed() {
    let srv = TestServer::start().await;
    let state = srv.running.state.clone();
    let now = state.clock.now();
    state.tokens.stats.count("wl-demo", "clicks", now);
    let TestServer { running, dir } = srv;
    running.shutdown().await;
    let day = now.div_euclid(86_400);
    let mut c = state.db.conn().await.unwrap();
    let r = wl_server::stats::report::load(&mut c, "wl-demo", day, day)
        .await
        .unwrap();
    assert_eq!(r.days[0].clicks, 1);
    drop(c);
    drop(dir);
}
