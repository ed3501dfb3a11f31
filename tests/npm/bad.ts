// Must NOT type-check: the npm case runs `tsc` on it and expects these errors, which proves the
// package's types are applied (a missing or `any`-typed WL would let all of this through).
import "wl-connect";

WL.init({ client_id: 42, authority: "https://id.example" });
WL.login({ mode: "window" });
WL.Event.subscribe("auth.nothing", () => {});
const s: WL.Session = WL.getSession();
WL.messenger.setPresence("invisible");
WL.messenger.on("nothing", () => {});
export { s };
