// The fake provider and popup for the wl.js tests (events.rs, watcher.rs), loaded by frame.html
// before wl.js. `window.open` returns a fake popup whose `closed` the test sets and whose
// navigation is recorded; `fetch` answers discovery and the token endpoint (an ID token carrying
// the nonce of the authorization request the code was issued for). Everything else (state, PKCE,
// nonce, the ID token checks) is the real core's and wl.js's.
(function () {
  "use strict";
  var T = (window.T = {});
  T.issuer = location.origin + "/fake-idp";
  // `wl_messenger_hub` in the discovery document when set.
  T.hub = null;
  T.fetches = [];
  T.popups = [];
  T.blockPopups = false;
  T.nonceOverride = null;
  // The nonce of the authorization request each code was issued for (T.answer records it).
  T.nonces = {};
  // With `holdToken`, token answers wait in `held` until `T.release()`.
  T.holdToken = false;
  T.held = [];
  // Token lifetimes (seconds); with `refreshTokens` a sign-in also gets a refresh token, and
  // refresh grants answer `at-renewed-<n>` (`refreshes`: how many were asked for).
  T.expiresIn = 3600;
  T.refreshTokens = false;
  T.refreshes = 0;
  // `renewIdToken` (an object): refresh grants also answer a signed ID token for alice, with
  // these claims over the usual ones (no nonce, as OpenID Connect Core §12.2 asks).
  T.renewIdToken = null;
  // `dataApi`: discovery names `wl_api_base`; `userinfo` (an object): discovery names
  // `userinfo_endpoint`, which answers it (the Authorization header it got: `userinfoAuth`);
  // `idTokenClaims`: more claims in the ID token.
  T.dataApi = true;
  T.userinfo = null;
  T.userinfoAuth = null;
  T.idTokenClaims = {};
  T.down = 0;
  T.release = function () {
    T.held.splice(0).forEach(function (f) {
      f();
    });
  };

  function json(o, status) {
    return new Response(JSON.stringify(o), {
      status: status || 200,
      headers: { "Content-Type": "application/json" }
    });
  }
  function b64(s) {
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The fake provider signs its ID tokens for real (Web Crypto), with a key per algorithm
  // (`kid` = the algorithm) published at `jwks_uri`. `alg`: the algorithm it signs with;
  // `idHeader`: another JOSE header (e.g. `alg: none`), still signed with `alg`'s key;
  // `idTampered`: claims changed after signing.
  T.alg = "ES256";
  T.idHeader = null;
  T.idTampered = null;
  var ALGS = {
    ES256: { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" },
    RS256: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }
  };
  var keys = {};
  function key(alg) {
    return keys[alg] || (keys[alg] = crypto.subtle.generateKey(ALGS[alg], true, ["sign", "verify"]));
  }
  async function jwks() {
    var out = [];
    for (var alg in ALGS) {
      var j = await crypto.subtle.exportKey("jwk", (await key(alg)).publicKey);
      j.kid = alg;
      j.alg = alg;
      out.push(j);
    }
    return { keys: out };
  }
  async function idToken(payload) {
    var head = b64(JSON.stringify(T.idHeader || { alg: T.alg, kid: T.alg, typ: "JWT" }));
    var input = head + "." + b64(JSON.stringify(payload));
    var sig = await crypto.subtle.sign(ALGS[T.alg], (await key(T.alg)).privateKey, new TextEncoder().encode(input));
    if (T.idTampered) input = head + "." + b64(JSON.stringify(Object.assign({}, payload, T.idTampered)));
    return input + "." + b64(String.fromCharCode.apply(null, new Uint8Array(sig)));
  }
  T.param = function (p, name) {
    return p && p.url ? new URL(p.url).searchParams.get(name) : null;
  };
  T.last = function () {
    return T.popups[T.popups.length - 1] || null;
  };

  // A token answer, kept in `held` while `holdToken` is set.
  function hold(answer) {
    if (!T.holdToken) return answer;
    return new Promise(function (resolve) {
      T.held.push(function () {
        resolve(answer);
      });
    });
  }

  window.fetch = function (url, init) {
    url = String(url);
    T.fetches.push({ url: url, method: (init && init.method) || "GET", body: init && init.body });
    // `down`: the provider cannot be reached for that many more requests.
    if (T.down > 0) {
      T.down--;
      return Promise.reject(new TypeError("fake provider: down"));
    }
    if (url === T.issuer + "/.well-known/openid-configuration") {
      return Promise.resolve(
        json({
          issuer: T.issuer,
          authorization_endpoint: T.issuer + "/authorize",
          token_endpoint: T.issuer + "/token",
          jwks_uri: T.issuer + "/jwks",
          wl_api_base: T.dataApi ? T.issuer + "/v1/" : undefined,
          userinfo_endpoint: T.userinfo ? T.issuer + "/userinfo" : undefined,
          wl_messenger_hub: T.hub || undefined
        })
      );
    }
    if (url === T.issuer + "/jwks") return jwks().then(json);
    if (url === T.issuer + "/userinfo" && T.userinfo) {
      T.userinfoAuth = init && init.headers && init.headers.Authorization;
      return Promise.resolve(json(T.userinfo));
    }
    if (url === T.issuer + "/token") {
      var form = new URLSearchParams(String(init && init.body));
      if (form.get("grant_type") === "refresh_token") {
        T.refreshes++;
        var id = T.renewIdToken && idToken(Object.assign(claims(), T.renewIdToken));
        var renewed = Promise.resolve(id).then(function (id) {
          return json({ access_token: "at-renewed-" + T.refreshes, token_type: "Bearer", expires_in: T.expiresIn, scope: "openid wl.signin", id_token: id || undefined });
        });
        return hold(renewed);
      }
      var code = form.get("code");
      var nonce = T.nonceOverride || T.nonces[code];
      var payload = claims();
      payload.nonce = nonce;
      Object.assign(payload, T.idTokenClaims);
      var answer = idToken(payload).then(function (id) {
        return json({
          access_token: "at-" + code,
          token_type: "Bearer",
          expires_in: T.expiresIn,
          scope: "openid wl.signin",
          refresh_token: T.refreshTokens ? "rt-" + code : undefined,
          id_token: id
        });
      });
      return hold(answer);
    }
    return Promise.reject(new TypeError("fake provider: no route for " + url));
  };

  // An ID token's claims for alice, issued now.
  function claims() {
    var now = Math.floor(Date.now() / 1000);
    return { iss: T.issuer, aud: "wl-flows", sub: "alice", exp: now + 600, iat: now };
  }

  // A popup: `closed` and `close()` like a window's; `location.href = url` records the
  // navigation (`url`, `navigatedAt`). With `T.realPopup = true` the popup is a real same-origin
  // window (an iframe's), for answers that must come from it (`event.source === popup`).
  T.realPopup = false;
  window.open = function () {
    if (T.blockPopups) return null;
    if (T.realPopup) {
      var f = document.createElement("iframe");
      document.body.appendChild(f);
      var win = f.contentWindow;
      var r = {
        real: true,
        win: win,
        get url() {
          try {
            return win.location.href === "about:blank" ? null : win.location.href;
          } catch (e) {
            return null;
          }
        }
      };
      T.popups.push(r);
      return win;
    }
    var p = { closed: false, closeCalls: 0, url: null, navigatedAt: 0 };
    p.close = function () {
      p.closed = true;
      p.closeCalls++;
    };
    p.location = {};
    Object.defineProperty(p.location, "href", {
      get: function () {
        return p.url || "about:blank";
      },
      set: function (v) {
        p.url = String(v);
        p.navigatedAt = Date.now();
      }
    });
    T.popups.push(p);
    return p;
  };

  // The callback's answer, as callback.js sends it.
  T.message = function (query) {
    return { type: "wl-connect:callback", query: query };
  };
  T.broadcast = function (query) {
    var bc = new BroadcastChannel("wl-connect");
    bc.postMessage(T.message(query));
    bc.close();
  };
  // A message event as if posted from `origin` (the origin is what wl.js checks).
  T.postFrom = function (origin, query) {
    window.dispatchEvent(new MessageEvent("message", { data: T.message(query), origin: origin }));
  };
  // `query` posted to this page by the real popup `p` itself (event.source === the popup).
  T.postFromPopup = function (p, query) {
    p.win.Function("d", "parent.postMessage(d, location.origin)")(T.message(query));
  };
  // `query` posted for real from another origin: a sandboxed frame (an opaque origin, "null")
  // posts it to this page. (A frame on another host cannot be used: the test runner's pages are
  // sent with COEP require-corp.) Resolves with the origin it arrived from, once it has arrived.
  T.postCrossOrigin = function (query) {
    return new Promise(function (resolve) {
      var seen = function (ev) {
        if (ev.data && ev.data.type === "wl-connect:callback" && ev.origin !== location.origin) {
          removeEventListener("message", seen);
          resolve(ev.origin);
        }
      };
      addEventListener("message", seen);
      var f = document.createElement("iframe");
      f.sandbox = "allow-scripts";
      f.srcdoc = "<script>parent.postMessage(" + JSON.stringify(T.message(query)) + ", '*')</" + "script>";
      document.body.appendChild(f);
    });
  };
  // The code answer of popup `p` (its own state), or with another state.
  T.answer = function (p, code, state) {
    T.nonces[code] = T.param(p, "nonce");
    return "?code=" + code + "&state=" + encodeURIComponent(state || T.param(p, "state"));
  };

  // Signs in through the fake popup with `code` (its access token is `at-<code>`); throws
  // unless `WL.login` fulfils.
  T.signIn = async function (code) {
    var p = WL.login();
    var pop = T.last();
    if (!(await T.until(function () { return T.param(pop, "state"); }, 5000)))
      throw new Error("the popup never reached the provider");
    T.broadcast(T.answer(pop, code));
    if ((await T.settled(p, 3000)).state !== "fulfilled") throw new Error("the sign-in failed");
  };

  // Resolves when `cond()` holds (checked every 10 ms), or with false after `ms`.
  T.until = function (cond, ms) {
    var end = Date.now() + ms;
    return new Promise(function (resolve) {
      (function check() {
        if (cond()) return resolve(true);
        if (Date.now() > end) return resolve(false);
        setTimeout(check, 10);
      })();
    });
  };
  // How promise `p` settles within `ms`: { state: "fulfilled" | "rejected" | "pending", value }.
  // Never leaves the test waiting on a promise that does not settle.
  T.settled = function (p, ms) {
    var out = { state: "pending", value: null };
    var done = Promise.resolve(p).then(
      function (v) {
        out.state = "fulfilled";
        out.value = v;
      },
      function (e) {
        out.state = "rejected";
        out.value = e;
      }
    );
    return Promise.race([done, new Promise(function (r) { setTimeout(r, ms); })]).then(function () {
      return { state: out.state, value: out.value }; // as it was then
    });
  };
  // Every `wl.log` and auth event, in order.
  T.events = [];
  T.record = function () {
    ["wl.log", "auth.login", "auth.sessionChange", "auth.statusChange"].forEach(function (n) {
      WL.Event.subscribe(n, function (x) {
        T.events.push({ name: n, arg: x });
      });
    });
  };
  T.logCodes = function () {
    return T.events
      .filter(function (e) {
        return e.name === "wl.log";
      })
      .map(function (e) {
        return e.arg.code || e.arg.level;
      });
  };
  // Configures wl.js for the fake provider (`timeout` in ms; `quiet`: no recording of events).
  T.init = function (timeout, quiet, storage) {
    if (!quiet) T.record();
    return WL.init({
      client_id: "wl-flows",
      authority: T.issuer,
      storage: storage || "memory",
      logging: false,
      timeout: timeout || 20000
    });
  };
})();
