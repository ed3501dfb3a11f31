// "Open in a blank page": the snippet in the URL fragment (#<percent-encoded HTML>) becomes
// this page, but only what the Playground's generator (wl_markup::snippet) writes: the loader's
// <script> tag from this site with its data-client-id, data-authority (this dev host's provider
// only) and data-scope, and the controls with their own attributes. The fragment is parsed
// inert (a <template>: nothing runs, nothing loads) and real nodes are built from the allowed
// names and values: a fake form, a meta refresh, an iframe or a link in the URL is dropped
// (docs/security.md, "Forms and pages"). Values are set as attribute text, never parsed as HTML.
(function () {
  "use strict";
  // The attributes the Playground writes: its catalogue (wl_markup::catalogue::CONTROLS, built
  // from the controls' tables in controls/common/src/attrs.rs, without the NOT_OFFERED ones such
  // as the on-signin callbacks); the wl-markup test `blank_page_allows_exactly_the_catalogue`
  // checks this copy against it.
  var CONTROLS = /* controls:begin */{
    "wl-signin": ["brand", "type", "theme", "size", "shape", "sign-in-text", "sign-out-text", "scope", "locale", "fallback", "mode"],
    "wl-userinfo": ["layout", "cid", "locale", "theme"],
    "wl-bar": ["theme", "locale", "sign-in-enabled", "hide-first-run-experience", "on-consent-completed", "hub"]
  }/* controls:end */;
  // The loader tag's attributes, as wl_markup::snippet::script_tag writes them (checked too).
  var LOADER = /* loader:begin */["src", "data-client-id", "data-authority", "data-scope"]/* loader:end */;
  var LOADERS = [location.origin + "/wl.js", location.origin + "/v1/wl.js"];
  var meta = document.querySelector('meta[name="wl-provider"]');
  var provider = meta ? meta.content : "";

  var snippet = "";
  try {
    snippet = decodeURIComponent(location.hash.slice(1));
  } catch (e) {
    snippet = "";
  }
  if (!snippet) return;
  var inert = document.createElement("template");
  inert.innerHTML = snippet;
  var dropped = [];
  var out = document.createDocumentFragment();

  function has(list, v) {
    return list.indexOf(v) >= 0;
  }
  function copyAttrs(from, to, allowed) {
    for (var i = 0; i < from.attributes.length; i++) {
      var a = from.attributes[i];
      if (has(allowed, a.name)) to.setAttribute(a.name, a.value);
      else dropped.push(from.localName + "[" + a.name + "]");
    }
  }
  function loader(el) {
    var src = el.getAttribute("src");
    var url = null;
    try {
      url = src ? new URL(src, location.href).href : null;
    } catch (e) {
      url = null;
    }
    var auth = el.getAttribute("data-authority");
    if (!url || !has(LOADERS, url) || el.textContent.trim() || (auth !== null && auth !== provider)) {
      dropped.push("script");
      return null;
    }
    var s = document.createElement("script");
    copyAttrs(el, s, LOADER);
    s.src = url;
    s.async = false;
    return s;
  }

  var nodes = inert.content.childNodes;
  for (var i = 0; i < nodes.length; i++) {
    var n = nodes[i];
    if (n.nodeType === 3 && !n.data.trim()) {
      out.appendChild(document.createTextNode("\n"));
      continue;
    }
    if (n.nodeType !== 1) {
      if (n.nodeType === 3) dropped.push("text");
      continue;
    }
    var tag = n.localName;
    var el = null;
    if (tag === "script") {
      el = loader(n);
    } else if (Object.prototype.hasOwnProperty.call(CONTROLS, tag)) {
      el = document.createElement(tag);
      copyAttrs(n, el, CONTROLS[tag]);
      if (n.childNodes.length) dropped.push(tag + " content");
    } else {
      dropped.push(tag);
    }
    if (el) out.appendChild(el);
  }
  document.body.appendChild(out);
  if (dropped.length && window.console) {
    console.warn("wl-connect Playground: left out what its snippets never contain: " + dropped.join(", "));
  }
})();
