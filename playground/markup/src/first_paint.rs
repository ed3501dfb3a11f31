//! A control's first paint written into the page itself, as a declarative shadow root
//! (`<template shadowrootmode="open">`): the browser draws it while it parses the HTML, before any
//! script has arrived, so a page that loads `wl.js` with `defer` still shows the controls in its
//! first frame, at their size. This is the Playground's "draw before the script" option.
//!
//! The markup is what `www/src/paint.js` draws for the same attributes, signed out, made from the
//! same tables (the controls' sheets, choices, labels and logo); a browser test compares the two
//! element by element, but for the attributes only the page's copy has ([`EARLY_BUTTON`] and
//! [`EARLY_STATUS`]).
//!
//! The sign-in button is live before `wl.js` runs, with no script: it opens an empty, manual
//! popover (its status line, visually hidden), and the sheet shows the button busy while that is
//! open. `wl.js` then draws the control again in the same task (the same look, its own click
//! handler), and if the page's button was clicked (the popover is open) and the click's user
//! activation still holds, it signs in as that click would have: the popup opens. So a click the
//! moment the button is on screen is not lost, however late `wl.js` comes.
//!
//! The page holds one rule more, before the controls ([`reserve`]): each sign-in button's host
//! has its size from the moment the parser creates it. Otherwise a frame rendered while the HTML
//! is still arriving (the parser yields, or the rest of the bytes are on their way) could show
//! the host empty, its shadow root's `<style>` not yet closed, and the page's text beside it would
//! move when the button appears (a layout shift, measured by `cargo xtask bench`).

use wl_controls_common::attrs::{
    Brand, ButtonType, CardTheme, Choice, Layout, Shape, Size, Theme, parse_choice,
};
use wl_controls_common::edge::logo::{MARKS, SVG, shapes};
use wl_controls_common::i18n::resolve_locale;
use wl_controls_common::i18n::signin::button_label;

use crate::snippet::{Element, escape_attr};

/// The attributes the page's sign-in button has beyond what `wl.js` draws: a click shows the
/// popover [`EARLY_STATUS`] (with no script), which `www/src/paint.js` reads as that click.
pub const EARLY_BUTTON: [(&str, &str); 2] = [
    ("popovertarget", "wl-early"),
    ("popovertargetaction", "show"),
];

/// The attributes the page's status line (`<span class="vh" role="status">`) has beyond what
/// `wl.js` draws: it is the popover a click on the page's button opens.
pub const EARLY_STATUS: [(&str, &str); 2] = [("id", "wl-early"), ("popover", "manual")];

/// `<tag a="v" …>children</tag>` (no end tag for `img`).
fn el(tag: &str, attrs: &[(&str, &str)], children: &str) -> String {
    let mut s = format!("<{tag}");
    for (k, v) in attrs {
        if v.is_empty() {
            s.push_str(&format!(" {k}"));
        } else {
            s.push_str(&format!(" {k}=\"{}\"", escape_attr(v)));
        }
    }
    s.push('>');
    if tag != "img" {
        s.push_str(children);
        s.push_str(&format!("</{tag}>"));
    }
    s
}

/// The logo with both marks, as the build's `LOGO` (`www/src/paint-data.js`).
fn logo() -> String {
    let group = |brand: Brand, class: &str| {
        let inner: String = shapes(brand).iter().map(|(t, a)| el(t, a, "")).collect();
        el("g", &[("class", class)], &inner)
    };
    let marks: String = MARKS.iter().map(|(b, c)| group(*b, c)).collect();
    el("svg", SVG, &marks)
}

/// The value of attribute `name` on `e`, trimmed; `None` when absent or blank.
fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The sheet of control `tag` when `wl.js` draws it first (`<wl-signin>`, `<wl-userinfo>`).
pub fn sheet(tag: &str) -> Option<&'static str> {
    match tag {
        "wl-signin" => Some(wl_signin::style::CSS),
        "wl-userinfo" => Some(wl_userinfo::style::CSS),
        _ => None,
    }
}

