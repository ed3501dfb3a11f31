//! Faults seen from the page (issue 13, "Reliability"): the provider crashes (SIGKILL) while
//! Alice and Bob have the messenger demo page open, then comes back on the same ports and data.
//! While it is down, `WL.api` rejects with `connection_failed` (no hang) and the bar says it is
//! offline; once it is back, without a reload, `WL.api` answers again, both bars reconnect to the
//! hub on their own, the conversation from before the crash is still there, and new messages
//! flow. Runs on a server of its own (the shared one must not crash under other cases).

use serde_json::json;
use std::time::Duration;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Case, Env, Probe, Result, check};

use crate::{bar, faults};

/// The cases of this module.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![faults::the_page_recovers_when_the_provider_comes_back]
}

const WAIT: Duration = Duration::from_secs(40);

/// `WL.api('me')` in the page: `{ ok: name }` or `{ code }`.
const API_ME: &str =
    "return WL.api('me').then(r => ({ ok: r.name }), e => ({ code: e && e.code }));";

pub async fn the_page_recovers_when_the_provider_comes_back(env: &Env) -> Result<()> {
    let mut server = DevServer::start(&ServerOptions::default())?;
    let alice = env.browser().await?;
    let bob = env.browser().await?;
    bar::sign_in_on_bar(&alice, &server, "/demo/messenger.html", "alice").await?;
    bar::sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;
    bar::open_conversation(&alice, "Bob").await?;
    bar::send_message(&alice, "Bob", "before the crash").await?;
    bar::wait_window_has(&alice, "Bob", &["before the crash"]).await?;

    server.crash();
    let down = alice.js(API_ME, vec![]).await?;
    check(
        down == json!({ "code": "connection_failed" }),
        format!("WL.api('me') with the provider down should reject connection_failed: {down}"),
    )?;
    alice
        .wait_for("alice's bar to say it is offline", WAIT, || async {
            let v = bar::in_bar(
                &alice,
                "const b = root.querySelector('.bar'); return b ? b.dataset.link : null;",
                vec![],
            )
            .await?;
            Ok(if v != json!("online") {
                Probe::Done(())
            } else {
                Probe::NotYet(v.to_string())
            })
        })
        .await?;

    server.restart()?;
    // No reload: the API answers again, and both bars find the hub again.
    let me = alice
        .wait_for("WL.api('me') to answer again", WAIT, || async {
            let v = alice.js(API_ME, vec![]).await?;
            Ok(if v["ok"].is_string() {
                Probe::Done(v)
            } else {
                Probe::NotYet(v.to_string())
            })
        })
        .await?;
    check(
        me["ok"].as_str().is_some_and(|n| n.starts_with("Alice")),
        format!("WL.api('me') after the restart: {me}"),
    )?;
    bar::wait_online(&alice).await?;
    bar::wait_online(&bob).await?;
    // Right after reconnecting, presence updates re-render the friends list: an element found
    // a moment ago may be replaced before the click lands, so a step is tried again.
    bar::again(|| bar::open_conversation(&bob, "Alice")).await?;
    bar::wait_window_has(&bob, "Alice", &["before the crash"]).await?;
    bar::again(|| bar::send_message(&bob, "Alice", "after the restart")).await?;
    bar::wait_window_has(&alice, "Bob", &["before the crash", "after the restart"]).await?;
    Ok(())
}
