//! Several instances over one data directory, sharing state over Redis (issue 14, the bus;
//! docs/scaling.md): a real `redis-server` on a free loopback port (no persistence, a temp
//! dir) and two real `wl-server serve --bus …` processes started at once on one empty data
//! directory. Messages, typing, receipts and presence cross instances; a SIGKILLed instance's
//! people go offline within the heartbeat window; a revocation reaches the other instance's
//! token cache within 1 s; sign-in failures split across instances lock as on one; one code
//! redeemed at both at once wins once; Redis stopped and started again: both recover.
//!
//! Needs Debian's `redis-server` (`cargo xtask test` installs it).

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{Flow, TempDir, browser, cli_dev_token_in, database_for, hidden, location};

const BIN: &str = env!("CARGO_BIN_EXE_wl-server");
/// The heartbeat window the instances run with (`--hub-heartbeat-ms`).
const WINDOW: Duration = Duration::from_millis(1500);
/// A hang guard for any one read, not a speed check.
const PATIENCE: Duration = Duration::from_secs(15);
/// The instances' offline grace (the hub's default, docs/messenger.md; set here so that
/// `WL_HUB_OFFLINE_GRACE_MS` in the environment changes nothing).
const GRACE: Duration = Duration::from_secs(3);

const ALICE: &str = "b1fc132cc0fd482c";
const BOB: &str = "61c6b662b252daec";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn redis_server() -> std::path::PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .chain([std::path::PathBuf::from("/usr/bin")])
            .map(|d| d.join("redis-server"))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "redis-server is missing: the scale tests need Debian's `redis-server` package, which \
             `cargo xtask test` installs (or: apt-get install redis-server)"
        )
    })
}

/// A `redis-server` on a loopback port, without persistence, in a temp dir.
struct Redis {
    port: u16,
    dir: TempDir,
    child: Option<Child>,
}

