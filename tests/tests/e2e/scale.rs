//! The provider scaled out (issue 14): two instances over one PostgreSQL database behind nginx
//! (round-robin, no stickiness), Redis as their bus — what `cargo xtask serve --scale 2` runs
//! (`wl_e2e::cluster`). Two browsers sign in through the balancer (every page, form post, token
//! exchange and API call may land on either instance), see each other's presence, chat and
//! share a page into the other's feed with their hub connections on different instances, and
//! keep chatting when the instance one of them is on crashes.

use crate::bar::{self, send_message, sign_in_on_bar_at, wait_online, wait_window_has};
use crate::scale;
use std::time::{Duration, Instant};
use wl_e2e::cluster::{Cluster, ClusterOptions, Database};
use wl_e2e::harness::Case;
use wl_e2e::{Env, Result, check, http, paths};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![scale::two_people_chat_across_instances_and_survive_a_crash]
}

/// An instance's own `/healthz` (not through the balancer), as JSON.
fn healthz(provider: &str) -> Option<serde_json::Value> {
    http::fetch(&format!("{provider}/healthz")).and_then(|a| serde_json::from_str(&a.body).ok())
}

/// Each instance's open hub connections (0 for one that does not answer).
fn hub_connections(cluster: &Cluster) -> Vec<u64> {
    cluster
        .instances
        .iter()
        .map(|i| {
            healthz(&i.provider)
                .and_then(|v| v["hub_connections"].as_u64())
                .unwrap_or(0)
        })
        .collect()
}

/// The instances' hub connections once `ready` holds for them (polled for up to 10 s), or
/// the last counts seen when it never did.
async fn wait_connections(
    cluster: &Cluster,
    ready: impl Fn(&[u64]) -> bool,
) -> std::result::Result<Vec<u64>, Vec<u64>> {
    let start = Instant::now();
    loop {
        let now = hub_connections(cluster);
        if ready(&now) {
            return Ok(now);
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err(now);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn two_people_chat_across_instances_and_survive_a_crash(env: &Env) -> Result<()> {
    let work = tempfile::Builder::new().prefix("wl-e2e-scale-").tempdir()?;
    let mut cluster = Cluster::start(&ClusterOptions {
        instances: 2,
        site_port: 0,
        provider_port: 0,
        data_dir: work.path().join("data"),
        database: Database::Postgres,
        work_dir: work.path().join("scale"),
        server_bin: paths::server_bin()?,
        site_dirs: vec![paths::wl_dist()?, paths::repo_root().join("www")],
        serve_args: Vec::new(),
    })?;
    // Round-robin, and every answer names its instance (`X-WL-Instance`): through the
    // balancer, consecutive answers come from both, as the instances' own /healthz name them.
    let names: std::collections::BTreeSet<String> = cluster
        .instances
        .iter()
        .filter_map(|i| healthz(&i.provider))
        .filter_map(|v| v["instance"].as_str().map(str::to_owned))
        .collect();
    let seen: std::collections::BTreeSet<String> = (0..4)
        .filter_map(|_| http::fetch(&format!("{}/healthz", cluster.provider)))
        .filter_map(|a| {
            a.headers
                .iter()
                .find(|(k, _)| k == "x-wl-instance")
                .map(|(_, v)| v.clone())
        })
        .collect();
    check(
        names.len() == 2 && seen == names,
        format!("the balancer answers from both instances: {seen:?}, the instances are {names:?}"),
    )?;
    let page = format!("{}/demo/messenger.html", cluster.site);
    let alice = env.browser().await?;
    let bob = env.browser().await?;
    // Through the balancer: sessions, CSRF tokens, codes and tokens work whichever instance
    // answers each step.
    sign_in_on_bar_at(&alice, &page, &cluster.provider, "alice").await?;
    // Which instance alice's hub connection is on (the one whose count is 1).
    let one = |c: &[u64]| c.iter().sum::<u64>() == 1;
    let alices = match wait_connections(&cluster, one).await {
        Ok(c) => c.iter().position(|&n| n == 1).unwrap_or(0),
        Err(c) => return check(false, format!("one hub connection (alice's): {c:?}")),
    };
    sign_in_on_bar_at(&bob, &page, &cluster.provider, "bob").await?;

    // Put their hub connections on different instances: bob reloads until his lands on the
    // other one (round-robin, so it takes a try or two).
    let two = |c: &[u64]| c.iter().sum::<u64>() == 2;
    let mut counts = wait_connections(&cluster, two).await;
    for _ in 0..8 {
        if counts.as_deref() == Ok(&[1, 1][..]) {
            break;
        }
        bob.goto(&page).await?;
        wait_online(&bob).await?;
        counts = wait_connections(&cluster, two).await;
    }
    check(
        counts.as_deref() == Ok(&[1, 1][..]),
        format!(
            "alice's and bob's hub connections on different instances: {counts:?}\n{}",
            cluster.logs(20)
        ),
    )?;

    // Alice writes; bob, on the other instance, reads it and answers.
    bar::open_conversation(&alice, "Bob").await?;
    let hello = "Hello from the other instance";
    send_message(&alice, "Bob", hello).await?;
    // Live, not from history: a tab with one unread message appears in bob's bar.
    bar::wait_bar(
        &bob,
        "a live conversation tab from Alice with 1 unread in bob's bar",
        "const t = [...root.querySelectorAll('.tabs button')]
           .find(t => t.querySelector('.tab-name').textContent.startsWith('Alice'));
         const badge = t && t.querySelector('.badge');
         return badge && badge.textContent === '1';",
        vec![],
    )
    .await?;
    bar::open_conversation(&bob, "Alice").await?;
    wait_window_has(&bob, "Alice", &[hello]).await?;
    let reply = "Heard you across the bus";
    send_message(&bob, "Alice", reply).await?;
    wait_window_has(&alice, "Bob", &[hello, reply]).await?;

    // Presence crosses too, and a page shared into the other's feed.
    bar::set_presence(&bob, "busy").await?;
    bar::wait_presence_shown(&alice, "Bob", "busy", "Busy").await?;
    let note = "Seen from two instances";
    bar::share_with(&alice, "Bob", note).await?;
    bar::wait_share_received(&bob, "Alice", &page, note).await?;

    // The instance alice is on crashes: her bar reconnects through the balancer to the other
    // one, and the conversation goes on.
    cluster.crash(alices);
    wait_online(&alice).await?;
    let after = "Still here after the crash";
    send_message(&bob, "Alice", after).await?;
    wait_window_has(&alice, "Bob", &[hello, reply, after]).await?;
    // Both hub connections are now on the surviving instance.
    let other = 1 - alices;
    let moved = wait_connections(&cluster, |c| c[other] == 2).await;
    check(
        moved.is_ok(),
        format!("alice's bar moved to the surviving instance: {moved:?} connections"),
    )?;
    drop(alice);
    drop(bob);
    cluster.stop();
    Ok(())
}
