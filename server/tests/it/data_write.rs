//! `/v1` over real HTTP, beyond the collections: `POST /v1/me/contacts` and its validation,
//! contacts at `/v1/{id}`, pictures (redirect and `suppress_redirects`), and the Live Connect
//! error codes for tokens, URLs and methods.
use crate::common::{TestServer, expect_error};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

#[tokio::test]
async fn post_contact_creates_validates_and_is_queryable() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.contacts").await;
    let before = api.json("/v1/me/contacts?$count=true&$top=0").await["count"]
        .as_u64()
        .unwrap();

    let res = api
        .post_json(
            "/v1/me/contacts",
            &json!({
                "first_name": " Zelda ", "last_name": "Quartz",
                "emails": { "preferred": "zelda@quartz.example" },
                "phones": { "personal": "+1 555 0199" },
                "is_favorite": true
            }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("contact."), "{created}");
    assert_eq!(location, format!("{}/v1/{id}", srv.provider()));
    assert_eq!(created["name"], "Zelda Quartz");
    assert_eq!(created["first_name"], "Zelda");
    assert_eq!(created["emails"]["preferred"], "zelda@quartz.example");
    assert_eq!(created["phones"]["personal"], "+1 555 0199");
    assert_eq!(created["is_favorite"], true);
    assert_eq!(created["is_friend"], false);
    assert!(created["user_id"].is_null());
    assert!(created["updated_time"].as_str().unwrap().ends_with("+0000"));

    // The Location answers the same contact.
    assert_eq!(api.json(&location).await, created);
    // It is in the collection, and OData finds it.
    let after = api.json("/v1/me/contacts?$count=true&$top=0").await["count"]
        .as_u64()
        .unwrap();
    assert_eq!(after, before + 1);
    let found = api
        .json("/v1/me/contacts?$filter=startswith(last_name,'quar') and is_favorite eq true&$select=id,name")
        .await;
    assert_eq!(found["data"], json!([{ "id": id, "name": "Zelda Quartz" }]));
    let by_email = api
        .json("/v1/me/contacts?$filter=emails/preferred eq 'zelda@quartz.example'")
        .await;
    assert_eq!(by_email["data"][0]["id"], id.as_str());
    // Only a last name: the name has no stray space.
    let res = api
        .post_json("/v1/me/contacts", &json!({ "last_name": "Ng" }))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let ng: Value = res.json().await.unwrap();
    assert_eq!(ng["name"], "Ng");
    assert!(ng["emails"]["preferred"].is_null());

    // Bob cannot see alice's contact, by id or in his list.
    let bob = srv.api("bob", "wl.contacts wl.basic").await;
    expect_error(
        bob.get(&format!("/v1/{id}")).await,
        StatusCode::NOT_FOUND,
        "resource_not_found",
    )
    .await;
    let bobs = bob
        .json("/v1/me/contacts?$filter=last_name eq 'Quartz'")
        .await;
    assert_eq!(bobs["data"], json!([]));
}

