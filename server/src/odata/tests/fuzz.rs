//! A bounded fuzz run inside `cargo test` (the coverage-guided `cargo fuzz` targets are in
//! `server/fuzz/`): 20,000 random and mutated inputs for `$filter`, plus random values for the
//! other options.
//! The parsers must never panic, every error's position must lie inside the text on a
//! character boundary, and whatever parses must print and re-parse to the same tree.
//!
//! For a longer run, multiply the case counts: `ODATA_FUZZ_SCALE=50 cargo test -p wl-server
//! --release odata::tests::fuzz`.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::fields;
use super::props::expr;
use crate::odata::{QueryError, QueryOptions, parse_filter};

fn config(cases: u32) -> Config {
    let scale = std::env::var("ODATA_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok());
    Config {
        cases: cases.saturating_mul(scale.unwrap_or(1).max(1)),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Pieces of filter syntax, glued together at random.
const PIECES: &[&str] = &[
    "name",
    "age",
    "active",
    "emails",
    "/",
    "preferred",
    "nick",
    " ",
    " ",
    "eq",
    "ne",
    "gt",
    "le",
    "and",
    "or",
    "not",
    "(",
    ")",
    ",",
    "'",
    "''",
    "'x'",
    "1",
    "-",
    "-2.5",
    ".",
    "true",
    "null",
    "contains",
    "startswith",
    "endswith",
    "length",
    "é",
    "\u{0}",
    "&",
    "\"",
    "9999999999",
];

fn check(src: &str, result: Result<crate::odata::Expr, QueryError>) -> Result<(), TestCaseError> {
    match result {
        Ok(tree) => {
            let again = parse_filter(&tree.to_string(), &fields());
            prop_assert_eq!(again.as_ref(), Ok(&tree), "{:?}", src);
        }
        Err(err) => {
            prop_assert!(err.position <= src.len(), "{:?}: {}", src, err);
            prop_assert!(src.is_char_boundary(err.position), "{:?}: {}", src, err);
            prop_assert_eq!(err.code(), "request_parameter_invalid");
        }
    }
    Ok(())
}

/// A valid filter with one random edit: a cut, an inserted piece, or a truncation.
fn mutated() -> impl Strategy<Value = String> {
    (
        expr(true),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0..3u8,
        prop::sample::select(PIECES),
    )
        .prop_map(|(e, i, j, kind, piece)| {
            let text = e.to_string();
            let chars: Vec<char> = text.chars().collect();
            let a = i.index(chars.len() + 1);
            let b = j.index(chars.len() + 1);
            let (lo, hi) = (a.min(b), a.max(b));
            match kind {
                0 => chars[..lo].iter().chain(&chars[hi..]).collect(),
                1 => {
                    let mut s: String = chars[..lo].iter().collect();
                    s.push_str(piece);
                    s.extend(&chars[lo..]);
                    s
                }
                _ => chars[..lo].iter().collect(),
            }
        })
}

proptest! {
    #![proptest_config(config(6_000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        let src = String::from_utf8_lossy(&bytes);
        check(&src, parse_filter(&src, &fields()))?;
    }
}

proptest! {
    #![proptest_config(config(7_000))]

    #[test]
    fn glued_pieces_never_panic(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..14)) {
        let src = pieces.concat();
        check(&src, parse_filter(&src, &fields()))?;
    }
}

proptest! {
    #![proptest_config(config(7_000))]

    #[test]
    fn mutated_valid_filters_never_panic(src in mutated()) {
        check(&src, parse_filter(&src, &fields()))?;
    }
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn other_options_never_panic(
        option in prop::sample::select(vec!["$select", "$orderby", "$top", "$skip", "$count"]),
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..8),
    ) {
        let src = pieces.concat();
        let pairs = vec![(option.to_owned(), src.clone())];
        if let Err(err) = QueryOptions::parse(&pairs, &fields()) {
            prop_assert_eq!(err.option, option);
            prop_assert!(err.position <= src.len() && src.is_char_boundary(err.position));
        }
    }
}
