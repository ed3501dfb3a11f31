//! The rows behind the OData-queryable `/v1` collections (friends, contacts, your activities,
//! your feed): for each, the SQL computing every field of an item, and the statements that
//! read one page of them or one item by id.
//!
//! The API side ([`crate::api::collections`]) parses and checks the query options; here they
//! become SQL ([`super::query`]). In every statement `?1` is the issuer (links and pictures
//! are absolute URLs) and `?2` the token's person; the filter's values follow.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension};

use super::query::{ColumnMap, UnmappedField, filter_to_sql, order_by_to_sql};
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
    Db(#[from] rusqlite::Error),
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

const fn string(field: &'static str, sql: &'static str) -> Column {
    Column {
        field,
        ty: FieldType::String,
        sql,
    }
}

const fn boolean(field: &'static str, sql: &'static str) -> Column {
    Column {
        field,
        ty: FieldType::Bool,
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

/// Friends: the people the token's person is friends with, as `/v1/{id}` shows them.
pub const FRIEND_ROWS: Source = Source {
    columns: &[
        string("id", "p.id"),
        string("name", "p.display_name"),
        string("first_name", "p.first_name"),
        string("last_name", "p.last_name"),
        string("link", "?1 || '/people/' || p.id"),
        string("locale", "p.locale"),
        string("picture", "?1 || '/pictures/' || p.picture_key || '.svg'"),
        string(
            "updated_time",
            "strftime('%Y-%m-%dT%H:%M:%S+0000', p.updated_at, 'unixepoch')",
        ),
    ],
    from: "FROM friendships f JOIN people p ON p.id = f.friend_id WHERE f.person_id = ?2",
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
            "EXISTS (SELECT 1 FROM friendships f WHERE f.person_id = c.owner_id AND f.friend_id = c.person_id)",
        ),
        boolean("is_favorite", "c.is_favorite"),
        string("user_id", "c.person_id"),
        string("emails/preferred", "c.email"),
        string("phones/personal", "c.phone"),
        string(
            "updated_time",
            "strftime('%Y-%m-%dT%H:%M:%S+0000', c.updated_at, 'unixepoch')",
        ),
    ],
    from: "FROM contacts c WHERE c.owner_id = ?2",
    key: "id",
};

/// The fields of an activity: AS2 property paths; `a` is the activity, `p` its actor.
const ACTIVITY_COLUMNS: &[Column] = &[
    string("id", "a.id"),
    string("type", "a.kind"),
    string("actor/type", "'Person'"),
    string("actor/id", "a.actor_id"),
    string("actor/name", "p.display_name"),
    string("actor/url", "?1 || '/people/' || a.actor_id"),
    string(
        "actor/icon",
        "?1 || '/pictures/' || p.picture_key || '.svg'",
    ),
    string("object/type", "a.object_type"),
    string("object/href", "a.object_href"),
    string("object/name", "a.object_name"),
    string("summary", "a.summary"),
    string("content", "a.content"),
    string("mediaType", "'text/plain'"),
    string(
        "published",
        "strftime('%Y-%m-%dT%H:%M:%SZ', a.published, 'unixepoch')",
    ),
    string(
        "to",
        "CASE a.audience WHEN 'friends' THEN ?1 || '/people/' || a.actor_id || '/friends' \
         ELSE (SELECT group_concat(?1 || '/people/' || r.person_id, ' ') \
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
];

/// Your own activities.
pub const OWN_ACTIVITY_ROWS: Source = Source {
    columns: ACTIVITY_COLUMNS,
    from: "FROM activities a JOIN people p ON p.id = a.actor_id WHERE a.actor_id = ?2",
    key: "id",
};

/// Your feed: activities of people who are your friends now, shared with all their friends
/// or with you by name. Never your own, never a non-friend's.
pub const FEED_ROWS: Source = Source {
    columns: ACTIVITY_COLUMNS,
    from: "FROM activities a JOIN people p ON p.id = a.actor_id \
     WHERE a.actor_id <> ?2 \
     AND EXISTS (SELECT 1 FROM friendships f WHERE f.person_id = ?2 AND f.friend_id = a.actor_id) \
     AND (a.audience = 'friends' OR EXISTS (SELECT 1 FROM activity_recipients r \
          WHERE r.activity_id = a.id AND r.person_id = ?2))",
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

    /// `SELECT <expr> AS "<column>", … FROM …`.
    fn inner_sql(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{} AS \"{}\"", c.sql, column_name(c.field)))
            .collect();
        format!("SELECT {} {}", cols.join(", "), self.from)
    }

    fn read_row(&self, r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<Value>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| Ok(to_value(c.ty, r.get::<_, SqlValue>(i)?)))
            .collect()
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

fn sql_value(v: Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(b)),
        Value::Number(n) => SqlValue::Real(n),
        Value::String(s) => SqlValue::Text(s),
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
    Db(#[from] rusqlite::Error),
    /// A field the options name has no column: the field set and the columns disagree.
    #[error(transparent)]
    Unmapped(#[from] UnmappedField),
}

/// Reads one page of `source` for `person_id`.
pub fn page(
    c: &Connection,
    source: &Source,
    issuer: &str,
    person_id: &str,
    q: &PageQuery<'_>,
) -> Result<PageRows, QueryFailed> {
    let columns = source.column_map();
    let mut where_sql = String::new();
    let mut binds: Vec<SqlValue> = vec![
        SqlValue::Text(issuer.to_owned()),
        SqlValue::Text(person_id.to_owned()),
    ];
    if let Some(filter) = q.filter {
        let f = filter_to_sql(filter, &columns)?;
        // ?1 issuer, ?2 person id, then the filter's values from ?3 on.
        where_sql = renumber(&format!(" WHERE {}", f.sql), 3);
        binds.extend(f.params.into_iter().map(sql_value));
    }
    let mut order = order_by_to_sql(q.order_by, &columns)?;
    if !order.is_empty() {
        order.push_str(", ");
    }
    order.push_str(&format!("{} ASC", columns.column(source.key)?));

    let inner = source.inner_sql();
    let n = binds.len();
    let page_sql = format!(
        "SELECT * FROM ({inner}) AS t{where_sql} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let count = if q.count {
        let count_sql = format!("SELECT COUNT(*) FROM ({inner}) AS t{where_sql}");
        Some(
            c.prepare_cached(&count_sql)?
                .query_row(rusqlite::params_from_iter(binds.iter()), |r| r.get(0))?,
        )
    } else {
        None
    };
    binds.push(SqlValue::Integer(to_i64(q.limit)));
    binds.push(SqlValue::Integer(to_i64(q.offset)));
    let mut stmt = c.prepare_cached(&page_sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(binds.iter()), |r| {
            source.read_row(r)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PageRows { rows, count })
}

/// One item of `source` for `person_id` by its key; `None` when there is none.
pub fn by_id(
    c: &Connection,
    source: &Source,
    issuer: &str,
    person_id: &str,
    id: &str,
) -> rusqlite::Result<Option<Vec<Value>>> {
    let sql = format!(
        "SELECT * FROM ({}) AS t WHERE \"{}\" = ?3",
        source.inner_sql(),
        column_name(source.key)
    );
    c.prepare_cached(&sql)?
        .query_row(rusqlite::params![issuer, person_id, id], |r| {
            source.read_row(r)
        })
        .optional()
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
