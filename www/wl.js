/*! wl-connect bootstrap (https://github.com/wl-connect) — MIT OR Apache-2.0.
 * Generated from www/src/ by `cargo xtask build` (esbuild): edit those modules, not this file. */
(() => {
  // www/src/stored.js
  var SESSION_KEY = "wl_connect.session";
  var REDIRECT_KEY = "wl_connect.redirect";
  var RESULT_KEY = "wl_connect.redirect_result";
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
  function item(st, key) {
    try {
      return st ? st.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }
  function storedSession(cfg) {
    var st = cfg && storageOf(cfg.storage);
    var p = st && new URLSearchParams(item(st, SESSION_KEY) || "");
    var now = Date.now() / 1e3, exp = p ? +p.get("expires") : 0;
    if (!p || p.get("client_id") !== String(cfg.client_id) || !p.get("access_token") || !p.has("scope") || !(exp > now)) return null;
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
  function satisfied(s, cfg, scope) {
    if (!s || !cfg) return false;
    var want = ["openid"].concat(words(cfg.scope).length ? words(cfg.scope) : ["wl.signin"], words(scope));
    return want.every(function(x) {
      return s.scope.indexOf(x) >= 0;
    });
  }

  // www/src/answer.js
  function answer(w2) {
    var l = w2.location, query = l.search, p = new URLSearchParams(query), state = p.get("state"), pending = null;
    if (!(state ? p.has("code") || p.has("error") : p.has("error") && w2.opener)) return false;
    try {
      history.replaceState(null, "", l.pathname);
      pending = new URLSearchParams(sessionStorage.getItem(REDIRECT_KEY) || "");
    } catch (e) {
    }
    if (pending && pending.get("state") === state && !w2.opener) {
      sessionStorage.setItem(RESULT_KEY, query);
      l.replace(pending.get("return_url") || "/");
      return true;
    }
    var msg = { type: "wl-connect:callback", query };
    try {
      w2.opener.postMessage(msg, l.origin);
    } catch (e) {
    }
    try {
      if (!state) throw 0;
      var bc = new BroadcastChannel("wl-connect");
      bc.postMessage(msg);
      bc.close();
    } catch (e) {
    }
    setTimeout(function() {
      w2.close();
    }, 50);
    return false;
  }

  // www/src/events.js
  var handlers = [];
  var consoleLog = true;
  function setConsole(on) {
    consoleLog = on;
  }
  function emit(name, arg) {
    if (name === "wl.log" && consoleLog) {
      console[arg.level === "error" ? "error" : "warn"]("wl-connect: " + (arg.code || arg.level) + " " + arg.message);
    }
    handlers.slice().forEach(function(h) {
      if (h[0] === name) {
        try {
          h[1](arg);
        } catch (e) {
          console.error("wl-connect: an event handler threw", e);
        }
      }
    });
  }
  var WLEvent = {
    subscribe: function(name, fn) {
      if (typeof fn === "function" && !handlers.some(function(h) {
        return h[0] === name && h[1] === fn;
      }))
        handlers.push([name, fn]);
    },
    unsubscribe: function(name, fn) {
      handlers = handlers.filter(function(h) {
        return h[0] !== name || fn && h[1] !== fn;
      });
    }
  };

  // www/src/paint-data.js
  var SIGNIN_CSS = ':host{display:inline-block;vertical-align:middle;max-width:100%}:host([hidden]),[hidden]{display:none!important}.b{--h:41px;--fs:15px;--ls:20px;--px:12px;--gap:12px;--r:var(--wl-radius,4px);box-sizing:border-box;display:inline-flex;align-items:center;justify-content:center;gap:var(--gap);max-width:100%;min-height:var(--h);margin:0;padding:0 var(--px);border:1px solid var(--bd);border-radius:var(--r);background:var(--bg);color:var(--fg);font:600 var(--fs)/1.25 var(--wl-font,"Segoe UI","Segoe UI Web (West European)",system-ui,-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",Arial,sans-serif);letter-spacing:0;text-align:center;white-space:nowrap;cursor:pointer;user-select:none;-webkit-user-select:none;-webkit-tap-highlight-color:transparent;transition:background-color .12s,border-color .12s,box-shadow .12s}.b:hover{background:var(--bgh);box-shadow:0 1px 2px #0000001f}.b:active{background:var(--bga);box-shadow:none}.b:focus{outline:none}.b:focus-visible{outline:2px solid var(--wl-focus,#0F6CBD);outline-offset:2px;box-shadow:0 0 0 2px #fff}.s-small{--h:32px;--fs:13px;--ls:16px;--px:10px;--gap:8px}.s-large{--h:48px;--fs:17px;--ls:22px;--px:16px;--gap:14px}.p-pill{--r:calc(var(--h)/2);--px:calc(var(--h)*.45)}.t-blue{--bg:var(--wl-accent,#0067B8);--bgh:#005DA6;--bga:#004E8C;--fg:#fff;--bd:transparent}@supports (color:color-mix(in srgb,red,blue)){.t-blue{--bgh:color-mix(in srgb,var(--bg) 90%,#000);--bga:color-mix(in srgb,var(--bg) 78%,#000)}}.t-white{--bg:#fff;--bgh:#F5F5F5;--bga:#EBEBEB;--fg:#5E5E5E;--bd:#8C8C8C}.t-dark{--bg:#2F2F2F;--bgh:#3D3D3D;--bga:#474747;--fg:#fff;--bd:#6E6E6E}.t-light{--bg:#F3F3F3;--bgh:#EAEAEA;--bga:#E0E0E0;--fg:#1B1B1B;--bd:#D1D1D1}.ic{display:inline-flex;flex:none;min-width:var(--lz,var(--ls));min-height:var(--lz,var(--ls))}.g-windows .m,.g-messenger .w,.g-none .ic{display:none}.logo{display:block;width:var(--lz,var(--ls));height:var(--lz,var(--ls))}.fr{stroke:var(--tile,var(--bg));stroke-width:1.1px}.t-blue{--tile:#fff}.t-blue:not(.g-none):not(.busy){padding-inline-start:3px}.t-blue .ic{padding:calc((var(--h) - 8px - var(--lz,var(--ls)))/2);background:#fff;border-radius:max(calc(var(--r) - 2px),1px)}.t-blue.p-pill{--lz:min(var(--ls),calc((var(--h) - 8px)*.56))}.l{overflow:hidden;text-overflow:ellipsis}.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}.sp{display:none;box-sizing:border-box;flex:none;width:var(--ls);height:var(--ls);border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:wl-spin .8s linear infinite}.busy{cursor:progress}.busy .sp{display:inline-block}.busy .ic{display:none}.b.b:has(~:popover-open){cursor:progress;padding-inline-start:var(--px)}.b:has(~:popover-open) .sp{display:inline-block}.b:has(~:popover-open) .ic{display:none}@keyframes wl-spin{to{transform:rotate(360deg)}}@media (prefers-reduced-motion:reduce){.sp{animation-duration:3s}.b{transition:none}}@media (forced-colors:active){.b{border-color:ButtonText}.b:focus-visible{outline-color:Highlight}}';
  var USERINFO_CSS = ':host{display:inline-block;vertical-align:middle;max-width:100%;color:var(--wl-text,#1B1B1B);font:400 14px/1.3 var(--wl-font,"Segoe UI","Segoe UI Web (West European)",system-ui,-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",Arial,sans-serif)}:host([hidden]),[hidden]{display:none!important}.u{--ps:var(--wl-picture-size,24px);display:inline-flex;align-items:center;gap:8px;max-width:100%;box-sizing:border-box;padding:var(--wl-padding,0);background:var(--wl-background,transparent);border-radius:var(--wl-radius,4px)}.full{--ps:var(--wl-picture-size,48px);gap:12px}.pic{flex:none;box-sizing:border-box;width:var(--ps);height:var(--ps);border-radius:var(--wl-picture-radius,50%);object-fit:cover;background:#E6E6E6}.mono{display:inline-flex;align-items:center;justify-content:center;color:#fff;background:var(--wl-accent,#0067B8);font-weight:600;font-size:calc(var(--ps)*.45)}.c1{background:#107C10}.c2{background:#8E562E}.c3{background:#A4262C}.c4{background:#5C2E91}.c5{background:#005B70}.tx{display:flex;flex-direction:column;min-width:0}.n{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:var(--wl-max-width,20em)}.full .n{font-size:16px}.st{color:var(--wl-muted,#5C5C5C);font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.st:empty,.compact .st{display:none}.t-dark{color:var(--wl-text,#FFF)}.t-dark .st{color:var(--wl-muted,#C8C8C8)}.sk .pic,.sk .n{background:#E6E6E6;color:transparent;animation:wl-pulse 1.2s ease-in-out infinite alternate}.sk .n{width:7em;height:.9em;border-radius:4px}.sk img.pic{visibility:hidden}@keyframes wl-pulse{to{opacity:.45}}@media (prefers-reduced-motion:reduce){.sk .pic,.sk .n{animation:none}}';
  var CHOICES = { brand: { "": "windows", "windows": "windows", "messenger": "messenger", "none": "none", "windowslive": "windows", "live": "windows" }, type: { "": "signin", "signin": "signin", "login": "login", "connect": "connect", "custom": "custom" }, theme: { "": "blue", "blue": "blue", "white": "white", "dark": "dark", "light": "light" }, size: { "": "medium", "small": "small", "medium": "medium", "large": "large" }, shape: { "": "rect", "rect": "rect", "pill": "pill", "rectangle": "rect" }, fallback: { "": "none", "none": "none", "redirect": "redirect", "popup": "none" }, mode: { "": "popup", "popup": "popup", "redirect": "redirect" }, layout: { "": "compact", "compact": "compact", "full": "full" }, card: { "": "light", "light": "light", "dark": "dark", "blue": "light", "white": "light" } };
  var LABELS = { en: { signin: ["Sign in", "Sign out"], login: ["Log in", "Log out"], connect: ["Connect", "Sign out"], custom: ["Sign in", "Sign out"] }, fr: { signin: ["Se connecter", "Se d\xE9connecter"], login: ["Connexion", "D\xE9connexion"], connect: ["Connecter", "Se d\xE9connecter"], custom: ["Se connecter", "Se d\xE9connecter"] }, de: { signin: ["Anmelden", "Abmelden"], login: ["Einloggen", "Ausloggen"], connect: ["Verbinden", "Abmelden"], custom: ["Anmelden", "Abmelden"] }, es: { signin: ["Iniciar sesi\xF3n", "Cerrar sesi\xF3n"], login: ["Entrar", "Salir"], connect: ["Conectar", "Cerrar sesi\xF3n"], custom: ["Iniciar sesi\xF3n", "Cerrar sesi\xF3n"] }, it: { signin: ["Accedi", "Esci"], login: ["Entra", "Esci"], connect: ["Connetti", "Esci"], custom: ["Accedi", "Esci"] } };
  var LOGO = ["svg", { "class": "logo", "viewBox": "0 0 21 21", "aria-hidden": "true", "focusable": "false", "part": "logo" }, [["g", { "class": "w" }, [["rect", { "x": "0", "y": "0", "width": "10", "height": "10", "fill": "#F25022" }], ["rect", { "x": "11", "y": "0", "width": "10", "height": "10", "fill": "#7FBA00" }], ["rect", { "x": "0", "y": "11", "width": "10", "height": "10", "fill": "#00A4EF" }], ["rect", { "x": "11", "y": "11", "width": "10", "height": "10", "fill": "#FFB900" }]]], ["g", { "class": "m" }, [["circle", { "cx": "7.6", "cy": "5.4", "r": "3.9", "fill": "#5DB847" }], ["path", { "d": "M.6 18.4c0-4.7 3.1-7.9 7-7.9s7 3.2 7 7.9z", "fill": "#5DB847" }], ["circle", { "class": "fr", "cx": "13.6", "cy": "8.6", "r": "4.2", "fill": "#1E88E5" }], ["path", { "class": "fr", "d": "M6.2 21c0-4.9 3.3-8.2 7.4-8.2s7.4 3.3 7.4 8.2z", "fill": "#1E88E5" }]]]]];

  // www/src/paint.js
  var sheets = {};
  var own = function(o, k) {
    return {}.hasOwnProperty.call(o, k) ? o[k] : null;
  };
  var primary = function(t) {
    return (t || "").trim().split("-")[0].split("_")[0].toLowerCase();
  };
  var SIGNIN = [
    ["button", { class: "b", part: "button", type: "button" }, [
      ["span", { class: "ic", part: "icon" }, [LOGO]],
      ["span", { class: "sp", "aria-hidden": "true" }],
      ["span", { class: "l", part: "label" }]
    ]],
    ["span", { class: "vh", role: "status" }]
  ];
  var USERINFO = [
    ["div", { class: "u", part: "container", hidden: "", "aria-busy": "true" }, [
      ["img", { class: "pic", part: "picture", alt: "", decoding: "async", referrerpolicy: "no-referrer", hidden: "" }],
      ["span", { class: "pic mono", part: "picture", "aria-hidden": "true" }],
      ["span", { class: "tx" }, [["span", { class: "n", part: "name" }], ["span", { class: "st", part: "detail" }]]]
    ]],
    ["slot", {}]
  ];
  var build = function(doc, n, ns) {
    var el = (ns = n[0] == "svg" ? "http://www.w3.org/2000/svg" : ns) ? doc.createElementNS(ns, n[0]) : doc.createElement(n[0]);
    for (var k in n[1]) el.setAttribute(k, n[1][k]);
    (n[2] || []).forEach(function(c) {
      el.appendChild(build(doc, c, ns));
    });
    return el;
  };
  function paint(el, click, session, warn) {
    var a = function(n) {
      var v = el.getAttribute(n);
      return v && v.trim();
    };
    var say = function(m) {
      if (warn) console.warn("<" + el.localName + ">: " + m);
    };
    var pick = function(table, n) {
      var t = CHOICES[table], v = own(t, (a(n) || "").toLowerCase());
      if (!v && a(n)) say("unknown " + n + ' "' + el.getAttribute(n) + '"; using "' + t[""] + '"');
      return v || t[""];
    };
    var signin = el.localName == "wl-signin";
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets.length) return;
    var early = root.querySelector("[popover]");
    try {
      early = signin && !session && early && early.matches(":popover-open");
    } catch (e) {
      early = 0;
    }
    root.textContent = "";
    if (a("locale") && !own(LABELS, primary(a("locale")))) say('no labels for locale "' + a("locale") + '"; using English');
    var css = signin ? SIGNIN_CSS : USERINFO_CSS;
    if (!sheets[css]) (sheets[css] = new CSSStyleSheet()).replaceSync(css);
    root.adoptedStyleSheets = [sheets[css]];
    (signin ? SIGNIN : USERINFO).forEach(function(n) {
      root.appendChild(build(el.ownerDocument, n));
    });
    var top = root.firstChild;
    if (!signin) {
      top.className = "u " + pick("layout", "layout") + (pick("card", "theme") == "dark" ? " t-dark" : "") + " sk";
      return;
    }
    var lang = [a("locale"), (el.closest("[lang]") || el).getAttribute("lang")].map(primary).filter(function(t) {
      return own(LABELS, t);
    })[0] || "en";
    top.className = "b t-" + pick("theme", "theme") + " s-" + pick("size", "size") + " p-" + pick("shape", "shape") + " g-" + pick("brand", "brand");
    top.setAttribute("lang", lang);
    var type = pick("type", "type"), texts = [a("sign-in-text") || a("signed-out-text"), a("sign-out-text") || a("signed-in-text")];
    pick("fallback", "fallback");
    pick("mode", "mode");
    if (type == "custom") {
      ["sign-in-text", "sign-out-text"].forEach(function(n, i) {
        if (!texts[i]) say('type="custom" needs a ' + n + " attribute; using the default label");
      });
    }
    top.children[2].textContent = texts[session ? 1 : 0] || LABELS[lang][type][session ? 1 : 0];
    top.onclick = function() {
      if (!el.__wl) {
        click(el, session, {
          scope: a("scope") || void 0,
          fallback: pick("fallback", "fallback") == "redirect" ? "redirect" : void 0,
          mode: pick("mode", "mode") == "redirect" ? "redirect" : void 0
        });
      }
    };
    if (early) {
      queueMicrotask(function() {
        var ua = navigator.userActivation;
        if (!ua || ua.isActive) top.onclick();
      });
    }
  }

  // www/src/elements.js
  function defineElements(w2, WL, load, basic) {
    var d2 = w2.document;
    var idle = [];
    function wake() {
      idle.splice(0).forEach(function(el) {
        if (el.isConnected) take(el);
      });
    }
    WL.Event.subscribe("auth.sessionChange", function(s) {
      if (s) wake();
    });
    function early(el, signedIn, opts) {
      if (signedIn) WL.logout().catch(Object);
      else (el.__wle = WL.login(opts)).catch(Object);
    }
    function take(el) {
      if (el.__wl || el.__wlp) return;
      var tag = el.localName;
      el.__wlp = load(tag == "wl-bar" ? "wl_bar" : basic()).then(
        function(m) {
          el.__wlp = null;
          if (!el.__wl && el.isConnected) {
            el.__wl = new m[tag == "wl-bar" ? "WlBar" : tag == "wl-signin" ? "WlSignin" : "WlUserinfo"](el);
            el.__wl.connected();
            if (el.__wle) el.__wl.pending(el.__wle);
            el.__wle = null;
          }
        },
        function(e) {
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
            s = WL.getSession();
            need = s || item(storageOf(), REDIRECT_KEY);
            paint(el, early, s, !need);
            if (need) take(el);
            else idle.push(el);
          }
          disconnectedCallback() {
            var el = this, inst = el.__wl;
            if (!inst) return;
            inst.disconnected();
            setTimeout(function() {
              if (!el.isConnected && el.__wl === inst) {
                el.__wl = null;
                inst.free();
              }
            });
          }
          attributeChangedCallback(n, o, v) {
            if (o === v) return;
            if (this.__wl) this.__wl.attributeChanged(n, o, v);
            else if (idle.indexOf(this) >= 0) {
              idle.splice(idle.indexOf(this), 1);
              take(this);
            }
          }
        }
      );
    }
    d2.addEventListener("wl-error", function(e) {
      var el = e.target;
      if (el.localName == "wl-userinfo" && /^(connection_failed|timed_out)$/.test(e.detail && e.detail.code)) {
        setTimeout(function() {
          if (el.__wl && el.isConnected && el.hasAttribute("data-wl-error")) el.__wl.connected();
        }, 1e4);
      }
    });
    item(storageOf(), REDIRECT_KEY);
    control("wl-signin", [
      "brand",
      "type",
      "theme",
      "size",
      "shape",
      "sign-in-text",
      "sign-out-text",
      "scope",
      "locale",
      "mode",
      "fallback",
      "signed-in-text",
      "signed-out-text",
      "on-signin",
      "on-signout"
    ]);
    control("wl-userinfo", ["layout", "cid", "locale", "theme"]);
    control("wl-bar", ["theme", "locale", "sign-in-enabled", "hide-first-run-experience", "on-consent-completed", "hub"]);
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
            var a = function(n) {
              return el.getAttribute(n);
            };
            var global = function(n) {
              var f = n && w2[n];
              return typeof f === "function" ? f : null;
            };
            [
              ["client-id", "client_id"],
              ["scope"],
              ["redirect-uri", "redirect_uri"],
              ["callback-url", "redirect_uri"],
              ["authority"],
              ["storage"],
              ["mode"],
              ["logging"],
              ["application-name", "application_name"]
            ].forEach(function(p) {
              if (a(p[0]) != null && o[p[1] || p[0]] == null) o[p[1] || p[0]] = a(p[0]);
            });
            [["onsignedin", "auth.login"], ["onsignedout", "auth.logout"]].forEach(function(p) {
              if (a(p[0])) {
                WL.Event.subscribe(p[1], function(x) {
                  var f = global(a(p[0]));
                  if (f) f(x);
                });
              }
            });
            var done = function() {
              var f = global(a("onload"));
              if (f) f();
            };
            WL.init(o).then(done, done);
          }
        }
      );
    }
    var legacy = { "wl:app": "wl-app", "wl:signin": "wl-signin", "wl:userinfo": "wl-userinfo", "wl:bar": "wl-bar" };
    var legacySel = "wl\\:app,wl\\:signin,wl\\:userinfo,wl\\:bar";
    function upgrade(old) {
      var el = d2.createElement(legacy[old.localName.toLowerCase()]);
      for (var i = 0; i < old.attributes.length; i++) {
        var at = old.attributes[i];
        try {
          el.setAttribute(at.name, at.value);
        } catch (e) {
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
    function watch() {
      scan(d2.documentElement);
      new MutationObserver(function(records) {
        records.forEach(function(r) {
          r.addedNodes.forEach(scan);
        });
      }).observe(d2, { childList: true, subtree: true });
    }
    if (d2.readyState === "loading") {
      d2.addEventListener("readystatechange", watch, { once: true });
    } else watch();
    return wake;
  }

  // www/src/popup.js
  var popups = 0;
  function openPopup(w2) {
    var W = 525, H = 525;
    var left = (w2.screenX || 0) + Math.max(0, ((w2.outerWidth || W) - W) / 2);
    var top = (w2.screenY || 0) + Math.max(0, ((w2.outerHeight || H) - H) / 2);
    try {
      return w2.open("", "wl_login_" + ++popups, "popup=yes,width=" + W + ",height=" + H + ",left=" + Math.round(left) + ",top=" + Math.round(top));
    } catch (e) {
      return null;
    }
  }

  // www/src/main.js
  var w = typeof window !== "undefined" ? window : null;
  var d = w && w.document;
  var script = d && (d.currentScript || d.querySelector('script[data-client-id],script[src*="wl.js"]'));
  var ds = script && script.dataset || {};
  var BUILT = "__WL_MODULES__";
  if (d && !(!ds.clientId && answer(w)) && !(w.WL && w.WL.__wl)) start();
  function start() {
    var base = new URL(ds.base || ".", script && script.src || location.href).href;
    var modules = new URL(ds.modules || "pkg/", base).href;
    var redirectDefault = new URL("callback.html", base);
    if (redirectDefault.origin !== location.origin) redirectDefault = new URL("/callback.html", location.href);
    var mods = {};
    function load(name) {
      var b = BUILT[name] || [], h = b[0] ? "." + b[0] : "", js = modules + name + h + ".js", wasm = modules + name + "_bg" + h + ".wasm";
      return mods[name] || (mods[name] = new Promise(function(ok, no) {
        if (!b[1]) return ok();
        var l = d.createElement("link");
        l.rel = "modulepreload";
        l.integrity = b[1];
        l.href = js;
        l.onload = ok;
        l.onerror = no;
        d.head.appendChild(l);
      }).then(function() {
        return import(js);
      }).then(function(m) {
        return m.default({ module_or_path: wasm }).then(function() {
          return m;
        });
      }).catch(function() {
        delete mods[name];
        return Promise.all([fetch(js), fetch(wasm)]).then(
          function(r) {
            return r[0].ok && /wasm/.test(r[1].ok && r[1].headers.get("content-type")) && b[1] && "integrity_failed";
          },
          function() {
            return fetch(js, { mode: "no-cors" }).then(function() {
              console.error("wl-connect: " + js + " is served without Access-Control-Allow-Origin: see docs/hosting.md");
            }, Object);
          }
        ).then(function(c) {
          var e = { code: c || "connection_failed", message: "could not load " + js };
          console.error("wl-connect:", e.message);
          throw e;
        });
      }));
    }
    var domReady = new Promise(function(r) {
      if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", r, { once: true });
      else r();
    });
    var K = null, ready = null, modP = null, coreP = null, initP = null, cfg = null, asyncInitDone = false;
    var CORE = "wl_connect", COMBINED = "wl_connect_controls", coreName = null;
    function coreModule() {
      return modP || (modP = domReady.then(function() {
        coreName = coreName || CORE;
        return load(coreName);
      }).then(
        function(m) {
          return K || (K = m.machine(m, emit, setConsole));
        },
        function(e) {
          modP = coreP = null;
          wake();
          throw e;
        }
      ));
    }
    function core() {
      return coreP || (coreP = coreModule().then(function(k) {
        var settle = function() {
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
      }));
    }
    function call(name, args) {
      return core().then(function(k) {
        return k[name].apply(null, args || []);
      });
    }
    var WL = {
      __wl: true,
      init: function(o) {
        o = Object.assign({}, o);
        try {
          o.redirect_uri = o.redirect_uri ? new URL(o.redirect_uri, document.baseURI).href : redirectDefault.href;
        } catch (e) {
        }
        if (cfg) {
          return call("init", [o]);
        }
        cfg = o;
        initP = coreModule().then(function(m) {
          return m.init(o);
        }).then(function(r) {
          if (r && r.session) wake();
          return r;
        });
        return initP;
      },
      login: function(o) {
        o = o || {};
        var redirect = cfg && cfg.mode === "redirect" || o.mode === "redirect";
        var pop = !redirect && !satisfied(WL.getSession(), cfg, o.scope) ? openPopup(w) : null;
        wake();
        return call("login", [o, pop]).catch(function(e) {
          if (pop && !pop.closed) pop.close();
          throw e;
        });
      },
      logout: function() {
        return call("logout");
      },
      getSession: function() {
        return ready ? ready.getSession() : storedSession(cfg);
      },
      getLoginStatus: function() {
        return call("getLoginStatus");
      },
      getProvider: function() {
        return call("getProvider");
      },
      api: function(o) {
        return call("api", [o]);
      },
      ui: function(o) {
        o = o || {};
        var host = typeof o.element === "string" ? d.getElementById(o.element) : o.element;
        if (!host || !host.appendChild) {
          return Promise.reject({ code: "invalid_request", message: "WL.ui needs element: an element or its id" });
        }
        var el = d.createElement(o.name === "userinfo" ? "wl-userinfo" : "wl-signin");
        Object.keys(o).forEach(function(k) {
          var v = o[k];
          if (k === "name" || k === "element" || typeof v === "function" || v == null) return;
          el.setAttribute(k.replace(/_/g, "-"), Array.isArray(v) ? v.join(" ") : String(v));
        });
        [["onloggedin", "wl-login"], ["onloggedout", "wl-logout"], ["onerror", "wl-error"]].forEach(function(p) {
          if (typeof o[p[0]] === "function") {
            el.addEventListener(p[1], function(e) {
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
    var wake = defineElements(w, WL, load, function() {
      coreName = coreName || COMBINED;
      return coreName === COMBINED ? COMBINED : "wl_controls";
    });
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
      }).catch(function() {
      });
    }
    domReady.then(function() {
      if (typeof w.wlAsyncInit === "function") core().catch(function() {
      });
    });
  }
})();
