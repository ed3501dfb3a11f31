// Records what wl-connect tells the page, for people (the "Events on this page" list) and for
// the end-to-end tests (window.__events). Loaded with `defer` after /wl.js; no inline script,
// so the pages keep a strict Content-Security-Policy.
(function () {
  "use strict";
  const events = (window.__events = window.__events || []);
  const list = document.getElementById("event-log-list");

  function record(type, detail) {
    let safe;
    try {
      safe = JSON.parse(JSON.stringify(detail === undefined ? null : detail));
    } catch (e) {
      safe = String(detail);
    }
    events.push({ type: type, detail: safe, at: Math.round(performance.now()) });
    if (list) {
      const li = document.createElement("li");
      const code = safe && (safe.code || (safe.error && safe.error.code) || safe.status);
      li.textContent = type + (code ? " — " + code : "");
      list.appendChild(li);
    }
  }
  window.__wlRecord = record;

  // DOM events from every control, also ones added later (capture sees non-bubbling events).
  ["wl-login", "wl-logout", "wl-error"].forEach(function (name) {
    document.addEventListener(
      name,
      function (e) {
        const tag = e.target && e.target.localName;
        record(name, { element: tag, detail: e.detail });
      },
      true
    );
  });

  // The WL API's own events.
  if (window.WL && WL.Event && typeof WL.Event.subscribe === "function") {
    ["auth.login", "auth.logout", "auth.sessionChange", "auth.statusChange", "wl.log"].forEach(function (name) {
      try {
        WL.Event.subscribe(name, function (value) {
          record(name, value);
        });
      } catch (e) {
        record("subscribe-failed", { name: name, message: String(e && e.message) });
      }
    });
  }
})();
