// contacts.html: just-in-time consent. WL.api("me/contacts") with a session that lacks
// wl.contacts rejects with { code: "insufficient_scope", scope: "wl.contacts" }; the page then
// offers a button whose click handler (a user gesture, so the popup may open) asks for exactly
// that scope with WL.login, and loads the contacts again. Provider text is shown as text only.
(function () {
  "use strict";
  const record = window.__wlRecord || function () {};
  const load = document.getElementById("load-contacts");
  const allow = document.getElementById("allow-contacts");
  const status = document.getElementById("contacts-status");
  const list = document.getElementById("contacts-list");

  function show(contacts) {
    list.replaceChildren();
    contacts.forEach(function (c) {
      const li = document.createElement("li");
      li.textContent = c.name || "(no name)";
      list.appendChild(li);
    });
    status.textContent = contacts.length + " contacts";
  }

  function loadContacts() {
    status.textContent = "Loading…";
    return WL.api({ path: "me/contacts", query: { select: "name", orderby: "name", top: 10 } }).then(
      function (r) {
        const data = (r && r.data) || [];
        record("contacts-loaded", { count: data.length });
        allow.hidden = true;
        show(data);
      },
      function (error) {
        record("contacts-error", error);
        list.replaceChildren();
        if (error && error.code === "insufficient_scope") {
          allow.dataset.scope = error.scope || "wl.contacts";
          allow.hidden = false;
          status.textContent = "This needs access to your contacts.";
        } else {
          allow.hidden = true;
          status.textContent = "Couldn't load your contacts (" + ((error && error.code) || "error") + ").";
        }
      }
    );
  }

  load.addEventListener("click", loadContacts);
  allow.addEventListener("click", function () {
    // Inside the click: WL.login opens its popup synchronously, so it isn't blocked.
    WL.login({ scope: allow.dataset.scope || "wl.contacts" }).then(
      function () {
        record("more-scope-granted", { scope: allow.dataset.scope });
        return loadContacts();
      },
      function (error) {
        record("more-scope-refused", error);
        status.textContent = "Access to your contacts wasn't given (" + ((error && error.code) || "error") + ").";
      }
    );
  });
})();
