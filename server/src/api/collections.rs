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
//! - `$orderby` sorts in SQLite; the collection's primary key is always the last sort key, so
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
use rusqlite::types::Value as SqlValue;
use serde_json::json;

use super::error::{ApiError, ApiResult};
use crate::error::AppError;
use crate::identity::tokens::TokenInfo;
use crate::identity::userinfo::Bearer;
use crate::odata::{
    ColumnMap, FieldSet, FieldType, QueryOptions, Row, Select, Value, filter_to_sql,
    order_by_to_sql, project,
};
use crate::state::AppState;

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

/// One queryable collection: its fields, the SQL that yields one row per item (every field as
/// a column of the same name as its [`ColumnMap`] entry), and its primary key.
pub(crate) struct Collection {
    /// The path after the issuer, for `paging.next`.
    path: &'static str,
    /// The scope a token needs.
    scope: &'static str,
    /// The fields, in the order `$select=*` lists them.
    fields: FieldSet,
    /// Field → column of `source`.
    columns: ColumnMap,
    /// `(field, SQL expression)` pairs: the columns of the inner query, in field order.
    exprs: &'static [(&'static str, &'static str)],
    /// `FROM … WHERE …` of the inner query; in it and in `exprs`, `?1` is the issuer and
    /// `?2` the token's person id.
    from: &'static str,
    /// The primary key field (the last sort key).
    key: &'static str,
    /// `$type=portable` (Portable Contacts) is answered.
    portable: bool,
}

/// Friends: the people the token's person is friends with, as `/v1/{id}` shows them.
const FRIEND_EXPRS: &[(&str, &str)] = &[
    ("id", "p.id"),
    ("name", "p.display_name"),
    ("first_name", "p.first_name"),
    ("last_name", "p.last_name"),
    ("link", "?1 || '/people/' || p.id"),
    ("locale", "p.locale"),
    ("picture", "?1 || '/pictures/' || p.picture_key || '.svg'"),
    (
        "updated_time",
        "strftime('%Y-%m-%dT%H:%M:%S+0000', p.updated_at, 'unixepoch')",
    ),
];
const FRIEND_FROM: &str =
    "FROM friendships f JOIN people p ON p.id = f.friend_id WHERE f.person_id = ?2";

/// Contacts: the token's person's address book, in Live Connect's contact shape.
const CONTACT_EXPRS: &[(&str, &str)] = &[
    ("id", "c.id"),
    ("name", "trim(c.first_name || ' ' || c.last_name)"),
    ("first_name", "c.first_name"),
    ("last_name", "c.last_name"),
    (
        "is_friend",
        "EXISTS (SELECT 1 FROM friendships f WHERE f.person_id = c.owner_id AND f.friend_id = c.person_id)",
    ),
    ("is_favorite", "c.is_favorite"),
    ("user_id", "c.person_id"),
    ("emails/preferred", "c.email"),
    ("phones/personal", "c.phone"),
    (
        "updated_time",
        "strftime('%Y-%m-%dT%H:%M:%S+0000', c.updated_at, 'unixepoch')",
    ),
];
const CONTACT_FROM: &str = "FROM contacts c WHERE c.owner_id = ?2";

fn column_name(field: &str) -> String {
    field.replace('/', "_")
}

impl Collection {
    pub(crate) fn new(
        place: Place,
        exprs: &'static [(&'static str, &'static str)],
        types: &[FieldType],
        from: &'static str,
    ) -> Self {
        debug_assert_eq!(exprs.len(), types.len(), "one type per field");
        let mut fields = FieldSet::new();
        let mut columns = ColumnMap::new();
        for ((field, _), ty) in exprs.iter().zip(types) {
            fields = fields.with(field, *ty);
            columns = columns.with(field, &column_name(field));
        }
        Self {
            path: place.path,
            scope: place.scope,
            fields,
            columns,
            exprs,
            from,
            key: "id",
            portable: false,
        }
    }

    fn friends() -> Self {
        use FieldType::String as S;
        Self::new(
            FRIENDS,
            FRIEND_EXPRS,
            &[S, S, S, S, S, S, S, S],
            FRIEND_FROM,
        )
    }

    pub(crate) fn contacts() -> Self {
        use FieldType::{Bool as B, String as S};
        Self {
            portable: true,
            ..Self::new(
                CONTACTS,
                CONTACT_EXPRS,
                &[S, S, S, S, B, B, S, S, S, S],
                CONTACT_FROM,
            )
        }
    }

