//! The Messenger bar with two browsers, and the sharing badge (issue 7).
//!
//! Each case starts its own dev host: bob allows consent here, which the shared server's other
//! cases rely on him never doing (docs: tests/README.md, "bob only ever denies").

use crate::bar;
use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Probe, Result, axe, check, paths};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![
        bar::two_people_chat_across_pages,
        bar::tabs_sharing_a_session_leave_the_hub_together,
        bar::another_person_signing_in_takes_over_the_bar,
        bar::the_bar_stays_connected_across_renewals,
        bar::the_bar_comes_back_after_the_computer_slept,
        bar::screenshots_and_axe_every_theme,
    ]
}

const WAIT: Duration = Duration::from_secs(20);

/// Runs `script` inside the bar's shadow root: `root` is the shadow root, `arguments` as given.
pub(crate) async fn in_bar(b: &Browser, script: &str, args: Vec<Json>) -> Result<Json> {
    b.js(
        &format!(
            "const host = document.querySelector('wl-bar');
             const root = host && host.shadowRoot;
             if (!root) return null;
             {script}"
        ),
        args,
    )
    .await
}

/// Waits until `script` (run by [`in_bar`]) returns something truthy, and returns it.
pub(crate) async fn wait_bar(
    b: &Browser,
    what: &str,
    script: &str,
    args: Vec<Json>,
) -> Result<Json> {
    b.wait_for(what, WAIT, || async {
        let v = in_bar(b, script, args.clone()).await?;
        Ok(if wl_e2e::browser::truthy(&v) {
            Probe::Done(v)
        } else {
            Probe::NotYet(v.to_string())
        })
    })
    .await
}

/// Clicks (for real) the element `script` returns from the bar's shadow root. A frame from the
/// hub may redraw the list between finding the element and clicking it (the friends list on a
/// `presence` or `here` frame): then the element is found again.
pub(crate) async fn click_in_bar(
    b: &Browser,
    what: &str,
    script: &str,
    args: Vec<Json>,
) -> Result<()> {
    again(|| async {
        let v = wait_bar(b, what, script, args.clone()).await?;
        let el = b
            .element_from_json(&v)
            .ok_or_else(|| wl_e2e::E2eError::Check(format!("{what}: not an element: {v}")))?;
        el.click().await?;
        Ok(())
    })
    .await
}

/// Runs `step` up to three times while it fails on a stale element (the bar redrew what the
/// step had found: not the page's fault).
pub(crate) async fn again<F, Fut>(step: F) -> Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut tries = 0;
    loop {
        match step().await {
            Err(e) if tries < 2 && e.to_string().contains("stale element") => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            other => return other,
        }
    }
}

/// Opens `page`, clicks the bar's own "Sign in", signs in as `user` in the popup (allowing),
/// and waits until the bar is connected to the hub.
pub(crate) async fn sign_in_on_bar(
    b: &Browser,
    server: &DevServer,
    page: &str,
    user: &str,
) -> Result<()> {
    sign_in_on_bar_at(b, &server.site_url(page), &server.provider, user).await
}

/// [`sign_in_on_bar`] on the page at `url`, signing in at the provider `provider`.
pub(crate) async fn sign_in_on_bar_at(
    b: &Browser,
    url: &str,
    provider: &str,
    user: &str,
) -> Result<()> {
    b.goto(url).await?;
    click_in_bar(
        b,
        "the bar's sign-in button",
        "const btn = root.querySelector('button[data-action=signin]');
         return btn && btn.offsetWidth > 0 ? btn : null;",
        vec![],
    )
    .await?;
    flow::sign_in_in_popup(b, provider, user, Decision::Allow).await?;
    wait_online(b).await
}

/// Waits until the bar has a `welcome` from the hub.
pub(crate) async fn wait_online(b: &Browser) -> Result<()> {
    b.wait_for("the bar to be connected to the hub", WAIT, || async {
        let v = in_bar(
            b,
            "const bar = root.querySelector('.bar');
             return bar ? [bar.dataset.link, root.querySelector('.status').textContent] : null;",
            vec![],
        )
        .await?;
        Ok(if v[0] == json!("online") {
            Probe::Done(())
        } else {
            Probe::NotYet(v.to_string())
        })
    })
    .await
}

