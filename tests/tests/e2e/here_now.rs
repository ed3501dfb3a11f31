//! "Are my friends on this site?" (issue 16 §2) with two browsers: the bar's "Here now" group,
//! the connected-apps page's "Let friends see I use <app>", and `uses_this_app`.
//!
//! Starts its own dev host: bob allows consent here (see `bar.rs`).

use crate::bar::{in_bar, open_friends, sign_in_on_bar};
use crate::here_now;
use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Probe, Result, axe, check, paths};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![
        here_now::friends_on_this_site_and_hiding_it,
        here_now::leaving_the_page_is_offline_and_coming_back_is_here_again,
        here_now::going_to_the_next_page_is_no_offline_to_friends,
        here_now::signing_out_is_offline_to_friends_at_once
    ]
}

const WAIT: Duration = Duration::from_secs(20);

/// The names under each heading of the open friends panel: `{ "Here now (1)": ["Bob …"] }`.
const GROUPS: &str = "
    const out = {};
    for (const h of root.querySelectorAll('h3')) {
      const ul = h.nextElementSibling;
      if (!ul || ul.tagName !== 'UL') continue;
      out[h.textContent] = [...ul.querySelectorAll('button.friend .name')].map(n => n.textContent);
    }
    return out;";

/// Whether [`GROUPS`]' answer lists a name starting with `name` under a heading starting with
/// `heading`.
fn under(groups: &Json, heading: &str, name: &str) -> bool {
    groups.as_object().is_some_and(|o| {
        o.iter().any(|(k, v)| {
            k.starts_with(heading)
                && v.as_array().is_some_and(|a| {
                    a.iter()
                        .any(|n| n.as_str().is_some_and(|n| n.starts_with(name)))
                })
        })
    })
}

/// Waits until alice's friends panel shows bob under a heading starting with `heading`.
async fn wait_bob_under(alice: &Browser, heading: &str) -> Result<Json> {
    open_friends(alice).await?;
    alice
        .wait_for(&format!("bob under {heading}"), WAIT, || async {
            let groups = in_bar(alice, GROUPS, vec![]).await?;
            Ok(if under(&groups, heading, "Bob") {
                Probe::Done(groups)
            } else {
                Probe::NotYet(groups.to_string())
            })
        })
        .await
}

/// Waits until the "Here now" group lists exactly `names` (by first name), or is absent for none.
async fn wait_here_now(b: &Browser, who: &str, names: &[&str]) -> Result<Json> {
    open_friends(b).await?;
    b.wait_for(
        &format!("{who}'s \"Here now\" to be {names:?}"),
        WAIT,
        || async {
            let groups = in_bar(b, GROUPS, vec![]).await?;
            let here: Vec<String> = groups
                .as_object()
                .and_then(|o| o.iter().find(|(k, _)| k.starts_with("Here now")))
                .and_then(|(_, v)| v.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect();
            let matches = here.len() == names.len()
                && names.iter().all(|n| here.iter().any(|h| h.starts_with(n)));
            Ok(if matches {
                Probe::Done(groups.clone())
            } else {
                Probe::NotYet(groups.to_string())
            })
        },
    )
    .await
}

/// `uses_this_app` of the friend named `name`, through `WL.api` on the page.
async fn uses_this_app(b: &Browser, name: &str) -> Result<Json> {
    let v = b
        .js(
            "return WL.api({ path: 'me/friends' }).then(
               r => (r.data.find(f => f.first_name === arguments[0]) || {}).uses_this_app,
               e => ({ rejected: String(e && (e.code || e.message || e)) }));",
            vec![json!(name)],
        )
        .await?;
    Ok(v)
}

/// A dev host, and alice and bob signed in on its messenger page, alice seeing bob under
/// "Here now" and bob's bar online.
async fn both_on_the_messenger_page(env: &Env) -> Result<(DevServer, Browser, Browser)> {
    both_on_the_messenger_page_of(env, DevServer::start(&ServerOptions::default())?).await
}

/// [`both_on_the_messenger_page`] on `server`.
async fn both_on_the_messenger_page_of(
    env: &Env,
    server: DevServer,
) -> Result<(DevServer, Browser, Browser)> {
    let alice = env.browser().await?;
    let bob = env.browser().await?;
    sign_in_on_bar(&alice, &server, "/demo/messenger.html", "alice").await?;
    sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;
    wait_here_now(&alice, "alice", &["Bob"]).await?;
    crate::bar::wait_online(&bob).await?;
    Ok((server, alice, bob))
}

/// Starts recording every `WL.messenger` presence event on `b`'s page (`window.__presence`).
async fn record_presence(b: &Browser) -> Result<()> {
    b.js(
        "window.__presence = [];
         return WL.messenger.on('presence', p => window.__presence.push(p)).then(() => true);",
        vec![],
    )
    .await?;
    Ok(())
}

/// Waits until [`record_presence`]'s list on `b` has an event with `presence`; returns the list.
async fn heard_presence(b: &Browser, presence: &str) -> Result<Json> {
    b.wait_for(&format!("a presence event {presence}"), WAIT, || async {
        let v = b.js("return window.__presence;", vec![]).await?;
        Ok(
            if v.as_array()
                .is_some_and(|a| a.iter().any(|p| p["presence"] == presence))
            {
                Probe::Done(v)
            } else {
                Probe::NotYet(v.to_string())
            },
        )
    })
    .await
}

