//! The hub over plain HTTP, for a back end holding a person's (offline) token: read and set the
//! person's presence, list their conversations, read one's history and send a message. Each
//! call does what the matching hub frame does (the same checks, limits, ids and live delivery:
//! [`super::send_message`] is the one send path of both), answered in the `/v1` JSON shapes
//! (`{ "error": { "code", "message" } }`). Scope `wl.messenger`. Listed in the `/v1` route
//! table (`crate::api::routes`) with `handler: None`; documented in `docs/messenger.md`.
//!
//! A friend id that is not a friend of the token's person (or no person at all) is answered
//! 404 `not_friends` on every call, so the answer never tells whether the id exists.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::HubState;
use super::protocol::{self, HubError, Shown, Status};
use crate::error::{AppError, JsonError};
use crate::identity::tokens::TokenInfo;
use crate::store::messages::{self as store, NewMessage};

/// The scope every call needs.
pub const SCOPE: &str = "wl.messenger";

/// A failed call: a token or scope error (answered as `/userinfo` does, with the bearer
/// challenge), or one of the hub's own with its status.
#[derive(Debug)]
pub enum RestError {
    /// Token, scope or storage errors.
    App(AppError),
    /// Any other: status, stable code and message.
    Hub(StatusCode, &'static str, String, Option<u64>),
}

impl From<AppError> for RestError {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

impl From<crate::store::DbError> for RestError {
    fn from(e: crate::store::DbError) -> Self {
        Self::App(AppError::Db(e))
    }
}

impl From<HubError> for RestError {
    fn from(e: HubError) -> Self {
        let status = match &e {
            HubError::NotFriends => StatusCode::NOT_FOUND,
            HubError::MessageTooLong | HubError::BadFrame(_) => StatusCode::BAD_REQUEST,
            HubError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            HubError::StorageFull(_) => StatusCode::CONFLICT,
            HubError::Unauthorized => StatusCode::UNAUTHORIZED,
            HubError::InsufficientScope => StatusCode::FORBIDDEN,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let retry = match &e {
            HubError::RateLimited { retry_after_ms } => Some(*retry_after_ms),
            _ => None,
        };
        Self::Hub(status, e.code(), e.to_string(), retry)
    }
}

impl RestError {
    fn body(message: impl Into<String>) -> Self {
        Self::Hub(
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
            message.into(),
            None,
        )
    }

