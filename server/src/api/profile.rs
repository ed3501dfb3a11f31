//! The person endpoints of `/v1`: `/v1/me`, `/v1/{id}` and their pictures, and the answers
//! to `/v1` paths and methods that name no API.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ApiResult};
use crate::error::{AppError, AppResult};
use crate::identity::people::{self, Person};
use crate::identity::tokens::TokenInfo;
use crate::identity::userinfo::Bearer;
use crate::state::AppState;

fn load_person(state: &AppState, id: &str) -> AppResult<Person> {
    state
        .db
        .with(|c| people::by_id(c, id))?
        .ok_or(AppError::InvalidToken)
}

/// `GET /v1/me`.
pub async fn me(State(state): State<AppState>, Bearer(tok): Bearer) -> ApiResult<Response> {
    let person = load_person(&state, &tok.person_id)?;
    Ok(Json(person.live_profile(&state.issuer, tok.scopes.emails())).into_response())
}

/// The picture sizes Live Connect offered (`type=`); the provider's SVG pictures scale, so
/// every size is the same image.
pub const PICTURE_TYPES: &[&str] = &["small", "medium", "large"];

/// A picture answer: a 302 to `url`, or `{ "location": url }` with `suppress_redirects=true`.
fn picture_answer(url: &str, raw: Option<&str>) -> ApiResult<Response> {
    let mut suppress = false;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "suppress_redirects" => {
                suppress = match v.as_ref() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(ApiError::ParameterInvalid {
                            parameter: "suppress_redirects",
                            message: format!("expected 'true' or 'false', found '{other}'"),
                        });
                    }
                }
            }
            "type" if !PICTURE_TYPES.contains(&v.as_ref()) => {
                return Err(ApiError::ParameterInvalid {
                    parameter: "type",
                    message: format!("expected 'small', 'medium' or 'large', found '{v}'"),
                });
            }
            _ => {}
        }
    }
    if suppress {
        return Ok(Json(serde_json::json!({ "location": url })).into_response());
    }
    Ok(crate::web::redirect(StatusCode::FOUND, url))
}

/// `GET /v1/me/picture`: a redirect to the picture (or `{location}` with `suppress_redirects=true`).
pub async fn me_picture(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let person = load_person(&state, &tok.person_id)?;
    picture_answer(&person.picture_url(&state.issuer), raw.as_deref())
}

/// A friend of the token's person (needs `wl.basic`), or 404 when they are not friends.
fn visible_friend(state: &AppState, tok: &TokenInfo, id: &str) -> ApiResult<Person> {
    if !tok.scopes.contains("wl.basic") {
        return Err(AppError::InsufficientScope("wl.basic").into());
    }
    let friend = state
        .db
        .with(|c| people::are_friends(c, &tok.person_id, id))?;
    if !friend {
        return Err(AppError::NotFound.into());
    }
    Ok(state
        .db
        .with(|c| people::by_id(c, id))?
        .ok_or(AppError::NotFound)?)
}

/// `GET /v1/{id}/picture`: the token's person's own picture, or a friend's (needs
/// `wl.basic`); 404 `resource_not_found` for anyone else.
pub async fn person_picture(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let person = if id == tok.person_id {
        load_person(&state, &tok.person_id)?
    } else {
        visible_friend(&state, &tok, &id)?
    };
    picture_answer(&person.picture_url(&state.issuer), raw.as_deref())
}

/// `GET /v1/{id}`: the token's person (as `/v1/me`), a friend's profile (needs `wl.basic`),
/// or one of their contacts (`contact.…` ids, needs `wl.contacts`).
pub async fn person(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    if id == tok.person_id {
        return me(State(state), Bearer(tok)).await;
    }
    if id.starts_with("contact.") {
        let scope = super::contacts::SCOPE;
        if !tok.scopes.contains(scope) {
            return Err(AppError::InsufficientScope(scope).into());
        }
        let contact = super::collections::contact_by_id(&state, &tok.person_id, &id)?
            .ok_or(AppError::NotFound)?;
        return Ok(Json(contact).into_response());
    }
    let person = visible_friend(&state, &tok, &id)?;
    Ok(Json(person.live_profile(&state.issuer, false)).into_response())
}

/// Any `/v1` path that names no API: 404 `request_url_invalid` (no token needed).
pub async fn url_invalid(uri: Uri) -> ApiError {
    ApiError::UrlInvalid(uri.path().to_owned())
}

/// A method a `/v1` path does not answer: 405 `request_method_invalid`.
pub async fn method_invalid(method: Method) -> ApiError {
    ApiError::MethodInvalid(method.to_string())
}
