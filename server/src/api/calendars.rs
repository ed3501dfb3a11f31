//! Calendars and events: `wl.calendars` to read, `wl.calendars_update` to write (Live
//! Connect's two calendar scopes; a page can ask for the second only when the person adds an
//! event — the just-in-time consent of `www/demo/calendar.html`).
//!
//! - `GET /v1/me/calendars`: the person's calendars (an OData collection; the default one is
//!   created the first time it is listed).
//! - `GET /v1/me/calendars/{calendar_id}/events`: its events, an OData collection; with
//!   `start_time` and/or `end_time` (RFC 3339, or a date `YYYY-MM-DD` for midnight UTC) only
//!   the events overlapping that range (ending after `start_time`, starting before
//!   `end_time`). `$filter`/`$orderby` on `start_time` and `end_time` work too: times are
//!   answered as `YYYY-MM-DDTHH:MM:SS+0000` (UTC), which compare in time order.
//! - `POST /v1/me/calendars/{calendar_id}/events`: create (201).
//! - `GET`, `PUT` (replace), `PATCH` (change the fields given), `DELETE` (204)
//!   `/v1/me/events/{event_id}`.
//! - `GET /v1/me/calendars/{calendar_id}/events.ics`: the calendar as iCalendar (RFC 5545,
//!   see [`super::ical`]).
//!
//! An event body is a JSON object: `name` (required, ≤ 200 characters), `description`
//! (≤ 4000), `location` (≤ 200), `start_time` and `end_time` (required, RFC 3339 with an
//! offset, e.g. `2026-12-03T10:00:00+01:00`, or a date; `end_time` not before `start_time`),
//! `is_all_day_event` (boolean). Errors: 400 `request_body_invalid` naming the field, 400
//! `request_parameter_invalid` (a bad `start_time`/`end_time` query or OData option), 404
//! `resource_not_found` (a calendar or event that is not the token's person's), 409
//! `resource_quota_exceeded` (more than [`crate::store::calendars::MAX_EVENTS`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::collections::{self, Collection, Place};
use super::error::{ApiError, ApiResult};
use crate::clock::civil;
use crate::error::AppError;
use crate::identity::tokens::TokenInfo;
use crate::identity::userinfo::Bearer;
use crate::odata::{CompareOp, Expr, Value as OValue};
use crate::state::AppState;
use crate::store::calendars::{
    self as store, CALENDAR_ROWS, EVENT_ROWS, EventFields, EventWriteError,
};

/// The scope to read calendars and events.
pub const READ: &str = "wl.calendars";
/// The scope to create, change and delete events.
pub const WRITE: &str = "wl.calendars_update";
/// `GET /v1/me/calendars`.
pub const CALENDARS: Place = Place {
    path: "/v1/me/calendars",
    scope: READ,
};
/// `GET /v1/me/calendars/{calendar_id}/events` (`POST` needs [`WRITE`]).
pub const EVENTS: Place = Place {
    path: "/v1/me/calendars/{calendar_id}/events",
    scope: READ,
};
/// `POST /v1/me/calendars/{calendar_id}/events`.
pub const CREATE: Place = Place {
    path: EVENTS.path,
    scope: WRITE,
};
/// `GET /v1/me/events/{event_id}`.
pub const EVENT: Place = Place {
    path: "/v1/me/events/{event_id}",
    scope: READ,
};
/// `PUT`, `PATCH`, `DELETE /v1/me/events/{event_id}`.
pub const EVENT_WRITE: Place = Place {
    path: EVENT.path,
    scope: WRITE,
};
/// `GET /v1/me/calendars/{calendar_id}/events.ics`.
pub const ICS: Place = Place {
    path: "/v1/me/calendars/{calendar_id}/events.ics",
    scope: READ,
};

/// Longest event name or location, in characters.
pub const MAX_NAME: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 4000;

impl From<EventWriteError> for ApiError {
    fn from(e: EventWriteError) -> Self {
        match e {
            EventWriteError::NotFound => AppError::NotFound.into(),
            full @ EventWriteError::Full => AppError::Page {
                status: StatusCode::CONFLICT,
                code: crate::store::collections::CapError::CODE,
                title: "Storage full",
                message: full.to_string(),
            }
            .into(),
            EventWriteError::Db(e) => e.into(),
        }
    }
}

fn need(tok: &TokenInfo, scope: &'static str) -> ApiResult<()> {
    if tok.scopes.contains(scope) {
        Ok(())
    } else {
        Err(AppError::InsufficientScope(scope).into())
    }
}

