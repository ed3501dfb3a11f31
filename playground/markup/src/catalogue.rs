//! Which controls exist and which attributes each one has, with their defaults.
//!
//! Built from the controls' own attribute tables (`wl_controls_common::attrs`: names, values,
//! defaults, and the locales from the kit's `Locale`); this module adds only what the editor
//! needs besides (titles, help, placeholders). Tests tie it to the tables, to the attributes
//! `www/wl.js` observes and `www/wl.d.ts` types, and its scopes to the provider's.

use wl_controls_common::attrs::{Attribute, Values, bar, signin, userinfo};
use wl_controls_common::i18n::Locale;

/// How an attribute is edited and what values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of a fixed set of values (a `<select>`). The default is never written into markup.
    Choice {
        /// Accepted values, in the order the editor lists them.
        values: &'static [&'static str],
        /// The value the control uses when the attribute is absent (`""`: decided by the page,
        /// e.g. the nearest `lang`).
        default: &'static str,
    },
    /// Free text (an `<input>`); empty means absent.
    Text {
        /// A hint shown in the empty field.
        placeholder: &'static str,
    },
    /// A space-separated scope list (checkboxes); empty means absent.
    Scopes,
    /// `"true"` or `"false"` (a checkbox); the default is not written.
    Flag {
        /// The value when the attribute is absent.
        default: bool,
    },
}

/// One attribute of a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr {
    /// The attribute name as written in markup.
    pub name: &'static str,
    /// How it is edited.
    pub kind: Kind,
    /// One line saying what it does.
    pub help: &'static str,
}

/// One control of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// The element name, e.g. `wl-signin`.
    pub tag: &'static str,
    /// A short human name.
    pub title: &'static str,
    /// One sentence on what it shows.
    pub summary: &'static str,
    /// Its attributes, in editor order.
    pub attrs: &'static [Attr],
    /// A control the snippet puts before this one so the page can sign in at all
    /// (`<wl-userinfo>` shows nothing until someone signs in).
    pub companion: Option<&'static str>,
}

