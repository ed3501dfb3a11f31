//! A small XML serializer for `/v1` answers with `$format=xml` (or `Accept: application/xml`):
//! any JSON value becomes one `<response>` document.
//!
//! - An object member becomes an element named after its key: `{"name":"Bob"}` →
//!   `<name>Bob</name>`. A key that is not a safe XML name (`@context`, `a b`, `1st`, a key
//!   starting with `xml`) becomes `<property name="…">` instead, so no key can inject markup.
//! - An array becomes its element with one `<item>` child per value.
//! - `null` is an empty element with `nil="true"`; booleans and numbers are their JSON text.
//! - Text and attribute values escape `& < > " '`; a carriage return is written `&#13;` so it
//!   survives parsing; characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE,
//!   U+FFFF) are replaced by U+FFFD.
//!
//! ```
//! let v = serde_json::json!({ "data": [ { "name": "<b>&" }, null ] });
//! assert_eq!(
//!     wl_server::api::xml::to_xml(&v),
//!     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
//!      <response><data><item><name>&lt;b&gt;&amp;</name></item><item nil=\"true\"/></data></response>"
//! );
//! ```

use serde_json::Value;

/// The root element of every document.
pub const ROOT: &str = "response";
/// The element of one array value.
pub const ITEM: &str = "item";

/// Serializes `value` as an XML document with a [`ROOT`] element.
pub fn to_xml(value: &Value) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_element(&mut out, ROOT, value);
    out
}

/// True when `key` can be used as an element name as it is: ASCII letters, digits, `_`, `-`,
/// `.`, starting with a letter or `_`, and not starting with `xml` in any case (reserved).
pub fn is_safe_name(key: &str) -> bool {
    let mut chars = key.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !key.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("xml"))
}

fn write_element(out: &mut String, key: &str, value: &Value) {
    let name = if is_safe_name(key) {
        out.push('<');
        out.push_str(key);
        key
    } else {
        out.push_str("<property name=\"");
        escape_attribute_into(out, key);
        out.push('"');
        "property"
    };
    match value {
        Value::Null => {
            out.push_str(" nil=\"true\"/>");
            return;
        }
        Value::Bool(b) => {
            out.push('>');
            out.push_str(if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            out.push('>');
            out.push_str(&n.to_string());
        }
        Value::String(s) => {
            out.push('>');
            escape_into(out, s);
        }
        Value::Array(items) => {
            out.push('>');
            for item in items {
                write_element(out, ITEM, item);
            }
        }
        Value::Object(map) => {
            out.push('>');
            for (k, v) in map {
                write_element(out, k, v);
            }
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Appends `text` escaped for an attribute value: as [`escape_into`], and tab and newline as
/// character references (a parser would turn them into spaces otherwise).
pub fn escape_attribute_into(out: &mut String, text: &str) {
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c => escape_into(out, c.encode_utf8(&mut buf)),
        }
    }
}

/// Appends `text` escaped for element content.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: &Value) -> String {
        to_xml(v)
            .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
            .unwrap()
            .to_owned()
    }

    #[test]
    fn scalars_arrays_objects() {
        assert_eq!(
            body(&json!({"a": true, "b": 1.5, "c": -3, "d": null, "e": [1, "x"], "f": {}})),
            "<response><a>true</a><b>1.5</b><c>-3</c><d nil=\"true\"/><e><item>1</item><item>x</item></e><f></f></response>"
        );
        assert_eq!(body(&json!([])), "<response></response>");
        assert_eq!(body(&json!("t")), "<response>t</response>");
    }

    #[test]
    fn escapes_text_and_unsafe_keys() {
        assert_eq!(
            body(&json!({"n": "<img src=x onerror=alert(1)> & \"'"})),
            "<response><n>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;&apos;</n></response>"
        );
        assert_eq!(
            body(&json!({"1st": 4, "@context": 1, "a\"><x": 2, "xmlns": 3})),
            "<response><property name=\"1st\">4</property><property name=\"@context\">1</property><property name=\"a&quot;&gt;&lt;x\">2</property><property name=\"xmlns\">3</property></response>"
        );
    }

    #[test]
    fn control_characters_cannot_break_the_document() {
        assert_eq!(
            body(&json!({"s": "a\u{0}b\u{1b}c\td\ne\rf\u{FFFF}"})),
            "<response><s>a\u{FFFD}b\u{FFFD}c\td\ne&#13;f\u{FFFD}</s></response>"
        );
        assert_eq!(
            body(&json!({"a\tb\nc\r": 1})),
            "<response><property name=\"a&#9;b&#10;c&#13;\">1</property></response>"
        );
    }

    #[test]
    fn safe_names() {
        for ok in ["a", "_x", "first_name", "a.b-c", "Z9"] {
            assert!(is_safe_name(ok), "{ok}");
        }
        for bad in [
            "", "9a", "-a", ".a", "a b", "a:b", "é", "XMLx", "xml", "a/b",
        ] {
            assert!(!is_safe_name(bad), "{bad}");
        }
    }

    /// Case count for the property tests, multiplied by `ODATA_FUZZ_SCALE` for long runs.
    fn cases(n: u32) -> u32 {
        let scale = std::env::var("ODATA_FUZZ_SCALE")
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(1);
        n.saturating_mul(scale.max(1))
    }

    /// What a string becomes in XML text once parsed back: XML 1.0 cannot carry most C0
    /// controls, U+FFFE or U+FFFF, which are written as U+FFFD.
    fn carried(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => c,
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
                c => c,
            })
            .collect()
    }

    use proptest::prelude::*;

    /// Any string, or a short one made of the characters XML treats specially.
    fn tricky() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[\\t\\n\\r a<&>\"'\\x00-\\x1f\u{FFFE}\u{FFFF}]{0,8}",
        ]
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: cases(3_000),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any keys and values give a well-formed document that reads back the same.
        #[test]
        fn any_object_is_well_formed_and_reads_back(
            map in prop::collection::btree_map(tricky(), tricky(), 0..6),
            list in prop::collection::vec(any::<String>(), 0..4),
        ) {
            let mut obj = serde_json::Map::new();
            for (k, v) in &map {
                obj.insert(k.clone(), json!(v));
            }
            obj.insert("list".into(), json!(list));
            let text = to_xml(&Value::Object(obj.clone()));
            let doc = roxmltree::Document::parse(&text)
                .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            let root = doc.root_element();
            prop_assert_eq!(root.tag_name().name(), ROOT);
            let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
            prop_assert_eq!(children.len(), obj.len());
            for (node, (k, v)) in children.iter().zip(obj.iter()) {
                let name = if is_safe_name(k) {
                    prop_assert_eq!(node.tag_name().name(), k.as_str());
                    k.clone()
                } else {
                    prop_assert_eq!(node.tag_name().name(), "property");
                    prop_assert_eq!(node.attribute("name").map(str::to_owned), Some(carried(k)));
                    k.clone()
                };
                if name == "list" && v.is_array() {
                    let items: Vec<String> = node
                        .children()
                        .filter(|n| n.is_element())
                        .map(|n| n.text().unwrap_or("").to_owned())
                        .collect();
                    let want: Vec<String> = list.iter().map(|s| carried(s)).collect();
                    prop_assert_eq!(items, want);
                } else if let Some(s) = v.as_str() {
                    prop_assert_eq!(node.text().unwrap_or("").to_owned(), carried(s));
                }
            }
        }
    }
}
