//! Invitations to connect, by e-mail address: `POST /v1/me/invitations` (`{ "email": … }`),
//! `GET /v1/me/invitations` (`?direction=sent`, the default, or `received`) and
//! `DELETE /v1/me/invitations/{id}` (cancel a pending one you sent). All need `wl.contacts`.
//!
//! **No membership leak.** Sending looks no account up: the answer (status, body shape, the
//! work done) is the same whether the address belongs to a member or not, and it stays
//! `pending` until someone signed in with that address accepts it on the provider's
//! `/invitations` page ([`crate::pages::invitations`]). Inviting your own address is refused
//! (that tells you nothing you do not know). Sending the same address again while it is
//! pending answers the pending invitation (200, nothing new). **No e-mail is sent**: the
//! provider has no mail server; the invitee finds it on the page (or with
//! `GET /v1/me/invitations?direction=received`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::contacts::{MAX_EMAIL, is_email};
use super::error::{ApiError, ApiResult};
use crate::error::AppError;
use crate::identity::people::live_time;
use crate::identity::userinfo::Bearer;
use crate::state::AppState;
use crate::store::invitations::{self as store, Decided, Invitation, InviteError};

/// The collection's path.
pub const PATH: &str = "/v1/me/invitations";
/// One invitation's path.
pub const ONE_PATH: &str = "/v1/me/invitations/{id}";
/// The scope every invitation call needs.
pub const SCOPE: &str = "wl.contacts";

impl From<InviteError> for ApiError {
    fn from(e: InviteError) -> Self {
        match e {
            InviteError::Db(e) => e.into(),
            InviteError::Full(message) => Self::App(AppError::Page {
                status: StatusCode::CONFLICT,
                code: crate::store::collections::CapError::CODE,
                title: "Too many invitations",
                message,
            }),
        }
    }
}

/// An invitation as the API shows it.
pub fn to_json(inv: &Invitation) -> Value {
    json!({
        "id": inv.id,
        "email": inv.email,
        "status": inv.status,
        "from": { "id": inv.inviter_id, "name": inv.inviter_name },
        "created_time": live_time(inv.created_at),
        "decided_time": inv.decided_at.map(live_time),
    })
}

fn check_scope(tok: &crate::identity::tokens::TokenInfo) -> ApiResult<()> {
    if tok.scopes.contains(SCOPE) {
        Ok(())
    } else {
        Err(AppError::InsufficientScope(SCOPE).into())
    }
}

/// The address of a `POST` body: `{ "email": "…" }`, trimmed and lowercased.
pub fn email_of(headers: &HeaderMap, body: &[u8]) -> ApiResult<String> {
    let map = super::body::json_object(headers, body, r#"{"email":"ann@example.com"}"#)?;
    if let Some(k) = map.keys().find(|k| k.as_str() != "email") {
        return Err(ApiError::body(
            k.as_str(),
            "is not an invitation field (send { \"email\": \"…\" })",
        ));
    }
    let email = match map.get("email") {
        Some(Value::String(s)) => s.trim().to_lowercase(),
        None | Some(Value::Null) => {
            return Err(ApiError::body("email", "missing: the address to invite"));
        }
        Some(_) => return Err(ApiError::body("email", "must be a string")),
    };
    if email.chars().count() > MAX_EMAIL {
        return Err(ApiError::body(
            "email",
            format!("must be at most {MAX_EMAIL} characters"),
        ));
    }
    if !is_email(&email) {
        return Err(ApiError::body(
            "email",
            format!("'{email}' is not an email address like ann@example.com"),
        ));
    }
    Ok(email)
}

/// `POST /v1/me/invitations`: 201 with the new invitation and its `Location`, or 200 with
/// the pending one to the same address.
pub async fn create(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    let body = body.map_err(|e| ApiError::BodyInvalid {
        field: None,
        message: format!("the body could not be read ({e})"),
    })?;
    let email = email_of(&headers, &body)?;
    // Only the inviter's own address is compared: no other account is looked at.
    let me = crate::identity::people::by_id(&mut *state.db.conn().await?, &tok.person_id)
        .await?
        .ok_or(AppError::InvalidToken)?;
    if me.email.trim().to_lowercase() == email {
        return Err(ApiError::body(
            "email",
            "is your own address: invite someone else",
        ));
    }
    let (inv, created) =
        store::create(&state.db, &tok.person_id, &email, state.clock.now()).await?;
    tracing::info!(person = %tok.person_id, invitation = %inv.id, created, "invitation sent");
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut res = (status, Json(to_json(&inv))).into_response();
    if let Ok(loc) = HeaderValue::from_str(&format!("{}{PATH}/{}", state.issuer, inv.id)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// Query of `GET /v1/me/invitations`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    direction: Option<String>,
}

/// `GET /v1/me/invitations?direction=sent|received`: `{ "data": [ … ] }`, newest first.
pub async fn list(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    let Query(q) = query.map_err(|e| ApiError::ParameterInvalid {
        parameter: "direction",
        message: e.body_text(),
    })?;
    let mut c = state.db.conn().await?;
    let items = match q.direction.as_deref().unwrap_or("sent") {
        "sent" => store::sent(&mut c, &tok.person_id).await?,
        "received" => {
            let me = crate::identity::people::by_id(&mut c, &tok.person_id)
                .await?
                .ok_or(AppError::InvalidToken)?;
            store::received(&mut c, &tok.person_id, &me.email.trim().to_lowercase()).await?
        }
        other => {
            return Err(ApiError::ParameterInvalid {
                parameter: "direction",
                message: format!("expected 'sent' or 'received', found '{other}'"),
            });
        }
    };
    let data: Vec<Value> = items.iter().map(to_json).collect();
    Ok(Json(json!({ "data": data })).into_response())
}

/// `DELETE /v1/me/invitations/{id}`: cancels a pending invitation you sent (204); someone
/// else's, or none, is 404; one already decided is 409 `invitation_not_pending`.
pub async fn cancel(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    if id.len() > 128 {
        return Err(AppError::NotFound.into());
    }
    match store::cancel(&state.db, &tok.person_id, &id, state.clock.now()).await? {
        Decided::Done => Ok(StatusCode::NO_CONTENT.into_response()),
        Decided::NotFound => Err(AppError::NotFound.into()),
        Decided::NotPending(status) => Err(not_pending(&status).into()),
    }
}

/// 409 `invitation_not_pending`: the invitation was already accepted, declined or cancelled.
pub fn not_pending(status: &str) -> AppError {
    AppError::Page {
        status: StatusCode::CONFLICT,
        code: "invitation_not_pending",
        title: "Invitation already answered",
        message: format!("This invitation is no longer pending (it was {status})."),
    }
}