/// A request's JSON object body ([`super::body::json_object`]); `example` shows what to send
/// when there is no body.
pub(crate) fn json_object(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    example: &str,
) -> ApiResult<Map<String, Value>> {
    super::body::json_object(headers, &super::body::received(body)?, example)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses an RFC 3339 date-time with an offset (`Z`, `+01:00`, or `+0100` as this API
/// writes it; fractional seconds are dropped), or a date (`YYYY-MM-DD`, midnight UTC), to
/// Unix seconds. Years 1970 to 9999.
pub fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let day = days_from_civil(y, mo, d) * 86_400;
    if b.len() == 10 {
        return Some(day);
    }
    if !matches!(b.get(10), Some(b'T' | b't'))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (oh, om) = match rest {
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    let two = |a: u8, b: u8| -> Option<i64> {
                        (a.is_ascii_digit() && b.is_ascii_digit())
                            .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
                    };
                    (two(*h1, *h2)?, two(*m1, *m2)?)
                }
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'+' { o } else { -o }
        }
        _ => return None,
    };
    Some(day + h * 3600 + mi * 60 + sec.min(59) - offset)
}

/// Unix seconds as this API writes times: `YYYY-MM-DDTHH:MM:SS+0000`.
pub fn utc_text(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+0000")
}

fn text(field: &str, value: &Value, max: usize) -> ApiResult<Option<String>> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => {
            // A description may have line breaks and tabs; names and locations may not.
            let s = if field == "description" {
                super::photos::text(field, &s.replace(['\n', '\r', '\t'], " "), max)?;
                s.trim().to_owned()
            } else {
                super::photos::text(field, s, max)?
            };
            Ok(Some(s).filter(|s| !s.is_empty()))
        }
        _ => Err(ApiError::body(field, "must be a string")),
    }
}

fn time(field: &str, value: &Value) -> ApiResult<i64> {
    match value {
        Value::String(s) => parse_time(s.trim()).ok_or_else(|| {
            ApiError::body(
                field,
                format!("'{s}' is not a date-time (RFC 3339 with an offset, e.g. 2026-12-03T10:00:00Z, or a date 2026-12-03; years 1970 to 9999)"),
            )
        }),
        _ => Err(ApiError::body(field, "must be an RFC 3339 date-time string")),
    }
}

const KNOWN: &str = "name, description, location, start_time, end_time, is_all_day_event";
const READ_ONLY: &[&str] = &["id", "calendar_id", "from", "created_time", "updated_time"];

/// Applies the fields of `map` to `base` (all of them required when `complete`, as for a
/// create or a `PUT`); checks the result.
fn apply(map: &Map<String, Value>, mut out: EventFields, complete: bool) -> ApiResult<EventFields> {
    let mut seen = Vec::new();
    for (key, value) in map {
        match key.as_str() {
            "name" => out.name = text(key, value, MAX_NAME)?.unwrap_or_default(),
            "description" => out.description = text(key, value, MAX_DESCRIPTION)?,
            "location" => out.location = text(key, value, MAX_NAME)?,
            "start_time" => out.start_time = time(key, value)?,
            "end_time" => out.end_time = time(key, value)?,
            "is_all_day_event" => {
                out.is_all_day = match value {
                    Value::Bool(b) => *b,
                    Value::Null => false,
                    _ => return Err(ApiError::body(key, "must be true or false")),
                }
            }
            k if READ_ONLY.contains(&k) => {
                return Err(ApiError::body(k, "is read-only"));
            }
            k => {
                return Err(ApiError::body(
                    k,
                    format!("is not an event field (known: {KNOWN})"),
                ));
            }
        }
        seen.push(key.as_str());
    }
    if complete {
        for required in ["name", "start_time", "end_time"] {
            if !seen.contains(&required) {
                return Err(ApiError::body(required, "is required"));
            }
        }
    }
    if out.name.is_empty() {
        return Err(ApiError::body("name", "an event needs a name"));
    }
    if out.end_time < out.start_time {
        // Name the field the request gave (a PATCH may move only the start past the end).
        if !map.contains_key("end_time") {
            return Err(ApiError::body(
                "start_time",
                format!(
                    "is after end_time ({} > {})",
                    utc_text(out.start_time),
                    utc_text(out.end_time)
                ),
            ));
        }
        return Err(ApiError::body(
            "end_time",
            format!(
                "is before start_time ({} < {})",
                utc_text(out.end_time),
                utc_text(out.start_time)
            ),
        ));
    }
    Ok(out)
}

/// Parses a complete event body (a create or a `PUT`).
pub fn event_from_object(map: &Map<String, Value>) -> ApiResult<EventFields> {
    apply(map, EventFields::default(), true)
}

