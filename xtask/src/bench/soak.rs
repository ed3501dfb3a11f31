//! The messenger hub soak (issue 13, "Hub soak"): 1,000 WebSocket clients for 10 minutes
//! (`--soak-seconds`) with presence churn and messages, through the provider's `hub_soak`
//! example. Rows: lost messages (budget 0), the provider's memory after the first minute (budget:
//! flat within 10 %), and the p99 delivery latency.

use super::{Ctx, Row};
use crate::util::Result;

/// Concurrent WebSocket clients (about 18 per demo person: the bench's server raises the
/// per-person connection cap, `hub::SERVE_ARGS`).
const CLIENTS: usize = 1000;

/// This section's rows: the soak runs `seconds` against the bench's server (`pid`).
pub fn measure(ctx: &Ctx, pid: u32, seconds: u64) -> Result<Vec<Row>> {
    let (secs, clients, pid) = (seconds.to_string(), CLIENTS.to_string(), pid.to_string());
    let data = ctx.data.to_string_lossy();
    let line = super::example_line(
        "hub_soak",
        &[ctx.provider, &data, &secs, &clients, &pid],
        "soak: ",
    )?;
    Ok(rows(&line, seconds))
}

/// The word after `key` in the `soak:` line.
fn after<'a>(line: &'a str, key: &str) -> &'a str {
    line.split(key)
        .nth(1)
        .and_then(|r| r.split([',', ' ', ';']).find(|w| !w.is_empty()))
        .unwrap_or("?")
}

fn rows(line: &str, seconds: u64) -> Vec<Row> {
    let lost: Option<u64> = after(line, "lost ").parse().ok();
    let growth: Option<f64> = after(line, "growth ").trim_end_matches('%').parse().ok();
    let span = if seconds.is_multiple_of(60) {
        format!("{} min", seconds / 60)
    } else {
        format!("{seconds} s")
    };
    vec![
        Row {
            what: format!(
                "hub soak: {CLIENTS} clients ({} people) for {span}, presence churn (each connection leaves after 20–60 s and comes back with `since`), a message every 5 s each: messages lost",
                after(line, "clients (")
            ),
            value: format!(
                "{} lost of {} acknowledged ({} sent; {} live deliveries, {} replayed after reconnects; {} reconnects, {} presence changes, {} errors)",
                after(line, "lost "),
                after(line, "acknowledged "),
                after(line, "messages sent "),
                after(line, "live deliveries "),
                after(line, "replayed after reconnect "),
                after(line, "reconnects "),
                after(line, "presence changes "),
                after(line, "errors "),
            ),
            budget: Some(("0".into(), lost == Some(0))),
        },
        Row {
            what: "hub soak: the provider's memory (RSS) after the first minute".into(),
            value: format!(
                "{} kB at 1 min, at most {} kB after, {} kB at the end: {}",
                after(line, "rss at 1 min "),
                after(line, "max after "),
                after(line, "end "),
                after(line, "growth ")
            ),
            budget: Some((
                "flat: within 10 %".into(),
                growth.is_some_and(|g| g <= 10.0),
            )),
        },
        Row {
            what: "hub soak: delivery latency p50 / p99 (live deliveries, sender's timestamp → recipient's connection)".into(),
            value: format!("{} / {}", after(line, "p50 "), after(line, "p99 ")),
            budget: None,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soak_line_becomes_rows_with_budgets() {
        let line = "soak: 1000 clients (57 people) for 600s; messages sent 120000, acknowledged 119990, lost 0; live deliveries 118000, p50 1.20ms, p99 9.80ms; replayed after reconnect 2100; reconnects 15000, presence changes 30000, errors 0; rss at 1 min 41000 kB, max after 43000 kB, end 42000 kB, growth 4.9%; samples 10s=30000";
        let r = rows(line, 600);
        assert_eq!(r.len(), 3);
        assert!(r[0].what.contains("57 people") && r[0].what.contains("10 min"));
        assert!(r[0].value.starts_with("0 lost of 119990 acknowledged"));
        assert_eq!(r[0].budget, Some(("0".into(), true)));
        assert_eq!(r[1].budget, Some(("flat: within 10 %".into(), true)));
        assert_eq!(r[2].value, "1.20ms / 9.80ms");
        let bad = line
            .replace("lost 0", "lost 3")
            .replace("growth 4.9%", "growth 12.5%");
        let r = rows(&bad, 600);
        assert_eq!(r[0].budget, Some(("0".into(), false)));
        assert_eq!(r[1].budget, Some(("flat: within 10 %".into(), false)));
    }
}
