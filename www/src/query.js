// Query strings: the core reads and returns their parameters as plain objects; the platform
// parses and encodes them (docs/loader.md, "What the core decides").

/** A query string's parameters as an object. */
export function params(s) {
  return Object.fromEntries(new URLSearchParams(s || ""));
}

/** An object's pairs as a query string (or form body). */
export function encode(o) {
  return "" + new URLSearchParams(o);
}

/** `url` with the parameters of `o` appended to its own. */
export function withQuery(url, o) {
  var u = new URL(url);
  for (var k in o) u.searchParams.append(k, o[k]);
  return u.href;
}

// WL.api's `query`: the OData option names the API takes get their `$` (no `expand` or `search`:
// no endpoint has them, docs/loader.md), arrays are joined with commas, values
// other than strings go as JSON (undefined and functions are left out).
var ODATA = /^(filter|select|orderby|top|skip|count|format|type)$/;

/** The pairs of a `WL.api` call's `query` option. */
export function apiQuery(o) {
  var x = (o && o.query) || {}, q = {};
  Object.keys(x).forEach(function (k) {
    var v = x[k];
    v = Array.isArray(v) ? v.join(",") : typeof v == "string" ? v : JSON.stringify(v);
    if (v != null) q[ODATA.test(k) ? "$" + k : k] = v;
  });
  return q;
}
