//! The errors of the `/v1` data APIs, with the Live Connect codes, in one JSON shape:
//!
//! ```json
//! { "error": { "code": "request_parameter_invalid", "message": "$filter: … at position 7" } }
//! ```
//!
//! | code | status | when |
//! | --- | --- | --- |
//! | `request_token_invalid` | 401 | no token, a malformed, unknown or revoked one |
//! | `request_token_expired` | 401 | a token past its expiry |
//! | `insufficient_scope` | 403 | the token lacks the scope the call needs (named in `WWW-Authenticate`) |
//! | `request_parameter_invalid` | 400 | a query option or parameter that does not parse or fit (`$filter`, `$format`, `$type`, …) |
//! | `request_parameter_missing` | 400 | a required parameter or the request body is absent |
//! | `request_body_invalid` | 400 | a body that is not JSON, not an object, or has an invalid field (named) |
//! | `request_url_invalid` | 404 | a `/v1` path that names no API |
//! | `request_method_invalid` | 405 | a method the path does not answer |
//! | `resource_not_found` | 404 | an id the token's person may not see, or that does not exist |
//! | `precondition_failed` | 412 | `If-Match` names none of the item's current `ETag`s; nothing was written |
//!
//! Token, scope and not-found errors are [`AppError`]s (shared with `/userinfo`); 401s carry
//! `WWW-Authenticate: Bearer error="invalid_token"` and 403s the `insufficient_scope`
//! challenge. The `$format=xml` layer renders any of these as XML.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::{AppError, JsonError};
use crate::odata::QueryError;

/// Everything a `/v1` handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An OData option that does not parse or does not fit the collection.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Another query parameter with a value the API does not accept.
    #[error("{parameter}: {message}")]
    ParameterInvalid {
        /// The parameter, e.g. `$format`.
        parameter: &'static str,
        /// Why, in plain words.
        message: String,
    },
    /// A required parameter (or the whole body) is missing.
    #[error("{0}")]
    ParameterMissing(String),
    /// The request body is not valid; `field` names the offending field when there is one.
    #[error("{}{message}", field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default())]
    BodyInvalid {
        /// The body field at fault (`first_name`, `emails.preferred`), if any.
        field: Option<String>,
        /// Why, in plain words.
        message: String,
    },
    /// A `/v1` path that names no API.
    #[error("The URL '{0}' does not name a /v1 API. See /v1/openapi.json for the list.")]
    UrlInvalid(String),
    /// A method the path does not answer.
    #[error("The method {0} is not supported by this URL.")]
    MethodInvalid(String),
    /// An `If-Match` that the item's current version does not meet (nothing was written).
    #[error("{0}")]
    PreconditionFailed(String),
    /// Token, scope, not-found, storage and internal errors, answered as [`AppError`] does.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::store::DbError> for ApiError {
    fn from(e: crate::store::DbError) -> Self {
        Self::App(AppError::Db(e))
    }
}

impl ApiError {
    /// A body error naming a field.
    pub fn body(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BodyInvalid {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The stable Live Connect code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Query(e) => e.code(),
            Self::ParameterInvalid { .. } => "request_parameter_invalid",
            Self::ParameterMissing(_) => "request_parameter_missing",
            Self::BodyInvalid { .. } => "request_body_invalid",
            Self::UrlInvalid(_) => "request_url_invalid",
            Self::MethodInvalid(_) => "request_method_invalid",
            Self::PreconditionFailed(_) => "precondition_failed",
            Self::App(e) => e.code(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Query(_)
            | Self::ParameterInvalid { .. }
            | Self::ParameterMissing(_)
            | Self::BodyInvalid { .. } => StatusCode::BAD_REQUEST,
            Self::UrlInvalid(_) => StatusCode::NOT_FOUND,
            Self::MethodInvalid(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::App(e) => e.status(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::App(e) = self {
            return JsonError(e).into_response();
        }
        tracing::debug!(code = self.code(), error = %self, "api request rejected");
        let mut res = (
            self.status(),
            Json(json!({ "error": { "code": self.code(), "message": self.to_string() } })),
        )
            .into_response();
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res.extensions_mut()
            .insert(crate::stats::ErrorCode(self.code()));
        res
    }
}

/// Result alias for `/v1` handlers.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses() {
        let cases: Vec<(ApiError, &str, u16)> = vec![
            (
                ApiError::ParameterInvalid {
                    parameter: "$format",
                    message: "x".into(),
                },
                "request_parameter_invalid",
                400,
            ),
            (
                ApiError::ParameterMissing("x".into()),
                "request_parameter_missing",
                400,
            ),
            (
                ApiError::body("first_name", "is required"),
                "request_body_invalid",
                400,
            ),
            (
                ApiError::UrlInvalid("/v1/x/y".into()),
                "request_url_invalid",
                404,
            ),
            (
                ApiError::MethodInvalid("PUT".into()),
                "request_method_invalid",
                405,
            ),
            (AppError::NotFound.into(), "resource_not_found", 404),
            (AppError::ExpiredToken.into(), "request_token_expired", 401),
            (AppError::InvalidToken.into(), "request_token_invalid", 401),
            (
                AppError::InsufficientScope("wl.basic").into(),
                "insufficient_scope",
                403,
            ),
        ];
        for (e, code, status) in cases {
            assert_eq!(e.code(), code);
            assert_eq!(e.status().as_u16(), status, "{code}");
        }
        assert_eq!(
            ApiError::body("emails.preferred", "is not an email address").to_string(),
            "emails.preferred: is not an email address"
        );
    }
}
