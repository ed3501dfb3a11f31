// The Playground's preview frame: loads the real loader (wl.js) configured like the generated
// snippet, renders the elements the Playground sends, and relays every event to the Playground.
// The Playground (same origin) calls window.preview.render / api / session / background.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var meta = document.querySelector('meta[name="wl-provider"]');
  var provider = meta ? meta.content : "http://127.0.0.1:8081";
  var scope = params.get("scope") || "wl.signin wl.basic";

  function post(msg) {
    msg.wl = "preview";
    if (parent !== window) parent.postMessage(msg, location.origin);
  }

  // Tokens are shortened before they reach the log.
  function summary(value) {
    try {
      return JSON.stringify(value, function (k, v) {
        if ((k === "access_token" || k === "refresh_token" || k === "id_token") && typeof v === "string")
          return v.slice(0, 8) + "…";
        return v;
      });
    } catch (e) {
      return String(value);
    }
  }

  function relay(name, detail) {
    post({ type: "event", name: name, detail: detail === undefined ? "" : summary(detail) });
  }

  var s = document.createElement("script");
  s.src = "/wl.js";
  s.dataset.clientId = params.get("client_id") || "wl-demo";
  s.dataset.authority = provider;
  s.dataset.scope = scope;
  s.onload = function () {
    ["auth.login", "auth.logout", "auth.sessionChange", "auth.statusChange", "wl.log"].forEach(function (n) {
      WL.Event.subscribe(n, function (x) {
        relay(n, x);
        if (n === "auth.sessionChange") post({ type: "session", signedIn: !!x });
      });
    });
    post({ type: "session", signedIn: !!WL.getSession() });
  };
  document.head.appendChild(s);

  ["wl-login", "wl-logout", "wl-error"].forEach(function (n) {
    document.addEventListener(n, function (e) {
      relay(n + " <" + e.target.localName + ">", e.detail);
    });
  });

  function stage() {
    return document.getElementById("stage");
  }

  // Brings the stage's elements in line with `list` ([{tag, attrs: [[name, value]]}]),
  // changing attributes in place so a control re-renders instead of starting over.
  function render(list) {
    var root = stage();
    if (!root) return false;
    list.forEach(function (item, i) {
      var el = root.children[i];
      if (!el || el.localName !== item.tag) {
        var fresh = document.createElement(item.tag);
        if (el) root.replaceChild(fresh, el);
        else root.appendChild(fresh);
        el = fresh;
      }
      var want = {};
      item.attrs.forEach(function (a) {
        want[a[0]] = a[1];
      });
      Array.prototype.slice.call(el.attributes).forEach(function (a) {
        if (!(a.name in want)) el.removeAttribute(a.name);
      });
      Object.keys(want).forEach(function (n) {
        if (el.getAttribute(n) !== want[n]) el.setAttribute(n, want[n]);
      });
    });
    while (root.children.length > list.length) root.removeChild(root.lastElementChild);
    return true;
  }

  window.preview = {
    render: function (json) {
      return render(JSON.parse(json));
    },
    background: function (name) {
      document.body.classList.toggle("dark", name === "dark");
    },
    api: function (args) {
      return WL.api(args);
    },
    session: function () {
      return window.WL ? WL.getSession() : null;
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    post({ type: "ready" });
  });
})();
