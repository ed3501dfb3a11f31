// What must be known before the core has loaded: the stored session (for `WL.getSession()` and
// for deciding, inside the click, whether `WL.login` needs a popup). The core has the same rules
// (src/session.rs, `Session::read`; src/config.rs, `login_scopes`); a browser test runs both on
// one table of cases (src/browser_tests/bootstrap.rs).

/** Storage keys: the session, and redirect mode's hand-over with callback.js (which names the
 * last two too). */
export var SESSION_KEY = "wl_connect.session", REDIRECT_KEY = "wl_connect.redirect", RESULT_KEY = "wl_connect.redirect_result";

/** Scopes given as a string (spaces or commas) or an array. */
export function words(s) {
  return (Array.isArray(s) ? s.join(" ") : String(s || "")).split(/[\s,]+/).filter(Boolean);
}

/** The storage a configuration's `storage` names (`null`: memory only, or none available). */
export function storageOf(kind) {
  try {
    return kind === "memory" || kind === "none" ? null : kind === "local" || kind === "localStorage" ? localStorage : sessionStorage;
  } catch (e) {
    return null;
  }
}

/** What storage `st` (or none) holds under `key`; `null` when absent or unreadable. */
export function item(st, key) {
  try {
    return st ? st.getItem(key) : null;
  } catch (e) {
    return null;
  }
}

/** The session as the core stores it, read before the core is ready (same shape as
 * `getSession`), for configuration `cfg`. */
export function storedSession(cfg) {
  var st = cfg && storageOf(cfg.storage);
  var p = st && new URLSearchParams(item(st, SESSION_KEY) || "");
  var now = Date.now() / 1000, exp = p ? +p.get("expires") : 0;
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

/** Whether session `s` already holds every scope a login for `scope` would ask for (then no
 * popup is opened and the core resolves at once): openid + configured + asked. */
export function satisfied(s, cfg, scope) {
  if (!s || !cfg) return false;
  var want = ["openid"].concat(words(cfg.scope).length ? words(cfg.scope) : ["wl.signin"], words(scope));
  return want.every(function (x) {
    return s.scope.indexOf(x) >= 0;
  });
}
