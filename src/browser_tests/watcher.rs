//! wl.js's popup watcher, with the real core deciding (state, PKCE, nonce, the answer) and a fake
//! provider and popup (harness.js): how the answer arrives (BroadcastChannel, postMessage and its
//! origin and source), the popup closing (COOP right after navigation, or the person later),
//! errors, the timeout, a newer sign-in, a blocked popup. Every `WL.login` promise is awaited
//! with a bound (`T.settled`): none may be left pending.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, outcome, strings, text};

/// Starts a sign-in in a fresh frame (`timeout` ms) and waits until the popup is at the provider:
/// `p` is the `WL.login` promise, `pop` its popup.
const START: &str = r#"
    await T.init(TIMEOUT);
    var p = WL.login();
    var pop = T.last();
    if (!(await T.until(function () { return T.param(pop, "state"); }, 5000)))
      throw new Error("the popup never reached the provider");
"#;

async fn scenario(timeout: u32, body: &str) -> wasm_bindgen::JsValue {
    let f = Frame::open().await;
    let script = [&START.replace("TIMEOUT", &timeout.to_string()), body].concat();
    f.run(&script).await
}

fn state_of(r: &wasm_bindgen::JsValue, key: &str) -> (String, Option<String>) {
    outcome(&get(r, key))
}

fn ok(token: &str) -> (String, Option<String>) {
    ("fulfilled".into(), Some(token.into()))
}

fn rejected(code: &str) -> (String, Option<String>) {
    ("rejected".into(), Some(code.into()))
}

fn pending() -> (String, Option<String>) {
    ("pending".into(), None)
}

#[wasm_bindgen_test]
async fn broadcast_channel_answer_completes_the_login() {
    let r = scenario(
        20000,
        r#"
        var url = pop.url;
        T.broadcast(T.answer(pop, "bc"));
        return { url: url, done: await T.settled(p, 5000), closed: pop.closeCalls > 0,
                 events: T.events.map(function (e) { return e.name; }) };
        "#,
    )
    .await;
    let url = text(&r, "url").unwrap_or_default();
    assert!(url.contains("/fake-idp/authorize?response_type=code&client_id=wl-flows"));
    assert!(url.contains("display=popup") && url.contains("code_challenge_method=S256"));
    assert_eq!(state_of(&r, "done"), ok("at-bc"));
    assert_eq!(
        get(&r, "closed").as_bool(),
        Some(true),
        "wl.js closes the popup"
    );
    let events = strings(&get(&r, "events"));
    assert!(events.iter().any(|e| e == "auth.login"), "{events:?}");
}

#[wasm_bindgen_test]
async fn post_message_from_another_origin_is_ignored() {
    let r = scenario(
        20000,
        r#"
        // The right answer, but from another origin: posted for real by a sandboxed frame, and
        // as events claiming other origins.
        var from = await T.settled(T.postCrossOrigin(T.answer(pop, "evil")), 3000);
        T.postFrom("http://evil.example", T.answer(pop, "evil"));
        T.postFrom("null", T.answer(pop, "evil"));
        var early = await T.settled(p, 500);
        var tokenCalls = T.fetches.filter(function (x) { return /\/token$/.test(x.url); }).length;
        T.postFrom(location.origin, T.answer(pop, "ours"));
        return { from: from.value, early: early, tokenCalls: tokenCalls, done: await T.settled(p, 5000) };
        "#,
    )
    .await;
    let from = text(&r, "from").unwrap_or_default();
    assert_eq!(from, "null", "the cross-origin answer arrived");
    assert_eq!(state_of(&r, "early"), pending());
    assert_eq!(
        get(&r, "tokenCalls").as_f64(),
        Some(0.0),
        "no code exchange"
    );
    assert_eq!(state_of(&r, "done"), ok("at-ours"));
}