/// The events of one calendar, narrowed to the query's `start_time`/`end_time` range.
fn events_of(calendar_id: &str, raw: Option<&str>) -> ApiResult<Collection> {
    let mut within = Expr::Compare {
        field: "calendar_id".into(),
        op: CompareOp::Eq,
        value: OValue::String(calendar_id.to_owned()),
    };
    let mut range = (None, None);
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let slot = match k.as_ref() {
            "start_time" => &mut range.0,
            "end_time" => &mut range.1,
            _ => continue,
        };
        let parameter = if k == "start_time" {
            "start_time"
        } else {
            "end_time"
        };
        if slot.is_some() {
            return Err(ApiError::ParameterInvalid {
                parameter,
                message: "the option is given more than once".into(),
            });
        }
        *slot = Some(parse_time(v.trim()).ok_or_else(|| ApiError::ParameterInvalid {
            parameter,
            message: format!(
                "'{v}' is not a date-time (RFC 3339 with an offset, e.g. 2026-12-03T10:00:00Z, or a date 2026-12-03)"
            ),
        })?);
    }
    if let (Some(s), Some(e)) = range
        && e < s
    {
        return Err(ApiError::ParameterInvalid {
            parameter: "end_time",
            message: "is before start_time".into(),
        });
    }
    let and = |a: Expr, b: Expr| Expr::And(Box::new(a), Box::new(b));
    if let Some(s) = range.0 {
        within = and(
            within,
            Expr::Compare {
                field: "end_time".into(),
                op: CompareOp::Gt,
                value: OValue::String(utc_text(s)),
            },
        );
    }
    if let Some(e) = range.1 {
        within = and(
            within,
            Expr::Compare {
                field: "start_time".into(),
                op: CompareOp::Lt,
                value: OValue::String(utc_text(e)),
            },
        );
    }
    Ok(Collection::new(EVENTS, &EVENT_ROWS).within(
        format!("/v1/me/calendars/{calendar_id}/events"),
        READ,
        Some(within),
    ))
}