/// Opens the friends panel if it is closed.
pub(crate) async fn open_friends(b: &Browser) -> Result<()> {
    in_bar(
        b,
        "const t = root.querySelector('button[data-action=panel][data-id=friends]');
         if (t.getAttribute('aria-expanded') !== 'true') t.click();
         return true;",
        vec![],
    )
    .await?;
    Ok(())
}

/// Opens the friends panel (if closed) and clicks the friend whose name starts with `name`.
pub(crate) async fn open_conversation(b: &Browser, name: &str) -> Result<()> {
    open_friends(b).await?;
    click_in_bar(
        b,
        &format!("{name} in the friends list"),
        "return [...root.querySelectorAll('button.friend')]
           .find(f => f.querySelector('.name').textContent.startsWith(arguments[0])) || null;",
        vec![json!(name)],
    )
    .await
}

/// Types `text` into the expanded window with `name` and sends it with Enter.
pub(crate) async fn send_message(b: &Browser, name: &str, text: &str) -> Result<()> {
    let v = wait_bar(
        b,
        &format!("the text box of the conversation with {name}"),
        "const w = [...root.querySelectorAll('section.win')]
           .find(w => w.querySelector('.name').textContent.startsWith(arguments[0]));
         return w ? w.querySelector('textarea') : null;",
        vec![json!(name)],
    )
    .await?;
    let ta = b
        .element_from_json(&v)
        .ok_or_else(|| wl_e2e::E2eError::Check("no text box".into()))?;
    ta.send_keys(text).await?;
    ta.send_keys("\u{E007}").await?; // Enter
    Ok(())
}

/// The messages of the expanded window with `name`: `[{text, mine, status}]`.
const WINDOW_MESSAGES: &str = "
    const w = [...root.querySelectorAll('section.win')]
      .find(w => w.querySelector('.name').textContent.startsWith(arguments[0]));
    if (!w) return null;
    return [...w.querySelectorAll('li.msg')].map(li => ({
      text: li.querySelector('.bubble').textContent,
      mine: li.classList.contains('mine'),
      status: li.dataset.status || null,
    }));";

pub(crate) async fn wait_window_has(b: &Browser, name: &str, texts: &[&str]) -> Result<Json> {
    b.wait_for(
        &format!("the conversation with {name} to show {texts:?}"),
        WAIT,
        || async {
            let v = in_bar(b, WINDOW_MESSAGES, vec![json!(name)]).await?;
            let shown: Vec<&str> = v
                .as_array()
                .map(|a| a.iter().filter_map(|m| m["text"].as_str()).collect())
                .unwrap_or_default();
            Ok(if texts.iter().all(|t| shown.contains(t)) {
                Probe::Done(v.clone())
            } else {
                Probe::NotYet(v.to_string())
            })
        },
    )
    .await
}

