//! Scaling out (issue 14): the load section's two requests — `GET /v1/me` and the 10,000-contact
//! OData query — through nginx in front of 1, 2 and 4 provider instances over one PostgreSQL
//! database, with Redis as their bus (`wl_e2e::cluster`, what `cargo xtask serve --scale N`
//! runs), and `/v1/me` on one instance over SQLite beside one over PostgreSQL.
//!
//! Everything shares this machine's cores with wrk, so the numbers are CPU-bound: each row says
//! how many CPU-seconds every process used during the run (from `/proc/PID/stat`), which is where
//! the time goes, and the ratio of req/s to the one-instance run.

use super::contacts::{CONTACTS, QUERY};
use super::load::{self, CONNECTIONS, Wrk};
use super::{Ctx, Row};
use crate::util::{self, Error, Result};
use wl_e2e::cluster::{Cluster, ClusterOptions, Database};

/// The instance counts measured.
const SCALES: [usize; 3] = [1, 2, 4];

/// CPU-seconds (user + system) the processes of process group `pgid` and the children of its
/// leader have used so far (nginx's workers are its master's group; PostgreSQL's backends are
/// the postmaster's children but each leads a group of its own; every other process leads a
/// group of its own).
fn cpu_seconds(pgid: u32) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| {
            // After the command name in parentheses: field 5 is the process group, 14 and 15
            // user and system time in ticks.
            let rest = stat.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let field = |i: usize| f.get(i - 3)?.parse::<f64>().ok();
            (field(5)? as u32 == pgid || field(4)? as u32 == pgid)
                .then(|| field(14).unwrap_or(0.0) + field(15).unwrap_or(0.0))
        })
        .sum::<f64>()
        // Linux's USER_HZ is 100 on every architecture Debian ships.
        / 100.0
}

/// CPU-seconds per process kind (instances summed) between two snapshots.
fn cpu_used(before: &[(String, f64)], after: &[(String, f64)]) -> String {
    let mut instances = 0.0;
    let mut parts = Vec::new();
    for ((name, b), (_, a)) in before.iter().zip(after) {
        if name.starts_with("instance") {
            instances += a - b;
        } else {
            parts.push(format!("{name} {:.1}", a - b));
        }
    }
    format!("instances {instances:.1}, {}", parts.join(", "))
}

fn snapshot(cluster: &Cluster) -> Vec<(String, f64)> {
    cluster
        .pids()
        .into_iter()
        .map(|(name, pid)| (name, cpu_seconds(pid)))
        .collect()
}

/// A cluster of `n` instances on `database` with a fresh data folder (and PostgreSQL cluster)
/// under `target/<name>/`, and that data folder.
fn cluster(
    ctx: &Ctx,
    name: &str,
    n: usize,
    database: Database,
    serve_args: &[&str],
) -> Result<(Cluster, std::path::PathBuf)> {
    let dir = util::root().join("target").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("site"))?;
    let data = dir.join("data");
    let cluster = Cluster::start(&ClusterOptions {
        instances: n,
        site_port: 0,
        provider_port: 0,
        data_dir: data.clone(),
        database,
        work_dir: dir.join("scale"),
        server_bin: ctx.server_bin.to_path_buf(),
        site_dirs: vec![dir.join("site")],
        serve_args: serve_args.iter().map(|a| (*a).to_owned()).collect(),
    })
    .map_err(|e| Error(e.to_string()))?;
    Ok((cluster, data))
}

/// A started cluster's data: `count` contacts for alice and her token, in its database, and
/// the two URLs the section loads through the balancer, each checked to answer 200 first.
struct Seeded {
    added: String,
    token: String,
    me: String,
    query: String,
}