impl Redis {
    fn start() -> Self {
        let mut r = Self {
            port: free_port(),
            dir: TempDir::new(),
            child: None,
        };
        r.run();
        r
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn run(&mut self) {
        let child = Command::new(redis_server())
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ])
            .arg("--dir")
            .arg(&self.dir.0)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.ping() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not answer PING on port {}", self.port);
    }

    fn ping(&self) -> bool {
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
        let mut buf = [0u8; 7];
        s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One `wl-server serve --bus …` over a shared data directory, or over the suite's PostgreSQL
/// (`WL_TEST_DATABASE`) when it runs on one.
struct Instance {
    provider_port: u16,
    child: Option<Child>,
}

impl Instance {
    fn spawn(
        data: &std::path::Path,
        database: Option<&str>,
        site: &std::path::Path,
        bus: &str,
    ) -> Self {
        // A port found free may be taken by someone else before the instance binds it (the
        // other tests' connections use ephemeral ports too): then the instance exits at once
        // with "cannot listen", and it is started again on other ports.
        for _ in 0..5 {
            let provider_port = free_port();
            let mut cmd = Command::new(BIN);
            cmd.args(["serve", "--site-port", &free_port().to_string()]);
            if let Some(url) = database {
                cmd.args(["--database", url]);
            }
            let mut child = cmd
                .args(["--provider-port", &provider_port.to_string()])
                .args(["--bus", bus])
                .args(["--hub-heartbeat-ms", &WINDOW.as_millis().to_string()])
                .args(["--hub-offline-grace-ms", &GRACE.as_millis().to_string()])
                .arg("--site-dir")
                .arg(site)
                .arg("--data-dir")
                .arg(data)
                // SCALE_LOG=wl_server=debug shows the instances' logs.
                .env(
                    "RUST_LOG",
                    std::env::var("SCALE_LOG").unwrap_or_else(|_| "error".into()),
                )
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("spawn wl-server");
            if Self::kept_its_ports(&mut child, provider_port) {
                return Self {
                    provider_port,
                    child: Some(child),
                };
            }
        }
        panic!("wl-server could not listen on a free port in 5 tries");
    }

    /// Whether `child` still runs once its provider port accepts connections (it binds both
    /// ports first thing, so one that lost a port has exited by then).
    fn kept_its_ports(child: &mut Child, port: u16) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                return false;
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                std::thread::sleep(Duration::from_millis(300));
                return child.try_wait().ok().flatten().is_none();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Not listening yet after 10 s: `wait_health` says what is wrong.
        true
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.provider_port)
    }

    async fn health(&self) -> Option<Value> {
        let r = reqwest::get(format!("{}/healthz", self.url())).await.ok()?;
        if r.status() != 200 {
            return None;
        }
        r.json().await.ok()
    }

    /// `/readyz`: its status, and the `x-wl-instance` header.
    async fn ready(&self) -> (u16, Option<String>, Value) {
        let r = reqwest::get(format!("{}/readyz", self.url()))
            .await
            .expect("GET /readyz");
        let instance = r
            .headers()
            .get("x-wl-instance")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (r.status().as_u16(), instance, r.json().await.expect("JSON"))
    }

    async fn wait_health(&self, bus: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(h) = self.health().await
                && h["bus"] == bus
            {
                return h;
            }
            assert!(
                Instant::now() < deadline,
                "{} never reported bus {bus}: {:?}",
                self.url(),
                self.health().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Redis and two instances A and B started at once on one empty data directory.
struct Cluster {
    redis: Redis,
    a: Instance,
    b: Instance,
    dir: TempDir,
    database: Option<String>,
}

impl Cluster {
    async fn start() -> Self {
        Self::start_with(|_, _| {}).await
    }

    /// `prepare` runs on the data directory (and the database's URL, on PostgreSQL) before the
    /// instances start.
    async fn start_with(prepare: impl FnOnce(&std::path::Path, Option<&str>)) -> Self {
        let redis = Redis::start();
        let dir = TempDir::new();
        let data = dir.0.join("data");
        let database = database_for(&dir);
        prepare(&data, database.as_deref());
        let a = Instance::spawn(&data, database.as_deref(), &dir.0, &redis.url());
        let b = Instance::spawn(&data, database.as_deref(), &dir.0, &redis.url());
        let (ha, hb) = tokio::join!(a.wait_health("ok"), b.wait_health("ok"));
        assert_ne!(
            ha["instance"], hb["instance"],
            "each instance has its own id"
        );
        for (i, h) in [(&a, &ha), (&b, &hb)] {
            let (status, header, body) = i.ready().await;
            assert_eq!((status, &body["bus"]), (200, &json!("ok")), "{body}");
            assert_eq!(header.as_deref(), h["instance"].as_str(), "x-wl-instance");
        }
        Self {
            redis,
            a,
            b,
            dir,
            database,
        }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.0.join("data")
    }

    fn token(&self, user: &str, scope: &str) -> String {
        cli_dev_token_in(&self.data(), self.database.as_deref(), user, scope)
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A hub connection. A task reads it all the time (so pings are answered while the test
/// looks elsewhere) and queues the text frames.
struct Ws {
    sink: futures_util::stream::SplitSink<Socket, Message>,
    frames: tokio::sync::mpsc::UnboundedReceiver<Result<Value, String>>,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for Ws {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Ws {
    /// Connects to `instance` and says hello with `token`; returns the `welcome` too.
    async fn hello(instance: &Instance, token: &str) -> (Self, Value) {
        let (ws, welcome, _) = Self::hello_since(instance, token, None).await;
        (ws, welcome)
    }

    /// Says hello with `since`; returns the `welcome` and the frames of the resync.
    async fn hello_since(
        instance: &Instance,
        token: &str,
        since: Option<i64>,
    ) -> (Self, Value, Vec<Value>) {
        let url = format!("ws://127.0.0.1:{}/v1/hub", instance.provider_port);
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket connects");
        let (sink, mut stream) = ws.split();
        let (tx, frames) = tokio::sync::mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            while let Some(msg) = stream.next().await {
                let item = match msg {
                    Ok(Message::Text(t)) => Ok(serde_json::from_str(&t).expect("JSON")),
                    Ok(Message::Close(f)) => Err(format!("closed: {f:?}")),
                    Ok(_) => continue,
                    Err(e) => Err(format!("the connection failed: {e}")),
                };
                if tx.send(item).is_err() {
                    return;
                }
            }
        });
        let mut ws = Self {
            sink,
            frames,
            reader,
        };
        let mut hello = json!({ "type": "hello", "v": 1, "token": token });
        if let Some(since) = since {
            hello["since"] = json!(since);
        }
        ws.send(hello).await;
        let welcome = ws.until("welcome").await;
        let mut backlog = Vec::new();
        loop {
            let v = ws.next().await;
            if v["type"] == "synced" {
                break;
            }
            backlog.push(v);
        }
        (ws, welcome, backlog)
    }

    async fn send(&mut self, v: Value) {
        self.sink
            .send(Message::Text(v.to_string().into()))
            .await
            .expect("send");
    }

    async fn next(&mut self) -> Value {
        match tokio::time::timeout(PATIENCE, self.frames.recv()).await {
            Ok(Some(Ok(v))) => v,
            Ok(Some(Err(e))) => panic!("{e}"),
            Ok(None) => panic!("the connection ended"),
            Err(_) => panic!("no frame within {PATIENCE:?}"),
        }
    }

    async fn until(&mut self, ty: &str) -> Value {
        loop {
            let v = self.next().await;
            if v["type"] == ty {
                return v;
            }
        }
    }

    /// The next frame matching `pred`.
    async fn until_match(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let v = self.next().await;
            if pred(&v) {
                return v;
            }
        }
    }

    /// Reads until the hub closes; the close as text.
    async fn closed(&mut self) -> String {
        loop {
            match tokio::time::timeout(PATIENCE, self.frames.recv()).await {
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(e))) => return e,
                Ok(None) => return "ended".into(),
                Err(_) => panic!("not closed within {PATIENCE:?}"),
            }
        }
    }

    /// Frames that arrive within `d`.
    async fn drain(&mut self, d: Duration) -> Vec<Value> {
        let mut got = Vec::new();
        let end = tokio::time::Instant::now() + d;
        while let Ok(Some(Ok(v))) = tokio::time::timeout_at(end, self.frames.recv()).await {
            got.push(v);
        }
        got
    }
}

fn presence_of<'a>(welcome: &'a Value, id: &str) -> &'a Value {
    &welcome["friends"]
        .as_array()
        .expect("friends")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{id} among the friends in {welcome}"))["presence"]
}

