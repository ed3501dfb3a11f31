//! The rows behind the OData-queryable `/v1` collections (friends, contacts, your activities,
//! your feed): for each, the SQL computing every field of an item, and the statements that
//! read one page of them or one item by id.
//!
//! The API side ([`crate::api::collections`]) parses and checks the query options; here they
//! become SQL ([`super::query`]). In every statement `$1` is the issuer (links and pictures
//! are absolute URLs), `$2` the token's person, `$3` the token's app and `$4` the time now
//! (Unix seconds; friends' `uses_this_app`); the filter's values follow.
//!
//! The columns' SQL is written once for both dialects; the two things they say differently
//! are written as `@utc(expr)` / `@utcz(expr)` (Unix seconds as an ISO 8601 time, with
//! `+0000` or `Z`) and `@join(expr)` (the values of a group joined by spaces), and
//! [`Source`] renders them per [`Dialect`].

use sqlx::Row as _;

use super::db::Dialect;
use super::query::{ColumnMap, UnmappedField, filter_to_sql, order_by_to_sql};
use super::{Conn, DbError, DbResult, Row};
use crate::odata::{Expr, FieldSet, FieldType, OrderKey, Value};

/// The most contacts one person may store (`POST /v1/me/contacts`).
pub const MAX_CONTACTS: i64 = 20_000;
/// The most activities one person may publish (`POST /v1/me/activities`, the badge).
pub const MAX_ACTIVITIES: i64 = 10_000;
/// The most messenger messages one person may have sent and stored.
pub const MAX_MESSAGES: i64 = 100_000;

/// What a per-person cap counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Contacts in the person's address book.
    Contacts,
    /// Activities the person published.
    Activities,
    /// Messages the person sent.
    Messages,
}

impl Stored {
    /// The cap.
    pub fn max(self) -> i64 {
        match self {
            Self::Contacts => MAX_CONTACTS,
            Self::Activities => MAX_ACTIVITIES,
            Self::Messages => MAX_MESSAGES,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Contacts => "contacts",
            Self::Activities => "activities",
            Self::Messages => "messages",
        }
    }
}

/// A write refused by a per-person cap (nothing was written), or a storage failure.
#[derive(Debug, thiserror::Error)]
pub enum CapError {
    /// The person already stores the most rows of this kind allowed.
    #[error("You have stored the most {} allowed ({}); nothing was added.", .0.noun(), .0.max())]
    Full(Stored),
    /// A storage failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl CapError {
    /// The stable code of a full store, answered with `409 Conflict`.
    pub const CODE: &'static str = "resource_quota_exceeded";
}

impl From<CapError> for crate::error::AppError {
    fn from(e: CapError) -> Self {
        match e {
            CapError::Db(e) => Self::Db(e),
            full @ CapError::Full(_) => Self::Page {
                status: axum::http::StatusCode::CONFLICT,
                code: CapError::CODE,
                title: "Storage full",
                message: full.to_string(),
            },
        }
    }
}

/// One field of a collection's items: its path as the API names it (`emails/preferred`), its
/// type, and the SQL expression computing it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The field path.
    pub field: &'static str,
    /// Its type (what `$filter` may compare it with).
    pub ty: FieldType,
    sql: &'static str,
}

/// A string field computed by `sql`.
pub(crate) const fn string(field: &'static str, sql: &'static str) -> Column {
    Column {
        field,
        ty: FieldType::String,
        sql,
    }
}

/// A boolean field (stored 0/1) computed by `sql`.
pub(crate) const fn boolean(field: &'static str, sql: &'static str) -> Column {
    Column {
        field,
        ty: FieldType::Bool,
        sql,
    }
}

/// A number field computed by `sql`.
pub(crate) const fn number(field: &'static str, sql: &'static str) -> Column {
    Column {
        field,
        ty: FieldType::Number,
        sql,
    }
}

/// A collection's rows: one per item, every field a column.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    columns: &'static [Column],
    /// `FROM … WHERE …` of the rows.
    from: &'static str,
    /// The primary key field (the last sort key, so pages are stable).
    key: &'static str,
}