fn seed(ctx: &Ctx, cluster: &Cluster, data: &std::path::Path) -> Result<Seeded> {
    let (added, token) = crate::provider::alice_with_contacts_in(
        ctx.server_bin,
        data,
        cluster.database_url.as_deref(),
        CONTACTS,
    )?;
    let me = format!("{}/v1/me", cluster.provider);
    let query = format!("{}{QUERY}", cluster.provider);
    for url in [&me, &query] {
        let (status, body) = load::get_with_bearer(url, &token)?;
        if status != 200 {
            return Err(Error(format!("GET {url} through nginx: {status} {body}")));
        }
    }
    Ok(Seeded {
        added,
        token,
        me,
        query,
    })
}

/// This section's rows.
pub fn measure(ctx: &Ctx, seconds: u64) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut first: Option<(f64, f64)> = None;
    let mut one_pg: Option<(Wrk, Wrk)> = None;
    for n in SCALES {
        let (cluster, data) =
            cluster(ctx, &format!("bench-scale-{n}"), n, Database::Postgres, &[])?;
        if n == SCALES[0]
            && let Some(pg) = cluster.postgres()
        {
            rows.push(Row {
                what: "scale: the instances' shared database".into(),
                value: format!(
                    "PostgreSQL {} (Debian), one database for every instance, on this machine; \
                     throwaway settings (fsync and full_page_writes off)",
                    pg.version()
                ),
                budget: None,
            });
        }
        let Seeded {
            added,
            token,
            me,
            query,
        } = seed(ctx, &cluster, &data)?;
        let s0 = snapshot(&cluster);
        let w_me = load::wrk(&me, &token, seconds)?;
        let s1 = snapshot(&cluster);
        let w_query = load::wrk(&query, &token, seconds)?;
        let s2 = snapshot(&cluster);
        let base = *first.get_or_insert((w_me.rps, w_query.rps));
        let row = |what: &str, w: &Wrk, base: f64, cpu: String| Row {
            what: format!(
                "scale: {what} through nginx, {n} instance{} (PostgreSQL, Redis bus), wrk -t2 -c{CONNECTIONS} for {seconds} s",
                if n == 1 { "" } else { "s" }
            ),
            value: format!(
                "{:.0} req/s ({:.2}× one instance); latency p50 {} / p99 {}; {}; CPU-seconds used: {cpu} (of {} on this machine)",
                w.rps,
                if base > 0.0 { w.rps / base } else { 0.0 },
                w.p50,
                w.p99,
                w.errors(),
                cores() * seconds,
            ),
            budget: Some((
                "0 non-2xx, 0 socket errors".to_owned(),
                w.non_2xx == 0 && w.socket_errors == 0,
            )),
        };
        rows.push(row("GET /v1/me", &w_me, base.0, cpu_used(&s0, &s1)));
        rows.push(row(
            &format!("contacts query ({added} contacts)"),
            &w_query,
            base.1,
            cpu_used(&s1, &s2),
        ));
        cluster.stop();
        if one_pg.is_none() {
            one_pg = Some((w_me, w_query));
        }
    }
    if let Some((me, query)) = one_pg {
        rows.extend(sqlite_beside_postgres(ctx, seconds, &me, &query)?);
    }
    rows.extend(hub(ctx, seconds)?);
    Ok(rows)
}

