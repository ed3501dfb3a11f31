// Loads the real <wl-bar> module with a minimal element shim (standing in for www/wl.js) and
// puts it into the state named by the query.
import init, { WlBar } from "./pkg/wl_bar.js";

const params = new URLSearchParams(location.search);
const state = params.get("state") || "in";
await init({ module_or_path: new URL("./pkg/wl_bar_bg.wasm", import.meta.url) });
if (params.get("fresh") !== "0") { localStorage.clear(); sessionStorage.clear(); }

customElements.define("wl-bar", class extends HTMLElement {
  static observedAttributes = ["theme", "locale", "sign-in-enabled", "hide-first-run-experience", "on-consent-completed", "hub"];
  connectedCallback() { if (!this.__wl) this.__wl = new WlBar(this); this.__wl.connected(); }
  disconnectedCallback() { this.__wl && this.__wl.disconnected(); }
  attributeChangedCallback(n, o, v) { if (this.__wl) this.__wl.attributeChanged(n, o, v); }
});

const bar = document.createElement("wl-bar");
for (const a of ["theme", "locale"]) if (params.get(a)) bar.setAttribute(a, params.get(a));
document.body.append(bar);

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const root = () => bar.shadowRoot;
const click = (sel) => { const e = root().querySelector(sel); if (e) e.click(); return e; };
await wait(80);
if (state === "chat") {
  click('[data-action=panel][data-id=friends]');
  await wait(20);
  click('button.friend[data-id=bob]');
  await wait(60);
  const ta = root().querySelector('section.win[data-id=bob] textarea');
  ta.value = "On my way!";
  root().querySelector('section.win[data-id=bob] form').requestSubmit();
  await wait(400);
} else if (state === "friends" || state === "share" || state === "activities" || state === "me") {
  click(`[data-action=panel][data-id=${state}]`);
  if (state === "share") {
    await wait(20);
    root().querySelector('input[data-id=bob]').click();
  }
}
await wait(100);
document.documentElement.dataset.ready = "1";
