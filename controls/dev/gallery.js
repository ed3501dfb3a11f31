// Builds the gallery: every theme × size × shape × brand, the label types and locales, the busy
// and pop-up-blocked states, and <wl-userinfo> in both layouts. ?state=in signs the fake in.
const params = new URLSearchParams(location.search);
const signedIn = params.get("state") === "in";
if (params.get("zoom") === "2") document.documentElement.classList.add("zoom2"); // for close-up screenshots
const fake = window.__wlFake;
const here = new URL(".", location.href).href;
fake.people.me = { id: "alice", name: "Alice Liddell", first_name: "Alice", last_name: "Liddell", picture: here + "avatar.svg" };
fake.people.bob = { id: "bob", name: "Bob Martin", first_name: "Robert", last_name: "Martin", picture: here + "avatar2.svg", status: "Available" };
fake.people.mallory = { id: "mallory", name: "<img src=x onerror=alert(1)>" };
fake.people["no-picture"] = { id: "np", name: "Zoë Nakamura", first_name: "Zoë", last_name: "Nakamura" };
if (signedIn) fake.session = { access_token: "fake", scope: ["wl.basic"], expires_in: 3600 };
document.getElementById("state").textContent = signedIn ? "Signed in as Alice (fake core)" : "Signed out (fake core)";

const main = document.getElementById("main");
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
// ?only=N shows only the N-th section (0-based), for close-up screenshots.
const only = params.has("only") ? Number(params.get("only")) : -1;
let sectionCount = 0;
const section = (title, cls) => {
  const s = el("section", cls ? { class: cls } : {});
  if (only >= 0 && sectionCount !== only) s.hidden = true;
  sectionCount++;
  s.append(el("h2", {}, title));
  main.append(s);
  return s;
};

const themes = ["blue", "white", "dark", "light"];
const sizes = ["small", "medium", "large"];
const shapes = ["rect", "pill"];

function matrix(parent, brand) {
  const g = el("div", { class: "grid" });
  g.append(el("span"));
  for (const shape of shapes) for (const size of sizes) g.append(el("span", { class: "th" }, `${size} ${shape}`));
  for (const theme of themes) {
    g.append(el("span", { class: "th" }, theme));
    for (const shape of shapes) for (const size of sizes) g.append(el("wl-signin", { brand, theme, size, shape }));
  }
  parent.append(g);
}

for (const brand of ["windows", "messenger", "none"]) {
  const s = section(`<wl-signin brand="${brand}">`);
  matrix(s, brand);
}

const d = section("On a dark page", "dark");
const row = el("div", { class: "row" });
for (const theme of themes) for (const brand of ["windows", "messenger"]) row.append(el("wl-signin", { theme, brand }));
d.append(row);
const drow = el("div", { class: "row" });
drow.append(el("wl-userinfo", { theme: "dark" }), el("wl-userinfo", { theme: "dark", layout: "full", cid: "bob" }));
d.append(drow);

const t = section("Types and locales");
for (const locale of ["en", "fr", "de", "es", "it"]) {
  t.append(el("h3", {}, locale));
  const r = el("div", { class: "row" });
  for (const type of ["signin", "login", "connect"]) r.append(el("wl-signin", { type, locale, theme: "white" }));
  r.append(el("wl-signin", { type: "custom", locale, "sign-in-text": "Join the club", "sign-out-text": "Leave the club", theme: "dark", shape: "pill" }));
  t.append(r);
}

t.append(el("h3", {}, "custom properties and ::part"));
const cr = el("div", { class: "row" });
cr.append(el("wl-signin", { class: "custom" }), el("wl-signin", { class: "custom", size: "large", brand: "messenger" }));
t.append(cr);

if (!signedIn) {
  const st = section("States");
  const r = el("div", { class: "row" });
  const blocked = el("wl-signin", { id: "blocked" });
  const busy = el("wl-signin", { id: "busy", theme: "white" });
  const busyPill = el("wl-signin", { id: "busy2", theme: "dark", shape: "pill", brand: "messenger" });
  const focus = el("wl-signin", { id: "focus", theme: "white" });
  for (const [label, e] of [["pop-up blocked", blocked], ["busy", busy], ["busy (dark pill)", busyPill], ["keyboard focus", focus]]) {
    const c = el("div", { class: "cell" });
    c.append(el("small", {}, label), e);
    r.append(c);
  }
  st.append(r);
  // Drive the states once the module is up.
  customElements.whenDefined("wl-signin").then(() => setTimeout(() => {
    const btn = (e) => e.shadowRoot && e.shadowRoot.querySelector("button");
    btn(blocked).click();
    fake.rejectLogin("popup_blocked");
    btn(busyPill).click();
    fake.pending = null; // leave it pending forever
    btn(busy).click();
    fake.pending = null;
    btn(focus).focus({ focusVisible: true, preventScroll: true });
  }, 300));
}

const u = section("<wl-userinfo>");
const ur = el("div", { class: "row" });
const cases = [
  ["compact", {}],
  ["full", { layout: "full" }],
  ["cid=bob compact", { cid: "bob" }],
  ["cid=bob full", { cid: "bob", layout: "full" }],
  ["no picture, full", { cid: "no-picture", layout: "full" }],
  ["provider name with markup", { cid: "mallory" }],
  ["full, fr", { layout: "full", locale: "fr" }],
  ["styled with custom properties", { layout: "compact", class: "card" }],
];
for (const [label, attrs] of cases) {
  const c = el("div", { class: "cell" });
  const ui = el("wl-userinfo", attrs);
  ui.append(el("span", {}, "Guest (slotted fallback)"));
  c.append(el("small", {}, label), ui);
  ur.append(c);
}
u.append(ur);

await import("./shim.js");