#[wasm_bindgen_test]
async fn closed_right_after_navigation_is_coop_and_broadcast_still_completes() {
    let r = scenario(
        20000,
        r#"
        pop.closed = true; // COOP cut the handle as the provider loaded
        var waiting = await T.settled(p, 1200); // four polls
        var notes = T.events.filter(function (e) { return e.name === "wl.log"; })
          .map(function (e) { return e.arg.level + ": " + e.arg.message; });
        T.broadcast(T.answer(pop, "coop"));
        return { waiting: waiting, notes: notes, done: await T.settled(p, 5000) };
        "#,
    )
    .await;
    assert_eq!(
        state_of(&r, "waiting"),
        pending(),
        "a cut handle is not a cancel"
    );
    let notes = strings(&get(&r, "notes"));
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("info: ") && notes[0].contains("Cross-Origin-Opener-Policy"),
        "{notes:?}"
    );
    assert_eq!(state_of(&r, "done"), ok("at-coop"));
}

#[wasm_bindgen_test]
async fn closed_later_by_the_person_is_user_canceled() {
    let r = scenario(
        20000,
        r#"
        await T.until(function () { return Date.now() - pop.navigatedAt > 1700; }, 3000);
        pop.closed = true;
        var done = await T.settled(p, 3000);
        var logs = T.events.filter(function (e) { return e.name === "wl.log"; })
          .map(function (e) { return e.arg.level + " " + e.arg.code; });
        return { done: done, logs: logs };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "done"), rejected("user_canceled"));
    assert_eq!(strings(&get(&r, "logs")), ["error user_canceled"]);
}

#[wasm_bindgen_test]
async fn another_state_from_the_popup_is_invalid_state() {
    let f = Frame::open().await;
    let r = f
        .run(
            r#"
            await T.init(20000);
            T.realPopup = true;
            var p = WL.login();
            var pop = T.last();
            if (!(await T.until(function () { return T.param(pop, "state"); }, 5000)))
              throw new Error("the popup never reached the provider");
            var other = T.answer(pop, "x", "not-our-state");
            // Not from our popup: someone else's answer, ignored.
            T.broadcast(other);
            T.postFrom(location.origin, other);
            var early = await T.settled(p, 400);
            // From our popup: this sign-in's answer, and it does not match.
            T.postFromPopup(pop, other);
            return { early: early, done: await T.settled(p, 3000) };
            "#,
        )
        .await;
    assert_eq!(state_of(&r, "early"), pending());
    assert_eq!(state_of(&r, "done"), rejected("invalid_state"));
}

#[wasm_bindgen_test]
async fn denied_consent_is_access_denied() {
    let r = scenario(
        20000,
        r#"
        T.broadcast("?error=access_denied&error_description=no&state=" + T.param(pop, "state"));
        return { done: await T.settled(p, 3000), closed: pop.closed };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "done"), rejected("access_denied"));
    assert_eq!(get(&r, "closed").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn an_id_token_for_another_nonce_is_invalid_state() {
    let r = scenario(
        20000,
        r#"
        T.nonceOverride = "replayed-nonce";
        T.broadcast(T.answer(pop, "n"));
        return { done: await T.settled(p, 3000) };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "done"), rejected("invalid_state"));
}

#[wasm_bindgen_test]
async fn no_answer_within_the_timeout_is_timed_out() {
    let r = scenario(
        1000,
        r#"
        var t0 = pop.navigatedAt;
        pop.closed = true; // behind COOP: only the timeout can end it
        var done = await T.settled(p, 4000);
        return { done: done, after: Date.now() - t0,
                 logs: T.events.filter(function (e) { return e.name === "wl.log" && e.arg.level === "error"; })
                   .map(function (e) { return e.arg.code; }) };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "done"), rejected("timed_out"));
    let after = get(&r, "after").as_f64().unwrap_or_default();
    assert!((1000.0..3000.0).contains(&after), "after {after} ms");
    assert_eq!(strings(&get(&r, "logs")), ["timed_out"]);
}

