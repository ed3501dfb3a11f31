// A real OpenID provider none of us wrote, for the end-to-end tests: panva's `oidc-provider`
// (OpenID-certified), pinned in package.json, run on a loopback port. It publishes only the
// standard discovery fields (no `wl_api_base`, no `/v1/me`), so the loader must get the person
// from the ID token and `userinfo_endpoint`.
//
//   node tests/oidc-provider/server.js --port N --client-origin http://127.0.0.1:M [--access-ttl S]
//        [--jwks-max-age S]
//
// One public client, `wl-e2e` (no secret, PKCE S256 required, as for every public client), whose
// redirect URI is `{client-origin}/callback.html`; scopes `openid profile email offline_access`
// (refresh tokens, rotated on each use as the package does for public clients, only when the
// request asked for `offline_access` with `prompt=consent`, as OpenID Connect Core §11 says);
// access tokens of `--access-ttl` seconds (the package's hour by default); with
// `--jwks-max-age`, the key set is sent with `Cache-Control: public, max-age=S`, as large
// providers send theirs (Microsoft's a day, Google's hours). The signing key (RS256) is made
// anew at each start, with a new `kid`: a restart on the same port is a key rotation.
// CORS for that
// origin on the token, userinfo and revocation endpoints (the loader calls them from the page).
// The login and consent pages are the package's own development ones (`devInteractions`): any
// login name with any password signs in as that name; "Continue" allows, "[ Cancel ]" aborts
// (`access_denied`). Prints `listening <issuer>` when ready. oidc-provider 9 warns "Unsupported
// runtime" below Node 22 LTS; Debian's Node 20 runs these tests as well.

import { generateKeyPairSync, randomUUID } from "node:crypto";
import Provider from "oidc-provider";

function arg(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const port = Number(arg("port", "0")) || 0;
const clientOrigin = arg("client-origin", "");
if (!port || !/^http:\/\/127\.0\.0\.1:\d+$/.test(clientOrigin)) {
  console.error("usage: node server.js --port N --client-origin http://127.0.0.1:M");
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const accessTtl = Number(arg("access-ttl", "3600")) || 3600;
const jwksMaxAge = Number(arg("jwks-max-age", "0")) || 0;

// The one account: every login name is a person with these claims (the name is the login's).
const PEOPLE = {
  ada: {
    name: "Ada Lovelace",
    given_name: "Ada",
    family_name: "Lovelace",
    email: "ada@example.test",
    email_verified: true,
    picture: `${clientOrigin}/ada.svg`,
  },
};

// This start's signing key.
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  jwks: { keys: [signingKey] },
  clients: [
    {
      client_id: "wl-e2e",
      client_name: "wl-connect end-to-end tests",
      token_endpoint_auth_method: "none",
      application_type: "web",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: [`${clientOrigin}/callback.html`],
    },
  ],
  scopes: ["openid", "profile", "email", "offline_access"],
  ttl: { AccessToken: accessTtl },
  claims: {
    openid: ["sub"],
    profile: ["name", "given_name", "family_name", "picture"],
    email: ["email", "email_verified"],
  },
  async findAccount(_ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...person }) };
  },
  // Only the customer's origin, and only on the endpoints the loader calls from the page.
  clientBasedCORS(_ctx, origin, client) {
    return origin === clientOrigin && client.clientId === "wl-e2e";
  },
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
  },
  cookies: { keys: ["wl-e2e-only-not-a-secret"] },
  // The defaults, said out loud: code flow with PKCE (S256) for public clients.
  pkce: { required: () => true },
});
// The dev interactions warn that they are for development: this is a test.
provider.on("server_error", (_ctx, err) => console.error("server_error", err));
if (jwksMaxAge) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === "/jwks") ctx.set("Cache-Control", `public, max-age=${jwksMaxAge}`);
  });
}

const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`listening ${issuer}`);
});
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
