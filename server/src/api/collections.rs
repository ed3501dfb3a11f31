//! OData-queryable `/v1` collections: the machinery, and `GET /v1/me/friends` (`wl.basic`).
//! `GET /v1/me/contacts` (`wl.contacts`) is in [`super::contacts`], with its `POST`.
//!
//! Both answer Live Connect's wrapped-collection shape:
//!
//! ```json
//! { "data": [ { "id": "…", "name": "…", … } ],
//!   "paging": { "next": "https://…/v1/me/friends?$top=2&$skip=2" },
//!   "count": 6 }
//! ```
//!
//! - `paging` is present only when more rows match after this page; `next` is the same request
//!   with `$skip` advanced by the page size (and the page size written out as `$top`).
//! - `count` is present only with `$count=true`: the number of rows matching `$filter`,
//!   ignoring `$top`/`$skip`.
//! - `$top` defaults to [`DEFAULT_TOP`] (50) and may be at most [`MAX_TOP`] (1000).
//! - `$select` returns exactly the fields named (OData semantics: `id` is *not* added), nested
//!   fields as objects (`$select=emails/preferred` → `{ "emails": { "preferred": … } }`).
//! - `$orderby` sorts in the database; the collection's primary key is always the last sort key, so
//!   pages are stable and following `paging.next` returns every row exactly once.
//! - `$type=portable` (contacts only) answers the Portable Contacts shape instead (see
//!   [`super::portable`]); the other options still apply, except `$select`.
//!
//! Every option is validated before the database is touched; a bad one answers 400
//! `{ "error": { "code": "request_parameter_invalid", "message": "$filter: … at position N" } }`.
//! The token is checked first (401), then the scope (403 with
//! `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`), then the query (400);
//! a bad `$format` is rejected before all of them by the format layer.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::json;

use super::error::{ApiError, ApiResult};
use crate::error::AppError;
use crate::identity::tokens::TokenInfo;
use crate::identity::userinfo::Bearer;
use crate::odata::{Expr, FieldSet, QueryOptions, Row, Select, Value, project};
use crate::state::AppState;
use crate::store::collections::{
    self as rows, CONTACT_ROWS, FRIEND_ROWS, PageQuery, PageRows, QueryFailed, Source,
};

/// Page size when the request gives no `$top`.
pub const DEFAULT_TOP: u64 = 50;
/// The largest `$top` accepted.
pub const MAX_TOP: u64 = 1000;

/// Where a `/v1` resource lives and the scope a token needs for it, written once: the route
/// table (so the router and the OpenAPI document) and the handler's scope check read it here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The path, in axum/OpenAPI template syntax.
    pub path: &'static str,
    /// The scope a token needs.
    pub scope: &'static str,
}

/// `GET /v1/me/friends`.
pub const FRIENDS: Place = Place {
    path: "/v1/me/friends",
    scope: "wl.basic",
};

/// `GET` and `POST /v1/me/contacts` (Live Connect's `wl.contacts_create` is folded into
/// `wl.contacts`, the only contacts scope the provider knows).
pub const CONTACTS: Place = Place {
    path: "/v1/me/contacts",
    scope: "wl.contacts",
};

/// What a collection request can fail with (the `/v1` error type, under the name the
/// modules building collections on this one use).
pub type DataError = ApiError;

impl From<QueryFailed> for ApiError {
    fn from(e: QueryFailed) -> Self {
        match e {
            QueryFailed::Db(e) => AppError::Db(e).into(),
            QueryFailed::Unmapped(e) => AppError::Internal(e.to_string()).into(),
        }
    }
}

/// One queryable collection: where it lives, the scope it needs, and its rows in the store
/// (which also give its fields).
pub(crate) struct Collection {
    /// The path after the issuer, for `paging.next`.
    path: String,
    /// The scope a token needs.
    scope: &'static str,
    /// The fields, in the order `$select=*` lists them.
    fields: FieldSet,
    /// The rows.
    source: &'static Source,
    /// `$type=portable` (Portable Contacts) is answered.
    portable: bool,
    /// Only the rows matching this (a parent, a date range), whatever `$filter` says.
    within: Option<Expr>,
}

impl Collection {
    pub(crate) fn new(place: Place, source: &'static Source) -> Self {
        Self {
            path: place.path.to_owned(),
            scope: place.scope,
            fields: source.fields(),
            source,
            portable: false,
            within: None,
        }
    }

