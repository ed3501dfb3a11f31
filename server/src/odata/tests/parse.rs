//! Unit tests of the `$filter` parser: every construct, precedence, every error with its
//! position.

use super::fields;
use crate::odata::{CompareOp, Expr, QueryError, Reason, StringFn, Value, parse_filter};

fn parse(src: &str) -> Expr {
    match parse_filter(src, &fields()) {
        Ok(e) => e,
        Err(e) => panic!("{src:?} should parse: {e}"),
    }
}

fn error(src: &str) -> QueryError {
    match parse_filter(src, &fields()) {
        Ok(e) => panic!("{src:?} should not parse, got {e:?}"),
        Err(e) => e,
    }
}

fn cmp(field: &str, op: CompareOp, value: Value) -> Expr {
    Expr::Compare {
        field: field.to_owned(),
        op,
        value,
    }
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn and(a: Expr, b: Expr) -> Expr {
    Expr::And(Box::new(a), Box::new(b))
}

fn or(a: Expr, b: Expr) -> Expr {
    Expr::Or(Box::new(a), Box::new(b))
}

fn not(a: Expr) -> Expr {
    Expr::Not(Box::new(a))
}

#[test]
fn every_comparison_operator() {
    for (word, op) in [
        ("eq", CompareOp::Eq),
        ("ne", CompareOp::Ne),
        ("gt", CompareOp::Gt),
        ("ge", CompareOp::Ge),
        ("lt", CompareOp::Lt),
        ("le", CompareOp::Le),
    ] {
        assert_eq!(
            parse(&format!("age {word} 30")),
            cmp("age", op, Value::Number(30.0))
        );
    }
}

#[test]
fn literals() {
    assert_eq!(parse("name eq 'Ann'"), cmp("name", CompareOp::Eq, s("Ann")));
    assert_eq!(
        parse("name eq 'O''Brien'"),
        cmp("name", CompareOp::Eq, s("O'Brien"))
    );
    assert_eq!(parse("name eq ''"), cmp("name", CompareOp::Eq, s("")));
    assert_eq!(parse("name eq ''''"), cmp("name", CompareOp::Eq, s("'")));
    assert_eq!(
        parse("name eq 'a b (c) and or'"),
        cmp("name", CompareOp::Eq, s("a b (c) and or"))
    );
    assert_eq!(
        parse("name eq 'Zoë 日本'"),
        cmp("name", CompareOp::Eq, s("Zoë 日本"))
    );
    assert_eq!(
        parse("age eq 42"),
        cmp("age", CompareOp::Eq, Value::Number(42.0))
    );
    assert_eq!(
        parse("age eq -7"),
        cmp("age", CompareOp::Eq, Value::Number(-7.0))
    );
    assert_eq!(
        parse("age lt 2.5"),
        cmp("age", CompareOp::Lt, Value::Number(2.5))
    );
    assert_eq!(
        parse("age gt -0.25"),
        cmp("age", CompareOp::Gt, Value::Number(-0.25))
    );
    assert_eq!(
        parse("active eq true"),
        cmp("active", CompareOp::Eq, Value::Bool(true))
    );
    assert_eq!(
        parse("active ne false"),
        cmp("active", CompareOp::Ne, Value::Bool(false))
    );
    assert_eq!(
        parse("name eq null"),
        cmp("name", CompareOp::Eq, Value::Null)
    );
    assert_eq!(parse("age ne null"), cmp("age", CompareOp::Ne, Value::Null));
    assert_eq!(
        parse("active eq null"),
        cmp("active", CompareOp::Eq, Value::Null)
    );
}

#[test]
fn field_paths_and_whitespace() {
    assert_eq!(
        parse("emails/preferred eq 'a@b.c'"),
        cmp("emails/preferred", CompareOp::Eq, s("a@b.c"))
    );
    assert_eq!(
        parse("  emails / preferred\teq\n'x'  "),
        cmp("emails/preferred", CompareOp::Eq, s("x"))
    );
    assert_eq!(parse("age eq 1"), parse("age  eq   1"));
}

#[test]
fn functions() {
    for (name, func) in [
        ("contains", StringFn::Contains),
        ("startswith", StringFn::StartsWith),
        ("endswith", StringFn::EndsWith),
    ] {
        assert_eq!(
            parse(&format!("{name}(name, 'an''n')")),
            Expr::Call {
                func,
                field: "name".to_owned(),
                arg: "an'n".to_owned()
            }
        );
    }
    assert_eq!(
        parse("contains(emails/preferred,'@example.com')"),
        Expr::Call {
            func: StringFn::Contains,
            field: "emails/preferred".to_owned(),
            arg: "@example.com".to_owned()
        }
    );
}

#[test]
fn precedence_not_over_and_over_or() {
    let a = || cmp("age", CompareOp::Eq, Value::Number(1.0));
    let b = || cmp("name", CompareOp::Eq, s("b"));
    let c = || cmp("city", CompareOp::Eq, s("c"));
    // and binds tighter than or, on either side
    assert_eq!(
        parse("age eq 1 or name eq 'b' and city eq 'c'"),
        or(a(), and(b(), c()))
    );
    assert_eq!(
        parse("age eq 1 and name eq 'b' or city eq 'c'"),
        or(and(a(), b()), c())
    );
    // not binds tighter than and
    assert_eq!(parse("not age eq 1 and name eq 'b'"), and(not(a()), b()));
    assert_eq!(parse("not age eq 1 or name eq 'b'"), or(not(a()), b()));
    assert_eq!(parse("not not age eq 1"), not(not(a())));
    // left associativity
    assert_eq!(
        parse("age eq 1 and name eq 'b' and city eq 'c'"),
        and(and(a(), b()), c())
    );
    assert_eq!(
        parse("age eq 1 or name eq 'b' or city eq 'c'"),
        or(or(a(), b()), c())
    );
    // parentheses override
    assert_eq!(
        parse("(age eq 1 or name eq 'b') and city eq 'c'"),
        and(or(a(), b()), c())
    );
    assert_eq!(
        parse("age eq 1 and (name eq 'b' or city eq 'c')"),
        and(a(), or(b(), c()))
    );
    assert_eq!(parse("not (age eq 1 and name eq 'b')"), not(and(a(), b())));
    assert_eq!(parse("not(age eq 1)"), not(a()));
    assert_eq!(parse("((age eq 1))"), a());
}

#[test]
fn display_is_canonical_with_fewest_parentheses() {
    for (src, canonical) in [
        ("age  eq 1", "age eq 1"),
        (
            "(age eq 1 or name eq 'b') and city eq 'c'",
            "(age eq 1 or name eq 'b') and city eq 'c'",
        ),
        (
            "(age eq 1 and name eq 'b') or city eq 'c'",
            "age eq 1 and name eq 'b' or city eq 'c'",
        ),
        (
            "age eq 1 and (name eq 'b' and city eq 'c')",
            "age eq 1 and (name eq 'b' and city eq 'c')",
        ),
        ("not (age eq 1)", "not age eq 1"),
        (
            "not (not (age eq 1 or active eq true))",
            "not not (age eq 1 or active eq true)",
        ),
        ("contains( name ,'O''B')", "contains(name,'O''B')"),
        ("age gt -1.50", "age gt -1.5"),
        ("age gt 007", "age gt 7"),
        ("name eq null", "name eq null"),
    ] {
        let tree = parse(src);
        assert_eq!(tree.to_string(), canonical, "{src}");
        assert_eq!(parse(canonical), tree, "{canonical} re-parses");
    }
}

/// (filter, position, message) for every error the parser reports.
#[test]
fn every_error_with_its_position() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 0, "expected a filter condition"),
        ("   ", 3, "expected a filter condition"),
        ("name eq ", 8, "expected a value after 'eq'"),
        ("name eq and", 8, "expected a value after 'eq', found 'and'"),
        ("name eq 'x' and ", 16, "expected a condition, 'not' or '('"),
        (
            "name 'x'",
            5,
            "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'name', found ''x''",
        ),
        (
            "name",
            4,
            "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'name'",
        ),
        (
            "name equals 'x'",
            5,
            "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'name', found 'equals'",
        ),
        ("nick eq 'x'", 0, "unknown field 'nick'"),
        (
            "age eq 1 and emails/other eq 'x'",
            13,
            "unknown field 'emails/other'",
        ),
        ("emails/ eq 'x'", 0, "unknown field 'emails/eq'"),
        (
            "age eq 'x'",
            7,
            "field 'age' is a number and cannot be compared with 'x'",
        ),
        (
            "name eq 5",
            8,
            "field 'name' is a string and cannot be compared with 5",
        ),
        (
            "active eq 1",
            10,
            "field 'active' is a bool and cannot be compared with 1",
        ),
        (
            "name eq true",
            8,
            "field 'name' is a string and cannot be compared with true",
        ),
        (
            "active gt false",
            0,
            "'gt' does not apply to field 'active', which is a bool",
        ),
        (
            "contains(age,'1')",
            9,
            "'contains' does not apply to field 'age', which is a number",
        ),
        (
            "length(name) eq 3",
            0,
            "unknown function 'length' (known: contains, startswith, endswith)",
        ),
        (
            "contains(name 'x')",
            14,
            "expected ',' after 'name', found ''x''",
        ),
        (
            "contains(name,5)",
            14,
            "expected a string literal as contains's second argument, found '5'",
        ),
        (
            "startswith(name,'x'",
            19,
            "expected ')' to close startswith(",
        ),
        (
            "contains('x',name)",
            9,
            "expected a field name, found ''x''",
        ),
        ("(age eq 1", 9, "expected 'and', 'or' or ')'"),
        (
            "(age eq 1 name eq 'x')",
            10,
            "expected 'and', 'or' or ')', found 'name'",
        ),
        (
            "age eq 1)",
            8,
            "expected 'and', 'or' or the end of the filter, found ')'",
        ),
        (
            "age eq 1 name eq 'x'",
            9,
            "expected 'and', 'or' or the end of the filter, found 'name'",
        ),
        (
            ")",
            0,
            "expected a field name, a function, 'not' or '(', found ')'",
        ),
        ("not", 3, "expected a condition, 'not' or '('"),
        (
            "name eq 'abc",
            8,
            "string literal is not closed (a quote inside a string is written '')",
        ),
        (
            "name eq 'it''s",
            8,
            "string literal is not closed (a quote inside a string is written '')",
        ),
        ("age eq 1.", 7, "'1.' is not a valid number"),
        ("age eq -", 7, "'-' is not a valid number"),
        ("age eq 12abc", 7, "'12abc' is not a valid number"),
        ("age eq 1e5", 7, "'1e5' is not a valid number"),
        ("age eq 1 & name eq 'x'", 9, "unexpected character '&'"),
        ("name eq \"x\"", 8, "unexpected character '\"'"),
        ("name eq 'x' and é", 16, "unexpected character 'é'"),
    ];
    for (src, pos, message) in cases {
        let err = error(src);
        assert_eq!(err.option, "$filter", "{src}");
        assert_eq!(err.code(), "request_parameter_invalid");
        assert_eq!(
            (err.position, err.reason.to_string().as_str()),
            (*pos, *message),
            "{src}"
        );
        assert_eq!(
            err.to_string(),
            format!("$filter: {message} at position {pos}")
        );
    }
}

