//! `state` and `nonce` values, matching callback results to the request that started them, and
//! the record a redirect-mode sign-in keeps across the page change (pure).

use crate::b64;
use crate::error::Error;
use crate::oidc::Form;

/// How many random bytes make a `state` or `nonce` (128 bits).
pub const RANDOM_BYTES: usize = 16;

/// A `state` or `nonce` value from random bytes.
pub fn random_token(random: &[u8]) -> String {
    b64::encode(random)
}

/// What the callback page hands back: the OAuth parameters of the redirect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackResult {
    /// The authorization code.
    pub code: Option<String>,
    /// The `state` echoed by the provider.
    pub state: Option<String>,
    /// An OAuth error code such as `access_denied`.
    pub error: Option<String>,
    /// The provider's human-readable error text.
    pub error_description: Option<String>,
}

impl CallbackResult {
    /// Reads the result from the callback's query parameters (`get`: a parameter's decoded
    /// value; `wl.js` parses the query string with `URLSearchParams`).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        CallbackResult {
            code: get("code"),
            state: get("state"),
            error: get("error"),
            error_description: get("error_description"),
        }
    }

    /// Whether this looks like an OAuth callback at all.
    pub fn is_callback(&self) -> bool {
        self.state.is_some() && (self.code.is_some() || self.error.is_some())
    }

    /// Whether the result belongs to the request that sent `state`.
    pub fn matches(&self, state: &str) -> bool {
        self.state.as_deref() == Some(state)
    }

    /// The authorization code if the result belongs to `expected_state` and is a success;
    /// otherwise the error it stands for (`invalid_state` first: a foreign answer says nothing).
    pub fn into_code(self, expected_state: &str) -> Result<String, Error> {
        if !self.matches(expected_state) {
            return Err(Error::InvalidState);
        }
        if let Some(e) = self.error {
            return Err(Error::from_oauth(&e));
        }
        self.code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::config("the callback carried neither a code nor an error"))
    }
}

/// What a redirect-mode sign-in keeps in `sessionStorage` while the page is away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRedirect {
    /// The `state` sent.
    pub state: String,
    /// The `nonce` sent.
    pub nonce: String,
    /// The PKCE verifier.
    pub verifier: String,
    /// The scopes asked for.
    pub scope: String,
    /// The page to come back to.
    pub return_url: String,
}

impl PendingRedirect {
    /// The storage form's fields (`wl.js` stores them as a query string, which `callback.js`
    /// reads with `URLSearchParams`).
    pub fn fields(&self) -> Form {
        vec![
            ("state", self.state.clone()),
            ("nonce", self.nonce.clone()),
            ("verifier", self.verifier.clone()),
            ("scope", self.scope.clone()),
            ("return_url", self.return_url.clone()),
        ]
    }

    /// Reads the storage form's fields; `None` if one is missing.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Option<Self> {
        Some(PendingRedirect {
            state: get("state")?,
            nonce: get("nonce")?,
            verifier: get("verifier")?,
            scope: get("scope")?,
            return_url: get("return_url")?,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The decoded parameters of a test query, as `URLSearchParams` gives them to the core.
    pub(crate) fn params<'a>(pairs: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<String> + 'a {
        |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn state_is_url_safe_and_distinct() {
        let a = random_token(&[1; RANDOM_BYTES]);
        let b = random_token(&[2; RANDOM_BYTES]);
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn success_matches_state() {
        let r = CallbackResult::read(params(&[("code", "abc/def"), ("state", "s1")]));
        assert!(r.is_callback());
        assert_eq!(r.clone().into_code("s1"), Ok("abc/def".into()));
        assert_eq!(r.into_code("s2"), Err(Error::InvalidState));
    }

    #[test]
    fn denial_and_other_errors() {
        let r = CallbackResult::read(params(&[
            ("error", "access_denied"),
            ("error_description", "no thanks"),
            ("state", "s1"),
        ]));
        assert_eq!(r.error_description.as_deref(), Some("no thanks"));
        assert_eq!(r.into_code("s1"), Err(Error::AccessDenied));
        let r = CallbackResult::read(params(&[("error", "server_error"), ("state", "s1")]));
        assert_eq!(
            r.into_code("s1").map_err(|e| e.code().to_string()),
            Err("server_error".into())
        );
        // A denial for someone else's request is a state mismatch, not a denial.
        let r = CallbackResult::read(params(&[("error", "access_denied"), ("state", "other")]));
        assert_eq!(r.into_code("s1"), Err(Error::InvalidState));
        let r = CallbackResult::read(params(&[("state", "s1")]));
        assert!(!r.is_callback());
        assert_eq!(
            r.into_code("s1").map_err(|e| e.code().to_string()),
            Err("invalid_request".into())
        );
    }

    #[test]
    fn pending_redirect_round_trips() {
        let p = PendingRedirect {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "v-_".into(),
            scope: "openid wl.basic".into(),
            return_url: "http://127.0.0.1:8080/a?b=c&d=e#f".into(),
        };
        let f = p.fields();
        let get = |k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        assert_eq!(PendingRedirect::read(get), Some(p));
        assert_eq!(PendingRedirect::read(params(&[("state", "s")])), None);
    }
}
