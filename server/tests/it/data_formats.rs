//! `/v1` answer formats over real HTTP: `$format=json|xml` and `Accept` negotiation (every
//! endpoint, errors included, XML well-formed and escaped), `$type=portable` (Portable
//! Contacts), and `/v1/openapi.json` listing every route the router serves.
use std::collections::BTreeSet;

use crate::common::{TestServer, expect_error};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

/// Parses an XML answer (asserting the content type) and returns it as text.
async fn xml(res: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(res.status(), status);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    let vary: Vec<&str> = res
        .headers()
        .get_all(header::VARY)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(vary.contains(&"Accept"), "{vary:?}");
    let text = res.text().await.unwrap();
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("well-formed XML: {e}\n{text}"));
    text
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|n| n.has_tag_name(name))
        .and_then(|n| n.text())
}

#[tokio::test]
async fn xml_for_every_endpoint_and_error() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic wl.contacts wl.emails").await;
    let bob_id = srv.person_id("bob");

    // /v1/me as XML has the same values as the JSON.
    let me = api.json("/v1/me").await;
    let text = xml(api.get("/v1/me?$format=xml").await, StatusCode::OK).await;
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "response");
    for field in [
        "id",
        "name",
        "first_name",
        "last_name",
        "link",
        "locale",
        "picture",
    ] {
        assert_eq!(child_text(root, field), me[field].as_str(), "{field}");
    }
    let emails = root.children().find(|n| n.has_tag_name("emails")).unwrap();
    assert_eq!(
        child_text(emails, "preferred"),
        me["emails"]["preferred"].as_str()
    );
    assert_eq!(
        emails
            .children()
            .find(|n| n.has_tag_name("business"))
            .unwrap()
            .attribute("nil"),
        Some("true")
    );

    // A collection: one <item> per row, values identical, paging and count kept.
    let q = "/v1/me/friends?$orderby=last_name&$top=3&$count=true";
    let json_page = api.json(q).await;
    let text = xml(api.get(&format!("{q}&$format=xml")).await, StatusCode::OK).await;
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    let items: Vec<_> = root
        .children()
        .find(|n| n.has_tag_name("data"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), 3);
    for (item, row) in items.iter().zip(json_page["data"].as_array().unwrap()) {
        assert_eq!(child_text(*item, "id"), row["id"].as_str());
        assert_eq!(child_text(*item, "last_name"), row["last_name"].as_str());
    }
    assert_eq!(
        child_text(root, "count").unwrap(),
        json_page["count"].to_string()
    );
    let paging = root.children().find(|n| n.has_tag_name("paging")).unwrap();
    // The next page keeps the format asked for.
    let next = json_page["paging"]["next"]
        .as_str()
        .unwrap()
        .replace("&$top=", "&$format=xml&$top=");
    assert_eq!(child_text(paging, "next"), Some(next.as_str()));

    // Contacts (bools), a friend, the picture location, a created contact: all XML.
    let text = xml(
        api.get("/v1/me/contacts?$format=xml&$filter=is_favorite eq true")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(text.contains("<is_favorite>true</is_favorite>"), "{text}");
    xml(
        api.get(&format!("/v1/{bob_id}?$format=xml")).await,
        StatusCode::OK,
    )
    .await;
    let text = xml(
        api.get("/v1/me/picture?suppress_redirects=true&$format=xml")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        text.contains(&format!("<location>{}", me["picture"].as_str().unwrap())),
        "{text}"
    );
    let res = api
        .post_json(
            "/v1/me/contacts?$format=xml",
            &json!({ "first_name": "X<&>'\"ml" }),
        )
        .await;
    let text = xml(res, StatusCode::CREATED).await;
    assert!(
        text.contains("<first_name>X&lt;&amp;&gt;&apos;&quot;ml</first_name>"),
        "{text}"
    );
    // The redirect itself stays a redirect.
    let res = api.get("/v1/me/picture?$format=xml").await;
    assert_eq!(res.status(), StatusCode::FOUND);

    // Errors in XML: 400 query, 400 body, 403, 404 not found, 404 URL, 405, 401.
    let cases: Vec<(reqwest::Response, StatusCode, &str)> = vec![
        (
            api.get("/v1/me/friends?$filter=(&$format=xml").await,
            StatusCode::BAD_REQUEST,
            "request_parameter_invalid",
        ),
        (
            api.post_json("/v1/me/contacts?$format=xml", &json!({}))
                .await,
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
        ),
        (
            srv.api("alice", "wl.basic")
                .await
                .get("/v1/me/contacts?$format=xml")
                .await,
            StatusCode::FORBIDDEN,
            "insufficient_scope",
        ),
        (
            api.get("/v1/nobody?$format=xml").await,
            StatusCode::NOT_FOUND,
            "resource_not_found",
        ),
        (
            api.get("/v1/me/nothing?$format=xml").await,
            StatusCode::NOT_FOUND,
            "request_url_invalid",
        ),
        (
            api.request(Method::DELETE, "/v1/me?$format=xml")
                .send()
                .await
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "request_method_invalid",
        ),
        (
            reqwest::get(format!("{}/v1/me?$format=xml", srv.provider()))
                .await
                .unwrap(),
            StatusCode::UNAUTHORIZED,
            "request_token_invalid",
        ),
    ];
    for (res, status, code) in cases {
        let text = xml(res, status).await;
        let doc = roxmltree::Document::parse(&text).unwrap();
        let error = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("error"))
            .unwrap();
        assert_eq!(child_text(error, "code"), Some(code), "{text}");
        assert!(child_text(error, "message").is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn xml_escapes_what_people_type() {
    let srv = TestServer::start().await;
    // mallory's display name is an HTML injection; alice is friends with mallory.
    let api = srv.api("alice", "wl.basic").await;
    let text = xml(
        api.get("/v1/me/friends?$format=xml&$select=name&$top=1000")
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        text.contains("<name>&lt;img src=x onerror=alert(1)&gt;</name>"),
        "{text}"
    );
    assert!(!text.contains("<img"), "{text}");
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("name") && n.text() == Some("<img src=x onerror=alert(1)>"))
    );
}