#[wasm_bindgen_test]
async fn a_second_login_cancels_the_first() {
    let r = scenario(
        20000,
        r#"
        var p2 = WL.login({ scope: "wl.basic" });
        var pop2 = T.last();
        var first = await T.settled(p, 3000);
        await T.until(function () { return T.param(pop2, "state"); }, 5000);
        // The first sign-in's answer arriving late belongs to no pending sign-in.
        T.broadcast(T.answer(pop, "old"));
        var stale = await T.settled(p2, 400);
        T.broadcast(T.answer(pop2, "new"));
        return { first: first, firstClosed: pop.closed, two: pop2 !== pop,
                 scope2: T.param(pop2, "scope"), stale: stale, second: await T.settled(p2, 5000) };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "first"), rejected("request_canceled"));
    assert_eq!(get(&r, "firstClosed").as_bool(), Some(true));
    assert_eq!(get(&r, "two").as_bool(), Some(true));
    assert_eq!(
        text(&r, "scope2").as_deref(),
        Some("openid wl.signin wl.basic")
    );
    assert_eq!(state_of(&r, "stale"), pending());
    assert_eq!(state_of(&r, "second"), ok("at-new"));
}

#[wasm_bindgen_test]
async fn a_blocked_popup_is_popup_blocked() {
    let f = Frame::open().await;
    let r = f
        .run(
            r#"
            await T.init(20000);
            T.blockPopups = true;
            var done = await T.settled(WL.login(), 3000);
            return { done: done, popups: T.popups.length,
                     logs: T.events.filter(function (e) { return e.name === "wl.log"; })
                       .map(function (e) { return e.arg.code; }) };
            "#,
        )
        .await;
    assert_eq!(state_of(&r, "done"), rejected("popup_blocked"));
    assert_eq!(strings(&get(&r, "logs")), ["popup_blocked"]);
}

#[wasm_bindgen_test]
async fn a_login_while_the_previous_code_exchange_is_in_flight() {
    let r = scenario(
        20000,
        r#"
        T.holdToken = true;
        T.broadcast(T.answer(pop, "one"));
        await T.until(function () { return T.held.length === 1; }, 3000);
        // A new sign-in starts while the first one's code is being exchanged.
        var p2 = WL.login({ scope: "wl.basic" });
        var pop2 = T.last();
        await T.until(function () { return T.param(pop2, "state"); }, 5000);
        T.holdToken = false;
        T.release();
        var first = await T.settled(p, 3000);
        T.broadcast(T.answer(pop2, "two"));
        return { first: first, second: await T.settled(p2, 3000) };
        "#,
    )
    .await;
    // The first answer must neither sign in nor take the second sign-in's pending request.
    assert_eq!(state_of(&r, "first"), rejected("request_canceled"));
    assert_eq!(state_of(&r, "second"), ok("at-two"));
}

