//! Reading an RSS 2.0 or Atom 1.0 document (with `roxmltree`: no DTDs, so no entity
//! expansion) into its entries: a key to dedupe by (the RSS `guid`, the Atom `id`, else the
//! link), a title and an http(s) link.

use crate::store::activities::{MAX_LINE, check_link};

/// The Atom namespace.
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What tells it apart from the others (guid, id or link).
    pub key: String,
    /// Its title (plain text, trimmed, at most `MAX_LINE` characters), if any.
    pub title: Option<String>,
    /// Its link (http(s)), if any.
    pub link: Option<String>,
}

/// Why a document is not a feed; each has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not well-formed XML (or not UTF-8, or with a DTD).
    #[error("the feed is not well-formed XML ({0})")]
    Xml(String),
    /// XML, but neither RSS nor Atom.
    #[error("the document is not an RSS or Atom feed (its root is <{0}>)")]
    NotAFeed(String),
}

impl ParseError {
    /// The values in the message, in the order the page's message for [`Self::code`] names them.
    pub fn values(&self) -> Vec<String> {
        match self {
            Self::Xml(v) | Self::NotAFeed(v) => vec![v.clone()],
        }
    }

    /// The stable code shown on the app's page.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Xml(_) => "feed_xml_invalid",
            Self::NotAFeed(_) => "feed_not_a_feed",
        }
    }
}

fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
}

fn line(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return None;
    }
    Some(s.chars().take(MAX_LINE).collect())
}

/// The entries of an RSS 2.0 or Atom 1.0 document, in document order.
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry>, ParseError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ParseError::Xml("not UTF-8".into()))?
        .trim_start_matches('\u{feff}');
    let doc = roxmltree::Document::parse(text).map_err(|e| ParseError::Xml(e.to_string()))?;
    let root = doc.root_element();
    let (items, atom): (Vec<roxmltree::Node<'_, '_>>, bool) = match root.tag_name().name() {
        "rss" => (
            root.children()
                .filter(|n| n.has_tag_name("channel"))
                .flat_map(|c| c.children().filter(|n| n.has_tag_name("item")))
                .collect(),
            false,
        ),
        "feed" if root.tag_name().namespace() == Some(ATOM) => (
            root.children()
                .filter(|n| n.has_tag_name((ATOM, "entry")))
                .collect(),
            true,
        ),
        other => return Err(ParseError::NotAFeed(other.chars().take(40).collect())),
    };
    let mut out = Vec::new();
    for item in items {
        let child = |name: &str| {
            item.children().find(|n| {
                n.is_element()
                    && n.tag_name().name() == name
                    && (!atom || n.tag_name().namespace() == Some(ATOM))
            })
        };
        let title = child("title").and_then(|n| line(&text_of(n)));
        let link = if atom {
            item.children()
                .filter(|n| n.has_tag_name((ATOM, "link")))
                .find(|n| matches!(n.attribute("rel"), None | Some("alternate")))
                .and_then(|n| n.attribute("href"))
                .map(str::to_owned)
        } else {
            child("link").map(|n| text_of(n).trim().to_owned())
        };
        let link = link.and_then(|l| check_link("link", &l).ok());
        let id = child(if atom { "id" } else { "guid" }).map(|n| text_of(n).trim().to_owned());
        let Some(key) = id.filter(|k| !k.is_empty()).or_else(|| link.clone()) else {
            continue;
        };
        if title.is_none() && link.is_none() {
            continue;
        }
        out.push(Entry { key, title, link });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_entries() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title> First  post </title><link>https://e.org/1</link><guid>g1</guid></item>
            <item><title>No guid</title><link>https://e.org/2</link></item>
            <item><title>Bad link</title><link>javascript:alert(1)</link><guid>g3</guid></item>
            <item><description>nothing to show</description></item>
            </channel></rss>"#;
        let e = entries(rss).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(
            e[0],
            Entry {
                key: "g1".into(),
                title: Some("First post".into()),
                link: Some("https://e.org/1".into())
            }
        );
        assert_eq!(e[1].key, "https://e.org/2");
        assert_eq!(e[2].link, None);
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
            <entry><id>urn:1</id><title>A</title><link rel="self" href="https://e.org/self"/><link href="https://e.org/a"/></entry>
            </feed>"#;
        let e = entries(atom).unwrap();
        assert_eq!(
            e,
            vec![Entry {
                key: "urn:1".into(),
                title: Some("A".into()),
                link: Some("https://e.org/a".into())
            }]
        );
    }

    #[test]
    fn malformed_and_non_feeds_are_told_apart() {
        assert_eq!(
            entries(b"<rss><channel>").unwrap_err().code(),
            "feed_xml_invalid"
        );
        assert_eq!(
            entries(b"<html><body>hi</body></html>").unwrap_err().code(),
            "feed_not_a_feed"
        );
        assert_eq!(
            entries(b"{\"json\": 1}").unwrap_err().code(),
            "feed_xml_invalid"
        );
        // A DTD (entity expansion) is refused, not expanded.
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel><item><title>&a;</title></item></channel></rss>"#;
        assert_eq!(entries(bomb).unwrap_err().code(), "feed_xml_invalid");
        // Atom's root without its namespace is not Atom.
        assert_eq!(
            entries(b"<feed><entry/></feed>").unwrap_err().code(),
            "feed_not_a_feed"
        );
    }
}
