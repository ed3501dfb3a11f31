//! The whole authorize → token exchange under load, driven by the provider's `flow_bench`
//! example (each worker signs in and consents once, then loops `GET /authorize` → `POST /token`).

use super::Row;
use crate::util::Result;

/// Measures authorize → token exchanges per second and their p50/p99 latency.
pub fn measure(provider: &str, site: &str, seconds: u64) -> Result<Vec<Row>> {
    let seconds = seconds.to_string();
    let line = super::example_line(
        "flow_bench",
        &[provider, site, &seconds, "8"],
        "authorize->token exchanges:",
    )?;
    let line = line.as_str();
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