impl Source {
    /// A collection's rows defined outside this module (`from` binds `$1` the issuer and `$2`
    /// the token's person, as every source does).
    pub(crate) const fn new(
        columns: &'static [Column],
        from: &'static str,
        key: &'static str,
    ) -> Self {
        Self { columns, from, key }
    }
}

/// Friends: the people the token's person is friends with, as `/v1/{id}` shows them.
pub const FRIEND_ROWS: Source = Source {
    columns: &[
        string("id", "p.id"),
        string("name", "p.display_name"),
        string("first_name", "p.first_name"),
        string("last_name", "p.last_name"),
        string("link", "$1 || '/people/' || p.id"),
        string("locale", "p.locale"),
        string("picture", "$1 || '/pictures/' || p.picture_key || '.svg'"),
        string("updated_time", "@utc(p.updated_at)"),
        // The friend has an active grant for the token's app and has not hidden it from
        // friends (store::visibility; issue 16 "friends on this site").
        boolean(
            "uses_this_app",
            "CASE WHEN EXISTS (SELECT 1 FROM grants g WHERE g.person_id = p.id AND g.client_id = $3 \
             AND g.revoked_at IS NULL AND g.expires_at > $4) \
             AND NOT EXISTS (SELECT 1 FROM app_visibility v WHERE v.person_id = p.id \
             AND v.client_id = $3 AND v.hidden = 1) THEN 1 ELSE 0 END",
        ),
    ],
    from: "FROM friendships f JOIN people p ON p.id = f.friend_id WHERE f.person_id = $2",
    key: "id",
};

/// Contacts: the token's person's address book, in Live Connect's contact shape.
pub const CONTACT_ROWS: Source = Source {
    columns: &[
        string("id", "c.id"),
        string("name", "trim(c.first_name || ' ' || c.last_name)"),
        string("first_name", "c.first_name"),
        string("last_name", "c.last_name"),
        boolean(
            "is_friend",
            "CASE WHEN EXISTS (SELECT 1 FROM friendships f WHERE f.person_id = c.owner_id AND f.friend_id = c.person_id) THEN 1 ELSE 0 END",
        ),
        boolean("is_favorite", "c.is_favorite"),
        string("user_id", "c.person_id"),
        string("emails/preferred", "c.email"),
        string("phones/personal", "c.phone"),
        string("updated_time", "@utc(c.updated_at)"),
    ],
    from: "FROM contacts c WHERE c.owner_id = $2",
    key: "id",
};

/// The fields of an activity: AS2 property paths; `a` is the activity, `p` its actor.
const ACTIVITY_COLUMNS: &[Column] = &[
    string("id", "a.id"),
    string("type", "a.kind"),
    string("actor/type", "'Person'"),
    string("actor/id", "a.actor_id"),
    string("actor/name", "p.display_name"),
    string("actor/url", "$1 || '/people/' || a.actor_id"),
    string(
        "actor/icon",
        "$1 || '/pictures/' || p.picture_key || '.svg'",
    ),
    string("object/type", "a.object_type"),
    string("object/href", "a.object_href"),
    string("object/name", "a.object_name"),
    // The link to open: the provider's click-through redirect to `object/href` (issue 15).
    string(
        "url",
        "CASE WHEN a.object_href IS NULL THEN NULL ELSE $1 || '/r/' || a.id END",
    ),
    string("summary", "a.summary"),
    string("content", "a.content"),
    string("mediaType", "'text/plain'"),
    string("published", "@utcz(a.published)"),
    string(
        "to",
        "CASE a.audience WHEN 'friends' THEN $1 || '/people/' || a.actor_id || '/friends' \
         ELSE (SELECT @join($1 || '/people/' || r.person_id) \
         FROM activity_recipients r WHERE r.activity_id = a.id) END",
    ),
    string(
        "generator/type",
        "CASE WHEN a.client_id IS NULL THEN NULL ELSE 'Application' END",
    ),
    string(
        "generator/name",
        "(SELECT g.name FROM apps g WHERE g.client_id = a.client_id)",
    ),
    // The "via <app>" link (issue 17): the app's site, and the counted click-through to it.
    string("generator/href", "a.via_href"),
    string(
        "generator/url",
        "CASE WHEN a.via_href IS NULL THEN NULL ELSE $1 || '/r/' || a.id || '/via' END",
    ),
    // The action link: where it goes, its label, and the counted click-through to it.
    string(
        "action/type",
        "CASE WHEN a.action_href IS NULL THEN NULL ELSE 'Link' END",
    ),
    string("action/href", "a.action_href"),
    string("action/name", "a.action_name"),
    string(
        "action/url",
        "CASE WHEN a.action_href IS NULL THEN NULL ELSE $1 || '/r/' || a.id || '/action' END",
    ),
];