/// The `<template shadowrootmode="open">…</template>` that draws `e` signed out, or `None` for a
/// control `wl.js` does not draw first.
pub fn template(e: &Element) -> Option<String> {
    let css = sheet(e.tag)?;
    let body = if e.tag == "wl-signin" {
        signin(e)
    } else {
        userinfo(e)
    };
    Some(format!(
        "<template shadowrootmode=\"open\"><style>{css}</style>{body}</template>"
    ))
}

/// `html` (element `e` as HTML, wrapped or not) with its first paint ([`template`]) inside, just
/// before its end tag; as it was for a control `wl.js` does not draw first.
pub fn inside(e: &Element, html: String) -> String {
    let end = format!("</{}>", e.tag);
    match (template(e), html.strip_suffix(&end)) {
        (Some(t), Some(open)) => format!("{open}{t}{end}"),
        _ => html,
    }
}

/// The page-level rule that gives each drawn sign-in host in `elements` the size its first paint
/// will have, from the moment the parser creates it: the `:host` declarations of its sheet and
/// the button's height for its `size` ([`wl_signin::style::height`]); `None` when `elements`
/// draws no sign-in button. The rule matches only while the element is not yet defined (then
/// `wl.js`'s own sheet holds it the same), never a `hidden` one, and weighs nothing
/// (`:where`), so any rule of the page's own wins.
pub fn reserve(elements: &[Element]) -> Option<String> {
    let host = wl_signin::style::CSS
        .strip_prefix(":host{")
        .and_then(|rest| rest.split_once('}'))
        .map(|(decls, _)| decls)?;
    let mut by_height: Vec<(u16, Vec<String>)> = Vec::new();
    for e in elements.iter().filter(|e| e.tag == "wl-signin") {
        let raw = e.attrs.iter().find(|(n, _)| *n == "size").map(|(_, v)| v);
        let size: Size = parse_choice(attr(e, "size")).0;
        let selector = format!(
            "wl-signin{}:not(:defined):not([hidden])",
            match raw {
                Some(v) => format!("[size={}]", css_string(v)),
                None => ":not([size])".into(),
            }
        );
        let height = wl_signin::style::height(size);
        match by_height.iter_mut().find(|(h, _)| *h == height) {
            Some((_, sels)) if !sels.contains(&selector) => sels.push(selector),
            Some(_) => {}
            None => by_height.push((height, vec![selector])),
        }
    }
    if by_height.is_empty() {
        return None;
    }
    Some(
        by_height
            .iter()
            .map(|(h, sels)| format!(":where({}){{{host};min-height:{h}px}}", sels.join(",")))
            .collect(),
    )
}

/// `v` as a CSS string in double quotes, safe inside a `<style>` element (no `<`, so no
/// `</style`).
fn css_string(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Content-Security-Policy source that allows `css` in a `<style>` element:
/// `sha256-<base64 of its SHA-256>`.
pub fn csp_hash(css: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(css.as_bytes()))
    )
}

fn signin(e: &Element) -> String {
    let pick = |n| attr(e, n);
    let brand: Brand = parse_choice(pick("brand")).0;
    let kind: ButtonType = parse_choice(pick("type")).0;
    let theme: Theme = parse_choice(pick("theme")).0;
    let size: Size = parse_choice(pick("size")).0;
    let shape: Shape = parse_choice(pick("shape")).0;
    let locale = resolve_locale(pick("locale"), None);
    // A text attribute wins for every type, as in wl.js.
    let label = pick("sign-in-text")
        .or(pick("signed-out-text"))
        .unwrap_or(locale.text(button_label(kind, false)));
    let class = format!(
        "b t-{} s-{} p-{} g-{}",
        theme.name(),
        size.name(),
        shape.name(),
        brand.name()
    );
    let mut attrs = vec![
        ("class", class.as_str()),
        ("part", "button"),
        ("type", "button"),
        ("lang", locale.tag()),
    ];
    attrs.extend(EARLY_BUTTON);
    let button = el(
        "button",
        &attrs,
        &(el("span", &[("class", "ic"), ("part", "icon")], &logo())
            + &el("span", &[("class", "sp"), ("aria-hidden", "true")], "")
            + &el(
                "span",
                &[("class", "l"), ("part", "label")],
                &escape_attr(label),
            )),
    );
    let mut status = vec![("class", "vh"), ("role", "status")];
    status.extend(EARLY_STATUS);
    button + &el("span", &status, "")
}

