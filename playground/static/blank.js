// Writes the snippet in the URL fragment (#<percent-encoded HTML>) into the page, right after
// this script, with document.write: its <script> tags run as they would in a pasted page.
(function () {
  "use strict";
  var snippet = "";
  try {
    snippet = decodeURIComponent(location.hash.slice(1));
  } catch (e) {
    snippet = "";
  }
  if (snippet) document.write(snippet);
})();
