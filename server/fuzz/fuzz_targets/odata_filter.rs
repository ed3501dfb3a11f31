//! `$filter`: arbitrary bytes; UTF-8 ones are parsed. Whatever parses must print, re-parse to
//! the same tree and print the same text again; whatever fails must fail with a well-formed
//! error. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wl_server::odata::parse_filter;
use wl_server_fuzz::{check_error, fields};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let fields = fields();
    match parse_filter(src, &fields) {
        Ok(tree) => {
            let printed = tree.to_string();
            let again = match parse_filter(&printed, &fields) {
                Ok(again) => again,
                Err(err) => panic!("{src:?} printed as {printed:?}, which fails: {err}"),
            };
            assert_eq!(again, tree, "{src:?} printed as {printed:?}");
            assert_eq!(again.to_string(), printed, "printing {src:?} is not stable");
        }
        Err(err) => check_error(src, &err),
    }
});
