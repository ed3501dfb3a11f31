//! OpenID Connect as the loader uses it (pure): discovery documents, the authorize request's
//! and token requests' parameters (`wl.js` encodes them with `URLSearchParams`), ID token
//! payloads and claim checks.
//!
//! The ID token's signature is not verified: the token comes straight from the token endpoint
//! over the site's own TLS connection in exchange for a PKCE-bound code (OIDC Core §3.1.3.7
//! allows relying on TLS server validation in that case). Its claims (`iss`, `aud`, `nonce`,
//! `exp`) are checked.

use crate::error::Error;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Percent-encodes everything but RFC 3986 unreserved characters (safe in a query or a form).
pub fn encode(s: &str) -> String {
    encode_bytes(s.as_bytes())
}

/// [`encode`] for bytes (which need not be UTF-8).
fn encode_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// The decimal digits of `n` (without `core::fmt`).
pub fn decimal(mut n: u64) -> String {
    let (mut digits, mut len) = ([0u8; 20], 0);
    for d in digits.iter_mut() {
        *d = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits
        .iter()
        .take(len)
        .rev()
        .map(|d| char::from(*d))
        .collect()
}

/// The parts one after the other (a loop of `push_str`: smaller wasm than `concat`/`join`).
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(p);
    }
    out
}

/// A query string's or form body's pairs, in order. The core hands them to `wl.js` as a plain
/// object, which encodes them with `URLSearchParams` (docs/loader.md, "What the core decides").
pub type Form = Vec<(&'static str, String)>;

/// `s` split around its first byte that is `sep` (which must only hold for ASCII bytes).
/// Byte-wise on purpose: `str::split` with a `char` brings core's char searcher and its
/// slice-index panic (with `core::fmt`) into the wasm.
fn split_once_by(s: &str, sep: impl Fn(u8) -> bool) -> Option<(&str, &str)> {
    let i = s.bytes().position(sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// The parts of `s` between `sep` bytes (ASCII), as `str::split` gives them.
pub fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    split_by(s, move |b| b == sep)
}

/// The parts of `s` between bytes that are `sep` (which must only hold for ASCII bytes), as
/// `str::split` with a `char` predicate gives them, without decoding `char`s.
pub fn split_by(s: &str, sep: impl Fn(u8) -> bool + Copy) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        let (part, next) = split_once_by(r, sep).map_or((r, None), |(a, b)| (a, Some(b)));
        rest = next;
        Some(part)
    })
}

/// The endpoints found by discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// `issuer`: what the ID token's `iss` must be.
    pub issuer: String,
    /// `authorization_endpoint`.
    pub authorization_endpoint: String,
    /// `token_endpoint`.
    pub token_endpoint: String,
    /// `revocation_endpoint`, if the provider has one.
    pub revocation_endpoint: Option<String>,
    /// `jwks_uri`: the provider's public keys, which the ID token's signature must verify with
    /// (`wl.js` checks it with Web Crypto before the core reads the claims).
    pub jwks_uri: String,
    /// Where `WL.api` paths are resolved: `wl_api_base`, or `{issuer}/v1/` (used only with
    /// `data_api`).
    pub api_base: String,
    /// Whether the provider has the Live-style data API (discovery names `wl_api_base`);
    /// without it `WL.api` answers only `me`, from userinfo ([`crate::userinfo::route`]).
    pub data_api: bool,
    /// `userinfo_endpoint`, if the provider has one.
    pub userinfo_endpoint: Option<String>,
    /// The messenger hub's WebSocket URL (`wl_messenger_hub`, `ws:`/`wss:`), if the provider has one.
    pub messenger_hub: Option<String>,
}

impl Discovery {
    /// The discovery document's URL for an authority.
    pub fn url(authority: &str) -> String {
        let mut u = authority.trim_end_matches('/').to_string();
        u.push_str("/.well-known/openid-configuration");
        u
    }

