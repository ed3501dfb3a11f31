// The first paint (issue 12 §4): a <wl-signin> or <wl-userinfo> is drawn the moment it connects
// (signed out, or the button saying "Sign out" when a session is stored), from the data the build
// generates from the controls' own tables (paint-data.js), without waiting for its wasm module. The module then adopts this shadow DOM and its sheet (it
// builds none of its own), so nothing flashes and nothing moves. A click before the module is
// there signs in already: `WL.login` opens the popup in the click.
import { SIGNIN_CSS, USERINFO_CSS, CHOICES, LABELS, LOGO } from "./paint-data.js";

var sheets = {};
// The table's own entry for `k` (never an inherited `constructor` or `__proto__`).
var own = function (o, k) {
  return {}.hasOwnProperty.call(o, k) ? o[k] : null;
};
// A language tag's primary subtag, lower-cased ("pt-BR", "pt_br" → "pt"); no regular expression
// on the first paint's path (compiling one costs more than the split).
var primary = function (t) {
  return (t || "").trim().split("-")[0].split("_")[0].toLowerCase();
};
// Each control's shadow DOM as `[tag, {attribute: value}, [child, …]]` (the logo's from the
// build, paint-data.js), built with the DOM's own calls and never parsed from markup: a page
// that enforces Trusted Types (`require-trusted-types-for 'script'`) refuses `innerHTML`, and
// was left with empty controls.
var SIGNIN = [
  ["button", { class: "b", part: "button", type: "button" }, [
    ["span", { class: "ic", part: "icon" }, [LOGO]],
    ["span", { class: "sp", "aria-hidden": "true" }],
    ["span", { class: "l", part: "label" }]
  ]],
  ["span", { class: "vh", role: "status" }]
];
var USERINFO = [
  ["div", { class: "u", part: "container", hidden: "", "aria-busy": "true" }, [
    ["img", { class: "pic", part: "picture", alt: "", decoding: "async", referrerpolicy: "no-referrer", hidden: "" }],
    ["span", { class: "pic mono", part: "picture", "aria-hidden": "true" }],
    ["span", { class: "tx" }, [["span", { class: "n", part: "name" }], ["span", { class: "st", part: "detail" }]]]
  ]],
  ["slot", {}]
];
// One of those in document `doc` (SVG's inside an <svg>).
var build = function (doc, n, ns) {
  var el = (ns = n[0] == "svg" ? "http://www.w3.org/2000/svg" : ns) ? doc.createElementNS(ns, n[0]) : doc.createElement(n[0]);
  for (var k in n[1]) el.setAttribute(k, n[1][k]);
  (n[2] || []).forEach(function (c) {
    el.appendChild(build(doc, c, ns));
  });
  return el;
};

/** Draws `el` (a <wl-signin> or <wl-userinfo>) as `session` says (`WL.getSession()`: the stored
 * session before the core is there), unless it has its shadow DOM already; `click(el, session,
 * opts)` is called on a click before the module took the element over. With `warn` (the module
 * is not coming now), it says on the console what the control would about its attributes: an
 * unknown value, a locale without labels, `type="custom"` without its texts (the same words). */
export function paint(el, click, session, warn) {
  var a = function (n) {
    var v = el.getAttribute(n);
    return v && v.trim();
  };
  var say = function (m) {
    if (warn) console.warn("<" + el.localName + ">: " + m);
  };
  var pick = function (table, n) {
    var t = CHOICES[table], v = own(t, (a(n) || "").toLowerCase());
    if (!v && a(n)) say("unknown " + n + ' "' + el.getAttribute(n) + '"; using "' + t[""] + '"');
    return v || t[""];
  };
  var signin = el.localName == "wl-signin";
  var root = el.shadowRoot || el.attachShadow({ mode: "open" });
  // Drawn already (here, then the module: both keep the adopted sheet), or not: a first paint the
  // page itself wrote (a declarative shadow root, whose sheet is a <style>:
  // playground/markup/src/first_paint.rs), however it was indented, is drawn again. Its button,
  // clicked before this script ran, opened its popover (no script needed): that click is made
  // again below, once wl.js has set up, while its user activation lasts (the popup needs it).
  if (root.adoptedStyleSheets.length) return;
  var early = root.querySelector("[popover]");
  try {
    early = signin && !session && early && early.matches(":popover-open");
  } catch (e) {
    early = 0;
  }
  root.textContent = "";
  if (a("locale") && !own(LABELS, primary(a("locale")))) say('no labels for locale "' + a("locale") + '"; using English');
  var css = signin ? SIGNIN_CSS : USERINFO_CSS;
  if (!sheets[css]) (sheets[css] = new CSSStyleSheet()).replaceSync(css);
  root.adoptedStyleSheets = [sheets[css]];
  (signin ? SIGNIN : USERINFO).forEach(function (n) {
    root.appendChild(build(el.ownerDocument, n));
  });
  var top = root.firstChild;
  if (!signin) {
    top.className = "u " + pick("layout", "layout") + (pick("card", "theme") == "dark" ? " t-dark" : "") + " sk";
    return;
  }
  // The language: `locale`, else the page's nearest `lang`, on the primary subtag; else English.
  var lang = [a("locale"), (el.closest("[lang]") || el).getAttribute("lang")].map(primary).filter(function (t) {
    return own(LABELS, t);
  })[0] || "en";
  top.className = "b t-" + pick("theme", "theme") + " s-" + pick("size", "size") + " p-" + pick("shape", "shape") + " g-" + pick("brand", "brand");
  top.setAttribute("lang", lang);
  var type = pick("type", "type"), texts = [a("sign-in-text") || a("signed-out-text"), a("sign-out-text") || a("signed-in-text")];
  pick("fallback", "fallback");
  pick("mode", "mode");
  if (type == "custom") {
    ["sign-in-text", "sign-out-text"].forEach(function (n, i) {
      if (!texts[i]) say('type="custom" needs a ' + n + " attribute; using the default label");
    });
  }
  top.children[2].textContent = texts[session ? 1 : 0] || LABELS[lang][type][session ? 1 : 0];
  top.onclick = function () {
    if (!el.__wl) {
      click(el, session, {
        scope: a("scope") || undefined,
        fallback: pick("fallback", "fallback") == "redirect" ? "redirect" : undefined,
        mode: pick("mode", "mode") == "redirect" ? "redirect" : undefined
      });
    }
  };
  // (after wl.js's task: `WL` configured, the element waiting for its module; an activation that
  // ran out, 5 s in Chromium, would only have the popup blocked, so the button waits for a click)
  if (early) {
    queueMicrotask(function () {
      var ua = navigator.userActivation;
      if (!ua || ua.isActive) top.onclick();
    });
  }
}