/// Alice and Bob sign in on the messenger demo page in two browsers; alice opens a conversation
/// with bob and sends a message; bob's bar shows it with an unread count (and announces it);
/// bob replies; alice sees it, her message marked delivered; alice moves to another page of the
/// site and the conversation is there with its history; bob sets "busy" and alice sees it;
/// alice shares the page with bob, who gets it as a chat message and in his activities.
pub async fn two_people_chat_across_pages(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let alice = env.browser().await?;
    let bob = env.browser().await?;
    sign_in_on_bar(&alice, &server, "/demo/messenger.html", "alice").await?;
    sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;

    // Alice sees bob online and writes to him.
    wait_bar(
        &alice,
        "bob online in alice's friends",
        "const t = root.querySelector('button[data-id=friends] .count');
         return t && Number(t.textContent) >= 1;",
        vec![],
    )
    .await?;
    open_conversation(&alice, "Bob").await?;
    let hello = "Hi Bob! Pumpkin soup tonight?";
    send_message(&alice, "Bob", hello).await?;

    // Bob: a tab with one unread message, announced to screen readers.
    let tab = wait_bar(
        &bob,
        "a conversation tab from Alice with 1 unread in bob's bar",
        "const t = [...root.querySelectorAll('.tabs button')]
           .find(t => t.querySelector('.tab-name').textContent.startsWith('Alice'));
         const badge = t && t.querySelector('.badge');
         return badge && badge.textContent === '1' ? t.getAttribute('aria-label') : null;",
        vec![],
    )
    .await?;
    check(
        tab.as_str().is_some_and(|l| l.ends_with("1 unread")),
        format!("the tab's label says the unread count: {tab}"),
    )?;
    let live = in_bar(
        &bob,
        "return root.querySelector('[aria-live]').textContent;",
        vec![],
    )
    .await?;
    check(
        live.as_str()
            .is_some_and(|t| t.contains("Alice") && t.contains(hello)),
        format!("the new message is announced (aria-live): {live}"),
    )?;
    // Alice's copy is delivered (bob is connected).
    b_wait_status(&alice, "Bob", hello, "delivered").await?;
    let dir = paths::screenshots_dir()?.join("bar");
    std::fs::create_dir_all(&dir)?;
    bob.screenshot_to(&dir.join("unread-tab.png")).await?;

    // Bob opens it (unread cleared), sees the message, replies.
    click_in_bar(
        &bob,
        "alice's tab",
        "return [...root.querySelectorAll('.tabs button')]
           .find(t => t.querySelector('.tab-name').textContent.startsWith('Alice')) || null;",
        vec![],
    )
    .await?;
    wait_window_has(&bob, "Alice", &[hello]).await?;
    let badges = in_bar(
        &bob,
        "return root.querySelectorAll('.tabs .badge').length;",
        vec![],
    )
    .await?;
    check(
        badges == json!(0),
        format!("opening clears the unread count: {badges}"),
    )?;
    let focused = in_bar(
        &bob,
        "return root.activeElement && root.activeElement.tagName;",
        vec![],
    )
    .await?;
    check(
        focused == json!("TEXTAREA"),
        format!("opening a conversation puts focus in its text box: {focused}"),
    )?;
    let reply = "Yes! I'll bring bread.";
    send_message(&bob, "Alice", reply).await?;

    // Alice sees the reply.
    wait_window_has(&alice, "Bob", &[hello, reply]).await?;
    alice
        .screenshot_to(&dir.join("conversation-both-online.png"))
        .await?;

    // Alice moves to another page of the site: the window is there with its history.
    alice
        .goto(&server.site_url("/demo/messenger-2.html"))
        .await?;
    wait_online(&alice).await?;
    let msgs = wait_window_has(&alice, "Bob", &[hello, reply]).await?;
    check(
        msgs.as_array().is_some_and(|a| {
            a.iter()
                .any(|m| m["text"] == json!(hello) && m["mine"] == json!(true))
                && a.iter()
                    .any(|m| m["text"] == json!(reply) && m["mine"] == json!(false))
        }),
        format!("history keeps who wrote what: {msgs}"),
    )?;

    // Bob sets "busy"; alice sees it on the window and in her friends list.
    set_presence(&bob, "busy").await?;
    wait_presence_shown(&alice, "Bob", "busy", "Busy").await?;

    // Alice shares this page with bob: a chat message with the link, and an activity in his feed.
    let note = "Our shopping list";
    share_with(&alice, "Bob", note).await?;
    let page = server.site_url("/demo/messenger-2.html");
    wait_share_received(&bob, "Alice", &page, note).await?;
    flow::check_no_alert(&alice).await?;
    Ok(())
}

/// A messenger page that keeps the session in `localStorage`, so that every tab of the site
/// shares it.
const LOCAL_BAR_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Messenger in every tab</title>
<link rel="icon" href="data:,">
<script src="/wl.js" data-client-id="wl-demo" data-authority="http://127.0.0.1:8081" data-scope="wl.signin wl.basic wl.messenger" data-redirect-uri="/callback.html" data-storage="local"></script>
</head>
<body><wl-bar></wl-bar></body>
</html>
"#;

/// Waits until `b`'s bar is signed out: its own "Sign in" is shown.
async fn wait_bar_signed_out(b: &Browser, what: &str) -> Result<()> {
    wait_bar(
        b,
        what,
        "const btn = root.querySelector('button[data-action=signin]');
         return btn && btn.offsetWidth > 0;",
        vec![],
    )
    .await?;
    Ok(())
}