#[tokio::test]
async fn format_negotiation() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic").await;
    let with_accept = |accept: &'static str, q: &'static str| {
        api.request(Method::GET, &format!("/v1/me{q}"))
            .header(header::ACCEPT, accept)
            .send()
    };
    let ct = |res: &reqwest::Response| {
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned()
    };
    for (accept, q, want) in [
        ("application/xml", "", "application/xml"),
        ("text/xml", "", "application/xml"),
        ("application/json", "", "application/json"),
        ("*/*", "", "application/json"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "",
            "application/xml",
        ),
        (
            "application/xml;q=0.4, application/json",
            "",
            "application/json",
        ),
        ("application/xml", "?$format=json", "application/json"),
        ("application/json", "?$format=xml", "application/xml"),
        ("application/json", "?%24format=xml", "application/xml"),
    ] {
        let res = with_accept(accept, q).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{accept} {q}");
        assert!(ct(&res).starts_with(want), "{accept} {q}: {}", ct(&res));
    }
    // No Accept at all: JSON, with Vary: Accept.
    let res = api.get("/v1/me").await;
    assert!(ct(&res).starts_with("application/json"));
    assert!(
        res.headers()
            .get_all(header::VARY)
            .iter()
            .any(|v| v == "Accept")
    );
    // An unsupported $format: 400 in JSON, naming the option.
    for q in ["$format=atom", "$format=", "$format=xml&$format=json"] {
        let res = api.get(&format!("/v1/me/friends?{q}")).await;
        assert!(ct(&res).starts_with("application/json"));
        let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
        assert!(msg.starts_with("$format: "), "{msg}");
    }
    // $format is not an OData option: the collections accept it alongside theirs.
    let v = api.json("/v1/me/friends?$format=json&$top=1").await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn portable_contacts() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.contacts wl.basic").await;
    let bob_id = srv.person_id("bob");
    let live = api
        .json("/v1/me/contacts?$orderby=last_name,first_name&$count=true")
        .await;
    let total = live["count"].as_u64().unwrap();
    let poco = api
        .json("/v1/me/contacts?$type=portable&$orderby=last_name,first_name")
        .await;
    assert_eq!(poco["startIndex"], 0);
    assert_eq!(poco["totalResults"], total);
    let entries = poco["entry"].as_array().unwrap();
    assert_eq!(poco["itemsPerPage"], entries.len());
    assert_eq!(entries.len() as u64, total.min(50));
    for (e, c) in entries.iter().zip(live["data"].as_array().unwrap()) {
        assert_eq!(e["id"], c["id"]);
        assert_eq!(e["displayName"], c["name"]);
        assert_eq!(e["name"]["givenName"], c["first_name"]);
        assert_eq!(e["name"]["familyName"], c["last_name"]);
        assert_eq!(e["name"]["formatted"], c["name"]);
        assert_eq!(e["emails"][0]["value"], c["emails"]["preferred"]);
        assert_eq!(e["emails"][0]["primary"], true);
        assert!(e["updated"].as_str().unwrap().ends_with('Z'));
    }
    let bob = entries
        .iter()
        .find(|e| e["accounts"][0]["userid"] == bob_id.as_str())
        .expect("bob's entry links his account");
    assert_eq!(bob["displayName"], "Bob Baker");
    assert_eq!(
        bob["emails"],
        json!([{ "value": "bob@example.net", "type": "other", "primary": true }])
    );
    let outsider = entries
        .iter()
        .find(|e| e.get("phoneNumbers").is_some())
        .unwrap();
    assert_eq!(outsider["phoneNumbers"][0]["type"], "home");
    assert!(outsider.get("accounts").is_none());

    // $filter, $top, $skip still apply; startIndex is the offset; totalResults the matches.
    let page = api
        .json("/v1/me/contacts?$type=portable&$filter=user_id ne null&$orderby=first_name&$top=2&$skip=1")
        .await;
    assert_eq!(page["startIndex"], 1);
    assert_eq!(page["itemsPerPage"], 2);
    assert_eq!(page["totalResults"], total - 2);
    // As XML too.
    let res = api
        .get("/v1/me/contacts?$type=portable&$format=xml&$top=1")
        .await;
    let text = xml(res, StatusCode::OK).await;
    assert!(text.contains("<totalResults>"), "{text}");
    assert!(text.contains("<entry><item>"), "{text}");
    assert!(text.contains("<id>contact."), "{text}");

    // Rejections: $select with portable, another $type, portable friends.
    let msg = expect_error(
        api.get("/v1/me/contacts?$type=portable&$select=name").await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;
    assert!(msg.starts_with("$select: "), "{msg}");
    let msg = expect_error(
        api.get("/v1/me/contacts?$type=vcard").await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;
    assert!(msg.starts_with("$type: "), "{msg}");
    expect_error(
        api.get("/v1/me/friends?$type=portable").await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;
    // The scope still comes first.
    let basic = srv.api("alice", "wl.basic").await;
    expect_error(
        basic.get("/v1/me/contacts?$type=portable").await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    )
    .await;
}

/// True when an answer is the `request_url_invalid` error.
fn is_url_invalid(body: &str) -> bool {
    serde_json::from_str::<Value>(body).is_ok_and(|v| v["error"]["code"] == "request_url_invalid")
}

/// Turns an OpenAPI path template into a concrete path for probing.
fn concrete(template: &str, id: &str) -> String {
    template.replace("{id}", id)
}

#[tokio::test]
async fn openapi_documents_every_served_route() {
    let srv = TestServer::start().await;
    let api = srv
        .api("alice", "wl.basic wl.contacts wl.emails wl.share")
        .await;
    let bob_id = srv.person_id("bob");
    // Public: no token needed.
    let res = reqwest::get(format!("{}/v1/openapi.json", srv.provider()))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], srv.provider());
    let scopes =
        &doc["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]["scopes"];
    assert!(scopes.get("wl.contacts").is_some(), "{scopes}");

    let mut documented: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    for needed in [
        ("GET", "/v1/me"),
        ("GET", "/v1/me/picture"),
        ("GET", "/v1/me/friends"),
        ("GET", "/v1/me/contacts"),
        ("POST", "/v1/me/contacts"),
        ("GET", "/v1/{id}"),
        ("GET", "/v1/{id}/picture"),
        ("GET", "/v1/openapi.json"),
        ("GET", "/v1/me/activities"),
        ("POST", "/v1/me/activities"),
        ("GET", "/v1/me/feed"),
        ("POST", "/v1/me/share"),
        ("GET", "/v1/hub"),
    ] {
        assert!(
            documented.contains(&(needed.0.to_owned(), needed.1.to_owned())),
            "{needed:?} documented"
        );
    }
    // Every documented operation is served (not request_url_invalid / request_method_invalid).
    for (method, path) in &documented {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let res = api
            .request(m, &concrete(path, &bob_id))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body = res.text().await.unwrap();
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && !is_url_invalid(&body),
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
    // Every route the router serves under /v1 is documented: probe the documented paths with
    // every method, and the paths other /v1 modules serve (issue 5's list).
    let mut probes: BTreeSet<String> = documented.iter().map(|(_, p)| p.clone()).collect();
    for p in [
        "/v1/me/activities",
        "/v1/me/feed",
        "/v1/me/share",
        "/v1/me/albums",
        "/v1/me/events",
        "/v1/me/calendars",
        "/v1/me/skydrive",
        "/v1/me/permissions",
        "/v1/me/status",
        "/v1/{id}/friends",
        "/v1/{id}/contacts",
        "/v1/hub",
        "/v1/me/hub",
    ] {
        probes.insert(p.to_owned());
    }
    let mut undocumented = Vec::new();
    for path in &probes {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let res = api
                .request(m, &concrete(path, &bob_id))
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            let served = status != StatusCode::METHOD_NOT_ALLOWED && !is_url_invalid(&body);
            if served && !documented.contains(&(method.to_owned(), path.clone())) {
                undocumented.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "served but not in /v1/openapi.json: {undocumented:?}"
    );
}

/// Every scope `/v1/openapi.json` declares is the scope the handler checks: a token with every
/// other scope gets 403 naming it, a token with only it gets past the check. The same for the
/// scopes only some ids need (`x-wl-id-scopes`: a friend's id, a contact id); the token's
/// person's own id needs none.
#[tokio::test]
async fn the_documented_scopes_are_the_checked_ones() {
    const SCOPES: &[&str] = &[
        "wl.basic",
        "wl.contacts",
        "wl.emails",
        "wl.messenger",
        "wl.share",
        "wl.photos",
        "wl.calendars",
        "wl.calendars_update",
    ];
    let srv = TestServer::start().await;
    let doc: Value = reqwest::get(format!("{}/v1/openapi.json", srv.provider()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let alice = srv.person_id("alice");
    let friend = srv.person_id("bob");
    let contacts = srv
        .api("alice", "wl.contacts")
        .await
        .json("/v1/me/contacts?$top=1")
        .await;
    let contact = contacts["data"][0]["id"].as_str().unwrap().to_owned();
    assert!(contact.starts_with("contact."), "{contact}");

    let srv = &srv;
    let send = |scope: String, method: Method, path: String| async move {
        let api = srv.api("alice", &scope).await;
        let res = api.request(method, &path).json(&json!({})).send().await;
        res.unwrap()
    };
    let every_other = |scope: &str| {
        SCOPES
            .iter()
            .filter(|s| **s != scope)
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // (method, path, scope): the scope must be checked, and be enough.
    let mut cases: Vec<(Method, String, String)> = Vec::new();
    let mut own_ids = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let declared = op["security"][0]["oauth2"].as_array().cloned();
            for scope in declared.unwrap_or_default() {
                let path = template
                    .replace("{id}", &friend)
                    .replace("{friend_id}", &friend);
                cases.push((method.clone(), path, scope.as_str().unwrap().to_owned()));
            }
            let Some(by_id) = op.get("x-wl-id-scopes").and_then(Value::as_object) else {
                continue;
            };
            for (ids, scope) in by_id {
                let id = match ids.as_str() {
                    "friend" => &friend,
                    "contact" => &contact,
                    other => panic!("{template}: unknown id kind {other}"),
                };
                let path = template.replace("{id}", id);
                cases.push((method.clone(), path, scope.as_str().unwrap().to_owned()));
            }
            own_ids.push((method.clone(), template.replace("{id}", &alice)));
        }
    }
    let kinds: BTreeSet<&str> = cases.iter().map(|(_, _, s)| s.as_str()).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "wl.basic",
            "wl.calendars",
            "wl.calendars_update",
            "wl.contacts",
            "wl.messenger",
            "wl.photos",
            "wl.share"
        ])
    );
    assert!(cases.len() >= 10, "{cases:?}");
    assert_eq!(own_ids.len(), 2, "{own_ids:?}");

    for (method, path, scope) in cases {
        let res = send(every_other(&scope), method.clone(), path.clone()).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} without {scope}"
        );
        assert_eq!(
            res.headers()[header::WWW_AUTHENTICATE],
            format!(r#"Bearer error="insufficient_scope", scope="{scope}""#).as_str(),
            "{method} {path}"
        );
        let res = send(scope.clone(), method.clone(), path.clone()).await;
        let status = res.status();
        assert!(
            status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
            "{method} {path} with {scope}: {status} {}",
            res.text().await.unwrap()
        );
    }
    for (method, path) in own_ids {
        let res = send("wl.emails".into(), method.clone(), path.clone()).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{method} {path}: {}",
            res.status()
        );
    }
}
