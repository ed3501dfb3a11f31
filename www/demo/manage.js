// manage.html: managing data, not only reading it. The contacts come from
// WL.api("me/contacts"); Edit opens a form whose Save sends WL.api({ method: "PATCH",
// path: "me/contacts/{id}", body }) (a JSON merge patch of the two names) and whose Delete
// sends WL.api({ method: "DELETE", path: "me/contacts/{id}" }). WL.api sends no If-Match, so
// the writes are unconditional (the provider allows that; see docs/api.md). The invite form
// sends WL.api({ method: "POST", path: "me/invitations", body: { email } }); the answer is the
// same whether the address is a member's or not. Provider text is shown as text only.
(function () {
  "use strict";
  const record = window.__wlRecord || function () {};
  const $ = function (id) {
    return document.getElementById(id);
  };
  const status = $("contacts-status");
  const list = $("contacts-list");
  const form = $("edit-form");
  let editing = null;

  function failed(what, error) {
    return "Couldn't " + what + " (" + ((error && error.code) || "error") + ").";
  }

  function show(contacts) {
    list.replaceChildren();
    contacts.forEach(function (c) {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.className = "contact-name";
      name.textContent = c.name || "(no name)";
      const edit = document.createElement("button");
      edit.type = "button";
      edit.className = "plain";
      edit.textContent = "Edit";
      edit.setAttribute("aria-label", "Edit " + (c.name || "contact"));
      edit.dataset.id = c.id;
      edit.addEventListener("click", function () {
        editing = c;
        $("edit-title").textContent = "Edit " + (c.name || "contact");
        $("edit-first").value = c.first_name || "";
        $("edit-last").value = c.last_name || "";
        form.hidden = false;
        $("edit-first").focus();
      });
      li.append(name, " ", edit);
      list.appendChild(li);
    });
    status.textContent = contacts.length + " contacts";
  }

  function loadContacts() {
    status.textContent = "Loading…";
    return WL.api({
      path: "me/contacts",
      query: { select: "id,name,first_name,last_name", orderby: "name", top: 20 }
    }).then(
      function (r) {
        const data = (r && r.data) || [];
        record("contacts-loaded", { count: data.length });
        show(data);
      },
      function (error) {
        record("contacts-error", error);
        status.textContent = failed("load your contacts", error);
      }
    );
  }

  function done(event, message) {
    return function () {
      record(event, { id: editing && editing.id });
      form.hidden = true;
      editing = null;
      return loadContacts().then(function () {
        status.textContent = message + " " + status.textContent;
      });
    };
  }

  $("load-contacts").addEventListener("click", loadContacts);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!editing) return;
    WL.api({
      method: "PATCH",
      path: "me/contacts/" + editing.id,
      body: { first_name: $("edit-first").value, last_name: $("edit-last").value }
    }).then(done("contact-saved", "Saved."), function (error) {
      record("contact-error", error);
      status.textContent = failed("save the contact", error);
    });
  });
  $("edit-delete").addEventListener("click", function () {
    if (!editing) return;
    WL.api({ method: "DELETE", path: "me/contacts/" + editing.id }).then(
      done("contact-deleted", "Deleted."),
      function (error) {
        record("contact-error", error);
        status.textContent = failed("delete the contact", error);
      }
    );
  });
  $("edit-cancel").addEventListener("click", function () {
    form.hidden = true;
    editing = null;
  });
  $("invite-form").addEventListener("submit", function (e) {
    e.preventDefault();
    const email = $("invite-email").value;
    WL.api({ method: "POST", path: "me/invitations", body: { email: email } }).then(
      function (inv) {
        record("invitation-sent", { id: inv && inv.id });
        $("invite-status").textContent =
          "Invitation sent to " + ((inv && inv.email) || email) + ". They will find it when they sign in to wl-connect.";
      },
      function (error) {
        record("invitation-error", error);
        $("invite-status").textContent = failed("send the invitation", error);
      }
    );
  });
})();
