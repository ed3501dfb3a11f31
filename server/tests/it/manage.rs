//! Managing data over real HTTP (issue 16 §3): `GET`/`PUT`/`PATCH`/`DELETE` of one contact and
//! `GET`/`PATCH`/`DELETE` of one's own activity, with ETags (`If-Match` → 412
//! `precondition_failed`, `If-None-Match` → 304), and `$format` in any case (§5).
use crate::common::{Api, TestServer, expect_error};
use reqwest::{Method, Response, StatusCode, header};
use serde_json::{Value, json};

async fn send(
    api: &Api,
    method: Method,
    path: &str,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> Response {
    let mut req = api.request(method, path);
    if let Some(tag) = if_match {
        req = req.header(header::IF_MATCH, tag);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.expect("request")
}

fn etag(res: &Response) -> String {
    res.headers()
        .get(header::ETAG)
        .expect("an ETag")
        .to_str()
        .unwrap()
        .to_owned()
}

async fn new_contact(api: &Api, body: Value) -> String {
    let res = api.post_json("/v1/me/contacts", &body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_contact_is_read_replaced_patched_and_deleted_with_etags() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.contacts").await;
    let id = new_contact(
        &api,
        json!({ "first_name": "Ann", "last_name": "Lee", "emails": { "preferred": "ann@lee.example" } }),
    )
    .await;
    let path = format!("/v1/me/contacts/{id}");

    // GET: the contact as /v1/{id} shows it, with a strong ETag; If-None-Match → 304.
    let res = api.get(&path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag0 = etag(&res);
    assert!(
        tag0.starts_with('"') && tag0.ends_with('"') && tag0.len() == 34,
        "{tag0}"
    );
    let got: Value = res.json().await.unwrap();
    assert_eq!(got, api.json(&format!("/v1/{id}")).await);
    let res = api
        .request(Method::GET, &path)
        .header(header::IF_NONE_MATCH, &tag0)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(etag(&res), tag0);
    assert!(res.bytes().await.unwrap().is_empty());
    let res = api
        .request(Method::GET, &path)
        .header(header::IF_NONE_MATCH, "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // PATCH (merge patch): only the fields sent change; null clears one.
    let res = send(
        &api,
        Method::PATCH,
        &path,
        Some(&tag0),
        Some(&json!({ "is_favorite": true, "emails": { "preferred": null } })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag1 = etag(&res);
    assert_ne!(tag1, tag0);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["name"], "Ann Lee");
    assert_eq!(v["is_favorite"], true);
    assert!(v["emails"]["preferred"].is_null(), "{v}");
    assert_eq!(api.json(&path).await, v);

    // A stale ETag: 412 precondition_failed, the current ETag sent back, nothing written.
    let res = send(
        &api,
        Method::PATCH,
        &path,
        Some(&tag0),
        Some(&json!({ "first_name": "Stale" })),
    )
    .await;
    assert_eq!(etag(&res), tag1);
    expect_error(res, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    let res = send(
        &api,
        Method::PUT,
        &path,
        Some(&tag0),
        Some(&json!({ "first_name": "Stale" })),
    )
    .await;
    expect_error(res, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    let res = send(&api, Method::DELETE, &path, Some(&tag0), None).await;
    expect_error(res, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    // A weak tag never matches a write (strong comparison).
    let weak = format!("W/{tag1}");
    let res = send(
        &api,
        Method::PATCH,
        &path,
        Some(&weak),
        Some(&json!({ "first_name": "Weak" })),
    )
    .await;
    expect_error(res, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    assert_eq!(api.json(&path).await, v);

    // A malformed If-Match: 400 naming the header, nothing written.
    for bad in ["abc", "\"unterminated", "W/abc", ","] {
        let res = send(
            &api,
            Method::PATCH,
            &path,
            Some(bad),
            Some(&json!({ "first_name": "Bad" })),
        )
        .await;
        let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
        assert!(msg.starts_with("If-Match: "), "{msg}");
    }
    assert_eq!(api.json(&path).await, v);

    // PUT replaces every writable field: a field left out is cleared.
    let list = format!("\"nope\", {tag1}");
    let res = send(
        &api,
        Method::PUT,
        &path,
        Some(&list),
        Some(&json!({ "last_name": "Lee-Smith", "phones": { "personal": "+1 555 0100" } })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag2 = etag(&res);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["name"], "Lee-Smith");
    assert_eq!(v["first_name"], "");
    assert_eq!(v["is_favorite"], false);
    assert_eq!(v["phones"]["personal"], "+1 555 0100");

    // Without If-Match a write is unconditional; `*` matches any version.
    let res = send(
        &api,
        Method::PATCH,
        &path,
        None,
        Some(&json!({ "first_name": "Annie" })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag3 = etag(&res);
    assert_ne!(tag3, tag2);
    let res = send(
        &api,
        Method::PATCH,
        &path,
        Some("*"),
        Some(&json!({ "is_favorite": true })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag4 = etag(&res);

    // Read-only and unknown fields, bad values, and a patch that leaves no name: 400, nothing written.
    let before = api.json(&path).await;
    for (body, field) in [
        (json!({ "id": "contact.x" }), "id: is read-only"),
        (json!({ "name": "X Y" }), "name: is read-only"),
        (
            json!({ "updated_time": "2020" }),
            "updated_time: is read-only",
        ),
        (json!({ "user_id": "x" }), "user_id: is read-only"),
        (
            json!({ "nickname": "x" }),
            "nickname: is not a contact field",
        ),
        (
            json!({ "emails": { "preferred": "nope" } }),
            "emails.preferred: 'nope'",
        ),
        (
            json!({ "emails": { "business": "a@b.co" } }),
            "emails.business: ",
        ),
        (json!({ "is_favorite": "yes" }), "is_favorite: "),
    ] {
        for method in [Method::PATCH, Method::PUT] {
            let res = send(&api, method.clone(), &path, Some(&tag4), Some(&body)).await;
            let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
            // PUT judges the whole body (a PUT of only `nickname` names it too).
            if method == Method::PATCH || !field.starts_with("first_name") {
                assert!(msg.starts_with(field), "{method} {body}: {msg}");
            }
        }
    }
    // A patch valid in itself that would leave no name conflicts with the contact: 409; the
    // same body as a whole PUT is a bad body: 400.
    let res = send(
        &api,
        Method::PATCH,
        &path,
        Some(&tag4),
        Some(&json!({ "first_name": 5, "last_name": null })),
    )
    .await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    assert!(msg.starts_with("first_name: must be a string"), "{msg}");
    let nameless = json!({ "first_name": null, "last_name": "" });
    let res = send(&api, Method::PATCH, &path, Some(&tag4), Some(&nameless)).await;
    let msg = expect_error(res, StatusCode::CONFLICT, "resource_conflict").await;
    assert!(
        msg.starts_with("first_name: the patch would leave"),
        "{msg}"
    );
    let res = send(&api, Method::PUT, &path, Some(&tag4), Some(&nameless)).await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    assert!(msg.starts_with("first_name: a contact needs"), "{msg}");
    // An oversized body, a non-JSON one and none at all.
    let big = json!({ "first_name": "a".repeat(20 * 1024) });
    let res = send(&api, Method::PATCH, &path, Some(&tag4), Some(&big)).await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    assert!(msg.contains("larger"), "{msg}");
    let res = api
        .request(Method::PATCH, &path)
        .header(header::CONTENT_TYPE, "text/plain")
        .body("first_name=x")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    let res = send(&api, Method::PUT, &path, None, None).await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_missing").await;
    assert_eq!(api.json(&path).await, before);

    // DELETE with the current ETag: 204; then 404 everywhere.
    let res = send(&api, Method::DELETE, &path, Some(&tag4), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for method in [Method::GET, Method::DELETE] {
        let res = send(&api, method, &path, None, None).await;
        expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    }
    let res = send(
        &api,
        Method::PATCH,
        &path,
        None,
        Some(&json!({ "first_name": "Ghost" })),
    )
    .await;
    expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    let found = api
        .json(&format!("/v1/me/contacts?$filter=id eq '{id}'"))
        .await;
    assert_eq!(found["data"], json!([]));
}

#[tokio::test]
async fn another_persons_contact_and_bad_ids_are_not_found_and_untouched() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.contacts").await;
    let bob = srv.api("bob", "wl.contacts").await;
    let id = new_contact(&alice, json!({ "first_name": "Private" })).await;
    let path = format!("/v1/me/contacts/{id}");
    let tag = etag(&alice.get(&path).await);

    // Bob gets exactly what an id that exists nowhere gets: 404, not 403.
    for p in [
        path.clone(),
        "/v1/me/contacts/contact.0000000000000000".to_owned(),
    ] {
        for (method, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({ "first_name": "Mine" }))),
            (Method::PATCH, Some(json!({ "first_name": "Mine" }))),
            (Method::DELETE, None),
        ] {
            let res = send(&bob, method.clone(), &p, Some(&tag), body.as_ref()).await;
            expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
        }
    }
    let res = alice.get(&path).await;
    assert_eq!(etag(&res), tag);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["first_name"], "Private");

    // Bad ids: 404 resource_not_found, never a server error.
    for bad in [
        "x",
        "contact.%27%20or%201=1",
        "%22%3Cscript%3E",
        &"a".repeat(300),
        "contact..",
    ] {
        let p = format!("/v1/me/contacts/{bad}");
        let res = send(&alice, Method::GET, &p, None, None).await;
        expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
        let res = send(&alice, Method::DELETE, &p, None, None).await;
        expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    }

    // A token without wl.contacts may not write: 403 insufficient_scope, nothing written.
    let basic = srv.api("alice", "wl.basic").await;
    let res = send(&basic, Method::DELETE, &path, None, None).await;
    expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;
    assert_eq!(etag(&alice.get(&path).await), tag);
}

#[tokio::test]
async fn own_activities_are_patched_and_deleted_others_are_not_found() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.basic wl.share").await;
    let res = alice
        .post_json(
            "/v1/me/share",
            &json!({ "link": "https://example.org/a", "message": "first words" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/me/activities/{id}");

    let res = alice.get(&path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag0 = etag(&res);
    let got: Value = res.json().await.unwrap();
    assert_eq!(got, created);
    let res = alice
        .request(Method::GET, &path)
        .header(header::IF_NONE_MATCH, &tag0)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    // PATCH the content under If-Match.
    let res = send(
        &alice,
        Method::PATCH,
        &path,
        Some(&tag0),
        Some(&json!({ "content": "  better words " })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag1 = etag(&res);
    assert_ne!(tag0, tag1);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["content"], "better words");
    assert_eq!(v["object"]["href"], "https://example.org/a");
    assert_eq!(v["summary"], created["summary"]);
    // Bob, a friend, reads the new words in his feed.
    let bob = srv.api("bob", "wl.basic wl.share").await;
    let feed = bob.json(&format!("/v1/me/feed?$filter=id eq '{id}'")).await;
    assert_eq!(feed["data"][0]["content"], "better words");

    // A stale tag: 412, nothing written. Read-only fields, unknown ones, bad values: 400.
    let res = send(
        &alice,
        Method::PATCH,
        &path,
        Some(&tag0),
        Some(&json!({ "content": "stale" })),
    )
    .await;
    assert_eq!(etag(&res), tag1);
    expect_error(res, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    for (body, start) in [
        (json!({ "summary": "x" }), "summary: is read-only"),
        (
            json!({ "object": { "href": "https://evil.example/" } }),
            "object: is read-only",
        ),
        (json!({ "to": [] }), "to: is read-only"),
        (json!({ "published": "2020" }), "published: is read-only"),
        (json!({ "colour": "x" }), "colour: unknown field"),
        (json!({}), "content: missing"),
        (json!({ "content": 5 }), "content: must be a string"),
        (
            json!({ "content": "x".repeat(1001) }),
            "content: is too long",
        ),
    ] {
        let res = send(&alice, Method::PATCH, &path, Some(&tag1), Some(&body)).await;
        let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
        assert!(msg.starts_with(start), "{body}: {msg}");
    }
    let big = json!({ "content": "x".repeat(17 * 1024) });
    let res = send(&alice, Method::PATCH, &path, Some(&tag1), Some(&big)).await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    assert!(msg.contains("larger"), "{msg}");
    let res = send(
        &alice,
        Method::PATCH,
        &path,
        Some("nope"),
        Some(&json!({ "content": "x" })),
    )
    .await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;

    // Bob sees it in his feed, but it is not his: 404 for read, write and delete.
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({ "content": "hijacked" }))),
        (Method::DELETE, None),
    ] {
        let res = send(&bob, method, &path, None, body.as_ref()).await;
        expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    }
    // Bad ids.
    for bad in ["x'%20or%20'1'='1", "%27", &"f".repeat(100)] {
        let res = send(
            &alice,
            Method::GET,
            &format!("/v1/me/activities/{bad}"),
            None,
            None,
        )
        .await;
        expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    }
    let v2: Value = alice.json(&path).await;
    assert_eq!(v2["content"], "better words");

    // null clears the words; then DELETE: gone from the person's list and the friend's feed.
    let res = send(
        &alice,
        Method::PATCH,
        &path,
        None,
        Some(&json!({ "content": null })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tag2 = etag(&res);
    let v: Value = res.json().await.unwrap();
    assert!(v.get("content").is_none(), "{v}");
    let res = send(&alice, Method::DELETE, &path, Some(&tag1), None).await;
    expect_error(res, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    let res = send(&alice, Method::DELETE, &path, Some(&tag2), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = alice.get(&path).await;
    expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    let feed = bob.json(&format!("/v1/me/feed?$filter=id eq '{id}'")).await;
    assert_eq!(feed["data"], json!([]));
    let own = alice
        .json(&format!("/v1/me/activities?$filter=id eq '{id}'"))
        .await;
    assert_eq!(own["data"], json!([]));
}

#[tokio::test]
async fn format_is_matched_in_any_case() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic").await;
    for (value, xml) in [
        ("XML", true),
        ("Xml", true),
        ("xml", true),
        ("JSON", false),
        ("Json", false),
    ] {
        let res = api.get(&format!("/v1/me?$format={value}")).await;
        assert_eq!(res.status(), StatusCode::OK, "{value}");
        let ct = res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(ct.contains("xml"), xml, "{value}: {ct}");
        let body = res.text().await.unwrap();
        assert_eq!(body.trim_start().starts_with('<'), xml, "{value}: {body}");
    }
    let res = api.get("/v1/me?$format=XHTML").await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
}

/// Signs `user` in on the provider's `/invitations` page; returns the client and the page.
async fn invitations_page(srv: &TestServer, user: &str) -> (crate::common::Flow, String) {
    let f = crate::common::Flow::new(srv);
    let page = f.get("/invitations").await.text().await.unwrap();
    let res = f.sign_in(&page, user, "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::common::location(&res), "/invitations");
    let res = f.get("/invitations").await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    (f, page)
}

/// True when `id` is among the token person's friends.
async fn friends_with(api: &Api, id: &str) -> bool {
    let path = format!("/v1/me/friends?$filter=id eq '{id}'");
    !api.json(&path).await["data"].as_array().unwrap().is_empty()
}

/// The body of an answer with the volatile parts (ids, the address, times) blanked.
fn shape(v: &Value) -> Value {
    let mut v = v.clone();
    for k in ["id", "email", "created_time"] {
        v[k] = json!("…");
    }
    v
}

#[tokio::test]
async fn an_invitation_does_not_tell_whether_the_address_is_a_members() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.contacts").await;
    let mut answers = Vec::new();
    // A member's address (dave's), in another case, and an address nobody has.
    for email in ["Dave@Example.net", "nobody.at.all@nowhere.example"] {
        let res = alice
            .post_json("/v1/me/invitations", &json!({ "email": email }))
            .await;
        let status = res.status();
        let mut headers: Vec<(String, String)> = res
            .headers()
            .iter()
            .filter(|(k, _)| {
                *k != header::DATE && *k != header::LOCATION && *k != header::CONTENT_LENGTH
            })
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        headers.sort();
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["email"], email.to_lowercase());
        assert_eq!(body["status"], "pending");
        answers.push((status, headers, shape(&body)));
    }
    assert_eq!(answers[0].0, StatusCode::CREATED);
    assert_eq!(
        answers[0], answers[1],
        "a member's address and a stranger's must be answered alike"
    );
    // The sent list shows both the same way.
    let sent = alice.json("/v1/me/invitations").await;
    let items = sent["data"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(shape(&items[0]), shape(&items[1]));

    // Timing, roughly: no early return skips work for one kind of address (both do the same
    // statements); a generous bound that still catches a look-up-and-skip path.
    let mut took = [0u128; 2];
    let members = [
        "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "laura", "mike", "nina",
    ];
    for (round, member) in members.iter().enumerate() {
        let pair = [
            format!("{member}@example.net"),
            format!("stranger{round}@nowhere.example"),
        ];
        for (i, addr) in pair.iter().enumerate() {
            let t = std::time::Instant::now();
            let res = alice
                .post_json("/v1/me/invitations", &json!({ "email": addr }))
                .await;
            took[i] += t.elapsed().as_micros();
            assert_eq!(res.status(), StatusCode::CREATED);
        }
    }
    let (a, b) = (took[0] as f64, took[1] as f64);
    assert!(a / b < 5.0 && b / a < 5.0, "member {a}µs vs stranger {b}µs");
}

#[tokio::test]
async fn an_invitation_is_accepted_on_the_provider_page_and_makes_friends_both_ways() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.contacts wl.basic").await;
    let dave = srv.api("dave", "wl.contacts wl.basic").await;
    let dave_id = srv.person_id("dave");
    let alice_id = srv.person_id("alice");
    assert!(
        !friends_with(&alice, &dave_id).await,
        "the seed makes alice and dave strangers"
    );

    // Inviting yourself is refused; a bad address, an unknown field, no body: 400.
    let res = alice
        .post_json(
            "/v1/me/invitations",
            &json!({ "email": "ALICE@example.net" }),
        )
        .await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
    assert!(msg.starts_with("email: is your own address"), "{msg}");
    for (body, start) in [
        (json!({ "email": "nope" }), "email: 'nope' is not"),
        (json!({ "email": 5 }), "email: must be a string"),
        (json!({}), "email: missing"),
        (
            json!({ "email": "a@b.co", "message": "hi" }),
            "message: is not an invitation field",
        ),
        (
            json!({ "email": format!("{}@b.co", "a".repeat(300)) }),
            "email: must be at most",
        ),
    ] {
        let res = alice.post_json("/v1/me/invitations", &body).await;
        let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_body_invalid").await;
        assert!(msg.starts_with(start), "{body}: {msg}");
    }
    let res = send(&alice, Method::POST, "/v1/me/invitations", None, None).await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_missing").await;
    let res = alice.get("/v1/me/invitations?direction=sideways").await;
    expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
    // Without wl.contacts: 403.
    let basic = srv.api("alice", "wl.basic").await;
    let res = basic
        .post_json(
            "/v1/me/invitations",
            &json!({ "email": "dave@example.net" }),
        )
        .await;
    expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;

    // Invite dave; the same address again answers the same pending invitation.
    let res = alice
        .post_json(
            "/v1/me/invitations",
            &json!({ "email": "dave@example.net" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let inv: Value = res.json().await.unwrap();
    let id = inv["id"].as_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("{}/v1/me/invitations/{id}", srv.provider())
    );
    assert_eq!(inv["from"]["id"], alice_id.as_str());
    let res = alice
        .post_json(
            "/v1/me/invitations",
            &json!({ "email": " DAVE@example.net " }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again, inv);
    assert_eq!(
        alice.json("/v1/me/invitations").await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Dave sees it through the API (received) and on the page; bob sees nothing.
    let received = dave.json("/v1/me/invitations?direction=received").await;
    assert_eq!(received["data"][0]["id"], id.as_str());
    let bob_api = srv.api("bob", "wl.contacts").await;
    let bob_received = bob_api.json("/v1/me/invitations?direction=received").await;
    assert_eq!(bob_received["data"], json!([]));
    let (bob, bob_page) = invitations_page(&srv, "bob").await;
    assert!(
        bob_page.contains("No invitations are waiting"),
        "{bob_page}"
    );
    let (d, page) = invitations_page(&srv, "dave").await;
    assert!(
        page.contains("Alice") && page.contains("wants to connect"),
        "{page}"
    );
    assert!(page.contains(&id));
    let csrf = crate::common::hidden(&page, "csrf");

    // Someone else accepting (bob, signed in, with his own valid CSRF token): not found,
    // nothing changes. Dave without a valid CSRF token: refused.
    let bob_csrf = crate::common::hidden(&bob_page, "csrf");
    let res = bob
        .post_form(
            "/invitations/decide",
            &[
                ("csrf", &bob_csrf),
                ("invitation", &id),
                ("decision", "accept"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("invitation_not_found"));
    let res = d
        .post_form(
            "/invitations/decide",
            &[
                ("csrf", "forged"),
                ("invitation", &id),
                ("decision", "accept"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Alice cannot accept her own.
    let (a, a_page) = invitations_page(&srv, "alice").await;
    let a_csrf = crate::common::hidden(&a_page, "csrf");
    let res = a
        .post_form(
            "/invitations/decide",
            &[
                ("csrf", &a_csrf),
                ("invitation", &id),
                ("decision", "accept"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!friends_with(&alice, &dave_id).await);
    assert_eq!(
        alice.json("/v1/me/invitations").await["data"][0]["status"],
        "pending"
    );

    // Dave accepts: friends both ways; the invitation is accepted.
    let res = d
        .post_form(
            "/invitations/decide",
            &[("csrf", &csrf), ("invitation", &id), ("decision", "accept")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = d
        .get(&crate::common::location(&res))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("You are now connected"), "{page}");
    assert!(page.contains("No invitations are waiting"));
    assert!(friends_with(&alice, &dave_id).await);
    assert!(friends_with(&dave, &alice_id).await);
    let sent = alice.json("/v1/me/invitations").await;
    assert_eq!(sent["data"][0]["status"], "accepted");
    assert!(sent["data"][0]["decided_time"].is_string());

    // Accepting twice: 409 invitation_not_pending; cancelling an accepted one too.
    let res = d
        .post_form(
            "/invitations/decide",
            &[("csrf", &csrf), ("invitation", &id), ("decision", "accept")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("invitation_not_pending"));
    let res = send(
        &alice,
        Method::DELETE,
        &format!("/v1/me/invitations/{id}"),
        None,
        None,
    )
    .await;
    expect_error(res, StatusCode::CONFLICT, "invitation_not_pending").await;

    // A new pending invitation: bob cannot cancel it (404), alice can (204); dave no longer
    // sees it, and declining a cancelled one is refused.
    let res = alice
        .post_json(
            "/v1/me/invitations",
            &json!({ "email": "dave@example.net" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id2 = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = send(
        &bob_api,
        Method::DELETE,
        &format!("/v1/me/invitations/{id2}"),
        None,
        None,
    )
    .await;
    expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    let res = send(
        &alice,
        Method::DELETE,
        &format!("/v1/me/invitations/{id2}"),
        None,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let received = dave.json("/v1/me/invitations?direction=received").await;
    assert_eq!(received["data"], json!([]));
    let res = d
        .post_form(
            "/invitations/decide",
            &[
                ("csrf", &csrf),
                ("invitation", &id2),
                ("decision", "decline"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = send(
        &alice,
        Method::DELETE,
        "/v1/me/invitations/invitation.nope",
        None,
        None,
    )
    .await;
    expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
}

#[tokio::test]
async fn invitations_are_capped_per_person() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.contacts").await;
    let max = wl_server::store::invitations::MAX_PER_DAY;
    for i in 0..max {
        let res = alice
            .post_json(
                "/v1/me/invitations",
                &json!({ "email": format!("p{i}@cap.example") }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{i}");
    }
    let res = alice
        .post_json(
            "/v1/me/invitations",
            &json!({ "email": "one.more@cap.example" }),
        )
        .await;
    expect_error(res, StatusCode::CONFLICT, "resource_quota_exceeded").await;
    // An address already pending is still answered (nothing new is written).
    let res = alice
        .post_json("/v1/me/invitations", &json!({ "email": "p0@cap.example" }))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        alice.json("/v1/me/invitations").await["data"]
            .as_array()
            .unwrap()
            .len() as i64,
        max
    );
    // Bob's own allowance is untouched.
    let bob = srv.api("bob", "wl.contacts").await;
    let res = bob
        .post_json("/v1/me/invitations", &json!({ "email": "x@cap.example" }))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn of_two_writers_holding_the_same_etag_exactly_one_wins() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.contacts").await;
    let id = new_contact(&api, json!({ "first_name": "Race" })).await;
    let path = format!("/v1/me/contacts/{id}");
    for round in 0..5 {
        let tag = etag(&api.get(&path).await);
        let body_a = json!({ "last_name": format!("A{round}") });
        let body_b = json!({ "first_name": "Race", "last_name": format!("B{round}") });
        let a = send(&api, Method::PATCH, &path, Some(&tag), Some(&body_a));
        let b = send(&api, Method::PUT, &path, Some(&tag), Some(&body_b));
        let (a, b) = tokio::join!(a, b);
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "round {round}");
    }
}
