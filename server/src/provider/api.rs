//! Bearer-token APIs: `/userinfo` and the Live Connect style `/v1/*`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::people::{self, Person};
use crate::state::AppState;
use crate::tokens::{self, TokenInfo};

/// A request's valid access token (from `Authorization: Bearer …`).
#[derive(Debug, Clone)]
pub struct Bearer(pub Arc<TokenInfo>);

impl FromRequestParts<AppState> for Bearer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or(AppError::InvalidToken)?;
        tokens::validate_access(state, token).map(Bearer)
    }
}

fn load_person(state: &AppState, id: &str) -> AppResult<Person> {
    state
        .db
        .with(|c| people::by_id(c, id))?
        .ok_or(AppError::InvalidToken)
}

/// `GET|POST /userinfo` (OpenID Connect).
pub async fn userinfo(State(state): State<AppState>, Bearer(tok): Bearer) -> AppResult<Response> {
    let person = load_person(&state, &tok.person_id)?;
    Ok(Json(person.oidc_claims(&state.issuer, tok.scopes.emails())).into_response())
}

/// `GET /v1/me`.
pub async fn me(State(state): State<AppState>, Bearer(tok): Bearer) -> AppResult<Response> {
    let person = load_person(&state, &tok.person_id)?;
    Ok(Json(person.live_profile(&state.issuer, tok.scopes.emails())).into_response())
}

/// Query of `/v1/me/picture`.
#[derive(Debug, Deserialize)]
pub struct PictureQuery {
    #[serde(default)]
    suppress_redirects: Option<String>,
}

/// `GET /v1/me/picture`: a redirect to the picture (or `{location}` with `suppress_redirects=true`).
pub async fn me_picture(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Query(q): Query<PictureQuery>,
) -> AppResult<Response> {
    let person = load_person(&state, &tok.person_id)?;
    let url = person.picture_url(&state.issuer);
    if q.suppress_redirects.as_deref() == Some("true") {
        return Ok(Json(serde_json::json!({ "location": url })).into_response());
    }
    Ok(crate::provider::web::redirect(StatusCode::FOUND, &url))
}

/// `GET /v1/{id}`: a friend's profile (needs `wl.basic`).
pub async fn person(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
) -> AppResult<Response> {
    if id == tok.person_id {
        return me(State(state), Bearer(tok)).await;
    }
    if !tok.scopes.contains("wl.basic") {
        return Err(AppError::InsufficientScope("wl.basic"));
    }
    let friend = state
        .db
        .with(|c| people::are_friends(c, &tok.person_id, &id))?;
    if !friend {
        return Err(AppError::NotFound);
    }
    let person = state
        .db
        .with(|c| people::by_id(c, &id))?
        .ok_or(AppError::NotFound)?;
    Ok(Json(person.live_profile(&state.issuer, false)).into_response())
}

/// Any other `/v1/…` path.
pub async fn not_found(Bearer(_): Bearer) -> AppError {
    AppError::NotFound
}