impl Control {
    /// The attribute called `name`, if the control has one.
    pub fn attr(&self, name: &str) -> Option<&'static Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// Every scope the reference provider knows that a page may ask for (`openid` is always added
/// by the loader).
pub const SCOPES: &[(&str, &str)] = &[
    ("wl.signin", "sign in"),
    ("wl.basic", "profile and friends"),
    ("wl.emails", "email addresses"),
    ("wl.contacts", "contacts"),
    ("wl.share", "share and post activities"),
    ("wl.messenger", "presence and chat"),
    ("wl.photos", "photo albums (read and upload)"),
    ("wl.calendars", "calendars (read)"),
    ("wl.calendars_update", "calendar events (write)"),
    ("wl.offline_access", "access while away (refresh token)"),
];

/// The `locale` choices: the page's `lang` (`""`), then every language the controls have labels
/// for (the kit's `Locale::TAGS`).
const LOCALES: &[&str] = &{
    let tags = Locale::TAGS;
    let mut out = [""; 1 + Locale::TAGS.len()];
    let mut i = 0;
    while i < tags.len() {
        out[i + 1] = tags[i];
        i += 1;
    }
    out
};

/// The editor's entry for one of a control's attributes: the name and values from the control's
/// own table, the help text (and a text field's placeholder) from here.
const fn attr(a: Attribute, placeholder: &'static str, help: &'static str) -> Attr {
    let kind = match a.values {
        Values::Choice { names, default } => Kind::Choice {
            values: names,
            default,
        },
        Values::Locale => Kind::Choice {
            values: LOCALES,
            default: "",
        },
        Values::Scopes => Kind::Scopes,
        Values::Flag { default } => Kind::Flag { default },
        Values::Text => Kind::Text { placeholder },
    };
    Attr {
        name: a.name,
        kind,
        help,
    }
}

const SIGNIN_ATTRS: &[Attr] = &[
    attr(
        signin::TYPE,
        "",
        "Which labels: Sign in, Log in, Connect, or your own texts.",
    ),
    attr(signin::THEME, "", "The button's colours."),
    attr(signin::SIZE, "", "32, 41 or 48 px high."),
    attr(signin::SHAPE, "", "Rounded rectangle or pill."),
    attr(signin::BRAND, "", "The logo on the button."),
    attr(
        signin::SIGN_IN_TEXT,
        "Sign in",
        "Your own label while signed out (required with type custom).",
    ),
    attr(
        signin::SIGN_OUT_TEXT,
        "Sign out",
        "Your own label while signed in (required with type custom).",
    ),
    attr(
        signin::SCOPE,
        "",
        "Scopes this button asks for on top of the page's (WL.login({ scope })).",
    ),
    attr(
        signin::LOCALE,
        "",
        "Label language; by default the page's lang.",
    ),
    attr(
        signin::MODE,
        "",
        "Sign in in a popup, or by a full-page redirect.",
    ),
    attr(
        signin::FALLBACK,
        "",
        "What to do when the popup is blocked.",
    ),
];

const USERINFO_ATTRS: &[Attr] = &[
    attr(
        userinfo::LAYOUT,
        "",
        "Small picture and name, or a bigger card with a second line.",
    ),
    attr(userinfo::THEME, "", "dark: light text for dark pages."),
    attr(
        userinfo::CID,
        "a friend's id",
        "Show this person (a friend) instead of the viewer.",
    ),
    attr(
        userinfo::LOCALE,
        "",
        "Language of the second line; by default the page's lang.",
    ),
];

const BAR_ATTRS: &[Attr] = &[
    attr(bar::THEME, "", "The bar's colours."),
    attr(
        bar::LOCALE,
        "",
        "Label language; by default the page's lang.",
    ),
    attr(
        bar::SIGN_IN_ENABLED,
        "",
        "Offer sign-in on the bar while signed out.",
    ),
    attr(
        bar::HIDE_FIRST_RUN_EXPERIENCE,
        "",
        "Never show the first-run tip.",
    ),
    attr(
        bar::ON_CONSENT_COMPLETED,
        "a global function name",
        "Global function called after the person consents.",
    ),
    attr(
        bar::HUB,
        "found by discovery",
        "The messenger hub's WebSocket URL, if not from discovery.",
    ),
];

/// Attributes a control reads that the editor does not offer: the 2010 spellings of the texts
/// and the sign-in button's page callbacks.
pub const NOT_OFFERED: &[&str] = &[
    "signed-in-text",
    "signed-out-text",
    "on-signin",
    "on-signout",
];

/// Every control, in the order the Playground lists them. The first is the default.
pub const CONTROLS: &[Control] = &[
    Control {
        tag: "wl-signin",
        title: "Sign-in button",
        summary: "Signs the visitor in with a popup consent flow, and out again.",
        attrs: SIGNIN_ATTRS,
        companion: None,
    },
    Control {
        tag: "wl-userinfo",
        title: "User info",
        summary: "The signed-in person's picture and name; nothing while signed out.",
        attrs: USERINFO_ATTRS,
        companion: Some("wl-signin"),
    },
    Control {
        tag: "wl-bar",
        title: "Messenger bar",
        summary: "Presence, friends, chat and sharing, fixed to the bottom of the page.",
        attrs: BAR_ATTRS,
        companion: None,
    },
];

/// The control called `tag`, if there is one.
pub fn control(tag: &str) -> Option<&'static Control> {
    CONTROLS.iter().find(|c| c.tag == tag)
}

/// The control shown when nothing else is chosen.
pub fn default_control() -> &'static Control {
    &CONTROLS[0]
}

/// Whether `value` is a value `attr` accepts (any text for texts; known scopes for scopes).
pub fn accepts(attr: &Attr, value: &str) -> bool {
    match attr.kind {
        Kind::Choice { values, .. } => values.contains(&value),
        Kind::Flag { .. } => value == "true" || value == "false",
        Kind::Text { .. } => true,
        Kind::Scopes => value
            .split_ascii_whitespace()
            .all(|s| SCOPES.iter().any(|(n, _)| *n == s)),
    }
}

