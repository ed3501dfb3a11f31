//! `WL.messenger` (issue 16 §1): a custom chat UI on the API (`www/demo/chat.html`) and
//! `<wl-bar>` in two browsers, so both views of the one hub client are exercised, and one
//! WebSocket for a page that has both a bar and API calls.

use crate::bar::{self, in_bar, set_presence, wait_presence_shown, wait_window_has};
use crate::custom_chat;
use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Probe, Result, axe, check, flow, http, paths};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![custom_chat::custom_chat_and_the_bar_talk_over_one_client]
}

const WAIT: Duration = Duration::from_secs(20);

/// Counts the page's `new WebSocket(…)` calls in `window.__wsOpened` (installed before any
/// page script runs).
const COUNT_SOCKETS: &str = "(() => {
  const W = window.WebSocket;
  window.__wsOpened = 0;
  const Counted = function (...a) { window.__wsOpened++; return new W(...a); };
  Counted.prototype = W.prototype;
  Object.assign(Counted, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Counted;
})();";

/// Waits until `script` (a function body on the page) returns something truthy.
async fn wait_page(b: &Browser, what: &str, script: &str, args: Vec<Json>) -> Result<Json> {
    b.wait_for(what, WAIT, || async {
        let v = b.js(script, args.clone()).await?;
        Ok(if wl_e2e::browser::truthy(&v) {
            Probe::Done(v)
        } else {
            Probe::NotYet(v.to_string())
        })
    })
    .await
}

/// The friend button in the custom chat whose name starts with `name`.
const FRIEND: &str = "return [...document.querySelectorAll('#chat-friends .chat-friend')]
  .find(b => b.querySelector('.chat-friend-name').textContent.startsWith(arguments[0])) || null;";

/// The custom chat's messages: `[{text, mine, status}]`.
const MESSAGES: &str =
    "return [...document.querySelectorAll('#chat-messages .chat-msg')].map(li => ({
  text: li.querySelector('.chat-bubble').textContent,
  mine: li.classList.contains('mine'),
  status: li.dataset.status,
}));";

fn hub_connections(server: &DevServer) -> Option<u64> {
    http::fetch(&format!("{}/healthz", server.provider))
        .and_then(|a| serde_json::from_str::<Json>(&a.body).ok())
        .and_then(|v| v["hub_connections"].as_u64())
}

