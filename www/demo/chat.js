// Kitchen chat (chat.html): a custom chat UI written only against WL.messenger
// (docs/loader.md, "WL.messenger"): friends with presence, history, sending with a delivered
// tick or the error's code, the typing indicator, and the person's own status.
(function () {
  var M = WL.messenger;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var LABEL = { available: "Available", busy: "Busy", away: "Away", offline: "Offline", appear_offline: "Appear offline" };
  var STATE = {
    idle: "Not connected.",
    connecting: "Connecting…",
    online: "Connected",
    reconnecting: "Connection lost; trying again…",
    needs_consent: "Allow Messenger access to chat (sign in again).",
    failed: "Could not connect to Messenger."
  };
  var me = null, friends = [], current = null, byFriend = {}, unread = {}, typingTimer = null, seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function avatar(e, f) {
    e.textContent = f ? (f.name || "?").trim().charAt(0).toUpperCase() : "";
    e.style.backgroundImage = f && f.picture ? "url(\"" + f.picture.replace(/"/g, "%22") + "\")" : "";
    if (f && f.picture) e.textContent = " ";
    if (f) e.dataset.presence = f.presence;
    else delete e.dataset.presence;
  }
  function friend(id) {
    return friends.filter(function (f) {
      return f.id === id;
    })[0];
  }

  function renderFriends() {
    var ul = $("chat-friends");
    ul.textContent = "";
    // Online first, then by name.
    var rank = function (f) {
      return f.presence === "offline" ? 1 : 0;
    };
    friends.slice().sort(function (a, b) {
      return rank(a) - rank(b) || a.name.localeCompare(b.name);
    }).forEach(function (f) {
      var li = el("li");
      var b = el("button", "chat-friend");
      b.type = "button";
      b.dataset.id = f.id;
      b.dataset.presence = f.presence;
      if (f.id === current) b.setAttribute("aria-current", "true");
      var av = el("span", "chat-avatar");
      av.setAttribute("aria-hidden", "true");
      avatar(av, f);
      var t = el("span", "chat-friend-text");
      t.appendChild(el("span", "chat-friend-name", f.name));
      t.appendChild(el("span", "chat-friend-status", LABEL[f.presence] + (f.here ? " · here now" : "")));
      b.append(av, t);
      if (unread[f.id]) b.appendChild(el("span", "chat-unread", String(unread[f.id])));
      b.addEventListener("click", function () {
        pick(f.id);
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
    if (!friends.length) ul.appendChild(el("li", "muted chat-link", me ? "No friends yet." : ""));
    renderHead();
  }

  function renderHead() {
    var f = current && friend(current);
    $("chat-with").textContent = f ? f.name : "Pick a friend";
    $("chat-with-status").textContent = f ? LABEL[f.presence] : "";
    avatar($("chat-with-avatar"), f);
    var on = !!f && $("chat").dataset.state === "online";
    $("chat-text").disabled = $("chat-send").disabled = !on;
  }

  function time(at) {
    var d = at ? new Date(at) : null;
    return d && !isNaN(d) ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function renderMessages() {
    var ol = $("chat-messages");
    ol.textContent = "";
    var list = (current && byFriend[current]) || [];
    if (current && !list.length) ol.appendChild(el("li", "chat-empty", "No messages yet. Say hello!"));
    list.forEach(function (m) {
      var li = el("li", "chat-msg" + (m.mine ? " mine" : ""));
      li.dataset.status = m.status;
      if (m.id) li.dataset.id = m.id;
      li.appendChild(el("span", "chat-bubble", m.text));
      var meta = el("span", "chat-meta", time(m.at));
      if (m.mine) {
        var tick = { sending: " · sending…", sent: " · ✓ sent", delivered: " · ✓✓ delivered" }[m.status];
        meta.appendChild(el("span", "chat-tick", tick || " · not sent: " + m.error));
      }
      li.appendChild(meta);
      ol.appendChild(li);
    });
    ol.scrollTop = ol.scrollHeight;
  }

  // One message into its conversation (kept in id order; a copy already there is updated).
  function add(m) {
    var mine = me && m.from === me.id;
    var withId = mine ? m.to : m.from;
    var list = byFriend[withId] || (byFriend[withId] = []);
    var old = list.filter(function (x) {
      return (m.id && x.id === m.id) || (m.client_id && x.client_id === m.client_id);
    })[0];
    var status = m.status || (mine ? "sent" : "received");
    if (old) {
      old.id = m.id;
      if (old.status !== "delivered") old.status = status;
    } else {
      list.push({ id: m.id, client_id: m.client_id, text: m.text, at: m.at || m.sent_at, mine: mine, status: status });
    }
    list.sort(function (a, b) {
      return (a.id || 1e15) - (b.id || 1e15);
    });
    return withId;
  }

  function pick(id) {
    current = id;
    unread[id] = 0;
    $("chat-typing").textContent = "";
    $("chat-error").textContent = "";
    renderFriends();
    renderMessages();
    M.history(id, { limit: 50 }).then(function (r) {
      (r.data || []).forEach(add);
      if (current === id) renderMessages();
    }, function (e) {
      $("chat-error").textContent = "Could not load the conversation (" + e.code + ").";
    });
    $("chat-text").focus();
  }

  function send() {
    var ta = $("chat-text"), text = ta.value.trim(), to = current;
    if (!text || !to) return;
    var local = { key: ++seq, text: text, mine: true, status: "sending", at: new Date().toISOString() };
    (byFriend[to] || (byFriend[to] = [])).push(local);
    ta.value = "";
    $("chat-error").textContent = "";
    renderMessages();
    M.send(to, text).then(function (r) {
      local.id = r.id;
      local.client_id = r.client_id;
      local.at = r.at;
      if (local.status !== "delivered") local.status = r.status;
      if (current === to) renderMessages();
    }, function (e) {
      local.status = "failed";
      local.error = e.code;
      if (current === to) {
        renderMessages();
        $("chat-error").textContent = "Not sent: " + e.message + " (" + e.code + ")";
      }
    });
  }

  M.on("state", function (s) {
    $("chat").dataset.state = s.state;
    $("chat-link").textContent = STATE[s.state] + (s.code && s.state === "failed" ? " (" + s.code + ")" : "");
    $("chat-status").disabled = s.state !== "online";
    if (s.state === "online") refresh();
    renderHead();
  });
  M.on("friends", function (list) {
    friends = list;
    renderFriends();
  });
  M.on("presence", function (p) {
    var f = friend(p.id);
    if (f) {
      f.presence = p.presence;
      renderFriends();
    }
  });
  M.on("message", function (m) {
    var withId = add(m);
    if (withId === current) {
      $("chat-typing").textContent = "";
      renderMessages();
    } else if (!m.mine) {
      unread[withId] = (unread[withId] || 0) + 1;
      renderFriends();
    }
  });
  M.on("delivered", function (d) {
    (byFriend[d.to] || []).forEach(function (m) {
      if (m.id === d.id) m.status = "delivered";
    });
    if (d.to === current) renderMessages();
  });
  M.on("typing", function (t) {
    if (t.from !== current) return;
    var f = friend(t.from);
    $("chat-typing").textContent = (f ? f.name : "Your friend") + " is typing…";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      $("chat-typing").textContent = "";
    }, 6000);
  });

  function refresh() {
    M.me().then(function (p) {
      me = p;
      $("chat-me-name").textContent = p ? p.name : "Not signed in";
      if (p) $("chat-status").value = p.presence;
    });
    M.friends().then(function (list) {
      friends = list;
      renderFriends();
    });
  }

  function start() {
    if (WL.getSession()) {
      M.connect().catch(function (e) {
        $("chat-link").textContent = STATE.failed + " (" + e.code + ")";
      });
    }
  }

  $("chat-compose").addEventListener("submit", function (e) {
    e.preventDefault();
    send();
  });
  $("chat-text").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  $("chat-text").addEventListener("input", function () {
    if (current) M.typing(current);
  });
  $("chat-status").addEventListener("change", function (e) {
    M.setPresence(e.target.value);
  });
  WL.Event.subscribe("auth.login", start);
  WL.Event.subscribe("auth.logout", function () {
    M.disconnect();
    me = null;
    friends = [];
    current = null;
    byFriend = {};
    $("chat-me-name").textContent = "Not signed in";
    $("chat-link").textContent = "Sign in to chat with your friends.";
    renderFriends();
    renderMessages();
  });
  start();
})();
