/*! wl-connect bootstrap (https://github.com/wl-connect) — MIT OR Apache-2.0.
 * Generated from www/src/ by `cargo xtask build` (esbuild): edit those modules, not this file. */
(() => {
  // www/src/stored.js
  var REDIRECT_KEY = "wl_connect.redirect";
  var RESULT_KEY = "wl_connect.redirect_result";

  // www/src/answer.js
  function answer(w) {
    var l = w.location, query = l.search, p = new URLSearchParams(query), state = p.get("state"), pending = null;
    if (!(state ? p.has("code") || p.has("error") : p.has("error") && w.opener)) return false;
    try {
      history.replaceState(null, "", l.pathname);
      pending = new URLSearchParams(sessionStorage.getItem(REDIRECT_KEY) || "");
    } catch (e) {
    }
    if (pending && pending.get("state") === state && !w.opener) {
      sessionStorage.setItem(RESULT_KEY, query);
      l.replace(pending.get("return_url") || "/");
      return true;
    }
    var msg = { type: "wl-connect:callback", query };
    try {
      w.opener.postMessage(msg, l.origin);
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
      w.close();
    }, 50);
    return false;
  }

  // www/src/callback.js
  answer(window);
})();
