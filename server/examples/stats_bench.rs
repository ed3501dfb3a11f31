//! The usage statistics at scale (issue 15), in one process with a real provider on loopback:
//! `cargo run --release -p wl-server --example stats_bench -- [SECONDS] [EVENTS]`
//!
//! 1. Synthesizes `EVENTS` (default 1,000,000) events over 90 days for 100 apps, written as
//!    the rollups the flush would write (through `store::stats::flush`), plus a daily-actives
//!    sketch per app and day.
//! 2. Times the statistics page (`/developers/apps/{id}/stats`, the whole 90 days) for an
//!    owner signed in: 200 requests over the 100 apps, p50/p95, measured at the client (so an
//!    upper bound of the server's time).
//! 3. `GET /v1/me` req/s under `wrk -t2 -c64` with counting on and off, alternated (off, on,
//!    off, on), and the overhead of counting.
//!
//! It prints one line per result (`stats rollups:`, `stats page:`, `stats me:`), which
//! `cargo xtask bench --only stats` reads.
#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use wl_server::stats::{Sketch, day_of, report::format_date};
use wl_server::store::stats::{Increment, SketchMerge};

const APPS: usize = 100;
const DAYS: i64 = 90;

/// Metrics and their weights in the synthetic mix.
const MIX: &[(&str, u32)] = &[
    ("api:GET /v1/me:2xx", 30),
    ("api:GET /v1/me/feed:2xx", 20),
    ("api:GET /v1/me/friends:2xx", 10),
    ("api:POST /v1/me/share:2xx", 4),
    ("api:GET /v1/me/contacts:4xx", 2),
    ("api:GET /v1/{id}:2xx", 6),
    ("api:GET /v1/me/feed:5xx", 1),
    ("error:insufficient_scope", 2),
    ("error:server_error", 1),
    ("signins", 8),
    ("consents", 3),
    ("revocations", 1),
    ("scope:wl.basic", 3),
    ("scope:wl.share", 2),
    ("activities", 4),
    ("shares", 3),
    ("clicks", 5),
    ("conversations", 1),
];

fn hidden(html: &str, name: &str) -> String {
    let needle = format!(r#"name="{name}" value=""#);
    let start = html.find(&needle).expect("field") + needle.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].replace("&amp;", "&")
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(i).copied().unwrap_or_default().as_secs_f64() * 1e3
}

