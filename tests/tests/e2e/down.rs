//! The provider down, seen from a customer's page (issue 13, "Faults"): the page and the loader
//! are served by a plain static server (Python's `http.server`) on an origin of their own, the
//! provider runs in its own process and is killed (SIGKILL). Clicking `<wl-signin>` while it is
//! down ends promptly in the documented error state (`connection_failed`: the `wl-error` event,
//! `data-wl-error`, and the button says the sign-in is unavailable), with no window left
//! behind; `<wl-userinfo>` of a signed-in page reloaded while it is down shows its fallback with
//! `data-wl-error`, and shows the person again by itself once the provider is back (it tries again
//! every 10 s). Once the provider is back, the same page signs in and shows the person.
//! axe-core finds nothing in either error state.

use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Probe, Result, check, http, paths, static_site};

use crate::down;

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![down::controls_show_an_error_while_the_provider_is_down_and_recover]
}

/// Records every `wl-error` in `window.__errors` (the page has no CSP: inline is fine).
const RECORD: &str = "<script>window.__errors = []; document.addEventListener('wl-error', \
    e => window.__errors.push({ tag: e.target.localName, code: e.detail && e.detail.code }));</script>";

/// Both controls' `data-wl-error`, the `wl-error` events so far and the button's text.
const STATE: &str = "const s = document.querySelector('wl-signin');
    const u = document.querySelector('wl-userinfo');
    const btn = s.shadowRoot && s.shadowRoot.querySelector('button');
    const status = s.shadowRoot && s.shadowRoot.querySelector('[role=status]');
    const guest = document.querySelector('.guest');
    return { signin: s.getAttribute('data-wl-error'), userinfo: u.getAttribute('data-wl-error'),
             errors: window.__errors, button: btn ? btn.textContent.trim() : null,
             busy: btn ? btn.getAttribute('aria-busy') : null,
             status: status ? status.textContent.trim() : null,
             guest: !!guest && guest.getClientRects().length > 0 };";

