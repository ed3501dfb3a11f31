//! The bearer token of a request ([`Bearer`]) and OpenID Connect's `/userinfo`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, JsonError};
use crate::identity::people;
use crate::identity::tokens::{self, TokenInfo, Tokens};

/// A request's valid access token (from `Authorization: Bearer …`).
#[derive(Debug, Clone)]
pub struct Bearer(pub Arc<TokenInfo>);

impl<S> FromRequestParts<S> for Bearer
where
    S: Send + Sync,
    Tokens: FromRef<S>,
{
    type Rejection = JsonError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
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
        Ok(Bearer(tokens::validate_access(
            &Tokens::from_ref(state),
            token,
        )?))
    }
}

/// `GET|POST /userinfo` (OpenID Connect).
pub async fn userinfo(
    State(state): State<Tokens>,
    Bearer(tok): Bearer,
) -> Result<Response, JsonError> {
    let person = state
        .db
        .with(|c| people::by_id(c, &tok.person_id))?
        .ok_or(AppError::InvalidToken)?;
    Ok(Json(person.oidc_claims(&state.issuer, tok.scopes.emails())).into_response())
}
