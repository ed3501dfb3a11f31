//! Which controls exist and which attributes each one has, with their defaults.
//!
//! The names and values mirror the controls' own parsing (`controls/common/src/attrs.rs`) and the
//! attributes `www/wl.js` observes; the Playground builds its editor from this table.

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
    ("wl.offline_access", "access while away (refresh token)"),
];

/// The locales the controls have labels for (`""`: the page's `lang`).
const LOCALES: &[&str] = &["", "en", "fr", "de", "es", "it"];

const SIGNIN_ATTRS: &[Attr] = &[
    Attr {
        name: "type",
        kind: Kind::Choice {
            values: &["signin", "login", "connect", "custom"],
            default: "signin",
        },
        help: "Which labels: Sign in, Log in, Connect, or your own texts.",
    },
    Attr {
        name: "theme",
        kind: Kind::Choice {
            values: &["blue", "white", "dark", "light"],
            default: "blue",
        },
        help: "The button's colours.",
    },
    Attr {
        name: "size",
        kind: Kind::Choice {
            values: &["small", "medium", "large"],
            default: "medium",
        },
        help: "32, 41 or 48 px high.",
    },
    Attr {
        name: "shape",
        kind: Kind::Choice {
            values: &["rect", "pill"],
            default: "rect",
        },
        help: "Rounded rectangle or pill.",
    },
    Attr {
        name: "brand",
        kind: Kind::Choice {
            values: &["windows", "messenger", "none"],
            default: "windows",
        },
        help: "The logo on the button.",
    },
    Attr {
        name: "sign-in-text",
        kind: Kind::Text {
            placeholder: "Sign in",
        },
        help: "Your own label while signed out (required with type custom).",
    },
    Attr {
        name: "sign-out-text",
        kind: Kind::Text {
            placeholder: "Sign out",
        },
        help: "Your own label while signed in (required with type custom).",
    },
    Attr {
        name: "scope",
        kind: Kind::Scopes,
        help: "Scopes this button asks for on top of the page's (WL.login({ scope })).",
    },
    Attr {
        name: "locale",
        kind: Kind::Choice {
            values: LOCALES,
            default: "",
        },
        help: "Label language; by default the page's lang.",
    },
    Attr {
        name: "mode",
        kind: Kind::Choice {
            values: &["popup", "redirect"],
            default: "popup",
        },
        help: "Sign in in a popup, or by a full-page redirect.",
    },
    Attr {
        name: "fallback",
        kind: Kind::Choice {
            values: &["none", "redirect"],
            default: "none",
        },
        help: "What to do when the popup is blocked.",
    },
];

const USERINFO_ATTRS: &[Attr] = &[
    Attr {
        name: "layout",
        kind: Kind::Choice {
            values: &["compact", "full"],
            default: "compact",
        },
        help: "Small picture and name, or a bigger card with a second line.",
    },
    Attr {
        name: "theme",
        kind: Kind::Choice {
            values: &["light", "dark"],
            default: "light",
        },
        help: "dark: light text for dark pages.",
    },
    Attr {
        name: "cid",
        kind: Kind::Text {
            placeholder: "a friend's id",
        },
        help: "Show this person (a friend) instead of the viewer.",
    },
    Attr {
        name: "locale",
        kind: Kind::Choice {
            values: LOCALES,
            default: "",
        },
        help: "Language of the second line; by default the page's lang.",
    },
];

const BAR_ATTRS: &[Attr] = &[
    Attr {
        name: "theme",
        kind: Kind::Choice {
            values: &["blue", "white", "dark", "light"],
            default: "blue",
        },
        help: "The bar's colours.",
    },
    Attr {
        name: "locale",
        kind: Kind::Choice {
            values: LOCALES,
            default: "",
        },
        help: "Label language; by default the page's lang.",
    },
    Attr {
        name: "sign-in-enabled",
        kind: Kind::Flag { default: true },
        help: "Offer sign-in on the bar while signed out.",
    },
    Attr {
        name: "hide-first-run-experience",
        kind: Kind::Flag { default: false },
        help: "Never show the first-run tip.",
    },
    Attr {
        name: "on-consent-completed",
        kind: Kind::Text {
            placeholder: "a global function name",
        },
        help: "Global function called after the person consents.",
    },
    Attr {
        name: "hub",
        kind: Kind::Text {
            placeholder: "found by discovery",
        },
        help: "The messenger hub's WebSocket URL, if not from discovery.",
    },
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

    /// The attribute names `www/wl.js` observes for `tag` (its `control("tag", …, [...])` line).
    fn observed_by_wl_js(tag: &str) -> Vec<String> {
        let js = include_str!("../../../www/wl.js");
        let call = format!("control(\"{tag}\",");
        let at = js.find(&call).expect("wl.js defines the control");
        let list = &js[at..];
        let list = &list[list.find('[').expect("a list") + 1..list.find(']').expect("its end")];
        list.split(',')
            .map(|n| n.trim().trim_matches('"').to_string())
            .filter(|n| !n.is_empty())
            .collect()
    }

    #[test]
    fn the_catalogue_and_wl_js_name_the_same_attributes() {
        // The editor offers every catalogued attribute; one wl.js does not observe would not
        // re-render the preview. (wl.js also observes the 2010 aliases, not offered here.)
        for c in CONTROLS {
            let observed = observed_by_wl_js(c.tag);
            for a in c.attrs {
                assert!(
                    observed.iter().any(|o| o == a.name),
                    "{} {} is not observed by wl.js",
                    c.tag,
                    a.name
                );
            }
            // And the other way: every attribute a control reacts to can be tried here.
            let aliases = [
                "signed-in-text",
                "signed-out-text",
                "on-signin",
                "on-signout",
            ];
            for o in observed.iter().filter(|o| !aliases.contains(&o.as_str())) {
                assert!(
                    c.attr(o).is_some(),
                    "{} {o} is missing from the catalogue",
                    c.tag
                );
            }
        }
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
