// script.html: controls created with WL.ui, a page button calling WL.login(), late additions.
(function () {
  "use strict";
  const record = window.__wlRecord || function () {};
  const status = document.getElementById("status");

  function showStatus(s) {
    status.textContent = s && s.status === "connected" ? "Signed in" : "Not signed in";
  }

  WL.ui({
    name: "signin",
    element: "ui-signin",
    type: "signin",
    theme: "white",
    onloggedin: function (session) {
      record("ui.onloggedin", session ? { has_token: !!session.access_token } : null);
    },
    onloggedout: function () {
      record("ui.onloggedout", null);
    },
    onerror: function (error) {
      record("ui.onerror", error);
    },
  });

  if (WL.Event && WL.Event.subscribe) {
    WL.Event.subscribe("auth.statusChange", showStatus);
  }

  document.getElementById("login-js").addEventListener("click", function () {
    // Was the core's wasm already downloaded when the person clicked? (The tests throttle the
    // network to click before it is.)
    const wasmLoaded = performance
      .getEntriesByType("resource")
      .some(function (e) { return /_bg(\.[0-9a-f]+)?\.wasm(\?|$)/.test(e.name); });
    record("login-click", { wasmLoaded: wasmLoaded });
    WL.login({ scope: "wl.signin wl.basic" }).then(
      function (result) {
        // docs/loader.md: WL.login resolves with { status: "connected", session }, as Live Connect v5.
        const session = result && result.session;
        record("login-resolved", { has_token: !!(session && session.access_token) });
        showStatus({ status: "connected" });
      },
      function (error) {
        record("login-rejected", error);
      }
    );
  });

  document.getElementById("logout-js").addEventListener("click", function () {
    WL.logout().then(
      function () { record("logout-resolved", null); },
      function (error) { record("logout-rejected", error); }
    );
  });

  const late = document.getElementById("late-area");
  let count = 0;
  document.getElementById("add-signin").addEventListener("click", function () {
    count += 1;
    const el = document.createElement("wl-signin");
    el.id = "late-signin-" + count;
    el.setAttribute("theme", "dark");
    el.setAttribute("shape", "pill");
    late.appendChild(el);
  });
  document.getElementById("add-userinfo").addEventListener("click", function () {
    const el = document.createElement("wl-userinfo");
    el.id = "late-userinfo";
    el.setAttribute("layout", "full");
    late.appendChild(el);
  });

  window.__scriptReady = true;
})();
