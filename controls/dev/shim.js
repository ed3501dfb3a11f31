// A minimal stand-in for the element shim of www/wl.js (docs/contracts.md, "element shim
// protocol"), for the gallery only: defines the elements, imports the controls module once when
// the first element of that kind connects, and forwards the lifecycle to it.
import { paint } from "./paint.js";

const base = new URL("./pkg/", import.meta.url).href;
const kinds = {
  "wl-signin": {
    file: "wl_controls",
    cls: "WlSignin",
    attrs: ["brand", "type", "theme", "size", "shape", "sign-in-text", "sign-out-text",
      "signed-in-text", "signed-out-text", "scope", "locale", "fallback", "mode", "on-signin", "on-signout"],
  },
  "wl-userinfo": { file: "wl_controls", cls: "WlUserinfo", attrs: ["layout", "cid", "locale", "theme"] },
};
const modules = {};
function load(kind) {
  return (modules[kind.file] ||= import(base + kind.file + ".js").then(async (m) => {
    await m.default({ module_or_path: base + kind.file + "_bg.wasm" });
    return m;
  }));
}
for (const [tag, kind] of Object.entries(kinds)) {
  if (customElements.get(tag)) continue;
  customElements.define(tag, class extends HTMLElement {
    static observedAttributes = kind.attrs;
    async connectedCallback() {
      // Drawn at once as wl.js draws it (www/src/paint.js); the control takes this DOM over.
      paint(this, (el, signedIn, opts) => (signedIn ? WL.logout() : WL.login(opts)), window.WL && WL.getSession());
      const m = await load(kind);
      if (!this.isConnected) return;
      this.__wl ||= new m[kind.cls](this);
      this.__wl.connected();
    }
    attributeChangedCallback(name, oldValue, newValue) {
      if (this.__wl) this.__wl.attributeChanged(name, oldValue, newValue);
    }
    disconnectedCallback() {
      if (this.__wl) this.__wl.disconnected();
    }
  });
}
