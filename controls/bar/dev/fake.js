// The gallery's fake core and fake hub: enough of `window.WL` and of the messenger hub protocol
// (docs/messenger.md) to put the real <wl-bar> into every state. Not shipped.
(function () {
  "use strict";
  const params = new URLSearchParams(location.search);
  const state = params.get("state") || "in";
  const signedIn = state !== "out";
  const subs = {};
  let session = signedIn ? { access_token: "fake", scope: ["wl.signin", "wl.basic", "wl.messenger", "wl.share"] } : null;
  if (params.get("scope") === "basic" && session) session.scope = ["wl.signin", "wl.basic"];
  const now = Date.now();
  const iso = (minsAgo) => new Date(now - minsAgo * 60000).toISOString();
  window.WL = {
    getSession: () => session,
    login: () => { session = { access_token: "fake", scope: ["wl.messenger"] }; (subs["auth.sessionChange"] || []).forEach(f => f(session)); return Promise.resolve({ status: "connected", session }); },
    logout: () => { session = null; (subs["auth.logout"] || []).forEach(f => f(null)); return Promise.resolve(); },
    getProvider: () => Promise.resolve({ messenger_hub: "ws://fake.invalid/v1/hub" }),
    api: (o) => Promise.resolve(o.path === "me/feed" ? { data: [
      { type: "Share", actor: { name: "Bob Brown" }, object: { type: "Link", href: "https://contoso.example/recipes/panzanella", name: "Summer panzanella" }, content: "Made this last night — so good.", published: iso(12) },
      { type: "Create", actor: { name: "Dora Diaz" }, object: { type: "Note", content: "Looking for a good sourdough starter, any tips?" }, published: iso(95) },
      { type: "Share", actor: { name: "<img src=x onerror=alert(1)>" }, object: "https://contoso.example/bread", published: iso(300) },
    ] } : { id: "ok" }),
    Event: {
      subscribe: (n, f) => (subs[n] = subs[n] || []).push(f),
      unsubscribe: (n, f) => { subs[n] = (subs[n] || []).filter(g => g !== f); },
    },
  };
  const friends = [
    { id: "bob", name: "Bob Brown", presence: "busy" },
    { id: "carol", name: "Carol Chen", presence: "available" },
    { id: "dora", name: "Dora Diaz", presence: "away" },
    { id: "mallory", name: "<img src=x onerror=alert(1)>", presence: "offline" },
    { id: "erik", name: "Erik Evans", presence: "offline" },
  ];
  class FakeSocket extends EventTarget {
    constructor(url) {
      super();
      this.url = url; this.readyState = 0;
      setTimeout(() => { this.readyState = 1; this.dispatchEvent(new Event("open")); }, 10);
    }
    push(frame) { const e = new MessageEvent("message", { data: JSON.stringify(frame) }); this.dispatchEvent(e); }
    send(text) {
      const f = JSON.parse(text);
      if (f.type === "hello") {
        this.push({ type: "welcome", v: 1, me: { id: "alice", name: "Alice Anderson", presence: "available" }, friends, last_id: 0 });
        if (state === "chat") {
          setTimeout(() => this.push({ type: "message", id: 41, from: "carol", to: "alice", text: "Are we still cooking on Friday?", at: iso(3) }), 20);
        }
      } else if (f.type === "history") {
        const msgs = f.with === "bob" ? [
          { id: 30, from: "bob", to: "alice", text: "Did you try the pumpkin soup?", at: iso(20) },
          { id: 31, from: "alice", to: "bob", text: "Yes! With extra garlic.", at: iso(19) },
          { id: 32, from: "bob", to: "alice", text: "Here's the recipe I told you about: https://contoso.example/recipes/soup", at: iso(18) },
        ] : [];
        setTimeout(() => this.push({ type: "history", with: f.with, messages: msgs, more: f.with === "bob" }), 10);
      } else if (f.type === "send") {
        const id = 100 + Math.floor(Math.random() * 1000);
        setTimeout(() => this.push({ type: "sent", client_id: f.client_id, id, at: new Date().toISOString() }), 50);
        setTimeout(() => this.push({ type: "delivered", id, to: f.to }), 150);
        setTimeout(() => this.push({ type: "typing", from: f.to }), 300);
      }
    }
    close() { this.readyState = 3; }
  }
  FakeSocket.OPEN = 1;
  window.WebSocket = FakeSocket;
})();