#[test]
fn a_huge_number_is_rejected_not_infinite() {
    let big = format!("age eq {}", "9".repeat(400));
    assert_eq!(error(&big).reason, Reason::InvalidNumber("9".repeat(400)));
}

#[test]
fn nesting_and_chains_are_bounded() {
    let deep = format!("{}age eq 1{}", "(".repeat(200), ")".repeat(200));
    assert!(matches!(error(&deep).reason, Reason::TooComplex(_)));
    let nots = format!("{}age eq 1", "not ".repeat(200));
    assert!(matches!(error(&nots).reason, Reason::TooComplex(_)));
    let chain = vec!["age eq 1"; 200].join(" and ");
    assert!(matches!(error(&chain).reason, Reason::TooComplex(_)));
    // A realistic filter is far from the limit.
    let ok = vec!["age eq 1"; 40].join(" or ");
    assert_eq!(parse(&ok).to_string(), ok);
}

#[test]
fn keywords_are_case_sensitive() {
    assert_eq!(error("age EQ 1").position, 4);
    assert_eq!(error("active eq TRUE").position, 10);
}

#[test]
fn string_literals_are_capped() {
    use crate::odata::MAX_LITERAL_CHARS;
    let at_limit = format!("contains(name,'{}')", "é".repeat(MAX_LITERAL_CHARS));
    parse(&at_limit);
    let over = format!("name eq 'a' or contains(name,'{}')", "x".repeat(50 * 1024));
    let e = error(&over);
    assert_eq!(e.position, 29, "the literal's opening quote");
    assert_eq!(
        e.reason,
        Reason::LiteralTooLong {
            len: 50 * 1024,
            max: MAX_LITERAL_CHARS
        }
    );
    assert!(e.to_string().contains("more than the limit of 512"), "{e}");
}
