//! The popup opens synchronously in the click, even before the wasm core has loaded; without
//! a user gesture it is blocked and the promise says so.

use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::{Browser, Env, Result, check};

/// Every request of the page takes this long (CDP network emulation), so the person can
/// click the page's own `WL.login()` button while the core's wasm is still on its way.
const LATENCY_MS: u64 = 1500;

/// A browser that does not wait for loads, on a network with [`LATENCY_MS`] of latency.
async fn slow_browser(env: &Env) -> Result<Browser> {
    let b = env.browser_with_page_load("none").await?;
    b.set_latency(LATENCY_MS).await?;
    Ok(b)
}

/// The page's button calls `WL.login()` while `wl_connect_bg.wasm` is still downloading;
/// the popup opens anyway (not blocked) and the sign-in completes.
pub async fn opens_before_the_core_has_loaded(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = slow_browser(env).await?;
    b.goto(&server.site_url("/demo/script.html")).await?;
    // As soon as the page's script has wired its button, click it.
    b.wait_js(
        "script.html's own script to be ready",
        Duration::from_secs(20),
        "return window.__scriptReady === true && !!document.getElementById('login-js');",
    )
    .await?;
    let button = b.find("#login-js").await?;
    button.click().await?;
    let click = b
        .wait_event("login-click", "wasmLoaded", Duration::from_secs(5))
        .await?;
    check(
        click["detail"]["wasmLoaded"] == Json::Bool(false),
        format!("the test must click before the core's wasm has loaded, but: {click}"),
    )?;
    let popup = b.wait_for_popup(Duration::from_secs(5)).await?;
    // The page is fast again; the sign-in goes through in the popup.
    b.set_latency(0).await?;
    let _ = popup;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    b.wait_event(
        "login-resolved",
        "\"has_token\":true",
        Duration::from_secs(20),
    )
    .await?;
    flow::wait_userinfo_shows(&b, "#header-userinfo", "Alice", Duration::from_secs(15)).await?;
    Ok(())
}

/// `<wl-signin>` is drawn by `wl.js` the moment it connects (issue 12 §4's first paint), before
/// its wasm module arrives; a click on that button then already signs in: the popup opens in the
/// click, the sign-in completes once the module is there, the control tells the page with
/// `wl-login`, and the module, taking the button over, says "Sign out".
pub async fn a_click_on_the_first_paint_signs_in_before_the_module_arrives(
    env: &Env,
) -> Result<()> {
    let server = env.server()?;
    let b = slow_browser(env).await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    let drawn = b
        .wait_js(
            "the first paint of <wl-signin>",
            Duration::from_secs(20),
            "const h = document.querySelector('wl-signin');
             const btn = h && h.shadowRoot && h.shadowRoot.querySelector('button');
             return btn && btn.getClientRects().length > 0 && btn.textContent.trim() === 'Sign in'
               ? { module: !!h.__wl } : null;",
        )
        .await?;
    check(
        drawn["module"] == Json::Bool(false),
        format!("the button must be drawn before its module arrives: {drawn}"),
    )?;
    let button = b
        .wait_shadow("wl-signin", "button", Duration::from_secs(1))
        .await?;
    button.click().await?;
    let clicked = b
        .js("return !!document.querySelector('wl-signin').__wl;", vec![])
        .await?;
    check(
        clicked == Json::Bool(false),
        "the test must click before the control's module has arrived",
    )?;
    b.wait_for_popup(Duration::from_secs(5)).await?;
    b.set_latency(0).await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    b.wait_event("wl-login", "wl-signin", Duration::from_secs(20))
        .await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(15)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    Ok(())
}

/// `WL.login()` from a timer with no user gesture behind it: Chromium blocks the popup and
/// the promise rejects with `popup_blocked`; no window is left behind.
pub async fn login_outside_a_gesture_is_popup_blocked(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    // Wait until the loader is ready (the button rendered), so only the gesture is missing.
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    b.js(
        "setTimeout(() => {
           WL.login({ scope: 'wl.signin wl.basic' }).then(
             r => window.__wlRecord('login-resolved', { status: r && r.status }),
             e => window.__wlRecord('login-rejected', e));
         }, 0);",
        vec![],
    )
    .await?;
    let rejected = b
        .wait_event("login-rejected", "code", Duration::from_secs(10))
        .await?;
    check(
        rejected["detail"]["code"] == json!("popup_blocked"),
        format!("WL.login should reject with popup_blocked: {rejected}"),
    )?;
    let windows = b.windows().await?;
    check(
        windows.len() == 1,
        format!("no popup window should be open, found {}", windows.len()),
    )?;
    // And the visitor's next real click works.
    flow::click_control_button(&b, "wl-signin").await?;
    b.wait_for_popup(Duration::from_secs(10)).await?;
    Ok(())
}

/// A second `WL.login()` while the first popup is open cancels the first with
/// `request_canceled`; the second completes.
pub async fn a_second_login_cancels_the_first(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/script.html")).await?;
    b.wait_js(
        "script.html's own script to be ready",
        Duration::from_secs(15),
        "return window.__scriptReady === true;",
    )
    .await?;
    let button = b.find("#login-js").await?;
    button.click().await?;
    let first = b.wait_for_popup(Duration::from_secs(10)).await?;
    let before = b.windows().await?;
    button.click().await?;
    let rejected = b
        .wait_event("login-rejected", "code", Duration::from_secs(10))
        .await?;
    check(
        rejected["detail"]["code"] == json!("request_canceled"),
        format!("the first WL.login should reject with request_canceled: {rejected}"),
    )?;
    // The second sign-in uses a new popup, or the same window pointed anew.
    let after = b.windows().await?;
    let second = after
        .iter()
        .find(|w| !before.contains(w))
        .cloned()
        .unwrap_or(first);
    flow::sign_in_in_given_popup(&b, &second, &server.provider, "alice", Decision::Allow).await?;
    b.wait_event(
        "login-resolved",
        "\"has_token\":true",
        Duration::from_secs(15),
    )
    .await?;
    let resolved = b
        .events()
        .await?
        .iter()
        .filter(|e| e["type"] == json!("login-resolved"))
        .count();
    check(
        resolved == 1,
        format!("exactly one WL.login resolves, not {resolved}"),
    )?;
    Ok(())
}
