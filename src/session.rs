//! The signed-in session: what a token response grants, expiry, and the storage form (pure).
//! `wl.js` writes the storage form (the machine's `Store` effect) to `sessionStorage`/`localStorage`
//! and hands it back at init (`Stored`, [`crate::loader::Call::Init`]).

use crate::oidc::Form;
use crate::scope::Scopes;

/// The storage key (the value is a query string, so `wl.js` can read it with `URLSearchParams`
/// before the core has loaded).
pub const STORAGE_KEY: &str = "wl_connect.session";

/// Refresh this many seconds before the access token expires.
pub const REFRESH_LEAD_SECS: f64 = 60.0;
/// The longest a timer is armed for, in ms (browsers cap `setTimeout` at about 24.8 days); a
/// longer wait is taken in steps.
pub const MAX_TIMER_MS: f64 = 2_000_000_000.0;

/// A signed-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The client the tokens were issued to.
    pub client_id: String,
    /// The bearer access token.
    pub access_token: String,
    /// The scopes granted.
    pub scope: Scopes,
    /// When the access token expires, seconds since the epoch.
    pub expires: f64,
    /// The refresh token, when offline access was granted.
    pub refresh_token: Option<String>,
    /// The ID token, when one was issued.
    pub id_token: Option<String>,
    /// The person's id (`sub` of the ID token).
    pub user_id: Option<String>,
}

/// The fields of a token endpoint response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: String,
    /// `expires_in` in seconds (3600 if absent).
    pub expires_in: Option<f64>,
    /// `scope` (the requested scopes if absent, RFC 6749 §5.1).
    pub scope: Option<String>,
    /// `refresh_token`.
    pub refresh_token: Option<String>,
    /// `id_token`.
    pub id_token: Option<String>,
}

impl Session {
    /// A session from a token response received at `now` (seconds) for `requested` scopes.
    /// A refresh response without a new refresh token keeps `previous_refresh`.
    pub fn from_token(
        client_id: &str,
        t: TokenResponse,
        requested: &Scopes,
        now: f64,
        previous_refresh: Option<String>,
    ) -> Session {
        Session {
            client_id: client_id.to_string(),
            access_token: t.access_token,
            scope: t
                .scope
                .as_deref()
                .map(Scopes::parse)
                .unwrap_or_else(|| requested.clone()),
            expires: now + t.expires_in.unwrap_or(3600.0).max(0.0),
            refresh_token: t.refresh_token.or(previous_refresh),
            id_token: t.id_token,
            user_id: None,
        }
    }

    /// Whether the access token has expired at `now`.
    pub fn is_expired(&self, now: f64) -> bool {
        now >= self.expires
    }

    /// Seconds left at `now` (never negative).
    pub fn expires_in(&self, now: f64) -> f64 {
        (self.expires - now).max(0.0).floor()
    }

    /// How many milliseconds after `now` to renew: shortly before expiry with a refresh token,
    /// at expiry (to end the session) without one.
    pub fn renew_delay_ms(&self, now: f64) -> f64 {
        let at = if self.refresh_token.is_some() {
            (self.expires - REFRESH_LEAD_SECS).max(now + (self.expires - now) / 2.0)
        } else {
            self.expires
        };
        ((at - now) * 1000.0).clamp(0.0, MAX_TIMER_MS)
    }

    /// The storage form's fields: `client_id`, `access_token`, `scope`, `expires` (whole
    /// seconds), then `refresh_token`, `id_token`, `user_id` when set. `wl.js` stores them as a
    /// query string and reads them back with `URLSearchParams`.
    pub fn fields(&self) -> Form {
        let mut f: Form = vec![
            ("client_id", self.client_id.clone()),
            ("access_token", self.access_token.clone()),
            ("scope", self.scope.to_wire()),
            ("expires", crate::oidc::decimal(self.expires as u64)),
        ];
        for (k, v) in [
            ("refresh_token", &self.refresh_token),
            ("id_token", &self.id_token),
            ("user_id", &self.user_id),
        ] {
            if let Some(v) = v {
                f.push((k, v.clone()));
            }
        }
        f
    }

    /// Reads the storage form's fields (`get`); `None` when one is missing or malformed, or the
    /// session belongs to another client.
    pub fn read(get: impl Fn(&str) -> Option<String>, client_id: &str) -> Option<Session> {
        let session = Session {
            client_id: get("client_id")?,
            access_token: get("access_token").filter(|t| !t.is_empty())?,
            scope: Scopes::parse(&get("scope")?),
            expires: get("expires")?.parse::<u64>().ok()? as f64,
            refresh_token: get("refresh_token"),
            id_token: get("id_token"),
            user_id: get("user_id"),
        };
        (session.client_id == client_id).then_some(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(refresh: bool) -> TokenResponse {
        TokenResponse {
            access_token: "at&1".into(),
            expires_in: Some(3600.0),
            scope: Some("openid wl.basic".into()),
            refresh_token: refresh.then(|| "rt".into()),
            id_token: Some("a.b.c".into()),
        }
    }

    #[test]
    fn from_token_and_expiry() {
        let s = Session::from_token(
            "wl-demo",
            token(false),
            &Scopes::parse("openid"),
            1000.0,
            None,
        );
        assert_eq!(s.scope.to_wire(), "openid wl.basic");
        assert_eq!(s.expires, 4600.0);
        assert!(!s.is_expired(4599.0));
        assert!(s.is_expired(4600.0));
        assert_eq!(s.expires_in(1000.5), 3599.0);
        assert_eq!(s.expires_in(5000.0), 0.0);
        // Without a refresh token the timer fires at expiry to end the session.
        assert_eq!(s.renew_delay_ms(1000.0), 3_600_000.0);
        let no_scope = TokenResponse {
            scope: None,
            ..token(false)
        };
        let s = Session::from_token(
            "wl-demo",
            no_scope,
            &Scopes::parse("openid wl.x"),
            0.0,
            Some("old".into()),
        );
        assert_eq!(s.scope.to_wire(), "openid wl.x");
        assert_eq!(s.refresh_token.as_deref(), Some("old"));
    }

    #[test]
    fn refresh_before_expiry() {
        let s = Session::from_token("wl-demo", token(true), &Scopes::default(), 1000.0, None);
        assert_eq!(
            s.renew_delay_ms(1000.0),
            (3600.0 - REFRESH_LEAD_SECS) * 1000.0
        );
        // A short-lived token is renewed half-way rather than immediately.
        let short = TokenResponse {
            expires_in: Some(40.0),
            ..token(true)
        };
        let s = Session::from_token("wl-demo", short, &Scopes::default(), 1000.0, None);
        assert_eq!(s.renew_delay_ms(1000.0), 20_000.0);
    }

    #[test]
    fn storage_round_trip() {
        let mut s = Session::from_token("wl-demo", token(true), &Scopes::default(), 1000.0, None);
        s.user_id = Some("alice".into());
        let f = s.fields();
        assert!(f.contains(&("access_token", "at&1".into())));
        assert!(f.contains(&("expires", "4600".into())));
        let get = |k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        assert_eq!(Session::read(get, "wl-demo"), Some(s));
        assert_eq!(Session::read(get, "other-app"), None);
        let empty = [("client_id", "wl-demo"), ("access_token", "")];
        assert_eq!(
            Session::read(crate::state::tests::params(&empty), "wl-demo"),
            None
        );
    }
}
