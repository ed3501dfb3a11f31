//! The sign-in flow through `<wl-signin>` and the provider's popup.

use serde_json::json;
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Env, Result, check, http};

const SIGNIN: &str = "wl-signin";
const USERINFO: &str = "wl-userinfo";

/// Alice signs in on the demo page; the session survives a reload and a move to another page
/// (sessionStorage); signing out empties `<wl-userinfo>` for good.
pub async fn full_flow_keeps_session_and_signs_out(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(15)).await?;
    flow::wait_userinfo_empty(&b, USERINFO, Duration::from_secs(2)).await?;

    flow::click_control_button(&b, SIGNIN).await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    // The popup lands on the provider's origin (after starting blank on the site).
    let popup_url = flow::wait_popup_at(&b, &popup, &server.provider).await?;
    check(
        popup_url.contains("/authorize") && popup_url.contains("code_challenge_method=S256"),
        format!("the popup should show the provider's /authorize with PKCE S256, not {popup_url}"),
    )?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    let shown = flow::wait_userinfo_shows(&b, USERINFO, "Alice", Duration::from_secs(10)).await?;
    check(
        shown
            .images
            .iter()
            .all(|src| src.starts_with(&server.provider)),
        format!(
            "the picture should come from the provider: {:?}",
            shown.images
        ),
    )?;
    flow::wait_button_text(&b, SIGNIN, "sign out", Duration::from_secs(5)).await?;
    b.wait_event("wl-login", "wl-signin", Duration::from_secs(5))
        .await?;
    check(
        flow::has_session(&b).await?,
        "WL.getSession() has an access token",
    )?;
    let url = b.client.current_url().await?.to_string();
    check(
        !url.contains("code=") && !url.contains("access_token"),
        format!("no code or token in the page's URL: {url}"),
    )?;

    // Reload: the session is restored from sessionStorage.
    b.client.refresh().await?;
    flow::wait_userinfo_shows(&b, USERINFO, "Alice", Duration::from_secs(15)).await?;
    flow::wait_button_text(&b, SIGNIN, "sign out", Duration::from_secs(5)).await?;
    // Another page of the site, same tab: still signed in.
    b.goto(&server.site_url("/demo/about.html")).await?;
    flow::wait_userinfo_shows(&b, USERINFO, "Alice", Duration::from_secs(15)).await?;

    // Sign out.
    flow::click_control_button(&b, SIGNIN).await?;
    flow::wait_userinfo_empty(&b, USERINFO, Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(5)).await?;
    b.wait_event("wl-logout", "wl-signin", Duration::from_secs(5))
        .await?;
    check(
        !flow::has_session(&b).await?,
        "no session after signing out",
    )?;
    b.client.refresh().await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(15)).await?;
    flow::wait_userinfo_empty(&b, USERINFO, Duration::from_secs(2)).await?;

    // The strict CSP of the demo pages held: nothing was blocked.
    check_no_csp_violations(&b).await
}

/// Fails if the console reports a Content-Security-Policy violation.
pub async fn check_no_csp_violations(b: &wl_e2e::Browser) -> Result<()> {
    let log = b.console_log().await;
    let csp: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("Content Security Policy") || l.contains("Content-Security-Policy"))
        .collect();
    check(csp.is_empty(), format!("CSP violations: {csp:#?}"))
}

/// Bob denies consent: `wl-error` with `access_denied`, nobody signed in.
pub async fn deny_fires_access_denied(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    flow::sign_in_in_popup(&b, &server.provider, "bob", Decision::Deny).await?;
    let event = b
        .wait_event("wl-error", "access_denied", Duration::from_secs(10))
        .await?;
    check(
        event.to_string().contains("wl-signin"),
        format!("the error comes from <wl-signin>: {event}"),
    )?;
    flow::wait_userinfo_empty(&b, USERINFO, Duration::from_secs(2)).await?;
    check(!flow::has_session(&b).await?, "no session after a denial")?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(5)).await?;
    Ok(())
}

/// The visitor closes the popup without signing in: `wl-error` with `user_canceled`, and the
/// next click opens a new popup (nothing stale blocks it).
pub async fn closing_the_popup_is_user_canceled(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    flow::wait_popup_at(&b, &popup, &server.provider).await?;
    // A person reads the page, then closes it.
    b.client.switch_to_window(popup.clone()).await?;
    b.find("input[type=password]").await?;
    flow::close_popup_after_reading(&b).await?;

    // Try again: a fresh popup opens and works.
    flow::click_control_button(&b, SIGNIN).await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, USERINFO, "Alice", Duration::from_secs(10)).await?;
    Ok(())
}