    /// `SELECT <expr> AS "<column>", … FROM …`: `?1` is the issuer, `?2` the person id.
    fn inner_sql(&self) -> String {
        let cols: Vec<String> = self
            .exprs
            .iter()
            .map(|(field, expr)| format!("{expr} AS \"{}\"", column_name(field)))
            .collect();
        format!("SELECT {} {}", cols.join(", "), self.from)
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

fn to_value(ty: FieldType, v: SqlValue) -> Value {
    match (ty, v) {
        (_, SqlValue::Null) => Value::Null,
        (FieldType::Bool, SqlValue::Integer(i)) => Value::Bool(i != 0),
        (FieldType::Number, SqlValue::Integer(i)) => Value::Number(i as f64),
        (FieldType::Number, SqlValue::Real(r)) => Value::Number(r),
        (_, SqlValue::Text(s)) => Value::String(s),
        (_, SqlValue::Integer(i)) => Value::String(i.to_string()),
        (_, SqlValue::Real(r)) => Value::String(r.to_string()),
        (_, SqlValue::Blob(_)) => Value::Null,
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

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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

fn sql_value(v: Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(b)),
        Value::Number(n) => SqlValue::Real(n),
        Value::String(s) => SqlValue::Text(s),
    }
}

/// Runs the validated options against SQLite for the token's person.
fn fetch(
    state: &AppState,
    tok: &TokenInfo,
    options: &QueryOptions,
    coll: &Collection,
    with_count: bool,
) -> ApiResult<Fetched> {
    let unmapped = |e: crate::odata::UnmappedField| AppError::Internal(e.to_string());

    let mut where_sql = String::new();
    let mut params: Vec<SqlValue> = Vec::new();
    if let Some(filter) = &options.filter {
        let f = filter_to_sql(filter, &coll.columns).map_err(unmapped)?;
        where_sql = format!(" WHERE {}", f.sql);
        params.extend(f.params.into_iter().map(sql_value));
    }
    let mut order = order_by_to_sql(&options.order_by, &coll.columns).map_err(unmapped)?;
    let key_col = coll.columns.column(coll.key).map_err(unmapped)?;
    if !order.is_empty() {
        order.push_str(", ");
    }
    order.push_str(&format!("{key_col} ASC"));

    let top = options.top.unwrap_or(DEFAULT_TOP);
    let skip = options.skip.unwrap_or(0);
    // ?1 issuer, ?2 person id, then the filter's values from ?3 on.
    let inner = coll.inner_sql();
    let numbered = renumber(&where_sql, 3);
    let n = params.len();
    let page_sql = format!(
        "SELECT * FROM ({inner}) AS t{numbered} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
        n + 3,
        n + 4
    );
    let count_sql = format!("SELECT COUNT(*) FROM ({inner}) AS t{numbered}");

    let mut binds: Vec<SqlValue> = vec![
        SqlValue::Text(state.issuer.clone()),
        SqlValue::Text(tok.person_id.clone()),
    ];
    binds.extend(params);
    let count_binds = binds.clone();
    // One row more than the page, to know whether there is a next page.
    binds.push(SqlValue::Integer(to_i64(top).saturating_add(1)));
    binds.push(SqlValue::Integer(to_i64(skip)));

    let types: Vec<FieldType> = coll.fields.iter().map(|(_, t)| t).collect();
    let (mut rows, count) = state.db.with(|c| {
        let mut stmt = c.prepare_cached(&page_sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(binds.iter()), |r| {
                read_row(&types, r)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let count = if with_count {
            let n: i64 = c
                .prepare_cached(&count_sql)?
                .query_row(rusqlite::params_from_iter(count_binds.iter()), |r| r.get(0))?;
            Some(n)
        } else {
            None
        };
        Ok::<_, rusqlite::Error>((rows, count))
    })?;
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

fn read_row(types: &[FieldType], r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<Value>> {
    types
        .iter()
        .enumerate()
        .map(|(i, ty)| Ok(to_value(*ty, r.get::<_, SqlValue>(i)?)))
        .collect()
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
pub(crate) fn query(
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
    let page = fetch(state, tok, &options, coll, options.count || portable)?;
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
pub fn contact_by_id(
    state: &AppState,
    person_id: &str,
    contact_id: &str,
) -> ApiResult<Option<serde_json::Value>> {
    let coll = Collection::contacts();
    let sql = format!(
        "SELECT * FROM ({}) AS t WHERE \"id\" = ?3",
        coll.inner_sql()
    );
    let types: Vec<FieldType> = coll.fields.iter().map(|(_, t)| t).collect();
    let row = state.db.with(|c| {
        use rusqlite::OptionalExtension;
        c.prepare_cached(&sql)?
            .query_row(
                rusqlite::params![state.issuer, person_id, contact_id],
                |r| read_row(&types, r),
            )
            .optional()
    })?;
    Ok(row.map(|values| {
        let rec = Record {
            fields: &coll.fields,
            values,
        };
        serde_json::Value::Object(project(&rec, &Select::All, &coll.fields))
    }))
}

/// Rewrites the bare `?` placeholders of a filter fragment as `?N`, `?N+1`, … (the fragment
/// never has `?` inside SQL strings: its literals are all bound).
fn renumber(sql: &str, first: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = first;
    for ch in sql.chars() {
        if ch == '?' {
            out.push_str(&format!("?{n}"));
            n += 1;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `GET /v1/me/friends` (needs `wl.basic`).
pub async fn friends(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    query(&state, &tok, raw.as_deref(), &Collection::friends())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumber_counts_from_first() {
        assert_eq!(
            renumber(" WHERE (a IS ? AND b IS ?)", 3),
            " WHERE (a IS ?3 AND b IS ?4)"
        );
    }

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
