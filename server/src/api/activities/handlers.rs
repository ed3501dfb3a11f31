//! The bearer-token endpoints: `GET /v1/me/activities`, `GET /v1/me/feed` (both `wl.basic`),
//! `POST /v1/me/activities` and `POST /v1/me/share` (both `wl.share`).
//!
//! The two collections are OData-queryable through the same machinery as `/v1/me/friends`
//! ([`crate::api::collections`]): each activity is one row whose fields are AS2 properties
//! (`actor/name`, `object/href`, …), so `$filter`, `$select`, `$orderby`, `$top`, `$skip` and
//! `$count` work on them. Each item of the answer is then made a standalone ActivityStreams 2.0
//! object: `@context` added, `to` as an array, absent (null) values left out.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::templates::{self, TemplateError};
use crate::api::collections::{Collection, Place, query};
use crate::api::error::{ApiError, ApiResult};
use crate::error::AppError;
use crate::identity::tokens::TokenInfo;
use crate::identity::userinfo::Bearer;
use crate::state::AppState;
use crate::store::activities::{
    self as store, Audience, InvalidField, Links, MAX_LINE, MAX_MESSAGE, NewActivity, share_summary,
};
use crate::store::collections::{FEED_ROWS, OWN_ACTIVITY_ROWS};

/// The ActivityStreams 2.0 JSON-LD context.
pub const CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
/// The scope that reads activities (your own and your feed).
pub const READ_SCOPE: &str = "wl.basic";
/// The scope that writes them.
pub const WRITE_SCOPE: &str = "wl.share";

/// `GET /v1/me/activities`: your own activities.
pub const OWN: Place = Place {
    path: "/v1/me/activities",
    scope: READ_SCOPE,
};
/// `POST /v1/me/activities`: write one from a template.
pub const CREATE: Place = Place {
    path: OWN.path,
    scope: WRITE_SCOPE,
};
/// `GET /v1/me/feed`: your friends' activities.
pub const FEED: Place = Place {
    path: "/v1/me/feed",
    scope: READ_SCOPE,
};
/// `POST /v1/me/share`: share a link.
pub const SHARE: Place = Place {
    path: "/v1/me/share",
    scope: WRITE_SCOPE,
};

/// A `request_body_invalid` whose message already names the field (`to[1]: …`).
fn body_error(message: impl Into<String>) -> ApiError {
    ApiError::BodyInvalid {
        field: None,
        message: message.into(),
    }
}

impl From<InvalidField> for ApiError {
    fn from(e: InvalidField) -> Self {
        body_error(e.to_string())
    }
}

impl From<TemplateError> for ApiError {
    fn from(e: TemplateError) -> Self {
        body_error(e.to_string())
    }
}

fn own_collection(place: Place) -> Collection {
    Collection::new(place, &OWN_ACTIVITY_ROWS)
}

fn feed_collection() -> Collection {
    Collection::new(FEED, &FEED_ROWS)
}

/// Makes a collection row a standalone AS2 object: `@context`, `to` as an array, no nulls.
fn as_activity(item: Value) -> Value {
    fn strip_nulls(map: &mut Map<String, Value>) {
        map.retain(|_, v| match v {
            Value::Null => false,
            Value::Object(inner) => {
                strip_nulls(inner);
                !inner.is_empty()
            }
            _ => true,
        });
    }
    let Value::Object(mut map) = item else {
        return item;
    };
    strip_nulls(&mut map);
    if let Some(Value::String(to)) = map.get("to") {
        let list: Vec<Value> = to.split_whitespace().map(|s| json!(s)).collect();
        map.insert("to".into(), Value::Array(list));
    }
    map.insert("@context".into(), json!(CONTEXT));
    Value::Object(map)
}

/// Runs a collection query and returns its JSON envelope with every item as an AS2 object.
async fn collection_json(
    state: &AppState,
    tok: &TokenInfo,
    raw: Option<&str>,
    coll: &Collection,
) -> ApiResult<Response> {
    let res = query(state, tok, raw, coll).await?;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !res.status().is_success() || !is_json {
        return Ok(res);
    }
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .map_err(|e| AppError::Internal(format!("reading a collection body: {e}")))?;
    let mut envelope: Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::Internal(format!("collection body is not JSON: {e}")))?;
    if let Some(Value::Array(items)) = envelope.get_mut("data") {
        let taken = std::mem::take(items);
        *items = taken.into_iter().map(as_activity).collect();
    }
    Ok(Json(envelope).into_response())
}

/// `GET /v1/me/activities`: the token's person's own activities (needs `wl.basic`).
pub async fn own(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    collection_json(&state, &tok, raw.as_deref(), &own_collection(OWN)).await
}

