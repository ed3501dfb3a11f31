// The PKCE verifier (RFC 7636): the unpadded base64url of 32 random bytes, made here inside the
// sign-in (wl.js hashes it with Web Crypto) and read by the core as the same string; the core's
// `pkce::verifier` is the same rule, and src/browser_tests/rules.rs runs both on one table.

/** The `code_verifier` for the random bytes `b` (a Uint8Array of 32). */
export function verifier(b) {
  return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "");
}