pub async fn controls_show_an_error_while_the_provider_is_down_and_recover(
    env: &Env,
) -> Result<()> {
    let mut server = DevServer::start(&ServerOptions::default())?;
    let port = http::free_port()?;
    let customer = format!("http://127.0.0.1:{port}");
    let client_id = crate::cdn::register_app(server.data_dir(), &customer)?;

    // The customer's origin serves the page, its one-line callback and a copy of the loader.
    let root = tempfile::Builder::new().prefix("wl-e2e-down-").tempdir()?;
    let dist = paths::wl_dist()?;
    std::fs::create_dir(root.path().join("pkg"))?;
    std::fs::copy(dist.join("wl.js"), root.path().join("wl.js"))?;
    for entry in std::fs::read_dir(dist.join("pkg"))? {
        let entry = entry?;
        std::fs::copy(
            entry.path(),
            root.path().join("pkg").join(entry.file_name()),
        )?;
    }
    std::fs::write(
        root.path().join("callback.html"),
        "<!doctype html><script src=\"/wl.js\"></script>\n",
    )?;
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>A customer's site</title>{RECORD}</head><body>\n<h1>A customer's site</h1>\n\
         <script src=\"/wl.js\" data-client-id=\"{client_id}\" data-authority=\"{provider}\" \
         data-scope=\"wl.signin wl.basic\" data-redirect-uri=\"{customer}/callback.html\"></script>\n\
         <wl-signin theme=\"blue\"></wl-signin>\n\
         <wl-userinfo layout=\"full\"><span class=\"guest\">Guest</span></wl-userinfo>\n\
         </body></html>\n",
        provider = server.provider,
    );
    std::fs::write(root.path().join("index.html"), page)?;
    let _site = static_site::serve(root.path(), port, false, "index.html")?;

    // The provider is down when the visitor arrives.
    server.crash();
    let b = env.browser().await?;
    b.goto(&format!("{customer}/index.html")).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    // Promptly (the loader tries discovery three times, 1 s and 3 s apart): the error state,
    // and the popup it opened is closed again.
    let down = wait_state(&b, "the sign-in to fail with connection_failed", |s| {
        s["signin"] == "connection_failed" && s["busy"].is_null()
    })
    .await?;
    check(
        down["errors"] == json!([{ "tag": "wl-signin", "code": "connection_failed" }]),
        format!("one wl-error connection_failed from <wl-signin>: {down}"),
    )?;
    check(
        down["button"]
            .as_str()
            .is_some_and(|t| t.contains("connect") && t.contains("try again")),
        format!("the button should say it cannot connect: {down}"),
    )?;
    check(
        down["status"] == down["button"],
        format!("and announce it (role=status): {down}"),
    )?;
    check(
        b.windows().await?.len() == 1,
        "no popup left open after the failed sign-in",
    )?;
    check(
        down["userinfo"].is_null(),
        format!("nobody to show: {down}"),
    )?;
    crate::a11y::check_axe(
        &b,
        &["wl-signin", "wl-userinfo"],
        "with the sign-in unreachable",
    )
    .await?;
    screenshots(&b, "signin-unreachable").await?;

    // The provider is back: the next click signs in, and the error state is gone.
    server.restart()?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(15)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    let up = b.js(STATE, vec![]).await?;
    check(
        up["signin"].is_null() && up["userinfo"].is_null(),
        format!("no data-wl-error once signed in: {up}"),
    )?;

    // Signed in, the provider goes down again and the page is reloaded: <wl-userinfo> cannot
    // fetch the person, shows its fallback and says why.
    server.crash();
    b.client.refresh().await?;
    let down = wait_state(&b, "<wl-userinfo> to fail with connection_failed", |s| {
        s["userinfo"] == "connection_failed"
    })
    .await?;
    check(
        down["errors"].as_array().is_some_and(|e| {
            e.contains(&json!({ "tag": "wl-userinfo", "code": "connection_failed" }))
        }),
        format!("a wl-error connection_failed from <wl-userinfo>: {down}"),
    )?;
    check(
        down["guest"] == json!(true),
        format!("the fallback content shows: {down}"),
    )?;
    let view = flow::userinfo_view(&b, "wl-userinfo").await?;
    check(
        view.images.is_empty() && !view.text.contains("Alice"),
        format!("no person shown: {view:?}"),
    )?;
    crate::a11y::check_axe(
        &b,
        &["wl-signin", "wl-userinfo"],
        "with <wl-userinfo> unreachable",
    )
    .await?;
    screenshots(&b, "userinfo-unreachable").await?;

    // Back again: without a reload or a click, the page shows Alice again (the control tries
    // again every 10 s while it cannot reach the provider), the error state gone.
    server.restart()?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(25)).await?;
    let up = b.js(STATE, vec![]).await?;
    check(
        up["userinfo"].is_null() && up["signin"].is_null(),
        format!("no data-wl-error once the provider is back: {up}"),
    )?;
    Ok(())
}

/// Polls [`STATE`] until `done` holds (20 s at most: a failure must come, not a hang).
async fn wait_state(b: &Browser, what: &str, done: impl Fn(&Json) -> bool) -> Result<Json> {
    b.wait_for(what, Duration::from_secs(20), || async {
        let s = b.js(STATE, vec![]).await?;
        Ok(if done(&s) {
            Probe::Done(s)
        } else {
            Probe::NotYet(s.to_string())
        })
    })
    .await
}

/// `target/screenshots/down/{name}-1280.png` and `-390.png`.
async fn screenshots(b: &Browser, name: &str) -> Result<()> {
    let dir = paths::screenshots_dir()?.join("down");
    std::fs::create_dir_all(&dir)?;
    for (w, h) in [(1280, 900), (390, 844)] {
        b.client.set_window_size(w, h).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        b.screenshot_to(&dir.join(format!("{name}-{w}.png")))
            .await?;
    }
    b.client.set_window_size(1280, 900).await?;
    Ok(())
}