#[wasm_bindgen_test]
async fn logout_cancels_a_pending_login() {
    let r = scenario(
        20000,
        r#"
        var out = await T.settled(WL.logout(), 3000);
        return { logout: out.state, done: await T.settled(p, 3000), closed: pop.closed };
        "#,
    )
    .await;
    assert_eq!(text(&r, "logout").as_deref(), Some("fulfilled"));
    assert_eq!(state_of(&r, "done"), rejected("request_canceled"));
    assert_eq!(get(&r, "closed").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn logout_while_the_code_exchange_is_in_flight_stays_signed_out() {
    let r = scenario(
        20000,
        r#"
        T.holdToken = true;
        T.broadcast(T.answer(pop, "late"));
        await T.until(function () { return T.held.length === 1; }, 3000);
        var out = await T.settled(WL.logout(), 3000);
        T.release();
        var done = await T.settled(p, 3000);
        return { logout: out.state, done: done, session: WL.getSession(),
                 logins: T.events.filter(function (e) { return e.name === "auth.login"; }).length };
        "#,
    )
    .await;
    assert_eq!(text(&r, "logout").as_deref(), Some("fulfilled"));
    assert_eq!(state_of(&r, "done"), rejected("request_canceled"));
    assert!(get(&r, "session").is_null(), "no session after the logout");
    assert_eq!(get(&r, "logins").as_f64(), Some(0.0));
}

/// Starts a sign-in whose popup is a real same-origin window (answers from it carry
/// `event.source === popup`).
const START_REAL_POPUP: &str = r#"
    await T.init(20000);
    T.realPopup = true;
    var p = WL.login();
    var pop = T.last();
    if (!(await T.until(function () { return T.param(pop, "state"); }, 5000)))
      throw new Error("the popup never reached the provider");
    var tokenCalls = function () {
      return T.fetches.filter(function (x) { return /\/token$/.test(x.url); }).length;
    };
"#;

async fn real_popup_scenario(body: &str) -> wasm_bindgen::JsValue {
    Frame::open()
        .await
        .run(&[START_REAL_POPUP, body].concat())
        .await
}

#[wasm_bindgen_test]
async fn an_error_without_state_from_our_popup_is_the_providers_error() {
    let r = real_popup_scenario(
        r#"
        // Someone else's stateless error (not our popup, not the callback channel): ignored.
        T.postFrom(location.origin, "?error=access_denied");
        var early = await T.settled(p, 400);
        // Our popup: the provider dropped the state from its error redirect.
        T.postFromPopup(pop, "?error=server_error&error_description=the%20provider%20is%20down");
        return { early: early, done: await T.settled(p, 3000), tokens: tokenCalls(),
                 logs: T.events.filter(function (e) { return e.name === "wl.log" && e.arg.level === "error"; })
                   .map(function (e) { return e.arg.code; }) };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "early"), pending());
    assert_eq!(state_of(&r, "done"), rejected("server_error"));
    assert_eq!(get(&r, "tokens").as_f64(), Some(0.0), "no code exchange");
    assert_eq!(strings(&get(&r, "logs")), ["server_error"]);
}

#[wasm_bindgen_test]
async fn an_error_without_state_on_the_callback_channel_is_ignored() {
    // Issue 13, item 11: anyone can open callback.html?error=… in a window of the site; on the
    // channel, an error that does not carry this sign-in's state must not end it.
    let r = scenario(
        20000,
        r#"
        pop.closed = true; // COOP cut the handle: the answer can only come on BroadcastChannel
        await T.settled(p, 400);
        T.broadcast("?error=access_denied");
        T.broadcast("?error=access_denied&error_description=forged");
        var forged = await T.settled(p, 1500);
        T.broadcast(T.answer(pop, "after"));
        return { forged: forged, done: await T.settled(p, 5000) };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "forged"), pending());
    assert_eq!(
        state_of(&r, "done"),
        ok("at-after"),
        "the real answer still completes it"
    );
}

#[wasm_bindgen_test]
async fn a_code_without_state_is_never_accepted() {
    let r = real_popup_scenario(
        r#"
        T.nonces.stateless = T.param(pop, "nonce");
        // On the callback channel: ignored, also with an error beside it.
        T.broadcast("?code=stateless");
        T.broadcast("?code=stateless&error=access_denied");
        var early = await T.settled(p, 400);
        // From our popup: the answer does not belong to this request.
        T.postFromPopup(pop, "?code=stateless");
        return { early: early, done: await T.settled(p, 3000), tokens: tokenCalls(),
                 session: WL.getSession() };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "early"), pending());
    assert_eq!(state_of(&r, "done"), rejected("invalid_state"));
    assert_eq!(get(&r, "tokens").as_f64(), Some(0.0), "no code exchange");
    assert!(get(&r, "session").is_null());
}

#[wasm_bindgen_test]
async fn an_error_with_another_state_is_still_invalid_state() {
    let r = real_popup_scenario(
        r#"
        T.broadcast("?error=access_denied&state=not-our-state");
        var early = await T.settled(p, 400);
        T.postFromPopup(pop, "?error=access_denied&state=not-our-state");
        return { early: early, done: await T.settled(p, 3000) };
        "#,
    )
    .await;
    assert_eq!(state_of(&r, "early"), pending());
    assert_eq!(state_of(&r, "done"), rejected("invalid_state"));
}

