//! wl.js's refresh-token renewal racing the person: a `WL.logout()` while the renewal's token
//! request is on its way ends the session once, and the late answer does not sign them back in
//! (nor replace a newer sign-in's session). And the renewal's own ID token, checked with the
//! provider's keys and for the same person.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, strings, text};

/// Signs in (a 2 s token with a refresh token, so the renewal starts after ~1 s) and waits until
/// the renewal's token request is held at the fake provider.
const SIGNED_IN_RENEWING: &str = r#"
    await T.init(20000);
    T.expiresIn = 2;
    T.refreshTokens = true;
    await T.signIn("first");
    T.holdToken = true;
    if (!(await T.until(function () { return T.held.length === 1 && T.refreshes === 1; }, 4000)))
      throw new Error("the renewal never started");
    var changes = function () {
      return T.events.filter(function (e) { return e.name === "auth.sessionChange"; })
        .map(function (e) { return e.arg ? e.arg.access_token : "null"; });
    };
    var statuses = function () {
      return T.events.filter(function (e) { return e.name === "auth.statusChange"; })
        .map(function (e) { return e.arg.status; });
    };
"#;

async fn renewing(body: &str) -> wasm_bindgen::JsValue {
    Frame::open()
        .await
        .run(&[SIGNED_IN_RENEWING, body].concat())
        .await
}

#[wasm_bindgen_test]
async fn logout_during_a_renewal_ends_the_session_once() {
    let r = renewing(
        r#"
        var out = await T.settled(WL.logout(), 3000);
        T.holdToken = false;
        T.release();
        await new Promise(function (r) { setTimeout(r, 500); });
        return { logout: out.state, changes: changes(), statuses: statuses(),
                 session: WL.getSession() };
        "#,
    )
    .await;
    assert_eq!(text(&r, "logout").as_deref(), Some("fulfilled"));
    assert_eq!(
        strings(&get(&r, "changes")),
        ["at-first", "null"],
        "one sessionChange(null), and the renewed token never became the session"
    );
    assert_eq!(
        strings(&get(&r, "statuses")),
        ["notConnected", "connected", "notConnected"]
    );
    assert!(get(&r, "session").is_null(), "still signed out");
}

#[wasm_bindgen_test]
async fn a_renewal_answer_after_logout_and_a_new_sign_in_is_dropped() {
    let r = renewing(
        r#"
        await T.settled(WL.logout(), 3000);
        T.holdToken = false;
        T.expiresIn = 3600;
        var p2 = WL.login();
        var pop2 = T.last();
        await T.until(function () { return T.param(pop2, "state"); }, 5000);
        T.broadcast(T.answer(pop2, "second"));
        var second = await T.settled(p2, 3000);
        T.release(); // the first session's renewal answers now
        await new Promise(function (r) { setTimeout(r, 500); });
        return { second: second.state, changes: changes(),
                 session: WL.getSession() && WL.getSession().access_token };
        "#,
    )
    .await;
    assert_eq!(text(&r, "second").as_deref(), Some("fulfilled"));
    assert_eq!(
        strings(&get(&r, "changes")),
        ["at-first", "null", "at-second"]
    );
    assert_eq!(text(&r, "session").as_deref(), Some("at-second"));
}

#[wasm_bindgen_test]
async fn a_renewal_left_alone_renews_the_session() {
    let r = renewing(
        r#"
        T.holdToken = false;
        T.release();
        await T.until(function () { return changes().length === 2; }, 3000);
        return { changes: changes(), statuses: statuses(),
                 session: WL.getSession() && WL.getSession().access_token };
        "#,
    )
    .await;
    assert_eq!(strings(&get(&r, "changes")), ["at-first", "at-renewed-1"]);
    assert_eq!(strings(&get(&r, "statuses")), ["notConnected", "connected"]);
    assert_eq!(text(&r, "session").as_deref(), Some("at-renewed-1"));
}

/// A renewal's ID token is verified with the provider's keys (Web Crypto, as the sign-in's) and
/// must name the same person for this client (OpenID Connect Core §12.2): one signed for
/// mallory, one for another site, or alice's with its `sub` changed after signing ends the
/// session with `invalid_token` instead of becoming it.
#[wasm_bindgen_test]
async fn a_renewal_id_token_is_verified_and_names_the_same_person() {
    let renew = |setup: &str| {
        [
            r#"
            await T.init(20000);
            T.expiresIn = 2;
            T.refreshTokens = true;
            await T.signIn("first");
            var first = WL.getSession().id_token;
            "#,
            setup,
            r#"
            var ended = function () {
              return T.events.some(function (e) { return e.name === "auth.sessionChange" && !e.arg; });
            };
            var renewed = function () {
              var s = WL.getSession();
              return s && s.access_token === "at-renewed-1";
            };
            await T.until(function () { return ended() || renewed(); }, 5000);
            var s = WL.getSession();
            return { session: s && s.access_token, newIdToken: !!s && s.id_token !== first,
                     codes: T.logCodes() };
            "#,
        ]
        .concat()
    };
    let f = Frame::open().await;
    let r = f.run(&renew("T.renewIdToken = {};")).await;
    assert_eq!(text(&r, "session").as_deref(), Some("at-renewed-1"));
    assert_eq!(
        get(&r, "newIdToken").as_bool(),
        Some(true),
        "the renewed ID token kept"
    );
    drop(f);
    for (setup, what) in [
        (r#"T.renewIdToken = { sub: "mallory" };"#, "another person"),
        (
            r#"T.renewIdToken = { aud: "another-site" };"#,
            "another client",
        ),
        (
            r#"T.renewIdToken = {}; T.idTampered = { sub: "mallory" };"#,
            "changed after signing",
        ),
    ] {
        let f = Frame::open().await;
        let r = f.run(&renew(setup)).await;
        assert!(get(&r, "session").is_null(), "{what}: the session ended");
        assert!(
            strings(&get(&r, "codes")).contains(&"invalid_token".to_string()),
            "{what}: {:?}",
            strings(&get(&r, "codes"))
        );
    }
}
