//! The usage statistics at scale (issue 15), in one process with a real provider on loopback:
//! `cargo run --release -p wl-server --example stats_bench -- [SECONDS] [EVENTS]`
//!
//! 1. Synthesizes `EVENTS` (default 1,000,000) events over 90 days for 100 apps, written as
//!    the rollups the flush would write (through `store::stats::flush`), plus a daily-actives
//!    sketch per app and day.
//! 2. Times the statistics page (`/developers/apps/{id}/stats`, the whole 90 days) for an
//!    owner signed in: 200 requests over the 100 apps, p50/p95, measured at the client (so an
//!    upper bound of the server's time).
//! 3. `GET /v1/me` under `wrk -t2 -c64` with counting on and off, alternated over 10 pairs of
//!    runs: req/s, and the provider's CPU time per request (user + system CPU seconds of this
//!    process, which runs the provider and nothing else while `wrk` runs, over the requests
//!    answered), each as the median of the pairs' ratios.
//! 4. What counting adds to one API call alone (the real middleware in-process, on vs off),
//!    as a share of a request's CPU time: the number the 2 % budget is checked on.
//!
//! It prints one line per result (`stats rollups:`, `stats page:`, `stats me:`, `stats cpu:`,
//! `stats count:`), which `cargo xtask bench --only stats` reads.
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

/// One `wrk` run: req/s and the number of requests answered.
fn wrk(provider: &str, token: &str, seconds: u64) -> (f64, f64) {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{seconds}s"), "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg(format!("{provider}/v1/me"))
        .output()
        .expect("wrk (cargo xtask bench installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "errors under load:\n{text}");
    let rate = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok());
    // "  123456 requests in 10.00s, 45.67MB read"
    let requests = text.lines().find_map(|l| {
        let (n, rest) = l.trim().split_once(' ')?;
        rest.starts_with("requests in").then(|| n.parse().ok())?
    });
    match (rate, requests) {
        (Some(r), Some(n)) => (r, n),
        _ => panic!("cannot read wrk output:\n{text}"),
    }
}

/// CPU seconds (user + system, every thread) this process has used so far, from
/// `/proc/self/stat` (fields 14 and 15, in clock ticks of 1/100 s: Linux's `USER_HZ`).
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat (Linux)");
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after = &stat[stat.rfind(')').expect("stat's comm") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state): utime is field 14, stime field 15.
    let ticks = |i: usize| -> f64 { fields[i - 3].parse().expect("a tick count") };
    (ticks(14) + ticks(15)) / 100.0
}

/// One `wrk` run with the provider's CPU time: (req/s, CPU microseconds per request). The
/// provider runs in this process, and while `wrk` runs this process does nothing else.
fn wrk_cpu(provider: &str, token: &str, seconds: u64) -> (f64, f64) {
    let cpu = process_cpu_seconds();
    let (rate, requests) = wrk(provider, token, seconds);
    let used = process_cpu_seconds() - cpu;
    (rate, used / requests * 1e6)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n.is_multiple_of(2) {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    } else {
        v[n / 2]
    }
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
    // Pairs of runs, off then on (then on then off, so drift cancels). Each run gives req/s
    // and the provider's CPU time per request (this process's user + system CPU seconds over
    // the requests wrk counted). On cores shared with other work, req/s moves with whatever
    // else runs (the pairs' ratios spread ±20 %); the CPU a request costs moves far less,
    // because time the provider waits for a core is not CPU it used.
    const PAIRS: usize = 10;
    let (mut on, mut off) = (Vec::new(), Vec::new());
    let (mut cpu_on, mut cpu_off) = (Vec::new(), Vec::new());
    let (mut rate_ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
    for pair in 0..PAIRS {
        let order = if pair % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        let mut r = [(0.0, 0.0); 2];
        for enabled in order {
            stats.set_enabled(enabled);
            r[usize::from(enabled)] = wrk_cpu(&provider, &token, seconds);
        }
        off.push(r[0].0);
        on.push(r[1].0);
        cpu_off.push(r[0].1);
        cpu_on.push(r[1].1);
        rate_ratios.push(r[1].0 / r[0].0);
        cpu_ratios.push(r[1].1 / r[0].1);
    }
    stats.set_enabled(true);
    let spread = |v: &[f64]| {
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
        (lo, hi)
    };
    let (rate_lo, rate_hi) = spread(&rate_ratios);
    let (cpu_lo, cpu_hi) = spread(&cpu_ratios);
    let rate_ratio = median(&mut rate_ratios);
    let cpu_ratio = median(&mut cpu_ratios);
    let (on, off) = (median(&mut on), median(&mut off));
    let (cpu_on, cpu_off) = (median(&mut cpu_on), median(&mut cpu_off));
    println!(
        "stats me: on {on:.0} req/s, off {off:.0} req/s, ratio {rate_ratio:.4}, overhead {:.2}% (median of {PAIRS} pairs; pair ratios {rate_lo:.3} to {rate_hi:.3})",
        (1.0 - rate_ratio) * 100.0,
    );
    println!(
        "stats cpu: on {cpu_on:.2} us, off {cpu_off:.2} us of CPU per request, ratio {cpu_ratio:.4}, overhead {:.2}% (median of {PAIRS} pairs; pair ratios {cpu_lo:.3} to {cpu_hi:.3})",
        (cpu_ratio - 1.0) * 100.0,
    );
    // What counting adds to one API call, alone: the real middleware (`stats::count_api`, its
    // caller slot and `api_call`) around a handler that only does what `Bearer` does for it,
    // called in-process without a network, counting on vs off in alternating rounds; the
    // difference per call, as a share of one real request's CPU time measured above with
    // counting off. (The req/s and CPU A/B above cannot resolve 2 % on a shared machine.)
    let token = std::sync::Arc::new(wl_server::identity::tokens::TokenInfo {
        grant_id: "g".into(),
        person_id: alice.clone(),
        client_id: "wl-demo".into(),
        scopes: wl_server::identity::scopes::ScopeSet::parse("wl.basic").unwrap(),
        expires_at: now + 3600,
    });
    let handler = {
        let token = token.clone();
        move |caller: Option<axum::Extension<wl_server::stats::Caller>>| {
            let token = token.clone();
            async move {
                if let Some(axum::Extension(c)) = caller {
                    c.set(&token);
                }
                "{}"
            }
        }
    };
    let app = axum::Router::new()
        .route("/v1/me", axum::routing::get(handler))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            wl_server::stats::count_api,
        ))
        .with_state(state.clone());
    let call = |app: axum::Router| async move {
        use tower::ServiceExt;
        let req = axum::http::Request::get("/v1/me")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    };
    const CALLS: u32 = 20_000;
    let mut diffs = Vec::new();
    for round in 0..PAIRS {
        let mut ns = [0.0f64; 2];
        let order = if round % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for enabled in order {
            stats.set_enabled(enabled);
            let t = Instant::now();
            for _ in 0..CALLS {
                call(app.clone()).await;
            }
            ns[usize::from(enabled)] = t.elapsed().as_secs_f64() * 1e9 / f64::from(CALLS);
        }
        diffs.push(ns[1] - ns[0]);
    }
    stats.set_enabled(true);
    let per_call = median(&mut diffs);
    println!(
        "stats count: {per_call:.0} ns per API call, {:.2}% of a request's {cpu_off:.2} us of CPU (median of {PAIRS} in-process rounds of {CALLS} calls, middleware on vs off)",
        per_call / 1e3 / cpu_off * 100.0
    );
    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
