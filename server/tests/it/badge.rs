//! The no-JavaScript sharing badge over real HTTP with a browser-like client (cookies, no
//! automatic redirects): `/badge?url=…` → sign in → the share form → Share (CSRF-checked) →
//! "Shared", and the activity in the chosen friends' feeds only.
use crate::common::{Flow, TestServer, hidden, location};
use reqwest::{StatusCode, header};
use serde_json::Value;

async fn token(srv: &TestServer, user: &str, scope: &str) -> String {
    wl_server::identity::tokens::dev_token(&srv.running.state.tokens, user, "wl-demo", scope)
        .await
        .unwrap()
}

async fn feed(srv: &TestServer, user: &str) -> Vec<Value> {
    let res = reqwest::Client::new()
        .get(format!("{}/v1/me/feed?$top=1000", srv.provider()))
        .bearer_auth(token(srv, user, "wl.basic").await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    v["data"].as_array().unwrap().clone()
}

fn badge_url(url: &str, message: Option<&str>) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("url", url);
    if let Some(m) = message {
        q.append_pair("message", m);
    }
    format!("/badge?{}", q.finish())
}

/// Opens the badge as `user` (signing in on the way) and returns the share form's HTML.
async fn open_signed_in(flow: &Flow, path: &str, user: &str) -> String {
    let res = flow.get(path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains(r#"action="/signin""#),
        "sign-in first:\n{page}"
    );
    assert!(page.contains("wl-connect sharing"));
    assert_eq!(hidden(&page, "continue"), path);
    let res = flow.sign_in(&page, user, "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), path, "back to the badge");
    let res = flow.get(path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("form-action 'self'"), "{csp}");
    assert!(!csp.contains("script-src"), "no scripts at all: {csp}");
    assert_eq!(res.headers()[header::X_FRAME_OPTIONS], "DENY");
    res.text().await.unwrap()
}

/// Posts the share form found in `page` with the given audience and ticked friends.
async fn share(
    flow: &Flow,
    page: &str,
    message: &str,
    audience: &str,
    to: &[&str],
) -> reqwest::Response {
    let csrf = hidden(page, "csrf");
    let url = hidden(page, "url");
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("url", url.as_str()),
        ("message", message),
        ("audience", audience),
    ];
    for id in to {
        form.push(("to", id));
    }
    flow.post_form("/badge", &form).await
}

#[tokio::test]
async fn sign_in_choose_bob_share_and_only_bob_sees_it() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let bob_id = srv.person_id("bob");
    let link = "https://example.org/article?id=7&ref=badge";
    let path = badge_url(link, Some("You'll like this"));

    let page = open_signed_in(&flow, &path, "alice").await;
    assert!(page.contains("Share a link"));
    assert!(page.contains("Alice Anderson"));
    assert!(
        page.contains("example.org"),
        "the link's host in the preview"
    );
    assert!(page.contains("https://example.org/article?id=7&amp;ref=badge"));
    assert!(
        page.contains(r#"value="You'll like this""#),
        "message prefilled"
    );
    assert!(page.contains(&format!(r#"name="to" value="{bob_id}""#)));
    assert!(page.contains("Bob Baker"));
    // Mallory (a friend of alice) is listed by her name, as text.
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!page.contains("<img src=x"));
    assert!(!page.contains("<script"));
    assert!(
        page.contains(r#"value="all" checked"#),
        "all friends by default"
    );

    // Without the CSRF token: refused, nothing shared.
    let res = flow
        .post_form(
            "/badge",
            &[("url", link), ("audience", "chosen"), ("to", &bob_id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("csrf_invalid"));

    let res = share(&flow, &page, "You'll like this", "chosen", &[&bob_id]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let done = location(&res);
    assert!(done.starts_with("/badge/shared?id="), "{done}");
    let res = flow.get(&done).await;
    assert_eq!(res.status(), StatusCode::OK);
    let shared = res.text().await.unwrap();
    assert!(shared.contains("<h1>Shared</h1>"), "{shared}");
    assert!(shared.contains("Bob Baker"));
    assert!(shared.contains("You'll like this"));
    // Its links go through the click-through redirect, to exactly the shared link.
    let id = crate::common::query(&format!("{}{done}", srv.provider()))["id"].clone();
    assert!(shared.contains(&format!(r#"href="/r/{id}""#)), "{shared}");
    let res = flow.get(&format!("/r/{id}")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), link);

    let in_bobs: Vec<Value> = feed(&srv, "bob")
        .await
        .into_iter()
        .filter(|a| a["object"]["href"] == link)
        .collect();
    assert_eq!(in_bobs.len(), 1, "exactly one activity in bob's feed");
    let a = &in_bobs[0];
    assert_eq!(a["type"], "Announce");
    assert_eq!(a["actor"]["name"], "Alice Anderson");
    assert_eq!(a["content"], "You'll like this");
    assert_eq!(a["summary"], "Alice Anderson shared a link");
    assert!(a.get("generator").is_none(), "the provider's own page");
    // Grace is alice's friend too, but wasn't chosen; carol is not her friend at all.
    for other in ["grace", "carol"] {
        assert!(
            !feed(&srv, other)
                .await
                .iter()
                .any(|a| a["object"]["href"] == link),
            "{other} must not see it"
        );
    }
}

#[tokio::test]
async fn all_friends_and_form_errors_keep_what_was_typed() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let link = "http://example.net/all";
    let page = open_signed_in(&flow, &badge_url(link, None), "alice").await;

    // "Only the friends I tick" with nobody ticked: the form again, with the message kept.
    let res = share(&flow, &page, "Kept <text>", "chosen", &[]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let again = res.text().await.unwrap();
    assert!(again.contains("Tick at least one friend"), "{again}");
    assert!(again.contains(r#"value="Kept &lt;text&gt;""#));
    assert!(again.contains(r#"value="chosen" checked"#));

    // Someone who is not alice's friend can't be smuggled in.
    let carol = srv.person_id("carol");
    let res = share(&flow, &page, "", "chosen", &[&carol]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("You can only share with your friends")
    );

    let long = "x".repeat(1001);
    let res = share(&flow, &page, &long, "all", &[]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("too long"));

    // All friends: grace and bob both see it; carol doesn't.
    let res = share(&flow, &page, "", "all", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let done = location(&res);
    let shared = flow.get(&done).await.text().await.unwrap();
    assert!(shared.contains("all your friends (6)"), "{shared}");
    let reloaded = flow.get(&done).await.text().await.unwrap();
    assert_eq!(reloaded, shared);
    let has = |items: &[Value]| items.iter().any(|a| a["object"]["href"] == link);
    assert!(has(&feed(&srv, "bob").await));
    assert!(has(&feed(&srv, "grace").await));
    assert!(!has(&feed(&srv, "carol").await));

    // Reloading the confirmation never shares twice.
    assert_eq!(
        feed(&srv, "bob")
            .await
            .iter()
            .filter(|a| a["object"]["href"] == link)
            .count(),
        1
    );
}

#[tokio::test]
async fn only_http_links_and_clear_errors() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    for (path, code) in [
        (badge_url("javascript:alert(1)", None), "badge_url_invalid"),
        (
            badge_url("data:text/html,<b>x</b>", None),
            "badge_url_invalid",
        ),
        (badge_url("ftp://example.org/f", None), "badge_url_invalid"),
        (badge_url("/relative/path", None), "badge_url_invalid"),
        (badge_url("   ", None), "badge_url_missing"),
        ("/badge".to_owned(), "badge_url_missing"),
    ] {
        let res = flow.get(&path).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains(&format!("<code>{code}</code>")),
            "{path}:\n{page}"
        );
        assert!(
            !page.contains(r#"action="/signin""#),
            "no sign-in for a bad link"
        );
    }

    // A signed-in POST with a bad link is refused too, whatever the form says.
    let page = open_signed_in(&flow, &badge_url("https://example.org/", None), "alice").await;
    let csrf = hidden(&page, "csrf");
    let res = flow
        .post_form(
            "/badge",
            &[
                ("csrf", &csrf),
                ("url", "javascript:alert(1)"),
                ("audience", "all"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("badge_url_invalid"));

    // Markup in the link is shown as text.
    let evil = "https://example.org/?q=\"><script>alert(1)</script>";
    let res = flow.get(&badge_url(evil, Some("<b>hi</b>"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<b>hi"));

    // Someone else's confirmation page is not found.
    let bob = token(&srv, "bob", "wl.share").await;
    let res = reqwest::Client::new()
        .post(format!("{}/v1/me/share", srv.provider()))
        .bearer_auth(&bob)
        .json(&serde_json::json!({ "link": "https://example.org/bobs" }))
        .send()
        .await
        .unwrap();
    let bobs: Value = res.json().await.unwrap();
    let res = flow
        .get(&format!(
            "/badge/shared?id={}",
            bobs["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("badge_share_not_found"));

    // The stylesheet is served from the provider itself (CSP style-src 'self').
    let res = flow.get("/badge/badge.css").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn signing_out_and_a_lapsed_session_come_back_to_the_badge() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let path = badge_url("https://example.org/x", Some("m"));
    let page = open_signed_in(&flow, &path, "alice").await;
    // "Not you?" signs out and comes back to the same badge (to sign in as someone else).
    let csrf = hidden(&page, "csrf");
    let res = flow
        .post_form("/signout", &[("csrf", &csrf), ("continue", &path)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), path);
    // Posting the old form without a session: back to the badge, which asks to sign in.
    let res = share(&flow, &page, "m", "all", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), path);
    let res = flow.get(&path).await;
    assert!(res.text().await.unwrap().contains(r#"action="/signin""#));
}
