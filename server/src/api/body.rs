//! Request bodies: the one reader of a JSON object body that the `/v1` write endpoints share
//! (contacts, invitations, calendars and events, albums).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::error::{ApiError, ApiResult};
use crate::web::BodyError;

pub use crate::web::MAX_BODY;

/// The bytes of a body axum could read, or `request_body_invalid` saying why not.
pub fn received(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|e| ApiError::BodyInvalid {
        field: None,
        message: format!("the body could not be read ({e})"),
    })
}

/// The JSON object of a body ([`crate::web::json_object`]'s rules), as the data API's errors.
pub fn json_object(
    headers: &HeaderMap,
    body: &[u8],
    example: &str,
) -> ApiResult<Map<String, Value>> {
    crate::web::json_object(headers, body, example, MAX_BODY).map_err(|e| match e {
        BodyError::Missing(_) => ApiError::ParameterMissing(e.to_string()),
        _ => ApiError::BodyInvalid {
            field: None,
            message: e.to_string(),
        },
    })
}
