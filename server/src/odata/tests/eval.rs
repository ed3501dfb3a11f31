//! Unit tests of the in-memory evaluator: every construct, null rules, string semantics,
//! sorting, paging and projection.

use super::{TestRow, fields};
use crate::odata::{QueryOptions, Select, Value, apply, parse_filter, project};

fn ann() -> TestRow {
    TestRow(vec![
        ("name", Value::String("Ann O'Brien".into())),
        ("city", Value::String("Oslo".into())),
        ("age", Value::Number(34.0)),
        ("active", Value::Bool(true)),
        ("emails/preferred", Value::String("ann@example.com".into())),
    ])
}

fn bob() -> TestRow {
    TestRow(vec![
        ("name", Value::String("bob".into())),
        ("city", Value::Null),
        ("age", Value::Number(-2.5)),
        ("active", Value::Bool(false)),
    ])
}

fn matches(filter: &str, row: &TestRow) -> bool {
    match parse_filter(filter, &fields()) {
        Ok(e) => e.matches(row),
        Err(e) => panic!("{filter}: {e}"),
    }
}

#[test]
fn comparisons() {
    let a = ann();
    for (f, want) in [
        ("age eq 34", true),
        ("age ne 34", false),
        ("age gt 33.9", true),
        ("age ge 34", true),
        ("age lt 34", false),
        ("age le 34", true),
        ("name eq 'Ann O''Brien'", true),
        ("name eq 'ann o''brien'", false), // equality is case-sensitive
        ("name lt 'B'", true),
        ("name gt 'a'", false), // byte order: 'A' < 'a'
        ("active eq true", true),
        ("active ne true", false),
        ("emails/preferred eq 'ann@example.com'", true),
    ] {
        assert_eq!(matches(f, &a), want, "{f}");
    }
}

#[test]
fn null_rules() {
    let b = bob();
    for (f, want) in [
        ("city eq null", true),
        ("city ne null", false),
        ("city ne 'Oslo'", true),
        ("city eq 'Oslo'", false),
        ("city gt 'A'", false),
        ("city le 'zzz'", false),
        ("not city gt 'A'", true),
        ("contains(city,'')", false),
        ("not contains(city,'x')", true),
        ("emails/preferred eq null", true), // absent field reads as null
        ("age gt null", false),
        ("age le null", false),
        ("name eq null", false),
    ] {
        assert_eq!(matches(f, &b), want, "{f}");
    }
}

#[test]
fn string_functions_fold_ascii_case_only() {
    let a = ann();
    for (f, want) in [
        ("contains(name,'o''b')", true),
        ("contains(name,'BRIEN')", true),
        ("contains(name,'')", true),
        ("contains(name,'xyz')", false),
        ("startswith(name,'ann')", true),
        ("startswith(name,'brien')", false),
        ("endswith(emails/preferred,'.COM')", true),
        ("endswith(name,'Ann')", false),
        ("contains(name,'%')", false),
        ("contains(name,'_')", false),
    ] {
        assert_eq!(matches(f, &a), want, "{f}");
    }
    let zoe = TestRow(vec![("name", Value::String("ZOË".into()))]);
    assert!(matches("contains(name,'zo')", &zoe));
    assert!(
        !matches("contains(name,'zoë')", &zoe),
        "non-ASCII letters are not folded"
    );
}

#[test]
fn logic() {
    let a = ann();
    assert!(matches("age eq 1 or city eq 'Oslo'", &a));
    assert!(!matches("age eq 1 and city eq 'Oslo'", &a));
    assert!(matches("not age eq 1 and city eq 'Oslo'", &a));
    assert!(!matches("not (age eq 1 or city eq 'Oslo')", &a));
    assert!(matches("not not active eq true", &a));
}

#[test]
fn apply_filters_sorts_pages_and_counts() {
    let rows: Vec<TestRow> = (0..10)
        .map(|i| {
            TestRow(vec![
                ("name", Value::String(format!("p{}", i % 3))),
                (
                    "age",
                    if i == 4 {
                        Value::Null
                    } else {
                        Value::Number(f64::from(i))
                    },
                ),
            ])
        })
        .collect();
    let pairs: Vec<(String, String)> = [
        ("$filter", "age ne 0"),
        ("$orderby", "name desc,age"),
        ("$skip", "1"),
        ("$top", "3"),
        ("$count", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let options = QueryOptions::parse(&pairs, &fields()).unwrap();
    let page = apply(rows, &options);
    assert_eq!(page.count, Some(9));
    assert!(page.has_more);
    let got: Vec<(Value, Value)> = page
        .items
        .iter()
        .map(|r| (r.0[0].1.clone(), r.0[1].1.clone()))
        .collect();
    // p2: 2,5,8 · p1: null(4 is p1),1,7 — skip 1, take 3
    assert_eq!(
        got,
        vec![
            (Value::String("p2".into()), Value::Number(5.0)),
            (Value::String("p2".into()), Value::Number(8.0)),
            (Value::String("p1".into()), Value::Null),
        ]
    );
    let last = apply(
        vec![ann(), bob()],
        &QueryOptions {
            skip: Some(1),
            top: Some(5),
            ..QueryOptions::default()
        },
    );
    assert_eq!(
        (last.items.len(), last.has_more, last.count),
        (1, false, None)
    );
}

#[test]
fn project_nests_paths() {
    let select = Select::Fields(vec!["emails/preferred".into(), "age".into(), "city".into()]);
    let json = serde_json::Value::Object(project(&ann(), &select, &fields()));
    assert_eq!(
        json,
        serde_json::json!({ "emails": { "preferred": "ann@example.com" }, "age": 34, "city": "Oslo" })
    );
    let all = project(&bob(), &Select::All, &fields());
    assert_eq!(
        serde_json::Value::Object(all),
        serde_json::json!({ "name": "bob", "city": null, "age": -2.5, "active": false,
                            "emails": { "preferred": null } })
    );
}
