//! Load (issue 13, reliability): `wrk -t2 -c256` for `--load-seconds` (default 60) each against
//! - `GET /v1/me` with a real access token (validated on every request);
//! - a query of a person with 10,000 contacts (the contacts section's `$filter` + `$orderby`
//!   + `$top=50`);
//! - the anchor: the userinfo endpoint of panva's `oidc-provider` 9.13.3 (OpenID-certified,
//!   from npm; `tests/oidc-provider/server.js`, the end-to-end tests' setup) with an access
//!   token of its own, got over HTTP by the authorization-code flow with PKCE
//!   (`tests/oidc-provider/bench-token.js`).
//!
//! Our provider is a fresh one (release build, its own data folder, `wl-server seed-contacts`
//! for alice); each row reports requests per second, latency p50 / p99 / max, non-2xx answers
//! and socket errors, and the provider's resident memory (`VmRSS` from `/proc`) before the
//! first run and after each. Budgets: 0 non-2xx and 0 socket errors on our endpoints.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use wl_e2e::process::GroupChild;

use super::contacts::{CONTACTS, QUERY};
use super::{Ctx, Row};
use crate::provider::Provider;
use crate::tools;
use crate::util::{self, Error, Result};

/// Connections held open by wrk.
pub(super) const CONNECTIONS: u32 = 256;

/// What one wrk run measured.
pub(super) struct Wrk {
    pub(super) rps: f64,
    pub(super) p50: String,
    pub(super) p99: String,
    max: String,
    pub(super) non_2xx: u64,
    pub(super) socket_errors: u64,
    socket_detail: String,
    pub(super) requests: u64,
}

impl Wrk {
    /// Reads wrk's `--latency` report.
    fn parse(text: &str) -> Result<Self> {
        let rps = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or_else(|| Error(format!("cannot read wrk output:\n{text}")))?;
        let field = |first: &str, index: usize| -> String {
            text.lines()
                .find_map(|l| {
                    let words: Vec<&str> = l.split_whitespace().collect();
                    (words.first() == Some(&first))
                        .then(|| words.get(index).map(|w| (*w).to_owned()))
                        .flatten()
                })
                .unwrap_or_else(|| "?".into())
        };
        // `    Latency   112.30ms  140.26ms   1.89s    92.88%`: avg, stdev, max.
        let max = field("Latency", 3);
        let non_2xx = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        // `  Socket errors: connect 0, read 0, write 0, timeout 30`
        let socket_detail = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Socket errors:"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default();
        let socket_errors = socket_detail
            .split(',')
            .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum();
        let requests = text
            .lines()
            .find_map(|l| {
                let (n, rest) = l.trim().split_once(' ')?;
                rest.starts_with("requests in").then(|| n.parse().ok())?
            })
            .unwrap_or(0);
        Ok(Wrk {
            rps,
            p50: field("50%", 1),
            p99: field("99%", 1),
            max,
            non_2xx,
            socket_errors,
            socket_detail,
            requests,
        })
    }

    pub(super) fn errors(&self) -> String {
        let sockets = if self.socket_detail.is_empty() {
            "0 socket errors".to_owned()
        } else {
            format!(
                "{} socket errors ({})",
                self.socket_errors, self.socket_detail
            )
        };
        format!("{} non-2xx, {sockets}", self.non_2xx)
    }
}

/// `GET url` with the bearer token: the status and the body.
pub(super) fn get_with_bearer(url: &str, token: &str) -> Result<(u16, String)> {
    super::block_on(async {
        let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
        let request = http::Request::get(url)
            .header("Authorization", format!("Bearer {token}"))
            .body(Empty::new())?;
        let response = tokio::time::timeout(Duration::from_secs(10), client.request(request))
            .await
            .map_err(|_| Error(format!("GET {url}: no answer in 10 s")))?
            .map_err(|e| Error(format!("GET {url}: {e}")))?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    })?
}

