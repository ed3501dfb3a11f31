//! The provider's browser session (the session cookie) and the CSRF protection of its forms.
//!
//! Every state-changing form (sign-in, sign-out, the consent decision, removing an app's access,
//! the sharing badge) is checked twice (docs/security.md, "Forms and pages"):
//!
//! - **Where it came from**: a browser's `Origin` must be the provider's own (falling back to
//!   `Sec-Fetch-Site: same-origin` when there is no `Origin` or it is `null`); code
//!   [`ORIGIN_REFUSED`].
//! - **A token the server issued for this browser**: an HMAC-SHA256, under the provider's secret
//!   CSRF key (kept in the `meta` table), over the session id when someone is signed in, or over
//!   a pre-session id (a signed cookie the server set) when not; code [`TOKEN_INVALID`]. A value
//!   the server never issued, a token of another session and (except on the sign-in form) a
//!   pre-session token while a session is live are all refused, and a cookie name sent twice
//!   counts as absent. Without a live session, the forms that act for a person change nothing.
//!
//! Over https the cookies are `__Host-` prefixed and `Secure`; over plain http (loopback
//! development) the names are without the prefix, which browsers refuse without `Secure`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::crypto::{constant_eq, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::identity::people::Person;
use crate::store::db::Db;
use crate::store::sessions as store;
use crate::web::{cookie, same_origin_request, set_cookie};

/// How long a provider sign-in session lasts.
pub const SESSION_TTL: i64 = 14 * 86_400;

/// The provider session cookie over plain http.
pub const SESSION_COOKIE: &str = "wl_session";
/// The pre-session cookie (the CSRF binding when no one is signed in) over plain http.
pub const CSRF_COOKIE: &str = "wl_csrf";
/// The session cookie's name over https.
pub const SESSION_COOKIE_HOST: &str = "__Host-wl_session";
/// The pre-session cookie's name over https.
pub const CSRF_COOKIE_HOST: &str = "__Host-wl_csrf";

/// Error code: a form's CSRF token is missing or is not the one issued to this browser.
pub const TOKEN_INVALID: &str = "csrf_invalid";
/// Error code: a form was posted from another origin.
pub const ORIGIN_REFUSED: &str = "csrf_origin_refused";

/// The cookie names and flags for a provider at `issuer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieNames {
    /// The session cookie's name.
    pub session: &'static str,
    /// The pre-session (CSRF binding) cookie's name.
    pub csrf: &'static str,
    /// Whether cookies are `Secure` (the issuer is https).
    pub secure: bool,
}

impl CookieNames {
    /// `__Host-` names and `Secure` when `issuer` is https (also behind a TLS-terminating
    /// proxy: the issuer is the public URL), the plain names otherwise.
    pub fn for_issuer(issuer: &str) -> Self {
        if issuer
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        {
            Self {
                session: SESSION_COOKIE_HOST,
                csrf: CSRF_COOKIE_HOST,
                secure: true,
            }
        } else {
            Self {
                session: SESSION_COOKIE,
                csrf: CSRF_COOKIE,
                secure: false,
            }
        }
    }
}

/// The provider's CSRF key: the stored one, or a new random one stored on first start.
pub async fn load_or_create_key(db: &Db) -> AppResult<[u8; 32]> {
    if let Some(k) = crate::store::meta::csrf_key(&mut *db.conn().await?)
        .await?
        .as_deref()
        .and_then(crate::crypto::unhex32)
    {
        return Ok(k);
    }
    let fresh = crate::crypto::random_hex(32);
    crate::store::meta::insert_csrf_key(&mut *db.conn().await?, &fresh).await?;
    let stored = crate::store::meta::csrf_key(&mut *db.conn().await?).await?;
    stored
        .as_deref()
        .and_then(crate::crypto::unhex32)
        .ok_or_else(|| AppError::Internal("the stored CSRF key is not 32 bytes of hex".into()))
}

/// HMAC-SHA256 (RFC 2104) of `msg` under `key` (at most 64 bytes).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

fn mac(key: &[u8; 32], purpose: &str, data: &[u8]) -> String {
    let mut msg = Vec::with_capacity(purpose.len() + 1 + data.len());
    msg.extend_from_slice(purpose.as_bytes());
    msg.push(0);
    msg.extend_from_slice(data);
    URL_SAFE_NO_PAD.encode(hmac_sha256(key, &msg))
}