/// `GET /v1/me/feed`: friends' activities shared with the token's person (needs `wl.basic`).
pub async fn feed(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    collection_json(&state, &tok, raw.as_deref(), &feed_collection()).await
}

/// Parses a JSON object body; anything else is a `request_body_invalid` naming the problem.
fn object_body(body: &Bytes) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::ParameterMissing(
            "body: the request has no body (send a JSON object)".into(),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(body_error("body: must be a JSON object")),
        Err(e) => Err(body_error(format!("body: not valid JSON ({e})"))),
    }
}

/// Rejects keys an endpoint does not take.
fn only_keys(map: &Map<String, Value>, allowed: &[&str]) -> ApiResult<()> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(body_error(format!(
            "{k}: unknown field (this endpoint takes {})",
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

/// An optional string field.
fn opt_string<'a>(map: &'a Map<String, Value>, key: &str) -> ApiResult<Option<&'a str>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(body_error(format!("{key}: must be a string"))),
    }
}

/// The audience from an optional `to` (an array of friends' ids); every friend when absent.
async fn audience(state: &AppState, person_id: &str, to: Option<&Value>) -> ApiResult<Audience> {
    let list = match to {
        None | Some(Value::Null) => return Ok(Audience::Friends),
        Some(Value::Array(list)) if !list.is_empty() => list,
        Some(_) => {
            return Err(body_error(
                "to: must be a non-empty array of your friends' ids (or left out for all friends)",
            ));
        }
    };
    let friends = store::friends(&mut *state.db.conn().await?, person_id).await?;
    let mut ids: Vec<String> = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let Some(id) = v.as_str() else {
            return Err(body_error(format!("to[{i}]: must be a string")));
        };
        if !friends.iter().any(|f| f.id == id) {
            return Err(body_error(format!(
                "to[{i}]: `{id}` is not one of your friends"
            )));
        }
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_owned());
        }
    }
    Ok(Audience::Chosen(ids))
}

/// The longest action label, in characters.
pub const MAX_ACTION_NAME: usize = 60;

/// The app's registered site, the default "via" link: its first registered origin (sorted),
/// else the origin of its first redirect URI; `None` when it has neither.
pub fn site_of(app: &crate::store::apps::App) -> Option<String> {
    let from_origin = app.origins.first().cloned();
    let from_redirect = || {
        app.redirect_uris
            .first()
            .and_then(|u| url::Url::parse(u).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(|u| u.origin().ascii_serialization())
    };
    from_origin
        .or_else(from_redirect)
        .and_then(|o| store::check_link("via", &o).ok())
}

/// The action and "via" links of a body (`action: { href, name? }`, `via: "https://…"`),
/// checked: absolute http(s) URLs of at most `MAX_LINK` bytes; `via` defaults to the app's
/// registered site.
async fn links(state: &AppState, client_id: &str, map: &Map<String, Value>) -> ApiResult<Links> {
    let (action_href, action_name) = match map.get("action") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(a)) => {
            only_keys_in("action", a, &["href", "name"])?;
            let href = opt_string(a, "href")
                .map_err(|_| body_error("action.href: must be a string"))?
                .ok_or_else(|| body_error("action.href: missing (an http or https link)"))?;
            let href = store::check_link("action.href", href)?;
            let name = match opt_string(a, "name")
                .map_err(|_| body_error("action.name: must be a string"))?
            {
                Some(n) => store::check_text("action.name", n, MAX_ACTION_NAME)?,
                None => None,
            };
            (Some(href), name)
        }
        Some(_) => {
            return Err(body_error(
                "action: must be an object { \"href\": an http or https link, \"name\"?: a label }",
            ));
        }
    };
    let via_href = match opt_string(map, "via")? {
        Some(v) => Some(store::check_link("via", v)?),
        None => {
            let app = crate::store::apps::find(&mut *state.db.conn().await?, client_id).await?;
            app.as_ref().and_then(site_of)
        }
    };
    Ok(Links {
        action_href,
        action_name,
        via_href,
    })
}

