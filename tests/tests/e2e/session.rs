//! Where the session lives (`data-storage`), and redirect mode (`data-mode="redirect"`).

use fantoccini::wd::WindowHandle;
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Probe, Result, check};

async fn sign_in_on(b: &Browser, provider: &str, page: &str) -> Result<()> {
    b.goto(page).await?;
    flow::click_control_button(b, "wl-signin").await?;
    flow::sign_in_in_popup(b, provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    Ok(())
}

async fn open_tab(b: &Browser, url: &str) -> Result<WindowHandle> {
    let tab = b.client.new_window(true).await?;
    let handle = tab.handle;
    b.client.switch_to_window(handle.clone()).await?;
    b.goto(url).await?;
    Ok(handle)
}

/// The default (`sessionStorage`): a second tab of the same site starts signed out.
pub async fn default_session_stays_in_its_tab(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let page = server.site_url("/demo/index.html");
    sign_in_on(&b, &server.provider, &page).await?;
    let tab = open_tab(&b, &page).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(2)).await?;
    check(
        !flow::has_session(&b).await?,
        "no session in a new tab by default",
    )?;
    b.client.close_window().await?;
    let _ = tab;
    b.switch_to_main().await
}

/// `data-storage="local"`: a second tab is signed in too.
pub async fn local_storage_is_shared_by_tabs(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let page = server.site_url("/demo/storage-local.html");
    sign_in_on(&b, &server.provider, &page).await?;
    open_tab(&b, &page).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(15)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    b.client.close_window().await?;
    b.switch_to_main().await
}

/// `data-storage="local"`: tabs already open follow each other's sign-in and sign-out, without
/// a reload (the `storage` event).
pub async fn local_storage_tabs_follow_each_other(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let page = server.site_url("/demo/storage-local.html");
    b.goto(&page).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    let tab = open_tab(&b, &page).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    // Signed in in the first tab: the second one shows the person.
    b.switch_to_main().await?;
    flow::click_control_button(&b, "wl-signin").await?;
    let popup = b
        .wait_for("the sign-in popup", Duration::from_secs(10), || async {
            let open = b.client.windows().await?;
            let n = open.len();
            Ok(open
                .into_iter()
                .find(|w| w != b.main_window() && *w != tab)
                .map_or_else(|| Probe::NotYet(format!("{n} windows")), Probe::Done))
        })
        .await?;
    flow::sign_in_in_given_popup(&b, &popup, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    b.client.switch_to_window(tab.clone()).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    check(
        flow::has_session(&b).await?,
        "the second tab has the session",
    )?;
    // Signed out in the second tab: the first one is signed out too.
    flow::click_control_button(&b, "wl-signin").await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(10)).await?;
    b.client.close_window().await?;
    b.switch_to_main().await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(10)).await?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(5)).await?;
    check(
        !flow::has_session(&b).await?,
        "the first tab's session ended with the second tab's sign-out",
    )
}

/// A page of the same site without the loader.
const BLANK_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Elsewhere on the site</title><link rel=\"icon\" href=\"data:,\"></head><body></body></html>";

/// A page that keeps a renewable session (`wl.offline_access`) in `localStorage`.
const RENEWING_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Renewals</title>
<link rel="icon" href="data:,">
<script src="/wl.js" data-client-id="wl-demo" data-authority="http://127.0.0.1:8081" data-scope="wl.signin wl.basic wl.offline_access" data-redirect-uri="/callback.html" data-storage="local"></script>
</head>
<body><wl-userinfo></wl-userinfo> <wl-signin></wl-signin></body>
</html>
"#;

/// The provider saw no refresh token presented twice: neither a reuse (which revokes the family)
/// nor a retried rotation (which replaces the first presentation's tokens). `seen` is what the
/// pages had, for the failure message.
fn presented_once(server: &DevServer, seen: &serde_json::Value) -> Result<()> {
    let log = server.log_tail(400);
    check(
        !log.contains("refresh token reused") && !log.contains("rotation retried"),
        format!("no refresh token presented twice ({seen}); the provider said:\n{log}"),
    )
}

