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
  // Where the wasm modules are: `pkg/` beside wl.js unless `data-modules` says (e.g. a CDN path).
  var modules = new URL(ds.modules || "pkg/", base).href;
  var redirectDefault = new URL("callback.html", base);
  if (redirectDefault.origin !== location.origin) redirectDefault = new URL("/callback.html", location.href);

  // Storage keys: the session (read before and after the core loads) and redirect mode's
  // hand-over with callback.js, which names the last two too.
  var SK = "wl_connect.session", RK = "wl_connect.redirect", RRK = "wl_connect.redirect_result";

  function err(code, message) {
    return { code: code, message: message };
  }

  // Query strings: the core reads and returns their parameters as plain objects; the platform
  // parses and encodes them (docs/loader.md, "What the core decides").
  function Q(s) {
    return Object.fromEntries(new URLSearchParams(s || ""));
  }
  function S(o) {
    return "" + new URLSearchParams(o);
  }
  // WL.api's `query`: OData option names get their `$`, arrays are joined with commas, values
  // other than strings go as JSON (undefined and functions are left out).
  var ODATA = /^(filter|select|orderby|top|skip|count|format|type|expand|search)$/;
  function apiQuery(o) {
    var x = (o && o.query) || {}, q = {};
    Object.keys(x).forEach(function (k) {
      var v = x[k];
      v = Array.isArray(v) ? v.join(",") : typeof v == "string" ? v : JSON.stringify(v);
      if (v != null) q[ODATA.test(k) ? "$" + k : k] = v;
    });
    return q;
  }
  // `url` with the parameters of `o` appended to its own.
  function U(url, o) {
    var u = new URL(url);
    for (var k in o) u.searchParams.append(k, o[k]);
    return u.href;
  }

  // Modules: one memoized import + init per module; a failed load may be retried.
  var mods = {};
  function load(name) {
    return (
      mods[name] ||
      (mods[name] = import(modules + name + ".js").then(
        function (m) {
          return m.default({ module_or_path: modules + name + "_bg.wasm" }).then(function () {
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

  // Events live here, so pages may subscribe before the core has loaded.
  var handlers = [], consoleLog = true;
  function emit(name, arg) {
    handlers.slice().forEach(function (h) {
      if (h[0] === name) {
        try {
          h[1](arg);
        } catch (e) {
          console.error("wl-connect: an event handler threw", e);
        }
      }
    });
  }
  function log(level, code, message) {
    var o = { level: level };
    if (code) o.code = code;
    o.message = message;
    if (consoleLog) console[level === "error" ? "error" : "warn"]("wl-connect: " + (code || level) + " " + message);
    emit("wl.log", o);
  }

  // The core: `K` (the WL flows below, driving the wasm module's steps) once loaded; `ready`
  // once the first configuration has been applied (or there was none to apply).
  var K = null, ready = null, modP = null, coreP = null, initP = null, cfg = null, asyncInitDone = false;
  // Which build of the core the page fetches, chosen once: a page that has <wl-signin> or
  // <wl-userinfo> when the core starts loading (or one connected earlier) gets the core and both
  // controls in ONE module (one runtime, one fetch); any other page the core alone, and the
  // controls' own module later if one appears (docs/loader.md, "What loads when").
  var CORE = "wl_connect", COMBINED = "wl_connect_controls", coreName = null;
  function coreModule() {
    return (
      modP ||
      (modP = domReady
        .then(function () {
          coreName = coreName || (d.querySelector("wl-signin,wl-userinfo") ? COMBINED : CORE);
          return load(coreName);
        })
        .then(
          function (m) {
            return K || (K = flows(m));
          },
          function (e) {
            modP = coreP = null;
            console.error("wl-connect: could not load the core", e);
            throw err("connection_failed", "could not load the wl-connect core from " + modules);
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

  // The WL flows. Every decision (configuration, session rules, PKCE, state, the ID token,
  // scopes, API errors) is the wasm module's (`m`, src/steps.rs); this only waits: fetch, the
  // popup, timers. Every rejection is also reported on wl.log.
  function flows(m) {
    // `gen` counts sign-ins and logouts (a newer one cancels an older one's exchange); `epoch`
    // counts session changes (a renewal answering after one is dropped).
    var C = null, D = null, renewT = 0, gen = 0, epoch = 0, watch = null, connected = false;
    var fault = function (code, detail) {
      return m.fault(code, detail || "");
    };
    // An async flow whose rejection is also reported on wl.log.
    var logged = function (f) {
      return async function () {
        try {
          return await f.apply(null, arguments);
        } catch (e) {
          log("error", e && e.code, e && e.message);
          throw e;
        }
      };
    };
    var cancel = function () {
      if (watch) watch(fault("request_canceled"));
    };
    var ss = function () {
      try {
        return sessionStorage;
      } catch (e) {
        return null;
      }
    };
    async function request(url, method, token, body, type) {
      var h = { Accept: "application/json" }, r, t, j = null;
      if (token) h.Authorization = "Bearer " + token;
      if (body != null) h["Content-Type"] = type;
      try {
        r = await fetch(url, { method: method, headers: h, body: body });
        t = await r.text();
      } catch (e) {
        throw fault("connection_failed", url);
      }
      if (t.trim()) {
        try {
          j = JSON.parse(t);
        } catch (e) {
          j = t;
        }
      }
      // WWW-Authenticate's parameters (`Bearer error="insufficient_scope", scope="a b"`).
      var www = {};
      (r.headers.get("WWW-Authenticate") || "").replace(/([\w-]+)="?([^",]*)/g, function (_, k, v) {
        www[k] = v;
      });
      return { ok: r.ok, status: r.status, json: j, www: www };
    }
    var post = function (url, body) {
      return request(url, "POST", null, S(body), "application/x-www-form-urlencoded");
    };
    // Discovery, fetched once (again after a failure): `{ token, revocation?, issuer, api_base,
    // messenger_hub }`.
    var discovery = function () {
      return (D =
        D ||
        request(C.discovery, "GET")
          .then(function (r) {
            return m.discovered(r.json, r.ok);
          })
          .catch(function (e) {
            D = null;
            throw e;
          }));
    };
    var status = function (s) {
      return { status: s ? "connected" : "notConnected", session: s };
    };
    var getSession = function () {
      var s = m.session();
      if (s !== undefined) return s;
      changed("ended"); // it has just expired
      return null;
    };
    // The session changed (login, restore, refresh, logout, ended): storage, renewal, events.
    function changed(kind) {
      var s = m.session() || null, was = connected, st = storageOf(C.storage), text = m.stored();
      try {
        if (st) text ? st.setItem(SK, S(text)) : st.removeItem(SK);
      } catch (e) {
        /* quota or privacy mode: memory only */
      }
      epoch++;
      clearTimeout(renewT);
      var due = m.renewIn();
      renewT = due >= 0 ? setTimeout(renew, due) : 0;
      connected = !!s;
      if (kind === "login") emit("auth.login", s);
      if (kind === "logout") emit("auth.logout", null);
      if (kind !== "restore") {
        emit("auth.sessionChange", s);
        if (was !== connected) emit("auth.statusChange", status(s));
      }
      return s;
    }
    // Renews the session with its refresh token; false (and nothing changes) when the session
    // changed while the answer was on its way (a logout, a 401, a new sign-in): that answer
    // belongs to a session that is gone.
    async function refresh() {
      var e = epoch, body = m.refreshBody(), r = await post((await discovery()).token, body);
      if (e !== epoch) return false;
      m.token(r.json, r.ok, true);
      return true;
    }
    // Renews the session with its refresh token, or ends it at expiry without one. Timers
    // cannot wait longer than ~24 days: a long-lived token is renewed in steps.
    async function renew() {
      if (!connected) return;
      var due = m.renewIn();
      if (due > 1000) return (renewT = setTimeout(renew, due));
      if (m.refreshBody() == null) {
        log("info", null, "the session has expired");
        m.end();
        return changed("ended");
      }
      var e0 = epoch;
      try {
        if (await refresh()) changed("refresh");
      } catch (e) {
        if (e0 !== epoch) return; // the session changed meanwhile: not this renewal's to end
        log("warning", e.code, e.message);
        // The network failed: try again in a while, until expiry.
        if (m.session() && e.code === "connection_failed") renewT = setTimeout(renew, 30000);
        else {
          m.end();
          changed("ended");
        }
      }
    }
    // Exchanges the callback's answer for tokens; the core checks them and makes the session.
    // A newer sign-in or a logout while the tokens are on their way (`g`: this one's
    // generation) cancels it: its tokens must not end up as the session or take the newer one.
    async function exchange(answer, g) {
      var body = m.code(Q(answer)), r = await post((await discovery()).token, body);
      if (g !== gen) throw fault("request_canceled");
      m.token(r.json, r.ok, false);
      return changed("login");
    }
    // A redirect-mode sign-in that came back to this page: the answer is in sessionStorage
    // (left by callback.js) or in this page's own URL. True once signed in.
    async function finishRedirect() {
      var st = ss(), rec = st && st.getItem(RK), search = location.search;
      if (!rec || !m.resume(Q(rec))) return false;
      var fromUrl = m.isCallback(Q(search)), answer = st.getItem(RRK);
      if (answer == null) {
        if (!fromUrl) return false;
        answer = search;
      }
      st.removeItem(RK);
      st.removeItem(RRK);
      try {
        if (fromUrl) {
          // The page's own query without the OAuth parameters.
          var p = new URLSearchParams(search);
          ["code", "state", "error", "error_description", "error_uri", "session_state", "iss"].forEach(function (k) {
            p.delete(k);
          });
          p += "";
          history.replaceState(null, "", location.pathname + (p ? "?" + p : "") + location.hash);
        }
      } catch (e) {
        /* the URL keeps its parameters; the sign-in goes on */
      }
      await exchange(answer, gen);
      return true;
    }
    // Points the popup at the provider and waits for the callback's answer carrying our state
    // (postMessage from our origin, or BroadcastChannel when COOP cut the link), the person
    // closing it, the timeout, or a newer sign-in cancelling this one (`watch` settles it).
    function run(pop, url) {
      return new Promise(function (resolve, reject) {
        cancel();
        if (pop.closed) return reject(fault("user_canceled"));
        try {
          pop.location.href = url;
        } catch (e) {
          return reject(fault("popup_blocked"));
        }
        var at = Date.now(), severed = false, closedSeen = false, bc = null, poll, timer;
        var sent = new URL(url).searchParams.get("state");
        var settle = function (e, q) {
          if (watch !== settle) return;
          watch = null;
          removeEventListener("message", onMessage);
          clearInterval(poll);
          clearTimeout(timer);
          if (bc) bc.close();
          pop.close();
          e ? reject(e) : resolve(q);
        };
        // `src`: "popup" (posted by the popup we opened), "channel" (BroadcastChannel, while
        // this sign-in is the one pending), or null (another window of our origin).
        var deliver = function (data, src) {
          if (!data || data.type !== "wl-connect:callback") return;
          var q = data.query == null ? "" : String(data.query);
          if (m.matches(Q(q))) return settle(null, q);
          // A provider's error redirect that dropped the state: this request's error, made
          // from the error alone (never a code) with our state, for the core to map.
          var a = new URLSearchParams(q), f = new URLSearchParams();
          if (src && a.get("error") && !a.has("state") && !a.has("code")) {
            f.set("error", a.get("error"));
            if (a.has("error_description")) f.set("error_description", a.get("error_description"));
            f.set("state", sent);
            settle(null, "?" + f);
          } else if (src === "popup") settle(fault("invalid_state"));
        };
        var onMessage = function (ev) {
          if (ev.origin === location.origin) deliver(ev.data, ev.source && ev.source === pop ? "popup" : null);
        };
        watch = settle;
        addEventListener("message", onMessage);
        try {
          bc = new BroadcastChannel("wl-connect");
          bc.onmessage = function (ev) {
            deliver(ev.data, "channel");
          };
        } catch (e) {
          bc = null;
        }
        poll = setInterval(function () {
          if (severed || !pop.closed) return;
          if (Date.now() - at < 1500) {
            severed = true;
            log("info", null, "the popup's handle closed right after it reached the provider (Cross-Origin-Opener-Policy); waiting for the answer on BroadcastChannel");
          } else if (closedSeen) settle(fault("user_canceled"));
          else closedSeen = true; // an answer already on its way gets one more tick to arrive
        }, 300);
        timer = setTimeout(function () {
          settle(fault("timed_out"));
        }, C.timeout);
      });
    }
    async function login(o, pop) {
      var g = ++gen;
      cancel();
      try {
        var redirect = m.login(o || {}, !!pop);
        if (typeof redirect !== "boolean") return redirect; // nothing missing: the session
        await discovery();
        if (g !== gen) throw fault("request_canceled");
        // 64 random bytes: the PKCE verifier (the base64url of the first 32, as the core makes
        // it), state and nonce; the S256 challenge is the verifier's SHA-256 (Web Crypto).
        var rnd = crypto.getRandomValues(new Uint8Array(64)), v, h;
        v = btoa(String.fromCharCode.apply(null, rnd.subarray(0, 32))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "");
        try {
          h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(v)));
        } catch (e) {
          throw fault("invalid_request", "sign-in needs a secure context (https, or http on localhost) for Web Crypto");
        }
        if (g !== gen) throw fault("request_canceled");
        var a = m.authorize(rnd, h, redirect, location.href);
        var url = U(a.url, a.query);
        if (!redirect) return await exchange(await run(pop, url), g);
        if (pop) pop.close();
        try {
          ss().setItem(RK, S(a.redirect));
        } catch (e) {
          throw fault("invalid_request", "redirect mode needs sessionStorage");
        }
        location.assign(url);
        // The page is going away; this promise ends with it.
        return await new Promise(function () {});
      } finally {
        if (pop) pop.close();
      }
    }
    async function init(o) {
      var c = m.configure(o);
      if (!c) {
        log("warning", null, "WL.init was called again; the first configuration stays in effect");
        return status(getSession());
      }
      C = c;
      consoleLog = c.logging;
      c.warnings.forEach(function (x) {
        log("warning", null, x);
      });
      var st = storageOf(c.storage), text = null, signedIn = false;
      var drop = function () {
        if (st) st.removeItem(SK);
      };
      try {
        text = st && st.getItem(SK);
      } catch (e) {
        st = null;
      }
      var r = text ? m.restore(Q(text)) : 0;
      if (r === 1) changed("restore");
      if (r === 2) {
        try {
          if (await refresh()) changed("restore");
        } catch (e) {
          log("info", e.code, "the stored session could not be renewed");
          m.end();
          drop();
        }
      }
      if (r === 3) drop();
      try {
        signedIn = await finishRedirect();
      } catch (e) {
        log("error", e && e.code, e && e.message);
      }
      var s = getSession();
      // A redirect sign-in has just fired its own events.
      if (c.status && !signedIn) {
        if (s) emit("auth.sessionChange", s);
        emit("auth.statusChange", status(s));
      }
      return status(s);
    }
    return {
      init: logged(init),
      // Live Connect v5: the promise resolves with `{ status: "connected", session }`.
      login: logged(async function (o, pop) {
        return status(await login(o, pop));
      }),
      logout: logged(async function () {
        if (!C) throw fault("not_configured");
        gen++;
        cancel();
        if (m.stored() == null) return null;
        var forms = m.end(), d;
        changed("logout");
        try {
          d = await discovery();
        } catch (e) {
          return null;
        }
        // Revoke the tokens at the provider: best effort.
        for (var i = 0; d.revocation && i < forms.length; i++) await post(d.revocation, forms[i]).catch(function () {});
        return null;
      }),
      getSession: getSession,
      getLoginStatus: logged(async function () {
        if (!C) throw fault("not_configured");
        return status(getSession());
      }),
      getProvider: logged(async function () {
        if (!C) throw fault("not_configured");
        var p = await discovery();
        return { issuer: p.issuer, api_base: p.api_base, messenger_hub: p.messenger_hub };
      }),
      api: logged(async function (o) {
        m.api(o, false);
        await discovery();
        var q = m.api(o, true), r = await request(U(q.url, apiQuery(o)), q.method, q.token, q.body, "application/json");
        if (r.ok) return r.json;
        var e = m.apiError(r.status, r.json, r.www), s = r.status === 401 && m.session();
        if (s && s.access_token === q.token) {
          m.end();
          changed("ended");
        }
        throw e;
      })
    };
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
    var p = st && new URLSearchParams(st.getItem(SK) || "");
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
        if (
          typeof fn === "function" &&
          !handlers.some(function (h) {
            return h[0] === name && h[1] === fn;
          })
        )
          handlers.push([name, fn]);
      },
      unsubscribe: function (name, fn) {
        handlers = handlers.filter(function (h) {
          return h[0] !== name || (fn && h[1] !== fn);
        });
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
          el.__wlp = load(typeof name === "function" ? name() : name).then(
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

  // Both basic controls live in one module, wl_controls (controls/basic), imported once; or in
  // the core's combined build, when the page has them before the core loads (see coreModule).
  function basic() {
    coreName = coreName || COMBINED;
    return coreName === COMBINED ? COMBINED : "wl_controls";
  }
  control("wl-signin", basic, "WlSignin", [
    "brand", "type", "theme", "size", "shape", "sign-in-text", "sign-out-text", "scope", "locale", "mode", "fallback",
    "signed-in-text", "signed-out-text", "on-signin", "on-signout"
  ]);
  control("wl-userinfo", basic, "WlUserinfo", ["layout", "cid", "locale", "theme"]);
  // The messenger bar (controls/bar): its own module, fetched only on pages that have a bar.
  control("wl-bar", "wl_bar", "WlBar", ["theme", "locale", "sign-in-enabled", "hide-first-run-experience", "on-consent-completed", "hub"]);

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
