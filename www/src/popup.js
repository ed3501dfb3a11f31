// The sign-in popup, opened synchronously inside the caller's click (browsers block it later,
// so this cannot wait for the core): centred, 525×525, a fresh name each time.

var popups = 0;

/** Opens an empty popup over window `w`; `null` when the browser blocked it. */
export function openPopup(w) {
  var W = 525, H = 525;
  var left = (w.screenX || 0) + Math.max(0, ((w.outerWidth || W) - W) / 2);
  var top = (w.screenY || 0) + Math.max(0, ((w.outerHeight || H) - H) / 2);
  try {
    return w.open("", "wl_login_" + ++popups, "popup=yes,width=" + W + ",height=" + H + ",left=" + Math.round(left) + ",top=" + Math.round(top));
  } catch (e) {
    return null;
  }
}