/// `WL.api`'s `query` is appended by wl.js: OData option names get their `$`, arrays are joined
/// with commas, numbers go as JSON, undefined is left out; the path's own query stays first.
#[wasm_bindgen_test]
async fn api_query_is_appended_by_wl_js() {
    let r = scenario(
        20000,
        r#"
        T.broadcast(T.answer(pop, "q"));
        await T.settled(p, 5000);
        var query = { select: ["id", "name"], top: 5, lang: "fr", skip: undefined };
        var a = await T.settled(WL.api({ path: "/v1/me/friends?x=1", query: query }), 10000);
        return { a: a, url: T.fetches[T.fetches.length - 1].url };
        "#,
    )
    .await;
    let url = text(&r, "url").unwrap_or_default();
    assert!(
        url.ends_with("/fake-idp/v1/me/friends?x=1&%24select=id%2Cname&%24top=5&lang=fr"),
        "{url}"
    );
    // The fake provider has no API: the call itself fails to connect.
    assert_eq!(state_of(&r, "a"), rejected("connection_failed"));
}

/// A provider without `wl_api_base` (any OpenID provider): `WL.api("me")` calls its
/// `userinfo_endpoint` with the access token and resolves with Live's `me` mapped from the
/// answer over the ID token's claims; other paths are `not_supported`; `getProvider()` has no
/// `api_base`. Attack: a userinfo answer about another person (another `sub`, or none) is
/// refused with `invalid_token` and none of its values are shown.
#[wasm_bindgen_test]
async fn me_comes_from_userinfo_without_a_data_api() {
    let f = Frame::open().await;
    let script = [
        r#"
        T.dataApi = false;
        T.idTokenClaims = { name: "From the ID token", picture: "https://p.example/a.png" };
        T.userinfo = { sub: "alice", name: "Alice Liddell", given_name: "Alice",
                       family_name: "Liddell", email: "alice@example.test" };
        "#,
        &START.replace("TIMEOUT", "20000"),
        r#"
        T.broadcast(T.answer(pop, "ui"));
        await T.settled(p, 5000);
        var out = { me: await T.settled(WL.api("me"), 5000), auth: T.userinfoAuth };
        out.friends = await T.settled(WL.api("me/friends"), 5000);
        out.post = await T.settled(WL.api({ path: "me", method: "POST", body: {} }), 5000);
        out.noBase = !("api_base" in (await WL.getProvider())) || (await WL.getProvider()).api_base === undefined;
        T.userinfo = { sub: "mallory", name: "Mallory" };
        out.other = await T.settled(WL.api("me"), 5000);
        T.userinfo = { name: "Nobody" };
        out.none = await T.settled(WL.api("/v1/me"), 5000);
        return out;
        "#,
    ]
    .concat();
    let r = f.run(&script).await;
    let me = get(&get(&r, "me"), "value");
    assert_eq!(text(&get(&r, "me"), "state").as_deref(), Some("fulfilled"));
    assert_eq!(text(&me, "id").as_deref(), Some("alice"));
    assert_eq!(
        text(&me, "name").as_deref(),
        Some("Alice Liddell"),
        "userinfo wins"
    );
    assert_eq!(text(&me, "first_name").as_deref(), Some("Alice"));
    assert_eq!(text(&me, "last_name").as_deref(), Some("Liddell"));
    assert_eq!(
        text(&me, "picture").as_deref(),
        Some("https://p.example/a.png"),
        "the ID token fills in"
    );
    assert_eq!(
        text(&get(&me, "emails"), "preferred").as_deref(),
        Some("alice@example.test")
    );
    assert_eq!(text(&r, "auth").as_deref(), Some("Bearer at-ui"));
    assert_eq!(state_of(&r, "friends"), rejected("not_supported"));
    assert_eq!(state_of(&r, "post"), rejected("not_supported"));
    assert_eq!(get(&r, "noBase").as_bool(), Some(true));
    assert_eq!(state_of(&r, "other"), rejected("invalid_token"));
    assert_eq!(state_of(&r, "none"), rejected("invalid_token"));
}

