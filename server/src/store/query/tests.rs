//! Tests of the SQL translation: the text it produces, and that SQLite selects the same rows
//! as the evaluator, on hand-picked cases and on generated filters, orders and rows (the
//! generators are the OData module's, [`crate::odata::tests::props`]).

use proptest::prelude::*;
use rusqlite::Connection;

use super::{ColumnMap, UnmappedField, filter_to_sql, order_by_to_sql};
use crate::odata::tests::props::{Indexed, config, expr, order, row};
use crate::odata::tests::{TestRow, fields};
use crate::odata::{Direction, Expr, OrderKey, Row, Value, parse_filter, sort_rows};

fn columns() -> ColumnMap {
    ColumnMap::new()
        .with("name", "name")
        .with("city", "city")
        .with("age", "age")
        .with("active", "active")
        .with("emails/preferred", "email_preferred")
}

/// An in-memory table holding `rows`, with `id` = index.
fn table(rows: &[TestRow]) -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, city TEXT, age INTEGER, \
         active INTEGER, email_preferred TEXT)",
    )
    .unwrap();
    for (id, row) in rows.iter().enumerate() {
        db.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
            rusqlite::params![
                id as i64,
                row.field("name"),
                row.field("city"),
                row.field("age"),
                row.field("active"),
                row.field("emails/preferred"),
            ],
        )
        .unwrap();
    }
    db
}

/// The ids SQLite returns for a filter and order (id as the final key).
fn sqlite_ids(db: &Connection, filter: Option<&Expr>, order: &[OrderKey]) -> Vec<usize> {
    let (condition, params) = match filter {
        Some(f) => {
            let sql = filter_to_sql(f, &columns()).unwrap();
            (sql.sql, sql.params)
        }
        None => ("1".to_owned(), Vec::new()),
    };
    let mut order_sql = order_by_to_sql(order, &columns()).unwrap();
    if !order_sql.is_empty() {
        order_sql.push_str(", ");
    }
    let query = format!("SELECT id FROM t WHERE {condition} ORDER BY {order_sql}id");
    let mut stmt = db.prepare(&query).unwrap();
    stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        r.get::<_, i64>(0)
    })
    .unwrap()
    .map(|r| r.unwrap() as usize)
    .collect()
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
        "(((\"name\" IS NOT NULL AND \"name\" LIKE ? ESCAPE '\\') AND NOT (((\"age\" IS NOT NULL \
         AND \"age\" > ?) OR \"city\" IS NULL))) OR \"active\" IS NOT ?)"
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
        "\"email_preferred\" DESC, \"age\" ASC"
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
fn sqlite_agrees_with_the_evaluator_on_tricky_rows() {
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
    let db = table(&rows);
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
        assert_eq!(sqlite_ids(&db, Some(&expr), &[]), evaluated, "{filter}");
    }
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn evaluator_and_sqlite_agree(
        e in expr(false),
        rows in prop::collection::vec(row(), 0..16),
        keys in order(),
    ) {
        let db = table(&rows);
        let indexed: Vec<Indexed> =
            rows.into_iter().enumerate().map(|(i, r)| Indexed(i, r)).collect();
        let filtered: Vec<Indexed> = indexed.into_iter().filter(|r| e.matches(r)).collect();
        let sorted: Vec<usize> = sort_rows(filtered, &keys).into_iter().map(|r| r.0).collect();
        prop_assert_eq!(sqlite_ids(&db, Some(&e), &keys), sorted, "{}", e);
    }
}