/// With `--provider-coop same-origin` the popup's opener link is cut by the browser; the
/// result still arrives (BroadcastChannel) and the sign-in completes.
pub async fn provider_coop_same_origin_still_completes(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions {
        provider_coop: Some("same-origin".into()),
        ..Default::default()
    })?;
    // Make sure the option is in force, so this test proves what it says.
    let raw = http::get_raw(&format!("{}/authorize", server.provider)).unwrap_or_default();
    check(
        raw.to_ascii_lowercase()
            .contains("cross-origin-opener-policy: same-origin"),
        format!(
            "provider HTML pages should send COOP same-origin; got headers:\n{}",
            raw.split("\r\n\r\n").next().unwrap_or_default()
        ),
    )?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, USERINFO, "Alice", Duration::from_secs(15)).await?;
    b.wait_event("wl-login", "wl-signin", Duration::from_secs(5))
        .await?;
    check(
        flow::has_session(&b).await?,
        "WL.getSession() has an access token",
    )?;
    let errors = b.events().await?;
    check(
        !errors.iter().any(|e| e["type"] == json!("wl-error")),
        format!(
            "no wl-error on the way: {}",
            serde_json::Value::Array(errors.clone())
        ),
    )?;
    // Close the browser before the server goes away (the runner closes it too; harmless).
    b.close().await?;
    Ok(())
}

/// Mallory's display name is markup; it is shown as text: no element made from it, no alert.
pub async fn markup_in_a_name_is_shown_as_text(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    flow::sign_in_in_popup(&b, &server.provider, "mallory", Decision::Allow).await?;
    let name = "<img src=x onerror=alert(1)>";
    let shown = flow::wait_userinfo_shows(&b, USERINFO, name, Duration::from_secs(10)).await?;
    check(
        !shown.images.iter().any(|s| s == "x"),
        format!(
            "an <img src=x> was created from the name: {:?}",
            shown.images
        ),
    )?;
    let stray = b
        .js(
            "const all = [document, ...[...document.querySelectorAll('*')]
               .filter(e => e.shadowRoot).map(e => e.shadowRoot)];
             return all.flatMap(r => [...r.querySelectorAll('img')])
               .filter(i => i.getAttribute('src') === 'x' || i.hasAttribute('onerror')).length;",
            vec![],
        )
        .await?;
    check(
        stray == json!(0),
        format!("{stray} injected <img> elements found"),
    )?;
    // For people to look at: the name as the visitor sees it.
    let shot = b.find(USERINFO).await?.screenshot().await?;
    std::fs::write(
        wl_e2e::paths::screenshots_dir()?.join("mallory-userinfo.png"),
        shot,
    )?;
    // Let a would-be onerror fire, then make sure no alert opened.
    tokio::time::sleep(Duration::from_millis(500)).await;
    flow::check_no_alert(&b).await
}

/// Issue 13, item 11, attacked in a real browser: while Alice's sign-in is pending, someone gets
/// her browser to open the site's callback page with a forged error (no `state`, then a wrong
/// one) in another tab, and a page of the site broadcasts a state-less error on the callback
/// channel (as an older callback page did). None of it ends the sign-in: she completes consent
/// and is signed in, with no `wl-error`.
pub async fn a_forged_callback_error_does_not_end_a_pending_sign_in(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(15)).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    flow::wait_popup_at(&b, &popup, &server.provider).await?;
    // The attacker's tab: no opener, on the site's origin.
    let tab = b.client.new_window(true).await?.handle;
    b.client.switch_to_window(tab.clone()).await?;
    for forged in [
        "/callback.html?error=access_denied",
        "/callback.html?error=access_denied&state=forged",
    ] {
        b.goto(&server.site_url(forged)).await?;
    }
    b.goto(&server.site_url("/demo/about.html")).await?;
    b.js(
        r#"var c = new BroadcastChannel("wl-connect");
           c.postMessage({ type: "wl-connect:callback", query: "?error=access_denied" });
           c.postMessage({ type: "wl-connect:callback", query: "?error=access_denied&error_description=forged" });
           c.close(); return true;"#,
        vec![],
    )
    .await?;
    b.client.close_window().await?;
    b.switch_to_main().await?;
    // Give a wrongly accepted error time to land, as a person would take to read the consent.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let errors: Vec<_> = b
        .events()
        .await?
        .into_iter()
        .filter(|e| e.to_string().contains("wl-error"))
        .collect();
    check(
        errors.is_empty(),
        format!("the forged errors ended the sign-in: {errors:?}"),
    )?;
    flow::sign_in_in_given_popup(&b, &popup, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, USERINFO, "Alice", Duration::from_secs(10)).await?;
    check(
        flow::has_session(&b).await?,
        "signed in after the forgeries",
    )?;
    Ok(())
}
