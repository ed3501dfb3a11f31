//! The markup a page pastes: the script tag plus the element(s), values escaped, and the set-up
//! the page needs (redirect URI, callback page, Content-Security-Policy).

use crate::api::json_string;
use crate::catalogue::{self, Kind};
use crate::first_paint;
use crate::origin::{self, OriginError};
use crate::state::{Background, State, normalise_scope};

/// Where the page gets the loader and signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The origin serving `wl.js`, `pkg/` and `callback.html` (no trailing slash).
    pub site: String,
    /// The provider's issuer (no trailing slash).
    pub provider: String,
    /// The registered app's client id.
    pub client_id: String,
}

/// One element of the snippet: its tag and its attributes in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The element name.
    pub tag: &'static str,
    /// `(name, value)` pairs, defaults left out.
    pub attrs: Vec<(&'static str, String)>,
}

impl Element {
    /// The element as HTML, values escaped.
    pub fn to_html(&self) -> String {
        let mut s = format!("<{}", self.tag);
        for (name, value) in &self.attrs {
            s.push_str(&format!(" {name}=\"{}\"", escape_attr(value)));
        }
        s.push_str(&format!("></{}>", self.tag));
        s
    }

    /// The element as HTML wrapped before `width` columns where attributes allow, continuation
    /// lines aligned under the first attribute (what the snippet shows).
    pub fn to_html_wrapped(&self, width: usize) -> String {
        let indent = " ".repeat(self.tag.len() + 2);
        let mut s = format!("<{}", self.tag);
        let mut line = s.chars().count();
        for (name, value) in &self.attrs {
            let attr = format!("{name}=\"{}\"", escape_attr(value));
            let len = attr.chars().count();
            if line + 1 + len > width && line > indent.len() {
                s.push('\n');
                s.push_str(&indent);
                line = indent.len();
            } else {
                s.push(' ');
                line += 1;
            }
            s.push_str(&attr);
            line += len;
        }
        s.push_str(&format!("></{}>", self.tag));
        s
    }
}

/// The column the snippet wraps attributes before.
pub const WRAP: usize = 72;

/// Escapes a value for a double-quoted HTML attribute: `&`, `"`, `<`, `>` and `'`.
pub fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The elements the snippet (and the preview) holds: the companion first, then the control.
pub fn elements(state: &State) -> Vec<Element> {
    let mut out = Vec::new();
    if let Some(c) = state.control.companion.and_then(catalogue::control) {
        out.push(Element {
            tag: c.tag,
            attrs: Vec::new(),
        });
    }
    out.push(Element {
        tag: state.control.tag,
        attrs: state
            .attributes()
            .into_iter()
            .map(|(n, v)| match state.control.attr(n).map(|a| a.kind) {
                Some(Kind::Scopes) => (n, normalise_scope(&v)),
                _ => (n, v),
            })
            .collect(),
    });
    out
}

