//! Tests of the SQL translation: the text it produces, and that SQLite and PostgreSQL select
//! the same rows as the evaluator, on hand-picked cases and on generated filters, orders and
//! rows (the generators are the OData module's, [`crate::odata::tests::props`]). PostgreSQL
//! takes part when `WL_TEST_DATABASE` names one (`cargo xtask test` starts one).

use proptest::prelude::*;
use sqlx::Connection as _;

use super::{ColumnMap, UnmappedField, filter_to_sql, order_by_to_sql};
use crate::odata::tests::props::{Indexed, config, expr, order, row};
use crate::odata::tests::{TestRow, fields};
use crate::odata::{Direction, Expr, OrderKey, Row, Value, parse_filter, sort_rows};
use crate::store::Dialect;

fn columns() -> ColumnMap {
    ColumnMap::new()
        .with("name", "name")
        .with("city", "city")
        .with("age", "age")
        .with("active", "active")
        .with("emails/preferred", "email_preferred")
}

/// A database to compare with the evaluator: SQLite in memory, and PostgreSQL when
/// `WL_TEST_DATABASE` is set.
struct Engine {
    rt: tokio::runtime::Runtime,
    conn: sqlx::AnyConnection,
    dialect: Dialect,
}

fn engines() -> Vec<Engine> {
    sqlx::any::install_default_drivers();
    let mut urls = vec![("sqlite::memory:".to_owned(), Dialect::Sqlite)];
    if let Ok(url) = std::env::var("WL_TEST_DATABASE") {
        urls.push((url, Dialect::Postgres));
    }
    urls.into_iter()
        .map(|(url, dialect)| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let conn = rt
                .block_on(sqlx::AnyConnection::connect(&url))
                .expect("the test database");
            Engine { rt, conn, dialect }
        })
        .collect()
}

impl Engine {
    /// A table holding `rows` (replacing the last), with `id` = index. Text compares byte-wise
    /// on both (PostgreSQL: `COLLATE "C"`, as the migrations give every text column).
    fn load(&mut self, rows: &[TestRow]) {
        let (text, real) = match self.dialect {
            Dialect::Sqlite => ("TEXT", "REAL"),
            Dialect::Postgres => ("TEXT COLLATE \"C\"", "DOUBLE PRECISION"),
        };
        let ddl = format!(
            "DROP TABLE IF EXISTS t; CREATE TEMPORARY TABLE t (id BIGINT PRIMARY KEY, name {text}, \
             city {text}, age {real}, active BIGINT, email_preferred {text})"
        );
        let conn = &mut self.conn;
        self.rt.block_on(async {
            sqlx::raw_sql(sqlx::AssertSqlSafe(ddl))
                .execute(&mut *conn)
                .await
                .unwrap();
            for (id, row) in rows.iter().enumerate() {
                let text = |f: &str| match row.field(f) {
                    Value::String(s) => Some(s),
                    _ => None,
                };
                let age = match row.field("age") {
                    Value::Number(n) => Some(n),
                    _ => None,
                };
                let active = match row.field("active") {
                    Value::Bool(b) => Some(i64::from(b)),
                    _ => None,
                };
                // A NULL double is bound as a flag beside 0.0, never as `None::<f64>`: sqlx
                // 0.9's Any driver sends that as a float4 NULL, and the statement prepared
                // with it then refuses the next row's real float8 ("incorrect binary data
                // format in bind parameter 4", seen in CI; order-dependent).
                sqlx::query(
                    "INSERT INTO t VALUES ($1, $2, $3, CASE WHEN $7 = 1 THEN NULL ELSE $4 END, $5, $6)",
                )
                .bind(id as i64)
                .bind(text("name"))
                .bind(text("city"))
                .bind(age.unwrap_or(0.0))
                    .bind(active)
                    .bind(text("emails/preferred"))
                    .bind(i64::from(age.is_none()))
                    .execute(&mut *conn)
                    .await
                    .unwrap();
            }
        });
    }

    /// The ids the database returns for a filter and order (id as the final key).
    fn ids(&mut self, filter: Option<&Expr>, order: &[OrderKey]) -> Vec<usize> {
        let (condition, params) = match filter {
            Some(f) => {
                let sql = filter_to_sql(f, &columns()).unwrap();
                (crate::store::collections::renumber(&sql.sql, 1), sql.params)
            }
            None => ("1 = 1".to_owned(), Vec::new()),
        };
        let mut order_sql = order_by_to_sql(order, &columns()).unwrap();
        if !order_sql.is_empty() {
            order_sql.push_str(", ");
        }
        let query = format!("SELECT id FROM t WHERE {condition} ORDER BY {order_sql}id");
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(query.clone()));
        for p in params {
            q = match p {
                Value::Null => q.bind(None::<String>),
                Value::Bool(b) => q.bind(i64::from(b)),
                Value::Number(n) => q.bind(n),
                Value::String(s) => q.bind(s),
            };
        }
        let conn = &mut self.conn;
        self.rt
            .block_on(q.fetch_all(conn))
            .unwrap_or_else(|e| panic!("{:?}: {query}: {e}", self.dialect))
            .into_iter()
            .map(|id| id as usize)
            .collect()
    }
}