/// Waits until `name` in `b`'s friends list (opened if closed) shows `presence`.
async fn wait_friend_presence(b: &Browser, name: &str, presence: &str) -> Result<()> {
    open_friends(b).await?;
    wait_bar(
        b,
        &format!("{name} {presence} in the friends list"),
        "const f = [...root.querySelectorAll('button.friend')]
           .find(f => f.querySelector('.name').textContent.startsWith(arguments[0]));
         return f && f.dataset.presence === arguments[1];",
        vec![json!(name), json!(presence)],
    )
    .await?;
    Ok(())
}

/// `data-storage="local"`: alice has the bar open in two tabs, both connected to the hub on
/// the one shared session, and bob sees her online. She signs out with the bar's own "Sign
/// out" in the second tab; the first tab's bar follows (the `storage` event), leaves the hub
/// and shows "Sign in", and bob sees her offline. Were the first tab's bar still connected, bob
/// would go on seeing her online.
pub async fn tabs_sharing_a_session_leave_the_hub_together(env: &Env) -> Result<()> {
    let server =
        DevServer::start_with_pages(&ServerOptions::default(), &[("bar.html", LOCAL_BAR_PAGE)])?;
    let alice = env.browser().await?;
    let bob = env.browser().await?;
    sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;
    sign_in_on_bar(&alice, &server, "/bar.html", "alice").await?;
    let tab = alice.client.new_window(true).await?.handle;
    alice.client.switch_to_window(tab).await?;
    alice.goto(&server.site_url("/bar.html")).await?;
    wait_online(&alice).await?;
    wait_friend_presence(&bob, "Alice", "available").await?;

    toggle_own_panel(&alice).await?;
    click_in_bar(
        &alice,
        "the bar's Sign out",
        "const btn = root.querySelector('button[data-action=signout]');
         return btn && btn.offsetWidth > 0 ? btn : null;",
        vec![],
    )
    .await?;
    wait_bar_signed_out(&alice, "the second tab's bar to be signed out").await?;
    alice.client.close_window().await?;
    alice.switch_to_main().await?;
    wait_bar_signed_out(&alice, "the first tab's bar to follow the sign-out").await?;
    check(
        !flow::has_session(&alice).await?,
        "the first tab's session ended with the second tab's sign-out",
    )?;
    wait_friend_presence(&bob, "Alice", "offline").await?;
    flow::check_no_alert(&alice).await
}

/// What the bar keeps for the next page (`sessionStorage`): whose it is, and how many windows.
const KEPT: &str = "const k = JSON.parse(sessionStorage.getItem('wl.bar.v1') || 'null'); \
                    return k && { who: k.who, windows: k.windows.length };";

/// The name on the bar's own button (its person, once the hub has welcomed them).
const BAR_ME: &str = "return root.querySelector('button[data-id=me]').textContent.trim();";

