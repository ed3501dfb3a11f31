//! The Playground's settings and their URL form, so a link reproduces them.
//!
//! `?control=wl-signin&theme=dark&sign-in-text=Hi%20%26%20bye&data-scope=wl.signin%20wl.basic&bg=dark&width=narrow&tab=api`:
//! the chosen control, its attributes that differ from the defaults (by their own names), the
//! page's `data-scope`, and the view options. Defaults are left out, unknown keys ignored.

use crate::catalogue::{self, Control};
use crate::percent;
use std::collections::BTreeMap;

/// The `data-scope` a new Playground starts with.
pub const DEFAULT_PAGE_SCOPE: &str = "wl.signin wl.basic";

/// The preview's page background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Background {
    /// A white page.
    #[default]
    Light,
    /// A near-black page.
    Dark,
}

/// Which tool is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// The Controls Playground.
    #[default]
    Controls,
    /// The API Playground (`WL.api`).
    Api,
    /// The REST Explorer (`fetch` with the token).
    Rest,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 3] = [Tab::Controls, Tab::Api, Tab::Rest];

    /// The name used in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Tab::Controls => "controls",
            Tab::Api => "api",
            Tab::Rest => "rest",
        }
    }

    /// The label shown on the tab.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Controls => "Controls",
            Tab::Api => "API Playground",
            Tab::Rest => "REST Explorer",
        }
    }
}

/// Everything the Playground's URL carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The chosen control.
    pub control: &'static Control,
    /// Attribute values per control tag (switching controls keeps each one's values).
    pub values: BTreeMap<&'static str, BTreeMap<&'static str, String>>,
    /// The script tag's `data-scope` (space-separated).
    pub page_scope: String,
    /// The preview's background.
    pub background: Background,
    /// Whether the preview is phone-width.
    pub narrow: bool,
    /// The tool shown.
    pub tab: Tab,
    /// The origin of the person's own site, as typed (empty: the loader host's own origin).
    /// Checked by [`crate::origin::parse`] where it is used.
    pub site: String,
    /// The client id of the person's own app (empty: the dev host's demo app).
    pub client_id: String,
    /// Whether the snippet draws the controls in the page itself (declarative shadow DOM,
    /// [`crate::first_paint`]) and loads `wl.js` with `defer`: the first frame shows them
    /// without holding the page's parser (a long page).
    pub drawn: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            control: catalogue::default_control(),
            values: BTreeMap::new(),
            page_scope: DEFAULT_PAGE_SCOPE.to_owned(),
            background: Background::Light,
            narrow: false,
            tab: Tab::Controls,
            site: String::new(),
            client_id: String::new(),
            drawn: false,
        }
    }
}

impl State {
    /// The value of `attr` on the chosen control (`""` when unset).
    pub fn value(&self, attr: &str) -> &str {
        self.values
            .get(self.control.tag)
            .and_then(|m| m.get(attr))
            .map_or("", String::as_str)
    }

    /// Sets an attribute of the chosen control; a default or empty value removes it. Names the
    /// control does not have are ignored.
    pub fn set(&mut self, attr: &str, value: &str) {
        let Some(spec) = self.control.attr(attr) else {
            return;
        };
        let map = self.values.entry(self.control.tag).or_default();
        if value.is_empty() || catalogue::is_default(spec, value) {
            map.remove(spec.name);
        } else {
            map.insert(spec.name, value.to_owned());
        }
    }

    /// The chosen control's attributes that differ from its defaults, in catalogue order.
    pub fn attributes(&self) -> Vec<(&'static str, String)> {
        let Some(map) = self.values.get(self.control.tag) else {
            return Vec::new();
        };
        self.control
            .attrs
            .iter()
            .filter_map(|a| map.get(a.name).map(|v| (a.name, v.clone())))
            .collect()
    }

    /// Chooses another control (unknown tags are ignored).
    pub fn choose(&mut self, tag: &str) {
        if let Some(c) = catalogue::control(tag) {
            self.control = c;
        }
    }

