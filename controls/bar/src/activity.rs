//! Friends' recent activities (`GET /v1/me/feed`, ActivityStreams 2.0 in a `{ data: […] }`
//! envelope) as rows the bar shows. Tolerant: anything missing is left out, only `http(s)` URLs
//! become links. Pure, tested natively.

use crate::json::{Json, NULL};

/// What kind of activity a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `Share` (or `Announce`): a link was shared.
    Shared,
    /// Anything else.
    Posted,
}

/// One activity as the bar shows it. Every field is provider text, shown as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Who did it.
    pub actor: String,
    /// What they did.
    pub verb: Verb,
    /// The object's title, if any.
    pub title: Option<String>,
    /// The object's `http(s)` URL, if any.
    pub url: Option<String>,
    /// A note (content or summary), if any.
    pub note: Option<String>,
    /// RFC 3339 time, if any.
    pub published: Option<String>,
    /// The action link (its label and `http(s)` URL: the provider's counted click-through when
    /// given), if any.
    pub action: Option<(String, String)>,
    /// "via <app>": the app's name and its site's `http(s)` URL (the click-through when
    /// given), if the activity names both.
    pub via: Option<(String, String)>,
}

/// At most this many rows are shown.
pub const MAX_ROWS: usize = 20;

fn text(v: &Json) -> Option<String> {
    match v {
        Json::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        // A natural-language map (`nameMap`-style object): the first value.
        Json::Obj(m) => m.iter().find_map(|(_, v)| text(v)),
        _ => None,
    }
}

fn http_url(v: &Json) -> Option<String> {
    let s = match v {
        Json::Str(s) => s.clone(),
        Json::Obj(_) => v.get("href").as_str()?.to_string(),
        Json::Arr(a) => return a.iter().find_map(http_url),
        _ => return None,
    };
    let lower = s.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(s)
}

fn field<'a>(v: &'a Json, key: &str) -> &'a Json {
    match v {
        Json::Obj(_) => v.get(key),
        _ => &NULL,
    }
}

/// One activity object as a row (`None` when it names no actor).
pub fn row(a: &Json) -> Option<Row> {
    let actor = field(a, "actor");
    let actor = text(field(actor, "name"))
        .or_else(|| text(field(actor, "displayName")))
        .or_else(|| text(actor))?;
    let kind = field(a, "type").as_str().unwrap_or_default();
    let verb = if matches!(kind, "Share" | "Announce") {
        Verb::Shared
    } else {
        Verb::Posted
    };
    let object = field(a, "object");
    let shared = http_url(field(object, "url"))
        .or_else(|| http_url(field(object, "href")))
        .or_else(|| match object {
            Json::Str(_) => http_url(object),
            _ => None,
        });
    // The provider's click-through link (`/r/{id}`, counted for the app's statistics, which
    // redirects to exactly the shared link) is followed; the shared link is what is shown.
    let through = http_url(field(a, "url")).filter(|_| shared.is_some());
    let title = text(field(object, "name")).or_else(|| through.as_ref().and(shared.clone()));
    let url = through.or(shared);
    // The summary only when it says more than the head ("X shared <title>") already does.
    let note = text(field(a, "content"))
        .or_else(|| text(field(object, "content")))
        .or_else(|| {
            text(field(a, "summary")).filter(|s| title.as_deref().is_none_or(|t| !s.contains(t)))
        });
    let published = text(field(a, "published"));
    // Links back to the app's site (issue 17): the counted click-through (`url`) first.
    let link_of = |v: &Json| http_url(field(v, "url")).or_else(|| http_url(field(v, "href")));
    let action = field(a, "action");
    let action = link_of(action).map(|u| (text(field(action, "name")).unwrap_or_default(), u));
    let generator = field(a, "generator");
    let via = text(field(generator, "name")).zip(link_of(generator));
    Some(Row {
        actor,
        verb,
        title,
        url,
        note,
        published,
        action,
        via,
    })
}