/// Alice is signed in with the bar connected and a conversation with bob open. Her session at
/// the provider ends (its cookies cleared), and the site's own "Switch account" button calls
/// `WL.login` for one more scope (`wl.emails`, so the popup opens): bob signs in in the popup.
/// The bar now belongs to bob: it has left the hub as alice (mallory, in another browser, sees
/// her offline), it is connected as bob, and nothing of alice's (her open conversation, kept for
/// the next page) is left on it or in storage.
pub async fn another_person_signing_in_takes_over_the_bar(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let b = env.browser().await?;
    let mallory = env.browser().await?;
    sign_in_on_bar(&mallory, &server, "/demo/messenger.html", "mallory").await?;
    sign_in_on_bar(&b, &server, "/demo/messenger.html", "alice").await?;
    let me = wait_bar(&b, "alice on the bar", BAR_ME, vec![]).await?;
    check(
        me.as_str().is_some_and(|m| m.starts_with("Alice")),
        format!("the bar is alice's: {me}"),
    )?;
    open_conversation(&b, "Bob").await?;
    wait_friend_presence(&mallory, "Alice", "available").await?;
    let before = b.js(KEPT, vec![]).await?;
    check(
        before["windows"] == json!(1) && before["who"].is_string(),
        format!("alice's open conversation is kept for her next page: {before}"),
    )?;

    b.cdp("Network.clearBrowserCookies", json!({})).await?;
    b.js(
        "const btn = document.createElement('button'); btn.id = 'switch'; \
         btn.textContent = 'Switch account'; \
         btn.onclick = () => WL.login({ scope: 'wl.emails' }); \
         document.body.prepend(btn); return true;",
        vec![],
    )
    .await?;
    b.find("#switch").await?.click().await?;
    flow::sign_in_in_popup(&b, &server.provider, "bob", Decision::Allow).await?;
    b.wait_event("auth.login", "access_token", WAIT).await?;
    wait_friend_presence(&mallory, "Alice", "offline").await?;
    let me = wait_bar(
        &b,
        "bob on the bar",
        "const t = root.querySelector('button[data-id=me]').textContent.trim(); \
         return t.startsWith('Bob') ? t : null;",
        vec![],
    )
    .await?;
    wait_online(&b).await?;
    let left = in_bar(
        &b,
        "return [...root.querySelectorAll('section.win .name, .tabs .tab-name')] \
           .map(e => e.textContent);",
        vec![],
    )
    .await?;
    check(
        left.as_array().is_some_and(Vec::is_empty),
        format!("no conversation of alice's on bob's bar ({me}): {left}"),
    )?;
    let after = b.js(KEPT, vec![]).await?;
    check(
        after["windows"] != json!(1) && after["who"] != before["who"],
        format!("alice's kept conversation is gone, not left for bob: {after} (before: {before})"),
    )
}

/// A messenger page whose session is renewed (`wl.offline_access`).
const RENEWING_BAR_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Messenger, renewed</title>
<link rel="icon" href="data:,">
<script src="/wl.js" data-client-id="wl-demo" data-authority="http://127.0.0.1:8081" data-scope="wl.signin wl.basic wl.messenger wl.offline_access" data-redirect-uri="/callback.html"></script>
</head>
<body><wl-bar></wl-bar></body>
</html>
"#;

/// Access tokens of 10 s (`serve --access-ttl 10`), renewed by the loader every 5 s, and a hub
/// that checks the connection's token every 2 s (`--hub-heartbeat-ms 4500`). Alice's bar hands
/// the hub each renewed token (the `token` frame), so it stays connected: for 25 s (four
/// renewals, her first token long expired) its link never leaves `online`, mallory then sees
/// her available, and a message from mallory reaches her. Before the `token` frame, the hub
/// closed the connection (4401) when the first token expired, and the bar was back only at the
/// next renewal: with the default hour-long tokens, for most of every other hour.
pub async fn the_bar_stays_connected_across_renewals(env: &Env) -> Result<()> {
    let server = renewing_bar_server()?;
    let alice = env.browser().await?;
    let mallory = env.browser().await?;
    sign_in_on_bar(&alice, &server, "/bar.html", "alice").await?;
    let first = alice
        .js("return WL.getSession().access_token;", vec![])
        .await?;
    // Every change of the bar's link from now on (it is online).
    in_bar(
        &alice,
        "const bar = root.querySelector('.bar'); window.__links = []; \
         new MutationObserver(() => window.__links.push(bar.dataset.link)) \
           .observe(bar, { attributes: true, attributeFilter: ['data-link'] }); \
         return true;",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(25)).await;
    let links = alice.js("return window.__links;", vec![]).await?;
    check(
        links
            .as_array()
            .is_some_and(|l| l.iter().all(|x| x == "online")),
        format!("the bar never left the hub across the renewals: {links}"),
    )?;
    let now = alice
        .js(
            "return WL.getSession() && WL.getSession().access_token;",
            vec![],
        )
        .await?;
    check(
        now.is_string() && now != first,
        format!("the session was renewed: {now} (signed in with {first})"),
    )?;
    let link = in_bar(
        &alice,
        "return [root.querySelector('.bar').dataset.link, root.querySelector('.status').textContent];",
        vec![],
    )
    .await?;
    check(
        link[0] == json!("online"),
        format!("alice's bar is still connected: {link}"),
    )?;
    // Mallory (another person, another browser, her own 10 s tokens) finds her there.
    sign_in_on_bar(&mallory, &server, "/demo/messenger.html", "mallory").await?;
    wait_friend_presence(&mallory, "Alice", "available").await?;
    open_conversation(&mallory, "Alice").await?;
    let hello = "Still there after the renewals?";
    send_message(&mallory, "Alice", hello).await?;
    b_wait_status(&mallory, "Alice", hello, "delivered").await?;
    wait_bar(
        &alice,
        "a tab with 1 unread (mallory's message) in alice's bar",
        "return [...root.querySelectorAll('.tabs .badge')].some(b => b.textContent === '1');",
        vec![],
    )
    .await?;
    flow::check_no_alert(&alice).await
}

