//! The OData-queryable collections `/v1/me/friends` and `/v1/me/contacts` over real HTTP:
//! the envelope, every query option pushed into SQLite, paging to the end, and the
//! 400 / 401 / 403 answers.
use std::collections::HashSet;

use crate::common::{Flow, TestServer};
use reqwest::{StatusCode, header};
use serde_json::Value;

/// A signed-in app session for one person with some scopes.
struct Session {
    flow: Flow,
    token: String,
}

impl Session {
    async fn new(srv: &TestServer, user: &str, scope: &str) -> Self {
        let flow = Flow::new(srv);
        let t = flow.tokens(user, scope, true).await;
        let token = t["access_token"].as_str().unwrap().to_owned();
        Self { flow, token }
    }

    /// GET `path_and_query` (relative to the provider, or an absolute URL) with the token.
    async fn get(&self, path_and_query: &str) -> reqwest::Response {
        let url = if path_and_query.starts_with('/') {
            format!("{}{path_and_query}", self.flow.provider)
        } else {
            path_and_query.to_owned()
        };
        self.flow
            .client
            .get(url)
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    /// GET and expect 200 JSON.
    async fn json(&self, path_and_query: &str) -> Value {
        let res = self.get(path_and_query).await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path_and_query}: {body}");
        body
    }
}

fn data(v: &Value) -> &Vec<Value> {
    v["data"].as_array().expect("a data array")
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    data(v)
        .iter()
        .map(|r| r[field].as_str().unwrap().to_owned())
        .collect()
}

async fn assert_bad_request(res: reqwest::Response, option: &str) -> String {
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "request_parameter_invalid", "{v}");
    let message = v["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with(&format!("{option}: ")), "{message}");
    message
}

#[tokio::test]
async fn friends_envelope_filter_order_select_count() {
    let srv = TestServer::start().await;
    let s = Session::new(&srv, "alice", "wl.basic").await;
    let bob_id = srv.person_id("bob");

    let all = s.json("/v1/me/friends").await;
    let rows = data(&all);
    assert!(all.get("paging").is_none(), "one page: {all}");
    assert!(all.get("count").is_none(), "no count unless asked");
    let bob = rows
        .iter()
        .find(|r| r["id"] == bob_id.as_str())
        .expect("bob is alice's friend");
    assert_eq!(bob["name"], "Bob Baker");
    assert_eq!(bob["first_name"], "Bob");
    assert_eq!(bob["last_name"], "Baker");
    assert_eq!(bob["link"], format!("{}/people/{bob_id}", srv.provider()));
    let picture = bob["picture"].as_str().unwrap();
    assert!(
        picture.starts_with(&format!("{}/pictures/", srv.provider())) && picture.ends_with(".svg"),
        "{picture}"
    );
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM friendships WHERE person_id = $1",
            &[&srv.person_id("alice")],
        )
        .await as usize,
        rows.len()
    );
    // The picture URL is the friend's real picture.
    let img = s.flow.client.get(picture).send().await.unwrap();
    assert_eq!(img.status(), StatusCode::OK);

    // Default order: by id.
    let ids = strings(&all, "id");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);

    // $filter=startswith(first_name,'B'): case-insensitive prefix, pushed into SQL.
    let b = s
        .json("/v1/me/friends?$filter=startswith(first_name,'B')")
        .await;
    let firsts = strings(&b, "first_name");
    assert!(firsts.contains(&"Bob".to_owned()), "{b}");
    assert!(firsts.iter().all(|f| f.starts_with('B')), "{b}");
    let expected = strings(&all, "first_name")
        .into_iter()
        .filter(|f| f.starts_with('B'))
        .count();
    assert_eq!(firsts.len(), expected);

    // and/or/not, eq and parentheses.
    let q = s
        .json(
            "/v1/me/friends?$filter=not (first_name eq 'Bob') and (last_name ne null or id eq 'x')",
        )
        .await;
    assert_eq!(data(&q).len(), rows.len() - 1);
    assert!(!strings(&q, "first_name").contains(&"Bob".to_owned()));

    // $orderby=last_name desc.
    let desc = s.json("/v1/me/friends?$orderby=last_name desc").await;
    let lasts = strings(&desc, "last_name");
    let mut want = lasts.clone();
    want.sort_by(|a, b| b.as_bytes().cmp(a.as_bytes()));
    assert_eq!(lasts, want);
    assert_eq!(lasts.len(), rows.len());

    // $select=name: exactly that field.
    let sel = s.json("/v1/me/friends?$select=name").await;
    for r in data(&sel) {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["name"], "{r}");
    }
    assert!(strings(&sel, "name").contains(&"Bob Baker".to_owned()));

    // $count=true counts every match, whatever the page.
    let counted = s
        .json("/v1/me/friends?$count=true&$top=1&$filter=startswith(first_name,'B')")
        .await;
    assert_eq!(counted["count"], expected as u64);
    assert_eq!(data(&counted).len(), 1.min(expected));
    let counted_all = s.json("/v1/me/friends?$count=true").await;
    assert_eq!(counted_all["count"], rows.len() as u64);
}