/// Alice on the custom chat page (only `WL.messenger`), Bob on a page with `<wl-bar>`: Alice
/// picks Bob and writes, Bob's bar shows it; Bob types (Alice sees "is typing…") and answers,
/// Alice's UI shows it and her message is ticked delivered; `send` from script resolves
/// `delivered`, and rejects with stable codes (`not_friends`, `message_too_long`,
/// `invalid_request`); presence both ways; Bob's page, bar plus API calls, opens one WebSocket.
pub async fn custom_chat_and_the_bar_talk_over_one_client(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let alice = env.browser().await?;
    let bob = env.browser().await?;

    // Alice signs in on the custom chat page (its <wl-signin>); the page connects.
    alice.goto(&server.site_url("/demo/chat.html")).await?;
    flow::sign_in(
        &alice,
        &server.provider,
        "wl-signin",
        "wl-userinfo",
        "alice",
        "Alice Anderson",
    )
    .await?;
    wait_page(
        &alice,
        "the custom chat online",
        "return document.getElementById('chat').dataset.state === 'online';",
        vec![],
    )
    .await?;
    let bar_on_alice = alice
        .js("return document.querySelectorAll('wl-bar').length;", vec![])
        .await?;
    check(
        bar_on_alice == json!(0),
        "the custom chat page has no <wl-bar>",
    )?;

    // Bob on the messenger page with the bar, counting his page's WebSockets.
    bob.cdp("Page.enable", json!({})).await?;
    bob.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": COUNT_SOCKETS }),
    )
    .await?;
    bar::sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;

    // Alice sees Bob online in her friends, picks him, writes.
    let b = wait_page(
        &alice,
        "Bob online in the custom chat",
        &format!("const b = (() => {{ {FRIEND} }})(); return b && b.dataset.presence === 'available' ? b : null;"),
        vec![json!("Bob")],
    )
    .await?;
    alice
        .element_from_json(&b)
        .ok_or_else(|| wl_e2e::E2eError::Check("no friend button".into()))?
        .click()
        .await?;
    let hello = "Hi Bob, from the kitchen chat!";
    let ta = alice.find("#chat-text").await?;
    wait_page(
        &alice,
        "the text box enabled",
        "return !document.getElementById('chat-text').disabled;",
        vec![],
    )
    .await?;
    ta.send_keys(hello).await?;
    ta.send_keys("\u{E007}").await?;

    // Bob's bar: a tab from Alice; he opens it and sees the message.
    bar::click_in_bar(
        &bob,
        "alice's tab in bob's bar",
        "return [...root.querySelectorAll('.tabs button')]
           .find(t => t.querySelector('.tab-name').textContent.startsWith('Alice')) || null;",
        vec![],
    )
    .await?;
    wait_window_has(&bob, "Alice", &[hello]).await?;

    // Alice's message is ticked delivered.
    wait_page(
        &alice,
        "alice's message delivered in the custom chat",
        &format!("const m = (() => {{ {MESSAGES} }})(); return m.some(x => x.text === arguments[0] && x.mine && x.status === 'delivered');"),
        vec![json!(hello)],
    )
    .await?;

    // Bob types: Alice sees "is typing…"; then he sends, and Alice's UI shows it.
    let ta = bar::wait_bar(
        &bob,
        "bob's text box",
        "const w = [...root.querySelectorAll('section.win')]
           .find(w => w.querySelector('.name').textContent.startsWith('Alice'));
         return w ? w.querySelector('textarea') : null;",
        vec![],
    )
    .await?;
    let ta = bob
        .element_from_json(&ta)
        .ok_or_else(|| wl_e2e::E2eError::Check("no text box".into()))?;
    ta.send_keys("Sounds ").await?;
    wait_page(
        &alice,
        "\"Bob is typing…\" in the custom chat",
        "return document.getElementById('chat-typing').textContent.includes('is typing');",
        vec![],
    )
    .await?;
    ta.send_keys("good, see you at 7.\u{E007}").await?;
    let reply = "Sounds good, see you at 7.";
    wait_page(
        &alice,
        "bob's reply in the custom chat",
        &format!("const m = (() => {{ {MESSAGES} }})(); return m.some(x => x.text === arguments[0] && !x.mine);"),
        vec![json!(reply)],
    )
    .await?;
    let dir = paths::screenshots_dir()?.join("chat");
    std::fs::create_dir_all(&dir)?;
    for (w, h) in [(1280, 900), (390, 844)] {
        alice.client.set_window_size(w, h).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        alice
            .screenshot_to(&dir.join(format!("chat-{w}.png")))
            .await?;
    }
    // At 390 px the conversation is below the friends: scrolled to it.
    alice
        .js(
            "document.getElementById('chat-with').scrollIntoView(); return true;",
            vec![],
        )
        .await?;
    alice
        .screenshot_to(&dir.join("chat-390-conversation.png"))
        .await?;
    alice.client.set_window_size(1280, 900).await?;
    let violations = axe::run(&alice, &["#chat"]).await?;
    check(
        violations.is_empty(),
        format!(
            "axe-core violations in the custom chat:\n{}",
            axe::report(&violations)
        ),
    )?;

    // `send` from script: resolves delivered (Bob is online), and Bob's bar shows it.
    let sent = alice
        .js(
            "const f = (await WL.messenger.friends()).find(f => f.name.startsWith('Bob'));
             return await WL.messenger.send(f.id, 'Straight from WL.messenger');",
            vec![],
        )
        .await?;
    check(
        sent["status"] == json!("delivered") && sent["id"].as_u64().is_some_and(|i| i > 0),
        format!("send resolves delivered with the hub's id: {sent}"),
    )?;
    wait_window_has(&bob, "Alice", &[hello, "Straight from WL.messenger"]).await?;

    // Stable codes: a non-friend, too long, no such method.
    let codes = alice
        .js(
            "const code = p => p.then(() => 'resolved', e => e.code + ':' + typeof e.message);
             return [
               await code(WL.messenger.send('u-not-a-friend', 'hello?')),
               await code(WL.messenger.send('u-not-a-friend', 'x'.repeat(2001))),
               await code(WL.messenger.setPresence('invisible')),
               await code(WL.messenger.nosuch()),
             ];",
            vec![],
        )
        .await?;
    check(
        codes
            == json!([
                "not_friends:string",
                "message_too_long:string",
                "invalid_request:string",
                "invalid_request:string"
            ]),
        format!("rejections carry stable codes: {codes}"),
    )?;

    // Presence: Bob goes busy in his bar, Alice's UI shows it; Alice goes away in hers, Bob's
    // bar shows it.
    set_presence(&bob, "busy").await?;
    wait_page(
        &alice,
        "Bob busy in the custom chat",
        &format!("const b = (() => {{ {FRIEND} }})(); return b && b.dataset.presence === 'busy';"),
        vec![json!("Bob")],
    )
    .await?;
    alice
        .find("#chat-status")
        .await?
        .select_by_value("away")
        .await?;
    wait_presence_shown(&bob, "Alice", "away", "Away").await?;

    // Bob's page uses the API too: still one WebSocket (the bar's), one hub connection each.
    let both = bob
        .js(
            "await WL.messenger.connect();
             const s = await WL.messenger.state();
             const friends = await WL.messenger.friends({ online: true });
             const me = await WL.messenger.me();
             return [s.state, window.__wsOpened, friends.map(f => f.name.split(' ')[0]), me.presence];",
            vec![],
        )
        .await?;
    check(
        both[0] == json!("online")
            && both[1] == json!(1)
            && both[3] == json!("busy")
            && both[2]
                .as_array()
                .is_some_and(|a| a.contains(&json!("Alice"))),
        format!("bar and API share one client, one socket: {both}"),
    )?;
    let online = in_bar(
        &bob,
        "return root.querySelector('.bar').dataset.link;",
        vec![],
    )
    .await?;
    check(
        online == json!("online"),
        format!("bob's bar still online: {online}"),
    )?;
    let n = hub_connections(&server);
    check(
        n == Some(2),
        format!("the hub serves exactly two connections (one per person): {n:?}"),
    )?;
    flow::check_no_alert(&alice).await?;
    Ok(())
}
