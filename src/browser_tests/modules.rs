//! Which build of the core wl.js fetches (docs/loader.md, "What loads when"): a signed-out page
//! gets the core alone (`wl_connect`), its controls first-painted without their module, and the
//! controls' own module (`wl_controls`) when one needs it (a sign-in starting); a page whose
//! control needs its module before the core loads gets the one combined module
//! (`wl_connect_controls`) for both, and nothing else. The frame's `core-shim/`
//! stands in for `pkg/` (the real core's `step`, stand-in control classes) and records each
//! module wl.js loads in `window.__wlModules`.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, strings, text};

#[wasm_bindgen_test]
async fn a_signed_out_page_gets_the_core_alone_and_the_controls_when_a_sign_in_starts() {
    let f = Frame::open().await;
    let r = f
        .run(
            r#"
            var out = {};
            var el = document.createElement("wl-signin");
            document.body.appendChild(el);
            out.init = (await T.settled(T.init(20000, true), 5000)).state;
            // Drawn and clickable, without its module.
            out.painted = !!(el.shadowRoot && el.shadowRoot.querySelector("button"));
            await new Promise(function (r) { setTimeout(r, 300); });
            out.idle = !el.hasAttribute("data-connected");
            out.first = (window.__wlModules || []).slice();
            // A sign-in starts: the controls' module comes meanwhile.
            var p = WL.login();
            out.connected = await T.until(function () { return el.hasAttribute("data-connected"); }, 5000);
            out.shim = el.getAttribute("data-shim");
            out.after = (window.__wlModules || []).slice();
            var pop = T.last();
            await T.until(function () { return pop && pop.url; }, 5000);
            T.broadcast(T.answer(pop, "mod"));
            out.login = (await T.settled(p, 5000)).state;
            return out;
            "#,
        )
        .await;
    assert_eq!(text(&r, "init").as_deref(), Some("fulfilled"));
    assert_eq!(get(&r, "painted").as_bool(), Some(true));
    assert_eq!(get(&r, "idle").as_bool(), Some(true));
    assert_eq!(strings(&get(&r, "first")), ["wl_connect"]);
    assert_eq!(get(&r, "connected").as_bool(), Some(true));
    assert_eq!(text(&r, "shim").as_deref(), Some("WlSignin"));
    assert_eq!(strings(&get(&r, "after")), ["wl_connect", "wl_controls"]);
    assert_eq!(text(&r, "login").as_deref(), Some("fulfilled"));
}

#[wasm_bindgen_test]
async fn a_control_that_needs_its_module_before_the_core_gets_one_module_for_both() {
    let f = Frame::open().await;
    let r = f
        .run(
            r#"
            var out = {};
            var info = document.createElement("wl-userinfo");
            document.body.appendChild(info);
            // Changed after the first paint, before the core loads: the module draws it.
            info.setAttribute("layout", "compact");
            var st = await T.settled(T.init(20000, true), 5000);
            out.init = st.state + " " + (st.value && st.value.status);
            out.connected = await T.until(function () { return info.hasAttribute("data-connected"); }, 5000);
            out.shim = info.getAttribute("data-shim");
            // A later control is served by the same module, once a sign-in starts.
            var button = document.createElement("wl-signin");
            document.body.appendChild(button);
            // The core in the combined module works: a sign-in goes through.
            var p = WL.login();
            await T.until(function () { return button.hasAttribute("data-connected"); }, 5000);
            out.later = button.getAttribute("data-shim");
            var pop = T.last();
            await T.until(function () { return pop && pop.url; }, 5000);
            T.broadcast(T.answer(pop, "mod"));
            var login = await T.settled(p, 5000);
            out.login = login.state + " " + (login.value && login.value.session && login.value.session.access_token);
            out.modules = (window.__wlModules || []).slice();
            return out;
            "#,
        )
        .await;
    assert_eq!(text(&r, "init").as_deref(), Some("fulfilled notConnected"));
    assert_eq!(get(&r, "connected").as_bool(), Some(true));
    assert_eq!(text(&r, "shim").as_deref(), Some("WlUserinfo"));
    assert_eq!(text(&r, "later").as_deref(), Some("WlSignin"));
    assert_eq!(text(&r, "login").as_deref(), Some("fulfilled at-mod"));
    assert_eq!(strings(&get(&r, "modules")), ["wl_connect_controls"]);
}