/// The elements as the JSON the preview frame's `render` takes:
/// `[{"tag": …, "attrs": [[name, value], …]}, …]` (raw values: the frame sets them with
/// `setAttribute`, which needs no HTML escaping).
pub fn elements_json(elements: &[Element]) -> String {
    let items: Vec<String> = elements
        .iter()
        .map(|e| {
            let attrs: Vec<String> = e
                .attrs
                .iter()
                .map(|(n, v)| format!("[{},{}]", json_string(n), json_string(v)))
                .collect();
            format!(
                "{{\"tag\":{},\"attrs\":[{}]}}",
                json_string(e.tag),
                attrs.join(",")
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// The client id the snippet uses: the person's own app's, or the dev host's demo app.
pub fn client_id<'a>(page: &'a Page, state: &'a State) -> &'a str {
    match state.client_id.trim() {
        "" => &page.client_id,
        id => id,
    }
}

/// The script tag, exactly as the snippet writes it (with `defer` when the page draws the
/// controls itself, [`State::drawn`]).
pub fn script_tag(page: &Page, state: &State) -> String {
    format!(
        "<script src=\"{}/wl.js\"\n        data-client-id=\"{}\"\n        data-authority=\"{}\"\n        data-scope=\"{}\"{}></script>",
        escape_attr(&page.site),
        escape_attr(client_id(page, state)),
        escape_attr(&page.provider),
        escape_attr(&normalise_scope(&state.page_scope)),
        if state.drawn { "\n        defer" } else { "" },
    )
}

/// The whole snippet: the script tag, then [`controls`].
pub fn snippet(page: &Page, state: &State) -> String {
    format!(
        "{}\n{}",
        script_tag(page, state),
        controls(&elements(state), state.drawn)
    )
}

/// The snippet's markup after its script tag: one element per line; with `drawn`
/// ([`State::drawn`]), each control `wl.js` draws first holds that first paint
/// ([`first_paint::inside`]), and a `<style>` before them reserves the sign-in button's size
/// ([`first_paint::reserve`]).
pub fn controls(elements: &[Element], drawn: bool) -> String {
    let mut s = String::new();
    if let Some(css) = drawn.then(|| first_paint::reserve(elements)).flatten() {
        s.push_str(&format!("<style>{css}</style>\n"));
    }
    for e in elements {
        let html = e.to_html_wrapped(WRAP);
        s.push_str(&if drawn {
            first_paint::inside(e, html)
        } else {
            html
        });
        s.push('\n');
    }
    s
}

/// The Playground's "Open in a blank page" link: `/playground/blank.html#<snippet>`. The blank
/// page builds the loader tag and the controls from the snippet but never copies markup into
/// them (it takes no HTML from a URL), so a drawn snippet ([`State::drawn`]) goes without its
/// first paint, which `wl.js` then draws the same: the link stays short, and the blank page has
/// nothing to leave out.
pub fn blank_link(page: &Page, state: &State) -> String {
    let plain = State {
        drawn: false,
        ..state.clone()
    };
    format!(
        "/playground/blank.html#{}",
        crate::percent::encode(&snippet(page, &plain))
    )
}

/// The callback page's file name; the popup comes back to it on the site's origin.
pub const CALLBACK_FILE: &str = "callback.html";

/// What a page needs besides the snippet, for the origin the person typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// The site's origin: the typed one, or the loader host's when none (or a wrong one) was typed.
    pub origin: String,
    /// Why the typed origin was not used.
    pub origin_error: Option<OriginError>,
    /// The redirect URI to register for the app (the callback page on the site's origin, where
    /// `wl.js` looks for it by default when it is served from another origin).
    pub redirect_uri: String,
    /// The callback page, whole: one line that loads `wl.js`, which answers the popup.
    pub callback_html: String,
    /// The command that registers the app on the dev host; it prints the client id.
    pub apps_add: String,
    /// The Content-Security-Policy the snippet needs, one directive per entry.
    pub csp: Vec<String>,
}

/// The set-up for the current state. `<wl-bar>` also needs the hub's WebSocket origin.
pub fn setup(page: &Page, state: &State) -> Setup {
    let (origin, origin_error) = match origin::parse(&state.site) {
        Ok(Some(o)) => (o, None),
        Ok(None) => (page.site.clone(), None),
        Err(e) => (page.site.clone(), Some(e)),
    };
    // The loader is "'self'" for a site that serves it itself.
    let loader = if origin == page.site {
        "'self'".to_owned()
    } else {
        page.site.clone()
    };
    // The loader fetches its wasm (connect-src) and the provider's endpoints.
    let mut connect = format!("connect-src {loader} {}", page.provider);
    if state.control.tag == "wl-bar" {
        let ws = page
            .provider
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        connect.push(' ');
        connect.push_str(&ws);
    }
    let redirect_uri = format!("{origin}/{CALLBACK_FILE}");
    let name = origin.split_once("://").map_or(origin.as_str(), |(_, h)| h);
    Setup {
        apps_add: format!(
            "cargo run -p wl-server -- apps add --name '{name}' --redirect-uri '{redirect_uri}' --origin '{origin}'"
        ),
        callback_html: format!(
            "<!doctype html><script src=\"{}/wl.js\"></script>\n",
            escape_attr(&page.site)
        ),
        csp: vec![
            "default-src 'self'".into(),
            format!("script-src {loader} 'wasm-unsafe-eval'"),
            style_src(state),
            connect,
            format!("img-src 'self' data: {}", page.provider),
            "object-src 'none'".into(),
            "base-uri 'none'".into(),
        ],
        redirect_uri,
        origin,
        origin_error,
    }
}

/// `style-src 'self'`, and with [`State::drawn`] the hash of each sheet the snippet writes into
/// the page (the rule that reserves the button's size, and each first paint's `<style>`, which
/// a policy without it refuses: the controls would be drawn unstyled until `wl.js` came).
fn style_src(state: &State) -> String {
    let mut out = String::from("style-src 'self'");
    if state.drawn {
        let elements = elements(state);
        let sheets = elements.iter().filter_map(|e| first_paint::sheet(e.tag));
        for css in first_paint::reserve(&elements)
            .iter()
            .map(String::as_str)
            .chain(sheets)
        {
            out.push_str(&format!(" '{}'", first_paint::csp_hash(css)));
        }
    }
    out
}

/// A piece of advice about the current settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// What to change, in one sentence.
    pub text: String,
    /// A scope that fixes it when added to the page's `data-scope`.
    pub add_scope: Option<&'static str>,
}

impl From<String> for Hint {
    fn from(text: String) -> Self {
        Hint {
            text,
            add_scope: None,
        }
    }
}

/// Advice about the current settings, shown next to the snippet (empty when all is well).
pub fn hints(state: &State) -> Vec<Hint> {
    let mut out = Vec::new();
    let scopes = normalise_scope(&state.page_scope);
    let has = |s: &str| scopes.split(' ').any(|w| w == s);
    match state.control.tag {
        "wl-signin" if state.value("type") == "custom" => {
            for t in ["sign-in-text", "sign-out-text"] {
                if state.value(t).trim().is_empty() {
                    out.push(Hint::from(format!(
                        "type=\"custom\" needs {t}; the built-in label is used without it."
                    )));
                }
            }
        }
        "wl-bar" if !has("wl.messenger") => {
            out.push(Hint {
                text: "<wl-bar> needs wl.messenger in data-scope for presence and chat.".into(),
                add_scope: Some("wl.messenger"),
            });
        }
        "wl-userinfo" => {
            if !has("wl.basic") && state.value("cid").is_empty() {
                out.push(Hint {
                    text: "<wl-userinfo> reads the profile: add wl.basic to data-scope.".into(),
                    add_scope: Some("wl.basic"),
                });
            }
            if state.background == Background::Dark && state.value("theme") != "dark" {
                out.push(
                    String::from("On a dark page, theme=\"dark\" keeps the name readable.").into(),
                );
            }
        }
        _ => {}
    }
    if state.drawn && first_paint::sheet(state.control.tag).is_none() {
        out.push(Hint::from(format!(
            "<{}> is not drawn before the script: only <wl-signin> and <wl-userinfo> are.",
            state.control.tag
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        Page {
            site: "http://127.0.0.1:8080".into(),
            provider: "http://127.0.0.1:8081".into(),
            client_id: "wl-demo".into(),
        }
    }

    #[test]
    fn default_snippet_is_the_script_tag_and_a_bare_element() {
        assert_eq!(
            snippet(&page(), &State::default()),
            "<script src=\"http://127.0.0.1:8080/wl.js\"\n        \
             data-client-id=\"wl-demo\"\n        \
             data-authority=\"http://127.0.0.1:8081\"\n        \
             data-scope=\"wl.signin wl.basic\"></script>\n\
             <wl-signin></wl-signin>\n"
        );
    }

    #[test]
    fn attribute_values_are_escaped() {
        let mut s = State::default();
        s.set("type", "custom");
        s.set("sign-in-text", "Say \"hi\" & <b>go</b> it's");
        let els = elements(&s);
        assert_eq!(
            els[0].to_html(),
            "<wl-signin type=\"custom\" sign-in-text=\"Say &quot;hi&quot; &amp; &lt;b&gt;go&lt;/b&gt; it&#39;s\"></wl-signin>"
        );
        assert!(!snippet(&page(), &s).contains("<b>"));
    }

    #[test]
    fn attributes_follow_catalogue_order_and_leave_defaults_out() {
        let mut s = State::default();
        s.set("shape", "pill");
        s.set("theme", "dark");
        s.set("size", "medium");
        s.set("scope", "wl.contacts  wl.basic");
        assert_eq!(
            elements(&s)[0].to_html(),
            "<wl-signin theme=\"dark\" shape=\"pill\" scope=\"wl.contacts wl.basic\"></wl-signin>"
        );
    }

    #[test]
    fn long_elements_wrap_between_attributes() {
        let mut s = State::default();
        s.set("type", "custom");
        s.set("theme", "dark");
        s.set("sign-in-text", "Sign in with your Contoso account");
        s.set("sign-out-text", "Sign out");
        let e = &elements(&s)[0];
        let wrapped = e.to_html_wrapped(WRAP);
        assert_eq!(
            wrapped,
            "<wl-signin type=\"custom\" theme=\"dark\"\n           \
             sign-in-text=\"Sign in with your Contoso account\"\n           \
             sign-out-text=\"Sign out\"></wl-signin>"
        );
        assert!(wrapped.lines().all(|l| l.chars().count() <= WRAP));
        // The same element: only whitespace between attributes differs.
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            e.to_html().split_whitespace().collect::<Vec<_>>()
        );
        // A short element stays on one line.
        assert_eq!(
            elements(&State::default())[0].to_html_wrapped(WRAP),
            "<wl-signin></wl-signin>"
        );
    }

    #[test]
    fn the_preview_gets_raw_values_as_json() {
        let mut s = State::default();
        s.choose("wl-userinfo");
        s.set("cid", "a\"b</script>\\");
        assert_eq!(
            elements_json(&elements(&s)),
            "[{\"tag\":\"wl-signin\",\"attrs\":[]},\
             {\"tag\":\"wl-userinfo\",\"attrs\":[[\"cid\",\"a\\\"b\\u003c/script>\\\\\"]]}]"
        );
    }

    #[test]
    fn userinfo_comes_with_a_signin_button() {
        let mut s = State::default();
        s.choose("wl-userinfo");
        s.set("layout", "full");
        let tags: Vec<_> = elements(&s).iter().map(|e| e.to_html()).collect();
        assert_eq!(
            tags,
            [
                "<wl-signin></wl-signin>",
                "<wl-userinfo layout=\"full\"></wl-userinfo>"
            ]
        );
    }

    #[test]
    fn bar_flags_are_written_only_when_not_default() {
        let mut s = State::default();
        s.choose("wl-bar");
        s.set("sign-in-enabled", "true");
        s.set("hide-first-run-experience", "true");
        s.set("on-consent-completed", "app.consented");
        assert_eq!(
            elements(&s)[0].to_html(),
            "<wl-bar hide-first-run-experience=\"true\" on-consent-completed=\"app.consented\"></wl-bar>"
        );
        s.set("sign-in-enabled", "false");
        assert!(
            elements(&s)[0]
                .to_html()
                .contains("sign-in-enabled=\"false\"")
        );
    }

    #[test]
    fn setup_on_the_loader_hosts_own_origin() {
        let s = State::default();
        let set = setup(&page(), &s);
        assert_eq!(set.origin, "http://127.0.0.1:8080");
        assert_eq!(set.redirect_uri, "http://127.0.0.1:8080/callback.html");
        assert_eq!(
            set.callback_html,
            "<!doctype html><script src=\"http://127.0.0.1:8080/wl.js\"></script>\n"
        );
        assert!(
            set.csp
                .contains(&"script-src 'self' 'wasm-unsafe-eval'".to_owned())
        );
        assert!(
            set.csp
                .contains(&"connect-src 'self' http://127.0.0.1:8081".to_owned())
        );
        let mut bar = State::default();
        bar.choose("wl-bar");
        assert!(
            setup(&page(), &bar).csp.contains(
                &"connect-src 'self' http://127.0.0.1:8081 ws://127.0.0.1:8081".to_owned()
            )
        );
    }

    #[test]
    fn setup_for_the_origin_the_person_typed() {
        let s = State {
            site: " HTTPS://www.Contoso.com/ ".into(),
            ..State::default()
        };
        let set = setup(&page(), &s);
        assert_eq!(set.origin_error, None);
        assert_eq!(set.origin, "https://www.contoso.com");
        assert_eq!(set.redirect_uri, "https://www.contoso.com/callback.html");
        assert_eq!(
            set.apps_add,
            "cargo run -p wl-server -- apps add --name 'www.contoso.com' \
             --redirect-uri 'https://www.contoso.com/callback.html' --origin 'https://www.contoso.com'"
        );
        // The loader comes from the dev host: the CSP names it, not 'self'.
        assert!(
            set.csp
                .contains(&"script-src http://127.0.0.1:8080 'wasm-unsafe-eval'".to_owned())
        );
        assert!(
            set.csp
                .contains(&"connect-src http://127.0.0.1:8080 http://127.0.0.1:8081".to_owned())
        );
        // The callback still loads wl.js from the loader host.
        assert!(
            set.callback_html
                .contains("src=\"http://127.0.0.1:8080/wl.js\"")
        );
    }

    #[test]
    fn a_wrong_origin_is_reported_and_never_reaches_the_command_or_the_csp() {
        let s = State {
            site: "https://a.com';touch /tmp/pwned;'".into(),
            ..State::default()
        };
        let set = setup(&page(), &s);
        assert_eq!(set.origin_error.map(|e| e.code()), Some("invalid_origin"));
        assert_eq!(set.origin, "http://127.0.0.1:8080");
        assert!(!set.apps_add.contains("pwned"));
        assert!(set.csp.iter().all(|d| !d.contains("pwned")));
    }

    #[test]
    fn the_snippet_uses_the_persons_client_id() {
        let mut s = State {
            client_id: " my\"app ".into(),
            ..State::default()
        };
        let text = snippet(&page(), &s);
        assert!(text.contains("data-client-id=\"my&quot;app\""), "{text}");
        s.client_id.clear();
        assert!(snippet(&page(), &s).contains("data-client-id=\"wl-demo\""));
    }

    #[test]
    fn hints_point_at_missing_settings() {
        let mut s = State::default();
        assert!(hints(&s).is_empty());
        s.set("type", "custom");
        assert_eq!(hints(&s).len(), 2);
        s.set("sign-in-text", "In");
        s.set("sign-out-text", "Out");
        assert!(hints(&s).is_empty());
        s.choose("wl-bar");
        assert_eq!(hints(&s)[0].add_scope, Some("wl.messenger"));
        s.page_scope = "wl.signin wl.messenger".into();
        assert!(hints(&s).is_empty());
        s.choose("wl-userinfo");
        s.page_scope = "wl.signin wl.basic".into();
        s.background = Background::Dark;
        assert_eq!(hints(&s).len(), 1);
        s.set("theme", "dark");
        assert!(hints(&s).is_empty());
    }

    #[test]
    fn drawn_snippet_defers_the_script_and_holds_each_first_paint() {
        let mut s = State::default();
        s.choose("wl-userinfo");
        s.set("theme", "dark");
        s.drawn = true;
        let text = snippet(&page(), &s);
        assert!(
            text.contains("data-scope=\"wl.signin wl.basic\"\n        defer></script>\n"),
            "{text}"
        );
        let lines: Vec<&str> = text.lines().skip(5).collect();
        assert_eq!(lines.len(), 3, "{text}");
        let reserve = first_paint::reserve(&elements(&s)).expect("a sign-in button to reserve");
        assert_eq!(lines[0], format!("<style>{reserve}</style>"));
        let lines = &lines[1..];
        assert!(lines[0].starts_with("<wl-signin><template shadowrootmode=\"open\"><style>"));
        assert!(lines[0].ends_with("</template></wl-signin>"));
        assert!(
            lines[1].starts_with("<wl-userinfo theme=\"dark\"><template shadowrootmode=\"open\">")
        );
        assert!(lines[1].contains(" t-dark sk\""), "{}", lines[1]);
        assert!(lines[1].ends_with("</template></wl-userinfo>"));
        // Off again: the snippet as before.
        s.drawn = false;
        assert!(!snippet(&page(), &s).contains("template"));
        assert!(!snippet(&page(), &s).contains("defer"));
    }

    #[test]
    fn blank_link_carries_the_snippet_without_its_first_paint() {
        let mut s = State::default();
        s.choose("wl-userinfo");
        s.set("theme", "dark");
        let plain = blank_link(&page(), &s);
        let fragment = plain
            .strip_prefix("/playground/blank.html#")
            .expect("the blank page's path");
        assert_eq!(crate::percent::decode(fragment), snippet(&page(), &s));
        s.drawn = true;
        // The same link: no template, no `defer` (the blank page loads the tag in order).
        assert_eq!(blank_link(&page(), &s), plain);
        assert!(snippet(&page(), &s).contains("<template shadowrootmode=\"open\">"));
    }

    #[test]
    fn drawn_snippet_policy_allows_exactly_its_sheets() {
        let mut s = State::default();
        s.choose("wl-userinfo");
        assert!(
            setup(&page(), &s)
                .csp
                .contains(&"style-src 'self'".to_string())
        );
        s.drawn = true;
        let style = setup(&page(), &s)
            .csp
            .into_iter()
            .find(|d| d.starts_with("style-src "))
            .expect("a style-src");
        assert_eq!(
            style,
            format!(
                "style-src 'self' '{}' '{}' '{}'",
                first_paint::csp_hash(
                    &first_paint::reserve(&elements(&s)).expect("a sign-in button to reserve")
                ),
                first_paint::csp_hash(wl_signin::style::CSS),
                first_paint::csp_hash(wl_userinfo::style::CSS)
            )
        );
        assert!(!style.contains("unsafe-inline"));
        // A control not drawn first gets no hash, and a hint says why.
        s.choose("wl-bar");
        s.page_scope = "wl.signin wl.messenger".into();
        assert!(
            setup(&page(), &s)
                .csp
                .contains(&"style-src 'self'".to_string())
        );
        assert_eq!(hints(&s).len(), 1, "{:?}", hints(&s));
    }
}
