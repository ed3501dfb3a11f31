//! Load for the messenger hub against a running `wl-server`:
//! `cargo run --release -p wl-server --example hub_bench -- PROVIDER_ORIGIN DATA_DIR [SECONDS] [CLIENTS] [RATE]`
//!
//! `PROVIDER_ORIGIN` may name several instances of one scaled-out provider, comma-separated
//! (their own origins, not the balancer's): connection `i` goes to instance `i mod n`, and the
//! deliveries whose sender was on another instance than the receiving connection are also
//! counted apart (the cross-instance latency, through the bus).
//!
//! Mints a `wl.messenger` token for every demo person in `DATA_DIR` (the server's data folder),
//! opens `CLIENTS` WebSocket connections spread over them (several per person, as tabs are),
//! says hello on each, then every connection sends `RATE` messages a second to its person's
//! friends in turn for `SECONDS`. Each text carries the sender's send time; every copy that
//! reaches a recipient's connection gives one delivery latency. Prints messages stored per
//! second (`sent` answers), deliveries per second, and p50/p99 delivery latency.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{Barrier, Semaphore};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

/// What one connection saw.
#[derive(Default)]
struct Tally {
    sent: u64,
    latencies_us: Vec<u64>,
    /// The deliveries whose sender was on another instance.
    cross_us: Vec<u64>,
    errors: u64,
}

#[allow(clippy::too_many_arguments)]
async fn client(
    url: String,
    instance: usize,
    token: String,
    connecting: Arc<Semaphore>,
    ready: Arc<Barrier>,
    epoch: Instant,
    until: Arc<AtomicU64>,
    rate: f64,
    offset: Duration,
) -> Tally {
    let permit = connecting.acquire().await.unwrap();
    let (ws, _) = connect_async(&url).await.expect("connect");
    let (mut tx, mut rx) = ws.split();
    tx.send(Message::Text(
        json!({ "type": "hello", "v": 1, "token": token })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let mut me = String::new();
    let mut friends = Vec::new();
    while let Some(Ok(m)) = rx.next().await {
        let Message::Text(t) = m else { continue };
        let v: Value = serde_json::from_str(&t).unwrap();
        match v["type"].as_str() {
            Some("welcome") => (me, friends) = support::welcome(&v),
            Some("synced") => break,
            Some("error") => panic!("hello refused: {v}"),
            _ => {}
        }
    }
    drop(permit);
    ready.wait().await;

    let reader = tokio::spawn(async move {
        let mut t = Tally::default();
        while let Some(Ok(m)) = rx.next().await {
            let Message::Text(text) = m else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            match v["type"].as_str() {
                Some("sent") => t.sent += 1,
                Some("message") if v["to"] == me.as_str() => {
                    // "<send time, µs>:<sender's instance>"
                    let (at, from) = v["text"].as_str().unwrap().split_once(':').unwrap();
                    let at: u64 = at.parse().unwrap();
                    let now = epoch.elapsed().as_micros() as u64;
                    t.latencies_us.push(now.saturating_sub(at));
                    if from.parse::<usize>().unwrap() != instance {
                        t.cross_us.push(now.saturating_sub(at));
                    }
                }
                Some("error") => t.errors += 1,
                _ => {}
            }
        }
        t
    });
    let period = Duration::from_secs_f64(1.0 / rate);
    tokio::time::sleep(offset).await;
    let mut tick = tokio::time::interval(period);
    let mut n = 0usize;
    loop {
        tick.tick().await;
        let now = epoch.elapsed().as_micros() as u64;
        if now >= until.load(Ordering::Relaxed) {
            break;
        }
        let to = &friends[n % friends.len()];
        n += 1;
        let frame = json!({ "type": "send", "to": to, "text": format!("{now}:{instance}"), "client_id": n.to_string() });
        if tx
            .send(Message::Text(frame.to_string().into()))
            .await
            .is_err()
        {
            break;
        }
    }
    // Let the last answers arrive, then close.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = tx.send(Message::Close(None)).await;
    tokio::time::timeout(Duration::from_secs(5), reader)
        .await
        .map(|r| r.unwrap())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(provider), Some(data_dir)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: hub_bench PROVIDER_ORIGIN DATA_DIR [SECONDS] [CLIENTS] [RATE]");
        std::process::exit(2);
    };
    let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let clients: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let rate: f64 = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let origins: Vec<&str> = provider.split(',').collect();
    let tokens = {
        let (p, d) = (origins[0].to_owned(), data_dir.clone());
        support::messenger_tokens(&p, &d).await
    };
    let urls: Vec<String> = origins
        .iter()
        .map(|o| format!("{}/v1/hub", o.replacen("http", "ws", 1)))
        .collect();
    let epoch = Instant::now();
    let until = Arc::new(AtomicU64::new(u64::MAX));
    let ready = Arc::new(Barrier::new(clients + 1));
    let connecting = Arc::new(Semaphore::new(64));
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let offset = Duration::from_secs_f64(i as f64 / clients as f64 / rate);
            tokio::spawn(client(
                urls[i % urls.len()].clone(),
                i % urls.len(),
                tokens[i % tokens.len()].clone(),
                connecting.clone(),
                ready.clone(),
                epoch,
                until.clone(),
                rate,
                offset,
            ))
        })
        .collect();
    ready.wait().await;
    let connected_in = epoch.elapsed();
    let start = Instant::now();
    until.store(
        (epoch.elapsed() + Duration::from_secs(secs)).as_micros() as u64,
        Ordering::Relaxed,
    );
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await.unwrap();
        all.sent += t.sent;
        all.errors += t.errors;
        all.latencies_us.extend(t.latencies_us);
        all.cross_us.extend(t.cross_us);
    }
    let elapsed = (start.elapsed() - Duration::from_secs(2)).as_secs_f64();
    let mut lat = all.latencies_us;
    lat.sort_unstable();
    let pct = |p: f64| support::quantile_ms(&lat, p);
    let mut cross = all.cross_us;
    cross.sort_unstable();
    let across = if urls.len() > 1 {
        format!(
            "; over {} instances, cross-instance deliveries {} p50 {:.2}ms, p99 {:.2}ms",
            urls.len(),
            cross.len(),
            support::quantile_ms(&cross, 0.50),
            support::quantile_ms(&cross, 0.99)
        )
    } else {
        String::new()
    };
    println!(
        "hub: {clients} clients ({} people) connected in {:.2}s; messages: {} in {elapsed:.1}s = {:.0}/s, deliveries {} = {:.0}/s, p50 {:.2}ms, p99 {:.2}ms, errors {}{across}",
        tokens.len(),
        connected_in.as_secs_f64(),
        all.sent,
        all.sent as f64 / elapsed,
        lat.len(),
        lat.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        all.errors
    );
}
