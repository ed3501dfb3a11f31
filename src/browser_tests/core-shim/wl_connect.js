// Stands in for the built core (pkg/wl_connect.js) in frame.html: wl.js imports
// `<data-modules>wl_connect.js`, and the frame sets data-modules="core-shim/". The core here is the test binary's
// own wasm (it links the wl-connect crate, so it exports the same `step`), instantiated afresh
// for each frame so every test has its own core state.
import init from "/wasm-bindgen-test.js";
export * from "/wasm-bindgen-test.js";
// The effect interpreter, which the build appends to the shipped core (www/src/core.js).
export { machine } from "/www/src/machine.js";

export default function () {
  (window.__wlModules = window.__wlModules || []).push("wl_connect");
  // The parent test page's compiled module, when it shared it; else the file the runner serves.
  var m = parent !== window && parent.__wlTestModule;
  return init({ module_or_path: m || "/wasm-bindgen-test_bg.wasm" });
}