    /// The URL query (without `?`) that reproduces this state.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.tab != Tab::Controls {
            pairs.push(("tab", self.tab.key().to_owned()));
        }
        pairs.push(("control", self.control.tag.to_owned()));
        pairs.extend(self.attributes());
        if normalise_scope(&self.page_scope) != DEFAULT_PAGE_SCOPE {
            pairs.push(("data-scope", normalise_scope(&self.page_scope)));
        }
        if self.background == Background::Dark {
            pairs.push(("bg", "dark".to_owned()));
        }
        if self.narrow {
            pairs.push(("width", "narrow".to_owned()));
        }
        if !self.site.is_empty() {
            pairs.push(("site", self.site.clone()));
        }
        if !self.client_id.is_empty() {
            pairs.push(("client-id", self.client_id.clone()));
        }
        if self.drawn {
            pairs.push(("paint", "page".to_owned()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", percent::encode(k), percent::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a URL query (with or without the leading `?`). Unknown keys, unknown controls and
    /// values a control does not accept are ignored: a hand-edited link still opens.
    pub fn from_query(query: &str) -> State {
        let pairs: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (percent::decode(k), percent::decode(v))
            })
            .collect();
        let mut state = State::default();
        if let Some((_, tag)) = pairs.iter().find(|(k, _)| k == "control") {
            state.choose(tag);
        }
        for (key, value) in &pairs {
            match key.as_str() {
                "control" => {}
                "tab" => {
                    if let Some(t) = Tab::ALL.into_iter().find(|t| t.key() == value) {
                        state.tab = t;
                    }
                }
                "data-scope" => state.page_scope = normalise_scope(value),
                "bg" => {
                    state.background = if value == "dark" {
                        Background::Dark
                    } else {
                        Background::Light
                    }
                }
                "width" => state.narrow = value == "narrow",
                "site" => state.site = value.clone(),
                "client-id" => state.client_id = value.clone(),
                "paint" => state.drawn = value == "page",
                name => {
                    if let Some(spec) = state.control.attr(name)
                        && catalogue::accepts(spec, value)
                    {
                        state.set(spec.name, value);
                    }
                }
            }
        }
        state
    }
}

/// A scope list with single spaces and no duplicates, order kept.
pub fn normalise_scope(s: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for w in s.split(|c: char| c.is_ascii_whitespace() || c == ',') {
        if !w.is_empty() && !seen.contains(&w) {
            seen.push(w);
        }
    }
    seen.join(" ")
}

/// Adds or removes one scope in a space-separated list.
pub fn toggle_scope(list: &str, scope: &str, on: bool) -> String {
    let mut words: Vec<&str> = list
        .split_ascii_whitespace()
        .filter(|w| *w != scope)
        .collect();
    if on {
        words.push(scope);
    }
    // Keep the catalogue's order so the same choice always reads the same.
    words.sort_by_key(|w| {
        catalogue::SCOPES
            .iter()
            .position(|(n, _)| n == w)
            .unwrap_or(usize::MAX)
    });
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_state_is_an_almost_empty_query() {
        assert_eq!(State::default().to_query(), "control=wl-signin");
        assert_eq!(State::from_query(""), State::default());
    }

    #[test]
    fn round_trips_through_the_url() {
        let mut s = State::default();
        s.set("theme", "dark");
        s.set("type", "custom");
        s.set("sign-in-text", "Say \"hi\" & <go> 100% ✓");
        s.set("scope", "wl.basic wl.contacts");
        s.page_scope = "wl.signin wl.basic wl.contacts".into();
        s.background = Background::Dark;
        s.narrow = true;
        s.tab = Tab::Api;
        s.site = "https://www.contoso.com".into();
        s.client_id = "a&b=c".into();
        s.drawn = true;
        let q = s.to_query();
        assert!(
            !q.contains(' ') && !q.contains('"') && !q.contains('<'),
            "{q}"
        );
        assert_eq!(State::from_query(&q), s);
        assert_eq!(State::from_query(&format!("?{q}")), s);
    }

    #[test]
    fn round_trips_every_control() {
        for c in catalogue::CONTROLS {
            let mut s = State::default();
            s.choose(c.tag);
            for a in c.attrs {
                let v = match a.kind {
                    catalogue::Kind::Choice { values, .. } => values[values.len() - 1],
                    catalogue::Kind::Flag { default } => {
                        if default {
                            "false"
                        } else {
                            "true"
                        }
                    }
                    catalogue::Kind::Text { .. } => "x & y",
                    catalogue::Kind::Scopes => "wl.emails",
                };
                s.set(a.name, v);
            }
            assert_eq!(s.attributes().len(), c.attrs.len(), "{}", c.tag);
            assert_eq!(State::from_query(&s.to_query()), s, "{}", c.tag);
        }
    }

    #[test]
    fn defaults_are_not_stored_and_unknowns_are_ignored() {
        let mut s = State::default();
        s.set("theme", "blue");
        s.set("nonsense", "x");
        assert!(s.attributes().is_empty());
        let s = State::from_query("control=wl-nope&theme=purple&size=large&evil=1&tab=zzz");
        assert_eq!(s.control.tag, "wl-signin");
        assert_eq!(s.attributes(), vec![("size", "large".to_owned())]);
        assert_eq!(s.tab, Tab::Controls);
    }

    #[test]
    fn each_control_keeps_its_own_values() {
        let mut s = State::default();
        s.set("theme", "dark");
        s.choose("wl-userinfo");
        assert_eq!(s.value("theme"), "");
        s.set("layout", "full");
        s.choose("wl-signin");
        assert_eq!(s.value("theme"), "dark");
    }

    #[test]
    fn scopes_toggle_in_catalogue_order() {
        assert_eq!(
            toggle_scope("wl.contacts", "wl.signin", true),
            "wl.signin wl.contacts"
        );
        assert_eq!(
            toggle_scope("wl.signin wl.basic", "wl.signin", false),
            "wl.basic"
        );
        assert_eq!(normalise_scope(" a,b  a "), "a b");
    }
}
