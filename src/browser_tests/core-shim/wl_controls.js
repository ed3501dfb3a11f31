// Stands in for pkg/wl_controls.js (the controls alone, fetched when a control appears on a page
// that loaded the core alone) in frame.html: the stand-in classes of controls.js.
export { WlSignin, WlUserinfo } from "./controls.js";

export default function () {
  (window.__wlModules = window.__wlModules || []).push("wl_controls");
  return Promise.resolve();
}
