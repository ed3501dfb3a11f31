//! Pretty-printing response bodies: XML indented (JSON is re-indented by the browser's
//! `JSON.stringify`).

/// Indents XML by two spaces per level. Text-only elements stay on one line; comments,
/// declarations and CDATA are kept as written. Input that is not well-formed is still printed,
/// just less neatly.
pub fn indent_xml(xml: &str) -> String {
    let tokens = tokenize(xml);
    let mut out = String::with_capacity(xml.len() * 2);
    let mut depth: usize = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if t.starts_with("</") {
            depth = depth.saturating_sub(1);
            line(&mut out, depth, t);
        } else if t.starts_with("<?") || t.starts_with("<!") || t.ends_with("/>") {
            line(&mut out, depth, t);
        } else if t.starts_with('<') {
            // <a>text</a> on one line.
            if let (Some(text), Some(close)) = (tokens.get(i + 1), tokens.get(i + 2))
                && !text.starts_with('<')
                && close.starts_with("</")
            {
                line(&mut out, depth, &format!("{t}{text}{close}"));
                i += 3;
                continue;
            }
            line(&mut out, depth, t);
            depth += 1;
        } else {
            line(&mut out, depth, t);
        }
        i += 1;
    }
    out
}

fn line(out: &mut String, depth: usize, text: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push_str(text);
}

/// Splits into tags (`<…>`, comments and CDATA whole) and trimmed non-empty text runs.
fn tokenize(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = if rest.starts_with("<!--") {
                rest.find("-->").map(|e| e + 3)
            } else if rest.starts_with("<![CDATA[") {
                rest.find("]]>").map(|e| e + 3)
            } else {
                rest.find('>').map(|e| e + 1)
            }
            .unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = rest[..end].trim();
            if !text.is_empty() {
                out.push(text);
            }
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_nested_elements() {
        let xml = "<?xml version=\"1.0\"?><data><person><id>1</id><name>A &amp; B</name><empty/></person><!-- c --></data>";
        assert_eq!(
            indent_xml(xml),
            "<?xml version=\"1.0\"?>\n<data>\n  <person>\n    <id>1</id>\n    <name>A &amp; B</name>\n    <empty/>\n  </person>\n  <!-- c -->\n</data>"
        );
    }

    #[test]
    fn survives_broken_input() {
        assert_eq!(indent_xml("</a></b>text<c"), "</a>\n</b>\ntext\n<c");
        assert_eq!(indent_xml(""), "");
    }
}