async fn shot(b: &Browser, name: &str) -> Result<()> {
    let dir = paths::screenshots_dir()?.join("here-now");
    std::fs::create_dir_all(&dir)?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let path = dir.join(format!("{name}.png"));
    b.screenshot_to(&path).await?;
    let len = std::fs::metadata(&path)?.len();
    check(len > 1000, format!("{name}.png is empty"))
}

/// Alice and bob are both signed in on the demo messenger page: each sees the other under
/// "Here now" (and `uses_this_app` is true). Bob unticks "Let friends see I use wl-connect demo"
/// on the provider's connected-apps page in a second tab: alice's "Here now" loses him (he
/// stays online, his messenger page still open) and
/// `uses_this_app` is false for him. Screenshots at 1280 and 390 px, axe on both.
pub async fn friends_on_this_site_and_hiding_it(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let alice = env.browser().await?;
    let bob = env.browser().await?;
    alice.client.set_window_size(1280, 800).await?;
    bob.client.set_window_size(1280, 800).await?;
    sign_in_on_bar(&alice, &server, "/demo/messenger.html", "alice").await?;
    sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;

    let groups = wait_here_now(&alice, "alice", &["Bob"]).await?;
    check(
        !under(&groups, "Online", "Bob"),
        format!("bob is under Here now, not repeated under Online: {groups}"),
    )?;
    wait_here_now(&bob, "bob", &["Alice"]).await?;
    let uses = uses_this_app(&alice, "Bob").await?;
    check(
        uses == json!(true),
        format!("uses_this_app is true for bob: {uses}"),
    )?;

    let mut violations = axe::run(&alice, &["wl-bar"]).await?;
    shot(&alice, "bar-here-now-1280").await?;
    alice.client.set_window_size(390, 844).await?;
    wait_here_now(&alice, "alice", &["Bob"]).await?;
    shot(&alice, "bar-here-now-390").await?;
    violations.extend(axe::run(&alice, &["wl-bar"]).await?);
    alice.client.set_window_size(1280, 800).await?;

    // Bob hides the demo app from friends on the provider's connected-apps page, in a new tab:
    // his messenger page stays open, so he is online all along (leaving the page would take him
    // offline whenever the browser closes its socket, which made "still online" a race).
    let tab = bob.client.new_window(true).await?.handle;
    bob.client.switch_to_window(tab).await?;
    bob.goto(&format!("{}/consent", server.provider)).await?;
    let label = "Let friends see I use wl-connect demo";
    bob.wait_js(
        "the connected-apps page with the visibility setting",
        WAIT,
        "return [...document.querySelectorAll('form.visibility label')]
           .some(l => l.textContent.includes('Let friends see I use'));",
    )
    .await?;
    shot(&bob, "connected-apps-1280").await?;
    violations.extend(axe::run(&bob, &[]).await?);
    bob.client.set_window_size(390, 844).await?;
    shot(&bob, "connected-apps-390").await?;
    violations.extend(axe::run(&bob, &[]).await?);
    bob.client.set_window_size(1280, 800).await?;
    let checked = bob
        .js(
            "const f = [...document.querySelectorAll('form.visibility')]
               .find(f => f.textContent.includes(arguments[0]));
             return f ? f.querySelector('input[name=visible]').checked : null;",
            vec![json!(label)],
        )
        .await?;
    check(
        checked == json!(true),
        format!("friends may see it by default: {checked}"),
    )?;
    // Real clicks: untick, then Save.
    let find = |what: &'static str| {
        format!(
            "const f = [...document.querySelectorAll('form.visibility')]
               .find(f => f.textContent.includes(arguments[0]));
             return f ? f.querySelector('{what}') : null;"
        )
    };
    for what in ["input[name=visible]", "button[type=submit]"] {
        let v = bob.js(&find(what), vec![json!(label)]).await?;
        let el = bob
            .element_from_json(&v)
            .ok_or_else(|| wl_e2e::E2eError::Check(format!("{what}: not found: {v}")))?;
        el.click().await?;
    }
    bob.wait_js(
        "the saved notice",
        WAIT,
        "const n = document.querySelector('.notice');
         return n && n.textContent.includes('Friends no longer see that you use');",
    )
    .await?;
    shot(&bob, "connected-apps-hidden-1280").await?;

    // Alice's "Here now" loses bob; he is still online.
    let groups = wait_here_now(&alice, "alice", &[]).await?;
    check(
        under(&groups, "Online", "Bob"),
        format!("bob is still online, under Online: {groups}"),
    )?;
    shot(&alice, "bar-bob-hidden-1280").await?;
    let uses = uses_this_app(&alice, "Bob").await?;
    check(
        uses == json!(false),
        format!("uses_this_app is false for bob once hidden: {uses}"),
    )?;
    // Bob still sees alice on his messenger page: she did not hide anything.
    bob.client.close_window().await?;
    bob.switch_to_main().await?;
    wait_here_now(&bob, "bob", &["Alice"]).await?;
    // And after a reload.
    bob.goto(&server.site_url("/demo/messenger.html")).await?;
    crate::bar::wait_online(&bob).await?;
    wait_here_now(&bob, "bob", &["Alice"]).await?;
    wl_e2e::flow::check_no_alert(&alice).await?;
    check(
        violations.is_empty(),
        format!(
            "axe-core violations (bar with Here now, connected-apps page):\n{}",
            axe::report(&violations)
        ),
    )
}