/// Your own activities.
pub const OWN_ACTIVITY_ROWS: Source = Source {
    columns: ACTIVITY_COLUMNS,
    from: "FROM activities a JOIN people p ON p.id = a.actor_id WHERE a.actor_id = $2",
    key: "id",
};

/// Your feed: activities of people who are your friends now, shared with all their friends
/// or with you by name. Never your own, never a non-friend's.
pub const FEED_ROWS: Source = Source {
    columns: ACTIVITY_COLUMNS,
    from: "FROM activities a JOIN people p ON p.id = a.actor_id \
     WHERE a.actor_id <> $2 \
     AND EXISTS (SELECT 1 FROM friendships f WHERE f.person_id = $2 AND f.friend_id = a.actor_id) \
     AND (a.audience = 'friends' OR EXISTS (SELECT 1 FROM activity_recipients r \
          WHERE r.activity_id = a.id AND r.person_id = $2))",
    key: "id",
};

/// The column alias of a field (`emails/preferred` → `emails_preferred`).
fn column_name(field: &str) -> String {
    field.replace('/', "_")
}

impl Source {
    /// The fields, in the order `$select=*` lists them (and rows hold their values).
    pub fn fields(&self) -> FieldSet {
        self.columns
            .iter()
            .fold(FieldSet::new(), |set, c| set.with(c.field, c.ty))
    }

    fn column_map(&self) -> ColumnMap {
        self.columns.iter().fold(ColumnMap::new(), |map, c| {
            map.with(c.field, &column_name(c.field))
        })
    }

    /// `SELECT <expr> AS "<column>", … FROM …`, in `dialect`. On PostgreSQL computed strings
    /// are given `COLLATE "C"`, so they compare byte-wise as the evaluator does.
    fn inner_sql(&self, dialect: Dialect) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| {
                let sql = render(c.sql, dialect);
                if dialect == Dialect::Postgres && c.ty == FieldType::String {
                    format!("({sql}) COLLATE \"C\" AS \"{}\"", column_name(c.field))
                } else {
                    format!("{sql} AS \"{}\"", column_name(c.field))
                }
            })
            .collect();
        format!("SELECT {} {}", cols.join(", "), self.from)
    }

    fn read_row(&self, r: &Row) -> DbResult<Vec<Value>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| read_value(r, i, c.ty))
            .collect()
    }
}