/// A dev host whose access tokens live 10 s (`serve --access-ttl 10`), serving [`RENEWING_PAGE`]
/// (with `local` storage, or else the default `session`) as `/renew.html` and [`BLANK_PAGE`] as
/// `/blank.html`, and a browser where Alice has signed in on `renew.html` with a refresh token;
/// `first` is her first access token.
async fn signed_in_with_short_tokens(
    env: &Env,
    local: bool,
) -> Result<(DevServer, Browser, serde_json::Value)> {
    let page = if local {
        RENEWING_PAGE.to_owned()
    } else {
        RENEWING_PAGE.replace(" data-storage=\"local\"", "")
    };
    let options = ServerOptions {
        serve_args: vec!["--access-ttl".into(), "10".into()],
        ..ServerOptions::default()
    };
    let pages = [("renew.html", page.as_str()), ("blank.html", BLANK_PAGE)];
    let server = DevServer::start_with_pages(&options, &pages)?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/renew.html")).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    let first = b.js("return WL.getSession().access_token;", vec![]).await?;
    Ok((server, b, first))
}

/// `data-storage="local"` with a refresh token, and access tokens of 10 s (`serve --access-ttl
/// 10`): three pages of the site open at once on an expired stored session (as a restarted
/// browser restores its tabs; here three frames, which share storage and Web Locks as tabs do).
/// They renew it one at a time: one refresh grant, which the others take from storage. Without
/// the lock all three present the same refresh token at once, and the third presentation is a
/// reuse that revokes every token of the family (RFC 9700 §4.14.2).
pub async fn local_tabs_restoring_at_once_refresh_once(env: &Env) -> Result<()> {
    let (server, b, first) = signed_in_with_short_tokens(env, true).await?;
    // No page of the site renews it while its access token expires.
    b.goto(&server.site_url("/blank.html")).await?;
    tokio::time::sleep(Duration::from_secs(11)).await;
    b.js(
        "for (let i = 0; i < 3; i++) { const f = document.createElement('iframe'); \
         f.src = '/renew.html'; document.body.appendChild(f); } return true;",
        vec![],
    )
    .await?;
    let tokens = b
        .wait_js(
            "three restored sessions",
            Duration::from_secs(15),
            "const t = [...document.querySelectorAll('iframe')].map(f => { \
               const w = f.contentWindow, s = w.WL && w.WL.getSession(); \
               return s && s.access_token; }); \
             return t.length === 3 && t.every(x => typeof x === 'string') && t;",
        )
        .await?;
    let me = b
        .js(
            "return Promise.all([...document.querySelectorAll('iframe')].map(f => \
               f.contentWindow.WL.api('me').then(r => r.name, e => 'rejected: ' + e.code)));",
            vec![],
        )
        .await?;
    presented_once(&server, &tokens)?;
    let t = tokens.as_array().cloned().unwrap_or_default();
    check(
        t.iter().all(|x| *x == t[0]) && t[0] != first,
        format!("one renewed token in all three pages: {tokens} (signed in with {first})"),
    )?;
    check(
        me == serde_json::json!(["Alice Anderson", "Alice Anderson", "Alice Anderson"]),
        format!("WL.api('me') in each page: {me}"),
    )
}

