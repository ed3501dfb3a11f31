//! Unit tests of `QueryOptions::parse`: `$select`, `$orderby`, `$top`, `$skip`, `$count`.

use super::fields;
use crate::odata::{
    CompareOp, Direction, Expr, Limits, OrderKey, QueryError, QueryOptions, Reason, Select, Value,
};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn parse(list: &[(&str, &str)]) -> QueryOptions {
    match QueryOptions::parse(&pairs(list), &fields()) {
        Ok(o) => o,
        Err(e) => panic!("{list:?} should parse: {e}"),
    }
}

fn error(list: &[(&str, &str)]) -> QueryError {
    match QueryOptions::parse(&pairs(list), &fields()) {
        Ok(o) => panic!("{list:?} should not parse, got {o:?}"),
        Err(e) => e,
    }
}

fn key(field: &str, direction: Direction) -> OrderKey {
    OrderKey {
        field: field.to_owned(),
        direction,
    }
}

#[test]
fn no_options_means_defaults() {
    assert_eq!(parse(&[]), QueryOptions::default());
    let o = parse(&[
        ("access_token", "x"),
        ("$format", "xml"),
        ("filter", "junk"),
    ]);
    assert_eq!(o, QueryOptions::default());
}

#[test]
fn all_options_together() {
    let o = parse(&[
        ("$filter", "age ge 18"),
        ("$select", "name, emails/preferred"),
        ("$orderby", "city desc, name"),
        ("$top", "50"),
        ("$skip", "100"),
        ("$count", "true"),
    ]);
    assert_eq!(
        o.filter,
        Some(Expr::Compare {
            field: "age".into(),
            op: CompareOp::Ge,
            value: Value::Number(18.0)
        })
    );
    assert_eq!(
        o.select,
        Select::Fields(vec!["name".into(), "emails/preferred".into()])
    );
    assert_eq!(
        o.order_by,
        vec![key("city", Direction::Desc), key("name", Direction::Asc)]
    );
    assert_eq!((o.top, o.skip, o.count), (Some(50), Some(100), true));
}

#[test]
fn select_forms() {
    assert_eq!(parse(&[("$select", "*")]).select, Select::All);
    assert_eq!(
        parse(&[("$select", "age")]).select,
        Select::Fields(vec!["age".into()])
    );
}

#[test]
fn orderby_forms() {
    assert_eq!(
        parse(&[("$orderby", "name asc,age desc , emails/preferred")]).order_by,
        vec![
            key("name", Direction::Asc),
            key("age", Direction::Desc),
            key("emails/preferred", Direction::Asc)
        ]
    );
}

#[test]
fn count_and_paging_values() {
    assert!(!parse(&[("$count", "false")]).count);
    assert_eq!(parse(&[("$top", "0"), ("$skip", "0")]).top, Some(0));
    assert_eq!(parse(&[("$top", "1000")]).top, Some(1000));
    let limited =
        QueryOptions::parse_with(&pairs(&[("$top", "11")]), &fields(), Limits { max_top: 10 });
    assert_eq!(
        limited.map_err(|e| e.reason),
        Err(Reason::TopTooLarge { value: 11, max: 10 })
    );
}

/// (pairs, option, position, message).
type OptionCase = (
    &'static [(&'static str, &'static str)],
    &'static str,
    usize,
    &'static str,
);

/// (pairs, option, position, message) for every option error.
#[test]
fn every_option_error_with_its_position() {
    let cases: &[OptionCase] = &[
        (
            &[("$select", "name,nick")],
            "$select",
            5,
            "unknown field 'nick'",
        ),
        (
            &[("$select", "name,,age")],
            "$select",
            5,
            "expected a field name, found ','",
        ),
        (
            &[("$select", "name,")],
            "$select",
            5,
            "expected a field name",
        ),
        (&[("$select", "")], "$select", 0, "expected a field name"),
        (
            &[("$select", "name age")],
            "$select",
            5,
            "expected ',' or the end, found 'age'",
        ),
        (
            &[("$select", "name desc")],
            "$select",
            5,
            "expected ',' or the end, found 'desc'",
        ),
        (
            &[("$select", "name,age,name")],
            "$select",
            9,
            "field 'name' is listed more than once",
        ),
        (
            &[("$select", "name;")],
            "$select",
            4,
            "unexpected character ';'",
        ),
        (
            &[("$orderby", "name up")],
            "$orderby",
            5,
            "expected 'asc', 'desc', ',' or the end, found 'up'",
        ),
        (
            &[("$orderby", "name asc desc")],
            "$orderby",
            9,
            "expected 'asc', 'desc', ',' or the end, found 'desc'",
        ),
        (
            &[("$orderby", "age,nick desc")],
            "$orderby",
            4,
            "unknown field 'nick'",
        ),
        (
            &[("$orderby", "age desc,")],
            "$orderby",
            9,
            "expected a field name",
        ),
        (
            &[("$orderby", "age, age desc")],
            "$orderby",
            5,
            "field 'age' is listed more than once",
        ),
        (
            &[("$top", "-1")],
            "$top",
            0,
            "expected a non-negative integer, found '-1'",
        ),
        (
            &[("$top", " x")],
            "$top",
            1,
            "expected a non-negative integer, found 'x'",
        ),
        (
            &[("$top", "")],
            "$top",
            0,
            "expected a non-negative integer, found ''",
        ),
        (
            &[("$top", "1.5")],
            "$top",
            0,
            "expected a non-negative integer, found '1.5'",
        ),
        (
            &[("$top", "1001")],
            "$top",
            0,
            "1001 is more than the maximum of 1000",
        ),
        (
            &[("$skip", "99999999999999999999999")],
            "$skip",
            0,
            "expected a non-negative integer, found '99999999999999999999999'",
        ),
        (
            &[("$skip", "+3")],
            "$skip",
            0,
            "expected a non-negative integer, found '+3'",
        ),
        (
            &[("$count", "yes")],
            "$count",
            0,
            "expected 'true' or 'false', found 'yes'",
        ),
        (
            &[("$top", "1"), ("$top", "2")],
            "$top",
            0,
            "the option is given more than once",
        ),
        (
            &[("$filter", "age eq 1"), ("$filter", "age eq 2")],
            "$filter",
            0,
            "the option is given more than once",
        ),
        (
            &[("$top", "5"), ("$filter", "name eq ")],
            "$filter",
            8,
            "expected a value after 'eq'",
        ),
    ];
    for (list, option, pos, message) in cases {
        let err = error(list);
        assert_eq!(
            (err.option, err.position, err.reason.to_string().as_str()),
            (*option, *pos, *message),
            "{list:?}"
        );
        assert_eq!(err.code(), "request_parameter_invalid");
    }
}

#[test]
fn the_options_together_are_capped() {
    use crate::odata::MAX_QUERY_BYTES;
    let long = vec!["name"; MAX_QUERY_BYTES / 5].join(" eq 'a' or ");
    let e = error(&[("$select", "name"), ("$filter", &long)]);
    assert_eq!(e.option, "$filter");
    assert!(
        matches!(e.reason, Reason::QueryTooLong { max, .. } if max == MAX_QUERY_BYTES),
        "{e}"
    );
    assert!(e.to_string().contains("more than the limit of 8192"), "{e}");
}
