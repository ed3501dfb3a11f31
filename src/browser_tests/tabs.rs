//! The interpreter's edge of tabs that share a `local` session: what a `storage` event hands
//! the core (the events another tab's write, another tab's `localStorage.clear()` and a
//! `sessionStorage` write would bring), and the renewal lock (Web Locks) between two frames,
//! which share storage and locks as two tabs do. The real two-tab flow (a sign-in and a sign-out
//! in real tabs) is the e2e `session::local_storage_tabs_follow_each_other`.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, strings, text};

#[wasm_bindgen_test]
async fn storage_events_move_a_local_session() {
    let r = Frame::open()
        .await
        .run(
            r#"
        localStorage.removeItem("wl_connect.session");
        await T.init(20000, false, "local");
        var logouts = 0;
        WL.Event.subscribe("auth.logout", function () { logouts++; });
        await T.signIn("here");
        var mine = localStorage.getItem("wl_connect.session");
        var theirs = mine.replace(/access_token=[^&]*/, "access_token=at-theirs");
        var tell = function (area, key, value) {
          dispatchEvent(new StorageEvent("storage", { key: key, newValue: value, storageArea: area }));
        };
        // A sessionStorage event (a frame of this tab) is not the shared session.
        tell(sessionStorage, "wl_connect.session", theirs);
        var afterSession = WL.getSession().access_token;
        // Another tab's renewal, then another tab clearing all of localStorage.
        tell(localStorage, "wl_connect.session", theirs);
        var afterRenewal = WL.getSession().access_token;
        var stored = localStorage.getItem("wl_connect.session");
        tell(localStorage, null, null);
        var afterClear = WL.getSession();
        localStorage.removeItem("wl_connect.session");
        return {
          afterSession: afterSession, afterRenewal: afterRenewal, stored: stored === mine,
          afterClear: afterClear,
          logouts: logouts,
          changes: T.events.filter(function (e) { return e.name === "auth.sessionChange"; })
            .map(function (e) { return e.arg ? e.arg.access_token : "null"; })
        };
        "#,
        )
        .await;
    assert_eq!(text(&r, "afterSession").as_deref(), Some("at-here"));
    assert_eq!(text(&r, "afterRenewal").as_deref(), Some("at-theirs"));
    assert_eq!(
        get(&r, "stored").as_bool(),
        Some(true),
        "the followed change is not written back"
    );
    assert!(
        get(&r, "afterClear").is_null(),
        "signed out with the other tab"
    );
    assert_eq!(
        strings(&get(&r, "changes")),
        ["at-here", "at-theirs", "null"]
    );
    assert_eq!(get(&r, "logouts").as_f64(), Some(1.0), "one auth.logout");
}

/// Two frames (two tabs, as far as storage and Web Locks go) share a `local` session of 2 s
/// with a refresh token; both renew about 1 s later. The refresh grants are held at the fake
/// provider until both timers have fired: only one tab has asked (the other waits for the lock);
/// once it answers, the other finds the new tokens in storage and takes them.
#[wasm_bindgen_test]
async fn two_tabs_renew_a_shared_session_once() {
    const SETUP: &str = r#"
        localStorage.removeItem("wl_connect.session");
        T.refreshTokens = true;
        await T.init(20000, false, "local");
        return true;
    "#;
    let b = Frame::open().await;
    b.run(SETUP).await;
    let a = Frame::open().await;
    a.run(SETUP).await;
    a.run(
        r#"
        T.expiresIn = 2;
        await T.signIn("shared");
        T.expiresIn = 3600;
        T.holdToken = true;
        return true;
        "#,
    )
    .await;
    b.run(
        r#"
        if (!(await T.until(function () { var s = WL.getSession(); return s && s.access_token === "at-shared"; }, 3000)))
          throw new Error("the second tab never took the first one's sign-in");
        T.expiresIn = 3600;
        T.holdToken = true;
        return true;
        "#,
    )
    .await;
    crate::sleep(1800).await;
    const HELD: &str = "return T.held.length;";
    let held = |v: wasm_bindgen::JsValue| v.as_f64().unwrap_or(-1.0);
    let (ha, hb) = (held(a.run(HELD).await), held(b.run(HELD).await));
    assert_eq!(ha + hb, 1.0, "one refresh on its way (a: {ha}, b: {hb})");
    const RELEASE: &str = "T.holdToken = false; T.release(); return true;";
    a.run(RELEASE).await;
    b.run(RELEASE).await;
    crate::sleep(500).await;
    const STATE: &str = r#"
        var s = WL.getSession();
        return { refreshes: T.refreshes, token: s && s.access_token };
    "#;
    let (ra, rb) = (a.run(STATE).await, b.run(STATE).await);
    let refreshes = |r: &wasm_bindgen::JsValue| get(r, "refreshes").as_f64().unwrap_or(-1.0);
    assert_eq!(
        refreshes(&ra) + refreshes(&rb),
        1.0,
        "one refresh grant for both tabs"
    );
    assert_eq!(text(&ra, "token").as_deref(), Some("at-renewed-1"));
    assert_eq!(text(&rb, "token"), text(&ra, "token"), "the same tokens");
}