/// `data-storage="local"` with a refresh token and access tokens of 10 s: two pages of the site
/// open on one live session (two frames, which share storage and Web Locks as tabs do, and whose
/// timers the browser does not delay as it does a background tab's). Both arm the renewal for
/// the same moment, half-way through the token's life, and once one has renewed, the other
/// follows the new tokens (the `storage` event) and both arm the next one together again. Each
/// time they renew once between them, under the renewal lock: the provider never sees a refresh
/// token presented twice (neither a retried rotation nor a reuse), and both pages end with the
/// same working tokens. Without the lock both timers send the same refresh token.
pub async fn local_tabs_renewing_together_refresh_once(env: &Env) -> Result<()> {
    let (server, b, first) = signed_in_with_short_tokens(env, true).await?;
    b.goto(&server.site_url("/blank.html")).await?;
    b.js(
        "for (let i = 0; i < 2; i++) { const f = document.createElement('iframe'); \
         f.src = '/renew.html'; document.body.appendChild(f); } return true;",
        vec![],
    )
    .await?;
    // Two renewals: about 5 s after the sign-in, and 5 s after that.
    tokio::time::sleep(Duration::from_secs(12)).await;
    let seen = b
        .js(
            "return Promise.all([...document.querySelectorAll('iframe')].map(f => { \
               const w = f.contentWindow, s = w.WL.getSession(); \
               return w.WL.api('me').then(r => r.name, e => 'rejected: ' + e.code).then(name => ({ \
                 token: s && s.access_token, name, \
                 refreshes: w.performance.getEntriesByType('resource') \
                   .filter(e => e.name.endsWith('/token')).map(e => Math.round(e.startTime)) })); }));",
            vec![],
        )
        .await?;
    presented_once(&server, &seen)?;
    let refreshes: usize = (0..2)
        .map(|i| seen[i]["refreshes"].as_array().map_or(0, Vec::len))
        .sum();
    check(
        seen[0]["token"] == seen[1]["token"] && seen[0]["token"] != first && refreshes >= 2,
        format!("renewed twice, one token in both pages: {seen} (signed in with {first})"),
    )?;
    check(
        seen[0]["name"] == "Alice Anderson" && seen[1]["name"] == "Alice Anderson",
        format!("WL.api('me') in each page: {seen}"),
    )
}

/// The default `session` storage with a refresh token, and access tokens of 10 s: the page
/// opens another window of the site (`window.open`, which copies `sessionStorage` into it, as
/// "Duplicate tab" does), so both hold one refresh token. Only one of them presents it (the
/// first to claim the token: often the new window, since the browser delays the timers of the
/// one behind it) and tells the other, which takes the new tokens. The provider never sees the
/// token presented twice, and after 14 s (two renewals) both windows hold the same renewed,
/// working session. Without the claim both windows presented it and were both signed out by the
/// reuse; with the claim alone, the copy ended at expiry.
pub async fn a_session_copied_into_a_window_is_renewed_once(env: &Env) -> Result<()> {
    let (server, b, first) = signed_in_with_short_tokens(env, false).await?;
    // The site's own link to open another window of it (with an opener: storage is copied).
    b.js(
        "const btn = document.createElement('button'); btn.id = 'more'; \
         btn.textContent = 'Open in a new window'; \
         btn.onclick = () => { window.other = window.open('/renew.html', 'other', 'popup'); }; \
         document.body.prepend(btn); return true;",
        vec![],
    )
    .await?;
    b.find("#more").await?.click().await?;
    let copied = b
        .wait_js(
            "the other window signed in with the copied session",
            Duration::from_secs(10),
            "const w = window.other; const s = w && w.WL && w.WL.getSession(); \
             return s ? s.access_token : null;",
        )
        .await?;
    check(
        copied == first,
        format!("the new window has the copied session: {copied} (this one: {first})"),
    )?;
    tokio::time::sleep(Duration::from_secs(14)).await;
    let seen = b
        .js(
            "return Promise.all([window, window.other].map(w => { const s = w.WL.getSession(); \
               return !s ? null : w.WL.api('me').then(r => r.name, e => 'rejected: ' + e.code) \
                 .then(name => ({ token: s.access_token, name })); }));",
            vec![],
        )
        .await?;
    presented_once(&server, &seen)?;
    let both: Vec<serde_json::Value> = seen.as_array().cloned().unwrap_or_default();
    check(
        both.len() == 2
            && both[0] == both[1]
            && both[0]["token"] != first
            && both[0]["name"] == "Alice Anderson",
        format!(
            "both windows hold the one renewed session, and it works: {seen} (signed in with \
             {first})"
        ),
    )
}