/// The rows of a feed response (`{ data: [...] }`, an AS2 `OrderedCollection` with
/// `orderedItems`/`items`, or a bare array).
pub fn rows(feed: &Json) -> Vec<Row> {
    let items = ["data", "orderedItems", "items"]
        .iter()
        .map(|k| field(feed, k))
        .find(|v| !v.is_null())
        .unwrap_or(feed);
    items
        .as_array()
        .map(|a| a.iter().filter_map(row).take(MAX_ROWS).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Json {
        Json::parse(text).unwrap()
    }

    #[test]
    fn reads_a_share_in_the_data_envelope() {
        let feed = j(r#"{ "data": [{
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Announce",
            "actor": { "type": "Person", "id": "bob", "name": "Bob <b>Baker</b>" },
            "object": { "type": "Link", "href": "http://site.test/recipe", "name": "Soup" },
            "content": "try this",
            "published": "2026-11-23T14:00:00Z"
        }]}"#);
        assert_eq!(
            rows(&feed),
            [Row {
                actor: "Bob <b>Baker</b>".into(),
                verb: Verb::Shared,
                title: Some("Soup".into()),
                url: Some("http://site.test/recipe".into()),
                note: Some("try this".into()),
                published: Some("2026-11-23T14:00:00Z".into()),
                action: None,
                via: None,
            }]
        );
    }

    #[test]
    fn action_and_via_links_go_through_the_click_through() {
        let feed = j(r#"{ "data": [{
            "type": "Announce", "actor": { "name": "Bob" },
            "object": { "type": "Link", "href": "http://site.test/recipe" },
            "action": { "type": "Link", "href": "http://site.test/play", "name": "Play now",
                        "url": "http://provider.test/r/abc/action" },
            "generator": { "type": "Application", "name": "Contoso", "href": "http://site.test/",
                           "url": "http://provider.test/r/abc/via" }
        }, {
            "type": "Create", "actor": { "name": "Cy" },
            "action": { "href": "javascript:alert(1)", "name": "Evil" },
            "generator": { "name": "NoSite", "url": "data:text/html,x" }
        }]}"#);
        let r = rows(&feed);
        assert_eq!(
            r[0].action,
            Some((
                "Play now".into(),
                "http://provider.test/r/abc/action".into()
            ))
        );
        assert_eq!(
            r[0].via,
            Some(("Contoso".into(), "http://provider.test/r/abc/via".into()))
        );
        assert_eq!((r[1].action.clone(), r[1].via.clone()), (None, None));
        // A summary that only repeats the title is not shown again under it.
        let feed = j(r#"{ "data": [{
            "type": "Announce", "actor": { "name": "Bob" },
            "object": { "type": "Link", "href": "http://site.test/1", "name": "Soup" },
            "summary": "Bob via Contoso: Soup"
        }, {
            "type": "Create", "actor": { "name": "Cy" }, "summary": "Cy posted an update"
        }]}"#);
        let r = rows(&feed);
        assert_eq!(r[0].note, None);
        assert_eq!(r[1].note.as_deref(), Some("Cy posted an update"));
    }

    #[test]
    fn the_providers_click_through_url_is_the_link() {
        let feed = j(r#"{ "data": [{
            "type": "Announce", "actor": { "name": "Bob" },
            "url": "http://provider.test/r/abc",
            "object": { "type": "Link", "href": "http://site.test/recipe" }
        }, {
            "type": "Announce", "actor": { "name": "Cy" },
            "url": "javascript:alert(1)",
            "object": { "type": "Link", "href": "http://site.test/x" }
        }]}"#);
        let r = rows(&feed);
        assert_eq!(r[0].url.as_deref(), Some("http://provider.test/r/abc"));
        // Without a title, the shared link is shown (not the redirect's).
        assert_eq!(r[0].title.as_deref(), Some("http://site.test/recipe"));
        assert_eq!(r[1].url.as_deref(), Some("http://site.test/x"));
    }

    #[test]
    fn only_http_urls_become_links_and_actorless_items_are_dropped() {
        let feed = j(r#"{ "orderedItems": [
            { "type": "Create", "actor": "Cy", "object": { "type": "Note", "content": "hello", "url": "javascript:alert(1)" } },
            { "type": "Share", "object": "http://x.test/" },
            { "type": "Share", "actor": { "name": "Di" }, "object": "HTTPS://x.test/a" }
        ]}"#);
        let r = rows(&feed);
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].actor.as_str(), r[0].verb, r[0].url.clone()),
            ("Cy", Verb::Posted, None)
        );
        assert_eq!(r[0].note.as_deref(), Some("hello"));
        assert_eq!(r[1].url.as_deref(), Some("HTTPS://x.test/a"));
        assert_eq!(r[1].verb, Verb::Shared);
    }

    #[test]
    fn bounds_rows_and_tolerates_junk() {
        let many: Vec<String> = (0..50)
            .map(|i| format!(r#"{{ "actor": {{ "name": "p{i}" }} }}"#))
            .collect();
        assert_eq!(
            rows(&j(&format!(r#"{{ "data": [{}] }}"#, many.join(",")))).len(),
            MAX_ROWS
        );
        assert!(rows(&j("42")).is_empty());
        assert!(rows(&j(r#"{ "data": "x" }"#)).is_empty());
    }
}