/// A dev host with 10 s access tokens and a hub that checks tokens every 4.5 s, serving
/// [`RENEWING_BAR_PAGE`] as `/bar.html`.
fn renewing_bar_server() -> Result<DevServer> {
    let options = ServerOptions {
        serve_args: ["--access-ttl", "10", "--hub-heartbeat-ms", "4500"]
            .map(String::from)
            .to_vec(),
        ..ServerOptions::default()
    };
    DevServer::start_with_pages(&options, &[("bar.html", RENEWING_BAR_PAGE)])
}

/// Alice's computer sleeps for 15 s with her bar open (10 s tokens; her page's timers stopped
/// as a suspended machine stops them, [`crate::session::SLEEP`]). Her token expires and the hub
/// closes her connection; the bar, seeing it closed, asks for the session, which the loader
/// renews instead of ending, and the bar connects again with the new token. Before, that
/// question ended her session: she was signed out, and mallory saw her go offline for good.
pub async fn the_bar_comes_back_after_the_computer_slept(env: &Env) -> Result<()> {
    let server = renewing_bar_server()?;
    let alice = env.browser().await?;
    let mallory = env.browser().await?;
    alice
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": crate::session::SLEEP }),
        )
        .await?;
    sign_in_on_bar(&alice, &server, "/bar.html", "alice").await?;
    // Mallory's page renews her 10 s tokens too.
    sign_in_on_bar(&mallory, &server, "/bar.html", "mallory").await?;
    wait_friend_presence(&mallory, "Alice", "available").await?;
    alice.js("__sleep(); return true;", vec![]).await?;
    tokio::time::sleep(Duration::from_secs(15)).await;
    alice.js("__wake(); return true;", vec![]).await?;
    wait_bar(
        &alice,
        "alice's bar online again",
        "return root.querySelector('.bar').dataset.link === 'online';",
        vec![],
    )
    .await?;
    let ends = alice
        .js(
            "return [window.__ends.length, !!WL.getSession(),              /refresh_token=/.test(sessionStorage.getItem('wl_connect.session') || '')];",
            vec![],
        )
        .await?;
    check(
        ends == json!([0, true, true]),
        format!("alice's session never ended, and is stored with its refresh token: {ends}"),
    )?;
    wait_friend_presence(&mallory, "Alice", "available").await?;
    open_conversation(&mallory, "Alice").await?;
    let hello = "Good morning";
    send_message(&mallory, "Alice", hello).await?;
    b_wait_status(&mallory, "Alice", hello, "delivered").await?;
    flow::check_no_alert(&alice).await
}

/// Opens (or closes) `b`'s own panel of the bar: status and "Sign out".
pub(crate) async fn toggle_own_panel(b: &Browser) -> Result<()> {
    in_bar(
        b,
        "root.querySelector('button[data-action=panel][data-id=me]').click(); return true;",
        vec![],
    )
    .await?;
    Ok(())
}

/// Chooses `presence` (`busy`, `away`, …) in `b`'s own panel of the bar.
pub(crate) async fn set_presence(b: &Browser, presence: &str) -> Result<()> {
    toggle_own_panel(b).await?;
    let select = wait_bar(
        b,
        "the presence selector",
        "const s = root.querySelector('select[data-action=presence]');
         return s && s.offsetWidth > 0 ? s : null;",
        vec![],
    )
    .await?;
    let select = b
        .element_from_json(&select)
        .ok_or_else(|| wl_e2e::E2eError::Check("no presence selector".into()))?;
    select.select_by_value(presence).await?;
    Ok(())
}