async fn owned_calendar(state: &AppState, tok: &TokenInfo, calendar_id: &str) -> ApiResult<String> {
    store::calendar_name(&mut *state.db.conn().await?, &tok.person_id, calendar_id)
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

async fn event_json(state: &AppState, tok: &TokenInfo, id: &str) -> ApiResult<Value> {
    collections::item(
        state,
        &tok.person_id,
        &Collection::new(EVENT, &EVENT_ROWS),
        id,
    )
    .await?
    .ok_or_else(|| AppError::NotFound.into())
}

/// `GET /v1/me/calendars`.
pub async fn list_calendars(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    need(&tok, READ)?;
    store::ensure_default(
        &mut *state.db.conn().await?,
        &tok.person_id,
        "Calendar",
        state.clock.now(),
    )
    .await?;
    collections::query(
        &state,
        &tok,
        raw.as_deref(),
        &Collection::new(CALENDARS, &CALENDAR_ROWS),
    )
    .await
}

/// `GET /v1/me/calendars/{calendar_id}/events`.
pub async fn list_events(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(calendar_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    need(&tok, READ)?;
    owned_calendar(&state, &tok, &calendar_id).await?;
    let coll = events_of(&calendar_id, raw.as_deref())?;
    collections::query(&state, &tok, raw.as_deref(), &coll).await
}

/// `POST /v1/me/calendars/{calendar_id}/events`.
pub async fn create_event(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(calendar_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    need(&tok, WRITE)?;
    owned_calendar(&state, &tok, &calendar_id).await?;
    let map = json_object(
        &headers,
        body,
        "{\"name\":\"Lunch\",\"start_time\":\"2026-12-03T12:00:00Z\",\"end_time\":\"2026-12-03T13:00:00Z\"}",
    )?;
    let fields = event_from_object(&map)?;
    let id = store::insert_event(
        &state.db,
        &tok.person_id,
        &calendar_id,
        &fields,
        state.clock.now(),
    )
    .await?;
    let event = event_json(&state, &tok, &id).await?;
    let mut res = (StatusCode::CREATED, Json(event)).into_response();
    if let Ok(loc) = HeaderValue::from_str(&format!("{}/v1/me/events/{id}", state.issuer)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// `GET /v1/me/events/{event_id}`.
pub async fn get_event(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(event_id): Path<String>,
) -> ApiResult<Response> {
    need(&tok, READ)?;
    Ok(Json(event_json(&state, &tok, &event_id).await?).into_response())
}

async fn change(
    state: AppState,
    tok: &TokenInfo,
    event_id: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    complete: bool,
) -> ApiResult<Response> {
    need(tok, WRITE)?;
    let current = store::event(&mut *state.db.conn().await?, &tok.person_id, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let map = json_object(headers, body, "{\"name\":\"Lunch\"}")?;
    let base = if complete {
        EventFields::default()
    } else {
        current.fields
    };
    let fields = apply(&map, base, complete)?;
    if !store::update_event(
        &state.db,
        &tok.person_id,
        event_id,
        &fields,
        state.clock.now(),
    )
    .await?
    {
        return Err(AppError::NotFound.into());
    }
    Ok(Json(event_json(&state, tok, event_id).await?).into_response())
}

/// `PUT /v1/me/events/{event_id}`: replaces every field.
pub async fn put_event(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(event_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    change(state, &tok, &event_id, &headers, body, true).await
}

/// `PATCH /v1/me/events/{event_id}`: changes the fields given.
pub async fn patch_event(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(event_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    change(state, &tok, &event_id, &headers, body, false).await
}

/// `DELETE /v1/me/events/{event_id}`.
pub async fn delete_event(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(event_id): Path<String>,
) -> ApiResult<Response> {
    need(&tok, WRITE)?;
    if !store::delete_event(&state.db, &tok.person_id, &event_id).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/me/calendars/{calendar_id}/events.ics`.
pub async fn export_ics(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(calendar_id): Path<String>,
) -> ApiResult<Response> {
    need(&tok, READ)?;
    let name = owned_calendar(&state, &tok, &calendar_id).await?;
    let events =
        store::events_of(&mut *state.db.conn().await?, &tok.person_id, &calendar_id).await?;
    let host = url::Url::parse(&state.issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "wl-connect".into());
    let body = super::ical::calendar(&name, &events, &host, state.clock.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"calendar.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time("2026-12-03T10:00:00Z"), Some(1_796_292_000));
        assert_eq!(parse_time("2026-12-03T11:00:00+01:00"), Some(1_796_292_000));
        assert_eq!(
            parse_time("2026-12-03T05:00:00.250-05:00"),
            Some(1_796_292_000)
        );
        assert_eq!(parse_time("2026-12-03T10:00:00+0000"), Some(1_796_292_000));
        assert_eq!(parse_time("2026-12-03"), Some(1_796_256_000));
        assert_eq!(parse_time("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "",
            "2026-12-03T10:00:00",
            "2026-13-01",
            "2026-02-30",
            "2023-02-29",
            "2026-12-03T24:00:00Z",
            "2026-12-03 10:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-12-03T10:00:00+25:00",
            "2026-12-03T10:00Z",
            "tomorrow",
            "+2026-12-03",
            "2026-12-03T10:00:00.Z",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(utc_text(1_796_292_000), "2026-12-03T10:00:00+0000");
        assert_eq!(parse_time(&utc_text(1_796_292_123)), Some(1_796_292_123));
    }

    #[test]
    fn checks_event_bodies() {
        let obj = |v: Value| v.as_object().unwrap().clone();
        let ok = event_from_object(&obj(serde_json::json!({
            "name": " Lunch ", "start_time": "2026-12-03T12:00:00Z",
            "end_time": "2026-12-03T13:00:00Z", "location": "", "is_all_day_event": false
        })))
        .unwrap();
        assert_eq!(ok.name, "Lunch");
        assert_eq!(ok.location, None);
        let field = |v: Value| match event_from_object(&obj(v)).unwrap_err() {
            ApiError::BodyInvalid { field, .. } => field.unwrap(),
            e => panic!("{e}"),
        };
        assert_eq!(
            field(
                serde_json::json!({"name": "x", "start_time": "2026-12-03T12:00:00Z", "end_time": "2026-12-03T11:00:00Z"})
            ),
            "end_time"
        );
        assert_eq!(
            field(
                serde_json::json!({"name": "x", "start_time": "2026-12-33T12:00:00Z", "end_time": "2026-12-03T11:00:00Z"})
            ),
            "start_time"
        );
        assert_eq!(
            field(serde_json::json!({"name": "x", "start_time": "2026-12-03"})),
            "end_time"
        );
        assert_eq!(
            field(
                serde_json::json!({"name": "x", "start_time": "2026-12-03", "end_time": "2026-12-03", "id": "e"})
            ),
            "id"
        );
        assert_eq!(
            field(
                serde_json::json!({"name": "a\u{7}b", "start_time": "2026-12-03", "end_time": "2026-12-03"})
            ),
            "name"
        );
    }
}
