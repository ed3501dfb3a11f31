//! The one error type of the provider. Every variant has a stable `code` and a safe message for
//! the client; the real cause of internal failures is logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Everything a provider handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, malformed, tampered or revoked bearer token.
    #[error("The access token is missing, invalid or has been revoked.")]
    InvalidToken,
    /// A bearer token past its expiry.
    #[error("The access token has expired.")]
    ExpiredToken,
    /// A valid token without the scope this call needs.
    #[error("This call needs the `{0}` scope.")]
    InsufficientScope(&'static str),
    /// No such resource (or not one the token's person may see).
    #[error("The requested resource was not found.")]
    NotFound,
    /// An OAuth 2.0 error from `/token` or `/revoke` (RFC 6749 §5.2).
    #[error("{description}")]
    OAuth {
        /// The RFC 6749 error code (`invalid_grant`, …).
        error: &'static str,
        /// A human-readable explanation.
        description: String,
    },
    /// A problem shown to the person on a provider page (unknown app, bad redirect URI, …).
    #[error("{message}")]
    Page {
        /// HTTP status.
        status: StatusCode,
        /// Stable code, shown small on the page.
        code: &'static str,
        /// The page's heading.
        title: &'static str,
        /// What went wrong, in plain words.
        message: String,
    },
    /// Invalid input to a command or setting (CLI, configuration).
    #[error("{0}")]
    Invalid(String),
    /// A storage failure.
    #[error("database error: {0}")]
    Db(#[from] crate::store::DbError),
    /// Any other internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Shorthand for an OAuth error.
    pub fn oauth(error: &'static str, description: impl Into<String>) -> Self {
        Self::OAuth {
            error,
            description: description.into(),
        }
    }

    /// Shorthand for a provider error page with status 400.
    pub fn page(code: &'static str, title: &'static str, message: impl Into<String>) -> Self {
        Self::Page {
            status: StatusCode::BAD_REQUEST,
            code,
            title,
            message: message.into(),
        }
    }

    /// A storage failure that is the storage's state, not a bug: the disk is full
    /// (`storage_full`), or the database is locked, unreadable or gone
    /// (`database_unavailable`). Both are 503: nothing was written, and the same request may
    /// succeed later.
    fn unavailable(&self) -> Option<&'static str> {
        let Self::Db(e) = self else { return None };
        Some(match crate::store::unavailable(e)? {
            crate::store::Unavailable::Full => "storage_full",
            crate::store::Unavailable::Gone => "database_unavailable",
        })
    }

    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        if let Some(code) = self.unavailable() {
            return code;
        }
        match self {
            Self::InvalidToken => "request_token_invalid",
            Self::ExpiredToken => "request_token_expired",
            Self::InsufficientScope(_) => "insufficient_scope",
            Self::NotFound => "resource_not_found",
            Self::OAuth { error, .. } => error,
            Self::Page { code, .. } => code,
            Self::Invalid(_) => "invalid_input",
            Self::Db(_) | Self::Internal(_) => "server_error",
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        if self.unavailable().is_some() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            Self::InvalidToken | Self::ExpiredToken => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::OAuth { error, .. } if *error == "invalid_client" => StatusCode::UNAUTHORIZED,
            Self::OAuth { .. } => StatusCode::BAD_REQUEST,
            Self::Page { status, .. } => *status,
            Self::Invalid(_) => StatusCode::BAD_REQUEST,
            Self::Db(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message safe to show the client (internal causes are replaced).
    pub fn public_message(&self) -> String {
        match self.unavailable() {
            Some("storage_full") => {
                return "The provider's storage is full; nothing was saved. Please try again later."
                    .into();
            }
            Some(_) => {
                return "The provider's database is unavailable; nothing was saved. Please try again later."
                    .into();
            }
            _ => {}
        }
        match self {
            Self::Db(_) | Self::Internal(_) => {
                "Something went wrong on the provider. Please try again.".into()
            }
            other => other.to_string(),
        }
    }

    /// Logs the error: internal causes as errors, rejections at debug level.
    pub fn log(&self) {
        if matches!(self, Self::Db(_) | Self::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(code = self.code(), error = %self, "request rejected");
        }
    }
}

/// An [`AppError`] answered as JSON, `{ "error": { "code", "message" } }`, with the bearer
/// `WWW-Authenticate` challenge on token and scope errors: the form of `/userinfo`, of the
/// bearer errors of `/v1` and of the public pictures. (The other routers have their own
/// wrappers: `ApiError` for `/v1`, `OAuthError` for `/token` and `/revoke`, `PageError` for
/// the pages.)
#[derive(Debug)]
pub struct JsonError(pub AppError);

impl From<AppError> for JsonError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<crate::store::DbError> for JsonError {
    fn from(e: crate::store::DbError) -> Self {
        Self(AppError::Db(e))
    }
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let mut res = (
            err.status(),
            axum::Json(json!({ "error": { "code": err.code(), "message": err.public_message() } })),
        )
            .into_response();
        let challenge = match &err {
            AppError::InvalidToken | AppError::ExpiredToken => Some(format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                if matches!(err, AppError::ExpiredToken) {
                    "The access token expired"
                } else {
                    "The access token is invalid"
                }
            )),
            AppError::InsufficientScope(scope) => Some(format!(
                "Bearer error=\"insufficient_scope\", scope=\"{scope}\""
            )),
            _ => None,
        };
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        res.extensions_mut()
            .insert(crate::stats::ErrorCode(err.code()));
        res
    }
}

/// Result alias for provider handlers.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codes_for_tests as C;

    fn sqlite(code: i32) -> AppError {
        AppError::Db(crate::store::database_error(&code.to_string()))
    }

    #[test]
    fn postgres_answers_map_like_sqlite_ones() {
        let db = |code: &str| AppError::Db(crate::store::database_error(code));
        assert_eq!(db("53100").code(), "storage_full");
        for code in ["08006", "57P01", "57P03", "53300", "25006"] {
            assert_eq!(db(code).code(), "database_unavailable", "{code}");
        }
        // A unique violation is the provider's bug.
        assert_eq!(db("23505").code(), "server_error");
        // The pool timing out or the connection dropping is the database's state.
        assert_eq!(
            AppError::Db(crate::store::DbError::PoolTimedOut).code(),
            "database_unavailable"
        );
    }

    #[test]
    fn a_full_disk_and_a_missing_database_are_503_with_their_codes() {
        let full = sqlite(C::FULL);
        assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(full.code(), "storage_full");
        assert!(full.public_message().contains("nothing was saved"));
        for code in [C::BUSY, C::CANTOPEN, C::IOERR] {
            let e = sqlite(code);
            assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE, "{code}");
            assert_eq!(e.code(), "database_unavailable", "{code}");
        }
        // A constraint failure is still the provider's bug, not the storage's state.
        let e = sqlite(C::CONSTRAINT);
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.code(), "server_error");
    }
}
