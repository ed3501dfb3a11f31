// The entry of wl.js: one classic script (bundled from these modules by `cargo xtask build`,
// xtask/src/build/bundle.rs) that defines window.WL and the <wl-app>, <wl-signin>, <wl-userinfo>
// elements at once, upgrades legacy <wl:…> tags, and loads the wasm core and each control's
// module only when first needed (docs/loader.md, docs/contracts.md).
import { answer } from "./answer.js";
import { WLEvent, emit, setConsole } from "./events.js";
import { defineElements } from "./elements.js";
import { openPopup } from "./popup.js";
import { satisfied, storedSession } from "./stored.js";

var w = typeof window !== "undefined" ? window : null;
var d = w && w.document;
// Its own tag; in a `<script type="module">` there is no `currentScript`, so the first tag that
// configures wl-connect or loads a wl.js (its `data-*` and the modules beside it).
var script = d && (d.currentScript || d.querySelector('script[data-client-id],script[src*="wl.js"]'));
var ds = (script && script.dataset) || {};
// Each module's content hash and its glue's SRI hash, filled in by `cargo xtask build`
// (xtask/src/build.rs): {"wl_connect": ["3f9a1c2e", "sha256-…"]}; the glue carries its wasm's.
// The repository's bundle keeps the string: plain file names, no integrity.
var BUILT = "__WL_MODULES__";
// Server-side rendering or a worker: touch nothing. The OAuth callback (answer.js) answers at
// once; a second copy of the script: a no-op.
if (d && !(!ds.clientId && answer(w)) && !(w.WL && w.WL.__wl)) start();