fn is_presence(v: &Value, who: &str, shown: &str) -> bool {
    v["type"] == "presence" && v["id"] == who && v["status"] == shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_typing_receipts_and_presence_cross_instances() {
    let c = Cluster::start().await;
    let (alice_tok, bob_tok) = (
        c.token("alice", "wl.messenger"),
        c.token("bob", "wl.messenger"),
    );
    let (mut alice_a, _) = Ws::hello(&c.a, &alice_tok).await;
    let (mut alice_b, _) = Ws::hello(&c.b, &alice_tok).await;
    let (mut bob_b, welcome) = Ws::hello(&c.b, &bob_tok).await;
    assert_eq!(
        presence_of(&welcome, ALICE),
        "available",
        "alice is online on both"
    );
    // Bob (on B) joining reaches alice on A.
    alice_a
        .until_match(|v| is_presence(v, BOB, "available"))
        .await;

    // Presence set on B is seen on A.
    bob_b
        .send(json!({ "type": "presence", "status": "busy" }))
        .await;
    alice_a.until_match(|v| is_presence(v, BOB, "busy")).await;

    // Typing on A reaches bob on B.
    alice_a.send(json!({ "type": "typing", "to": BOB })).await;
    let typing = bob_b.until("typing").await;
    assert_eq!(typing["from"], ALICE);

    // A message from A: stored once, to bob on B, a copy to alice's other connection (on B),
    // and one `delivered` back to the sender.
    alice_a
        .send(json!({ "type": "send", "to": BOB, "text": "across", "client_id": "m1" }))
        .await;
    let sent = alice_a.until("sent").await;
    let id = sent["id"].clone();
    let got = bob_b.until("message").await;
    assert_eq!((&got["id"], &got["text"]), (&id, &json!("across")));
    assert!(got.get("client_id").is_none(), "{got}");
    let copy = alice_b.until("message").await;
    assert_eq!((&copy["id"], &copy["client_id"]), (&id, &json!("m1")));
    let delivered = alice_a.until("delivered").await;
    assert_eq!(delivered["id"], id);
    let more = alice_a.drain(Duration::from_millis(500)).await;
    assert!(
        !more
            .iter()
            .any(|v| v["type"] == "delivered" || v["type"] == "message"),
        "delivered once, no copy to the sending connection: {more:?}"
    );
    let dup = bob_b.drain(Duration::from_millis(300)).await;
    assert!(
        !dup.iter().any(|v| v["type"] == "message"),
        "the message reaches bob once: {dup:?}"
    );

    // Bob's last connection leaves B: alice on A sees him go offline; alice leaving A while
    // she stays on B is no "offline" for bob's friends.
    drop(bob_b);
    alice_a
        .until_match(|v| is_presence(v, BOB, "offline"))
        .await;
    let (mut bob_a, _) = Ws::hello(&c.a, &bob_tok).await;
    drop(alice_a);
    let after = bob_a.drain(Duration::from_millis(800)).await;
    assert!(
        !after.iter().any(|v| is_presence(v, ALICE, "offline")),
        "alice is still on B: {after:?}"
    );
    // Alice back on A while still on B: bob hears nothing new (no second "available").
    let (alice_a, _) = Ws::hello(&c.a, &alice_tok).await;
    let after = bob_a.drain(Duration::from_millis(800)).await;
    assert!(
        !after.iter().any(|v| v["type"] == "presence"),
        "no change to tell: {after:?}"
    );
    drop(alice_a);
    drop(alice_b);
    bob_a
        .until_match(|v| is_presence(v, ALICE, "offline"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_change_to_the_other_instance_is_no_offline_to_friends() {
    let c = Cluster::start().await;
    let bob_tok = c.token("bob", "wl.messenger");
    let (mut alice_a, _) = Ws::hello(&c.a, &c.token("alice", "wl.messenger")).await;
    let (bob_a, _) = Ws::hello(&c.a, &bob_tok).await;
    alice_a
        .until_match(|v| is_presence(v, BOB, "available"))
        .await;
    // Bob's next page connects through the balancer to B while A keeps his closed connection
    // for the grace: alice (on A) hears no "offline", during the grace or after it.
    drop(bob_a);
    let (bob_b, welcome) = Ws::hello(&c.b, &bob_tok).await;
    assert_eq!(presence_of(&welcome, ALICE), "available");
    let heard = alice_a.drain(GRACE + Duration::from_millis(1500)).await;
    assert!(
        !heard.iter().any(|v| is_presence(v, BOB, "offline")),
        "bob never went offline: {heard:?}"
    );
    // A newcomer on A sees bob online (he is, on B).
    let (_alice_again, welcome) = Ws::hello(&c.a, &c.token("alice", "wl.messenger")).await;
    assert_eq!(presence_of(&welcome, BOB), "available");
    // Bob leaves for good: offline everywhere once B's grace ends.
    drop(bob_b);
    alice_a
        .until_match(|v| is_presence(v, BOB, "offline"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instance_s_people_go_offline_within_the_heartbeat_window() {
    let mut c = Cluster::start().await;
    let (mut alice_a, _) = Ws::hello(&c.a, &c.token("alice", "wl.messenger")).await;
    let (mut bob_b, welcome) = Ws::hello(&c.b, &c.token("bob", "wl.messenger")).await;
    assert_eq!(presence_of(&welcome, ALICE), "available");
    alice_a
        .until_match(|v| is_presence(v, BOB, "available"))
        .await;
    let killed = Instant::now();
    c.a.kill();
    bob_b
        .until_match(|v| is_presence(v, ALICE, "offline"))
        .await;
    let took = killed.elapsed();
    eprintln!("scale: alice offline on B {took:?} after SIGKILL of A (window {WINDOW:?})");
    assert!(
        took <= WINDOW + Duration::from_millis(500),
        "offline after {took:?}, window {WINDOW:?}"
    );
    // B answers for alice as offline to a newcomer too.
    let (_bob_again, welcome) = Ws::hello(&c.b, &c.token("bob", "wl.messenger")).await;
    assert_eq!(presence_of(&welcome, ALICE), "offline");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_on_one_instance_is_refused_by_the_other_within_a_second() {
    let c = Cluster::start().await;
    let token = c.token("alice", "wl.basic wl.messenger");
    let (mut hub_b, _) = Ws::hello(&c.b, &token).await;
    let http = reqwest::Client::new();
    let me = |instance: &Instance| {
        http.get(format!("{}/v1/me", instance.url()))
            .bearer_auth(&token)
            .send()
    };
    // Both caches hold the token.
    assert_eq!(me(&c.a).await.unwrap().status(), 200);
    assert_eq!(me(&c.b).await.unwrap().status(), 200);
    let r = http
        .post(format!("{}/revoke", c.a.url()))
        .form(&[("token", token.as_str()), ("client_id", "wl-demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let revoked = Instant::now();
    loop {
        if me(&c.b).await.unwrap().status() == 401 {
            break;
        }
        assert!(
            revoked.elapsed() < Duration::from_secs(1),
            "B still accepts the revoked token"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "scale: B refused the token {:?} after the revocation on A",
        revoked.elapsed()
    );
    assert_eq!(me(&c.a).await.unwrap().status(), 401);
    // B's hub closes the person's connection at its next heartbeat (4401).
    let closed = hub_b.closed().await;
    assert!(closed.contains("4401"), "{closed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_s_frame_budget_is_shared_by_their_connections_on_every_instance() {
    let c = Cluster::start().await;
    let token = c.token("alice", "wl.messenger");
    let (mut on_a, _) = Ws::hello(&c.a, &token).await;
    let (mut on_b, _) = Ws::hello(&c.b, &token).await;
    // 60 frames on each instance at once; the budget is 40 (burst) plus 20 a second.
    let started = Instant::now();
    for _ in 0..60 {
        on_a.send(json!({ "type": "ping" })).await;
        on_b.send(json!({ "type": "ping" })).await;
    }
    let mut pongs = 0;
    let mut limited = 0;
    for ws in [&mut on_a, &mut on_b] {
        for _ in 0..60 {
            let v = ws.next().await;
            match (v["type"].as_str(), v["code"].as_str()) {
                (Some("pong"), _) => pongs += 1,
                (Some("error"), Some("rate_limited")) => limited += 1,
                _ => panic!("unexpected {v}"),
            }
        }
    }
    let took = started.elapsed();
    let allowed = 40 + (20.0 * took.as_secs_f64()).ceil() as usize + 1;
    eprintln!("scale: {pongs} of 120 frames passed in {took:?} over two instances");
    assert!(
        pongs <= allowed && limited == 120 - pongs,
        "{pongs} passed (budget {allowed}), {limited} refused"
    );
}

/// A fresh sign-in page from `instance` (its CSRF token and `continue`).
async fn signin_page(instance: &Instance, app: &str) -> (Flow, String) {
    let flow = Flow {
        client: browser(),
        provider: instance.url(),
        client_id: app.into(),
        redirect_uri: APP_REDIRECT.into(),
        verifier: wl_server::crypto::random_secret("v-"),
        state: "s".into(),
        nonce: "n".into(),
    };
    let url = format!(
        "{}/authorize?response_type=code&client_id={app}&redirect_uri={}&scope=wl.basic&state=s&code_challenge={}&code_challenge_method=S256",
        instance.url(),
        percent(APP_REDIRECT),
        wl_server::identity::pkce::s256_challenge(&flow.verifier),
    );
    let page = flow.get(&url).await.text().await.unwrap();
    assert!(page.contains(r#"action="/signin""#), "{page}");
    (flow, page)
}

fn percent(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// An app registered with `wl-server apps add` before the instances start (the demo app's
/// redirect URI follows whichever instance started last).
const APP_REDIRECT: &str = "http://127.0.0.1:9/cb";

fn add_app(data: &std::path::Path, database: Option<&str>) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "apps",
        "add",
        "--name",
        "Scale",
        "--redirect-uri",
        APP_REDIRECT,
    ])
    .arg("--data-dir")
    .arg(data);
    if let Some(url) = database {
        cmd.args(["--database", url]);
    }
    let out = cmd.output().expect("apps add");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_failures_split_across_instances_lock_the_account_as_on_one() {
    let mut app = String::new();
    let c = Cluster::start_with(|d, db| app = add_app(d, db)).await;
    // Five wrong passwords, alternating A and B: three on A, two on B.
    let mut last = String::new();
    for i in 0..5 {
        let instance = if i % 2 == 0 { &c.a } else { &c.b };
        let (flow, page) = signin_page(instance, &app).await;
        let r = flow.sign_in(&page, "carol", "wrong").await;
        assert_eq!(r.status(), 401, "attempt {i}");
        last = r.text().await.unwrap();
    }
    assert!(
        last.contains("signin_throttled"),
        "the fifth failure locks: {last}"
    );
    // Locked on both, even with the right password.
    for instance in [&c.a, &c.b] {
        let (flow, page) = signin_page(instance, &app).await;
        let r = flow.sign_in(&page, "carol", "demo").await;
        assert_eq!(r.status(), 429, "locked on {}", instance.url());
        assert!(r.text().await.unwrap().contains("signin_throttled"));
    }
    // Another account is not locked.
    let (flow, page) = signin_page(&c.b, &app).await;
    let r = flow.sign_in(&page, "dave", "demo").await;
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_code_redeemed_at_both_instances_at_once_wins_once() {
    let mut app = String::new();
    let c = Cluster::start_with(|d, db| app = add_app(d, db)).await;
    for round in 0..3 {
        // Signed in on A; the request goes on at B with the same cookies (sessions and form
        // tokens live in the database, so any instance may answer).
        let (flow, page) = signin_page(&c.a, &app).await;
        let r = flow.sign_in(&page, "alice", "demo").await;
        assert_eq!(r.status(), 303);
        let next = location(&r);
        assert!(next.starts_with('/'), "{next}");
        let on_b = Flow {
            client: flow.client.clone(),
            provider: c.b.url(),
            client_id: flow.client_id.clone(),
            redirect_uri: flow.redirect_uri.clone(),
            verifier: flow.verifier.clone(),
            state: flow.state.clone(),
            nonce: flow.nonce.clone(),
        };
        let r = on_b.get(&next).await;
        // The first round asks for consent (decided on B); later rounds find the grant.
        let r = if r.status() == 200 {
            let page = r.text().await.unwrap();
            assert!(hidden(&page, "csrf").len() > 10, "consent page: {page}");
            on_b.decide(&page, "allow", true).await
        } else {
            r
        };
        assert!(r.status().is_redirection(), "{}", r.status());
        let code = crate::common::query(&location(&r))["code"].clone();
        let (ra, rb) = tokio::join!(flow.exchange(&code), on_b.exchange(&code));
        let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 400], "round {round}: exactly one wins");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_and_started_again_both_instances_recover() {
    let mut c = Cluster::start().await;
    let (alice_tok, bob_tok) = (
        c.token("alice", "wl.messenger wl.basic"),
        c.token("bob", "wl.messenger"),
    );
    let (mut alice_a, _) = Ws::hello(&c.a, &alice_tok).await;
    let (mut bob_b, welcome) = Ws::hello(&c.b, &bob_tok).await;
    let since = welcome["last_id"].as_i64().expect("last_id");
    c.redis.stop();
    c.a.wait_health("degraded").await;
    c.b.wait_health("degraded").await;
    let (status, _, body) = c.a.ready().await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        (&body["error"]["code"], &body["bus"], &body["database"]),
        (&json!("not_ready"), &json!("degraded"), &json!("ok"))
    );
    // The instance keeps serving what it can alone: the data API, its own connections.
    let me = reqwest::Client::new()
        .get(format!("{}/v1/me", c.a.url()))
        .bearer_auth(&alice_tok)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    alice_a
        .send(json!({ "type": "send", "to": BOB, "text": "while down", "client_id": "d1" }))
        .await;
    alice_a.until("sent").await;

    c.redis.run();
    c.a.wait_health("ok").await;
    c.b.wait_health("ok").await;
    // Both instances close their connections (1001) so clients reconnect and resync.
    for ws in [&mut alice_a, &mut bob_b] {
        let closed = ws.closed().await;
        // 1001 ("going away"), which the bar answers by reconnecting.
        assert!(
            closed.contains("Away") && closed.contains("reconnect to resync"),
            "{closed}"
        );
    }
    // Bob reconnects with `since`, as the bar does: what was sent while the bus was down
    // comes with the resync, and fan-out works again.
    let (mut bob_b, _, backlog) = Ws::hello_since(&c.b, &bob_tok, Some(since)).await;
    assert!(
        backlog.iter().any(|v| v["text"] == "while down"),
        "{backlog:?}"
    );
    let (mut alice_a, _) = Ws::hello(&c.a, &alice_tok).await;
    alice_a
        .send(json!({ "type": "send", "to": BOB, "text": "back", "client_id": "d2" }))
        .await;
    alice_a.until("sent").await;
    let got = bob_b
        .until_match(|v| v["type"] == "message" && v["text"] == "back")
        .await;
    assert_eq!(got["from"], ALICE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_bus_at_start_is_a_clear_error_and_exit_code() {
    let dir = TempDir::new();
    let out = Command::new(BIN)
        .args(["serve", "--site-port", "0", "--provider-port", "0"])
        .args(["--bus", &format!("redis://127.0.0.1:{}", free_port())])
        .arg("--data-dir")
        .arg(dir.0.join("data"))
        .env("RUST_LOG", "error")
        .output()
        .expect("run wl-server");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("bus_unreachable") && err.contains("redis://127.0.0.1:"),
        "{err}"
    );
    let out = Command::new(BIN)
        .args(["serve", "--bus", "http://127.0.0.1:6379"])
        .arg("--data-dir")
        .arg(dir.0.join("data"))
        .output()
        .expect("run wl-server");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bus_url_invalid"));
}

#[tokio::test]
async fn one_instance_is_ready_without_a_bus_and_names_no_instance() {
    let srv = crate::common::TestServer::start().await;
    let r = reqwest::get(format!("{}/readyz", srv.provider()))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("x-wl-instance").is_none());
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (&body["ready"], &body["bus"], &body["database"]),
        (&json!(true), &json!("none"), &json!("ok"))
    );
    let health = reqwest::get(format!("{}/healthz", srv.provider()))
        .await
        .unwrap();
    let health: Value = health.json().await.unwrap();
    assert_eq!(
        health,
        json!({ "status": "ok", "hub_connections": 0 }),
        "no instance name and no bus field without a bus"
    );
}

/// Issue 16 §1: a message POSTed over REST on A reaches bob's hub connection on B, and a status
/// PUT on A (where alice has no connection) reaches bob on B through alice's connection there.
#[tokio::test]
async fn rest_calls_on_one_instance_reach_hub_clients_on_the_other() {
    let c = Cluster::start().await;
    let (alice_tok, bob_tok) = (
        c.token("alice", "wl.messenger"),
        c.token("bob", "wl.messenger"),
    );
    let (mut alice_b, _) = Ws::hello(&c.b, &alice_tok).await;
    let (mut bob_b, _) = Ws::hello(&c.b, &bob_tok).await;
    let a = format!("http://127.0.0.1:{}", c.a.provider_port);
    let http = browser();
    let res = http
        .post(format!("{a}/v1/me/conversations/{BOB}/messages"))
        .bearer_auth(&alice_tok)
        .json(&json!({ "text": "from a back end on A" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.unwrap();
    let got = bob_b.until("message").await;
    assert_eq!(got["id"], m["id"]);
    assert_eq!(got["text"], "from a back end on A");
    assert_eq!(
        alice_b.until("message").await["id"],
        m["id"],
        "the sender's copy"
    );

    let res = http
        .put(format!("{a}/v1/me/presence"))
        .bearer_auth(&alice_tok)
        .json(&json!({ "status": "away" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v, json!({ "status": "away", "shown": "away" }));
    bob_b.until_match(|v| is_presence(v, ALICE, "away")).await;
}

/// The `here` frame among `frames` (the first), as a sorted list of ids.
fn here_of(frames: &[Value]) -> Vec<String> {
    let here = frames
        .iter()
        .find(|v| v["type"] == "here")
        .unwrap_or_else(|| panic!("a here frame in {frames:?}"));
    here_ids(here)
}

fn here_ids(v: &Value) -> Vec<String> {
    v["friends"]
        .as_array()
        .expect("friends")
        .iter()
        .map(|f| f.as_str().expect("an id").to_owned())
        .collect()
}

/// Issue 16 §2 across instances: a friend connected to the other instance from the same app
/// is "here now", at once and when they join later; appearing offline (set on the instance
/// where they have no connection) and closing their last connection take them off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn here_now_lists_friends_on_the_other_instance() {
    let c = Cluster::start().await;
    let (alice_tok, bob_tok) = (
        c.token("alice", "wl.messenger"),
        c.token("bob", "wl.messenger"),
    );
    let (mut alice_a, _) = Ws::hello(&c.a, &alice_tok).await;
    let (mut bob_b, _, backlog) = Ws::hello_since(&c.b, &bob_tok, None).await;
    // Bob's first list names alice when B has heard of her (from the bus event or, joining
    // later than it, from Redis); else the next one does.
    if here_of(&backlog).is_empty() {
        bob_b
            .until_match(|v| v["type"] == "here" && here_ids(v) == [ALICE])
            .await;
    } else {
        assert_eq!(here_of(&backlog), [ALICE]);
    }
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v) == [BOB])
        .await;

    // A third connection, alice's on B, joins after both: bob is listed at once, from B's own
    // registry; and a connection of alice's on A made now learns bob from what B published.
    let (_alice_b, _, backlog) = Ws::hello_since(&c.b, &alice_tok, None).await;
    assert_eq!(here_of(&backlog), [BOB]);
    let (_alice_a2, _, backlog) = Ws::hello_since(&c.a, &alice_tok, None).await;
    assert_eq!(here_of(&backlog), [BOB]);

    // Bob appears offline through REST on A, where he has no connection: his connection on B
    // follows, and alice's list on A empties.
    let a = format!("http://127.0.0.1:{}", c.a.provider_port);
    let http = browser();
    let put = |status: &'static str| {
        http.put(format!("{a}/v1/me/presence"))
            .bearer_auth(&bob_tok)
            .json(&json!({ "status": status }))
            .send()
    };
    assert_eq!(put("appear_offline").await.unwrap().status(), 200);
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v).is_empty())
        .await;
    assert_eq!(put("available").await.unwrap().status(), 200);
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v) == [BOB])
        .await;

    // Bob closes his only connection (on B): off alice's list on A.
    drop(bob_b);
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v).is_empty())
        .await;
}

/// The connected-apps setting "Let friends see I use …" chosen on one instance reaches the
/// person's hub connection on the other: bob, connected to B, hides the app on A's page, and
/// alice's list on A loses him (B stops publishing him as here); showing it again brings him
/// back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hiding_an_app_on_one_instance_hides_the_connection_on_the_other() {
    let mut app = String::new();
    let c = Cluster::start_with(|d, db| app = add_app(d, db)).await;
    let flow_on_a = |client_id: &str| Flow {
        client: browser(),
        provider: c.a.url(),
        client_id: client_id.into(),
        redirect_uri: APP_REDIRECT.into(),
        verifier: wl_server::crypto::random_secret("v-"),
        state: wl_server::crypto::random_hex(8),
        nonce: wl_server::crypto::random_hex(8),
    };
    // Both connect the same app through A (bob keeps his provider session for the page).
    let (alice, bob) = (flow_on_a(&app), flow_on_a(&app));
    let scope = "wl.basic wl.messenger";
    let alice_tok = alice.tokens("alice", scope, true).await["access_token"]
        .as_str()
        .expect("alice's token")
        .to_owned();
    let bob_tok = bob.tokens("bob", scope, true).await["access_token"]
        .as_str()
        .expect("bob's token")
        .to_owned();
    let (mut alice_a, _) = Ws::hello(&c.a, &alice_tok).await;
    let (_bob_b, _) = Ws::hello(&c.b, &bob_tok).await;
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v) == [BOB])
        .await;

    let set_visible = |visible: bool| {
        let bob = &bob;
        async move {
            let page = bob.get("/consent").await.text().await.unwrap();
            assert!(page.contains("Let friends see I use Scale"), "{page}");
            let (csrf, grant) = (hidden(&page, "csrf"), hidden(&page, "grant"));
            let mut form = vec![("csrf", csrf.as_str()), ("grant", grant.as_str())];
            if visible {
                form.push(("visible", "1"));
            }
            let res = bob.post_form("/consent/visibility", &form).await;
            assert_eq!(res.status(), 303);
        }
    };
    set_visible(false).await;
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v).is_empty())
        .await;
    set_visible(true).await;
    alice_a
        .until_match(|v| v["type"] == "here" && here_ids(v) == [BOB])
        .await;
}
