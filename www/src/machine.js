// The interpreter of the core's state machine (src/loader.rs, `Loader::step`; its wasm edge
// src/machine.rs). Every decision is the machine's: configuration, the session and its storage
// form, PKCE, state and nonce, the ID token's claims, scopes, renewal, the popup watcher's rules,
// API URLs and errors. This only turns `WL` calls and what the browser reports (a fetch's answer,
// a digest, a callback message, a timer, another tab's change to the shared session or renewal
// of a copied one, a sign that the computer woke) into inputs, and carries out the effects the
// machine returns: fetch, hash, point the popup or the page at the provider, store (telling
// copies of a renewed `session` session), emit, arm a timer, resolve or reject a call, take or
// let go of the renewal lock, claim a refresh token. The input and effect numbers are
// src/machine.rs's.
//
// It is not in wl.js: the build bundles it into the core's glue (`www/machine.js`, appended to
// pkg/wl_connect.js and pkg/wl_connect_controls.js, which export it as `machine`), so a page's
// first paint does not compile it; it is needed only once the core is there. `WL.Event`'s
// handlers stay in wl.js (events.js), which hands its `emit` and `setConsole` over.

import { apiQuery, encode, params, withQuery } from "./query.js";
import { REDIRECT_KEY, RESULT_KEY, SESSION_KEY, item, storageOf } from "./stored.js";

var KEYS = [SESSION_KEY, REDIRECT_KEY, RESULT_KEY];
// The renewal lock's name, and how long a tab waits for it.
var LOCK = "wl_connect.renew";
var LOCK_WAIT_MS = 10000;
// The claim on one refresh token (its digest follows), held by the tab that presents it.
var CLAIM = "wl_connect.refresh.";
// The OAuth parameters a redirect sign-in leaves in the page's URL.
var OAUTH = ["code", "state", "error", "error_description", "error_uri", "session_state", "iss"];

// base64url → bytes, and a JWT's part as JSON (UTF-8).
function bytes(b) {
  return Uint8Array.from(atob(b.replace(/-/g, "+").replace(/_/g, "/")), function (c) {
    return c.charCodeAt(0);
  });
}
function part(b) {
  return JSON.parse(new TextDecoder().decode(bytes(b)));
}

/** The `WL` methods, driving the core module `m` (its `step` export); `emit(name, arg)` and
 * `setConsole(on)` are wl.js's `WL.Event` (events.js). */
