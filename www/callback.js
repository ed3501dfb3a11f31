/*! wl-connect OAuth callback (served next to wl.js, on the site's own origin).
 * Hands the provider's answer (code/state or error) to the page that asked for it:
 *  - popup: postMessage to window.opener (targetOrigin = this origin) and BroadcastChannel
 *    "wl-connect" (which still works when the provider's Cross-Origin-Opener-Policy cut the
 *    opener link), then closes itself;
 *  - redirect: leaves the answer in sessionStorage and returns to the page that started it.
 * The OAuth parameters are removed from this page's URL at once. An external script so a
 * strict CSP (script-src 'self') works. */
(function () {
  "use strict";
  var query = location.search || (location.hash.indexOf("state=") >= 0 ? "?" + location.hash.slice(1) : "");
  var params = new URLSearchParams(query);
  var state = params.get("state");
  try {
    history.replaceState(null, "", location.pathname);
  } catch (e) {
    /* keep going */
  }
  var msg = { type: "wl-connect:callback", query: query };

  // Redirect mode: the page kept its pending sign-in (with this state) in sessionStorage.
  var pending = null;
  try {
    pending = new URLSearchParams(sessionStorage.getItem("wl_connect.redirect") || "");
  } catch (e) {
    pending = null;
  }
  if (state && pending && pending.get("state") === state && !window.opener) {
    sessionStorage.setItem("wl_connect.redirect_result", query);
    location.replace(pending.get("return_url") || "/");
    return;
  }

  var delivered = false;
  try {
    if (window.opener && window.opener !== window) {
      window.opener.postMessage(msg, location.origin);
      delivered = true;
    }
  } catch (e) {
    /* the opener is gone or on another origin */
  }
  try {
    var bc = new BroadcastChannel("wl-connect");
    bc.postMessage(msg);
    bc.close();
    delivered = true;
  } catch (e) {
    /* no BroadcastChannel */
  }
  var text = function (t) {
    var el = document.getElementById("wl-callback-status");
    if (el) el.textContent = t;
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      text(delivered ? "Signed in. You can close this window." : "Sign-in could not be handed back to the page.");
    });
  }
  setTimeout(function () {
    window.close();
  }, 50);
})();
