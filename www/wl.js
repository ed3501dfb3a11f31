/*! wl-connect bootstrap (https://github.com/wl-connect) — MIT OR Apache-2.0.
 * One classic script: defines window.WL and the <wl-app>, <wl-signin>, <wl-userinfo> elements at
 * once, upgrades legacy <wl:…> tags, and loads the wasm core and each control's module only
 * when first needed (docs/loader.md, docs/contracts.md). */
(function () {
  "use strict";
  var w = typeof window !== "undefined" ? window : null;
  var d = w && w.document;
  // Server-side rendering or a worker: touch nothing. A second copy of the script: a no-op.
  if (!d || (w.WL && w.WL.__wl)) return;

  var script = d.currentScript;
  var ds = (script && script.dataset) || {};
  var base = new URL(ds.base || ".", (script && script.src) || location.href).href;
  var redirectDefault = new URL("callback.html", base);
  if (redirectDefault.origin !== location.origin) redirectDefault = new URL("/callback.html", location.href);

  function err(code, message) {
    return { code: code, message: message };
  }

  // Modules: one memoized import + init per module; a failed load may be retried.
  var mods = {};
  function load(name) {
    return (
      mods[name] ||
      (mods[name] = import(base + "pkg/" + name + ".js").then(
        function (m) {
          return m.default({ module_or_path: base + "pkg/" + name + "_bg.wasm" }).then(function () {
            return m;
          });
        }
      )).catch(function (e) {
        delete mods[name];
        throw e;
      })
    );
  }

  var domReady = new Promise(function (r) {
    if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", r, { once: true });
    else r();
  });

  // The core. `mod` is set once the module is instantiated (events are forwarded from then on);
  // `ready` once the first configuration has been applied (or there was none to apply).
  var mod = null, ready = null, modP = null, coreP = null, initP = null, cfg = null, queue = [], asyncInitDone = false;
  function coreModule() {
    return (
      modP ||
      (modP = domReady
        .then(function () {
          return load("wl_connect");
        })
        .then(
          function (m) {
            mod = m;
            queue.forEach(function (q) {
              m[q[0]](q[1], q[2]);
            });
            queue = [];
            return m;
          },
          function (e) {
            modP = coreP = null;
            console.error("wl-connect: could not load the core", e);
            throw err("connection_failed", "could not load the wl-connect core from " + base + "pkg/");
          }
        ))
    );
  }
  // The core once a configuration given so far has been applied.
  function core() {
    return (
      coreP ||
      (coreP = coreModule().then(function (m) {
        var settle = function () {
          ready = m;
          if (!asyncInitDone && typeof w.wlAsyncInit === "function") {
            asyncInitDone = true;
            try {
              w.wlAsyncInit();
            } catch (e) {
              console.error(e);
            }
          }
          return m;
        };
        return (initP || Promise.resolve()).then(settle, settle);
      }))
    );
  }

  function call(name, args) {
    return core().then(function (m) {
      return m[name].apply(null, args || []);
    });
  }

  function words(s) {
    return (Array.isArray(s) ? s.join(" ") : String(s || "")).split(/[\s,]+/).filter(Boolean);
  }

  function storageOf(kind) {
    try {
      return kind === "memory" || kind === "none" ? null : kind === "local" || kind === "localStorage" ? localStorage : sessionStorage;
    } catch (e) {
      return null;
    }
  }

  // The session as the core stores it, read before the core is ready (same shape as getSession).
  function storedSession() {
    var st = cfg && storageOf(cfg.storage);
    var p = st && new URLSearchParams(st.getItem("wl_connect.session") || "");
    var now = Date.now() / 1000, exp = p ? +p.get("expires") : 0;
    if (!p || p.get("client_id") !== String(cfg.client_id) || !(exp > now)) return null;
    var s = {
      access_token: p.get("access_token"),
      token_type: "Bearer",
      scope: words(p.get("scope")),
      expires_in: Math.floor(exp - now),
      expires: exp
    };
    if (p.get("id_token")) s.id_token = p.get("id_token");
    if (p.get("user_id")) s.user_id = p.get("user_id");
    return s;
  }

  var popups = 0;
  var WL = {
    __wl: true,
    init: function (o) {
      o = Object.assign({}, o);
      try {
        // Relative URLs (data-redirect-uri="/callback.html") are relative to the page.
        o.redirect_uri = o.redirect_uri ? new URL(o.redirect_uri, location.href).href : redirectDefault.href;
      } catch (e) {
        /* left as given: the core reports it */
      }
      if (cfg) {
        // The core ignores it (and says so on wl.log); answer with the current status.
        return call("init", [o]);
      }
      cfg = o;
      initP = coreModule().then(function (m) {
        return m.init(o);
      });
      return initP;
    },
    login: function (o) {
      o = o || {};
      var pop = null;
      // Open the popup now, synchronously inside the caller's click: browsers block it later.
      var redirect = (cfg && cfg.mode === "redirect") || o.mode === "redirect";
      if (!redirect && !satisfied(o.scope)) {
        var W = 525, H = 525;
        var left = (w.screenX || 0) + Math.max(0, ((w.outerWidth || W) - W) / 2);
        var top = (w.screenY || 0) + Math.max(0, ((w.outerHeight || H) - H) / 2);
        try {
          pop = w.open("", "wl_login_" + ++popups, "popup=yes,width=" + W + ",height=" + H + ",left=" + Math.round(left) + ",top=" + Math.round(top));
        } catch (e) {
          pop = null;
        }
      }
      return call("login", [o, pop]).catch(function (e) {
        if (pop && !pop.closed) pop.close();
        throw e;
      });
    },
    logout: function () {
      return call("logout");
    },
    getSession: function () {
      return ready ? ready.getSession() : storedSession();
    },
    getLoginStatus: function () {
      return call("getLoginStatus");
    },
    api: function (o) {
      return call("api", [o]);
    },
    ui: function (o) {
      o = o || {};
      var host = typeof o.element === "string" ? d.getElementById(o.element) : o.element;
      if (!host || !host.appendChild) {
        return Promise.reject(err("invalid_request", "WL.ui needs element: the id of an element (or an Element) to put the control in"));
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
    Event: {
      subscribe: function (name, fn) {
        if (mod) mod.subscribe(name, fn);
        else queue.push(["subscribe", name, fn]);
      },
      unsubscribe: function (name, fn) {
        if (mod) mod.unsubscribe(name, fn);
        else queue.push(["unsubscribe", name, fn]);
      }
    }
  };

  // Whether the stored session already holds every scope a login would ask for (then no popup
  // is opened and the core resolves at once). Mirrors the core: openid + configured + asked.
  function satisfied(scope) {
    var s = WL.getSession();
    if (!s || !cfg) return false;
    var want = ["openid"].concat(words(cfg.scope).length ? words(cfg.scope) : ["wl.signin"], words(scope));
    return want.every(function (x) {
      return s.scope.indexOf(x) >= 0;
    });
  }

  w.WL = WL;

  // Elements. The shim protocol (docs/contracts.md): one module per kind, one instance per element.
  function control(tag, name, cls, attrs) {
    if (customElements.get(tag)) return;
    customElements.define(
      tag,
      class extends HTMLElement {
        static get observedAttributes() {
          return attrs;
        }
        connectedCallback() {
          var el = this;
          if (el.__wl) return el.__wl.connected();
          if (el.__wlp) return;
          el.__wlp = load(name).then(
            function (m) {
              el.__wlp = null;
              if (!el.__wl && el.isConnected) {
                el.__wl = new m[cls](el);
                el.__wl.connected();
              }
            },
            function (e) {
              el.__wlp = null;
              console.error("wl-connect: could not load <" + tag + ">", e);
            }
          );
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
          if (this.__wl && o !== v) this.__wl.attributeChanged(n, o, v);
        }
      }
    );
  }

  control("wl-signin", "wl_signin", "WlSignin", [
    "brand", "type", "theme", "size", "shape", "sign-in-text", "sign-out-text", "scope", "locale", "mode", "fallback",
    "signed-in-text", "signed-out-text", "on-signin", "on-signout"
  ]);
  control("wl-userinfo", "wl_userinfo", "WlUserinfo", ["layout", "cid", "locale", "theme"]);

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

  // Legacy markup: <wl:app>, <wl:signin>, <wl:userinfo> become the new elements, now and later.
  var legacy = { "wl:app": "wl-app", "wl:signin": "wl-signin", "wl:userinfo": "wl-userinfo" };
  var legacySel = "wl\\:app,wl\\:signin,wl\\:userinfo";
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
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(scan);
    });
  }).observe(d, { childList: true, subtree: true });
  scan(d.documentElement);

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
})();
