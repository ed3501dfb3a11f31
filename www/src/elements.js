// The elements: <wl-signin>, <wl-userinfo>, <wl-bar> (the shim protocol, docs/contracts.md: one
// module per kind, one instance per element), <wl-app> (configuration as markup), and legacy
// <wl:…> tags upgraded to them.

import { paint } from "./paint.js";
import { REDIRECT_KEY, item, storageOf } from "./stored.js";

/** Defines the elements on window `w`; `load(name)` imports a module, `basic()` names the one
 * that has the basic controls. Returns `wake()`, which has every first-painted basic control
 * taken over by its module (a sign-in is starting). */
export function defineElements(w, WL, load, basic) {
  var d = w.document;
  // First-painted <wl-signin> and <wl-userinfo> whose module is not asked for yet: a signed-out
  // page is drawn and clickable without it (paint.js), so its bytes wait until a control has
  // something the first paint cannot show: a session (stored, or a sign-in starting or done), a
  // redirect sign-in coming back, or an attribute changed after the paint (docs/loader.md, "What
  // loads when").
  var idle = [];
  function wake() {
    idle.splice(0).forEach(function (el) {
      if (el.isConnected) take(el);
    });
  }
  WL.Event.subscribe("auth.sessionChange", function (s) {
    if (s) wake();
  });
  // A click on a first-paint button before its module is there: `WL.login` now (the popup opens
  // in the click; it wakes the controls); the control, once it takes the element over, shows and
  // settles it (`pending`). If the module never comes, the failure is the load's `wl-error`, not
  // an unhandled rejection. A signed-in visitor's first paint says "Sign out": a click then
  // signs out.
  function early(el, signedIn, opts) {
    if (signedIn) WL.logout().catch(Object);
    else (el.__wle = WL.login(opts)).catch(Object);
  }
  // The element's module, then its instance takes the element over.
  function take(el) {
    if (el.__wl || el.__wlp) return;
    var tag = el.localName;
    el.__wlp = load(tag == "wl-bar" ? "wl_bar" : basic()).then(
      function (m) {
        el.__wlp = null;
        if (!el.__wl && el.isConnected) {
          el.__wl = new m[tag == "wl-bar" ? "WlBar" : tag == "wl-signin" ? "WlSignin" : "WlUserinfo"](el);
          el.__wl.connected();
          if (el.__wle) el.__wl.pending(el.__wle);
          el.__wle = null;
        }
      },
      function (e) {
        // Shown as `data-wl-error="connection_failed"` (or `integrity_failed`) and told
        // with the control's `wl-error` event; a later connect tries again.
        el.__wlp = null;
        el.setAttribute("data-wl-error", e.code);
        el.dispatchEvent(new CustomEvent("wl-error", { detail: e }));
      }
    );
  }
  function control(tag, attrs) {
    if (customElements.get(tag)) return;
    customElements.define(
      tag,
      class extends HTMLElement {
        static get observedAttributes() {
          return attrs;
        }
        connectedCallback() {
          var el = this, s, need;
          if (el.__wl) return el.__wl.connected();
          if (el.__wlp || idle.indexOf(el) >= 0) return;
          if (tag == "wl-bar") return take(el);
          // Drawn at once (paint.js), as the stored session says; the module adopts this DOM: no
          // flash, no shift.
          s = WL.getSession();
          // (or a redirect sign-in coming back)
          need = s || item(storageOf(), REDIRECT_KEY);
          // (the module not coming now, the paint says what it would about the attributes)
          paint(el, early, s, !need);
          if (need) take(el);
          else idle.push(el);
        }
        disconnectedCallback() {
          var el = this, inst = el.__wl;
          if (!inst) return;
          inst.disconnected();
          // Freed unless re-connected within the same task (a move in the DOM).
          setTimeout(function () {
            if (!el.isConnected && el.__wl === inst) {
              el.__wl = null;
              inst.free();
            }
          });
        }
        attributeChangedCallback(n, o, v) {
          if (o === v) return;
          if (this.__wl) this.__wl.attributeChanged(n, o, v);
          // Changed after the first paint: the module draws it.
          else if (idle.indexOf(this) >= 0) {
            idle.splice(idle.indexOf(this), 1);
            take(this);
          }
        }
      }
    );
  }

  // A <wl-userinfo> that could not reach the provider tries again every 10 s while it stays in
  // that state (`connected()` fetches the person again), so it recovers when the provider does;
  // `<wl-signin>` recovers on its next click.
  d.addEventListener("wl-error", function (e) {
    var el = e.target;
    if (el.localName == "wl-userinfo" && /^(connection_failed|timed_out)$/.test(e.detail && e.detail.code)) {
      setTimeout(function () {
        if (el.__wl && el.isConnected && el.hasAttribute("data-wl-error")) el.__wl.connected();
      }, 1e4);
    }
  });

  // The page's first touch of sessionStorage (a synchronous round trip to the browser process,
  // which every control's connect reads) is made now, while wl.js runs. Made in the first
  // control's connect instead, it fell in the middle of the parser's work on the body, and
  // Chromium's parser then often yielded a frame or more (11–25 ms, in 4–5 of 31 cold loads)
  // before it created the next control (docs/bench.md, "first frame").
  item(storageOf(), REDIRECT_KEY);

  control("wl-signin", [
    "brand", "type", "theme", "size", "shape", "sign-in-text", "sign-out-text", "scope", "locale", "mode", "fallback",
    "signed-in-text", "signed-out-text", "on-signin", "on-signout"
  ]);
  control("wl-userinfo", ["layout", "cid", "locale", "theme"]);
  // The messenger bar (controls/bar): its own module, fetched only on pages that have a bar.
  control("wl-bar", ["theme", "locale", "sign-in-enabled", "hide-first-run-experience", "on-consent-completed", "hub"]);

  // <wl-app>: configuration as markup; onload / onsignedin / onsignedout name global functions.
  var appAttrs = ["client-id", "scope", "redirect-uri", "callback-url", "authority", "application-name", "onload", "onsignedin", "onsignedout"];
  if (!customElements.get("wl-app")) {
    customElements.define(
      "wl-app",
      class extends HTMLElement {
        static get observedAttributes() {
          return appAttrs;
        }
        connectedCallback() {
          if (this.__wl) return;
          this.__wl = true;
          var el = this, o = {};
          var a = function (n) {
            return el.getAttribute(n);
          };
          var global = function (n) {
            var f = n && w[n];
            return typeof f === "function" ? f : null;
          };
          [["client-id", "client_id"], ["scope"], ["redirect-uri", "redirect_uri"], ["callback-url", "redirect_uri"], ["authority"],
            ["storage"], ["mode"], ["logging"], ["application-name", "application_name"]].forEach(function (p) {
            if (a(p[0]) != null && o[p[1] || p[0]] == null) o[p[1] || p[0]] = a(p[0]);
          });
          [["onsignedin", "auth.login"], ["onsignedout", "auth.logout"]].forEach(function (p) {
            if (a(p[0])) {
              WL.Event.subscribe(p[1], function (x) {
                var f = global(a(p[0]));
                if (f) f(x);
              });
            }
          });
          var done = function () {
            var f = global(a("onload"));
            if (f) f();
          };
          WL.init(o).then(done, done);
        }
      }
    );
  }

  // Legacy markup: <wl:app>, <wl:signin>, <wl:userinfo>, <wl:bar> become the new elements, now and later.
  var legacy = { "wl:app": "wl-app", "wl:signin": "wl-signin", "wl:userinfo": "wl-userinfo", "wl:bar": "wl-bar" };
  var legacySel = "wl\\:app,wl\\:signin,wl\\:userinfo,wl\\:bar";
  function upgrade(old) {
    var el = d.createElement(legacy[old.localName.toLowerCase()]);
    for (var i = 0; i < old.attributes.length; i++) {
      var at = old.attributes[i];
      try {
        el.setAttribute(at.name, at.value);
      } catch (e) {
        /* not a valid attribute name: dropped */
      }
    }
    while (old.firstChild) el.appendChild(old.firstChild);
    old.replaceWith(el);
  }
  function scan(node) {
    if (node.nodeType !== 1) return;
    if (legacy[node.localName.toLowerCase()]) upgrade(node);
    else node.querySelectorAll(legacySel).forEach(upgrade);
  }
  // The page's own legacy tags are replaced once it is parsed (when it turns "interactive", just
  // before DOMContentLoaded and the core's load), then each one added later. An observer on the
  // whole document from the head would have a record made for every node the parser adds: on a
  // large page, work for every page so that the rare legacy one draws a little sooner.
  function watch() {
    scan(d.documentElement);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(scan);
      });
    }).observe(d, { childList: true, subtree: true });
  }
  if (d.readyState === "loading") {
    d.addEventListener("readystatechange", watch, { once: true });
  } else watch();
  return wake;
}