function start() {
  var base = new URL(ds.base || ".", (script && script.src) || location.href).href;
  // Where the wasm modules are: `pkg/` beside wl.js unless `data-modules` says (e.g. a CDN path).
  var modules = new URL(ds.modules || "pkg/", base).href;
  var redirectDefault = new URL("callback.html", base);
  if (redirectDefault.origin !== location.origin) redirectDefault = new URL("/callback.html", location.href);

  // Modules: one memoized import + init per module; a failed load may be retried. With the
  // build's hashes the glue is preloaded with `integrity` (the import then takes the checked
  // module), and the glue fetches the wasm with the wasm's (xtask/src/build/start.rs): one SRI
  // hash on wl.js's tag covers all the code.
  var mods = {};
  function load(name) {
    var b = BUILT[name] || [], h = b[0] ? "." + b[0] : "", js = modules + name + h + ".js", wasm = modules + name + "_bg" + h + ".wasm";
    return (
      mods[name] ||
      (mods[name] = new Promise(function (ok, no) {
        if (!b[1]) return ok();
        var l = d.createElement("link");
        l.rel = "modulepreload";
        l.integrity = b[1];
        l.href = js;
        l.onload = ok;
        l.onerror = no;
        d.head.appendChild(l);
      })
        .then(function () {
          return import(js);
        })
        .then(function (m) {
          return m.default({ module_or_path: wasm }).then(function () {
            return m;
          });
        })
        .catch(function () {
          delete mods[name];
          // Altered (`integrity_failed`: both files there, the wasm as application/wasm), or
          // refused by CORS, not there, not application/wasm (`connection_failed`): the same URLs
          // fetched plainly, then the glue opaquely (docs/hosting.md).
          return Promise.all([fetch(js), fetch(wasm)])
            .then(
              function (r) {
                return r[0].ok && /wasm/.test(r[1].ok && r[1].headers.get("content-type")) && b[1] && "integrity_failed";
              },
              function () {
                return fetch(js, { mode: "no-cors" }).then(function () {
                  console.error("wl-connect: " + js + " is served without Access-Control-Allow-Origin: see docs/hosting.md");
                }, Object);
              }
            )
            .then(function (c) {
              var e = { code: c || "connection_failed", message: "could not load " + js };
              console.error("wl-connect:", e.message);
              throw e;
            });
        }))
    );
  }

  var domReady = new Promise(function (r) {
    if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", r, { once: true });
    else r();
  });

  // The core: `K` (the WL methods: the core module's `machine`, machine.js, interpreting the wasm
  // state machine's effects, which the build bundles into that module) once loaded; `ready` once
  // the first configuration has been applied (or there was none to apply).
  var K = null, ready = null, modP = null, coreP = null, initP = null, cfg = null, asyncInitDone = false;
  // Which build of the core the page fetches, chosen once: a page whose <wl-signin> or
  // <wl-userinfo> needs its module before the core starts loading (a stored session, a sign-in
  // already starting) gets the core and both controls in ONE module (one runtime, one fetch);
  // any other page the core alone (its controls are first-painted, paint.js), and the controls'
  // own module when one needs it (elements.js; docs/loader.md, "What loads when").
  var CORE = "wl_connect", COMBINED = "wl_connect_controls", coreName = null;
  function coreModule() {
    return (
      modP ||
      (modP = domReady
        .then(function () {
          coreName = coreName || CORE;
          return load(coreName);
        })
        .then(
          function (m) {
            return K || (K = m.machine(m, emit, setConsole));
          },
          function (e) {
            modP = coreP = null;
            // The controls show it (their module is asked for, and fails or shows the state).
            wake();
            throw e;
          }
        ))
    );
  }
  // The core once a configuration given so far has been applied.
  function core() {
    return (
      coreP ||
      (coreP = coreModule().then(function (k) {
        var settle = function () {
          ready = k;
          if (!asyncInitDone && typeof w.wlAsyncInit === "function") {
            asyncInitDone = true;
            try {
              w.wlAsyncInit();
            } catch (e) {
              console.error(e);
            }
          }
          return k;
        };
        return (initP || Promise.resolve()).then(settle, settle);
      }))
    );
  }

  function call(name, args) {
    return core().then(function (k) {
      return k[name].apply(null, args || []);
    });
  }

  var WL = {
    __wl: true,
    init: function (o) {
      o = Object.assign({}, o);
      try {
        // A relative URL (data-redirect-uri="callback.html") resolves as any URL in the page
        // does: against its base URL (`<base href>`, else the page's own).
        o.redirect_uri = o.redirect_uri ? new URL(o.redirect_uri, document.baseURI).href : redirectDefault.href;
      } catch (e) {
        /* left as given: the core reports it */
      }
      if (cfg) {
        // The core ignores it (and says so on wl.log); answer with the current status.
        return call("init", [o]);
      }
      cfg = o;
      initP = coreModule()
        .then(function (m) {
          return m.init(o);
        })
        .then(function (r) {
          // A session the first paint could not know (one renewed at init): the controls draw it.
          if (r && r.session) wake();
          return r;
        });
      return initP;
    },
    login: function (o) {
      o = o || {};
      // Open the popup now, synchronously inside the caller's click: browsers block it later.
      var redirect = (cfg && cfg.mode === "redirect") || o.mode === "redirect";
      var pop = !redirect && !satisfied(WL.getSession(), cfg, o.scope) ? openPopup(w) : null;
      // The controls' module comes while the person signs in.
      wake();
      return call("login", [o, pop]).catch(function (e) {
        if (pop && !pop.closed) pop.close();
        throw e;
      });
    },
    logout: function () {
      return call("logout");
    },
    getSession: function () {
      return ready ? ready.getSession() : storedSession(cfg);
    },
    getLoginStatus: function () {
      return call("getLoginStatus");
    },
    getProvider: function () {
      return call("getProvider");
    },
    api: function (o) {
      return call("api", [o]);
    },
    ui: function (o) {
      o = o || {};
      var host = typeof o.element === "string" ? d.getElementById(o.element) : o.element;
      if (!host || !host.appendChild) {
        return Promise.reject({ code: "invalid_request", message: "WL.ui needs element: an element or its id" });
      }
      var el = d.createElement(o.name === "userinfo" ? "wl-userinfo" : "wl-signin");
      Object.keys(o).forEach(function (k) {
        var v = o[k];
        if (k === "name" || k === "element" || typeof v === "function" || v == null) return;
        el.setAttribute(k.replace(/_/g, "-"), Array.isArray(v) ? v.join(" ") : String(v));
      });
      [["onloggedin", "wl-login"], ["onloggedout", "wl-logout"], ["onerror", "wl-error"]].forEach(function (p) {
        if (typeof o[p[0]] === "function") {
          el.addEventListener(p[1], function (e) {
            o[p[0]](e.detail);
          });
        }
      });
      host.appendChild(el);
      return Promise.resolve(el);
    },
    Event: WLEvent,
    // `WL.messenger` (docs/loader.md): any call, by name, loads the bar's module (the page's one
    // hub client, shared with every <wl-bar>) and answers with its promise; nothing before.
    messenger: new Proxy({}, {
      // Not a thenable (`await WL.messenger` is the object itself).
      get: (_, k) => k != "then" && ((...a) => load("wl_bar").then((m) => m.messenger(k, a)))
    })
  };

  w.WL = WL;

  // Both basic controls live in one module, wl_controls (controls/basic), imported once; or in
  // the core's combined build, when the page has them before the core loads (see coreModule).
  var wake = defineElements(w, WL, load, function () {
    coreName = coreName || COMBINED;
    return coreName === COMBINED ? COMBINED : "wl_controls";
  });

  // Configuration from the script tag.
  if (ds.clientId) {
    WL.init({
      client_id: ds.clientId,
      authority: ds.authority,
      scope: ds.scope,
      redirect_uri: ds.redirectUri,
      storage: ds.storage,
      mode: ds.mode,
      logging: ds.logging,
      status: ds.status,
      timeout: ds.timeout
    }).catch(function () {
      /* reported on wl.log and the console by the core */
    });
  }
  // wlAsyncInit (Live Connect): called once the core is ready, even on a page with nothing else.
  domReady.then(function () {
    if (typeof w.wlAsyncInit === "function") core().catch(function () {});
  });
}