fn userinfo(e: &Element) -> String {
    let layout: Layout = parse_choice(attr(e, "layout")).0;
    let theme: CardTheme = parse_choice(attr(e, "theme")).0;
    let class = format!(
        "u {}{} sk",
        layout.name(),
        if theme.name() == "dark" {
            " t-dark"
        } else {
            ""
        }
    );
    el(
        "div",
        &[
            ("class", &class),
            ("part", "container"),
            ("hidden", ""),
            ("aria-busy", "true"),
        ],
        &(el(
            "img",
            &[
                ("class", "pic"),
                ("part", "picture"),
                ("alt", ""),
                ("decoding", "async"),
                ("referrerpolicy", "no-referrer"),
                ("hidden", ""),
            ],
            "",
        ) + &el(
            "span",
            &[
                ("class", "pic mono"),
                ("part", "picture"),
                ("aria-hidden", "true"),
            ],
            "",
        ) + &el(
            "span",
            &[("class", "tx")],
            &(el("span", &[("class", "n"), ("part", "name")], "")
                + &el("span", &[("class", "st"), ("part", "detail")], "")),
        )),
    ) + &el("slot", &[], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(tag: &'static str, attrs: &[(&'static str, &str)]) -> Element {
        Element {
            tag,
            attrs: attrs.iter().map(|(n, v)| (*n, v.to_string())).collect(),
        }
    }

    #[test]
    fn a_bare_button_is_the_default_look_in_english_and_opens_its_status_line() {
        let t = template(&element("wl-signin", &[])).expect("drawn first");
        assert!(t.starts_with("<template shadowrootmode=\"open\"><style>:host{"));
        assert!(
            t.contains(concat!(
                "<button class=\"b t-blue s-medium p-rect g-windows\" part=\"button\" ",
                "type=\"button\" lang=\"en\" popovertarget=\"wl-early\" ",
                "popovertargetaction=\"show\">"
            )),
            "{t}"
        );
        assert!(!t.contains("disabled"), "{t}");
        assert!(t.contains("<span class=\"l\" part=\"label\">Sign in</span>"));
        assert!(
            t.ends_with(concat!(
                "<span class=\"vh\" role=\"status\" id=\"wl-early\" popover=\"manual\">",
                "</span></template>"
            )),
            "{t}"
        );
    }

    #[test]
    fn the_sheet_shows_the_button_busy_while_its_popover_is_open() {
        // The popover the button opens follows it, as `:has(~:popover-open)` needs.
        let t = template(&element("wl-signin", &[])).expect("drawn first");
        let (button, popover) = (t.find("<button"), t.find("popover=\"manual\""));
        assert!(button.is_some() && popover > button, "{t}");
        for rule in [
            ".b:has(~:popover-open) .sp{display:inline-block}",
            ".b:has(~:popover-open) .ic{display:none}",
        ] {
            assert!(wl_signin::style::CSS.contains(rule), "{rule}");
        }
    }

    #[test]
    fn choices_aliases_locale_and_texts_follow_the_tables() {
        let t = template(&element(
            "wl-signin",
            &[("theme", " WHITE "), ("size", "large"), ("locale", "fr-CA")],
        ))
        .expect("drawn first");
        assert!(t.contains("lang=\"fr\""), "{t}");
        assert!(t.contains("s-large"), "{t}");
        let t = template(&element(
            "wl-signin",
            &[("type", "custom"), ("sign-in-text", "<Go & in>")],
        ))
        .expect("drawn first");
        assert!(t.contains(">&lt;Go &amp; in&gt;</span>"), "{t}");
        // An unknown value is the default, as in wl.js.
        let a = template(&element("wl-signin", &[("theme", "plaid")])).expect("drawn first");
        assert_eq!(
            a,
            template(&element("wl-signin", &[])).expect("drawn first")
        );
    }

    #[test]
    fn a_hostile_text_stays_text() {
        let evil = "</span></template><script>alert(1)</script><img src=x onerror=alert(2)>";
        for attr in ["sign-in-text", "signed-out-text"] {
            let t = template(&element("wl-signin", &[("type", "custom"), (attr, evil)]))
                .expect("drawn first");
            assert!(!t.contains("<script") && !t.contains("<img"), "{t}");
            assert_eq!(t.matches("</template>").count(), 1, "{t}");
        }
        // An attribute a page set to markup does not leave its value either.
        let t = template(&element("wl-signin", &[("theme", "\"><script>")])).expect("drawn first");
        assert!(!t.contains("<script"), "{t}");
    }

    #[test]
    fn the_user_info_is_its_hidden_skeleton() {
        let t = template(&element("wl-userinfo", &[("theme", "dark")])).expect("drawn first");
        assert!(t.contains("<div class=\"u "), "{t}");
        assert!(t.contains(" t-dark sk\" part=\"container\" hidden aria-busy=\"true\">"));
        assert!(t.ends_with("<slot></slot></template>"));
        assert_eq!(template(&element("wl-bar", &[])), None);
    }

    #[test]
    fn the_first_paint_goes_inside_the_element() {
        let e = element("wl-userinfo", &[("theme", "dark")]);
        let html = inside(&e, e.to_html());
        assert!(
            html.starts_with("<wl-userinfo theme=\"dark\"><template shadowrootmode="),
            "{html}"
        );
        assert!(html.ends_with("</template></wl-userinfo>"), "{html}");
        let bar = element("wl-bar", &[]);
        assert_eq!(inside(&bar, bar.to_html()), "<wl-bar></wl-bar>");
    }

    #[test]
    fn the_reserved_size_is_the_hosts_and_the_buttons_height() {
        let bare = reserve(&[element("wl-signin", &[]), element("wl-userinfo", &[])]);
        assert_eq!(
            bare.as_deref(),
            Some(concat!(
                ":where(wl-signin:not([size]):not(:defined):not([hidden])){display:inline-block;",
                "vertical-align:middle;max-width:100%;min-height:41px}"
            ))
        );
        // Each size its own height, matched on the attribute as written; one rule per height.
        let css = reserve(&[
            element("wl-signin", &[("size", "large")]),
            element("wl-signin", &[("size", " Small ")]),
            element("wl-signin", &[("size", "small")]),
            element("wl-signin", &[("size", "large")]),
        ])
        .expect("sign-in buttons to reserve");
        assert_eq!(
            css,
            concat!(
                ":where(wl-signin[size=\"large\"]:not(:defined):not([hidden])){display:inline-block;",
                "vertical-align:middle;max-width:100%;min-height:48px}",
                ":where(wl-signin[size=\" Small \"]:not(:defined):not([hidden]),",
                "wl-signin[size=\"small\"]:not(:defined):not([hidden])){display:inline-block;",
                "vertical-align:middle;max-width:100%;min-height:32px}"
            )
        );
        // Nothing to reserve without a sign-in button.
        assert_eq!(reserve(&[element("wl-userinfo", &[])]), None);
    }

    #[test]
    fn a_hostile_size_stays_inside_its_selector() {
        let css = reserve(&[element("wl-signin", &[("size", "x\"]</style><script>\\")])])
            .expect("a sign-in button to reserve");
        assert!(!css.contains('<'), "{css}");
        assert!(
            css.starts_with(r#":where(wl-signin[size="x\"]\3c /style\3e \3c script\3e \\"]:not("#),
            "{css}"
        );
        // An unknown size reserves the default height, as the button draws it.
        assert!(css.ends_with("min-height:41px}"), "{css}");
    }

    #[test]
    fn the_policy_hash_is_sha256_in_base64() {
        // SHA-256 of the empty string, as CSP writes it.
        assert_eq!(
            csp_hash(""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn no_sheet_can_end_its_style_element() {
        for css in [wl_signin::style::CSS, wl_userinfo::style::CSS] {
            assert!(!css.to_ascii_lowercase().contains("</style"));
        }
    }
}
