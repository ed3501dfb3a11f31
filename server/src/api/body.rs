//! Request bodies: the one reader of a JSON object body that the `/v1` write endpoints share
//! (contacts, invitations, calendars and events, albums).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use super::error::{ApiError, ApiResult};

/// Largest accepted JSON body, in bytes.
pub const MAX_BODY: usize = 16 * 1024;

/// The bytes of a body axum could read, or `request_body_invalid` saying why not.
pub fn received(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|e| ApiError::BodyInvalid {
        field: None,
        message: format!("the body could not be read ({e})"),
    })
}

/// The JSON object of a body: `Content-Type` JSON (or absent), not empty (`example` shows what
/// to send), at most [`MAX_BODY`] bytes, valid JSON, an object.
pub fn json_object(
    headers: &HeaderMap,
    body: &[u8],
    example: &str,
) -> ApiResult<Map<String, Value>> {
    if let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media != "application/json" && !media.ends_with("+json") {
            return Err(ApiError::BodyInvalid {
                field: None,
                message: format!(
                    "the body must be JSON (Content-Type: application/json), not '{media}'"
                ),
            });
        }
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::ParameterMissing(format!(
            "The request needs a JSON body, e.g. {example}."
        )));
    }
    if body.len() > MAX_BODY {
        return Err(ApiError::BodyInvalid {
            field: None,
            message: format!("the body is larger than {} KB", MAX_BODY / 1024),
        });
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BodyInvalid {
            field: None,
            message: "the body must be a JSON object".into(),
        }),
        Err(e) => Err(ApiError::BodyInvalid {
            field: None,
            message: format!("the body is not valid JSON ({e})"),
        }),
    }
}
