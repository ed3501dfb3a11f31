// The WL flows. Every decision (configuration, session rules, PKCE, state, the ID token, scopes,
// API errors) is the wasm module's (`m`, src/steps.rs); this only waits: fetch, the popup,
// timers. Every rejection is also reported on wl.log.

import { emit, setConsole } from "./events.js";
import { apiQuery, encode as S, params as Q, withQuery as U } from "./query.js";
import { REDIRECT_KEY as RK, RESULT_KEY as RRK, SESSION_KEY as SK, storageOf } from "./stored.js";
import { verifier } from "./pkce.js";

function log(level, code, message) {
  var o = { level: level };
  if (code) o.code = code;
  o.message = message;
  emit("wl.log", o);
}

/** The `WL` methods driving the core module `m`. */
export function flows(m) {
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
  // A GET that cannot reach the provider is tried twice more, 1 s and 3 s later (a provider
  // restarting comes back in that time); a POST never is (a code or a refresh token is spent
  // once).
  async function request(url, method, token, body, type) {
    var h = { Accept: "application/json" }, r, t, j = null, i = 0;
    if (token) h.Authorization = "Bearer " + token;
    if (body != null) h["Content-Type"] = type;
    for (;;) {
      try {
        r = await fetch(url, { method: method, headers: h, body: body });
        t = await r.text();
        break;
      } catch (e) {
        if (method !== "GET" || i > 1) throw fault("connection_failed", url);
        await new Promise(function (ok) {
          setTimeout(ok, ++i * 2000 - 1000);
        });
      }
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
  // Discovery, fetched once (again after a failure): `{ token, revocation?, issuer, jwks, api_base,
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
  // The ID token's signature, checked with Web Crypto against the provider's keys (discovery's
  // `jwks_uri`) before the core reads its claims: RS256 or ES256 by the key its header's `kid`
  // names; `alg: none`, another algorithm, an unknown `kid` or a key of another type fail.
  var bytes = function (b) {
    return Uint8Array.from(atob(b.replace(/-/g, "+").replace(/_/g, "/")), function (c) {
      return c.charCodeAt(0);
    });
  };
  // A JWT's part as JSON (base64url, UTF-8).
  var part = function (b) {
    return JSON.parse(new TextDecoder().decode(bytes(b)));
  };
  // The verified ID token's claims for the core (undefined when the answer has no ID token).
  async function signed(j) {
    var t = j && j.id_token, keys, p, h, a, ok;
    if (!t) return;
    keys = (await request((await discovery()).jwks, "GET")).json;
    try {
      p = t.split(".");
      h = part(p[0]);
      a = { RS256: { name: "RSASSA-PKCS1-v1_5" }, ES256: { name: "ECDSA", namedCurve: "P-256" } }[h.alg];
      a.hash = "SHA-256";
      ok = (await crypto.subtle.verify(
        a,
        await crypto.subtle.importKey("jwk", keys.keys.find(function (k) { return k.kid === h.kid; }), a, false, ["verify"]),
        bytes(p[2]),
        new TextEncoder().encode(p[0] + "." + p[1])
      )) && part(p[1]);
    } catch (e) {
      /* not a JWT we can verify: refused below */
    }
    if (!ok) throw fault("invalid_token", "it is not a JWT signed with the provider's keys");
    return ok;
  }
  // The claims of the session's ID token (verified when it was received), or null.
  var idClaims = function () {
    try {
      return part(m.session().id_token.split(".")[1]);
    } catch (e) {
      return null;
    }
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
    var e = epoch, body = m.refreshBody(), r = await post((await discovery()).token, body), c = await signed(r.json);
    if (e !== epoch) return false;
    m.token(r.json, r.ok, true, c);
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
    var claims = await signed(r.json);
    if (g !== gen) throw fault("request_canceled");
    m.token(r.json, r.ok, false, claims);
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
        // A provider's error redirect that dropped the state, posted by the popup we opened
        // (never on the channel, where any window of the site could post it): this request's
        // error, made from the error alone (never a code) with our state, for the core to map.
        var a = new URLSearchParams(q), f = new URLSearchParams();
        if (src === "popup" && a.get("error") && !a.has("state") && !a.has("code")) {
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
          log("info", null, "Cross-Origin-Opener-Policy cut the popup's handle: waiting on BroadcastChannel");
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
      v = verifier(rnd.subarray(0, 32));
      try {
        h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(v)));
      } catch (e) {
        throw fault("invalid_request", "sign-in needs a secure context (https or localhost)");
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
    setConsole(c.logging);
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
      // `me` from userinfo (no data API): the core maps the answer onto Live's object.
      // (with the ID token's claims beneath userinfo's: from the session's token, once verified)
      if (r.ok) return q.me ? m.api(o, true, r.json, idClaims()) : r.json;
      var e = m.apiError(r.status, r.json, r.www), s = r.status === 401 && m.session();
      if (s && s.access_token === q.token) {
        m.end();
        changed("ended");
      }
      throw e;
    })
  };
}
