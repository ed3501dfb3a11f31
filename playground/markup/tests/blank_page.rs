//! The Playground's blank page (`playground/static/blank.js`) builds only what the snippet
//! generator writes. Its allow-lists are copies (plain JavaScript, no build step): these tests
//! hold them to the one source, the controls' attribute tables and `snippet::script_tag`.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use wl_controls_common::attrs;
use wl_markup::catalogue::{CONTROLS, NOT_OFFERED};
use wl_markup::snippet::{Page, script_tag};
use wl_markup::state::State;

fn blank_js() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/blank.js");
    std::fs::read_to_string(path).unwrap()
}

/// The JSON between `/* {name}:begin */` and `/* {name}:end */`.
fn block(js: &str, name: &str) -> serde_json::Value {
    let begin = format!("/* {name}:begin */");
    let start = js.find(&begin).unwrap() + begin.len();
    let end = start + js[start..].find(&format!("/* {name}:end */")).unwrap();
    serde_json::from_str(&js[start..end]).unwrap()
}

/// The tags and attributes the Playground writes: its catalogue, which is the controls' tables
/// without what the editor does not offer (the 2010 text spellings, the page callbacks).
#[test]
fn blank_page_allows_exactly_the_catalogue() {
    let want: BTreeMap<&str, Vec<&str>> = CONTROLS
        .iter()
        .map(|c| (c.tag, c.attrs.iter().map(|a| a.name).collect()))
        .collect();
    // The catalogue is the tables minus NOT_OFFERED (so attrs.rs stays the one source).
    let tables: BTreeMap<&str, Vec<&str>> = attrs::CONTROLS
        .iter()
        .map(|(tag, table)| {
            let names = table.iter().map(|a| a.name);
            (*tag, names.filter(|n| !NOT_OFFERED.contains(n)).collect())
        })
        .collect();
    let sorted = |m: &BTreeMap<&str, Vec<&str>>| -> BTreeMap<String, Vec<String>> {
        m.iter()
            .map(|(k, v)| {
                let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
                v.sort();
                (k.to_string(), v)
            })
            .collect()
    };
    assert_eq!(sorted(&want), sorted(&tables));
    assert!(!want["wl-signin"].contains(&"on-signin"));
    let got: BTreeMap<String, Vec<String>> =
        serde_json::from_value(block(&blank_js(), "controls")).unwrap();
    let got: BTreeMap<&str, Vec<&str>> = got
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
        .collect();
    // Order does not matter to the page; the names do.
    assert_eq!(
        sorted(&got),
        sorted(&want),
        "update CONTROLS in playground/static/blank.js to:\n{}",
        serde_json::to_string(&want).unwrap()
    );
}

#[test]
fn blank_page_allows_exactly_the_loader_tag_attributes() {
    let page = Page {
        site: "http://127.0.0.1:8080".into(),
        provider: "http://127.0.0.1:8081".into(),
        client_id: "wl-demo".into(),
    };
    let tag = script_tag(&page, &State::default());
    // The attribute names of `<script a="…" b="…">`.
    let want: Vec<&str> = tag
        .split('"')
        .step_by(2)
        .filter_map(|s| {
            s.trim()
                .strip_prefix("<script")
                .unwrap_or(s)
                .trim()
                .strip_suffix('=')
        })
        .collect();
    assert_eq!(
        want,
        ["src", "data-client-id", "data-authority", "data-scope"],
        "{tag}"
    );
    let got: Vec<String> = serde_json::from_value(block(&blank_js(), "loader")).unwrap();
    assert_eq!(got, want);
}

#[test]
fn blank_page_never_writes_html() {
    let js = blank_js();
    for sink in [
        "document.write",
        "outerHTML",
        "insertAdjacentHTML",
        "srcdoc",
        "eval(",
    ] {
        assert!(!js.contains(sink), "blank.js uses {sink}");
    }
    // The one innerHTML is the inert <template>'s (its content is never rendered or run).
    assert_eq!(js.matches("innerHTML").count(), 1);
    assert!(js.contains("inert.innerHTML = snippet"));
}
