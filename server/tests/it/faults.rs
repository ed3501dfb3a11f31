//! Faults (issue 13, "Reliability"): the provider killed with SIGKILL in the middle of a stream
//! of consents, token refreshes, contact writes and hub messages, then started again on the
//! same data folder.
//! Nothing it acknowledged is lost (every consent it answered with a code still exchanges, every
//! `201 Created` contact and every `sent` message is there after the restart), nothing is
//! half-written (SQLite's `integrity_check`, and every contact row whole),
//! the tokens issued before the crash still work, and the refreshing app is still signed in.
//!
//! The real binary, as an operator runs it; the kill comes while requests are in flight.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{Flow, browser, cli_dev_token, hidden, query};

const BIN: &str = env!("CARGO_BIN_EXE_wl-server");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One `wl-server serve` on fixed loopback ports over `dir`.
struct Provider {
    dir: std::path::PathBuf,
    site_port: u16,
    provider_port: u16,
}

impl Provider {
    /// A provider over `dir` on two free loopback ports.
    fn on(dir: &std::path::Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            site_port: free_port(),
            provider_port: free_port(),
        }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.join("data")
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.provider_port)
    }

    fn site(&self) -> String {
        format!("http://127.0.0.1:{}", self.site_port)
    }

    async fn start(&self) -> Running {
        let child = Command::new(BIN)
            .args(["serve", "--site-port", &self.site_port.to_string()])
            .args(["--provider-port", &self.provider_port.to_string()])
            .arg("--site-dir")
            .arg(&self.dir)
            .arg("--data-dir")
            .arg(self.data())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn wl-server");
        let c = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = c.get(format!("{}/healthz", self.url())).send().await
                && r.status() == 200
            {
                return Running(child);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        panic!("wl-server did not become healthy");
    }

    fn token(&self, user: &str, scope: &str) -> String {
        cli_dev_token(&self.data(), user, scope)
    }
}

/// A running provider process, killed when dropped (a failed assertion must not leave it
/// running, holding the test's output open).
struct Running(Child);