#[test]
fn translation_text() {
    let f = parse_filter(
        "contains(name,'50%_a\\b') and not (age gt 3 or city eq null) or active ne true",
        &fields(),
    )
    .unwrap();
    let sql = filter_to_sql(&f, &columns()).unwrap();
    assert_eq!(
        sql.sql,
        "(((\"name\" IS NOT NULL AND lower(\"name\") LIKE ? ESCAPE '\\') AND NOT (((\"age\" IS NOT NULL \
         AND \"age\" > ?) OR \"city\" IS NULL))) OR \"active\" IS DISTINCT FROM ?)"
    );
    assert_eq!(
        sql.params,
        vec![
            Value::String("%50\\%\\_a\\\\b%".into()),
            Value::Number(3.0),
            Value::Bool(true)
        ]
    );
    let keys = [
        OrderKey {
            field: "emails/preferred".into(),
            direction: Direction::Desc,
        },
        OrderKey {
            field: "age".into(),
            direction: Direction::Asc,
        },
    ];
    assert_eq!(
        order_by_to_sql(&keys, &columns()).unwrap(),
        "\"email_preferred\" DESC NULLS LAST, \"age\" ASC NULLS FIRST"
    );
}

#[test]
fn column_names_are_quoted_and_unmapped_fields_are_errors() {
    let map = ColumnMap::new().with("name", "c.display\"name");
    assert_eq!(map.column("name"), Ok("\"c\".\"display\"\"name\""));
    let f = parse_filter("city eq 'x'", &fields()).unwrap();
    assert_eq!(filter_to_sql(&f, &map), Err(UnmappedField("city".into())));
}

#[test]
fn the_databases_agree_with_the_evaluator_on_tricky_rows() {
    let s = |t: &str| Value::String(t.into());
    let rows = vec![
        TestRow(vec![
            ("name", s("Ann")),
            ("city", s("Oslo")),
            ("age", Value::Number(3.0)),
        ]),
        TestRow(vec![
            ("name", s("ann")),
            ("age", Value::Number(-0.0)),
            ("active", Value::Bool(true)),
        ]),
        TestRow(vec![
            ("name", s("50%_a\\b")),
            ("city", s("É")),
            ("active", Value::Bool(false)),
        ]),
        TestRow(vec![
            ("name", s("zoë")),
            ("city", s("é")),
            ("emails/preferred", s("a@b")),
        ]),
        TestRow(vec![]),
    ];
    let mut engines = engines();
    for e in &mut engines {
        e.load(&rows);
    }
    for filter in [
        "name eq 'Ann'",
        "name ne 'Ann'",
        "name gt 'Ann'",
        "contains(name,'AN')",
        "contains(name,'%')",
        "contains(name,'_a\\')",
        "startswith(name,'50%')",
        "endswith(name,'Ë')",
        "contains(city,'é')",
        "city eq null",
        "not city eq null",
        "not city gt 'O'",
        "age eq 0",
        "age ge -0",
        "not age lt 3",
        "age gt null",
        "not age gt null",
        "active eq true",
        "active ne true",
        "active eq false or emails/preferred ne null",
    ] {
        let expr = parse_filter(filter, &fields()).unwrap();
        let evaluated: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| expr.matches(*r))
            .map(|(i, _)| i)
            .collect();
        for e in &mut engines {
            assert_eq!(
                e.ids(Some(&expr), &[]),
                evaluated,
                "{:?}: {filter}",
                e.dialect
            );
        }
    }
}

std::thread_local! {
    /// The engines, kept between cases (one connection each for the whole run).
    static ENGINES: std::cell::Cell<Option<Vec<Engine>>> = const { std::cell::Cell::new(None) };
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn evaluator_and_databases_agree(
        e in expr(false),
        rows in prop::collection::vec(row(), 0..16),
        keys in order(),
    ) {
        let mut engines = ENGINES.with(|e| e.take()).unwrap_or_else(engines);
        for e in &mut engines {
            e.load(&rows);
        }
        let indexed: Vec<Indexed> =
            rows.into_iter().enumerate().map(|(i, r)| Indexed(i, r)).collect();
        let filtered: Vec<Indexed> = indexed.into_iter().filter(|r| e.matches(r)).collect();
        let sorted: Vec<usize> = sort_rows(filtered, &keys).into_iter().map(|r| r.0).collect();
        let mut found = Vec::new();
        for engine in &mut engines {
            found.push((engine.dialect, engine.ids(Some(&e), &keys)));
        }
        ENGINES.with(|cell| cell.set(Some(engines)));
        for (dialect, ids) in found {
            prop_assert_eq!(ids, sorted.clone(), "{:?}: {}", dialect, e);
        }
    }
}
