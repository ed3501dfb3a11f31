//! `WL.Event` in wl.js: one call per handler however often it is subscribed (wl.js keeps one
//! entry per (name, function) pair), subscription order, a throwing handler does not stop the
//! others, `unsubscribe(name, fn)` removes that one, `unsubscribe(name)` all of that name only.
//! The events are the real ones: `auth.statusChange` from `WL.init`, `wl.log` from a second
//! `WL.init` (the first configuration stays, the core says so).

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, strings};

#[wasm_bindgen_test]
async fn subscribe_unsubscribe_order_and_throwing_handlers() {
    let f = Frame::open().await;
    let r = f
        .run(
            r#"
            var calls = [], log = function (tag) { return function () { calls.push(tag); }; };
            var a = log("a"), c = log("c"), d = log("d"), s = log("status");
            var b = function () { calls.push("b"); throw new Error("b throws"); };
            WL.Event.subscribe("wl.log", a);
            WL.Event.subscribe("wl.log", b);
            WL.Event.subscribe("wl.log", a); // again: still one entry
            WL.Event.subscribe("wl.log", c);
            WL.Event.subscribe("wl.log", d);
            WL.Event.subscribe("auth.statusChange", s);
            WL.Event.unsubscribe("wl.log", d);
            WL.Event.subscribe("wl.log", "not a function");

            var out = {};
            var st = await T.settled(T.init(20000, true), 5000);
            out.init = st.state + " " + (st.value && st.value.status);
            out.afterInit = calls.splice(0);
            var again = function () {
              return T.settled(WL.init({ client_id: "other", authority: T.issuer }), 5000);
            };
            out.second = (await again()).state;
            out.afterSecond = calls.splice(0);
            WL.Event.unsubscribe("wl.log", a);
            await again();
            out.afterUnsubA = calls.splice(0);
            WL.Event.unsubscribe("wl.log");
            await again();
            out.afterUnsubAll = calls.splice(0);
            // Handlers of other names stay: a sign-in changes the status.
            var p = WL.login();
            var pop = T.last();
            await T.until(function () { return pop.url; }, 5000);
            T.broadcast(T.answer(pop, "ev"));
            out.login = (await T.settled(p, 5000)).state;
            out.afterLogin = calls.splice(0);
            return out;
            "#,
        )
        .await;
    assert_eq!(
        get(&r, "init").as_string().as_deref(),
        Some("fulfilled notConnected")
    );
    assert_eq!(
        strings(&get(&r, "afterInit")),
        ["status"],
        "statusChange once at init"
    );
    assert_eq!(
        get(&r, "second").as_string().as_deref(),
        Some("fulfilled"),
        "a throwing handler does not break the flow that fired the event"
    );
    assert_eq!(
        strings(&get(&r, "afterSecond")),
        ["a", "b", "c"],
        "subscription order, a subscribed twice is called once, b throwing does not stop c, d unsubscribed"
    );
    assert_eq!(strings(&get(&r, "afterUnsubA")), ["b", "c"]);
    assert!(strings(&get(&r, "afterUnsubAll")).is_empty());
    assert_eq!(get(&r, "login").as_string().as_deref(), Some("fulfilled"));
    assert_eq!(strings(&get(&r, "afterLogin")), ["status"]);
}