/// Bob leaves the messenger page for another site's page (the browser keeps the left page in
/// its back/forward cache): alice sees him go offline, as the bar closes its socket when the
/// page hides (a browser may keep a cached page's socket open and answer the hub's pings,
/// so without that he would show online for as long as the page stays cached). Bob comes back
/// with Back: the page is the cached one, its bar connects again, and alice sees him under
/// "Here now" again.
pub async fn leaving_the_page_is_offline_and_coming_back_is_here_again(env: &Env) -> Result<()> {
    let (server, alice, bob) = both_on_the_messenger_page(env).await?;

    bob.js(
        "window.__leftAndBack = 'the same page'; return true;",
        vec![],
    )
    .await?;
    bob.goto(&format!("{}/consent", server.provider)).await?;
    let groups = wait_bob_under(&alice, "Offline").await?;
    check(
        !under(&groups, "Here now", "Bob"),
        format!("bob left: not here now: {groups}"),
    )?;

    bob.client.back().await?;
    let same = bob
        .js("return window.__leftAndBack || null;", vec![])
        .await?;
    check(
        same == json!("the same page"),
        format!("Back shows the cached page (its script state kept): {same}"),
    )?;
    crate::bar::wait_online(&bob).await?;
    wait_here_now(&alice, "alice", &["Bob"]).await?;
    wait_here_now(&bob, "bob", &["Alice"]).await?;
    wl_e2e::flow::check_no_alert(&alice).await?;
    wl_e2e::flow::check_no_alert(&bob).await
}

/// Bob goes from one page of the site to the next, both with a bar: the old page closes its
/// socket (`pagehide`) and the next one opens its own. Alice hears nothing of it, during the
/// hub's offline grace or after: no `offline`, and bob stays under "Here now". Without the
/// grace she saw him go offline and come back.
pub async fn going_to_the_next_page_is_no_offline_to_friends(env: &Env) -> Result<()> {
    let (server, alice, bob) = both_on_the_messenger_page(env).await?;
    record_presence(&alice).await?;

    bob.goto(&server.site_url("/demo/messenger-2.html")).await?;
    crate::bar::wait_online(&bob).await?;
    wait_here_now(&bob, "bob", &["Alice"]).await?;
    // The hub's offline grace (3 s, docs/messenger.md) and a second more.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let heard = alice.js("return window.__presence;", vec![]).await?;
    check(
        heard.as_array().is_some_and(|a| a.is_empty()),
        format!("alice heard nothing of bob's page change: {heard}"),
    )?;
    let groups = wait_here_now(&alice, "alice", &["Bob"]).await?;
    shot(&alice, "page-change-still-here-1280").await?;

    // The recorder hears a real change: bob chooses "busy" on the new page.
    crate::bar::set_presence(&bob, "busy").await?;
    let heard = heard_presence(&alice, "busy").await?;
    check(
        heard.as_array().is_some_and(|a| a.len() == 1),
        format!("one presence event, busy, and no offline before it: {heard} ({groups})"),
    )?;
    wl_e2e::flow::check_no_alert(&alice).await?;
    wl_e2e::flow::check_no_alert(&bob).await
}

/// Bob signs out with his bar's "Sign out": alice hears "offline" at once, though the hub's
/// offline grace (set to 10 minutes here) would keep someone who changes pages online. The bar
/// closes its socket saying so (close code 4000, docs/messenger.md).
pub async fn signing_out_is_offline_to_friends_at_once(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions {
        serve_args: vec!["--hub-offline-grace-ms".into(), "600000".into()],
        ..ServerOptions::default()
    })?;
    let (_server, alice, bob) = both_on_the_messenger_page_of(env, server).await?;
    record_presence(&alice).await?;
    crate::bar::toggle_own_panel(&bob).await?;
    crate::bar::wait_bar(
        &bob,
        "the bar's sign-out button, clicked",
        "const b = root.querySelector('button[data-action=signout]');
         if (!b || b.offsetWidth === 0) return null;
         b.click();
         return true;",
        vec![],
    )
    .await?;
    // Within the usual wait, far less than the grace.
    let heard = heard_presence(&alice, "offline").await?;
    check(
        heard.as_array().is_some_and(|a| a.len() == 1),
        format!("one presence event, offline: {heard}"),
    )?;
    let groups = wait_bob_under(&alice, "Offline").await?;
    check(
        !under(&groups, "Here now", "Bob"),
        format!("bob signed out: not here now: {groups}"),
    )?;
    shot(&alice, "signed-out-offline-1280").await?;
    wl_e2e::flow::check_no_alert(&alice).await
}