    /// The same collection at `path` (a nested one, e.g. `/v1/me/albums/{id}/photos`), holding
    /// only the rows that match `within`, and answering with `scope`.
    pub(crate) fn within(
        mut self,
        path: String,
        scope: &'static str,
        within: Option<Expr>,
    ) -> Self {
        self.path = path;
        self.scope = scope;
        self.within = within;
        self
    }

    fn friends() -> Self {
        Self::new(FRIENDS, &FRIEND_ROWS)
    }

    pub(crate) fn contacts() -> Self {
        Self {
            portable: true,
            ..Self::new(CONTACTS, &CONTACT_ROWS)
        }
    }
}

/// The fields of `/v1/me/friends` (for `$filter`, `$select`, `$orderby` and the OpenAPI schema).
pub fn friend_fields() -> FieldSet {
    Collection::friends().fields
}

/// The fields of `/v1/me/contacts`.
pub fn contact_fields() -> FieldSet {
    Collection::contacts().fields
}

/// A row read back from SQLite, typed by the collection's fields.
struct Record<'a> {
    fields: &'a FieldSet,
    values: Vec<Value>,
}

impl Row for Record<'_> {
    fn field(&self, path: &str) -> Value {
        self.fields
            .iter()
            .position(|(p, _)| p == path)
            .and_then(|i| self.values.get(i).cloned())
            .unwrap_or(Value::Null)
    }
}

/// Characters escaped in a `paging.next` query value: enough to keep the pair intact while
/// leaving OData punctuation (`$ ( ) ' , /`) readable.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The request's query with `$top` set to the page size and `$skip` to `skip`.
fn next_query(pairs: &[(String, String)], top: u64, skip: u64) -> String {
    let mut parts: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "$top" && k != "$skip")
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY_VALUE),
                utf8_percent_encode(v, QUERY_VALUE)
            )
        })
        .collect();
    parts.push(format!("$top={top}"));
    parts.push(format!("$skip={skip}"));
    parts.join("&")
}

/// One page of a collection, before it is shaped as an answer.
struct Fetched {
    /// The rows of the page, every field, typed.
    rows: Vec<Vec<Value>>,
    /// More rows match after this page.
    more: bool,
    /// The number of rows matching `$filter` (when asked for).
    count: Option<i64>,
    /// The page size used.
    top: u64,
    /// The offset used.
    skip: u64,
}

/// Percent-decoded query pairs.
fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// Runs the validated options against the store for the token's person.
async fn fetch(
    state: &AppState,
    tok: &TokenInfo,
    options: &QueryOptions,
    coll: &Collection,
    with_count: bool,
) -> ApiResult<Fetched> {
    let top = options.top.unwrap_or(DEFAULT_TOP);
    let skip = options.skip.unwrap_or(0);
    let filter = match (&coll.within, &options.filter) {
        (Some(w), Some(f)) => Some(Expr::And(Box::new(w.clone()), Box::new(f.clone()))),
        (Some(w), None) => Some(w.clone()),
        (None, f) => f.clone(),
    };
    let query = PageQuery {
        filter: filter.as_ref(),
        order_by: &options.order_by,
        // One row more than the page, to know whether there is a next page.
        limit: top.saturating_add(1),
        offset: skip,
        count: with_count,
        app: &tok.client_id,
        now: state.clock.now(),
    };
    let PageRows { mut rows, count } = rows::page(
        &mut *state.db.conn().await?,
        state.db.dialect(),
        coll.source,
        &state.issuer,
        &tok.person_id,
        &query,
    )
    .await?;
    let more = rows.len() as u64 > top;
    rows.truncate(usize::try_from(top).unwrap_or(usize::MAX));
    Ok(Fetched {
        rows,
        more: more && top > 0,
        count,
        top,
        skip,
    })
}

/// The `$` options a collection answers; any other (a typo such as `$fliter`) is rejected
/// rather than silently ignored.
const KNOWN_OPTIONS: &[&str] = &[
    "$filter", "$select", "$orderby", "$top", "$skip", "$count", "$format", "$type",
];

/// True when the request asks for `$type=portable`; any other `$type` is invalid.
fn portable_requested(pairs: &[(String, String)]) -> ApiResult<bool> {
    let mut portable = None;
    for (_, v) in pairs.iter().filter(|(k, _)| k == "$type") {
        let invalid = |message: String| ApiError::ParameterInvalid {
            parameter: "$type",
            message,
        };
        if portable.is_some() {
            return Err(invalid("the option is given more than once".into()));
        }
        if v.trim() != "portable" {
            return Err(invalid(format!(
                "expected 'portable', found '{}'",
                v.trim()
            )));
        }
        portable = Some(true);
    }
    Ok(portable.unwrap_or(false))
}

