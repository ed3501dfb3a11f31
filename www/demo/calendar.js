// calendar.html: just-in-time consent for writing. The page signs in with wl.calendars (read)
// and lists the next 30 days of the person's default calendar. "Add event" needs
// wl.calendars_update: when the session lacks it, the click handler (a user gesture, so the
// popup may open) asks for that scope alone with WL.login, then creates the event with
// WL.api({ method: "POST" }) and lists the calendar again. Provider text is shown as text only.
(function () {
  "use strict";
  const record = window.__wlRecord || function () {};
  const WRITE = "wl.calendars_update";
  const status = document.getElementById("calendar-status");
  const list = document.getElementById("event-list");
  const form = document.getElementById("add-form");
  const addStatus = document.getElementById("add-status");
  const day = document.getElementById("event-day");
  let calendarId = null;

  const pad = (n) => String(n).padStart(2, "0");
  const isoDay = (d) => d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  day.value = isoDay(new Date(Date.now() + 86400000));

  function when(text) {
    // The API answers UTC as YYYY-MM-DDTHH:MM:SS+0000; show it in the reader's time zone.
    const d = new Date(String(text).replace(/\+0000$/, "Z"));
    return isNaN(d) ? String(text) : d.toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  function show(events) {
    list.replaceChildren();
    events.forEach(function (e) {
      const li = document.createElement("li");
      const t = document.createElement("time");
      t.dateTime = String(e.start_time || "").replace(/\+0000$/, "Z");
      t.textContent = when(e.start_time);
      const name = document.createElement("span");
      name.className = "what";
      name.textContent = e.name || "(no title)";
      li.append(t, name);
      if (e.location) {
        const where = document.createElement("span");
        where.className = "where";
        where.textContent = e.location;
        li.append(where);
      }
      list.appendChild(li);
    });
    status.textContent = events.length ? events.length + " events" : "Nothing planned yet.";
  }

  function load() {
    if (!WL.getSession()) return Promise.resolve();
    status.textContent = "Loading…";
    return WL.api({ path: "me/calendars", query: { filter: "is_default eq true", select: "id,name" } })
      .then(function (r) {
        const cal = r && r.data && r.data[0];
        if (!cal) throw { code: "no_calendar" };
        calendarId = cal.id;
        const now = new Date();
        return WL.api({
          path: "me/calendars/" + encodeURIComponent(cal.id) + "/events",
          query: {
            start_time: now.toISOString().replace(/\.\d+Z$/, "Z"),
            end_time: new Date(now.getTime() + 30 * 86400000).toISOString().replace(/\.\d+Z$/, "Z"),
            orderby: "start_time",
            select: ["id", "name", "start_time", "location"],
          },
        });
      })
      .then(function (r) {
        const data = (r && r.data) || [];
        record("events-loaded", { count: data.length, names: data.map((e) => e.name) });
        show(data);
      }, function (error) {
        record("events-error", error);
        list.replaceChildren();
        status.textContent = "Couldn't load your calendar (" + ((error && error.code) || "error") + ").";
      });
  }

  function create() {
    const start = new Date(day.value + "T" + document.getElementById("event-start").value);
    const hours = Number(document.getElementById("event-hours").value) || 1;
    if (isNaN(start)) {
      addStatus.textContent = "Pick a day and a time.";
      return Promise.resolve();
    }
    const body = {
      name: document.getElementById("event-name").value,
      start_time: start.toISOString(),
      end_time: new Date(start.getTime() + hours * 3600000).toISOString(),
      location: "Kitchen",
    };
    addStatus.textContent = "Adding…";
    return WL.api({ path: "me/calendars/" + encodeURIComponent(calendarId) + "/events", method: "POST", body: body })
      .then(function (event) {
        record("event-created", { id: event.id, name: event.name });
        addStatus.textContent = "Added “" + event.name + "”.";
        return load();
      }, function (error) {
        record("event-error", error);
        addStatus.textContent = "Couldn't add the event (" + ((error && (error.message || error.code)) || "error") + ").";
      });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const session = WL.getSession();
    if (!session || !calendarId) {
      addStatus.textContent = "Sign in first.";
      return;
    }
    const scopes = [].concat(session.scope || []);
    if (scopes.indexOf(WRITE) >= 0) {
      create();
      return;
    }
    // Inside the submit (a user gesture): WL.login opens its popup synchronously.
    addStatus.textContent = "Asking for permission to add to your calendar…";
    WL.login({ scope: WRITE }).then(
      function () {
        record("more-scope-granted", { scope: WRITE });
        return create();
      },
      function (error) {
        record("more-scope-refused", error);
        addStatus.textContent = "Permission to add events wasn't given (" + ((error && error.code) || "error") + ").";
      }
    );
  });

  WL.Event.subscribe("auth.login", function () {
    load();
  });
  WL.Event.subscribe("auth.logout", function () {
    calendarId = null;
    list.replaceChildren();
    status.textContent = "Sign in to see your calendar.";
  });
  load();
})();