fn wrk(provider: &str, token: &str, seconds: u64) -> f64 {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{seconds}s"), "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg(format!("{provider}/v1/me"))
        .output()
        .expect("wrk (cargo xtask bench installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "errors under load:\n{text}");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("cannot read wrk output:\n{text}"))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let events: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!(
        "wl-stats-bench-{}",
        wl_server::crypto::random_hex(6)
    ));
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    let running = wl_server::start(wl_server::Config {
        site_port: 0,
        provider_port: 0,
        data_dir: dir.join("data"),
        site_dirs: vec![site],
        db_connections: 4,
        ..Default::default()
    })
    .await
    .expect("server starts");
    let state = running.state.clone();
    let provider = running.provider_origin();
    let now = state.clock.now();
    let today = day_of(now);
    let alice = wl_server::store::seed::demo_person_id("alice");

    // 1. The rollups of EVENTS events.
    let t = Instant::now();
    let mut rng = rand::rngs::StdRng::seed_from_u64(15);
    let total_weight: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut rows = 0usize;
    for a in 0..APPS {
        let id = format!("bench-app-{a:03}");
        let name = format!("Bench app {a}");
        wl_server::store::apps::insert(
            &state.db,
            &id,
            &wl_server::store::apps::AppFields {
                name: &name,
                redirect_uris: &["https://bench.example/cb".into()],
                origins: &["https://bench.example".into()],
                ..Default::default()
            },
            None,
            Some(&alice),
            now,
        )
        .await
        .unwrap();
        // This app's share of the events, over its 90 days.
        let share = events / APPS as u64 + u64::from((a as u64) < events % APPS as u64);
        let mut counts = std::collections::BTreeMap::<(i64, &str), i64>::new();
        for _ in 0..share {
            let day = today - rng.gen_range(0..DAYS);
            let mut pick = rng.gen_range(0..total_weight);
            let metric = MIX
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .unwrap()
                .0;
            *counts.entry((day, metric)).or_default() += 1;
        }
        let increments: Vec<Increment> = counts
            .into_iter()
            .map(|((day, metric), n)| Increment {
                client_id: id.clone(),
                day,
                metric: metric.into(),
                n,
            })
            .collect();
        let sketches: Vec<SketchMerge> = (0..DAYS)
            .map(|d| {
                let mut s = Sketch::default();
                for _ in 0..rng.gen_range(20..400) {
                    s.add(rng.r#gen());
                }
                SketchMerge {
                    client_id: id.clone(),
                    day: today - d,
                    sketch: s.0,
                }
            })
            .collect();
        rows += increments.len() + sketches.len();
        wl_server::store::stats::flush(&state.db, &increments, &sketches)
            .await
            .unwrap();
    }
    println!(
        "stats rollups: {rows} rows for {events} events, {APPS} apps, {DAYS} days, written in {:.1}s",
        t.elapsed().as_secs_f64()
    );

    // 2. The page, for its owner.
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = format!("{provider}/developers/apps/bench-app-000/stats");
    let page = client
        .get(&first)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = client
        .post(format!("{provider}/signin"))
        .form(&[
            ("csrf", hidden(&page, "csrf")),
            ("continue", hidden(&page, "continue")),
            ("username", "alice".into()),
            ("password", "demo".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in");
    let q = format!(
        "?from={}&to={}",
        format_date(today - DAYS + 1),
        format_date(today)
    );
    let mut times = Vec::new();
    let mut bytes = 0;
    for i in 0..220 {
        let url = format!(
            "{provider}/developers/apps/bench-app-{:03}/stats{q}",
            i % APPS
        );
        let t = Instant::now();
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.bytes().await.unwrap();
        let took = t.elapsed();
        bytes = body.len();
        // The first 20 warm up (connections, caches).
        if i >= 20 {
            times.push(took);
        }
    }
    times.sort();
    println!(
        "stats page: p50 {:.2}ms, p95 {:.2}ms over {} requests ({DAYS} days, {bytes} bytes)",
        pct(&times, 0.50),
        pct(&times, 0.95),
        times.len()
    );

    // 3. /v1/me with counting on and off, alternated.
    let token =
        wl_server::identity::tokens::dev_token(&state.tokens, "alice", "wl-demo", "wl.basic")
            .await
            .unwrap();
    let stats = state.tokens.stats.clone();
    stats.set_enabled(true);
    let _ = wrk(&provider, &token, 2);
    // Pairs of runs, off then on (then on then off, so drift cancels); the median of the
    // pairs' ratios resists the noise of cores shared with other work.
    let (mut on, mut off, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for pair in 0..8 {
        let order = if pair % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        let mut r = [0.0; 2];
        for enabled in order {
            stats.set_enabled(enabled);
            r[usize::from(enabled)] = wrk(&provider, &token, seconds);
        }
        off.push(r[0]);
        on.push(r[1]);
        ratios.push(r[1] / r[0]);
    }
    stats.set_enabled(true);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    ratios.sort_by(f64::total_cmp);
    let ratio = (ratios[3] + ratios[4]) / 2.0;
    let (on, off) = (mean(&on), mean(&off));
    println!(
        "stats me: on {on:.0} req/s, off {off:.0} req/s, ratio {ratio:.4}, overhead {:.2}% (median of 8 pairs; pair ratios {:.3} to {:.3})",
        (1.0 - ratio) * 100.0,
        ratios[0],
        ratios[7]
    );
    // The cost of counting one API call, alone (what the req/s above cannot resolve from the
    // noise of shared cores): the share of one request's CPU time at the measured rate.
    let info = wl_server::identity::tokens::TokenInfo {
        grant_id: "g".into(),
        person_id: alice.clone(),
        client_id: "wl-demo".into(),
        scopes: wl_server::identity::scopes::ScopeSet::parse("wl.basic").unwrap(),
        expires_at: now + 3600,
    };
    let local = wl_server::stats::Stats::new(b"bench");
    let n = 1_000_000u32;
    let t = Instant::now();
    for _ in 0..n {
        local.api_call(&info, "GET", "/v1/me", 200, None, now);
    }
    let per_call = t.elapsed().as_secs_f64() / f64::from(n);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get()) as f64;
    println!(
        "stats count: {:.0} ns per API call, {:.2}% of a request's CPU at {off:.0} req/s on {cores} cores",
        per_call * 1e9,
        per_call * off / cores * 100.0
    );
    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
