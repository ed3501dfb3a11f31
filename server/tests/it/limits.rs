//! Issue 13's limits, attacked over real HTTP: sign-in throttling per account, per IP and the
//! table's pruning, bounded sign-in fields, bounded logs, OData caps, hub connection caps and
//! the shared rate bucket, `apps add`'s https rule and the per-person storage caps.
//!
//! The client IP is the TCP peer (the provider trusts no `X-Forwarded-For`), so "another IP"
//! is a client bound to another loopback address (127.0.0.0/8 is all loopback on Linux).

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use reqwest::{Client, StatusCode};

use crate::common::*;

/// A browser-like client whose connections come from `127.0.0.<last>`.
fn browser_from(last: u8) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .build()
        .expect("client")
}

/// The sign-in page of an authorization request, for a flow.
async fn signin_page(f: &Flow) -> String {
    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"action="/signin""#), "{page}");
    page
}

/// Log lines written while the guard lives, on this thread (the tests' runtime is
/// single-threaded, so the provider's handlers log here too).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let logs = self.clone();
        let sub = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish();
        tracing::subscriber::set_default(sub)
    }

    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

#[tokio::test]
async fn spraying_usernames_from_one_ip_locks_the_ip() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = signin_page(&f).await;
    let max = srv.running.state.throttle.limits().ip_failures;
    // One wrong password for each of many usernames (never enough to lock any one account).
    for i in 1..max {
        let res = f.sign_in(&page, &format!("spray{i}"), "Winter2026!").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let res = f
        .sign_in(&page, &format!("spray{max}"), "Winter2026!")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("signin_throttled"));
    // The IP is locked now: even a real account with its right password is refused, and a
    // forged X-Forwarded-For does not make it another IP.
    let csrf = hidden(&page, "csrf");
    let cont = hidden(&page, "continue");
    let res = f
        .client
        .post(format!("{}/signin", f.provider))
        .header("X-Forwarded-For", "203.0.113.7")
        .form(&[
            ("csrf", csrf.as_str()),
            ("continue", cont.as_str()),
            ("username", "alice"),
            ("password", "demo"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = res.text().await.unwrap();
    assert!(body.contains("seconds and try again"), "{body}");
    // Another address is not affected.
    let other = Flow::with_client(&srv, browser_from(2));
    let page2 = signin_page(&other).await;
    let res = other.sign_in(&page2, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The lock ends with its time.
    srv.advance(srv.running.state.throttle.limits().ip_lock_secs + 1);
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_locked_account_stays_locked_from_another_ip() {
    let srv = TestServer::start().await;
    let attacker = Flow::with_client(&srv, browser_from(3));
    let page = signin_page(&attacker).await;
    let max = srv.running.state.throttle.limits().account_failures;
    for i in 1..=max {
        let res = attacker.sign_in(&page, "alice", &format!("guess{i}")).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "guess {i}");
    }
    // From a second address, even the right password is refused while the lock lasts.
    let second = Flow::with_client(&srv, browser_from(4));
    let page2 = signin_page(&second).await;
    let res = second.sign_in(&page2, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = res.text().await.unwrap();
    assert!(body.contains("signin_throttled"), "{body}");
    // The guesses from the second address are not even checked.
    let hashes = srv.running.state.throttle.hashes();
    let res = second.sign_in(&page2, "ALICE", "guess-again").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(srv.running.state.throttle.hashes(), hashes);
    // Someone else signs in from the attacker's address meanwhile.
    assert_eq!(
        attacker.sign_in(&page, "bob", "demo").await.status(),
        StatusCode::SEE_OTHER
    );
    srv.advance(srv.running.state.throttle.limits().account_lock_secs + 1);
    assert_eq!(
        second.sign_in(&page2, "alice", "demo").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_checks_at_most_five_passwords() {
    let srv = TestServer::start().await;
    let throttle = &srv.running.state.throttle;
    let attacker = Flow::with_client(&srv, browser_from(5));
    let page = signin_page(&attacker).await;
    let hashes = throttle.hashes();
    // Thirty guesses at once, all sent before any answer comes back.
    let guesses = (0..30).map(|i| {
        let (f, page) = (&attacker, &page);
        async move {
            f.sign_in(page, "alice", &format!("guess{i}"))
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let max = throttle.limits().account_failures as usize;
    assert_eq!(checked + refused, 30, "{statuses:?}");
    assert!(checked <= max, "{checked} passwords checked: {statuses:?}");
    assert!(throttle.hashes() - hashes <= max as u64);
    // And the account is locked now, from anywhere.
    let other = Flow::with_client(&srv, browser_from(6));
    let page2 = signin_page(&other).await;
    assert_eq!(
        other.sign_in(&page2, "alice", "demo").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_256_kb_username_is_refused_unhashed_unechoed_and_logged_bounded() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = signin_page(&f).await;
    let marker = "zq7marker";
    let username = format!("{marker}{}", "x".repeat(256 * 1024));
    let hashes = srv.running.state.throttle.hashes();
    let res = f.sign_in(&page, &username, "demo").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.text().await.unwrap();
    assert!(body.contains("signin_field_too_long"), "{body}");
    assert!(body.contains("at most 400 characters"));
    assert!(!body.contains(marker), "the username is not echoed");
    assert!(body.len() < 64 * 1024, "{} bytes", body.len());
    assert_eq!(srv.running.state.throttle.hashes(), hashes, "not hashed");
    // A long password too.
    let res = f.sign_in(&page, "alice", &"p".repeat(401)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("a password has at most"));
    assert_eq!(srv.running.state.throttle.hashes(), hashes, "not hashed");
    // 400 characters is allowed (and checked).
    let res = f.sign_in(&page, &"é".repeat(400), "demo").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(srv.running.state.throttle.hashes(), hashes + 1);
    // The refusal was logged, with a bounded prefix of the username.
    let lines = logs.lines();
    let line = lines
        .iter()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("a log line with the username's prefix: {lines:?}"));
    assert!(line.contains("field too long"), "{line}");
    assert!(line.len() < 512, "{} bytes: {line}", line.len());
    assert!(lines.iter().all(|l| l.len() < 1024));
}

#[tokio::test]
async fn saturated_password_hashing_answers_503_signin_busy() {
    let srv = TestServer::start().await;
    let throttle = &srv.running.state.throttle;
    let f = Flow::new(&srv);
    let page = signin_page(&f).await;
    // Every hashing permit is taken (as by that many slow sign-ins at once).
    let mut held = vec![];
    for _ in 0..throttle.limits().hashing_permits {
        held.push(throttle.hashing_permit().await.unwrap());
    }
    let hashes = throttle.hashes();
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = res.text().await.unwrap();
    assert!(body.contains("signin_busy"), "{body}");
    assert_eq!(throttle.hashes(), hashes, "nothing hashed");
    // A refusal for load is not a failed guess.
    assert_eq!(throttle.len(), 0);
    drop(held);
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_throttle_table_is_pruned_with_time() {
    let srv = TestServer::start().await;
    let throttle = &srv.running.state.throttle;
    // Failures from three addresses over many usernames fill the table.
    let flows: Vec<Flow> = (10..13)
        .map(|last| Flow::with_client(&srv, browser_from(last)))
        .collect();
    let mut pages = vec![];
    for f in &flows {
        pages.push(signin_page(f).await);
    }
    for (n, (f, page)) in flows.iter().zip(&pages).enumerate() {
        for i in 0..5 {
            let res = f.sign_in(page, &format!("nobody{n}x{i}"), "x").await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(throttle.len(), 3 + 15, "3 IPs and 15 usernames tracked");
    // Past every window and lock, the next attempt finds a pruned table.
    let l = throttle.limits();
    let longest = l
        .ip_window_secs
        .max(l.account_window_secs)
        .max(l.ip_lock_secs)
        .max(l.account_lock_secs)
        .max(l.prune_every_secs);
    srv.advance(longest + 1);
    let res = flows[0].sign_in(&pages[0], "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(throttle.len(), 0);
}

/// A `$filter` as a query string.
fn filter_query(filter: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("$filter", filter)
        .finish()
}

#[tokio::test]
async fn a_50_kb_odata_literal_is_refused_before_sqlite() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic wl.contacts").await;
    let huge = format!("contains(first_name,'{}')", "a".repeat(50 * 1024));
    let res = api
        .get(&format!("/v1/me/contacts?{}", filter_query(&huge)))
        .await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
    assert!(msg.starts_with("$filter:"), "{msg}");
    assert!(msg.contains("more than the limit of 8192"), "{msg}");
    // A literal under the total limit but over its own.
    let long = format!("contains(first_name,'{}')", "a".repeat(600));
    let res = api
        .get(&format!("/v1/me/contacts?{}", filter_query(&long)))
        .await;
    let msg = expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
    assert!(
        msg.contains("600 characters, more than the limit of 512"),
        "{msg}"
    );
    // The same in XML.
    let res = api
        .get(&format!(
            "/v1/me/contacts?$format=xml&{}",
            filter_query(&long)
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("limit of 512"));
    // At the limit, the query runs.
    let ok = format!("contains(first_name,'{}')", "a".repeat(512));
    let res = api
        .get(&format!("/v1/me/contacts?{}", filter_query(&ok)))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Nothing reached the database as an error.
    let lines = logs.lines();
    assert!(
        !lines.iter().any(|l| l.contains("ERROR")),
        "no error logged: {lines:?}"
    );
}

/// Runs `wl-server apps add` with these redirect URIs and origins in a fresh data directory.
fn apps_add(redirect_uris: &[&str], origins: &[&str]) -> std::process::Output {
    let dir = TempDir::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wl-server"));
    cmd.args(["apps", "add", "--name", "Attacker's app", "--data-dir"])
        .arg(dir.0.join("data"));
    for u in redirect_uris {
        cmd.args(["--redirect-uri", u]);
    }
    for o in origins {
        cmd.args(["--origin", o]);
    }
    cmd.output().expect("wl-server runs")
}

#[test]
fn apps_add_requires_https_except_on_loopback() {
    let refused = [
        (vec!["http://example.com/cb.html"], vec![]),
        (
            vec!["https://example.com/cb.html"],
            vec!["http://example.com"],
        ),
        (vec!["http://10.0.0.5:8080/cb.html"], vec![]),
        (vec!["http://localhost.example.com/cb.html"], vec![]),
    ];
    for (uris, origins) in refused {
        let out = apps_add(&uris, &origins);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{uris:?} {origins:?} accepted");
        assert!(err.contains("must use https"), "{err}");
        assert!(out.stdout.is_empty(), "no client id printed");
    }
    let accepted = [
        (vec!["http://127.0.0.1:8123/cb.html"], vec![]),
        (
            vec!["http://localhost:3000/cb.html", "http://[::1]:3000/cb.html"],
            vec!["http://127.0.0.1:3000"],
        ),
        (
            vec!["https://example.com/cb.html"],
            vec!["https://example.com"],
        ),
    ];
    for (uris, origins) in accepted {
        let out = apps_add(&uris, &origins);
        assert!(
            out.status.success(),
            "{uris:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = String::from_utf8(out.stdout).unwrap();
        assert_eq!(id.trim().len(), 32, "a client id: {id}");
    }
}

/// A bare hub client: frames as JSON, the close code at the end.
struct Ws(
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
);

/// A read: a text frame, or the close code.
#[derive(Debug)]
enum Read {
    Frame(serde_json::Value),
    Closed(Option<u16>),
}

impl Ws {
    async fn open(srv: &TestServer) -> Self {
        let url = format!("ws://{}/v1/hub", srv.running.provider_addr);
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket connects");
        Self(ws)
    }

    async fn send(&mut self, v: serde_json::Value) {
        use futures_util::SinkExt;
        self.0
            .send(tokio_tungstenite::tungstenite::Message::Text(
                v.to_string().into(),
            ))
            .await
            .expect("send");
    }

    async fn read(&mut self) -> Read {
        use futures_util::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        loop {
            // A hang guard, not a speed check.
            let msg = tokio::time::timeout(std::time::Duration::from_secs(15), self.0.next())
                .await
                .expect("a frame in time");
            match msg {
                Some(Ok(Message::Text(t))) => {
                    return Read::Frame(serde_json::from_str(&t).unwrap());
                }
                Some(Ok(Message::Close(f))) => return Read::Closed(f.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Read::Closed(None),
            }
        }
    }

    async fn until(&mut self, ty: &str) -> serde_json::Value {
        loop {
            match self.read().await {
                Read::Frame(v) if v["type"] == ty => return v,
                Read::Frame(_) => continue,
                Read::Closed(code) => panic!("closed ({code:?}) before a {ty}"),
            }
        }
    }

    /// Says hello with `token`; returns the first frame answered.
    async fn hello(&mut self, token: &str) -> Read {
        self.send(serde_json::json!({ "type": "hello", "v": 1, "token": token }))
            .await;
        self.read().await
    }

    /// Reads until the hub closes; returns the close code.
    async fn closed(&mut self) -> Option<u16> {
        loop {
            if let Read::Closed(code) = self.read().await {
                return code;
            }
        }
    }
}

#[tokio::test]
async fn the_ninth_hub_connection_of_one_person_is_closed() {
    let srv = TestServer::start().await;
    let max = wl_server::hub::HubConfig::default().max_conns_per_person;
    assert_eq!(max, 8);
    // One token, as an attacker holding one would use it.
    let token = srv.dev_token("alice", "wl.messenger").await;
    let mut conns = vec![];
    for i in 0..max {
        let mut c = Ws::open(&srv).await;
        match c.hello(&token).await {
            Read::Frame(v) => assert_eq!(v["type"], "welcome", "connection {i}: {v}"),
            Read::Closed(code) => panic!("connection {i} closed: {code:?}"),
        }
        c.until("synced").await;
        conns.push(c);
    }
    let mut ninth = Ws::open(&srv).await;
    match ninth.hello(&token).await {
        Read::Frame(v) => {
            assert_eq!(v["type"], "error");
            assert_eq!(v["code"], "too_many_connections", "{v}");
        }
        Read::Closed(code) => panic!("closed ({code:?}) without an error frame"),
    }
    assert_eq!(ninth.closed().await, Some(4409));
    // The eight stay served; another person is not affected.
    conns[0].send(serde_json::json!({ "type": "ping" })).await;
    conns[0].until("pong").await;
    let mut bob = Ws::open(&srv).await;
    assert!(
        matches!(bob.hello(&srv.dev_token("bob", "wl.messenger").await).await, Read::Frame(v) if v["type"] == "welcome")
    );
    // One closes; a new one fits again.
    let mut first = conns.remove(0);
    first.0.close(None).await.unwrap();
    first.closed().await;
    let mut again = Ws::open(&srv).await;
    let mut accepted = false;
    // The hub sees the close as soon as it reads it: retry a few times (a hang guard).
    for _ in 0..50 {
        match again.hello(&token).await {
            Read::Frame(v) if v["type"] == "welcome" => {
                accepted = true;
                break;
            }
            _ => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                again = Ws::open(&srv).await;
            }
        }
    }
    assert!(accepted, "a slot freed by a close is reused");
}

#[tokio::test]
async fn the_hub_caps_connections_overall() {
    let srv = TestServer::start().await;
    srv.running.state.hub.configure(wl_server::hub::HubConfig {
        max_conns: 3,
        ..Default::default()
    });
    let mut open = vec![];
    for user in ["alice", "bob", "carol"] {
        let mut c = Ws::open(&srv).await;
        let token = srv.dev_token(user, "wl.messenger").await;
        assert!(matches!(c.hello(&token).await, Read::Frame(v) if v["type"] == "welcome"));
        open.push(c);
    }
    // The fourth (not even authenticated yet) gets `hub_full` and 4503.
    let mut fourth = Ws::open(&srv).await;
    match fourth.read().await {
        Read::Frame(v) => assert_eq!(v["code"], "hub_full", "{v}"),
        Read::Closed(code) => panic!("closed ({code:?}) without an error frame"),
    }
    assert_eq!(fourth.closed().await, Some(4503));
    assert_eq!(srv.running.state.hub.open_connections(), 3);
}

#[tokio::test]
async fn a_persons_connections_share_one_rate_bucket() {
    let srv = TestServer::start().await;
    // A burst of ten, one frame a second after it: the test's frames all come far faster.
    srv.running.state.hub.configure(wl_server::hub::HubConfig {
        frames_per_sec: 1,
        burst: 10,
        ..Default::default()
    });
    let token = srv.dev_token("alice", "wl.messenger").await;
    let mut a = Ws::open(&srv).await;
    a.hello(&token).await;
    a.until("synced").await;
    let mut b = Ws::open(&srv).await;
    b.hello(&token).await;
    b.until("synced").await;
    // Connection A spends the person's burst (ten pongs).
    for _ in 0..10 {
        a.send(serde_json::json!({ "type": "ping" })).await;
    }
    for _ in 0..10 {
        a.until("pong").await;
    }
    // Connection B's frames come out of the same, spent bucket: with a bucket of its own all
    // five would be answered.
    for _ in 0..5 {
        b.send(serde_json::json!({ "type": "ping" })).await;
    }
    let mut limited = 0;
    for _ in 0..5 {
        match b.read().await {
            Read::Frame(v) if v["type"] == "error" => {
                assert_eq!(v["code"], "rate_limited", "{v}");
                limited += 1;
            }
            Read::Frame(v) => assert_eq!(v["type"], "pong", "{v}"),
            Read::Closed(code) => panic!("closed: {code:?}"),
        }
    }
    assert!(limited >= 1, "B is limited by A's spending");
    // A separate person has a bucket of their own.
    let mut bob = Ws::open(&srv).await;
    bob.hello(&srv.dev_token("bob", "wl.messenger").await).await;
    bob.until("synced").await;
    for _ in 0..5 {
        bob.send(serde_json::json!({ "type": "ping" })).await;
    }
    for _ in 0..5 {
        bob.until("pong").await;
    }
}

/// Fills `table` for one person up to `n` rows straight in SQL (a recursive CTE: fast),
/// as if they had written them over time.
async fn fill(srv: &TestServer, sql: &str, person: &str, n: i64) {
    srv.sql_exec(
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < CAST($2 AS BIGINT)) {sql}"
        ),
        &[person, &n.to_string()],
    )
    .await;
}

async fn count(srv: &TestServer, sql: &str, person: &str) -> i64 {
    srv.sql_i64(sql, &[person]).await
}

#[tokio::test]
async fn per_person_caps_refuse_with_a_stable_code_and_write_nothing() {
    use wl_server::store::collections::{MAX_ACTIVITIES, MAX_CONTACTS, MAX_MESSAGES};
    let srv = TestServer::start().await;
    let alice = srv.person_id("alice");
    let bob = srv.person_id("bob");

    // Contacts: fill alice's address book to the cap, then try one more over HTTP.
    let contacts = "SELECT COUNT(*) FROM contacts WHERE owner_id = $1";
    let have = count(&srv, contacts, &alice).await;
    fill(
        &srv,
        "INSERT INTO contacts (id, owner_id, person_id, first_name, last_name, email, phone, is_favorite, updated_at)
         SELECT 'contact.fill' || i, $1, NULL, 'Fill', 'Er', NULL, NULL, 0, 0 FROM n",
        &alice,
        MAX_CONTACTS - have,
    ).await;
    let api = srv.api("alice", "wl.basic wl.contacts wl.share").await;
    let res = api
        .post_json(
            "/v1/me/contacts",
            &serde_json::json!({ "first_name": "One", "last_name": "Toomany" }),
        )
        .await;
    let msg = expect_error(res, StatusCode::CONFLICT, "resource_quota_exceeded").await;
    assert!(msg.contains("20000"), "{msg}");
    assert_eq!(
        count(&srv, contacts, &alice).await,
        MAX_CONTACTS,
        "nothing written"
    );
    // Bob's address book is his own.
    let res = srv
        .api("bob", "wl.contacts")
        .await
        .post_json(
            "/v1/me/contacts",
            &serde_json::json!({ "first_name": "Ann" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // Activities: the same, through both writing endpoints.
    let activities = "SELECT COUNT(*) FROM activities WHERE actor_id = $1";
    let have = count(&srv, activities, &alice).await;
    fill(
        &srv,
        "INSERT INTO activities (id, actor_id, kind, object_type, summary, audience, published)
         SELECT 'fill' || CAST(i AS TEXT), $1, 'Create', 'Note', 'filler', 'friends', 0 FROM n",
        &alice,
        MAX_ACTIVITIES - have,
    )
    .await;
    for (path, body) in [
        (
            "/v1/me/activities",
            serde_json::json!({ "template": "status", "values": { "message": "one more" } }),
        ),
        (
            "/v1/me/share",
            serde_json::json!({ "link": "https://example.org/" }),
        ),
    ] {
        let res = api.post_json(path, &body).await;
        let msg = expect_error(res, StatusCode::CONFLICT, "resource_quota_exceeded").await;
        assert!(msg.contains("activities"), "{path}: {msg}");
    }
    assert_eq!(count(&srv, activities, &alice).await, MAX_ACTIVITIES);

    // Messages: alice has sent all but one of the most the hub stores; her last one is
    // stored, the next refused (nothing stored), and bob can still write to her.
    let messages = "SELECT COUNT(*) FROM messages WHERE sender_id = $1";
    fill(
        &srv,
        &format!(
            "INSERT INTO messages (sender_id, recipient_id, text, client_id, created_at, delivered_at)
             SELECT $1, '{bob}', 'old', NULL, 0, 0 FROM n"
        ),
        &alice,
        MAX_MESSAGES - 1 - count(&srv, messages, &alice).await,
    ).await;
    let mut a = Ws::open(&srv).await;
    a.hello(&srv.dev_token("alice", "wl.messenger").await).await;
    a.until("synced").await;
    // The last one that fits is stored (and counted by the hub)...
    a.send(
        serde_json::json!({ "type": "send", "to": bob, "text": "the last", "client_id": "c-last" }),
    )
    .await;
    assert_eq!(a.until("sent").await["client_id"], "c-last");
    // ...the next is refused.
    a.send(serde_json::json!({ "type": "send", "to": bob, "text": "over the cap", "client_id": "c-full" }))
        .await;
    let e = a.until("error").await;
    assert_eq!(e["code"], "resource_quota_exceeded", "{e}");
    assert_eq!(e["client_id"], "c-full");
    assert_eq!(
        count(&srv, messages, &alice).await,
        MAX_MESSAGES,
        "nothing stored"
    );
    let mut b = Ws::open(&srv).await;
    b.hello(&srv.dev_token("bob", "wl.messenger").await).await;
    b.until("synced").await;
    b.send(serde_json::json!({ "type": "send", "to": alice, "text": "hi", "client_id": "c-b" }))
        .await;
    assert_eq!(b.until("sent").await["client_id"], "c-b");
    let got = a.until("message").await;
    assert_eq!(got["text"], "hi", "alice still receives");
}

/// A browser-like client whose requests carry `X-Forwarded-For: <xff>` (as a load balancer
/// in front would add), from `127.0.0.<last>`.
fn forwarded_from(last: u8, xff: &str) -> Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("x-forwarded-for", xff.parse().expect("header"));
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .default_headers(h)
        .build()
        .expect("client")
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled_and_nobody_else_can_forge_it() {
    let dir = TempDir::new();
    let mut cfg = config(&dir);
    cfg.trusted_proxies = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)];
    let srv = TestServer::start_with(cfg, Arc::new(dir)).await;
    let max = srv.running.state.throttle.limits().ip_failures;
    // The load balancer (127.0.0.1) forwards a sprayer at 203.0.113.7 — who also sends a header
    // of its own, hoping to be someone new each time: only the balancer's entry counts.
    for i in 1..=max {
        let f = Flow::with_client(&srv, forwarded_from(1, &format!("10.9.9.{i}, 203.0.113.7")));
        let page = signin_page(&f).await;
        let res = f.sign_in(&page, &format!("spray{i}"), "Winter2026!").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let f = Flow::with_client(&srv, forwarded_from(1, "203.0.113.7"));
    let page = signin_page(&f).await;
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "203.0.113.7 is locked"
    );
    // Another person behind the same balancer is not.
    let other = Flow::with_client(&srv, forwarded_from(1, "203.0.113.8"));
    let page = signin_page(&other).await;
    assert_eq!(
        other.sign_in(&page, "alice", "demo").await.status(),
        StatusCode::SEE_OTHER
    );
    // A client that is not the balancer cannot claim the locked address's neighbour, nor escape
    // its own: its address is its TCP peer.
    for i in 1..=max {
        let f = Flow::with_client(&srv, forwarded_from(3, &format!("198.51.100.{i}")));
        let page = signin_page(&f).await;
        let _ = f.sign_in(&page, &format!("spray{i}"), "Winter2026!").await;
    }
    let f = Flow::with_client(&srv, forwarded_from(3, "198.51.100.200"));
    let page = signin_page(&f).await;
    assert_eq!(
        f.sign_in(&page, "alice", "demo").await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "127.0.0.3 is locked whatever it forwards"
    );
}

#[tokio::test]
async fn behind_a_load_balancer_the_issuer_is_the_public_origin() {
    let dir = TempDir::new();
    let mut cfg = config(&dir);
    cfg.public_provider_origin = Some("http://127.0.0.1:18081/".into());
    cfg.public_site_origin = Some("http://127.0.0.1:18080".into());
    let srv = TestServer::start_with(cfg, Arc::new(dir)).await;
    let d = srv.discovery().await;
    assert_eq!(d["issuer"], "http://127.0.0.1:18081");
    assert_eq!(d["token_endpoint"], "http://127.0.0.1:18081/token");
    // The demo app's redirect URI is on the public site origin.
    let apps = wl_server::store::apps::list(&mut srv.running.state.db.conn().await.unwrap())
        .await
        .unwrap();
    let demo = apps
        .iter()
        .find(|a| a.client_id == "wl-demo")
        .expect("demo app");
    assert!(
        demo.redirect_uris
            .iter()
            .any(|u| u.starts_with("http://127.0.0.1:18080/")),
        "{:?}",
        demo.redirect_uris
    );
    // Not an origin: a clear error, no server.
    for bad in ["http://127.0.0.1:18081/path", "ftp://x", "nonsense"] {
        let err = wl_server::server::public_origin("--public-provider-origin", bad).unwrap_err();
        assert!(
            err.to_string().contains("--public-provider-origin"),
            "{err}"
        );
    }
}