impl std::ops::Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Writes contacts until the provider stops answering; the ids it acknowledged with 201.
async fn write_contacts(
    provider: String,
    token: String,
    writer: usize,
    acked: Arc<Mutex<Vec<String>>>,
) {
    let c = reqwest::Client::new();
    for n in 0.. {
        let body = json!({
            "first_name": format!("Crash{writer}"),
            "last_name": format!("Test{n}"),
            "emails": { "preferred": format!("crash{writer}.{n}@example.com") },
        });
        let r = c
            .post(format!("{provider}/v1/me/contacts"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        let Ok(r) = r else { return };
        if r.status() != 201 {
            continue;
        }
        let Ok(v) = r.json::<Value>().await else {
            return;
        };
        if let Some(id) = v["id"].as_str() {
            acked.lock().expect("acked").push(id.to_owned());
        }
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The id of the friend whose name starts with `first`, from the hub's `welcome`.
async fn friend_named(socket: &mut Socket, first: &str) -> Option<String> {
    while let Some(Ok(frame)) = socket.next().await {
        let Message::Text(text) = frame else { continue };
        let v: Value = serde_json::from_str(&text).ok()?;
        if v["type"] == "welcome" {
            return v["friends"]
                .as_array()?
                .iter()
                .find(|f| f["name"].as_str().is_some_and(|n| n.starts_with(first)))
                .and_then(|f| f["id"].as_str())
                .map(str::to_owned);
        }
    }
    None
}

/// A provider form posted by `f`'s browser; `None` once the provider is gone.
async fn post(f: &Flow, path: &str, form: &[(&str, String)]) -> Option<reqwest::Response> {
    let url = format!("{}{path}", f.provider);
    f.client.post(url).form(form).send().await.ok()
}

/// One consent by `user` for the demo app (signing in first if the browser has no session),
/// with `prompt=consent` so each one is a new decision; the code the provider answered with, or
/// `None` once the provider is gone.
async fn consent_once(f: &Flow, user: &str) -> Option<String> {
    let url = f.authorize_url("wl.signin wl.basic") + "&prompt=consent";
    let mut page = f.client.get(url).send().await.ok()?.text().await.ok()?;
    if page.contains(r#"action="/signin""#) {
        let form = [
            ("csrf", hidden(&page, "csrf")),
            ("continue", hidden(&page, "continue")),
            ("username", user.to_owned()),
            ("password", "demo".to_owned()),
        ];
        let r = post(f, "/signin", &form).await?;
        let next = r.headers().get("location")?.to_str().ok()?.to_owned();
        let next = if next.starts_with('/') {
            format!("{}{next}", f.provider)
        } else {
            next
        };
        page = f.client.get(next).send().await.ok()?.text().await.ok()?;
    }
    if !page.contains("Remember this connection") {
        return None;
    }
    let form = [
        ("csrf", hidden(&page, "csrf")),
        ("request", hidden(&page, "request")),
        ("decision", "allow".to_owned()),
    ];
    let r = post(f, "/authorize/decision", &form).await?;
    if r.status() != 303 {
        return None;
    }
    let loc = r.headers().get("location")?.to_str().ok()?;
    query(loc).get("code").cloned()
}

/// Carol consents again and again until the provider is gone; the (code, verifier) pairs it
/// acknowledged.
async fn consent_stream(provider: String, site: String, acked: Arc<Mutex<Vec<(String, String)>>>) {
    let client = browser();
    loop {
        let f = Flow {
            client: client.clone(),
            provider: provider.clone(),
            client_id: "wl-demo".into(),
            redirect_uri: format!("{site}/callback.html"),
            verifier: wl_server::crypto::random_secret("v-"),
            state: wl_server::crypto::random_hex(8),
            nonce: wl_server::crypto::random_hex(8),
        };
        let Some(code) = consent_once(&f, "carol").await else {
            return;
        };
        acked.lock().expect("acked").push((code, f.verifier));
    }
}

/// What a refreshing client holds: the last pair the provider answered with, and how many
/// rotations it acknowledged.
#[derive(Default)]
struct Held {
    access: String,
    refresh: String,
    rotations: usize,
}

/// A `/token` refresh by `f`'s app; the new (access, refresh) pair, or `None` when no whole
/// answer came back (the provider gone before or after committing the rotation).
async fn refresh_once(f: &Flow, refresh_token: &str) -> Option<(String, String)> {
    let form = [
        ("grant_type", "refresh_token".to_owned()),
        ("refresh_token", refresh_token.to_owned()),
        ("client_id", f.client_id.clone()),
    ];
    let r = post(f, "/token", &form).await?;
    if r.status() != 200 {
        return None;
    }
    let v: Value = r.json().await.ok()?;
    Some((
        v["access_token"].as_str()?.to_owned(),
        v["refresh_token"].as_str()?.to_owned(),
    ))
}

/// Bob's app refreshes its tokens again and again until the provider stops answering, keeping
/// the last pair it was answered with (as the loader does).
async fn refresh_stream(f: Flow, held: Arc<Mutex<Held>>) {
    loop {
        let current = held.lock().expect("held").refresh.clone();
        let Some((access, refresh)) = refresh_once(&f, &current).await else {
            return;
        };
        let mut h = held.lock().expect("held");
        h.access = access;
        h.refresh = refresh;
        h.rotations += 1;
    }
}

/// Alice messages Bob over the hub until the connection drops; the ids the hub acknowledged
/// with `sent`.
async fn send_messages(provider: String, token: String, acked: Arc<Mutex<Vec<u64>>>) {
    let ws = provider.replace("http://", "ws://") + "/v1/hub";
    let Ok((mut socket, _)) = tokio_tungstenite::connect_async(ws.as_str()).await else {
        return;
    };
    let hello = json!({ "type": "hello", "v": 1, "token": token }).to_string();
    if socket.send(Message::text(hello)).await.is_err() {
        return;
    }
    let Some(bob) = friend_named(&mut socket, "Bob").await else {
        return;
    };
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut n = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                n += 1;
                let send = json!({ "type": "send", "to": bob, "text": format!("crash {n}"), "client_id": format!("c-{n}") });
                if socket.send(Message::text(send.to_string())).await.is_err() {
                    return;
                }
            }
            frame = socket.next() => {
                let Some(Ok(Message::Text(text))) = frame else {
                    if matches!(frame, Some(Ok(_))) { continue; }
                    return;
                };
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if v["type"] == "sent"
                    && let Some(id) = v["id"].as_u64()
                {
                    acked.lock().expect("acked").push(id);
                }
            }
        }
    }
}

/// Bob's conversation with Alice as the hub keeps it (the newest 100).
async fn history(provider: &str, token: &str) -> Vec<u64> {
    let ws = provider.replace("http://", "ws://") + "/v1/hub";
    let (mut socket, _) = tokio_tungstenite::connect_async(ws.as_str())
        .await
        .expect("hub after the restart");
    let hello = json!({ "type": "hello", "v": 1, "token": token }).to_string();
    socket.send(Message::text(hello)).await.expect("hello");
    let alice = friend_named(&mut socket, "Alice")
        .await
        .expect("Alice among Bob's friends");
    let ask = json!({ "type": "history", "with": alice, "limit": 100 }).to_string();
    socket.send(Message::text(ask)).await.expect("history");
    while let Some(Ok(frame)) = socket.next().await {
        let Message::Text(text) = frame else { continue };
        let v: Value = serde_json::from_str(&text).expect("json frame");
        if v["type"] == "history" {
            return v["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .filter_map(|m| m["id"].as_u64())
                .collect();
        }
    }
    panic!("no history answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_stream_loses_nothing_acknowledged() {
    let dir = std::env::temp_dir().join(format!(
        "wl-server-faults-{}",
        wl_server::crypto::random_hex(8)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = Provider::on(&dir);
    let mut child = p.start().await;
    let alice_contacts = p.token("alice", "wl.contacts");
    let alice_hub = p.token("alice", "wl.messenger");
    let bob_hub = p.token("bob", "wl.messenger");

    let contacts = Arc::new(Mutex::new(Vec::new()));
    let messages = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for w in 0..4 {
        tasks.push(tokio::spawn(write_contacts(
            p.url(),
            alice_contacts.clone(),
            w,
            contacts.clone(),
        )));
    }
    let hub = tokio::spawn(send_messages(p.url(), alice_hub.clone(), messages.clone()));
    let consents = Arc::new(Mutex::new(Vec::new()));
    let consenting = tokio::spawn(consent_stream(p.url(), p.site(), consents.clone()));
    let bobs_app = || Flow {
        client: browser(),
        provider: p.url(),
        client_id: "wl-demo".into(),
        redirect_uri: format!("{}/callback.html", p.site()),
        verifier: wl_server::crypto::random_secret("v-"),
        state: wl_server::crypto::random_hex(8),
        nonce: wl_server::crypto::random_hex(8),
    };
    let app = bobs_app();
    let t = app.tokens("bob", "wl.basic wl.offline_access", true).await;
    let held = Arc::new(Mutex::new(Held {
        access: t["access_token"].as_str().expect("access").to_owned(),
        refresh: t["refresh_token"].as_str().expect("refresh").to_owned(),
        rotations: 0,
    }));
    let refreshing = tokio::spawn(refresh_stream(app, held.clone()));
    // Alice's app loses the answer of a rotation the provider committed (the same as a kill
    // between the commit and the answer, which the stream above hits only by chance): it
    // still holds the token it presented when the provider dies.
    let alices_app = bobs_app();
    let t = alices_app
        .tokens("alice", "wl.basic wl.offline_access", true)
        .await;
    let alices_refresh = t["refresh_token"].as_str().expect("refresh").to_owned();
    refresh_once(&alices_app, &alices_refresh)
        .await
        .expect("a rotation (its answer then lost)");
    // Kill it once the stream is well under way (both kinds acknowledged), while writes are
    // in flight.
    for _ in 0..200 {
        if contacts.lock().expect("acked").len() >= 40
            && messages.lock().expect("acked").len() >= 5
            && consents.lock().expect("acked").len() >= 3
            && held.lock().expect("held").rotations >= 5
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    for t in tasks {
        t.await.expect("writer");
    }
    hub.await.expect("hub client");
    consenting.await.expect("consents");
    refreshing.await.expect("refreshes");
    let held = std::mem::take(&mut *held.lock().expect("held"));
    assert!(
        held.rotations >= 5,
        "the stream ran: {} refreshes",
        held.rotations
    );
    let consents = consents.lock().expect("acked").clone();
    assert!(
        consents.len() >= 3,
        "the stream ran: {} consents",
        consents.len()
    );
    let contacts = contacts.lock().expect("acked").clone();
    let messages = messages.lock().expect("acked").clone();
    assert!(
        contacts.len() >= 40,
        "the stream ran: {} contacts",
        contacts.len()
    );
    assert!(
        messages.len() >= 5,
        "the stream ran: {} messages",
        messages.len()
    );

    // Nothing half-written: the file is whole.
    let db = rusqlite::Connection::open(p.data().join("wl.sqlite3")).expect("open the database");
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
    // Whether the kill came between the commit of a rotation and its answer (then the
    // refresh after the restart is that rotation's retry), for the log.
    let rotated: Option<i64> = db
        .query_row(
            "SELECT rotated_at FROM tokens WHERE token_hash = ?1",
            [wl_server::crypto::secret_hash(&held.refresh).as_slice()],
            |r| r.get(0),
        )
        .expect("the held refresh token is stored");
    eprintln!(
        "the rotation in flight at the kill was {}",
        if rotated.is_some() {
            "committed: its answer was lost"
        } else {
            "not committed"
        }
    );
    drop(db);

    let mut child = p.start().await;
    let c = reqwest::Client::new();
    let list: Value = c
        .get(format!("{}/v1/me/contacts", p.url()))
        .query(&[
            ("$filter", "startswith(first_name,'Crash')"),
            ("$top", "1000"),
        ])
        .bearer_auth(&alice_contacts)
        .send()
        .await
        .expect("contacts after the restart")
        .json()
        .await
        .expect("json");
    let rows = list["data"].as_array().expect("data");
    let stored: std::collections::HashSet<&str> =
        rows.iter().filter_map(|r| r["id"].as_str()).collect();
    let lost: Vec<&String> = contacts
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged contacts lost: {lost:?}");
    // Every stored row is whole: a name, and the e-mail written in the same statement.
    for r in rows {
        let first = r["first_name"].as_str().unwrap_or_default();
        let last = r["last_name"].as_str().unwrap_or_default();
        assert!(
            first.starts_with("Crash") && last.starts_with("Test"),
            "{r}"
        );
        let (w, n) = (&first["Crash".len()..], &last["Test".len()..]);
        assert_eq!(
            r["emails"]["preferred"],
            format!("crash{w}.{n}@example.com"),
            "a half-written contact: {r}"
        );
    }
    // Every consent the provider answered with a code is there: each code still exchanges.
    let f = Flow {
        client: browser(),
        provider: p.url(),
        client_id: "wl-demo".into(),
        redirect_uri: format!("{}/callback.html", p.site()),
        verifier: String::new(),
        state: String::new(),
        nonce: String::new(),
    };
    for (code, verifier) in &consents {
        let r = f.exchange_with(code, verifier).await;
        assert_eq!(
            r.status(),
            200,
            "an acknowledged consent's code after the restart"
        );
    }
    // Bob is still signed in: the last access token his app was answered with works, and the
    // refresh token it holds renews, whether the rotation in flight at the kill was committed
    // (its answer lost: this is its retry) or not.
    let app = bobs_app();
    assert_eq!(
        app.me(&held.access).await.status(),
        200,
        "the last acknowledged access token after the restart"
    );
    let (access, _) = refresh_once(&app, &held.refresh)
        .await
        .expect("the refresh token the app holds renews after the restart");
    assert_eq!(app.me(&access).await.status(), 200);
    // Alice too: her app's retry of the rotation whose answer it lost renews.
    let (access, _) = refresh_once(&app, &alices_refresh)
        .await
        .expect("the retry of a rotation whose answer was lost, after the restart");
    assert_eq!(app.me(&access).await.status(), 200);

    let kept = history(&p.url(), &bob_hub).await;
    let lost: Vec<&u64> = messages.iter().filter(|id| !kept.contains(id)).collect();
    assert!(
        lost.is_empty(),
        "acknowledged messages lost: {lost:?} (kept {kept:?})"
    );

    child.kill().expect("stop");
    child.wait().expect("reaped");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Unmounts a tmpfs on drop.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` with one file until the disk refuses another byte.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    path
}

/// The disk fills up under the provider (SQLite on a 4 MB tmpfs): writes answer 503
/// `storage_full` with nothing half-written, reads keep working, and once there is room again
/// writes succeed, with every acknowledged contact there and the database whole. Needs root (to
/// mount the tmpfs), as `cargo xtask test` runs in CI; elsewhere it says it was skipped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_storage_full_and_recovers() {
    let dir = std::env::temp_dir().join(format!(
        "wl-server-diskfull-{}",
        wl_server::crypto::random_hex(8)
    ));
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("temp dir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&data)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root: mounting a tmpfs must work there"
        );
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let _unmount = Mounted(data.clone());
    let p = Provider::on(&dir);
    let mut child = p.start().await;
    let token = p.token("alice", "wl.contacts");
    let c = reqwest::Client::new();
    let add = |n: usize| {
        c.post(format!("{}/v1/me/contacts", p.url()))
            .bearer_auth(&token)
            .json(&json!({
                "first_name": "Full",
                "last_name": format!("Disk{n}"),
                "emails": { "preferred": format!("full{n}@example.com") },
            }))
            .send()
    };
    let mut acked = Vec::new();
    let first = add(0).await.expect("a write with room");
    assert_eq!(first.status(), 201);
    acked.push(
        first.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned(),
    );

    let filler = fill(&data);
    let mut refused = None;
    for n in 1..400 {
        let r = add(n).await.expect("the provider answers");
        match r.status().as_u16() {
            201 => acked.push(
                r.json::<Value>().await.expect("json")["id"]
                    .as_str()
                    .expect("id")
                    .to_owned(),
            ),
            _ => {
                refused = Some((r.status().as_u16(), r.json::<Value>().await.expect("json")));
                break;
            }
        }
    }
    let (status, body) = refused.expect("a full disk refuses writes");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "storage_full", "{body}");
    // Reads still work on a full disk.
    let me = c
        .get(format!("{}/v1/me/contacts", p.url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("read");
    assert_eq!(me.status(), 200);

    // Room again: writes work, nothing acknowledged is missing, the file is whole.
    std::fs::remove_file(&filler).expect("free the disk");
    let r = add(1000).await.expect("a write after the disk has room");
    assert_eq!(r.status(), 201);
    acked.push(
        r.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned(),
    );
    let list: Value = c
        .get(format!("{}/v1/me/contacts", p.url()))
        .query(&[("$filter", "first_name eq 'Full'"), ("$top", "1000")])
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let stored: std::collections::HashSet<&str> = list["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for id in &acked {
        assert!(
            stored.contains(id.as_str()),
            "acknowledged contact {id} lost"
        );
    }
    assert_eq!(
        stored.len(),
        acked.len(),
        "only acknowledged contacts were written"
    );
    child.kill().expect("stop");
    child.wait().expect("reaped");
    let db = rusqlite::Connection::open(p.data().join("wl.sqlite3")).expect("open the database");
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
    drop(db);
    drop(_unmount);
    let _ = std::fs::remove_dir_all(&dir);
}