    /// Reads the discovery document of `authority` through `get` (a string field by name). Its
    /// `issuer` must be the authority it was fetched from (OpenID Connect Discovery §4.3: a
    /// document that names another issuer is refused, as its ID tokens would be).
    pub fn parse(
        authority: &str,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Discovery, Error> {
        let web =
            |k: &str| get(k).filter(|v| v.starts_with("http://") || v.starts_with("https://"));
        // Only the authority's own issuer is valid.
        let req = |k: &str| {
            web(k)
                .filter(|v| {
                    k != "issuer" || v.trim_end_matches('/') == authority.trim_end_matches('/')
                })
                .ok_or_else(|| {
                    Error::ConnectionFailed(cat(&["the discovery document has no valid ", k]))
                })
        };
        let issuer = req("issuer")?;
        let data_api = get("wl_api_base");
        let has_data_api = data_api.is_some();
        let mut api_base =
            data_api.unwrap_or_else(|| issuer.trim_end_matches('/').to_string() + "/v1/");
        if !api_base.ends_with('/') {
            api_base.push('/');
        }
        Ok(Discovery {
            authorization_endpoint: req("authorization_endpoint")?,
            token_endpoint: req("token_endpoint")?,
            revocation_endpoint: get("revocation_endpoint"),
            jwks_uri: req("jwks_uri")?,
            data_api: has_data_api,
            userinfo_endpoint: web("userinfo_endpoint"),
            messenger_hub: get("wl_messenger_hub")
                .filter(|v| v.starts_with("ws://") || v.starts_with("wss://")),
            api_base,
            issuer,
        })
    }
}

/// One authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest<'a> {
    /// The client id.
    pub client_id: &'a str,
    /// The registered redirect URI.
    pub redirect_uri: &'a str,
    /// The space-separated scopes.
    pub scope: &'a str,
    /// The `state`.
    pub state: &'a str,
    /// The `nonce`.
    pub nonce: &'a str,
    /// The S256 code challenge.
    pub code_challenge: &'a str,
    /// Whether the page is shown in a popup (`display=popup`).
    pub popup: bool,
}

/// The authorize request's query parameters (appended to the endpoint's own by `wl.js`). A
/// request for OpenID's `offline_access` says `prompt=consent`, as OpenID Connect Core §11
/// requires: providers that follow it to the letter otherwise drop the scope (no refresh
/// token) or refuse the request. Live's `wl.offline_access` is not OpenID's, and asks nothing.
pub fn authorize_query(r: &AuthRequest<'_>) -> Form {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", r.client_id),
        ("redirect_uri", r.redirect_uri),
        ("scope", r.scope),
        ("state", r.state),
        ("nonce", r.nonce),
        ("code_challenge", r.code_challenge),
        ("code_challenge_method", "S256"),
    ];
    if r.popup {
        pairs.push(("display", "popup"));
    }
    if crate::scope::Scopes::parse(r.scope).contains("offline_access") {
        pairs.push(("prompt", "consent"));
    }
    pairs.into_iter().map(|(k, v)| (k, v.to_string())).collect()
}

/// The token endpoint's form exchanging a code.
pub fn code_exchange_form(code: &str, redirect_uri: &str, client_id: &str, verifier: &str) -> Form {
    vec![
        ("grant_type", "authorization_code".into()),
        ("code", code.into()),
        ("redirect_uri", redirect_uri.into()),
        ("client_id", client_id.into()),
        ("code_verifier", verifier.into()),
    ]
}

/// The token endpoint's form for a refresh.
pub fn refresh_form(refresh_token: &str, client_id: &str) -> Form {
    vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", refresh_token.into()),
        ("client_id", client_id.into()),
    ]
}

/// The claims of an ID token the loader checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    /// `iss`.
    pub iss: Option<String>,
    /// `aud` (a string or an array in the token).
    pub aud: Vec<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `exp`, seconds since the epoch.
    pub exp: Option<f64>,
    /// `iat`, seconds since the epoch.
    pub iat: Option<f64>,
    /// `azp`, the authorized party, if the token names one.
    pub azp: Option<String>,
    /// `sub`.
    pub sub: Option<String>,
}