/// What sessions and form tokens need of the provider's state (`AppState::sessions`).
#[derive(Debug, Clone, Copy)]
pub struct Sessions<'a> {
    /// The database (the sessions table).
    pub db: &'a Db,
    /// The clock.
    pub clock: &'a Clock,
    /// The issuer (decides the cookie names and the origin forms must come from).
    pub issuer: &'a str,
    /// The CSRF key ([`load_or_create_key`]).
    pub csrf_key: &'a [u8; 32],
}

/// The live session of a request: the hash of its session cookie and its person's id.
async fn live_session(
    state: &Sessions<'_>,
    headers: &HeaderMap,
) -> AppResult<Option<([u8; 32], String)>> {
    let names = CookieNames::for_issuer(state.issuer);
    let Some(sid) = cookie(headers, names.session) else {
        return Ok(None);
    };
    let hash = secret_hash(sid);
    let now = state.clock.now();
    let person = store::person_of(&mut *state.db.conn().await?, &hash, now).await?;
    Ok(person.map(|p| (hash, p)))
}

/// The signed-in person, if the request carries a live provider session.
pub async fn current_person(
    state: &Sessions<'_>,
    headers: &HeaderMap,
) -> AppResult<Option<Person>> {
    match live_session(state, headers).await? {
        Some((_, id)) => person(state, &id).await,
        None => Ok(None),
    }
}

async fn person(state: &Sessions<'_>, id: &str) -> AppResult<Option<Person>> {
    Ok(crate::identity::people::by_id(&mut *state.db.conn().await?, id).await?)
}

/// Starts a provider session for `person_id`; returns the `Set-Cookie` value.
pub async fn start_session(state: &Sessions<'_>, person_id: &str) -> AppResult<HeaderValue> {
    let sid = random_secret("");
    let now = state.clock.now();
    store::insert(
        &mut *state.db.conn().await?,
        &secret_hash(&sid),
        person_id,
        now,
        now + SESSION_TTL,
    )
    .await?;
    let names = CookieNames::for_issuer(state.issuer);
    Ok(set_cookie(names.session, &sid, SESSION_TTL, names.secure))
}

/// Ends the request's provider session; returns the `Set-Cookie` value that clears it.
pub async fn end_session(state: &Sessions<'_>, headers: &HeaderMap) -> AppResult<HeaderValue> {
    let names = CookieNames::for_issuer(state.issuer);
    if let Some(sid) = cookie(headers, names.session) {
        let hash = secret_hash(sid);
        store::delete(&mut *state.db.conn().await?, &hash).await?;
    }
    Ok(set_cookie(names.session, "", 0, names.secure))
}

/// A pre-session id from the cookie if the server signed it: `<id>.<mac>`.
fn signed_pre_session<'a>(key: &[u8; 32], value: &'a str) -> Option<&'a str> {
    let (id, sig) = value.split_once('.')?;
    (id.len() == 43
        && constant_eq(
            mac(key, "wl-csrf-pre-id", id.as_bytes()).as_bytes(),
            sig.as_bytes(),
        ))
    .then_some(id)
}

/// The CSRF token for a page's forms.
#[derive(Debug)]
pub struct Csrf {
    /// The token to put in the page's forms.
    pub token: String,
    /// The `Set-Cookie` value when the page starts a new pre-session id.
    pub set_cookie: Option<HeaderValue>,
}

impl Csrf {
    /// The token for a page shown to `headers`' browser: bound to its session when
    /// `signed_in` (the caller found a live session for these headers), else to its
    /// pre-session id (a new one, set with the page, when it has no valid one).
    pub fn for_page(state: &Sessions<'_>, headers: &HeaderMap, signed_in: bool) -> Self {
        let key = state.csrf_key;
        let names = CookieNames::for_issuer(state.issuer);
        if signed_in && let Some(sid) = cookie(headers, names.session) {
            return Self {
                token: session_token(key, &secret_hash(sid)),
                set_cookie: None,
            };
        }
        if let Some(id) = cookie(headers, names.csrf).and_then(|v| signed_pre_session(key, v)) {
            return Self {
                token: mac(key, "wl-csrf-pre", id.as_bytes()),
                set_cookie: None,
            };
        }
        let id = random_secret("");
        let value = format!("{id}.{}", mac(key, "wl-csrf-pre-id", id.as_bytes()));
        Self {
            token: mac(key, "wl-csrf-pre", id.as_bytes()),
            set_cookie: Some(set_cookie(names.csrf, &value, SESSION_TTL, names.secure)),
        }
    }

    /// Adds the cookie (if new) to a response.
    pub fn apply(&self, res: &mut Response) {
        if let Some(v) = &self.set_cookie {
            res.headers_mut().append(header::SET_COOKIE, v.clone());
        }
    }

