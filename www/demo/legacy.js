// legacy.js: the global handlers a 2010 page named on <wl:app onload/onsignedin/onsignedout>.
(function () {
  "use strict";
  function record(type, detail) {
    (window.__wlRecord || function () {})(type, detail);
  }
  function setStatus(text) {
    const el = document.getElementById("legacy-status");
    if (el) el.textContent = text;
  }
  window.contosoLoaded = function () {
    record("legacy.onload", null);
    const signedIn = window.WL && WL.getSession && WL.getSession();
    setStatus(signedIn ? "Signed in (session restored)." : "The loader is ready.");
  };
  window.contosoSignedIn = function () {
    record("legacy.onsignedin", null);
    setStatus("Signed in — onsignedin was called.");
  };
  window.contosoSignedOut = function () {
    record("legacy.onsignedout", null);
    setStatus("Signed out — onsignedout was called.");
  };
})();