/// `wrk -t2 -c256 -d{seconds}s --latency` with the bearer token.
pub(super) fn wrk(url: &str, token: &str, seconds: u64) -> Result<Wrk> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{CONNECTIONS}"),
        "--latency",
        "--timeout",
        "5s",
    ])
    .arg(format!("-d{seconds}s"))
    .arg("-H")
    .arg(format!("Authorization: Bearer {token}"))
    .arg(url);
    println!(
        "xtask: $ wrk -t2 -c{CONNECTIONS} --latency --timeout 5s -d{seconds}s -H 'Authorization: Bearer …' {url}"
    );
    let out = cmd.output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{text}");
    if !out.status.success() {
        return Err(Error(format!(
            "wrk failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    // Let the last connections close before the next measure.
    std::thread::sleep(Duration::from_millis(500));
    Wrk::parse(&text)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The rows of one endpoint's run.
fn rows(what: &str, w: &Wrk, seconds: u64, ours: bool, extra: &str) -> Vec<Row> {
    let clean = w.non_2xx == 0 && w.socket_errors == 0;
    vec![
        Row {
            what: format!("{what}, wrk -t2 -c{CONNECTIONS} for {seconds} s"),
            value: format!(
                "{:.0} req/s ({} requests); latency p50 {} / p99 {} / max {}{extra}",
                w.rps, w.requests, w.p50, w.p99, w.max
            ),
            budget: None,
        },
        Row {
            what: format!("{what}: errors under load"),
            value: w.errors(),
            budget: ours.then(|| ("0 non-2xx, 0 socket errors".to_owned(), clean)),
        },
    ]
}

/// This section's rows.
pub fn measure(ctx: &Ctx, seconds: u64) -> Result<Vec<Row>> {
    let mut provider = Provider::start(ctx.server_bin, "bench-load")?;
    let (added, token) =
        crate::provider::alice_with_contacts(ctx.server_bin, &provider.data_dir(), CONTACTS)?;
    let me = format!("{}/v1/me", provider.origin);
    let query = format!("{}{QUERY}", provider.origin);
    // One request each first: a wrong URL or token fails here, not as a run of non-2xx.
    for url in [&me, &query] {
        let (status, body) = get_with_bearer(url, &token)?;
        if status != 200 {
            return Err(Error(format!("GET {url}: {status} {body}")));
        }
    }
    let before = provider.rss_kib()?;
    let mut out = Vec::new();
    let w = wrk(&me, &token, seconds)?;
    let after_me = provider.rss_kib()?;
    out.extend(rows(
        "load: GET /v1/me (token validated)",
        &w,
        seconds,
        true,
        "",
    ));
    let me_rps = w.rps;
    let w = wrk(&query, &token, seconds)?;
    let after_query = provider.rss_kib()?;
    out.extend(rows(
        &format!(
            "load: contacts query ({added} contacts seeded, $filter + $orderby 2 keys + $top=50)"
        ),
        &w,
        seconds,
        true,
        "",
    ));
    out.push(Row {
        what: "load: provider resident memory (VmRSS), before / after /v1/me / after the query"
            .into(),
        value: format!("{} / {} / {}", mib(before), mib(after_me), mib(after_query)),
        budget: None,
    });
    drop(provider);

    let (anchor, anchor_rss) = anchor(seconds)?;
    let ratio = if anchor.rps > 0.0 {
        format!("; /v1/me is {:.1}× its req/s", me_rps / anchor.rps)
    } else {
        String::new()
    };
    out.extend(rows(
        "load anchor: oidc-provider 9.13.3 (panva, npm) userinfo with its own token",
        &anchor,
        seconds,
        false,
        &ratio,
    ));
    out.push(Row {
        what: "load anchor: oidc-provider resident memory (VmRSS), before / after".into(),
        value: format!("{} / {}", mib(anchor_rss.0), mib(anchor_rss.1)),
        budget: None,
    });
    Ok(out)
}

/// Starts `tests/oidc-provider/server.js`, gets a token with `bench-token.js`, loads its
/// userinfo endpoint; returns the run and the process's RSS before and after (KiB).
fn anchor(seconds: u64) -> Result<(Wrk, (u64, u64))> {
    if util::which("node").is_none() {
        tools::apt_install(&["nodejs", "npm"])?;
    }
    tools::npm_packages("tests/oidc-provider", &["oidc-provider"])?;
    let dir = util::root().join("tests/oidc-provider");
    // The second port is the redirect URI's origin: never loaded (the code is read from the
    // redirect).
    let [port, client_port] = wl_e2e::http::free_ports()?;
    let client_origin = format!("http://127.0.0.1:{client_port}");
    let issuer = format!("http://127.0.0.1:{port}");
    let mut cmd = Command::new("node");
    cmd.current_dir(&dir)
        .args(["server.js", "--port", &port.to_string(), "--client-origin"])
        .arg(&client_origin)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut process = GroupChild::spawn(cmd, "oidc-provider")?;
    let stdout = process
        .child_mut()
        .stdout
        .take()
        .ok_or_else(|| Error("oidc-provider: no stdout pipe".into()))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            if line.starts_with("listening ") {
                let _ = tx.send(());
            }
        }
    });
    let start = Instant::now();
    while rx.recv_timeout(Duration::from_millis(200)).is_err() {
        process.ensure_running()?;
        if start.elapsed() > Duration::from_secs(30) {
            return Err(Error(
                "oidc-provider did not say `listening` in 30 s".into(),
            ));
        }
    }
    let out = Command::new("node")
        .current_dir(&dir)
        .args(["bench-token.js", "--issuer", &issuer, "--client-origin"])
        .arg(&client_origin)
        .output()?;
    if !out.status.success() {
        return Err(Error(format!(
            "tests/oidc-provider/bench-token.js: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let discovery = format!("{issuer}/.well-known/openid-configuration");
    let (_, body) = wl_e2e::http::get(&discovery)
        .ok_or_else(|| Error(format!("GET {discovery}: no answer")))?;
    let doc: serde_json::Value = serde_json::from_str(&body)?;
    let userinfo = doc["userinfo_endpoint"]
        .as_str()
        .ok_or_else(|| Error(format!("{discovery} names no userinfo_endpoint")))?
        .to_owned();
    let (status, body) = get_with_bearer(&userinfo, &token)?;
    if status != 200 {
        return Err(Error(format!("GET {userinfo}: {status} {body}")));
    }
    let pid = process.child_mut().id();
    let before = crate::provider::rss_kib(pid)?;
    let run = wrk(&userinfo, &token, seconds)?;
    let after = crate::provider::rss_kib(pid)?;
    Ok((run, (before, after)))
}

#[cfg(test)]
mod tests {
    use super::Wrk;

    #[test]
    fn reads_wrk_output() {
        let text = "Running 5s test @ http://127.0.0.1:18190/me
  2 threads and 256 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   112.30ms  140.26ms   1.89s    92.88%
    Req/Sec   416.14    417.67     2.16k    91.84%
  Latency Distribution
     50%   82.52ms
     75%  137.38ms
     90%  227.80ms
     99%  626.79ms
  2089 requests in 5.12s, 0.92MB read
  Socket errors: connect 0, read 2, write 0, timeout 30
  Non-2xx or 3xx responses: 7
Requests/sec:    408.36
Transfer/sec:    184.24KB
";
        let w = Wrk::parse(text).expect("parses");
        assert_eq!(w.rps, 408.36);
        assert_eq!((w.p50.as_str(), w.p99.as_str()), ("82.52ms", "626.79ms"));
        assert_eq!(w.max, "1.89s");
        assert_eq!((w.non_2xx, w.socket_errors, w.requests), (7, 32, 2089));
        let clean =
            Wrk::parse("  10 requests in 1.00s, 1KB read\nRequests/sec: 10.0\n").expect("parses");
        assert_eq!((clean.non_2xx, clean.socket_errors), (0, 0));
        assert_eq!(clean.errors(), "0 non-2xx, 0 socket errors");
    }
}