/// Waits until the open window with `name` in `b`'s bar shows `presence` (label `label`).
pub(crate) async fn wait_presence_shown(
    b: &Browser,
    name: &str,
    presence: &str,
    label: &str,
) -> Result<()> {
    wait_bar(
        b,
        &format!("{name} shown as {presence}"),
        "const w = [...root.querySelectorAll('section.win')]
           .find(w => w.querySelector('.name').textContent.startsWith(arguments[0]));
         return w && w.dataset.presence === arguments[1] && w.querySelector('.pres').textContent === arguments[2];",
        vec![json!(name), json!(presence), json!(label)],
    )
    .await?;
    Ok(())
}

/// Shares the current page with the friend `name` from `b`'s share panel, with `note`.
pub(crate) async fn share_with(b: &Browser, name: &str, note: &str) -> Result<()> {
    in_bar(
        b,
        "root.querySelector('button[data-action=panel][data-id=share]').click(); return true;",
        vec![],
    )
    .await?;
    click_in_bar(
        b,
        "the friend's checkbox in the share panel",
        "return [...root.querySelectorAll('#wl-p-share label.choice')]
           .find(l => l.textContent.startsWith(arguments[0]))?.querySelector('input') || null;",
        vec![json!(name)],
    )
    .await?;
    let field = wait_bar(
        b,
        "the share message field",
        "return root.querySelector('#wl-share-text');",
        vec![],
    )
    .await?;
    if let Some(field) = b.element_from_json(&field) {
        field.send_keys(note).await?;
    }
    click_in_bar(
        b,
        "the Share button",
        "return root.querySelector('#wl-p-share button[type=submit]');",
        vec![],
    )
    .await?;
    let status = wait_bar(
        b,
        "the share panel to confirm",
        "const s = root.querySelector('#wl-p-share [role=status]').textContent;
         return s.startsWith('Shared') || s.startsWith('Could not') ? s : null;",
        vec![],
    )
    .await?;
    check(
        status == json!("Shared with 1 friend(s)."),
        format!("sharing succeeds: {status}"),
    )
}

/// Waits until `b` has the share of `page` with `note` from `from`: in the chat window and as
/// an activity in the bar's feed.
pub(crate) async fn wait_share_received(
    b: &Browser,
    from: &str,
    page: &str,
    note: &str,
) -> Result<()> {
    let chat = format!("{note}\n{page}");
    wait_window_has(b, from, &[chat.as_str()]).await?;
    in_bar(
        b,
        "root.querySelector('button[data-action=panel][data-id=activities]').click(); return true;",
        vec![],
    )
    .await?;
    // The feed links through the provider's click-through (`/r/{id}`, counted for the app's
    // statistics), which must redirect to exactly the shared page.
    let href = wait_bar(
        b,
        "the share in the activities",
        "const li = [...root.querySelectorAll('#wl-p-activities li.activity')].find(li =>
           li.textContent.startsWith(arguments[1]) && li.textContent.includes(arguments[0]));
         const a = li && li.querySelector('a[href]');
         return a ? a.href : null;",
        vec![json!(note), json!(from)],
    )
    .await?;
    let href = href.as_str().unwrap_or_default();
    if href == page {
        return Ok(());
    }
    let answer = wl_e2e::http::fetch(href);
    let location = answer.as_ref().and_then(|a| {
        a.headers
            .iter()
            .find(|(name, _)| name == "location")
            .map(|(_, v)| v.as_str())
    });
    check(
        href.contains("/r/")
            && answer
                .as_ref()
                .is_some_and(|a| (300..400).contains(&a.status))
            && location == Some(page),
        format!("the activity's link {href} leads to {page} (location {location:?})"),
    )
}

/// Waits until alice's own message `text` in the window with `name` has `status`.
async fn b_wait_status(b: &Browser, name: &str, text: &str, status: &str) -> Result<()> {
    b.wait_for(
        &format!("the message {text:?} to be {status}"),
        WAIT,
        || async {
            let v = in_bar(b, WINDOW_MESSAGES, vec![json!(name)]).await?;
            let ok = v.as_array().is_some_and(|a| {
                a.iter()
                    .any(|m| m["text"] == json!(text) && m["status"] == json!(status))
            });
            Ok(if ok {
                Probe::Done(())
            } else {
                Probe::NotYet(v.to_string())
            })
        },
    )
    .await
}

