// The OAuth callback: the page the provider sends the popup (or, in redirect mode, the tab) back
// to, on the site's own origin. Any page that loads wl.js without `data-client-id` and whose URL
// carries the sign-in's `state` and its `code` or `error` is that page, so the callback file is
// one line: <!doctype html><script src="https://LOADER/wl.js"></script> (docs/loader.md).
// It answers at once, synchronously, before any wasm loads:
//  - redirect mode (this tab keeps the pending sign-in with this state in sessionStorage): the
//    answer is left there and the tab returns to the page that started it;
//  - popup: postMessage to the opener (targetOrigin: this origin) and, with a `state`,
//    BroadcastChannel "wl-connect" (which still works when the provider's
//    Cross-Origin-Opener-Policy cut the opener link), then the popup closes itself.
// The OAuth parameters are removed from this page's URL at once.
import { REDIRECT_KEY, RESULT_KEY } from "./stored.js";

/** Answers as the callback when window `w`'s URL is one; true when the tab is leaving (redirect
 * mode), so nothing else should start. */
export function answer(w) {
  // The core asks for the answer in the query (no `response_mode`: RFC 6749's default for `code`).
  // An error without `state` (a provider that dropped it) is answered only to the opener:
  // posted from the popup we opened it counts (the machine checks the source); on the channel,
  // anyone opening callback.html?error=… in a window of the site could end a pending sign-in.
  var l = w.location, query = l.search, p = new URLSearchParams(query), state = p.get("state"), pending = null;
  if (!(state ? p.has("code") || p.has("error") : p.has("error") && w.opener)) return false;
  try {
    history.replaceState(null, "", l.pathname);
    pending = new URLSearchParams(sessionStorage.getItem(REDIRECT_KEY) || "");
  } catch (e) {
    /* keep going */
  }
  if (pending && pending.get("state") === state && !w.opener) {
    sessionStorage.setItem(RESULT_KEY, query);
    l.replace(pending.get("return_url") || "/");
    return true;
  }
  var msg = { type: "wl-connect:callback", query: query };
  try {
    w.opener.postMessage(msg, l.origin);
  } catch (e) {
    /* no opener, or on another origin */
  }
  try {
    if (!state) throw 0;
    var bc = new BroadcastChannel("wl-connect");
    bc.postMessage(msg);
    bc.close();
  } catch (e) {
    /* no BroadcastChannel */
  }
  setTimeout(function () {
    w.close();
  }, 50);
  return false;
}