#[tokio::test]
async fn paging_next_walks_every_row_once() {
    let srv = TestServer::start().await;
    let s = Session::new(&srv, "alice", "wl.basic wl.contacts").await;
    for (path, order) in [
        ("/v1/me/friends", "last_name desc"),
        ("/v1/me/contacts", "is_favorite desc,first_name"),
    ] {
        let everything = s.json(&format!("{path}?$top=1000")).await;
        let total = data(&everything).len();
        assert!(total > 4, "{path} has enough rows to page: {total}");
        let mut url = format!("{path}?$orderby={order}&$top=2&$count=true");
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = s.json(&url).await;
            pages += 1;
            assert_eq!(page["count"], total as u64);
            assert!(data(&page).len() <= 2);
            seen.extend(strings(&page, "id"));
            match page["paging"]["next"].as_str() {
                Some(next) => {
                    assert!(
                        next.starts_with(&format!("{}{path}?", srv.provider())),
                        "{next}"
                    );
                    assert!(next.contains("$top=2"), "{next}");
                    assert!(next.contains("$orderby="), "{next}");
                    url = next.to_owned();
                }
                None => break,
            }
            assert!(pages <= total, "paging terminates");
        }
        assert_eq!(pages, total.div_ceil(2), "{path}");
        assert_eq!(seen.len(), total, "{path}: every row once");
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), total, "{path}: no row twice");
        // The same order the whole collection has with that $orderby.
        let whole = s.json(&format!("{path}?$orderby={order}")).await;
        assert_eq!(seen, strings(&whole, "id"), "{path}");
    }

    // $skip past the end: an empty page without a next link.
    let empty = s.json("/v1/me/friends?$skip=500").await;
    assert!(data(&empty).is_empty());
    assert!(empty.get("paging").is_none());
    // $top=0: nothing and no next link.
    let none = s.json("/v1/me/friends?$top=0&$count=true").await;
    assert!(data(&none).is_empty());
    assert!(none.get("paging").is_none());
    assert!(none["count"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn contacts_shape_and_options() {
    let srv = TestServer::start().await;
    let s = Session::new(&srv, "alice", "wl.contacts").await;
    let bob_id = srv.person_id("bob");
    let all = s.json("/v1/me/contacts").await;
    let rows = data(&all);
    let bob = rows
        .iter()
        .find(|r| r["user_id"] == bob_id.as_str())
        .expect("bob is in alice's contacts");
    assert_eq!(bob["name"], "Bob Baker");
    assert_eq!(bob["first_name"], "Bob");
    assert_eq!(bob["last_name"], "Baker");
    assert_eq!(bob["is_friend"], true);
    assert_eq!(bob["emails"]["preferred"], "bob@example.net");
    assert!(bob["id"].as_str().unwrap().starts_with("contact."));
    // Non-members: no user id, not friends, a phone number.
    let outsiders: Vec<&Value> = rows.iter().filter(|r| r["user_id"].is_null()).collect();
    assert_eq!(outsiders.len(), 2, "{all}");
    for o in &outsiders {
        assert_eq!(o["is_friend"], false);
        assert!(
            o["phones"]["personal"]
                .as_str()
                .unwrap()
                .starts_with("+1 555")
        );
    }

    // Bool and null comparisons, nested paths.
    let members = s.json("/v1/me/contacts?$filter=user_id ne null").await;
    assert_eq!(data(&members).len(), rows.len() - 2);
    let favs = s.json("/v1/me/contacts?$filter=is_favorite eq true").await;
    assert_eq!(data(&favs).len(), 1);
    let org = s
        .json("/v1/me/contacts?$filter=endswith(emails/preferred,'@example.org')&$select=emails/preferred,name")
        .await;
    assert_eq!(data(&org).len(), 2);
    for r in data(&org) {
        let mut keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, vec!["emails", "name"], "{r}");
        assert!(
            r["emails"]["preferred"]
                .as_str()
                .unwrap()
                .ends_with("@example.org")
        );
    }
    // Several sort keys.
    let sorted = s
        .json("/v1/me/contacts?$orderby=is_friend desc, last_name asc, first_name")
        .await;
    let keys: Vec<(bool, String, String)> = data(&sorted)
        .iter()
        .map(|r| {
            (
                r["is_friend"].as_bool().unwrap(),
                r["last_name"].as_str().unwrap().to_owned(),
                r["first_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut want = keys.clone();
    want.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.as_bytes().cmp(b.1.as_bytes()))
            .then(a.2.as_bytes().cmp(b.2.as_bytes()))
    });
    assert_eq!(keys, want);
}

#[tokio::test]
async fn bad_queries_answer_400_with_option_and_position() {
    let srv = TestServer::start().await;
    let s = Session::new(&srv, "alice", "wl.basic wl.contacts").await;

    // A parse error: the option and the byte position in the message.
    let msg = assert_bad_request(
        s.get("/v1/me/friends?$filter=first_name eq").await,
        "$filter",
    )
    .await;
    assert!(msg.ends_with("at position 13"), "{msg}");
    let msg = assert_bad_request(
        s.get("/v1/me/friends?$filter=first_name eq 'Bob' and (")
            .await,
        "$filter",
    )
    .await;
    assert!(msg.contains("at position"), "{msg}");
    // An unknown field, in each option that names fields.
    let msg = assert_bad_request(
        s.get("/v1/me/friends?$filter=password eq 'x'").await,
        "$filter",
    )
    .await;
    assert_eq!(msg, "$filter: unknown field 'password' at position 0");
    let msg = assert_bad_request(
        s.get("/v1/me/contacts?$select=name,secret").await,
        "$select",
    )
    .await;
    assert_eq!(msg, "$select: unknown field 'secret' at position 5");
    assert_bad_request(s.get("/v1/me/friends?$orderby=age desc").await, "$orderby").await;
    // A field of the other collection is unknown here.
    assert_bad_request(s.get("/v1/me/friends?$select=is_favorite").await, "$select").await;
    // Type errors, counts, limits.
    assert_bad_request(
        s.get("/v1/me/contacts?$filter=is_favorite eq 'yes'").await,
        "$filter",
    )
    .await;
    assert_bad_request(s.get("/v1/me/friends?$top=-1").await, "$top").await;
    let msg = assert_bad_request(s.get("/v1/me/friends?$top=1001").await, "$top").await;
    assert!(msg.contains("1000"), "{msg}");
    assert_eq!(
        s.get("/v1/me/friends?$top=1000").await.status(),
        StatusCode::OK
    );
    assert_bad_request(s.get("/v1/me/friends?$skip=x").await, "$skip").await;
    assert_bad_request(s.get("/v1/me/friends?$count=yes").await, "$count").await;
    assert_bad_request(s.get("/v1/me/friends?$top=1&$top=2").await, "$top").await;
    // An unknown $ option (a typo) is an error, not silently ignored; other parameters pass.
    let res = s.get("/v1/me/friends?$fliter=first_name eq 'Bob'").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "request_parameter_invalid");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'$fliter'"),
        "{v}"
    );
    s.json("/v1/me/friends?callback=x&pretty=true").await;
    // SQL metacharacters are only ever data.
    let injected = s
        .json("/v1/me/friends?$filter=first_name eq 'x'' OR 1=1 --'")
        .await;
    assert!(data(&injected).is_empty());
    let pct = s.json("/v1/me/friends?$filter=contains(name,'%25')").await;
    assert!(data(&pct).is_empty(), "% is literal: {pct}");
}

