// A bundler user's app: `npm install wl-connect`, import it, bundle with esbuild. It touches
// every documented method, option and event of wl.d.ts so that `tsc --noEmit` checks the types
// a user sees (the e2e case `npm::packed_loader_bundles_type_checks_and_signs_in`).
import "wl-connect";

// The test writes these into config.ts: the provider, the app registered for this origin.
import { AUTHORITY, CLIENT_ID } from "./config";

const options: WL.InitOptions = {
  client_id: CLIENT_ID,
  authority: AUTHORITY,
  scope: ["wl.signin", "wl.basic"],
  redirect_uri: "/callback.html",
  response_type: "code",
  logging: true,
  status: true,
  storage: "session",
  mode: "popup",
  timeout: 600_000,
};

const seen: string[] = [];
const onLog = (entry: WL.LogEntry): void => {
  const code: WL.ErrorCode | undefined = entry.code;
  seen.push(`wl.log:${entry.level}:${code ?? ""}`);
};
WL.Event.subscribe("auth.login", (s: WL.Session) => seen.push(`auth.login:${s.token_type}`));
WL.Event.subscribe("auth.logout", (_: null) => seen.push("auth.logout"));
WL.Event.subscribe("auth.sessionChange", (s: WL.Session | null) => seen.push(`auth.sessionChange:${s ? "in" : "out"}`));
WL.Event.subscribe("auth.statusChange", (st: WL.LoginStatus) => seen.push(`auth.statusChange:${st.status}`));
WL.Event.subscribe("wl.log", onLog);
WL.Event.unsubscribe("wl.log", onLog);
WL.Event.subscribe("wl.log", onLog);

document.addEventListener("wl-login", (e) => seen.push(`wl-login:${e.detail.access_token.length > 0}`));
document.addEventListener("wl-logout", (e) => seen.push(`wl-logout:${e.detail}`));
document.addEventListener("wl-error", (e) => seen.push(`wl-error:${e.detail.code}`));

async function main(): Promise<void> {
  const status: WL.LoginStatus = await WL.init(options);
  const s: WL.Status = status.status;
  seen.push(`init:${s}`);
  const current: WL.Session | null = WL.getSession();
  const again: WL.LoginStatus = await WL.getLoginStatus();
  const provider: WL.Provider = await WL.getProvider();
  const hub: string | null = provider.messenger_hub;
  // `api_base` is left out by a provider without the Live-style data API (docs/loader.md).
  seen.push(`provider:${provider.issuer === AUTHORITY}:${(provider.api_base ?? "").length > 0}:${hub === null || hub.length > 0}`);
  const button: HTMLElement = await WL.ui({
    name: "signin",
    element: "signin-here",
    brand: "windows",
    type: "signin",
    theme: "blue",
    size: "medium",
    shape: "rect",
    sign_in_text: "Sign in",
    sign_out_text: "Sign out",
    scope: "wl.basic",
    locale: "en",
    onloggedin: (session: WL.Session) => seen.push(`onloggedin:${session.scope.includes("wl.basic")}`),
    onloggedout: () => seen.push("onloggedout"),
    onerror: (error: WL.Error) => seen.push(`onerror:${error.code}:${error.scope ?? ""}`),
  });
  const card: HTMLElement = await WL.ui({ name: "userinfo", element: document.body, layout: "full" });
  const tag: HTMLElement = document.createElement("wl-signin");
  seen.push(`ui:${button.tagName}:${card.tagName}:${tag.tagName}:${current === null}:${again.status}`);
}

/** Signs in (from a click: the popup opens synchronously), calls the API, signs out: here for
 * the types (the test drives the same steps through the controls and `WL.api`). */
async function signInCallAndSignOut(): Promise<unknown> {
  const opts: WL.LoginOptions = { scope: "wl.basic", state: "x", fallback: "redirect", mode: "popup" };
  const st = await WL.login(opts);
  const expires: number = st.session ? st.session.expires - st.session.expires_in : 0;
  const me = await WL.api<{ id: string; name: string }>("me");
  const call: WL.ApiOptions = { path: "me/contacts", method: "GET", query: { top: 1, select: ["id", "name"], count: true } };
  const contacts = await WL.api(call).catch((e: WL.Error) => e.code);
  const user: string | undefined = st.session?.user_id ?? st.session?.id_token;
  const gone: null = await WL.logout();
  return { me, contacts, expires: expires > 0, user: typeof user, gone, seen };
}

/** A custom chat on `WL.messenger`: here for the types (the `custom_chat::` case drives it). */
async function chat(): Promise<unknown> {
  await WL.messenger.on("message", (m: WL.Messenger.Message) => seen.push(`message:${m.mine}:${m.text.length}`));
  await WL.messenger.on("state", (s: WL.Messenger.State) => seen.push(`state:${s.state}`));
  await WL.messenger.on("presence", (p) => seen.push(`presence:${p.id}:${p.presence}`));
  const state: WL.Messenger.State = await WL.messenger.connect();
  const friends: WL.Messenger.Friend[] = await WL.messenger.friends({ online: true });
  const mine: WL.OwnStatus = await WL.messenger.setPresence("busy");
  const page = await WL.messenger.history(friends[0].id, { before: 10, limit: 20 });
  const sent: WL.Messenger.Sent = await WL.messenger.send(friends[0].id, "hi");
  const typed: boolean = await WL.messenger.typing(friends[0].id);
  const { data } = await WL.messenger.conversations();
  await WL.messenger.off("message");
  await WL.messenger.disconnect();
  return { state, mine, more: page.more, status: sent.status, typed, n: data.length, me: await WL.messenger.me() };
}

declare global {
  interface Window {
    app: { ready: Promise<void>; run: () => Promise<unknown>; seen: string[] };
  }
}
window.app = { ready: main(), run: signInCallAndSignOut, seen };
export const _chat = chat;
