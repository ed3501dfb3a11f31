//! "Are my friends on this site?" (issue 16 §2) over real HTTP and real WebSockets:
//! `uses_this_app` on `/v1/me/friends` and `$filter` on it, the "Let friends see I use <app>"
//! setting of the connected-apps page (CSRF-checked), and the hub's `here` frames.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{Flow, TestServer, expect_error, hidden, location};
use crate::hub::Client;

/// A second app, `other-app`, and a token of `scope` for `user` on it.
async fn other_app_token(srv: &TestServer, user: &str, scope: &str) -> String {
    srv.sql_exec(
        "INSERT INTO apps (client_id, name, created_at) VALUES ($1, $2, 0) ON CONFLICT (client_id) DO NOTHING",
        &["other-app", "Other app"],
    )
    .await;
    wl_server::identity::tokens::dev_token(&srv.running.state.tokens, user, "other-app", scope)
        .await
        .expect("a token for other-app")
}

/// `uses_this_app` of each friend, by username's id.
fn uses(list: &Value, id: &str) -> bool {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))["uses_this_app"]
        .as_bool()
        .expect("uses_this_app is a boolean")
}

fn ids(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

/// Bob signs in on the provider and connects the demo app (his session stays in the flow's
/// cookies, for the connected-apps page).
async fn bob_connects(srv: &TestServer) -> Flow {
    let f = Flow::new(srv);
    f.tokens("bob", "wl.basic wl.messenger", true).await;
    f
}

/// Submits the "Let friends see I use …" form of the connected-apps page.
async fn set_visible(f: &Flow, visible: bool) -> reqwest::Response {
    let page = f.get("/consent").await.text().await.unwrap();
    assert!(
        page.contains("Let friends see I use wl-connect demo"),
        "{page}"
    );
    let mut form = vec![
        ("csrf", hidden(&page, "csrf")),
        ("grant", hidden(&page, "grant")),
    ];
    if visible {
        form.push(("visible", "1".to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.post_form("/consent/visibility", &form).await
}

#[tokio::test]
async fn uses_this_app_is_true_only_for_friends_connected_to_the_calling_app() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.basic").await;
    let (bob, mallory) = (srv.person_id("bob"), srv.person_id("mallory"));

    let list = alice.json("/v1/me/friends").await;
    assert!(!uses(&list, &bob), "bob has not connected yet");
    assert!(!uses(&list, &mallory));

    bob_connects(&srv).await;
    // Mallory connects another app only: that doesn't count for the demo app.
    other_app_token(&srv, "mallory", "wl.basic").await;
    let list = alice.json("/v1/me/friends").await;
    assert!(uses(&list, &bob), "{list}");
    assert!(!uses(&list, &mallory), "another app's grant doesn't count");

    // $filter on it, both ways, with $count; $select and $orderby know it.
    let here = alice
        .json("/v1/me/friends?$filter=uses_this_app eq true&$count=true")
        .await;
    assert_eq!(ids(&here), vec![bob.clone()]);
    assert_eq!(here["count"], 1);
    let not_here = alice
        .json("/v1/me/friends?$filter=uses_this_app eq false")
        .await;
    assert!(!ids(&not_here).contains(&bob));
    assert_eq!(ids(&not_here).len() + 1, ids(&list).len());
    let sel = alice
        .json("/v1/me/friends?$select=id,uses_this_app&$orderby=uses_this_app desc")
        .await;
    assert_eq!(sel["data"][0]["id"], bob.as_str());
    assert_eq!(
        sel["data"][0].as_object().unwrap().len(),
        2,
        "{}",
        sel["data"][0]
    );

    // Asked through the other app, it is mallory who uses it.
    let other = other_app_token(&srv, "alice", "wl.basic").await;
    let res = alice
        .client
        .get(alice.url("/v1/me/friends?$filter=uses_this_app eq true"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let via_other: Value = res.json().await.unwrap();
    assert_eq!(ids(&via_other), vec![mallory.clone()]);

    // A bad value is a clear 400.
    let res = alice
        .get("/v1/me/friends?$filter=uses_this_app eq 'yes'")
        .await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
}

#[tokio::test]
async fn a_friend_who_hides_the_app_or_disconnects_is_not_listed() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.basic").await;
    let bob = srv.person_id("bob");
    let f = bob_connects(&srv).await;
    assert!(uses(&alice.json("/v1/me/friends").await, &bob));

    // The default is visible: the box is ticked.
    let page = f.get("/consent").await.text().await.unwrap();
    assert!(
        page.contains(r#"name="visible" value="1" checked"#),
        "{page}"
    );

    // A forged CSRF token changes nothing.
    let grant = hidden(&page, "grant");
    let res = f
        .post_form(
            "/consent/visibility",
            &[("csrf", "forged"), ("grant", &grant)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(uses(&alice.json("/v1/me/friends").await, &bob));

    // Bob hides the demo app from friends.
    let res = set_visible(&f, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = f.get(&location(&res)).await.text().await.unwrap();
    assert!(
        page.contains("Friends no longer see that you use wl-connect demo"),
        "{page}"
    );
    assert!(!page.contains(r#"name="visible" value="1" checked"#));
    let list = alice.json("/v1/me/friends").await;
    assert!(!uses(&list, &bob), "hidden: {list}");
    let here = alice
        .json("/v1/me/friends?$filter=uses_this_app eq true")
        .await;
    assert!(ids(&here).is_empty(), "{here}");

    // And shows it again.
    let res = set_visible(&f, true).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(uses(&alice.json("/v1/me/friends").await, &bob));

    // Someone else's grant, a grant that does not exist, a bad value: refused, nothing changes.
    let page = f.get("/consent").await.text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let alices_grant = srv
        .sql_text(
            "SELECT id FROM grants WHERE person_id = $1",
            &[&srv.person_id("alice")],
        )
        .await;
    for g in [alices_grant.as_str(), "nope"] {
        let res = f
            .post_form("/consent/visibility", &[("csrf", &csrf), ("grant", g)])
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(res.text().await.unwrap().contains("grant_not_found"));
    }
    let res = f
        .post_form(
            "/consent/visibility",
            &[("csrf", &csrf), ("grant", &grant), ("visible", "maybe")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(uses(&alice.json("/v1/me/friends").await, &bob));
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM app_visibility WHERE person_id = $1 AND hidden = 1",
            &[&srv.person_id("alice")],
        )
        .await,
        0
    );

    // Removing access: no longer uses the app.
    let res = f
        .post_form("/consent/revoke", &[("csrf", &csrf), ("grant", &grant)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(!uses(&alice.json("/v1/me/friends").await, &bob));
}

#[tokio::test]
async fn the_hub_says_which_friends_are_here_from_the_same_app() {
    let srv = TestServer::start().await;
    let (alice_id, bob_id) = (srv.person_id("alice"), srv.person_id("bob"));

    let (mut alice, _) =
        Client::hello_with(&srv, &srv.dev_token("alice", "wl.messenger").await, None).await;
    assert!(alice.here().await.is_empty(), "nobody here yet");

    // Mallory comes online from another app: online, not here.
    let other = other_app_token(&srv, "mallory", "wl.messenger").await;
    let (_mallory, _) = Client::hello_with(&srv, &other, None).await;
    alice.no_here().await;

    // Bob, from the demo app (signed in on the provider too, for his settings).
    let f = bob_connects(&srv).await;
    let (mut bob, _) =
        Client::hello_with(&srv, &srv.dev_token("bob", "wl.messenger").await, None).await;
    assert_eq!(bob.here().await, vec![alice_id.clone()]);
    assert_eq!(alice.here().await, vec![bob_id.clone()]);

    // Bob hides the demo app on the connected-apps page: alice's list loses him at once.
    assert_eq!(set_visible(&f, false).await.status(), StatusCode::SEE_OTHER);
    assert!(alice.here().await.is_empty());
    // Still online, though.
    alice.no_here().await;

    // A new connection of bob keeps it hidden (read from the store at hello).
    let (mut bob2, _) =
        Client::hello_with(&srv, &srv.dev_token("bob", "wl.messenger").await, None).await;
    assert_eq!(bob2.here().await, vec![alice_id.clone()]);
    alice.no_here().await;

    // Shown again: back; appearing offline: gone; leaving: gone.
    assert_eq!(set_visible(&f, true).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(alice.here().await, vec![bob_id.clone()]);
    bob.send(serde_json::json!({ "type": "presence", "status": "appear_offline" }))
        .await;
    assert!(alice.here().await.is_empty());
    bob.send(serde_json::json!({ "type": "presence", "status": "available" }))
        .await;
    assert_eq!(alice.here().await, vec![bob_id.clone()]);
    drop(bob);
    drop(bob2);
    assert!(alice.here().await.is_empty());
}