/// Renders the dialect-neutral functions of a column's SQL: `@utc(x)`, `@utcz(x)` and
/// `@join(x)` (see the module's documentation). The argument runs to the matching `)`.
fn render(sql: &str, dialect: Dialect) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let open = after.find('(').expect("a column function has an argument");
        let name = &after[..open];
        let mut depth = 0;
        let mut close = open;
        for (i, ch) in after[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let arg = render(&after[open + 1..close], dialect);
        out.push_str(&match (name, dialect) {
            ("utc", Dialect::Sqlite) => format!("strftime('%Y-%m-%dT%H:%M:%S+0000', {arg}, 'unixepoch')"),
            ("utcz", Dialect::Sqlite) => format!("strftime('%Y-%m-%dT%H:%M:%SZ', {arg}, 'unixepoch')"),
            ("join", Dialect::Sqlite) => format!("group_concat({arg}, ' ')"),
            ("utc", Dialect::Postgres) => format!(
                "to_char(to_timestamp({arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+0000\"')"
            ),
            ("utcz", Dialect::Postgres) => format!(
                "to_char(to_timestamp({arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            ),
            ("join", Dialect::Postgres) => format!("string_agg({arg}, ' ')"),
            (other, _) => panic!("unknown column function @{other}"),
        });
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Column `i` as a value of type `ty`: whatever integer, double, text or boolean the database
/// answered (SQLite's types follow the values, PostgreSQL's the expressions).
fn read_value(r: &Row, i: usize, ty: FieldType) -> DbResult<Value> {
    if let Ok(v) = r.try_get::<Option<String>, _>(i) {
        return Ok(v.map_or(Value::Null, Value::String));
    }
    if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
        return Ok(match (v, ty) {
            (None, _) => Value::Null,
            (Some(n), FieldType::Bool) => Value::Bool(n != 0),
            (Some(n), FieldType::Number) => Value::Number(n as f64),
            (Some(n), _) => Value::String(n.to_string()),
        });
    }
    if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
        return Ok(match (v, ty) {
            (None, _) => Value::Null,
            (Some(n), FieldType::String) => Value::String(n.to_string()),
            (Some(n), _) => Value::Number(n),
        });
    }
    if let Ok(v) = r.try_get::<Option<bool>, _>(i) {
        return Ok(v.map_or(Value::Null, Value::Bool));
    }
    // Anything else (a blob) has no JSON value here.
    Ok(Value::Null)
}

/// Binds a filter value: booleans as the integer 0/1 (how both databases store them here).
fn bind_value<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    v: Value,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match v {
        Value::Null => q.bind(None::<String>),
        Value::Bool(b) => q.bind(i64::from(b)),
        Value::Number(n) => q.bind(n),
        Value::String(s) => q.bind(s),
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What to read: validated query options, as rows.
#[derive(Debug, Clone, Copy)]
pub struct PageQuery<'a> {
    /// `$filter`.
    pub filter: Option<&'a Expr>,
    /// `$orderby` (the key is added as the last key).
    pub order_by: &'a [OrderKey],
    /// At most this many rows.
    pub limit: u64,
    /// After skipping this many.
    pub offset: u64,
    /// Also count the rows matching the filter.
    pub count: bool,
    /// The token's app (`$3`).
    pub app: &'a str,
    /// The time now, Unix seconds (`$4`).
    pub now: i64,
}

/// One page of rows, every field, typed by the source's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRows {
    /// The rows, each the values of [`Source::fields`] in order.
    pub rows: Vec<Vec<Value>>,
    /// The number of rows matching the filter, when asked for.
    pub count: Option<i64>,
}

/// Why a page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum QueryFailed {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A field the options name has no column: the field set and the columns disagree.
    #[error(transparent)]
    Unmapped(#[from] UnmappedField),
}

/// The parameters every statement binds before the filter's: issuer, person, app, now.
const CONTEXT_PARAMS: usize = 4;

