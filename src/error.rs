//! The loader's one error type. Every variant has a stable `code` (Live Connect v5 names where
//! they exist); only at the exported edge does an error become a JS `{ code, message }` object.

use thiserror::Error;

use crate::oidc::cat;

/// Everything that can go wrong in the loader, each with a stable code (see [`Error::code`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// The person (or the provider) refused consent: `error=access_denied` from the callback.
    #[error("{}", self.message())]
    AccessDenied,
    /// The person closed the sign-in popup before finishing.
    #[error("{}", self.message())]
    UserCanceled,
    /// A newer `WL.login` (or `WL.logout`) replaced this pending sign-in.
    #[error("{}", self.message())]
    RequestCanceled,
    /// No result arrived in time.
    #[error("{}", self.message())]
    TimedOut,
    /// A network request (discovery, token, API) failed or returned something unreadable.
    #[error("{}", self.message())]
    ConnectionFailed(String),
    /// The caller or the configuration asked for something invalid.
    #[error("{}", self.message())]
    InvalidRequest(String),
    /// `window.open` returned nothing: the browser blocked the popup.
    #[error(
        "the browser blocked the sign-in popup; call WL.login from a click handler, or allow popups for this site"
    )]
    PopupBlocked,
    /// The callback's `state` (or the ID token's `nonce`) does not match the request.
    #[error("{}", self.message())]
    InvalidState,
    /// The ID token failed a claim check (`iss`, `aud`, `exp`) or could not be read.
    #[error("{}", self.message())]
    InvalidToken(String),
    /// The provider answered with another OAuth error code.
    #[error("{}", self.message())]
    Provider(String),
    /// An API call failed with the provider's own error code (`{ error: { code, message } }`).
    #[error("{}", self.message())]
    Api {
        /// The provider's error code, e.g. `resource_not_found`.
        code: String,
        /// The provider's message.
        message: String,
    },
    /// An API call needs a scope the session lacks (403 `insufficient_scope`).
    #[error("{}", self.message())]
    InsufficientScope(String),
    /// The access token is no longer accepted (401): the session has ended.
    #[error("{}", self.message())]
    SessionEnded,
    /// The provider has no Live-style data API for this `WL.api` call (no `wl_api_base`).
    #[error("{}", self.message())]
    NotSupported,
}

impl Error {
    /// The stable code JavaScript sees as `error.code`.
    pub fn code(&self) -> &str {
        match self {
            Self::AccessDenied => "access_denied",
            Self::UserCanceled => "user_canceled",
            Self::RequestCanceled => "request_canceled",
            Self::TimedOut => "timed_out",
            Self::ConnectionFailed(_) => "connection_failed",
            Self::InvalidRequest(_) => "invalid_request",
            Self::PopupBlocked => "popup_blocked",
            Self::InvalidState => "invalid_state",
            Self::InvalidToken(_) => "invalid_token",
            Self::Provider(code) => code,
            Self::Api { code, .. } => code,
            Self::InsufficientScope(_) => "insufficient_scope",
            Self::SessionEnded => "invalid_token",
            Self::NotSupported => "not_supported",
        }
    }

    /// The error an OAuth `error=` value from the callback or token endpoint stands for.
    pub fn from_oauth(code: &str) -> Self {
        match code {
            "access_denied" => Self::AccessDenied,
            "invalid_request" => {
                Self::InvalidRequest("the provider rejected the request as invalid".into())
            }
            _ => Self::Provider(code.into()),
        }
    }

    /// The human-readable message JavaScript sees as `error.message` (built without
    /// `core::fmt`, which keeps the wasm small).
    pub fn message(&self) -> String {
        match self {
            Self::AccessDenied => "the person did not allow this site to sign them in".into(),
            Self::UserCanceled => "the sign-in window was closed before sign-in finished".into(),
            Self::RequestCanceled => "this sign-in was replaced by a newer request".into(),
            Self::TimedOut => "sign-in did not finish in time".into(),
            Self::ConnectionFailed(what) => cat(&["could not reach the provider: ", what]),
            Self::InvalidRequest(m) => m.clone(),
            Self::PopupBlocked => "the browser blocked the sign-in popup; call WL.login from a click handler, or allow popups for this site".into(),
            Self::InvalidState => "the sign-in answer does not belong to this request (state or nonce mismatch)".into(),
            Self::InvalidToken(why) => cat(&["the ID token is not valid: ", why]),
            Self::Provider(code) => cat(&["the provider refused the request (", code, ")"]),
            Self::Api { message, .. } => message.clone(),
            Self::InsufficientScope(s) => {
                cat(&["this call needs the scope \"", s, "\": ask for it with WL.login({ scope: \"", s, "\" })"])
            }
            Self::SessionEnded => "the session has ended (its token was revoked or expired): sign in again".into(),
            Self::NotSupported => "no wl_api_base at this provider: WL.api answers only GET me, from userinfo".into(),
        }
    }

    /// A configuration error with a message.
    pub fn config(msg: &str) -> Self {
        Self::InvalidRequest(msg.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(Error::AccessDenied.code(), "access_denied");
        assert_eq!(Error::UserCanceled.code(), "user_canceled");
        assert_eq!(Error::RequestCanceled.code(), "request_canceled");
        assert_eq!(Error::TimedOut.code(), "timed_out");
        assert_eq!(
            Error::ConnectionFailed("x".into()).code(),
            "connection_failed"
        );
        assert_eq!(Error::PopupBlocked.code(), "popup_blocked");
        assert_eq!(Error::InvalidState.code(), "invalid_state");
        assert_eq!(Error::NotSupported.code(), "not_supported");
        assert_eq!(Error::from_oauth("access_denied"), Error::AccessDenied);
        assert_eq!(Error::from_oauth("server_error").code(), "server_error");
        assert!(
            Error::InsufficientScope("wl.contacts".into())
                .to_string()
                .contains("wl.contacts")
        );
    }
}