/// Issue 13, reliability: a GET that cannot reach the provider (a restart) is tried twice more,
/// 1 s and 3 s later, so `WL.api` recovers without the page doing anything; a provider still
/// down after that is `connection_failed`; a POST (the code exchange) is never repeated, as a
/// code is spent once.
#[wasm_bindgen_test]
async fn a_get_is_retried_while_the_provider_restarts_and_a_post_never() {
    let f = Frame::open().await;
    let script = [
        r#"
        T.dataApi = false;
        T.userinfo = { sub: "alice", name: "Alice Liddell" };
        "#,
        &START.replace("TIMEOUT", "20000"),
        r#"
        T.broadcast(T.answer(pop, "rt"));
        await T.settled(p, 5000);
        var gets = function () {
          return T.fetches.filter(function (x) { return /\/userinfo$/.test(x.url); }).length;
        };
        T.down = 2;
        var out = { back: await T.settled(WL.api("me"), 10000), tries: gets() };
        T.down = 3;
        out.gone = await T.settled(WL.api("me"), 10000);
        out.tries2 = gets() - out.tries;
        // A sign-in whose code exchange cannot connect: one POST, then connection_failed.
        var p2 = WL.login({ scope: "wl.basic" });
        var pop2 = T.last();
        await T.until(function () { return T.param(pop2, "state"); }, 5000);
        var tokens = T.fetches.filter(function (x) { return /\/token$/.test(x.url); }).length;
        T.down = 1;
        T.broadcast(T.answer(pop2, "rt2"));
        out.login = await T.settled(p2, 10000);
        out.posts = T.fetches.filter(function (x) { return /\/token$/.test(x.url); }).length - tokens;
        return out;
        "#,
    ]
    .concat();
    let r = f.run(&script).await;
    assert_eq!(
        text(&get(&r, "back"), "state").as_deref(),
        Some("fulfilled")
    );
    assert_eq!(
        get(&r, "tries").as_f64(),
        Some(3.0),
        "two failures, then the answer"
    );
    assert_eq!(state_of(&r, "gone"), rejected("connection_failed"));
    assert_eq!(
        get(&r, "tries2").as_f64(),
        Some(3.0),
        "three tries, then the error"
    );
    assert_eq!(state_of(&r, "login"), rejected("connection_failed"));
    assert_eq!(
        get(&r, "posts").as_f64(),
        Some(1.0),
        "the code exchange is not repeated"
    );
}

/// A relative `redirect_uri` resolves as every URL in the page does, against the page's base
/// URL: under `<base href="/app/">` on a page at `/deep/route/page`, `callback.html` is
/// `/app/callback.html` (an app whose routes change the path keeps one redirect URI), and
/// `/callback.html` is the origin's. Without a base, it is the page's directory.
#[wasm_bindgen_test]
async fn a_relative_redirect_uri_resolves_against_the_base_url() {
    let sent = |base: &'static str, uri: &'static str| async move {
        let f = Frame::open().await;
        let r = f
            .run(&format!(
                r#"
                history.replaceState(null, "", "/deep/route/page");
                if ({base:?}) {{
                  var b = document.createElement("base");
                  b.href = {base:?};
                  document.head.prepend(b);
                }}
                await WL.init({{ client_id: "wl-flows", authority: T.issuer, storage: "memory",
                                 logging: false, redirect_uri: {uri:?} }});
                var p = WL.login();
                var pop = T.last();
                await T.until(function () {{ return T.param(pop, "state"); }}, 5000);
                return {{ sent: T.param(pop, "redirect_uri"), origin: location.origin }};
                "#
            ))
            .await;
        let origin = text(&r, "origin").unwrap_or_default();
        let sent = text(&r, "sent").unwrap_or_default();
        sent.strip_prefix(&origin)
            .map(str::to_string)
            .unwrap_or(sent)
    };
    assert_eq!(sent("/app/", "callback.html").await, "/app/callback.html");
    assert_eq!(sent("/app/", "/callback.html").await, "/callback.html");
    assert_eq!(sent("", "callback.html").await, "/deep/route/callback.html");
}
