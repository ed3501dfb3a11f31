//! A soak of the messenger hub against a running `wl-server` (issue 13, "Hub soak"):
//! `cargo run --release -p wl-server --example hub_soak -- PROVIDER_ORIGIN DATA_DIR SECONDS CLIENTS PID`
//!
//! `CLIENTS` WebSocket connections spread over the demo people in `DATA_DIR` (several per person,
//! as tabs are) for `SECONDS`. Each connection lives for a random 20–60 s, then closes and comes
//! back 0.5–2 s later with `hello.since` (presence churn: a person whose last tab closes goes
//! offline and comes back); while connected it sends a message to one of its person's friends
//! every 5 s and now and then changes its presence. At the end sending stops, every connection
//! comes back and catches up, and the tally is taken:
//! - **lost**: messages the hub acknowledged (`sent`) that no connection of the recipient ever
//!   received, live or replayed after a reconnect;
//! - **latency**: send → a recipient's connection, live deliveries only, p50 and p99;
//! - **memory**: the provider's resident set (`VmRSS` of `PID`) every 10 s; its growth after the
//!   first minute.
//!
//! Prints one `soak: …` line.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

/// Every connection's observations, shared.
#[derive(Default)]
struct Tally {
    /// Acknowledged message id → its recipient person.
    acked: HashMap<i64, String>,
    /// (recipient person, message id) seen by any of that person's connections.
    received: HashSet<(String, i64)>,
    latencies_us: Vec<u64>,
    replayed: u64,
    sent: u64,
    errors: u64,
    reconnects: u64,
    presence_changes: u64,
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// A small deterministic generator (xorshift), one per connection.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

struct Shared {
    url: String,
    epoch: Instant,
    /// Sending stops at this many µs after `epoch`.
    send_until: AtomicU64,
    /// Set when every connection should come back, catch up and stay.
    settling: AtomicBool,
    connecting: Semaphore,
    tally: Mutex<Tally>,
}

/// One tab: connects, chats, leaves, comes back, until the soak settles.
async fn tab(s: Arc<Shared>, token: String, seed: u64) {
    let mut rng = Rng(seed | 1);
    let mut since: i64 = 0;
    let mut first = true;
    loop {
        let permit = s.connecting.acquire().await.unwrap();
        let Ok((ws, _)) = connect_async(&s.url).await else {
            drop(permit);
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        };
        let (mut tx, mut rx) = ws.split();
        let mut hello = json!({ "type": "hello", "v": 1, "token": token });
        if since > 0 {
            hello["since"] = json!(since);
        }
        tx.send(Message::Text(hello.to_string().into())).await.ok();
        let (mut me, mut friends) = (String::new(), Vec::<String>::new());
        // Until `synced`: the welcome and any replayed messages.
        while let Some(Ok(m)) = rx.next().await {
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(&t).unwrap();
            match v["type"].as_str() {
                Some("welcome") => (me, friends) = support::welcome(&v),
                Some("message") => {
                    let id = v["id"].as_i64().unwrap_or(0);
                    since = since.max(id);
                    if v["to"] == me.as_str() {
                        let mut t = s.tally.lock().unwrap();
                        t.received.insert((me.clone(), id));
                        t.replayed += 1;
                    }
                }
                Some("synced") => {
                    since = since.max(v["last_id"].as_i64().unwrap_or(0));
                    break;
                }
                Some("error") => {
                    s.tally.lock().unwrap().errors += 1;
                    break;
                }
                _ => {}
            }
        }
        drop(permit);
        if !first {
            s.tally.lock().unwrap().reconnects += 1;
        }
        first = false;
        let settling = s.settling.load(Ordering::Relaxed);
        let stay = if settling {
            Duration::from_secs(8)
        } else {
            Duration::from_secs(rng.between(20, 60))
        };
        let leave_at = tokio::time::Instant::now() + stay;
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        tick.tick().await;
        let mut n = 0u64;
        let mut pending: HashMap<String, String> = HashMap::new();
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(leave_at) => break,
                _ = tick.tick() => {
                    let now = s.epoch.elapsed().as_micros() as u64;
                    if now < s.send_until.load(Ordering::Relaxed) && !friends.is_empty() {
                        n += 1;
                        let to = friends[(rng.next() % friends.len() as u64) as usize].clone();
                        let cid = format!("{seed}-{n}");
                        pending.insert(cid.clone(), to.clone());
                        let frame = json!({ "type": "send", "to": to, "text": now.to_string(), "client_id": cid });
                        if tx.send(Message::Text(frame.to_string().into())).await.is_err() { break; }
                        s.tally.lock().unwrap().sent += 1;
                        if rng.next().is_multiple_of(4) {
                            let p = ["available", "busy", "away"][(rng.next() % 3) as usize];
                            let frame = json!({ "type": "presence", "status": p });
                            if tx.send(Message::Text(frame.to_string().into())).await.is_err() { break; }
                            s.tally.lock().unwrap().presence_changes += 1;
                        }
                    }
                }
                m = rx.next() => {
                    let Some(Ok(m)) = m else { break };
                    let Message::Text(t) = m else { continue };
                    let v: Value = serde_json::from_str(&t).unwrap();
                    match v["type"].as_str() {
                        Some("sent") => {
                            let id = v["id"].as_i64().unwrap_or(0);
                            if let Some(to) = v["client_id"].as_str().and_then(|c| pending.remove(c)) {
                                s.tally.lock().unwrap().acked.insert(id, to);
                            }
                        }
                        Some("message") => {
                            let id = v["id"].as_i64().unwrap_or(0);
                            since = since.max(id);
                            if v["to"] == me.as_str() {
                                let at: u64 = v["text"].as_str().and_then(|t| t.parse().ok()).unwrap_or(0);
                                let now = s.epoch.elapsed().as_micros() as u64;
                                let mut t = s.tally.lock().unwrap();
                                t.received.insert((me.clone(), id));
                                t.latencies_us.push(now.saturating_sub(at));
                            }
                        }
                        Some("error") => s.tally.lock().unwrap().errors += 1,
                        _ => {}
                    }
                }
            }
        }
        let _ = tx.send(Message::Close(None)).await;
        if settling {
            return;
        }
        tokio::time::sleep(Duration::from_millis(rng.between(500, 2000))).await;
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(provider), Some(data_dir), Some(secs), Some(clients), Some(pid)) = (
        args.get(1),
        args.get(2),
        args.get(3).and_then(|s| s.parse::<u64>().ok()),
        args.get(4).and_then(|s| s.parse::<usize>().ok()),
        args.get(5).and_then(|s| s.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: hub_soak PROVIDER_ORIGIN DATA_DIR SECONDS CLIENTS PID");
        std::process::exit(2);
    };
    let tokens = support::messenger_tokens(provider, data_dir).await;
    let s = Arc::new(Shared {
        url: format!("{}/v1/hub", provider.replacen("http", "ws", 1)),
        epoch: Instant::now(),
        send_until: AtomicU64::new(secs * 1_000_000),
        settling: AtomicBool::new(false),
        connecting: Semaphore::new(64),
        tally: Mutex::new(Tally::default()),
    });
    let tabs: Vec<_> = (0..clients)
        .map(|i| {
            tokio::spawn(tab(
                s.clone(),
                tokens[i % tokens.len()].clone(),
                0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1),
            ))
        })
        .collect();
    // Memory every 10 s while the soak runs.
    let mut rss = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        tokio::time::sleep(
            Duration::from_secs(10).min(Duration::from_secs(secs).saturating_sub(start.elapsed())),
        )
        .await;
        rss.push((start.elapsed().as_secs(), rss_kb(pid)));
    }
    // Sending has stopped: let the last answers arrive, then every tab comes back once more
    // (with `since`), catches up and leaves.
    tokio::time::sleep(Duration::from_secs(3)).await;
    s.settling.store(true, Ordering::Relaxed);
    for t in tabs {
        let _ = tokio::time::timeout(Duration::from_secs(120), t).await;
    }
    let t = s.tally.lock().unwrap();
    let lost = t
        .acked
        .iter()
        .filter(|(id, to)| !t.received.contains(&((*to).clone(), **id)))
        .count();
    let mut lat = t.latencies_us.clone();
    lat.sort_unstable();
    let pct = |p: f64| support::quantile_ms(&lat, p);
    let after_minute: Vec<u64> = rss
        .iter()
        .filter(|(at, _)| *at >= 60)
        .map(|(_, kb)| *kb)
        .collect();
    let base = after_minute.first().copied().unwrap_or(0);
    let max = after_minute.iter().copied().max().unwrap_or(0);
    let end = rss.last().map(|(_, kb)| *kb).unwrap_or(0);
    let growth = if base > 0 {
        (max as f64 - base as f64) / base as f64 * 100.0
    } else {
        0.0
    };
    println!(
        "soak: {clients} clients ({} people) for {secs}s; messages sent {}, acknowledged {}, lost {lost}; live deliveries {}, p50 {:.2}ms, p99 {:.2}ms; replayed after reconnect {}; reconnects {}, presence changes {}, errors {}; rss at 1 min {base} kB, max after {max} kB, end {end} kB, growth {growth:.1}%; samples {}",
        tokens.len(),
        t.sent,
        t.acked.len(),
        lat.len(),
        pct(0.50),
        pct(0.99),
        t.replayed,
        t.reconnects,
        t.presence_changes,
        t.errors,
        rss.iter()
            .map(|(at, kb)| format!("{at}s={kb}"))
            .collect::<Vec<_>>()
            .join(","),
    );
}