/// Reads one page of `source` for `person_id`.
pub async fn page(
    c: &mut Conn,
    dialect: Dialect,
    source: &Source,
    issuer: &str,
    person_id: &str,
    q: &PageQuery<'_>,
) -> Result<PageRows, QueryFailed> {
    let columns = source.column_map();
    let mut where_sql = String::new();
    let mut params = Vec::new();
    if let Some(filter) = q.filter {
        let f = filter_to_sql(filter, &columns)?;
        // $1 issuer, $2 person id, $3 app, $4 now, then the filter's values from $5 on.
        where_sql = renumber(&format!(" WHERE {}", f.sql), CONTEXT_PARAMS + 1);
        params = f.params;
    }
    let mut order = order_by_to_sql(q.order_by, &columns)?;
    if !order.is_empty() {
        order.push_str(", ");
    }
    order.push_str(&format!("{} ASC", columns.column(source.key)?));

    let inner = source.inner_sql(dialect);
    let n = params.len() + CONTEXT_PARAMS;
    let bound = |sql: String| {
        params.iter().cloned().fold(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(issuer.to_owned())
                .bind(person_id.to_owned())
                .bind(q.app.to_owned())
                .bind(q.now),
            bind_value,
        )
    };
    let count = if q.count {
        let count_sql = format!("SELECT COUNT(*) FROM ({inner}) AS t{where_sql}");
        let row = bound(count_sql).fetch_one(&mut *c).await?;
        Some(row.try_get::<i64, _>(0)?)
    } else {
        None
    };
    let page_sql = format!(
        "SELECT * FROM ({inner}) AS t{where_sql} ORDER BY {order} LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let rows = bound(page_sql)
        .bind(to_i64(q.limit))
        .bind(to_i64(q.offset))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| source.read_row(r))
        .collect::<DbResult<Vec<_>>>()?;
    Ok(PageRows { rows, count })
}

/// One item of `source` for `person_id` by its key; `None` when there is none (no app: a
/// friend's `uses_this_app` reads false).
pub async fn by_id(
    c: &mut Conn,
    dialect: Dialect,
    source: &Source,
    issuer: &str,
    person_id: &str,
    id: &str,
) -> DbResult<Option<Vec<Value>>> {
    let sql = format!(
        "SELECT * FROM ({}) AS t WHERE \"{}\" = $5",
        source.inner_sql(dialect),
        column_name(source.key)
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(issuer)
        .bind(person_id)
        .bind("")
        .bind(0_i64)
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| source.read_row(&r))
        .transpose()
}

/// Rewrites the bare `?` placeholders of a filter fragment as `$N`, `$N+1`, … (the fragment
/// never has `?` inside SQL strings: its literals are all bound).
pub(crate) fn renumber(sql: &str, first: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = first;
    for ch in sql.chars() {
        if ch == '?' {
            out.push_str(&format!("${n}"));
            n += 1;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumber_counts_from_first() {
        assert_eq!(
            renumber(" WHERE (a IS ? AND b IS ?)", 3),
            " WHERE (a IS $3 AND b IS $4)"
        );
    }

    #[test]
    fn column_functions_render_per_dialect() {
        let sql = "CASE WHEN x THEN @utc(p.updated_at) ELSE (SELECT @join($1 || '/p/' || lower(r.id))) END";
        assert_eq!(
            render(sql, Dialect::Sqlite),
            "CASE WHEN x THEN strftime('%Y-%m-%dT%H:%M:%S+0000', p.updated_at, 'unixepoch') ELSE (SELECT group_concat($1 || '/p/' || lower(r.id), ' ')) END"
        );
        let pg = render(sql, Dialect::Postgres);
        assert!(
            pg.contains("to_char(to_timestamp(p.updated_at) AT TIME ZONE 'UTC'"),
            "{pg}"
        );
        assert!(
            pg.contains("string_agg($1 || '/p/' || lower(r.id), ' ')"),
            "{pg}"
        );
        for source in [FRIEND_ROWS, CONTACT_ROWS, OWN_ACTIVITY_ROWS, FEED_ROWS] {
            for d in [Dialect::Sqlite, Dialect::Postgres] {
                assert!(!source.inner_sql(d).contains('@'));
                assert!(!source.inner_sql(d).contains('?'));
            }
        }
    }

    #[test]
    fn every_field_has_a_distinct_column() {
        for source in [FRIEND_ROWS, CONTACT_ROWS, OWN_ACTIVITY_ROWS, FEED_ROWS] {
            let fields = source.fields();
            let map = source.column_map();
            let mut seen = std::collections::HashSet::new();
            for (field, _) in fields.iter() {
                assert!(
                    seen.insert(map.column(field).unwrap().to_owned()),
                    "{field}"
                );
            }
            assert!(map.column(source.key).is_ok());
        }
    }
}