/// Allowed clock difference between the site's visitor and the provider, in seconds.
pub const CLOCK_SKEW_SECS: f64 = 300.0;

/// The one error for an ID token whose payload cannot be read (not three parts, not base64url,
/// not UTF-8, not a JSON object): `wl.js` has already checked its signature, so this is a
/// provider's bug rather than something to tell apart.
pub fn unreadable() -> Error {
    Error::InvalidToken("its payload is not base64url JSON".into())
}

/// Checks `iss`, `sub`, `aud`, `azp`, `nonce`, `exp` and `iat` against the request (OpenID
/// Connect Core §3.1.3.7): `sub` must be there; an `azp` must be this client, and a token for
/// several audiences must name one; `iat` must be there and not in the future (beyond the clock
/// skew). `nonce`: the sign-in's; `None` for a renewal's ID token (§12.2: it should carry none,
/// and the sign-in's is not kept), whose `sub` the caller compares with the session's.
pub fn check_claims(
    c: &Claims,
    issuer: &str,
    client_id: &str,
    nonce: Option<&str>,
    now_secs: f64,
) -> Result<(), Error> {
    // (`sub` is REQUIRED, §2: without it the token names nobody, and a renewal's could not be
    // compared with the session's person.)
    if c.iss.as_deref() != Some(issuer) || c.sub.is_none() {
        return Err(Error::InvalidToken(
            "iss is not the provider's issuer, or sub is missing".into(),
        ));
    }
    if !c.aud.iter().any(|a| a == client_id)
        || c.azp.as_deref().map_or(c.aud.len() > 1, |a| a != client_id)
    {
        return Err(Error::InvalidToken(
            "aud or azp does not name this site's client id".into(),
        ));
    }
    if nonce.is_some() && c.nonce.as_deref() != nonce {
        return Err(Error::InvalidState);
    }
    match (c.exp, c.iat) {
        (Some(exp), Some(iat))
            if exp + CLOCK_SKEW_SECS > now_secs && iat < now_secs + CLOCK_SKEW_SECS =>
        {
            Ok(())
        }
        _ => Err(Error::InvalidToken(
            "it has expired, or iat is missing or in the future".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_splits_match_str_split() {
        for s in ["", "a", "a.b", ".a..b.", "é.ü", "x=y=z"] {
            for sep in [b'.', b'='] {
                let ours: Vec<&str> = split_byte(s, sep).collect();
                let std: Vec<&str> = s.split(char::from(sep)).collect();
                assert_eq!(ours, std, "{s:?} on {sep}");
                let one = split_once_by(s, |b| b == sep);
                assert_eq!(one, s.split_once(char::from(sep)));
            }
        }
    }

    #[test]
    fn percent_encoding_and_decimals() {
        assert_eq!(encode("a b&c=d/é~._-"), "a%20b%26c%3Dd%2F%C3%A9~._-");
        assert_eq!(
            (decimal(0), decimal(1_700_000_000)),
            ("0".into(), "1700000000".into())
        );
    }

    #[test]
    fn authorize_query_in_order() {
        let r = AuthRequest {
            client_id: "wl demo",
            redirect_uri: "http://127.0.0.1:8080/callback.html?x=1",
            scope: "openid wl.basic",
            state: "st",
            nonce: "no",
            code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            popup: true,
        };
        let q = authorize_query(&r);
        let keys: Vec<&str> = q.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
                "display"
            ]
        );
        assert!(q.contains(&(
            "redirect_uri",
            "http://127.0.0.1:8080/callback.html?x=1".into()
        )));
        assert!(q.contains(&("code_challenge_method", "S256".into())));
        let q = authorize_query(&AuthRequest { popup: false, ..r });
        assert!(!q.iter().any(|(k, _)| *k == "display"));
        assert!(!q.iter().any(|(k, _)| *k == "prompt"));
        // OpenID's offline access asks for consent; Live's does not; a longer name is not it.
        let prompt = |scope| {
            authorize_query(&AuthRequest { scope, ..r })
                .into_iter()
                .find(|(k, _)| *k == "prompt")
                .map(|(_, v)| v)
        };
        assert_eq!(prompt("openid offline_access").as_deref(), Some("consent"));
        assert_eq!(prompt("offline_access email").as_deref(), Some("consent"));
        assert_eq!(prompt("openid wl.offline_access"), None);
        assert_eq!(prompt("openid offline_access_x"), None);
    }

    #[test]
    fn token_forms() {
        assert_eq!(
            code_exchange_form("c/1", "http://s/cb", "wl-demo", "v"),
            vec![
                ("grant_type", "authorization_code".to_string()),
                ("code", "c/1".into()),
                ("redirect_uri", "http://s/cb".into()),
                ("client_id", "wl-demo".into()),
                ("code_verifier", "v".into()),
            ]
        );
        assert_eq!(
            refresh_form("r+t", "id"),
            vec![
                ("grant_type", "refresh_token".to_string()),
                ("refresh_token", "r+t".into()),
                ("client_id", "id".into()),
            ]
        );
    }

    #[test]
    fn discovery() {
        const A: &str = "http://127.0.0.1:8081";
        let doc = [
            ("issuer", "http://127.0.0.1:8081"),
            ("authorization_endpoint", "http://127.0.0.1:8081/authorize"),
            ("token_endpoint", "http://127.0.0.1:8081/token"),
            ("jwks_uri", "http://127.0.0.1:8081/jwks.json"),
        ];
        let get = |k: &str| {
            doc.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let d = Discovery::parse(A, get).expect("valid");
        assert_eq!(d.api_base, "http://127.0.0.1:8081/v1/");
        assert!(!d.data_api, "no wl_api_base: no Live-style data API");
        assert_eq!(d.userinfo_endpoint, None);
        assert_eq!(d.revocation_endpoint, None);
        let with = |k: &'static str, v: &'static str| {
            Discovery::parse(A, |n| if n == k { Some(v.into()) } else { get(n) }).expect("valid")
        };
        assert!(with("wl_api_base", "http://127.0.0.1:8081/v1/").data_api);
        assert_eq!(
            with("userinfo_endpoint", "http://127.0.0.1:8081/me")
                .userinfo_endpoint
                .as_deref(),
            Some("http://127.0.0.1:8081/me")
        );
        assert_eq!(
            with("userinfo_endpoint", "javascript:alert(1)").userinfo_endpoint,
            None
        );
        assert_eq!(d.messenger_hub, None);
        let hub = |url: &'static str| {
            Discovery::parse(A, |k| {
                if k == "wl_messenger_hub" {
                    Some(url.into())
                } else {
                    get(k)
                }
            })
            .expect("valid")
            .messenger_hub
        };
        assert_eq!(
            hub("ws://127.0.0.1:8081/v1/hub").as_deref(),
            Some("ws://127.0.0.1:8081/v1/hub")
        );
        assert_eq!(hub("javascript:alert(1)"), None);
        assert_eq!(
            Discovery::url("http://a/"),
            "http://a/.well-known/openid-configuration"
        );
        let e = Discovery::parse(A, |k| if k == "token_endpoint" { None } else { get(k) })
            .expect_err("no token");
        assert_eq!(e.code(), "connection_failed");
        let e = Discovery::parse(A, |k| if k == "jwks_uri" { None } else { get(k) })
            .expect_err("no keys to verify ID tokens with");
        assert_eq!(e.code(), "connection_failed");
        // §4.3: the document must be the authority's own; a trailing slash is the same URL.
        assert!(Discovery::parse("http://127.0.0.1:8081/", get).is_ok());
        for other in [
            "http://127.0.0.1:8082",
            "http://127.0.0.1:8081/tenant",
            "https://127.0.0.1:8081",
        ] {
            let e = Discovery::parse(other, get).expect_err("another issuer");
            assert_eq!(e.code(), "connection_failed", "{other}");
            assert!(e.to_string().ends_with("no valid issuer"), "{e}");
        }
    }

    #[test]
    fn claims_checks() {
        let ok = Claims {
            iss: Some("http://p".into()),
            aud: vec!["other".into(), "wl-demo".into()],
            nonce: Some("n1".into()),
            exp: Some(1000.0),
            iat: Some(880.0),
            azp: Some("wl-demo".into()),
            sub: Some("alice".into()),
        };
        assert_eq!(
            check_claims(&ok, "http://p", "wl-demo", Some("n1"), 900.0),
            Ok(())
        );
        let code = |c: &Claims, now| {
            check_claims(c, "http://p", "wl-demo", Some("n1"), now)
                .map_err(|e| e.code().to_string())
        };
        assert_eq!(
            code(
                &Claims {
                    iss: Some("http://evil".into()),
                    ..ok.clone()
                },
                900.0
            ),
            Err("invalid_token".into())
        );
        // An ID token that names nobody: `sub` is REQUIRED (§2).
        assert_eq!(
            code(
                &Claims {
                    sub: None,
                    ..ok.clone()
                },
                900.0
            ),
            Err("invalid_token".into())
        );
        assert_eq!(
            code(
                &Claims {
                    aud: vec!["x".into()],
                    ..ok.clone()
                },
                900.0
            ),
            Err("invalid_token".into())
        );
        assert_eq!(
            code(
                &Claims {
                    nonce: Some("n2".into()),
                    ..ok.clone()
                },
                900.0
            ),
            Err("invalid_state".into())
        );
        assert_eq!(
            code(
                &Claims {
                    nonce: None,
                    ..ok.clone()
                },
                900.0
            ),
            Err("invalid_state".into())
        );
        assert_eq!(
            code(&ok, 1000.0 + CLOCK_SKEW_SECS + 1.0),
            Err("invalid_token".into())
        );
        assert_eq!(
            code(
                &Claims {
                    exp: None,
                    ..ok.clone()
                },
                900.0
            ),
            Err("invalid_token".into())
        );
        // azp: another client, or none on a token for two audiences.
        let bad = |c: Claims| code(&c, 900.0);
        assert_eq!(
            bad(Claims {
                azp: Some("other".into()),
                ..ok.clone()
            }),
            Err("invalid_token".into())
        );
        assert_eq!(
            bad(Claims {
                azp: None,
                ..ok.clone()
            }),
            Err("invalid_token".into())
        );
        let one_audience = Claims {
            aud: vec!["wl-demo".into()],
            azp: None,
            ..ok.clone()
        };
        assert_eq!(bad(one_audience.clone()), Ok(()));
        // iat: missing, or issued after now (beyond the skew); within the skew passes.
        assert_eq!(
            bad(Claims {
                iat: None,
                ..ok.clone()
            }),
            Err("invalid_token".into())
        );
        assert_eq!(
            bad(Claims {
                iat: Some(900.0 + CLOCK_SKEW_SECS + 1.0),
                ..ok.clone()
            }),
            Err("invalid_token".into())
        );
        assert_eq!(
            bad(Claims {
                iat: Some(900.0 + CLOCK_SKEW_SECS - 1.0),
                ..one_audience
            }),
            Ok(())
        );
        // A renewal's ID token: no nonce to match, with or without one; the rest as above.
        let renewal = |c: &Claims| {
            check_claims(c, "http://p", "wl-demo", None, 900.0).map_err(|e| e.code().to_string())
        };
        let no_nonce = Claims {
            nonce: None,
            ..ok.clone()
        };
        assert_eq!(renewal(&no_nonce), Ok(()));
        assert_eq!(renewal(&ok), Ok(()));
        assert_eq!(
            renewal(&Claims {
                aud: vec!["other".into()],
                ..no_nonce
            }),
            Err("invalid_token".into())
        );
    }
}