/// Whether `value` is what the control does anyway (so the snippet leaves it out).
pub fn is_default(attr: &Attr, value: &str) -> bool {
    match attr.kind {
        Kind::Choice { default, .. } => value == default,
        Kind::Flag { default } => value == if default { "true" } else { "false" },
        Kind::Text { .. } | Kind::Scopes => value.trim().is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::{Path, PathBuf};

    use wl_controls_common::attrs as table;

    /// The repository's root.
    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// Every file under `dir` whose name ends with `ext` (skipping `node_modules`).
    fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("a folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "node_modules") {
                    files(&p, ext, out);
                }
            } else if p.to_string_lossy().ends_with(ext) {
                out.push(p);
            }
        }
    }

    /// The texts of the files under `dir` (`.ext`) that contain `needle` (at least one).
    fn sources_with(dir: &str, ext: &str, needle: &str) -> Vec<String> {
        let mut found = Vec::new();
        files(&root().join(dir), ext, &mut found);
        let hits: Vec<String> = found
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter(|t| t.contains(needle))
            .collect();
        assert!(!hits.is_empty(), "no {dir} file has {needle}");
        hits
    }

    /// The attribute names the bootstrap observes for `tag` (its `control("tag", …, [...])` call,
    /// in `www/wl.js` or the modules it is bundled from; where several files have the call, they
    /// must agree).
    fn observed_by_wl_js(tag: &str) -> Vec<String> {
        let call = format!("control(\"{tag}\",");
        let lists: Vec<Vec<String>> = sources_with("www", ".js", &call)
            .iter()
            .map(|js| {
                let list = &js[js.find(&call).expect("the call")..];
                let list =
                    &list[list.find('[').expect("a list") + 1..list.find(']').expect("its end")];
                list.split(',')
                    .map(|n| n.trim().trim_matches('"').to_string())
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .collect();
        assert!(lists.windows(2).all(|w| w[0] == w[1]), "{tag}: {lists:?}");
        lists.into_iter().next().unwrap_or_default()
    }

    fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
        v.sort();
        v
    }

    #[test]
    fn the_catalogue_is_the_controls_tables() {
        // Every attribute a control reads is offered, but for the few it names as not offered;
        // and nothing else is.
        for (tag, table) in table::CONTROLS {
            let c = control(tag).expect("catalogued");
            let offered: Vec<_> = c.attrs.iter().map(|a| a.name).collect();
            let read: Vec<_> = table
                .iter()
                .map(|a| a.name)
                .filter(|n| !NOT_OFFERED.contains(n))
                .collect();
            assert_eq!(sorted(offered), sorted(read), "{tag}");
        }
        assert_eq!(CONTROLS.len(), table::CONTROLS.len());
        assert_eq!(LOCALES, ["", "en", "fr", "de", "es", "it"]);
    }

    #[test]
    fn wl_js_observes_exactly_the_tables_attributes() {
        // One wl.js does not observe would not re-render the element (or the preview); one it
        // observes that no control reads is dead.
        for (tag, table) in table::CONTROLS {
            let read: Vec<String> = table.iter().map(|a| a.name.to_string()).collect();
            assert_eq!(sorted(observed_by_wl_js(tag)), sorted(read), "{tag}");
        }
    }

    /// The `UiOptions` fields of `www/wl.d.ts` (`WL.ui`'s options: attribute names with `_`), each
    /// with its string literals (empty for `string` and other types).
    fn ui_options() -> Vec<(String, Vec<String>)> {
        let dts = std::fs::read_to_string(root().join("www/wl.d.ts")).expect("wl.d.ts");
        let body = &dts[dts.find("interface UiOptions {").expect("UiOptions")..];
        let body = &body[..body.find("\n    }").expect("its end")];
        body.lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("/*") && !l.starts_with('*'))
            .filter(|l| !l.starts_with("//") && !l.starts_with('['))
            .map(|l| {
                let (name, ty) = l.split_once(':').expect("name: type");
                let literals = ty
                    .trim()
                    .trim_end_matches(';')
                    .split('|')
                    .map(str::trim)
                    .filter(|t| t.starts_with('"'))
                    .map(|t| t.trim_matches('"').to_string())
                    .collect();
                (name.trim_end_matches('?').replace('_', "-"), literals)
            })
            .collect()
    }

    #[test]
    fn wl_d_ts_types_the_tables_attributes() {
        // `WL.ui` builds a <wl-signin> or <wl-userinfo> from its options: every option but the
        // element, the kind and the callbacks is one of their attributes, and a typed set of
        // values is that attribute's.
        let not_attributes = ["name", "element", "onloggedin", "onloggedout", "onerror"];
        let tables = [&signin::ALL[..], &userinfo::ALL[..]];
        let mut seen = 0;
        for (name, literals) in ui_options() {
            if not_attributes.contains(&name.as_str()) {
                continue;
            }
            seen += 1;
            let attrs: Vec<&Attribute> = tables
                .iter()
                .filter_map(|t| t.iter().find(|a| a.name == name))
                .collect();
            assert!(
                !attrs.is_empty(),
                "wl.d.ts {name} is no control's attribute"
            );
            if literals.is_empty() {
                continue;
            }
            // `theme` differs between the two controls: the type is the union.
            let mut values: Vec<String> = Vec::new();
            for a in attrs {
                let Values::Choice { names, .. } = a.values else {
                    panic!(
                        "wl.d.ts types {name} with literals, the control with {:?}",
                        a.values
                    )
                };
                for n in names {
                    if !values.iter().any(|v| v == n) {
                        values.push(n.to_string());
                    }
                }
            }
            assert_eq!(sorted(literals), sorted(values), "wl.d.ts {name}");
        }
        assert!(seen >= 5, "UiOptions was not read");
    }

    /// The scopes the provider knows (`pub const ALL: &[Scope]`, in `server/src`), in order.
    fn provider_scopes() -> Vec<String> {
        let src = sources_with("server/src", ".rs", "pub const ALL: &[Scope]").remove(0);
        let list = &src[src.find("pub const ALL: &[Scope]").expect("ALL")..];
        let list = &list[..list.find("];").expect("its end")];
        list.split("name: \"")
            .skip(1)
            .map(|t| t[..t.find('"').expect("closing quote")].to_string())
            .collect()
    }

    #[test]
    fn the_scopes_are_the_providers() {
        // Every Live Connect scope the provider knows, in its (consent-screen) order; the OpenID
        // Connect ones (`openid`, `profile`, `email`, `offline_access`) are not offered.
        let provider: Vec<String> = provider_scopes()
            .into_iter()
            .filter(|s| s.starts_with("wl."))
            .collect();
        let offered: Vec<String> = SCOPES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(offered, provider);
        assert!(provider_scopes().iter().any(|s| s == "openid"));
    }

    #[test]
    fn every_control_is_listed_once_with_unique_attributes() {
        let tags: Vec<_> = CONTROLS.iter().map(|c| c.tag).collect();
        assert_eq!(tags, ["wl-signin", "wl-userinfo", "wl-bar"]);
        for c in CONTROLS {
            let mut names: Vec<_> = c.attrs.iter().map(|a| a.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), c.attrs.len(), "{} repeats an attribute", c.tag);
        }
    }

    #[test]
    fn defaults_match_the_controls() {
        let signin = control("wl-signin").expect("signin");
        let default = |name: &str| match signin.attr(name).map(|a| a.kind) {
            Some(Kind::Choice { default, .. }) => default,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(default("type"), "signin");
        assert_eq!(default("theme"), "blue");
        assert_eq!(default("size"), "medium");
        assert_eq!(default("shape"), "rect");
        assert_eq!(default("brand"), "windows");
        assert_eq!(default("locale"), "");
        let bar = control("wl-bar").expect("bar");
        assert_eq!(
            bar.attr("sign-in-enabled").map(|a| a.kind),
            Some(Kind::Flag { default: true })
        );
        assert_eq!(
            bar.attr("hide-first-run-experience").map(|a| a.kind),
            Some(Kind::Flag { default: false })
        );
        assert!(bar.attr("on-consent-completed").is_some());
        assert!(bar.attr("hub").is_some());
        assert_eq!(default_control().tag, "wl-signin");
    }

    #[test]
    fn every_choice_default_is_one_of_its_values() {
        for c in CONTROLS {
            for a in c.attrs {
                if let Kind::Choice { values, default } = a.kind {
                    assert!(values.contains(&default), "{}.{}", c.tag, a.name);
                    assert!(is_default(a, default));
                }
            }
        }
    }

    #[test]
    fn accepts_checks_values() {
        let signin = control("wl-signin").expect("signin");
        let theme = signin.attr("theme").expect("theme");
        assert!(accepts(theme, "dark"));
        assert!(!accepts(theme, "purple"));
        let scope = signin.attr("scope").expect("scope");
        assert!(accepts(scope, "wl.basic wl.contacts"));
        assert!(!accepts(scope, "wl.basic root"));
        assert!(is_default(scope, " "));
        let bar = control("wl-bar").expect("bar");
        let flag = bar.attr("sign-in-enabled").expect("flag");
        assert!(is_default(flag, "true"));
        assert!(!is_default(flag, "false"));
        assert!(!accepts(flag, "yes"));
    }
}