/// `GET /v1/me` and the contacts query through nginx to one instance over SQLite, beside the
/// one-instance PostgreSQL runs `pg_me` and `pg_query` (same balancer, bus, token kind, data
/// and wrk settings; only the database differs).
fn sqlite_beside_postgres(
    ctx: &Ctx,
    seconds: u64,
    pg_me: &Wrk,
    pg_query: &Wrk,
) -> Result<Vec<Row>> {
    let (cluster, data) = cluster(ctx, "bench-scale-sqlite", 1, Database::Sqlite, &[])?;
    let Seeded {
        added,
        token,
        me,
        query,
    } = seed(ctx, &cluster, &data)?;
    let lite_me = load::wrk(&me, &token, seconds)?;
    let lite_query = load::wrk(&query, &token, seconds)?;
    cluster.stop();
    let row = |what: &str, lite: &Wrk, pg: &Wrk| Row {
        what: format!(
            "scale: {what} through nginx, 1 instance, SQLite vs PostgreSQL, wrk -t2 -c{CONNECTIONS} for {seconds} s each"
        ),
        value: format!(
            "SQLite {:.0} req/s (p50 {} / p99 {}); PostgreSQL {:.0} req/s (p50 {} / p99 {}): \
             PostgreSQL at {:.2}× SQLite; {} on SQLite",
            lite.rps,
            lite.p50,
            lite.p99,
            pg.rps,
            pg.p50,
            pg.p99,
            if lite.rps > 0.0 {
                pg.rps / lite.rps
            } else {
                0.0
            },
            lite.errors(),
        ),
        budget: Some((
            "0 non-2xx, 0 socket errors".to_owned(),
            lite.non_2xx == 0 && lite.socket_errors == 0,
        )),
    };
    Ok(vec![
        row("GET /v1/me", &lite_me, pg_me),
        row(
            &format!("contacts query ({added} contacts)"),
            &lite_query,
            pg_query,
        ),
    ])
}

/// Hub clients for the cross-instance run, and the messages a second each sends.
const HUB_CLIENTS: usize = 2000;
const HUB_RATE: &str = "1";

/// The hub over two instances: `hub_bench` with `HUB_CLIENTS` connections, half on each
/// instance's own listener (so the split is exact), each sending `HUB_RATE` message a second to
/// its person's friends; the cross-instance delivery latency (through Redis) and the instances'
/// memory per connection (peak resident memory during the run over the idle one, per client).
fn hub(ctx: &Ctx, seconds: u64) -> Result<Vec<Row>> {
    // 2,000 connections over the 57 demo people is about 35 a person.
    let (cluster, data) = cluster(
        ctx,
        "bench-scale-hub",
        2,
        Database::Postgres,
        &[
            "--hub-conns-per-person",
            "64",
            "--hub-frames-per-sec",
            "200",
        ],
    )?;
    let pids: Vec<u32> = cluster
        .pids()
        .into_iter()
        .filter(|(n, _)| n.starts_with("instance"))
        .map(|(_, p)| p)
        .collect();
    let rss = |pids: &[u32]| -> u64 {
        pids.iter()
            .filter_map(|p| crate::provider::rss_kib(*p).ok())
            .sum()
    };
    let idle = rss(&pids);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (pids, stop) = (pids.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss(&pids));
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            peak
        })
    };
    let origins: Vec<&str> = cluster
        .instances
        .iter()
        .map(|i| i.provider.as_str())
        .collect();
    // hub_bench mints its tokens in the instances' database: the PostgreSQL URL.
    let database = cluster
        .database_url
        .clone()
        .unwrap_or_else(|| data.to_string_lossy().into_owned());
    let line = super::example_line(
        "hub_bench",
        &[
            &origins.join(","),
            &database,
            &seconds.to_string(),
            &HUB_CLIENTS.to_string(),
            HUB_RATE,
        ],
        "hub: ",
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.join().unwrap_or(0);
    cluster.stop();
    let line = line?;
    let per_conn = peak.saturating_sub(idle) as f64 * 1024.0 / HUB_CLIENTS as f64;
    Ok(vec![Row {
        what: format!(
            "scale: messenger hub, {HUB_CLIENTS} clients over 2 instances (half on each, PostgreSQL, Redis bus), {HUB_RATE} msg/s each for {seconds} s"
        ),
        value: format!(
            "{}; instances' memory {:.1} MiB idle, {:.1} MiB at peak: {:.1} KiB a connection",
            line.trim_start_matches("hub: "),
            idle as f64 / 1024.0,
            peak as f64 / 1024.0,
            per_conn / 1024.0
        ),
        budget: None,
    }])
}

/// Online CPUs (the CPU-seconds a run could use at most, per second).
fn cores() -> u64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
}
