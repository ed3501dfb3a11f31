// An access token from the e2e provider (server.js) over HTTP, for the load bench's anchor
// (`cargo xtask bench --only load` runs wrk against its userinfo endpoint with it): the
// authorization-code flow with PKCE S256 as a browser would run it, through the package's own
// development login and consent pages (any login name and password; "Continue"), then the
// token endpoint. Prints only the access token.
//
//   node tests/oidc-provider/bench-token.js --issuer http://127.0.0.1:N --client-origin http://127.0.0.1:M
//
// `--client-origin` is the one server.js was started with (the redirect URI is never loaded:
// the code is read from the redirect's Location).

import { createHash, randomBytes } from "node:crypto";

function arg(name) {
  const i = process.argv.indexOf("--" + name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const issuer = arg("issuer");
const clientOrigin = arg("client-origin");
if (!issuer || !clientOrigin) {
  console.error("usage: node bench-token.js --issuer URL --client-origin URL");
  process.exit(2);
}
const redirectUri = `${clientOrigin}/callback.html`;
const b64url = (buf) => buf.toString("base64url");
const verifier = b64url(randomBytes(32));
const challenge = b64url(createHash("sha256").update(verifier).digest());

// One cookie jar for the whole flow (the provider scopes its cookies by path; sending every
// cookie everywhere is what matters here, not which path sees which).
const jar = new Map();
async function request(url, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(new URL(url, issuer), { ...init, headers, redirect: "manual" });
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return res;
}

// Follows redirects until one leaves for the client's redirect URI; returns that Location.
async function follow(res) {
  for (let hops = 0; hops < 10; hops++) {
    if (res.status < 300 || res.status >= 400) return res;
    const location = new URL(res.headers.get("location"), issuer).href;
    if (location.startsWith(redirectUri)) return location;
    res = await request(location);
  }
  throw new Error("too many redirects");
}

function form(fields) {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

const auth = new URL("/auth", issuer);
auth.search = new URLSearchParams({
  client_id: "wl-e2e",
  response_type: "code",
  redirect_uri: redirectUri,
  scope: "openid profile email",
  state: b64url(randomBytes(8)),
  nonce: b64url(randomBytes(8)),
  code_challenge: challenge,
  code_challenge_method: "S256",
}).toString();

let at = await follow(await request(auth.href));
for (const prompt of ["login", "consent"]) {
  if (typeof at === "string") break;
  // The interaction page: its form posts back to its own URL.
  const page = at.url;
  const action = new URL(page).pathname;
  const fields = prompt === "login" ? { prompt, login: "ada", password: "bench" } : { prompt };
  at = await follow(await request(action, form(fields)));
}
if (typeof at !== "string") {
  throw new Error(`the flow did not reach the redirect URI (last: ${at.status} ${at.url})`);
}
const code = new URL(at).searchParams.get("code");
if (!code) throw new Error(`no code in ${at}`);
const res = await request(
  "/token",
  form({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    client_id: "wl-e2e",
    code_verifier: verifier,
  }),
);
const body = await res.json();
if (!body.access_token) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(body)}`);
console.log(body.access_token);
