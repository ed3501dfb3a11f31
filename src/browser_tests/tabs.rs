//! The interpreter's edge of "tabs that share a session follow each other": what a `storage`
//! event hands the core. The real two-tab flow (a sign-in and a sign-out in real tabs) is the
//! e2e `session::local_storage_tabs_follow_each_other`; here the events are the ones another
//! tab's write, another tab's `localStorage.clear()` and a `sessionStorage` write would bring.

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