    /// Checks the sign-in form: its origin, then its token, which must be the pre-session
    /// id's (or, with a live session, also the session's: a sign-in page left open in another
    /// tab after signing in). Signing in changes no signed-in person's data.
    pub async fn check_signin(
        state: &Sessions<'_>,
        headers: &HeaderMap,
        submitted: &str,
    ) -> AppResult<()> {
        check_origin(state, headers)?;
        let ok = match live_session(state, headers).await? {
            Some((hash, _)) => {
                matches(submitted, &session_token(state.csrf_key, &hash))
                    || pre_token(state, headers).is_some_and(|t| matches(submitted, &t))
            }
            None => pre_token(state, headers).is_some_and(|t| matches(submitted, &t)),
        };
        if ok { Ok(()) } else { Err(token_invalid()) }
    }

    /// Checks a form that acts for the signed-in person (consent, sign-out, remove access,
    /// share): its origin, then, with a live session, the session's token. The person, when
    /// the token is theirs; `None` when no session is live (the form then changes nothing: its
    /// handler sends the browser to sign in); an error for any other token.
    pub async fn check_signed_in(
        state: &Sessions<'_>,
        headers: &HeaderMap,
        submitted: &str,
    ) -> AppResult<Option<Person>> {
        check_origin(state, headers)?;
        match live_session(state, headers).await? {
            Some((hash, id)) if matches(submitted, &session_token(state.csrf_key, &hash)) => {
                person(state, &id).await
            }
            Some(_) => Err(token_invalid()),
            None => Ok(None),
        }
    }
}

fn matches(submitted: &str, expected: &str) -> bool {
    !submitted.is_empty() && constant_eq(expected.as_bytes(), submitted.as_bytes())
}

fn session_token(key: &[u8; 32], session_hash: &[u8; 32]) -> String {
    mac(key, "wl-csrf-session", session_hash)
}

/// The token for the request's pre-session id, when its cookie is one the server signed.
fn pre_token(state: &Sessions<'_>, headers: &HeaderMap) -> Option<String> {
    let names = CookieNames::for_issuer(state.issuer);
    cookie(headers, names.csrf)
        .and_then(|v| signed_pre_session(state.csrf_key, v))
        .map(|id| mac(state.csrf_key, "wl-csrf-pre", id.as_bytes()))
}

fn check_origin(state: &Sessions<'_>, headers: &HeaderMap) -> AppResult<()> {
    if same_origin_request(headers, state.issuer) {
        return Ok(());
    }
    tracing::info!(
        origin = ?headers.get(header::ORIGIN),
        fetch_site = ?headers.get("sec-fetch-site"),
        "cross-origin form refused"
    );
    Err(AppError::Page {
        status: StatusCode::FORBIDDEN,
        code: ORIGIN_REFUSED,
        title: "This form came from another site",
        message: "For your security, a form sent from another site or page is refused. Open this provider's page yourself and try again."
            .into(),
    })
}

fn token_invalid() -> AppError {
    AppError::Page {
        status: StatusCode::FORBIDDEN,
        code: TOKEN_INVALID,
        title: "This form has expired",
        message: "For your security, the form could not be sent. Go back, reload the page and try again (cookies must be enabled)."
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2.
        let out = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            crate::crypto::hex(&out),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        let out = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            crate::crypto::hex(&out),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn cookie_names_follow_the_issuer_scheme() {
        let https = CookieNames::for_issuer("https://login.example");
        assert_eq!(https.session, "__Host-wl_session");
        assert_eq!(https.csrf, "__Host-wl_csrf");
        assert!(https.secure);
        let http = CookieNames::for_issuer("http://127.0.0.1:8081");
        assert_eq!(
            (http.session, http.csrf, http.secure),
            ("wl_session", "wl_csrf", false)
        );
    }

    #[test]
    fn pre_session_ids_must_be_signed() {
        let key = [7u8; 32];
        let id = random_secret("");
        let good = format!("{id}.{}", mac(&key, "wl-csrf-pre-id", id.as_bytes()));
        assert_eq!(signed_pre_session(&key, &good), Some(id.as_str()));
        assert_eq!(signed_pre_session(&[8u8; 32], &good), None);
        assert_eq!(signed_pre_session(&key, &id), None);
        let forged = format!("{id}.{}", mac(&key, "wl-csrf-pre", id.as_bytes()));
        assert_eq!(signed_pre_session(&key, &forged), None);
    }
}
