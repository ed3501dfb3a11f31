// Stand-in control classes for the frame tests of wl.js's module choice: they follow the element
// shim protocol (docs/contracts.md) and only mark their element, so a test sees which module's
// class took it over. The real controls are tested in controls/*/tests.
class Control {
  constructor(el) {
    this.el = el;
    el.setAttribute("data-shim", this.constructor.name);
  }
  connected() {
    this.el.setAttribute("data-connected", "");
  }
  disconnected() {}
  attributeChanged() {}
  free() {}
}
export class WlSignin extends Control {}
export class WlUserinfo extends Control {}