#[tokio::test]
async fn post_contact_rejections_name_the_field() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.contacts").await;
    let count = || async {
        api.json("/v1/me/contacts?$count=true&$top=0").await["count"]
            .as_u64()
            .unwrap()
    };
    let before = count().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "first_name: "),
        (
            json!({ "first_name": "", "last_name": "  " }),
            "first_name: ",
        ),
        (json!({ "first_name": 7 }), "first_name: must be a string"),
        (
            json!({ "last_name": "x".repeat(101) }),
            "last_name: must be at most 100 characters",
        ),
        (
            json!({ "first_name": "A\u{7}" }),
            "first_name: must not contain control characters",
        ),
        (
            json!({ "first_name": "A", "emails": { "preferred": "not-an-email" } }),
            "emails.preferred: 'not-an-email' is not an email address",
        ),
        (
            json!({ "first_name": "A", "emails": { "preferred": "a@b" } }),
            "emails.preferred: ",
        ),
        (
            json!({ "first_name": "A", "emails": { "work": "a@b.co" } }),
            "emails.work: ",
        ),
        (
            json!({ "first_name": "A", "emails": ["a@b.co"] }),
            "emails: must be an object",
        ),
        (
            json!({ "first_name": "A", "phones": { "personal": "555-CALL-NOW" } }),
            "phones.personal: ",
        ),
        (
            json!({ "first_name": "A", "is_favorite": 1 }),
            "is_favorite: must be true or false",
        ),
        (
            json!({ "first_name": "A", "user_id": "x" }),
            "user_id: is read-only",
        ),
        (
            json!({ "first_name": "A", "birthday": "x" }),
            "birthday: is not a contact field",
        ),
        (json!(["first_name"]), "the body must be a JSON object"),
    ];
    for (body, start) in cases {
        let msg = expect_error(
            api.post_json("/v1/me/contacts", &body).await,
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
        )
        .await;
        assert!(msg.starts_with(start), "{body} → {msg}");
    }
    // Garbled JSON, a form body, an empty body.
    let raw = |ct: Option<&'static str>, body: &'static str| {
        let mut req = api.request(Method::POST, "/v1/me/contacts").body(body);
        if let Some(ct) = ct {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        req.send()
    };
    let msg = expect_error(
        raw(Some("application/json"), "{\"first_name\": \"A\",")
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "request_body_invalid",
    )
    .await;
    assert!(msg.contains("not valid JSON"), "{msg}");
    expect_error(
        raw(Some("application/x-www-form-urlencoded"), "first_name=A")
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "request_body_invalid",
    )
    .await;
    expect_error(
        raw(Some("application/json"), "").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "request_parameter_missing",
    )
    .await;
    expect_error(
        raw(None, "").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "request_parameter_missing",
    )
    .await;
    // A body past the server's limit: the same JSON error, not a bare 413.
    let huge = format!("{{\"first_name\":\"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let res = api
        .request(Method::POST, "/v1/me/contacts")
        .header(header::CONTENT_TYPE, "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    // A body without Content-Type is read as JSON.
    let res = raw(None, "{\"first_name\":\"Plain\"}").await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(count().await, before + 1, "only the valid one was stored");

    // Scope before body: without wl.contacts, 403 even for a bad body.
    let basic = srv.api("alice", "wl.basic").await;
    let res = basic.post_json("/v1/me/contacts", &json!({})).await;
    assert_eq!(
        res.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="insufficient_scope", scope="wl.contacts""#
    );
    expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;
    // A bad $format is rejected before anything is stored.
    let res = api
        .post_json(
            "/v1/me/contacts?$format=csv",
            &json!({ "first_name": "Nope" }),
        )
        .await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
    assert_eq!(count().await, before + 1);
}

#[tokio::test]
async fn contact_ids_need_wl_contacts() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.contacts").await;
    let first = api.json("/v1/me/contacts?$top=1").await["data"][0].clone();
    let id = first["id"].as_str().unwrap();
    assert_eq!(api.json(&format!("/v1/{id}")).await, first);
    let basic = srv.api("alice", "wl.basic").await;
    let res = basic.get(&format!("/v1/{id}")).await;
    expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;
    expect_error(
        api.get("/v1/contact.doesnotexist").await,
        StatusCode::NOT_FOUND,
        "resource_not_found",
    )
    .await;
}

#[tokio::test]
async fn pictures_redirect_or_answer_location() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.basic").await;
    let alice_id = srv.person_id("alice");
    let bob_id = srv.person_id("bob");
    let me = alice.json("/v1/me").await;
    let mine = me["picture"].as_str().unwrap().to_owned();

    // me/picture: 302 to the image, which anyone can load.
    let res = alice.get("/v1/me/picture").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()[header::LOCATION], mine.as_str());
    let img = reqwest::get(&mine).await.unwrap();
    assert_eq!(img.status(), StatusCode::OK);
    assert_eq!(img.headers()[header::CONTENT_TYPE], "image/svg+xml");
    // suppress_redirects=true: { location }.
    let v = alice.json("/v1/me/picture?suppress_redirects=true").await;
    assert_eq!(v, json!({ "location": mine }));
    let res = alice
        .get("/v1/me/picture?suppress_redirects=false&type=large")
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    expect_error(
        alice.get("/v1/me/picture?suppress_redirects=yes").await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;
    expect_error(
        alice.get("/v1/me/picture?type=huge").await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;

    // My own id works like me.
    let v = alice
        .json(&format!("/v1/{alice_id}/picture?suppress_redirects=true"))
        .await;
    assert_eq!(v["location"], mine.as_str());
    // A friend's picture: bob is alice's friend.
    let bob_profile = alice.json(&format!("/v1/{bob_id}")).await;
    let res = alice.get(&format!("/v1/{bob_id}/picture")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers()[header::LOCATION],
        bob_profile["picture"].as_str().unwrap()
    );
    let v = alice
        .json(&format!("/v1/{bob_id}/picture?suppress_redirects=true"))
        .await;
    assert_eq!(v["location"], bob_profile["picture"]);

    // Someone alice is not friends with: 404, the same as an id that does not exist.
    let stranger: String = srv
        .sql_text(
            "SELECT id FROM people WHERE id <> $1 AND id NOT IN (SELECT friend_id FROM friendships WHERE person_id = $1) LIMIT 1",
            &[&alice_id],
        )
        .await;
    for id in [stranger.as_str(), "no-such-person"] {
        expect_error(
            alice.get(&format!("/v1/{id}/picture")).await,
            StatusCode::NOT_FOUND,
            "resource_not_found",
        )
        .await;
        expect_error(
            alice
                .get(&format!("/v1/{id}/picture?suppress_redirects=true"))
                .await,
            StatusCode::NOT_FOUND,
            "resource_not_found",
        )
        .await;
    }
    // A friend's picture needs wl.basic.
    let contacts_only = srv.api("alice", "wl.contacts").await;
    let res = contacts_only.get(&format!("/v1/{bob_id}/picture")).await;
    assert_eq!(
        res.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="insufficient_scope", scope="wl.basic""#
    );
    expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;
    // …but not one's own.
    assert_eq!(
        contacts_only.get("/v1/me/picture").await.status(),
        StatusCode::FOUND
    );
    // No token: 401.
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/v1/me/picture", srv.provider()))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "request_token_invalid").await;
}

#[tokio::test]
async fn tokens_expired_and_invalid_are_told_apart() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic wl.contacts").await;
    assert_eq!(api.get("/v1/me").await.status(), StatusCode::OK);
    let client = reqwest::Client::new();
    for bad in [
        "",
        "wlat_",
        "wlat_0000000000000000000000000000",
        "Bearer",
        "not-a-token",
    ] {
        for path in ["/v1/me", "/v1/me/contacts", "/v1/me/picture", "/v1/someone"] {
            let res = client
                .get(format!("{}{path}", srv.provider()))
                .header(header::AUTHORIZATION, format!("Bearer {bad}"))
                .send()
                .await
                .unwrap();
            let www = res.headers()[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(www.starts_with(r#"Bearer error="invalid_token""#), "{www}");
            expect_error(res, StatusCode::UNAUTHORIZED, "request_token_invalid").await;
        }
    }
    // Past its expiry (a remembered grant's token lives a year).
    srv.advance(366 * 86_400);
    for path in [
        "/v1/me",
        "/v1/me/contacts",
        "/v1/me/friends?$filter=(",
        "/v1/me/picture",
    ] {
        let res = api.get(path).await;
        let www = res.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(www.starts_with(r#"Bearer error="invalid_token""#), "{www}");
        assert!(www.contains("expired"), "{www}");
        expect_error(res, StatusCode::UNAUTHORIZED, "request_token_expired").await;
    }
    let res = api
        .post_json("/v1/me/contacts", &json!({ "first_name": "Late" }))
        .await;
    expect_error(res, StatusCode::UNAUTHORIZED, "request_token_expired").await;
}

#[tokio::test]
async fn unknown_urls_and_methods() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic wl.contacts").await;
    for path in [
        "/v1",
        "/v1/",
        "/v1/me/nothing",
        "/v1/me/contacts/extra/more",
        "/v1/me/friends/x/y",
        "/v1/someone/albums",
    ] {
        let msg = expect_error(
            api.get(path).await,
            StatusCode::NOT_FOUND,
            "request_url_invalid",
        )
        .await;
        assert!(msg.contains("openapi.json"), "{msg}");
    }
    // No token needed to be told the URL is wrong.
    let res = reqwest::get(format!("{}/v1/me/nothing", srv.provider()))
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "request_url_invalid").await;
    for (method, path) in [
        (Method::DELETE, "/v1/me/contacts"),
        (Method::PUT, "/v1/me"),
        (Method::POST, "/v1/me/friends"),
        (Method::PATCH, "/v1/me/picture"),
    ] {
        let res = api.request(method.clone(), path).send().await.unwrap();
        let msg = expect_error(
            res,
            StatusCode::METHOD_NOT_ALLOWED,
            "request_method_invalid",
        )
        .await;
        assert!(msg.contains(method.as_str()), "{msg}");
    }
    // Outside /v1, the provider's own 404 page as before.
    let res = api.get("/nothing-here").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn seed_contacts_cli_fills_an_address_book() {
    let dir = crate::common::TempDir::new();
    let config = crate::common::config(&dir);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wl-server"));
    cmd.args([
        "seed-contacts",
        "--user",
        "bob",
        "--count",
        "120",
        "--data-dir",
    ])
    .arg(&config.data_dir);
    // On PostgreSQL the command writes where the server reads.
    if let Some(url) = &config.database {
        cmd.args(["--database", url]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "120");
    let srv = TestServer::start_with(config, std::sync::Arc::new(dir)).await;
    let bob = srv.api("bob", "wl.contacts").await;
    let all = bob.json("/v1/me/contacts?$count=true&$top=0").await;
    assert!(all["count"].as_u64().unwrap() >= 120, "{all}");
    let favs = bob
        .json("/v1/me/contacts?$filter=is_favorite eq true and endswith(emails/preferred,'@example.com')&$count=true")
        .await;
    assert_eq!(favs["count"], 8, "every 17th of 120 is a favourite: {favs}");
    // alice's book is untouched.
    let alice = srv.api("alice", "wl.contacts").await;
    let hers = alice
        .json(
            "/v1/me/contacts?$filter=endswith(emails/preferred,'@example.com')&$count=true&$top=0",
        )
        .await;
    assert_eq!(hers["count"], 0);
}
