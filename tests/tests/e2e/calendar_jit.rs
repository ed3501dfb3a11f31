//! Just-in-time consent for writing a calendar (issue 16 §4, the seed's own example).
//!
//! The page is `www/demo/calendar.html`: it signs in with `wl.signin wl.calendars` and lists
//! the next 30 days of the default calendar; its "Add event" button, when the session lacks
//! `wl.calendars_update`, calls `WL.login({scope: "wl.calendars_update"})` inside the click
//! (so the popup may open), then creates the event with `WL.api({method: "POST"})` and lists
//! the calendar again.

use crate::calendar_jit;
use serde_json::json;
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Result, check, paths};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![calendar_jit::add_event_asks_for_write_only_when_clicked]
}

/// What the consent screen says for `wl.calendars_update` (server/src/identity/scopes.rs).
const WRITE_WORDS: &str = "Add, change and delete events in your calendars";

/// Saves the page at `width` (the window grown to the document's height).
async fn shoot(b: &Browser, width: u32, name: &str) -> Result<()> {
    b.client.set_window_size(width, 900).await?;
    let height = b
        .js("return document.documentElement.scrollHeight;", vec![])
        .await?
        .as_u64()
        .unwrap_or(900)
        .clamp(600, 3000) as u32;
    b.client.set_window_size(width, height + 100).await?;
    b.js("window.scrollTo(0, 0); return true;", vec![]).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.screenshot_to(&paths::screenshots_dir()?.join(name))
        .await?;
    b.client.set_window_size(1280, 900).await?;
    Ok(())
}

/// Sign in with `wl.calendars` only: the seeded events are listed. "Add event": the popup's
/// consent screen lists only the write scope; allow; the event is created with `WL.api` and
/// listed. A second event needs no popup. axe finds nothing; screenshots at 1280 and 390 px.
pub async fn add_event_asks_for_write_only_when_clicked(env: &Env) -> Result<()> {
    // Its own server: alice must have no grant for the demo app yet.
    let server = DevServer::start(&ServerOptions::default())?;
    let provider = server.provider.clone();
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/calendar.html")).await?;
    crate::a11y::wait_all_rendered(&b).await?;
    crate::a11y::check_axe(&b, &[], "on calendar.html, signed out").await?;
    // The page has no <wl-userinfo>: it never asks for the profile, only the calendar.
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &provider, "alice", Decision::Allow).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(10)).await?;
    let scope = b.js("return WL.getSession().scope;", vec![]).await?;
    check(
        scope.as_array().is_some_and(|s| {
            s.contains(&json!("wl.calendars")) && !s.contains(&json!("wl.calendars_update"))
        }),
        format!("signed in with wl.calendars and without wl.calendars_update: {scope}"),
    )?;

    // The seeded demo calendar is listed.
    let loaded = b
        .wait_event("events-loaded", "count", Duration::from_secs(15))
        .await?;
    check(
        loaded["detail"]["count"] == json!(4),
        format!("the four seeded events of the coming week are listed: {loaded}"),
    )?;
    b.wait_js(
        "the page to list the events",
        Duration::from_secs(5),
        "return document.querySelectorAll('#event-list li').length === 4
           && document.getElementById('event-list').textContent.includes('Book club');",
    )
    .await?;
    crate::a11y::check_axe(&b, &[], "on calendar.html, signed in").await?;
    shoot(&b, 1280, "calendar-1280.png").await?;
    shoot(&b, 390, "calendar-390.png").await?;

    // Just in time: the click asks for the write scope only.
    b.js(
        "window.__events.length = 0;
         document.getElementById('event-name').value = 'Bake sourdough, then; rest';
         return true;",
        vec![],
    )
    .await?;
    b.find("#add-event").await?.click().await?;
    let scopes = flow::consent_scopes_in_popup(&b, &provider).await?;
    let popup = b.client.window().await?;
    check(
        scopes == [WRITE_WORDS],
        format!(
            "the consent screen for WL.login({{scope: \"wl.calendars_update\"}}) should list only \
             {WRITE_WORDS:?} (the session has wl.calendars already), it lists {scopes:?}"
        ),
    )?;
    flow::sign_in_in_given_popup(&b, &popup, &provider, "alice", Decision::Allow).await?;
    b.wait_event(
        "more-scope-granted",
        "wl.calendars_update",
        Duration::from_secs(10),
    )
    .await?;
    let created = b
        .wait_event("event-created", "Bake sourdough", Duration::from_secs(10))
        .await?;
    check(
        created["detail"]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("event.")),
        format!("the event is created: {created}"),
    )?;
    let listed = b
        .wait_event("events-loaded", "Bake sourdough", Duration::from_secs(10))
        .await?;
    check(
        listed["detail"]["count"] == json!(5),
        format!("the new event is listed with the others: {listed}"),
    )?;
    let scope = b.js("return WL.getSession().scope;", vec![]).await?;
    check(
        scope.as_array().is_some_and(|s| {
            s.contains(&json!("wl.calendars")) && s.contains(&json!("wl.calendars_update"))
        }),
        format!("the session now has both calendar scopes: {scope}"),
    )?;

    // A second event: the session has the scope, so no popup.
    b.js(
        "window.__events.length = 0;
         document.getElementById('event-name').value = 'Pickle cucumbers';
         return true;",
        vec![],
    )
    .await?;
    let windows = b.client.windows().await?.len();
    b.find("#add-event").await?.click().await?;
    b.wait_event("event-created", "Pickle cucumbers", Duration::from_secs(10))
        .await?;
    b.wait_event("events-loaded", "Pickle cucumbers", Duration::from_secs(10))
        .await?;
    check(
        b.client.windows().await?.len() == windows,
        "no popup for the second event",
    )?;
    b.wait_js(
        "the page to list both new events",
        Duration::from_secs(5),
        "const t = document.getElementById('event-list').textContent;
         return t.includes('Bake sourdough, then; rest') && t.includes('Pickle cucumbers');",
    )
    .await?;
    crate::a11y::check_axe(&b, &[], "on calendar.html, after adding").await?;
    Ok(())
}