/// Runs a collection request for the token's person: scope, options, then the query, and
/// answers the Live Connect envelope (or Portable Contacts for `$type=portable` where the
/// collection allows it).
pub(crate) async fn query(
    state: &AppState,
    tok: &TokenInfo,
    raw: Option<&str>,
    coll: &Collection,
) -> ApiResult<Response> {
    if !tok.scopes.contains(coll.scope) {
        return Err(AppError::InsufficientScope(coll.scope).into());
    }
    let pairs = query_pairs(raw);
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, _)| k.starts_with('$') && !KNOWN_OPTIONS.contains(&k.as_str()))
    {
        return Err(ApiError::ParameterInvalid {
            parameter: "query",
            message: format!(
                "'{k}' is not a query option of this API (known: {})",
                KNOWN_OPTIONS.join(", ")
            ),
        });
    }
    let portable = portable_requested(&pairs)?;
    if portable && !coll.portable {
        return Err(ApiError::ParameterInvalid {
            parameter: "$type",
            message: "'portable' is available for /v1/me/contacts only".into(),
        });
    }
    let options = QueryOptions::parse(&pairs, &coll.fields)?;
    if portable && options.select != Select::All {
        return Err(ApiError::ParameterInvalid {
            parameter: "$select",
            message: "cannot be combined with $type=portable (Portable Contacts entries have a fixed shape)".into(),
        });
    }
    let page = fetch(state, tok, &options, coll, options.count || portable).await?;
    let data: Vec<serde_json::Value> = page
        .rows
        .into_iter()
        .map(|values| {
            let rec = Record {
                fields: &coll.fields,
                values,
            };
            serde_json::Value::Object(project(&rec, &options.select, &coll.fields))
        })
        .collect();
    if portable {
        let total = page.count.unwrap_or(0);
        return Ok(Json(super::portable::collection(&data, page.skip, total)).into_response());
    }
    let mut body = json!({ "data": data });
    if page.more {
        let next = format!(
            "{}{}?{}",
            state.issuer,
            coll.path,
            next_query(&pairs, page.top, page.skip.saturating_add(page.top))
        );
        body["paging"] = json!({ "next": next });
    }
    if let Some(n) = page.count {
        body["count"] = json!(n);
    }
    Ok(Json(body).into_response())
}

/// One of the token's person's contacts by id, in the shape `/v1/me/contacts` lists it;
/// `None` when the person has no contact with that id.
pub async fn contact_by_id(
    state: &AppState,
    person_id: &str,
    contact_id: &str,
) -> ApiResult<Option<serde_json::Value>> {
    let coll = Collection::contacts();
    let row = rows::by_id(
        &mut *state.db.conn().await?,
        state.db.dialect(),
        coll.source,
        &state.issuer,
        person_id,
        contact_id,
    )
    .await?;
    Ok(row.map(|values| {
        let rec = Record {
            fields: &coll.fields,
            values,
        };
        serde_json::Value::Object(project(&rec, &Select::All, &coll.fields))
    }))
}

/// One item of `coll` for the token's person by its key, in the shape the collection lists it
/// (every field); `None` when the person has no such item.
pub(crate) async fn item(
    state: &AppState,
    person_id: &str,
    coll: &Collection,
    id: &str,
) -> ApiResult<Option<serde_json::Value>> {
    let row = rows::by_id(
        &mut *state.db.conn().await?,
        state.db.dialect(),
        coll.source,
        &state.issuer,
        person_id,
        id,
    )
    .await?;
    Ok(row.map(|values| {
        let rec = Record {
            fields: &coll.fields,
            values,
        };
        serde_json::Value::Object(project(&rec, &Select::All, &coll.fields))
    }))
}

/// `GET /v1/me/friends` (needs `wl.basic`).
pub async fn friends(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    query(&state, &tok, raw.as_deref(), &Collection::friends()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_query_keeps_options_and_advances_skip() {
        let pairs = vec![
            (
                "$filter".to_owned(),
                "startswith(name,'B') and x eq 'a&b'".to_owned(),
            ),
            ("$skip".to_owned(), "2".to_owned()),
            ("$top".to_owned(), "2".to_owned()),
        ];
        let q = next_query(&pairs, 2, 4);
        assert_eq!(
            q,
            "$filter=startswith(name,'B')%20and%20x%20eq%20'a%26b'&$top=2&$skip=4"
        );
        let back: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(back[0].1, pairs[0].1);
    }
}