/// A page holding a claim on a refresh token (it has renewed its `session` storage session) is
/// still kept in the back/forward cache: after going to another page and back, it is the same
/// page (a value it set is there) and still holds the claim. Chromium lets a page holding a Web
/// Lock into that cache and evicts it only when another page asks for the lock.
pub async fn a_page_holding_a_claim_is_kept_in_the_back_forward_cache(env: &Env) -> Result<()> {
    let (server, b, _) = signed_in_with_short_tokens(env, false).await?;
    const CLAIMS: &str = "return navigator.locks.query().then(q => \
        q.held.map(l => l.name).filter(n => n.startsWith('wl_connect.refresh.')));";
    let held = b
        .wait_js(
            "a claim, after the first renewal",
            Duration::from_secs(15),
            &CLAIMS.replace("));", ")).then(c => c.length ? c : null);"),
        )
        .await?;
    b.js("window.__samePage = 42; return true;", vec![]).await?;
    b.goto(&server.site_url("/blank.html")).await?;
    b.client.back().await?;
    let same = b
        .wait_js(
            "the page back",
            Duration::from_secs(10),
            "return document.readyState === 'complete' && [window.__samePage || 0];",
        )
        .await?;
    check(
        same == serde_json::json!([42]),
        format!("the page came back from the back/forward cache: {same}"),
    )?;
    let after = b.js(CLAIMS, vec![]).await?;
    check(
        after == held,
        format!("it still holds its claim: {after} (before: {held})"),
    )
}

/// Stands in for a computer's sleep (run in the page before any script): `__sleep()` stops the
/// page's `setTimeout` timers as a suspended machine's monotonic clock stops them, and
/// `__wake()` lets them run again, each one due `d` ms into the sleep firing `d` ms after the
/// wake, while `Date.now()` (the wall clock) has gone on all along. Browsers run a page's timers
/// late after the machine slept, by as long as it slept; this is that, on loopback.
pub(crate) const SLEEP: &str = "(() => { \
  const set = setTimeout.bind(window), clear = clearTimeout.bind(window); \
  const held = new Map(), moved = new Map(); let since = null; \
  window.setTimeout = (f, ms, ...a) => { const id = set(() => { \
    if (since === null) f(...a); else held.set(id, [f, performance.now() - since, a]); }, ms); return id; }; \
  window.clearTimeout = (id) => { held.delete(id); clear(moved.get(id) ?? id); }; \
  window.__sleep = () => { since = performance.now(); }; \
  window.__wake = () => { since = null; \
    for (const [id, [f, d, a]] of held) { held.delete(id); moved.set(id, set(() => f(...a), d)); } }; \
  window.__ends = []; \
  addEventListener('DOMContentLoaded', () => WL.Event.subscribe('auth.sessionChange', \
    (s) => { if (!s) window.__ends.push(Date.now()); })); \
})();";

/// `renew.html` with the default `session` storage and 10 s tokens, reloaded with [`SLEEP`] in
/// the page, its session restored, then asleep for 12 s: its access token has expired, and its
/// renewal timer, due during the sleep, has not run. `first` is the access token it slept with.
async fn asleep_past_expiry(env: &Env) -> Result<(DevServer, Browser, serde_json::Value)> {
    let (server, b, _) = signed_in_with_short_tokens(env, false).await?;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": SLEEP }),
    )
    .await?;
    b.goto(&server.site_url("/renew.html")).await?;
    let first = b
        .wait_js(
            "the restored session",
            Duration::from_secs(10),
            "const s = WL.getSession(); return !!s && s.access_token;",
        )
        .await?;
    b.js("__sleep(); return true;", vec![]).await?;
    tokio::time::sleep(Duration::from_secs(12)).await;
    Ok((server, b, first))
}