export function machine(m, emit, setConsole) {
  var calls = {}, pops = {}, timers = [], next = 0, watching = 0, onMessage = null, bc = null;
  var release = null, claims = {};
  // A stored value's query parameters, or null.
  var read = function (st, key) {
    var t = item(st, key);
    return t == null ? null : params(t);
  };
  // One input: `step(now, kind, id, flag, a, b, bytes)`; then its effects, in order.
  function step(kind, id, flag, a, b, r) {
    JSON.parse(m.step(Date.now(), kind, id || 0, !!flag, a, b, r || new Uint8Array(0))).forEach(run);
  }
  // A call: `settle` gets what the machine's Resolve ([0]) or Reject ([1]) says; `pop` is a
  // login's popup, kept by the call's id until the machine's ClosePopup.
  function send(kind, settle, flag, a, b, r, pop) {
    var id = ++next;
    calls[id] = settle;
    if (pop) pops[id] = pop;
    step(kind, id, flag, a, b, r);
  }
  // A call as a promise (a throw while it runs rejects it).
  function call(kind, flag, a, b, r, pop) {
    return new Promise(function (ok, no) {
      send(kind, [ok, no], flag, a, b, r, pop);
    });
  }
  // A fetch's answer as the machine reads it: `{ status, json, claims }` and WWW-Authenticate's
  // parameters. A GET that cannot reach the provider is tried twice more, 1 s and 3 s later (a
  // provider restarting comes back in that time); a POST never is (a code or a refresh token
  // is spent once). `fresh`: past the HTTP cache (revalidated with the server).
  async function request(url, method, token, body, fresh) {
    var h = { Accept: "application/json" }, r, t, j = null, i = 0, www = {};
    if (token) h.Authorization = "Bearer " + token;
    if (body != null) {
      h["Content-Type"] = typeof body == "string" ? "application/json" : "application/x-www-form-urlencoded";
      if (typeof body != "string") body = encode(body);
    }
    for (;;) {
      try {
        r = await fetch(url, { method: method, headers: h, body: body, cache: fresh ? "no-cache" : "default" });
        t = await r.text();
        break;
      } catch (e) {
        if (method != "GET" || i > 1) throw url;
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
    (r.headers.get("WWW-Authenticate") || "").replace(/([\w-]+)="?([^",]*)/g, function (_, k, v) {
      www[k] = v;
    });
    return [{ status: r.status, json: j }, r.ok, www];
  }
  // The payload of the ID token in `j`, once its signature checks with the keys at `url`
  // (Web Crypto: RS256 or ES256 by the key its header's `kid` names; `alg: none`, another
  // algorithm, an unknown `kid` or a key of another type give none). A `kid` the key set (from
  // the HTTP cache, perhaps) does not hold sends for the set once more, past the cache: the
  // provider rotated its keys (OpenID Connect Core §10.1.1).
  async function verified(j, url, fresh) {
    var t = j && j.id_token, p, h, a, k;
    if (typeof t != "string") return;
    k = (await request(url, "GET", 0, null, fresh))[0].json;
    try {
      p = t.split(".");
      h = part(p[0]);
      k = k.keys.find(function (x) { return x.kid === h.kid; });
    } catch (e) {
      k = 0;
    }
    if (!k && h && !fresh) return verified(j, url, 1);
    try {
      a = { RS256: { name: "RSASSA-PKCS1-v1_5" }, ES256: { name: "ECDSA", namedCurve: "P-256" } }[h.alg];
      a.hash = "SHA-256";
      if (
        await crypto.subtle.verify(
          a,
          await crypto.subtle.importKey("jwk", k, a, false, ["verify"]),
          bytes(p[2]),
          new TextEncoder().encode(p[0] + "." + p[1])
        )
      )
        return part(p[1]);
    } catch (e) {
      /* not a JWT signed with the provider's keys: no claims, the machine refuses it */
    }
  }
  async function fetched(req, url, method, token, body, keys, jwt) {
    try {
      var r = await request(url, method, token, body);
      if (keys) r[0].claims = await verified(r[0].json, keys);
      if (jwt) {
        try {
          r[0].claims = part(jwt.split(".")[1]);
        } catch (e) {
          /* unreadable: userinfo alone */
        }
      }
    } catch (u) {
      return step(8, req, false, String(u));
    }
    step(7, req, r[1], r[0], r[2]);
  }
  // The callback answers a watched sign-in listens for: posted by its popup (0) or another
  // window of this origin (2), or on BroadcastChannel (1), which still works when the provider's
  // Cross-Origin-Opener-Policy cut the popup's handle.
  function deliver(data, src) {
    if (data && data.type === "wl-connect:callback") step(10, src, false, params(data.query == null ? "" : String(data.query)));
  }
  function watch(id) {
    watching = id;
    if (onMessage) removeEventListener("message", onMessage);
    if (bc) bc.close();
    onMessage = bc = null;
    if (!id) return;
    onMessage = function (ev) {
      if (ev.origin === location.origin) deliver(ev.data, ev.source && ev.source === pops[watching] ? 0 : 2);
    };
    addEventListener("message", onMessage);
    try {
      bc = new BroadcastChannel("wl-connect");
      bc.onmessage = function (ev) {
        deliver(ev.data, 1);
      };
    } catch (e) {
      bc = null;
    }
  }
  // Another tab's renewal of a `session` session this tab may hold a copy of (the machine
  // follows it only if it holds the refresh token presented).
  var rot = null;
  try {
    rot = new BroadcastChannel("wl_connect.rotated");
    rot.onmessage = function (ev) {
      var d = ev.data || {};
      if (typeof d.was == "string" && typeof d.value == "string")
        step(17, 0, false, params(d.value), d.was);
    };
  } catch (x) {
    rot = null;
  }
  // Another tab's sign-in, renewal or sign-out, seen in the storage tabs share (the machine
  // follows it only when the configured storage is `local`; `key` null: storage was cleared).
  addEventListener("storage", function (ev) {
    var local = false;
    try {
      local = ev.storageArea === localStorage;
    } catch (x) {
      /* no localStorage here: nothing is shared */
    }
    if (local && (ev.key === null || ev.key === SESSION_KEY))
      step(14, 0, false, ev.key && ev.newValue != null ? params(ev.newValue) : null);
  });
  // The computer may have slept (a page's timers then run late, by as long as it slept): the
  // page shown again, back from the back/forward cache (`persisted`: after a redirect sign-in,
  // the person came back without signing in), or back online. The machine looks at its renewal
  // by the wall clock.
  function woke(e) {
    if (!document.hidden) step(18, 0, e.persisted);
  }
  document.addEventListener("visibilitychange", woke);
  addEventListener("pageshow", woke);
  addEventListener("online", woke);
  function run(e) {
    var k = e[0], a = e[1], b = e[2], c = e[3], st, pop, p;
    if (k == 0) fetched(a, c ? withQuery(b, c) : b, e[4], e[5], e[6], e[7], e[8]);
    if (k == 1) {
      crypto.subtle.digest("SHA-256", new TextEncoder().encode(b)).then(
        function (h) {
          step(9, a, true, null, null, new Uint8Array(h));
        },
        function () {
          step(9, a, false);
        }
      );
    }
    if (k == 2) {
      pop = pops[a];
      if (!pop || pop.closed) return step(11, 0, true);
      try {
        pop.location.href = withQuery(b, c);
      } catch (x) {
        step(11, 0, false);
      }
    }
    if (k == 3) {
      try {
        sessionStorage.setItem(REDIRECT_KEY, encode(e[4]));
      } catch (x) {
        return step(13, a);
      }
      location.assign(withQuery(b, c));
    }
    if (k == 4) {
      if (pops[a]) pops[a].close();
      delete pops[a];
    }
    if (k == 5) watch(a);
    if (k == 6) {
      st = storageOf(b ? "local" : "session");
      p = a || b ? null : params(item(st, SESSION_KEY)).refresh_token;
      try {
        if (st) c ? st.setItem(KEYS[a], encode(c)) : st.removeItem(KEYS[a]);
      } catch (x) {
        /* quota or privacy mode: memory only */
      }
      // A renewal of a `session` session: its copies in other tabs take the new tokens.
      if (p && c && c.refresh_token && c.refresh_token !== p && rot)
        rot.postMessage({ was: p, value: encode(c) });
    }
    if (k == 7) {
      try {
        p = new URLSearchParams(location.search);
        OAUTH.forEach(function (n) {
          p.delete(n);
        });
        p += "";
        history.replaceState(null, "", location.pathname + (p ? "?" + p : "") + location.hash);
      } catch (x) {
        /* the URL keeps its parameters; the sign-in goes on */
      }
    }
    if (k == 8) setConsole(!!a);
    if (k == 9) emit(a, b === undefined ? null : b);
    if (k == 10) {
      clearTimeout(timers[a]);
      timers[a] = setTimeout(function () {
        pop = pops[watching];
        step(12, a, !pop || pop.closed);
      }, b);
    }
    if (k == 11) clearTimeout(timers[a]);
    if ((k == 12 || k == 13) && calls[a]) {
      calls[a][k - 12](b);
      delete calls[a];
    }
    if (k == 14) lock();
    if (k == 16) claim(a);
    if (k == 15 && release) {
      release();
      release = null;
    }
  }
  // The renewal lock of tabs sharing a `local` session (Web Locks): held from the answer (the
  // session in storage as it is then) until the machine's Unlock. Without Web Locks, or when
  // another tab has held it for LOCK_WAIT_MS (a renewal that never answers), at once.
  function lock() {
    var answered = false;
    function answer() {
      var v = null, ok = true;
      if (answered) return;
      answered = true;
      try {
        v = localStorage.getItem(SESSION_KEY);
      } catch (x) {
        ok = false;
      }
      step(15, 0, ok, v == null ? null : params(v));
    }
    try {
      navigator.locks
        .request(LOCK, { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, function () {
          return new Promise(function (done) {
            release = done;
            answer();
          });
        })
        .catch(answer);
    } catch (x) {
      answer();
    }
  }
  // The claim on refresh token `rt` (`session` storage, whose copies other tabs may hold): a
  // Web Lock named after its digest, held until the page goes, unless another tab holds it.
  // Without Web Locks (or crypto), this tab's, as before there were claims.
  function claim(rt) {
    crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(rt))
      .then(function (h) {
        var name = CLAIM + Array.from(new Uint8Array(h).slice(0, 16), function (x) {
          return (x + 256).toString(16).slice(1);
        }).join("");
        if (claims[name]) return step(16, 0, true);
        return navigator.locks.request(name, { ifAvailable: true }, function (l) {
          if (!l) return step(16, 0, false);
          claims[name] = 1;
          step(16, 0, true);
          return new Promise(function () {});
        });
      })
      .catch(function () {
        step(16, 0, true);
      });
  }
  return {
    init: function (o) {
      var ss = storageOf("session"), q = location.search;
      return call(0, false, o, {
        session: read(ss, SESSION_KEY),
        local: read(storageOf("local"), SESSION_KEY),
        redirect: read(ss, REDIRECT_KEY),
        redirect_result: read(ss, RESULT_KEY),
        page_query: q ? params(q) : null
      });
    },
    // `pop`: the popup opened in the click, or null.
    login: function (o, pop) {
      return call(1, !!pop, o || {}, location.href, crypto.getRandomValues(new Uint8Array(64)), pop);
    },
    logout: function () {
      return call(2);
    },
    // Synchronous: the machine resolves it within the step.
    getSession: function () {
      var s = null;
      send(3, [
        function (v) {
          s = v;
        },
        Object
      ]);
      return s;
    },
    getLoginStatus: function () {
      return call(4);
    },
    getProvider: function () {
      return call(5);
    },
    api: function (o) {
      return call(6, false, o, apiQuery(o));
    }
  };
}