#[tokio::test]
async fn scopes_and_tokens_are_checked_first() {
    let srv = TestServer::start().await;
    let basic = Session::new(&srv, "alice", "wl.basic").await;

    // Contacts without wl.contacts → 403 naming the scope, even with a bad query.
    for path in ["/v1/me/contacts", "/v1/me/contacts?$filter=("] {
        let res = basic.get(path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let www = res
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            www,
            r#"Bearer error="insufficient_scope", scope="wl.contacts""#
        );
        let v: Value = res.json().await.unwrap();
        assert!(v["error"]["code"].is_string(), "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("wl.contacts")
        );
    }

    // Friends without wl.basic → 403 naming wl.basic.
    let contacts_only = Session::new(&srv, "bob", "wl.contacts").await;
    let res = contacts_only.get("/v1/me/friends").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        res.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="insufficient_scope", scope="wl.basic""#
    );
    // Bob's contacts are bob's, not alice's.
    let bobs = contacts_only.json("/v1/me/contacts").await;
    let alice_id = srv.person_id("alice");
    assert!(
        data(&bobs)
            .iter()
            .any(|r| r["user_id"] == alice_id.as_str())
    );
    assert!(
        !data(&bobs)
            .iter()
            .any(|r| r["user_id"] == srv.person_id("bob").as_str())
    );

    // No token, or a bad one → 401 with the invalid_token challenge, before the query.
    let client = reqwest::Client::new();
    for path in ["/v1/me/friends", "/v1/me/contacts?$filter=("] {
        let res = client
            .get(format!("{}{path}", srv.provider()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        let www = res.headers()[header::WWW_AUTHENTICATE].to_str().unwrap();
        assert!(www.starts_with(r#"Bearer error="invalid_token""#), "{www}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"]["code"], "request_token_invalid");

        let res = client
            .get(format!("{}{path}", srv.provider()))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}
