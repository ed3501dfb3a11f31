//! Usage statistics at scale (issue 15), driven by the provider's `stats_bench` example (a
//! provider in its own process, on a data folder of its own): 1 million synthetic events over
//! 90 days for 100 apps written as rollups, the statistics page's time (p50/p95, budget
//! 50 ms), and `GET /v1/me` under `wrk` with counting on and off, alternated in the same run:
//! req/s (reported, too noisy on shared cores to judge 2 %), and the provider's CPU time per
//! request, whose on/off ratio carries the budget (counting under 2 %), with the cost of
//! counting one call measured alone as a share of that CPU time.

use super::{Ctx, Row};
use crate::util::{self, Error, Result};

/// The page's budget, milliseconds.
const PAGE_BUDGET_MS: f64 = 50.0;
/// The counting overhead's budget, percent of a `/v1/me` request's CPU time.
const OVERHEAD_BUDGET: f64 = 2.0;

/// Runs `stats_bench` and reads its lines.
pub fn measure(ctx: &Ctx<'_>) -> Result<Vec<Row>> {
    let seconds = ctx.seconds.to_string();
    let out = util::cargo()
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "wl-server",
            "--example",
            "stats_bench",
            "--",
        ])
        .args([seconds.as_str(), "1000000"])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = |prefix: &str| -> Result<String> {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .map(str::to_owned)
            .ok_or_else(|| {
                Error(format!(
                    "stats_bench gave no `{prefix}` line:\n{text}\n{}",
                    String::from_utf8_lossy(&out.stderr)
                ))
            })
    };
    // The number after `after` (an overhead may be negative: counting off measured slower).
    let num = |l: &str, after: &str| -> f64 {
        l.split(after)
            .nth(1)
            .and_then(|r| {
                let r = r.trim_start();
                let sign = usize::from(r.starts_with('-'));
                let len = r[sign..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(r.len() - sign);
                r.get(..sign + len)
            })
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let rollups = line("stats rollups:")?;
    let page = line("stats page:")?;
    let me = line("stats me:")?;
    let cpu = line("stats cpu:")?;
    let count = line("stats count:")?;
    let (p50, p95) = (num(&page, "p50 "), num(&page, "p95 "));
    let (on, off) = (num(&me, "on "), num(&me, "off "));
    let (cpu_on, cpu_off, overhead) = (num(&cpu, "on "), num(&cpu, "off "), num(&cpu, "overhead "));
    // "pair ratios 0.812 to 1.190": the spread that says how much one pair can be trusted.
    let spread = |l: &str| format!("{:.3}–{:.3}", num(l, "pair ratios "), num(l, " to "));
    Ok(vec![
        Row {
            what: "statistics rollups: 1,000,000 events, 100 apps, 90 days".into(),
            value: rollups
                .trim_start_matches("stats rollups: ")
                .split(" for ")
                .next()
                .unwrap_or("?")
                .to_owned(),
            budget: None,
        },
        Row {
            what: "statistics page (90 days) p50 / p95, at the client".into(),
            value: format!("{p50:.1} ms / {p95:.1} ms"),
            budget: Some((format!("< {PAGE_BUDGET_MS} ms"), p95 < PAGE_BUDGET_MS)),
        },
        Row {
            what: "GET /v1/me with / without counting, wrk -t2 -c64 (median of 10 pairs)".into(),
            value: format!(
                "{on:.0} / {off:.0} req/s (ratio {:.3}, pairs {})",
                num(&me, "ratio "),
                spread(&me)
            ),
            budget: None,
        },
        Row {
            what: "provider CPU per GET /v1/me, with / without counting".into(),
            value: format!(
                "{cpu_on:.1} / {cpu_off:.1} µs (ratio {:.3}, pairs {})",
                num(&cpu, "ratio "),
                spread(&cpu)
            ),
            budget: None,
        },
        Row {
            what: "counting overhead on GET /v1/me: what counting adds to one call (the middleware in-process, on vs off), as a share of a request's CPU".into(),
            value: format!(
                "{:.0} ns ({:.2} %)",
                num(&count, "count: "),
                num(&count, "call, ")
            ),
            budget: Some((
                format!("< {OVERHEAD_BUDGET} %"),
                num(&count, "call, ") < OVERHEAD_BUDGET,
            )),
        },
        Row {
            what: "CPU per request on vs off (the A/B above; its pair spread is wider than the budget on a shared machine)".into(),
            value: format!("{overhead:.2} %"),
            budget: None,
        },
    ])
}