    fn parameter(message: impl Into<String>) -> Self {
        Self::Hub(
            StatusCode::BAD_REQUEST,
            "request_parameter_invalid",
            message.into(),
            None,
        )
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        match self {
            Self::App(e) => JsonError(e).into_response(),
            Self::Hub(status, code, message, retry) => {
                let mut error = json!({ "code": code, "message": message });
                if let Some(ms) = retry {
                    error["retry_after_ms"] = json!(ms);
                }
                let mut res = (
                    status,
                    [(header::CACHE_CONTROL, "no-store")],
                    axum::Json(json!({ "error": error })),
                )
                    .into_response();
                if let Some(ms) = retry {
                    let secs = ms.div_ceil(1000).max(1);
                    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                        res.headers_mut().insert(header::RETRY_AFTER, v);
                    }
                }
                res.extensions_mut().insert(crate::stats::ErrorCode(code));
                res
            }
        }
    }
}

type RestResult<T> = Result<T, RestError>;

/// Largest messenger REST body, in bytes: a 2000-character message of emoji that a client
/// escapes as `\uD83D\uDE00` (12 B each) fits, with its `client_id`.
const MAX_REST_BODY: usize = 32 * 1024;

/// A JSON object body as `T`, read by the one body reader ([`crate::web::json_object`]: its
/// type, size and shape rules) and then by serde; `shape` is what to send.
fn object<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
    shape: &str,
) -> RestResult<T> {
    let map = crate::web::json_object(headers, body, shape, MAX_REST_BODY)
        .map_err(|e| RestError::body(e.to_string()))?;
    serde_json::from_value(Value::Object(map))
        .map_err(|e| RestError::body(format!("expected {shape} ({e})")))
}

/// The request's valid bearer token with `wl.messenger`.
async fn token(state: &HubState, headers: &HeaderMap) -> RestResult<Arc<TokenInfo>> {
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or(AppError::InvalidToken)?;
    let tok = crate::identity::tokens::validate_access(&state.tokens, raw).await?;
    if !tok.scopes.contains(SCOPE) {
        return Err(AppError::InsufficientScope(SCOPE).into());
    }
    Ok(tok)
}

fn ok(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

/// A message as the REST calls answer it: `status` is `delivered` once it reached one of the
/// recipient's hub connections, else `sent`; `client_id` only on the sender's own.
pub fn message_json(m: &store::Message, viewer: &str) -> Value {
    let mut v = json!({
        "id": m.id,
        "from": m.from,
        "to": m.to,
        "text": m.text,
        "sent_at": protocol::rfc3339(m.at),
        "status": if m.delivered { "delivered" } else { "sent" },
    });
    if let (true, Some(c)) = (viewer == m.from, &m.client_id) {
        v["client_id"] = json!(c);
    }
    v
}

/// What friends see of `person` now, over every instance.
async fn shown(state: &HubState, person: &str) -> Shown {
    let here = state.hub.registry.shown(person);
    let bus = state.hub.bus();
    if here != Shown::Offline || !bus.shared() {
        return here;
    }
    bus.shown_elsewhere(&[person.to_owned()])
        .await
        .get(person)
        .copied()
        .unwrap_or(Shown::Offline)
}

async fn presence_json(state: &HubState, person: &str) -> Value {
    json!({
        "status": state.hub.registry.chosen(person).as_str(),
        "shown": shown(state, person).await.as_str(),
    })
}

/// `GET /v1/me/presence`: the status the person chose and what friends see now.
pub async fn presence(State(state): State<HubState>, headers: HeaderMap) -> RestResult<Response> {
    let tok = token(&state, &headers).await?;
    Ok(ok(
        StatusCode::OK,
        presence_json(&state, &tok.person_id).await,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresenceInput {
    status: Status,
}

/// `PUT /v1/me/presence` `{ "status" }`: as a `presence` frame: the person's connections (here
/// and on other instances) take the status and friends hear of it.
pub async fn set_presence(
    State(state): State<HubState>,
    headers: HeaderMap,
    body: Bytes,
) -> RestResult<Response> {
    let tok = token(&state, &headers).await?;
    let me = tok.person_id.clone();
    let input: PresenceInput = object(
        &headers,
        &body,
        "{ \"status\": available | busy | away | appear_offline }",
    )?;
    state
        .hub
        .take_rest_frame(&me)
        .await
        .map_err(|wait| HubError::RateLimited {
            retry_after_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1),
        })?;
    let registry = &state.hub.registry;
    registry.set_status(&me, input.status);
    let bus = state.hub.bus();
    if bus.shared() && !registry.is_here(&me) {
        // No connection here (the registry told nobody): the instances with one take it.
        let friends = {
            let mut c = state.db.conn().await?;
            store::friends(&mut c, &me).await?
        };
        let now = if shown(&state, &me).await != Shown::Offline {
            input.status.shown()
        } else {
            Shown::Offline
        };
        bus.publish(crate::bus::Event::Presence {
            person: me.clone(),
            shown: now.as_str().to_owned(),
            status: Some(input.status),
            friends: friends.into_iter().map(|f| f.id).collect(),
        });
        // The other instances take the status a moment later: answer what they will show.
        let body = json!({ "status": input.status.as_str(), "shown": now.as_str() });
        return Ok(ok(StatusCode::OK, body));
    }
    Ok(ok(StatusCode::OK, presence_json(&state, &me).await))
}

/// `GET /v1/me/conversations`: friends with messages, newest first, each with the last message
/// and how many of the friend's messages have not reached the person yet.
pub async fn conversations(
    State(state): State<HubState>,
    headers: HeaderMap,
) -> RestResult<Response> {
    let tok = token(&state, &headers).await?;
    let me = &tok.person_id;
    let list = store::conversations(&mut *state.db.conn().await?, me).await?;
    let data: Vec<Value> = list
        .iter()
        .map(|c| {
            json!({
                "friend_id": c.with,
                "last_message": message_json(&c.last, me),
                "undelivered": c.undelivered,
            })
        })
        .collect();
    Ok(ok(StatusCode::OK, json!({ "data": data })))
}

async fn friend_or_404(state: &HubState, me: &str, friend: &str) -> RestResult<()> {
    if store::is_friend(&mut *state.db.conn().await?, me, friend).await? {
        Ok(())
    } else {
        Err(HubError::NotFriends.into())
    }
}

/// The query of `GET …/messages`, as text (a bad number is a `request_parameter_invalid`).
#[derive(Deserialize)]
pub struct HistoryQuery {
    before: Option<String>,
    limit: Option<String>,
}

/// `GET /v1/me/conversations/{friend_id}/messages?before=&limit=`: as the hub's `history`:
/// up to `limit` (default 50, at most 100) messages with an id below `before`, oldest first,
/// and `more` when there are older ones.
pub async fn history(
    State(state): State<HubState>,
    headers: HeaderMap,
    Path(friend): Path<String>,
    q: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> RestResult<Response> {
    let tok = token(&state, &headers).await?;
    // A query axum cannot read (`limit` twice, …) gets the API's JSON error, not axum's text.
    let Query(q) = q.map_err(|e| RestError::parameter(format!("query: {}", e.body_text())))?;
    let me = &tok.person_id;
    let before = match q.before.as_deref() {
        None => i64::MAX,
        Some(b) => b
            .parse::<u64>()
            .map(|b| i64::try_from(b).unwrap_or(i64::MAX))
            .map_err(|_| RestError::parameter("before: a message id (a whole number)"))?,
    };
    // Any whole number (the spec's 18 digits): 0 is raised to 1 and anything over 100,
    // however large, lowered to 100, as the hub's `history` does.
    let limit = match q.limit.as_deref() {
        None => None,
        Some(l) => Some(
            l.parse::<u64>()
                .map(|l| u32::try_from(l).unwrap_or(u32::MAX))
                .map_err(|_| RestError::parameter("limit: a whole number (1 to 100)"))?,
        ),
    };
    friend_or_404(&state, me, &friend).await?;
    let limit = protocol::history_limit(limit);
    let (messages, more) =
        store::history(&mut *state.db.conn().await?, me, &friend, before, limit).await?;
    let data: Vec<Value> = messages.iter().map(|m| message_json(m, me)).collect();
    Ok(ok(StatusCode::OK, json!({ "data": data, "more": more })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendInput {
    text: String,
    client_id: Option<String>,
}

/// `POST /v1/me/conversations/{friend_id}/messages` `{ "text", "client_id"? }`: as a hub
/// `send`: stored (same checks, cap and ids), delivered live to the friend's connections and
/// the sender's, on every instance; 201 with the message.
pub async fn send(
    State(state): State<HubState>,
    headers: HeaderMap,
    Path(friend): Path<String>,
    body: Bytes,
) -> RestResult<Response> {
    let tok = token(&state, &headers).await?;
    let me = tok.person_id.clone();
    let input: SendInput = object(&headers, &body, "{ \"text\": …, \"client_id\"?: … }")?;
    let client_id = match input.client_id {
        Some(c) if c.chars().count() > protocol::MAX_CLIENT_ID => {
            return Err(RestError::body(format!(
                "client_id: at most {} characters",
                protocol::MAX_CLIENT_ID
            )));
        }
        Some(c) => c,
        None => format!("rest-{}", crate::crypto::random_hex(12)),
    };
    state
        .hub
        .take_rest_frame(&me)
        .await
        .map_err(|wait| HubError::RateLimited {
            retry_after_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1),
        })?;
    friend_or_404(&state, &me, &friend).await?;
    let msg = NewMessage {
        from: me.clone(),
        to: friend,
        text: input.text,
        client_id,
    };
    let stored = store::Message {
        id: 0,
        from: msg.from.clone(),
        to: msg.to.clone(),
        text: msg.text.clone(),
        at: 0,
        client_id: Some(msg.client_id.clone()),
        delivered: false,
    };
    // Origin 0: no connection has that id, so every connection of the sender gets a copy.
    let (id, at) = super::send_message(&state, msg, 0).await?;
    let stored = store::Message { id, at, ..stored };
    Ok(ok(StatusCode::CREATED, message_json(&stored, &me)))
}
