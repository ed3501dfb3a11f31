// Stands in for pkg/wl_connect_controls.js (the core and both controls in one module) in
// frame.html: the core's `step` of this test binary's wasm, as in wl_connect.js here, plus the
// stand-in control classes of controls.js. Each module records its loading in
// `window.__wlModules`, so the tests see which build wl.js chose.
import init from "/wasm-bindgen-test.js";
export * from "/wasm-bindgen-test.js";
// The effect interpreter, which the build appends to the shipped core (www/src/core.js).
export { machine } from "/www/src/machine.js";
export { WlSignin, WlUserinfo } from "./controls.js";

export default function () {
  (window.__wlModules = window.__wlModules || []).push("wl_connect_controls");
  var m = parent !== window && parent.__wlTestModule;
  return init({ module_or_path: m || "/wasm-bindgen-test_bg.wasm" });
}
