//! The messenger hub under 1,000 WebSocket clients, and the bar module's bytes (issue 7).
//!
//! - Load: the provider's `hub_bench` example (tokio + WebSockets; xtask has no async runtime)
//!   opens 1,000 connections spread over the demo people and has each send messages to friends;
//!   it prints messages stored per second and the delivery latency (send → a recipient's
//!   connection), p50 and p99.
//! - Bytes: `pkg/wl_bar.js` + `pkg/wl_bar_bg.wasm`, gzip -9.
//! - Proof the bar is not in a sign-in-only page's load: headless Chromium loads the sign-in
//!   demo page with a network log (`--log-net-log`), and every URL it requested is listed; the
//!   messenger demo page is loaded the same way as the control (there the bar must appear).

use super::{Ctx, Row};
use crate::util::{Error, Result, which};
use serde_json::Value;
use std::process::Command;

/// The provider's hub limits for this load: 1,000 clients over the 57 demo people is about 18
/// connections a person, each sending up to 5 messages a second (about 90 frames a second per
/// person), past the per-person defaults (8 connections, 20 frames a second, issue 13), so the
/// bench's server raises them; the defaults are tested in `server/tests/it/limits.rs`.
pub const SERVE_ARGS: &[&str] = &[
    "--hub-conns-per-person",
    "32",
    "--hub-frames-per-sec",
    "200",
];

/// Concurrent WebSocket clients.
const CLIENTS: usize = 1000;
/// Messages a second each client sends: a steady load (1,000 msg/s in all), then a heavy one
/// (5,000 msg/s, each fanned out to about 17 recipient and 16 sender connections).
const RATES: &[&str] = &["1", "5"];

/// This section's rows.
pub fn measure(ctx: &Ctx) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for rate in RATES {
        rows.extend(load(ctx, rate)?);
    }
    rows.extend(not_in_signin_page(ctx));
    Ok(rows)
}

fn load(ctx: &Ctx, rate: &str) -> Result<Vec<Row>> {
    let (seconds, clients) = (ctx.seconds.to_string(), CLIENTS.to_string());
    let (provider, data) = (ctx.provider, ctx.data.to_string_lossy());
    let line = super::example_line(
        "hub_bench",
        &[provider, &data, &seconds, &clients, rate],
        "hub: ",
    )?;
    // "hub: N clients (P people) connected in Xs; messages: M in Ts = R/s, deliveries D = Q/s,
    //  p50 Ams, p99 Bms, errors E"
    let after = |key: &str| -> String {
        line.split(key)
            .nth(1)
            .and_then(|r| r.split([',', ' ', ';']).find(|w| !w.is_empty()))
            .unwrap_or("?")
            .to_string()
    };
    let stored = after(" = ");
    let deliveries = line
        .split("deliveries ")
        .nth(1)
        .and_then(|r| r.split(" = ").nth(1))
        .and_then(|r| r.split(',').next())
        .unwrap_or("?")
        .to_string();
    let errors = after("errors ");
    Ok(vec![
        Row {
            what: format!(
                "messenger hub: {CLIENTS} concurrent WebSocket clients ({} people, connected in {}), {rate} msg/s each",
                after("clients (").trim_end_matches(')'),
                after("connected in ")
            ),
            value: format!(
                "{} messages/s stored, {deliveries} deliveries, {errors} errors",
                stored.trim_end_matches("/s")
            ),
            budget: None,
        },
        Row {
            what: format!(
                "hub delivery latency p50 / p99 at {rate} msg/s per client (sender's timestamp → recipient's connection)"
            ),
            value: format!("{} / {}", after("p50 "), after("p99 ")),
            budget: None,
        },
    ])
}

/// The sign-in demo page's requests (no `wl_bar`), and the messenger page's as the control.
fn not_in_signin_page(ctx: &Ctx) -> Vec<Row> {
    let signin = format!("{}/demo/", ctx.site);
    let messenger = format!("{}/demo/messenger.html", ctx.site);
    let fetched = |url: &str| requested(url, ctx.site);
    let (signin_urls, messenger_urls) = match (fetched(&signin), fetched(&messenger)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            return vec![Row {
                what: "`<wl-bar>` not in a sign-in-only page's load".into(),
                value: format!("not measured: {}", e.0),
                budget: None,
            }];
        }
    };
    let has_bar = |urls: &[String]| urls.iter().any(|u| u.contains("wl_bar"));
    let names = |urls: &[String]| {
        urls.iter()
            .map(|u| u.strip_prefix(ctx.site).unwrap_or(u).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        Row {
            what: "sign-in demo page (`/demo/`) requests, headless Chromium net log".into(),
            value: format!(
                "{} requests: {}; `wl_bar`: {}",
                signin_urls.len(),
                names(&signin_urls),
                if has_bar(&signin_urls) {
                    "fetched"
                } else {
                    "none"
                }
            ),
            budget: Some(("no `wl_bar`".into(), !has_bar(&signin_urls))),
        },
        Row {
            what: "control: `/demo/messenger.html` (has `<wl-bar>`) fetches the bar".into(),
            value: if has_bar(&messenger_urls) {
                "yes".into()
            } else {
                format!("no (requests: {})", names(&messenger_urls))
            },
            budget: Some(("fetched".into(), has_bar(&messenger_urls))),
        },
    ]
}

/// Every URL on `origin` a fresh headless Chromium requested while loading `page`.
fn requested(page: &str, origin: &str) -> Result<Vec<String>> {
    let chrome = std::env::var("CHROME")
        .ok()
        .map(Into::into)
        .or_else(|| which("chromium"))
        .ok_or_else(|| Error("chromium is missing".into()))?;
    let dir = super::tempdir(&format!("wl-bench-netlog-{}", page.len()))?;
    let log = dir.join("net.json");
    let file = crate::util::root().join("webdriver.json");
    let flags: Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
    let shared: Vec<String> = flags["goog:chromeOptions"]["args"]
        .as_array()
        .ok_or_else(|| Error(format!("{} has no goog:chromeOptions.args", file.display())))?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let out = Command::new(chrome)
        .args(["--headless", "--no-sandbox"])
        .args(&shared)
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--log-net-log={}", log.display()))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(page)
        .output()?;
    if !out.status.success() {
        return Err(Error(format!(
            "chromium failed on {page}: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let text = std::fs::read_to_string(&log)?;
    let _ = std::fs::remove_dir_all(&dir);
    let mut urls = Vec::new();
    // The net log is JSON; Chromium may leave it without its closing brackets, so the URLs are
    // read from the text: every `"url":"…"` on the origin, first sight only.
    for piece in text.split("\"url\":\"").skip(1) {
        let url = piece.split('"').next().unwrap_or("");
        // `{origin}/` alone is the connection's pool entry, not a request.
        let pool = url.strip_prefix(origin) == Some("/");
        if url.starts_with(origin) && !pool && !urls.iter().any(|u| u == url) {
            urls.push(url.to_string());
        }
    }
    if urls.is_empty() {
        return Err(Error(format!("the net log of {page} names no request")));
    }
    Ok(urls)
}
