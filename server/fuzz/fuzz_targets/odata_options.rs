//! All query options: the input is read as a raw query string (`key=value` pairs joined by
//! `&`, no percent-decoding) and parsed with `QueryOptions::parse_with`. Whatever parses is
//! written back as pairs and must parse to the same options; whatever fails must name one of
//! the given options and point inside its value. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wl_server::odata::{Direction, Limits, QueryOptions, Select};
use wl_server_fuzz::{check_error, fields};

/// A small `$top` limit, so that both sides of it are reached.
const LIMITS: Limits = Limits { max_top: 50 };

/// Splits a raw query string into pairs (a pair without `=` has an empty value).
fn pairs(src: &str) -> Vec<(String, String)> {
    src.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (pair.to_owned(), String::new()),
        })
        .collect()
}

/// The options written back as the pairs of a request.
fn render(options: &QueryOptions) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(filter) = &options.filter {
        out.push(("$filter".to_owned(), filter.to_string()));
    }
    if let Select::Fields(fields) = &options.select {
        out.push(("$select".to_owned(), fields.join(",")));
    }
    if !options.order_by.is_empty() {
        let keys: Vec<String> = options
            .order_by
            .iter()
            .map(|k| match k.direction {
                Direction::Asc => format!("{} asc", k.field),
                Direction::Desc => format!("{} desc", k.field),
            })
            .collect();
        out.push(("$orderby".to_owned(), keys.join(",")));
    }
    if let Some(top) = options.top {
        out.push(("$top".to_owned(), top.to_string()));
    }
    if let Some(skip) = options.skip {
        out.push(("$skip".to_owned(), skip.to_string()));
    }
    out.push(("$count".to_owned(), options.count.to_string()));
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let fields = fields();
    let pairs = pairs(src);
    match QueryOptions::parse_with(&pairs, &fields, LIMITS) {
        Ok(options) => {
            if let Some(top) = options.top {
                assert!(top <= LIMITS.max_top, "{src:?}: $top {top} over the limit");
            }
            let rendered = render(&options);
            let again = match QueryOptions::parse_with(&rendered, &fields, LIMITS) {
                Ok(again) => again,
                Err(err) => panic!("{src:?} rendered as {rendered:?}, which fails: {err}"),
            };
            assert_eq!(again, options, "{src:?} rendered as {rendered:?}");
        }
        Err(err) => {
            // The failing value is the first one given for the option: a second one is
            // rejected as a duplicate (at position 0) before its value is read.
            let Some((_, value)) = pairs.iter().find(|(k, _)| k == err.option) else {
                panic!(
                    "{src:?}: the error names {}, which is not given: {err}",
                    err.option
                );
            };
            check_error(value, &err);
        }
    }
});
