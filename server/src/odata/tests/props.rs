//! Property tests: printing and re-parsing a generated filter gives the same tree. The
//! generators are shared with the SQL translation's tests ([`crate::store::query`]), which
//! check that SQLite and the evaluator agree on generated filters, orders and rows.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::{TestRow, fields};
use crate::odata::{
    CompareOp, Direction, Expr, FieldType, OrderKey, Row, StringFn, Value, parse_filter,
};

/// The fields of [`fields`] with their types.
const FIELDS: [(&str, FieldType); 5] = [
    ("name", FieldType::String),
    ("city", FieldType::String),
    ("age", FieldType::Number),
    ("active", FieldType::Bool),
    ("emails/preferred", FieldType::String),
];

/// A proptest configuration with `cases` cases and no failure files.
pub(crate) fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Short strings over letters that exercise case folding, quotes and `LIKE` wildcards.
fn text() -> impl Strategy<Value = String> {
    let chars = vec!['a', 'A', 'b', 'B', '%', '_', '\\', '\'', 'é', 'É', ' '];
    prop::collection::vec(prop::sample::select(chars), 0..4).prop_map(String::from_iter)
}

/// Numbers that collide often (halves in -3..3, including -0) or any finite f64.
fn number(wide: bool) -> BoxedStrategy<f64> {
    let small = (-6i32..6).prop_map(|i| f64::from(i) / 2.0);
    if wide {
        prop_oneof![
            small,
            Just(-0.0),
            any::<f64>().prop_filter("finite", |n| n.is_finite())
        ]
        .boxed()
    } else {
        prop_oneof![small, Just(-0.0)].boxed()
    }
}

fn value_of(ty: FieldType, wide: bool) -> BoxedStrategy<Value> {
    let typed = match ty {
        FieldType::String => text().prop_map(Value::String).boxed(),
        FieldType::Number => number(wide).prop_map(Value::Number).boxed(),
        FieldType::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
    };
    prop_oneof![1 => Just(Value::Null), 5 => typed].boxed()
}

fn leaf(wide: bool) -> impl Strategy<Value = Expr> {
    let compare = prop::sample::select(FIELDS.to_vec()).prop_flat_map(move |(field, ty)| {
        let ops: Vec<CompareOp> = if ty == FieldType::Bool {
            vec![CompareOp::Eq, CompareOp::Ne]
        } else {
            CompareOp::ALL.to_vec()
        };
        (prop::sample::select(ops), value_of(ty, wide)).prop_map(move |(op, value)| Expr::Compare {
            field: field.to_owned(),
            op,
            value,
        })
    });
    let strings: Vec<&str> = FIELDS
        .iter()
        .filter(|(_, t)| *t == FieldType::String)
        .map(|(f, _)| *f)
        .collect();
    let call = (
        prop::sample::select(StringFn::ALL.to_vec()),
        prop::sample::select(strings),
        text(),
    )
        .prop_map(|(func, field, arg)| Expr::Call {
            func,
            field: field.to_owned(),
            arg,
        });
    prop_oneof![3 => compare, 1 => call]
}

/// Random filter trees (up to 5 levels).
pub(crate) fn expr(wide: bool) -> impl Strategy<Value = Expr> {
    leaf(wide).prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
        ]
    })
}

/// Random rows of the test fields.
pub(crate) fn row() -> impl Strategy<Value = TestRow> {
    (
        value_of(FieldType::String, false),
        value_of(FieldType::String, false),
        value_of(FieldType::Number, false),
        value_of(FieldType::Bool, false),
        value_of(FieldType::String, false),
    )
        .prop_map(|(name, city, age, active, email)| {
            TestRow(vec![
                ("name", name),
                ("city", city),
                ("age", age),
                ("active", active),
                ("emails/preferred", email),
            ])
        })
}

/// Random `$orderby` keys (up to 2).
pub(crate) fn order() -> impl Strategy<Value = Vec<OrderKey>> {
    let key = (prop::sample::select(FIELDS.to_vec()), any::<bool>()).prop_map(|((f, _), desc)| {
        OrderKey {
            field: f.to_owned(),
            direction: if desc {
                Direction::Desc
            } else {
                Direction::Asc
            },
        }
    });
    prop::collection::vec(key, 0..3)
}

/// A row with its index, so the evaluator's stable sort can be compared with SQL's `id` key.
pub(crate) struct Indexed(pub(crate) usize, pub(crate) TestRow);

impl Row for Indexed {
    fn field(&self, path: &str) -> Value {
        self.1.field(path)
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn print_then_parse_gives_the_same_tree(e in expr(true)) {
        let text = e.to_string();
        let parsed = parse_filter(&text, &fields());
        prop_assert_eq!(parsed.as_ref(), Ok(&e), "{}", text);
        // Canonical: printing the re-parsed tree gives the same text.
        prop_assert_eq!(parsed.map(|p| p.to_string()), Ok(text));
    }
}