/// Screenshots into `target/screenshots/bar/`: signed out (with the first-run tip), closed
/// (signed in, nothing open), open with a conversation, the friends panel, narrow (390 px), and
/// the conversation in every theme; axe-core finds no violation in the bar in any of them.
pub async fn screenshots_and_axe_every_theme(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let dir = paths::screenshots_dir()?.join("bar");
    std::fs::create_dir_all(&dir)?;
    let b = env.browser().await?;
    b.client.set_window_size(1280, 800).await?;
    b.goto(&server.site_url("/demo/messenger.html")).await?;
    wait_bar(
        &b,
        "the signed-out bar",
        "const btn = root.querySelector('button[data-action=signin]');
         return btn && btn.offsetWidth > 0;",
        vec![],
    )
    .await?;
    let shot = |name: &'static str| {
        let b = b.clone();
        let path = dir.join(format!("{name}.png"));
        async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            b.screenshot_to(&path).await?;
            let len = std::fs::metadata(&path)?.len();
            check(len > 1000, format!("{name}.png is empty"))
        }
    };
    shot("signed-out").await?;
    let mut violations = Vec::new();
    violations.extend(axe::run(&b, &["wl-bar"]).await?);
    click_in_bar(
        &b,
        "the sign-in button",
        "return root.querySelector('button[data-action=signin]');",
        vec![],
    )
    .await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    wait_online(&b).await?;
    shot("closed").await?;
    open_conversation(&b, "Bob").await?;
    send_message(
        &b,
        "Bob",
        "Hi Bob! Here's the soup recipe: https://contoso.example/soup",
    )
    .await?;
    b_wait_status(
        &b,
        "Bob",
        "Hi Bob! Here's the soup recipe: https://contoso.example/soup",
        "sent",
    )
    .await?;
    shot("open-conversation").await?;
    in_bar(
        &b,
        "root.querySelector('button[data-action=panel][data-id=friends]').click(); return true;",
        vec![],
    )
    .await?;
    shot("friends").await?;
    // Mallory's name is markup: shown as those characters, never as an element.
    let markup = in_bar(
        &b,
        "return { text: [...root.querySelectorAll('button.friend .name')].map(n => n.textContent),
                  injected: root.querySelectorAll('img[src=x], img[onerror]').length };",
        vec![],
    )
    .await?;
    check(
        markup["injected"] == json!(0)
            && markup["text"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("<img src=x onerror=alert(1)>"))),
        format!("a name with markup is shown as text: {markup}"),
    )?;
    for theme in ["blue", "white", "dark", "light"] {
        b.js(
            "document.querySelector('wl-bar').setAttribute('theme', arguments[0]);",
            vec![json!(theme)],
        )
        .await?;
        let name: &'static str = match theme {
            "blue" => "theme-blue",
            "white" => "theme-white",
            "dark" => "theme-dark",
            _ => "theme-light",
        };
        shot(name).await?;
        for v in axe::run(&b, &["wl-bar"]).await? {
            violations.push(v);
        }
    }
    b.js(
        "document.querySelector('wl-bar').setAttribute('theme', 'blue');",
        vec![],
    )
    .await?;
    in_bar(
        &b,
        "root.querySelector('button[data-action=panel][data-id=friends]').click(); return true;",
        vec![],
    )
    .await?;
    b.client.set_window_size(390, 844).await?;
    shot("narrow-conversation").await?;
    in_bar(
        &b,
        "root.querySelector('button[data-action=minimise]').click(); return true;",
        vec![],
    )
    .await?;
    shot("narrow-closed").await?;
    violations.extend(axe::run(&b, &["wl-bar"]).await?);
    flow::check_no_alert(&b).await?;
    b.client.set_window_size(1280, 800).await?;
    check(
        violations.is_empty(),
        format!(
            "axe-core violations in <wl-bar>:\n{}",
            axe::report(&violations)
        ),
    )
}