/// A computer waking from sleep (access tokens of 10 s, a refresh token, `session` storage):
/// the page's renewal timer runs late, by as long as the computer slept, and the page asks for
/// the session before it does (a page's own code on focus, `<wl-bar>` reconnecting). The
/// session's access token has expired, but its refresh token has not: `WL.getSession()` says
/// `null` meanwhile without ending anything, and `WL.api` and `WL.getLoginStatus()` wait for the
/// renewal that starts at once, then answer with it. Before, the first `WL.getSession()` ended
/// the session and removed it from storage, refresh token and all: signed out by a nap.
pub async fn a_computer_waking_from_sleep_keeps_its_session(env: &Env) -> Result<()> {
    let (server, b, first) = asleep_past_expiry(env).await?;
    let after = b
        .js(
            "__wake(); const now = WL.getSession(); \
             const me = await WL.api('me').then(r => r.name, e => 'rejected: ' + e.code); \
             const status = await WL.getLoginStatus().then(r => r.status, e => 'rejected: ' + e.code); \
             const s = WL.getSession(); \
             return { now, me, status, renewed: !!s && s.access_token, ends: window.__ends.length, \
               stored: /refresh_token=/.test(sessionStorage.getItem('wl_connect.session') || '') };",
            vec![],
        )
        .await?;
    presented_once(&server, &after)?;
    let renewed = &after["renewed"];
    check(
        after["now"].is_null()
            && after["me"] == "Alice Anderson"
            && after["status"] == "connected"
            && renewed.is_string()
            && *renewed != first
            && after["ends"] == 0
            && after["stored"] == true,
        format!(
            "right after waking: no session yet, then WL.api('me') and WL.getLoginStatus() \
             answer after one renewal, which is stored, and the session never ended: {after} \
             (slept with {first})"
        ),
    )?;
    // The late timer finds the session renewed, and the session goes on.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let me = b
        .js(
            "return WL.api('me').then(r => r.name, e => 'rejected: ' + e.code);",
            vec![],
        )
        .await?;
    check(
        me == "Alice Anderson",
        format!("WL.api('me') once the late timer ran: {me}"),
    )
}

/// The same sleep, and the page wakes with its timers still late: the browser's own signs that
/// the computer is back (the page shown again: `visibilitychange`; the network back: `online`)
/// have the loader look at its renewal, which is overdue by the wall clock, and renew at once.
/// No timer runs and no call asks, yet the session is renewed, each time.
pub async fn waking_renews_before_the_late_timer(env: &Env) -> Result<()> {
    let (server, b, first) = asleep_past_expiry(env).await?;
    let mut last = first;
    for (i, wake) in [
        "document.dispatchEvent(new Event('visibilitychange'))",
        "dispatchEvent(new Event('online'))",
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            tokio::time::sleep(Duration::from_secs(12)).await;
        }
        b.js(&format!("{wake}; return true;"), vec![]).await?;
        last = b
            .wait_js(
                &format!("a renewal after `{wake}`, its timers asleep"),
                Duration::from_secs(10),
                &format!(
                    "const s = WL.getSession(); \
                     return !!s && s.access_token !== {last} && window.__ends.length === 0 && s.access_token;"
                ),
            )
            .await?;
    }
    presented_once(&server, &last)
}

/// A browser restoring its tabs before the computer is online: the page opens on a stored
/// session whose access token has expired (10 s tokens, 11 s away on another page) while the
/// provider's token endpoint cannot be reached (blocked in the browser). The page shows
/// "Sign in" for now, but keeps the stored session and its refresh token; once the network is
/// back (`online`) it renews, and the person is signed in again without a reload. Before, the
/// failed renewal removed the stored session, refresh token and all.
pub async fn a_page_restored_offline_keeps_its_session(env: &Env) -> Result<()> {
    let (server, b, first) = signed_in_with_short_tokens(env, false).await?;
    b.goto(&server.site_url("/blank.html")).await?;
    tokio::time::sleep(Duration::from_secs(11)).await;
    let token = format!("{}/token", server.provider);
    b.cdp("Network.enable", serde_json::json!({})).await?;
    b.cdp(
        "Network.setBlockedURLs",
        serde_json::json!({ "urls": [token] }),
    )
    .await?;
    b.goto(&server.site_url("/renew.html")).await?;
    let offline = b
        .wait_js(
            "the page's renewal failing",
            Duration::from_secs(10),
            "return new Promise(r => WL.getLoginStatus().then(s => r(['answered', s.status]), \
               e => r(['rejected', e.code, \
                 /refresh_token=/.test(sessionStorage.getItem('wl_connect.session') || '')])));",
        )
        .await?;
    check(
        offline == serde_json::json!(["rejected", "connection_failed", true]),
        format!("offline: the status is not known, the refresh token is kept: {offline}"),
    )?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(5)).await?;
    b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": [] }))
        .await?;
    b.js("dispatchEvent(new Event('online')); return true;", vec![])
        .await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    let now = b
        .js(
            "const s = WL.getSession(); return s && s.access_token;",
            vec![],
        )
        .await?;
    check(
        now.is_string() && now != first,
        format!("signed in again with a renewed token: {now} (first: {first})"),
    )?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    presented_once(&server, &now)
}

