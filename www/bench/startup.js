// Resolves `window.__bench` with the milliseconds from DOMContentLoaded to the moment the
// <wl-signin> button exists in its shadow root and is enabled (clickable).
window.__bench = new Promise((resolve) => {
  document.addEventListener("DOMContentLoaded", () => {
    const start = performance.now();
    const check = () => {
      const el = document.querySelector("wl-signin");
      const button = el && el.shadowRoot && el.shadowRoot.querySelector("button");
      if (button && !button.disabled) {
        resolve({ clickable_ms: performance.now() - start });
      } else {
        setTimeout(check, 1);
      }
    };
    check();
  });
});
