// A stand-in for the wl-connect CORE (window.WL), for the controls' browser tests and the dev
// gallery. It is a test double for the core only: the controls under test are the real ones.
// Control it through window.__wlFake.
(() => {
  const subs = {};
  const fake = {
    session: null,
    calls: [],
    pending: null,
    people: {},
    apiDelay: 0,
    fire(name, value) {
      for (const f of (subs[name] || []).slice()) f(value);
    },
    signIn(session) {
      fake.session = session || { access_token: "fake", scope: ["wl.basic"], expires_in: 3600 };
      fake.fire("auth.sessionChange", fake.session);
      fake.fire("auth.statusChange", { status: "connected", session: fake.session });
    },
    signOut() {
      fake.session = null;
      fake.fire("auth.sessionChange", null);
      fake.fire("auth.statusChange", { status: "notConnected", session: null });
    },
    resolveLogin(session) {
      const p = fake.pending;
      fake.pending = null;
      fake.signIn(session);
      p && p.resolve({ status: "connected", session: fake.session });
    },
    rejectLogin(code) {
      const p = fake.pending;
      fake.pending = null;
      p && p.reject({ code, message: code + " (from the fake core)" });
    },
    subscribers(name) {
      return (subs[name] || []).length;
    },
  };
  window.__wlFake = fake;
  window.WL = {
    login(opts) {
      fake.calls.push({ fn: "login", opts });
      if (fake.pending) fake.rejectLogin("request_canceled");
      return new Promise((resolve, reject) => {
        fake.pending = { resolve, reject };
      });
    },
    logout() {
      fake.calls.push({ fn: "logout" });
      fake.signOut();
      return Promise.resolve({ status: "notConnected", session: null });
    },
    getSession() {
      return fake.session;
    },
    getLoginStatus() {
      return Promise.resolve({
        status: fake.session ? "connected" : "notConnected",
        session: fake.session,
      });
    },
    api(opts) {
      fake.calls.push({ fn: "api", opts });
      const person = fake.people[opts.path];
      const result = person
        ? Promise.resolve(person)
        : Promise.reject({ code: "resource_not_found", message: "no such person" });
      if (!fake.apiDelay) return result;
      return new Promise((r) => setTimeout(r, fake.apiDelay)).then(() => result);
    },
    Event: {
      subscribe(name, f) {
        (subs[name] ||= []).push(f);
      },
      unsubscribe(name, f) {
        subs[name] = (subs[name] || []).filter((g) => g !== f);
      },
    },
  };
})();
