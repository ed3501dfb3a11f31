// The first-frame bench's floor (`cargo xtask bench --only firstframe`, xtask/src/bench/firstframe.rs,
// `Variant::Floor`): the least any loader script can do for the bench page's two controls. It
// reads sessionStorage once, as every loader must to know whether a session is stored (a
// synchronous round trip to the browser), and defines both elements, each drawing a plain
// shadow DOM: no styles, no labels, no attributes, no `WL`. It is loaded the way ours is (from
// the dev host, the page on a third origin), so its time is what the browser takes for a
// cross-origin script that draws two elements; what ours takes beyond it is ours.
(function () {
  try {
    sessionStorage.getItem("wl_connect.session");
  } catch (e) {
    /* no storage: nothing to read */
  }
  function define(tag, html) {
    customElements.define(
      tag,
      class extends HTMLElement {
        connectedCallback() {
          if (!this.shadowRoot) this.attachShadow({ mode: "open" }).innerHTML = html;
        }
      }
    );
  }
  define("wl-signin", '<button type="button">Sign in</button>');
  define("wl-userinfo", "<span>Not signed in</span>");
})();
