//! The whole authorize → token exchange under load, driven by the provider's `flow_bench`
//! example (each worker signs in and consents once, then loops `GET /authorize` → `POST /token`).

use super::Row;
use crate::util::{Error, Result, cargo};

/// Measures authorize → token exchanges per second and their p50/p99 latency.
pub fn measure(provider: &str, site: &str, seconds: u64) -> Result<Vec<Row>> {
    let out = cargo()
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "wl-server",
            "--example",
            "flow_bench",
            "--",
        ])
        .args([provider, site, &seconds.to_string(), "8"])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("authorize->token exchanges:"))
        .ok_or_else(|| {
            Error(format!(
                "flow_bench gave no result: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        })?;
    // "authorize->token exchanges: N in Ts = R/s, p50 Xms, p99 Yms (concurrency C)"
    let rate = line
        .split(" = ")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("?");
    let p50 = field(line, "p50 ");
    let p99 = field(line, "p99 ");
    Ok(vec![
        Row {
            what: "authorize → token exchange (PKCE, ES256 ID token), 8 workers".into(),
            value: format!("{rate} exchanges/s"),
            budget: None,
        },
        Row {
            what: "authorize → token latency p50 / p99".into(),
            value: format!("{p50} / {p99}"),
            budget: None,
        },
    ])
}

fn field<'a>(line: &'a str, name: &str) -> &'a str {
    line.split(name)
        .nth(1)
        .and_then(|r| r.split([',', ' ']).next())
        .unwrap_or("?")
}
