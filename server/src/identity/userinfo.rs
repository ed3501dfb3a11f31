//! The bearer token of a request ([`Bearer`]) and OpenID Connect's `/userinfo`, which answers
//! the claims the token's scopes release ([`released_claims`], OIDC Core §5.4): `sub` alone
//! for a token granted only `openid`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, JsonError};
use crate::identity::people::{self, Person};
use crate::identity::scopes::ScopeSet;
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
        let tok = tokens::validate_access(&Tokens::from_ref(state), token).await?;
        if let Some(caller) = parts.extensions.get::<crate::stats::Caller>() {
            caller.set(&tok);
        }
        Ok(Bearer(tok))
    }
}

/// `GET|POST /userinfo` (OpenID Connect).
pub async fn userinfo(
    State(state): State<Tokens>,
    Bearer(tok): Bearer,
) -> Result<Response, JsonError> {
    let person = people::by_id(&mut *state.db.conn().await?, &tok.person_id)
        .await?
        .ok_or(AppError::InvalidToken)?;
    Ok(Json(released_claims(&person, &state.issuer, &tok.scopes)).into_response())
}

/// The claims about `person` that `scopes` release ([`crate::identity::scopes::Scope::claims`]),
/// as `/userinfo` answers them and the ID token carries them; `sub` always.
pub fn released_claims(person: &Person, issuer: &str, scopes: &ScopeSet) -> serde_json::Value {
    let mut all = person.oidc_claims(issuer, true);
    all["profile"] = serde_json::json!(format!("{issuer}/people/{}", person.id));
    if let serde_json::Value::Object(map) = &mut all {
        map.retain(|claim, _| claim == "sub" || scopes.releases(claim));
    }
    all
}