/// `data-storage="memory"`: a reload forgets the session.
pub async fn memory_storage_forgets_on_reload(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let page = server.site_url("/demo/storage-memory.html");
    sign_in_on(&b, &server.provider, &page).await?;
    b.client.refresh().await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(2)).await?;
    check(
        !flow::has_session(&b).await?,
        "no session after a reload in memory mode",
    )
}

/// `data-mode="redirect"`: no popup; the page goes to the provider and comes back signed in,
/// with no OAuth parameter left in its URL.
pub async fn redirect_mode_signs_in_without_a_popup(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/redirect.html")).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_this_window(&b, &server.provider, &server.site, "alice").await?;
    let windows = b.windows().await?;
    check(
        windows.len() == 1,
        format!("no popup in redirect mode, found {} windows", windows.len()),
    )?;
    b.wait_for(
        "the page to be back on redirect.html",
        Duration::from_secs(15),
        || async {
            let url = b.client.current_url().await?.to_string();
            Ok(if url.contains("/demo/redirect.html") {
                wl_e2e::Probe::Done(())
            } else {
                wl_e2e::Probe::NotYet(url)
            })
        },
    )
    .await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(15)).await?;
    b.wait_event("auth.login", "access_token", Duration::from_secs(5))
        .await?;
    let url = b.client.current_url().await?.to_string();
    check(
        !url.contains("code=") && !url.contains("state=") && !url.contains("access_token"),
        format!("no OAuth parameter left in the page's URL: {url}"),
    )
}

/// Redirect mode: the page goes to the provider, and the person changes their mind and presses
/// Back. The browser shows the very page again from its back/forward cache, where the sign-in
/// was still under way: the button said "Signing in…" with its spinner for good, and
/// `WL.login()` never settled. Now the loader takes the page's return (`pageshow`, restored) as
/// the sign-in ending without an answer: `user_canceled`, as when a popup is closed, and the
/// button says "Sign in" again. Then a sign-in goes to the provider and comes back signed in.
pub async fn going_back_from_the_provider_ends_a_redirect_sign_in(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/redirect.html")).await?;
    // To the provider and back, from the button, then from script.
    for (i, start) in [
        "document.querySelector('wl-signin').shadowRoot.querySelector('button').click()",
        "window.__login = WL.login().then(() => 'resolved', e => e.code)",
    ]
    .into_iter()
    .enumerate()
    {
        b.js(
            &format!("window.__mark = {i}; {start}; return true;"),
            vec![],
        )
        .await?;
        b.wait_for(
            "the page at the provider",
            Duration::from_secs(15),
            || async {
                let url = b.client.current_url().await?.to_string();
                Ok(if url.starts_with(&server.provider) {
                    Probe::Done(())
                } else {
                    Probe::NotYet(url)
                })
            },
        )
        .await?;
        b.client.back().await?;
        b.wait_js(
            "the page back from the provider",
            Duration::from_secs(15),
            "return location.pathname === '/demo/redirect.html';",
        )
        .await?;
        let same = b.js("return window.__mark ?? null;", vec![]).await?;
        check(
            same == i,
            format!("the page came back from the back/forward cache (the case under test): {same}"),
        )?;
        flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(5)).await?;
        let busy = b
            .js(
                "return document.querySelector('wl-signin').shadowRoot.querySelector('button') \
                   .getAttribute('aria-busy');",
                vec![],
            )
            .await?;
        check(
            busy != "true",
            format!("the button is no longer busy: aria-busy={busy}"),
        )?;
    }
    let login = b.js("return window.__login;", vec![]).await?;
    check(
        login == "user_canceled",
        format!("WL.login() on the page the person came back to: {login}"),
    )?;
    b.screenshots_at(
        "session",
        "back-from-the-provider",
        &[(1280, 720), (390, 800)],
    )
    .await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_this_window(&b, &server.provider, &server.site, "alice").await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(15)).await?;
    Ok(())
}