/// Rejects keys an object inside the body does not take (`action.colour: unknown field`).
fn only_keys_in(prefix: &str, map: &Map<String, Value>, allowed: &[&str]) -> ApiResult<()> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(body_error(format!(
            "{prefix}.{k}: unknown field (takes {})",
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Writes `activity` and answers `201` with it, read back through the collection.
async fn write_and_answer(
    state: &AppState,
    tok: &TokenInfo,
    activity: NewActivity,
) -> ApiResult<Response> {
    let id = store::insert(&state.db, &activity).await?;
    let (app, link) = (
        activity.client_id.as_deref(),
        activity.object_href.is_some(),
    );
    state.tokens.stats.published(app, link, activity.published);
    tracing::info!(person = %tok.person_id, activity = %id, kind = activity.kind, "activity written");
    let raw = format!("$filter=id%20eq%20'{id}'");
    let res = collection_json(state, tok, Some(&raw), &own_collection(CREATE)).await?;
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .map_err(|e| AppError::Internal(format!("reading the new activity: {e}")))?;
    let envelope: Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::Internal(format!("new activity is not JSON: {e}")))?;
    let item = envelope["data"]
        .get(0)
        .cloned()
        .ok_or_else(|| AppError::Internal(format!("activity {id} not found after writing")))?;
    Ok((StatusCode::CREATED, Json(item)).into_response())
}

async fn actor_name(state: &AppState, person_id: &str) -> ApiResult<String> {
    let person = crate::identity::people::by_id(&mut *state.db.conn().await?, person_id)
        .await?
        .ok_or(AppError::InvalidToken)?;
    Ok(person.display_name)
}

/// `POST /v1/me/activities` (needs `wl.share`):
/// `{ "template": "shared_link", "values": { "url": …, "title": … }, "to": [ids]? }`.
pub async fn create(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    body: Bytes,
) -> ApiResult<Response> {
    if !tok.scopes.contains(WRITE_SCOPE) {
        return Err(AppError::InsufficientScope(WRITE_SCOPE).into());
    }
    let map = object_body(&body)?;
    only_keys(&map, &["template", "values", "to", "action", "via"])?;
    let name = opt_string(&map, "template")?.ok_or_else(|| {
        body_error(format!(
            "template: missing (one of {})",
            templates::TEMPLATES
                .iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let empty = Map::new();
    let values = match map.get("values") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(v)) => v,
        Some(_) => {
            return Err(body_error("values: must be an object of strings"));
        }
    };
    let actor = actor_name(&state, &tok.person_id).await?;
    let filled = match templates::find(name) {
        Some(t) => t.fill(&actor, values)?,
        // The app's own templates (issue 15), for tokens of that app only.
        None => {
            match crate::identity::apps::custom_template(&state.db, &tok.client_id, name).await? {
                Some(text) => templates::fill_custom(name, &text, &actor, values)?,
                None => templates::fill_named(name, &actor, values)?,
            }
        }
    };
    let audience = audience(&state, &tok.person_id, map.get("to")).await?;
    let links = links(&state, &tok.client_id, &map).await?;
    let activity = NewActivity {
        actor_id: tok.person_id.clone(),
        kind: filled.kind,
        object_type: filled.object_type,
        object_href: filled.href,
        object_name: filled.object_name,
        summary: filled.summary,
        content: filled.content,
        template: Some(filled.template_name.into()),
        audience,
        client_id: Some(tok.client_id.clone()),
        published: state.clock.now(),
        links,
    };
    write_and_answer(&state, &tok, activity).await
}

/// `POST /v1/me/share` (needs `wl.share`): `{ "link": …, "message"?: …, "title"?: …,
/// "to"?: [ids] }` shares a page with your friends (all of them unless `to` names some).
pub async fn share(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    body: Bytes,
) -> ApiResult<Response> {
    if !tok.scopes.contains(WRITE_SCOPE) {
        return Err(AppError::InsufficientScope(WRITE_SCOPE).into());
    }
    let map = object_body(&body)?;
    only_keys(&map, &["link", "message", "title", "to", "action", "via"])?;
    let link = opt_string(&map, "link")?
        .ok_or_else(|| body_error("link: missing (an http or https link)"))?;
    let link = store::check_link("link", link)?;
    let message = match opt_string(&map, "message")? {
        Some(m) => store::check_text("message", m, MAX_MESSAGE)?,
        None => None,
    };
    let title = match opt_string(&map, "title")? {
        Some(t) => store::check_text("title", t, MAX_LINE)?,
        None => None,
    };
    let audience = audience(&state, &tok.person_id, map.get("to")).await?;
    let links = links(&state, &tok.client_id, &map).await?;
    let actor = actor_name(&state, &tok.person_id).await?;
    let activity = NewActivity {
        actor_id: tok.person_id.clone(),
        kind: "Announce",
        object_type: "Link",
        object_href: Some(link),
        summary: share_summary(&actor, title.as_deref()),
        object_name: title,
        content: message,
        template: None,
        audience,
        client_id: Some(tok.client_id.clone()),
        published: state.clock.now(),
        links,
    };
    write_and_answer(&state, &tok, activity).await
}

/// `/v1/me/activities/{id}`: one of your own activities.
pub const ONE_PATH: &str = "/v1/me/activities/{id}";
/// The largest `PATCH` body, in bytes.
pub const MAX_PATCH_BODY: usize = 16 * 1024;
/// The fields of an activity a `PATCH` may not change.
const READ_ONLY: &[&str] = &[
    "@context",
    "id",
    "type",
    "actor",
    "object",
    "url",
    "summary",
    "mediaType",
    "published",
    "to",
    "generator",
    "action",
];

/// An id that may name an activity (hex and the seed's suffix characters, bounded); anything
/// else is answered 404 without a look-up.
fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The token's person's own activity as the collection shows it, or 404.
async fn own_item(state: &AppState, tok: &TokenInfo, id: &str, place: Place) -> ApiResult<Value> {
    let raw = format!("$filter=id%20eq%20'{id}'");
    let res = collection_json(state, tok, Some(&raw), &own_collection(place)).await?;
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .map_err(|e| AppError::Internal(format!("reading an activity: {e}")))?;
    let envelope: Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::Internal(format!("activity is not JSON: {e}")))?;
    Ok(envelope["data"].get(0).cloned().ok_or(AppError::NotFound)?)
}

/// `GET /v1/me/activities/{id}` (needs `wl.basic`): one of your own activities with its
/// `ETag`; 304 for a matching `If-None-Match`; 404 for anyone else's.
pub async fn get_one(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    if !tok.scopes.contains(READ_SCOPE) {
        return Err(AppError::InsufficientScope(READ_SCOPE).into());
    }
    if !plausible_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let tag = store::own_tag(&mut *state.db.conn().await?, &tok.person_id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if crate::api::etag::not_modified(&headers, &tag)? {
        return Ok(crate::api::etag::not_modified_answer(&tag));
    }
    let item = own_item(&state, &tok, &id, OWN).await?;
    Ok(crate::api::etag::with_tag(Json(item).into_response(), &tag))
}

/// `PATCH /v1/me/activities/{id}` (needs `wl.share`): `{ "content": "…" }` sets your own
/// words on one of your activities (`null` or blank removes them; the only writable field),
/// under `If-Match` when given.
pub async fn patch_one(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    if !tok.scopes.contains(WRITE_SCOPE) {
        return Err(AppError::InsufficientScope(WRITE_SCOPE).into());
    }
    let cond = crate::api::etag::if_match(&headers)?;
    let body = body.map_err(|e| body_error(format!("body: could not be read ({e})")))?;
    if body.len() > MAX_PATCH_BODY {
        return Err(body_error(format!(
            "body: larger than {} KB",
            MAX_PATCH_BODY / 1024
        )));
    }
    let map = object_body(&body)?;
    if let Some(k) = map.keys().find(|k| READ_ONLY.contains(&k.as_str())) {
        return Err(body_error(format!(
            "{k}: is read-only (only content can be changed)"
        )));
    }
    only_keys(&map, &["content"])?;
    let content = match map.get("content") {
        None => return Err(body_error("content: missing (the field a PATCH changes)")),
        Some(Value::Null) => None,
        Some(Value::String(c)) => store::check_text("content", c, MAX_MESSAGE)?,
        Some(_) => return Err(body_error("content: must be a string or null")),
    };
    if !plausible_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let w = store::update_content(
        &state.db,
        &tok.person_id,
        &id,
        crate::api::etag::expected(&cond),
        content.as_deref(),
    )
    .await?;
    use crate::store::contacts::Written;
    match w {
        Written::Done(tag) => {
            let item = own_item(&state, &tok, &id, CREATE).await?;
            Ok(crate::api::etag::with_tag(Json(item).into_response(), &tag))
        }
        Written::NotFound => Err(AppError::NotFound.into()),
        Written::Stale(current) => Ok(crate::api::etag::stale(&current)),
    }
}

/// `DELETE /v1/me/activities/{id}` (needs `wl.share`): removes one of your own activities
/// (from your friends' feeds too): 204, under `If-Match` when given.
pub async fn delete_one(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    if !tok.scopes.contains(WRITE_SCOPE) {
        return Err(AppError::InsufficientScope(WRITE_SCOPE).into());
    }
    let cond = crate::api::etag::if_match(&headers)?;
    if !plausible_id(&id) {
        return Err(AppError::NotFound.into());
    }
    use crate::store::contacts::Written;
    match store::delete_own(
        &state.db,
        &tok.person_id,
        &id,
        crate::api::etag::expected(&cond),
    )
    .await?
    {
        Written::Done(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Written::NotFound => Err(AppError::NotFound.into()),
        Written::Stale(current) => Ok(crate::api::etag::stale(&current)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_as2_objects() {
        let v = as_activity(json!({
            "id": "x",
            "to": "http://p/people/a http://p/people/b",
            "content": null,
            "generator": { "type": null, "name": null },
            "object": { "type": "Link", "href": "https://e.org/", "name": null },
        }));
        assert_eq!(
            v,
            json!({
                "@context": CONTEXT,
                "id": "x",
                "to": ["http://p/people/a", "http://p/people/b"],
                "object": { "type": "Link", "href": "https://e.org/" },
            })
        );
    }
}
