//! The controls' attributes: every control's table ([`signin`], [`userinfo`], [`bar`]) and the
//! enumerated values, parsed into enums with defaults.
//!
//! These tables are the one source of the attribute names and values: each control reads its
//! attributes from its table (the bootstrap's `observedAttributes` are checked against them), and
//! the Playground's catalogue (`wl-markup`) is built from them. Pure data, so `wl-markup` links
//! them natively without the elements.
//!
//! Pure: no browser needed. An unknown value yields the default plus a [`Warning`] that the DOM
//! layer prints with `console.warn`.

use crate::i18n::Locale;
use crate::warning::Warning;

/// An enumerated attribute: a fixed set of lower-case names, one of them the default.
pub trait Choice: Copy + PartialEq + 'static {
    /// The attribute's name, for warnings.
    const ATTR: &'static str;
    /// Every accepted spelling: the canonical names ([`Choice::NAMES`]), then the aliases.
    const SPELLINGS: &'static [&'static str];
    /// The value each of [`Choice::SPELLINGS`] means, in the same order.
    const MEANINGS: &'static [Self];
    /// The value used when the attribute is absent, empty or unknown.
    const DEFAULT: Self;
    /// The canonical spelling of every value, in the order they are offered (no aliases).
    const NAMES: &'static [&'static str];
    /// The canonical spelling of [`Choice::DEFAULT`].
    const DEFAULT_NAME: &'static str;

    /// The canonical name of the value.
    fn name(self) -> &'static str;
}

/// What an attribute value is among `spellings`: absent or blank, unknown, or the `i`th.
/// Not generic, so every [`Choice`] shares it (less wasm).
enum Found {
    Blank,
    Unknown,
    At(usize),
}

fn find_spelling(spellings: &[&str], value: Option<&str>) -> Found {
    let Some(v) = value.map(str::trim_ascii).filter(|v| !v.is_empty()) else {
        return Found::Blank;
    };
    match spellings.iter().position(|n| n.eq_ignore_ascii_case(v)) {
        Some(i) => Found::At(i),
        None => Found::Unknown,
    }
}

/// Parses an attribute value: absent or blank gives the default silently; an unknown value
/// gives the default and a warning. Matching ignores ASCII case and surrounding spaces.
pub fn parse_choice<T: Choice>(value: Option<&str>) -> (T, Option<Warning>) {
    let (at, warning) = choose(T::SPELLINGS, T::ATTR, T::DEFAULT_NAME, value);
    (
        at.and_then(|i| T::MEANINGS.get(i).copied())
            .unwrap_or(T::DEFAULT),
        warning,
    )
}

/// [`parse_choice`]'s work, not generic (one copy in the wasm for every [`Choice`]): the index
/// of `value` among `spellings`, or the warning for an unknown one.
#[inline(never)]
fn choose(
    spellings: &[&str],
    attr: &'static str,
    used: &'static str,
    value: Option<&str>,
) -> (Option<usize>, Option<Warning>) {
    match find_spelling(spellings, value) {
        Found::At(i) => (Some(i), None),
        Found::Blank => (None, None),
        Found::Unknown => (
            None,
            Some(Warning::UnknownValue {
                attr,
                value: value.unwrap_or_default().to_owned(),
                used,
            }),
        ),
    }
}

/// Implements [`Choice`] from one list: the canonical spellings (in the order offered), then the
/// aliases a control also accepts.
macro_rules! choice {
    ($ty:ident, $attr:literal, default ($def_name:literal, $def:ident),
     [$($name:literal => $v:ident),+ $(,)?] $(, aliases [$($alias:literal => $av:ident),+ $(,)?])?) => {
        impl Choice for $ty {
            const ATTR: &'static str = $attr;
            const SPELLINGS: &'static [&'static str] = &[$($name,)+ $($($alias,)+)?];
            const MEANINGS: &'static [Self] = &[$($ty::$v,)+ $($($ty::$av,)+)?];
            const DEFAULT: Self = $ty::$def;
            const NAMES: &'static [&'static str] = &[$($name),+];
            const DEFAULT_NAME: &'static str = $def_name;

            fn name(self) -> &'static str {
                match self {
                    $($ty::$v => $name,)+
                }
            }
        }
    };
}

/// Parses `value` into `slot`, returning the warning if the value was unknown.
pub fn set_choice<T: Choice>(slot: &mut T, value: Option<&str>) -> Option<Warning> {
    let (v, w) = parse_choice(value);
    *slot = v;
    w
}

/// The `locale` attribute: `Some(tag)` when given; warns when there are no labels for it.
pub fn set_locale(slot: &mut Option<String>, value: Option<&str>) -> Option<Warning> {
    *slot = non_blank(value);
    match slot {
        Some(tag) if Locale::from_tag(tag).is_none() => {
            Some(Warning::UnsupportedLocale { value: tag.clone() })
        }
        _ => None,
    }
}

/// The logo on the sign-in button (`brand`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Brand {
    /// Four squares.
    Windows,
    /// The Messenger two-person mark.
    Messenger,
    /// No logo.
    None,
}

choice! {
    Brand, "brand", default ("windows", Windows),
    ["windows" => Windows, "messenger" => Messenger, "none" => None],
    aliases ["windowslive" => Windows, "live" => Windows]
}

/// Which pair of labels the sign-in button shows (`type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonType {
    /// "Sign in" / "Sign out".
    Signin,
    /// "Log in" / "Log out".
    Login,
    /// "Connect" / "Sign out".
    Connect,
    /// The page's own `sign-in-text` / `sign-out-text`.
    Custom,
}

choice! {
    ButtonType, "type", default ("signin", Signin),
    ["signin" => Signin, "login" => Login, "connect" => Connect, "custom" => Custom]
}

/// The colour scheme of the sign-in button (`theme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Blue button, white text, the logo on a white tile.
    Blue,
    /// White button with a grey border.
    White,
    /// Near-black button, white text.
    Dark,
    /// Light grey button, dark text.
    Light,
}

choice! {
    Theme, "theme", default ("blue", Blue),
    ["blue" => Blue, "white" => White, "dark" => Dark, "light" => Light]
}

/// The height and type size of the sign-in button (`size`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// 32 px.
    Small,
    /// 41 px, the usual sign-in button height.
    Medium,
    /// 48 px.
    Large,
}

choice! {
    Size, "size", default ("medium", Medium),
    ["small" => Small, "medium" => Medium, "large" => Large]
}

/// The corners of the sign-in button (`shape`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Slightly rounded rectangle (`--wl-radius`).
    Rect,
    /// Fully rounded ends.
    Pill,
}

choice! {
    Shape, "shape", default ("rect", Rect),
    ["rect" => Rect, "pill" => Pill],
    aliases ["rectangle" => Rect]
}

/// What the core may do when the popup cannot open (`fallback`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Report `popup_blocked`; the button offers a retry.
    None,
    /// Let the core fall back to a full-page redirect.
    Redirect,
}

choice! {
    Fallback, "fallback", default ("none", None),
    ["none" => None, "redirect" => Redirect],
    aliases ["popup" => None]
}

/// How the core signs in (`mode`): the popup, or straight to a full-page redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The popup consent flow.
    Popup,
    /// A full-page redirect (no popup at all).
    Redirect,
}

choice! {
    Mode, "mode", default ("popup", Popup),
    ["popup" => Popup, "redirect" => Redirect]
}

/// The arrangement of `<wl-userinfo>` (`layout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A small picture and the name on one line.
    Compact,
    /// A bigger picture, the name, and a second line.
    Full,
}

choice! {
    Layout, "layout", default ("compact", Compact),
    ["compact" => Compact, "full" => Full]
}

/// The text colour of `<wl-userinfo>` (`theme`): dark text unless the page is dark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardTheme {
    /// Dark text, for light pages.
    Light,
    /// Light text, for dark pages.
    Dark,
}

choice! {
    CardTheme, "theme", default ("light", Light),
    ["light" => Light, "dark" => Dark],
    // The sign-in button's other themes keep dark text here.
    aliases ["blue" => Light, "white" => Light]
}

/// Trims an optional text attribute; blank counts as absent.
pub fn non_blank(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim_ascii)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// What values an attribute takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// One of a fixed set ([`Choice`]): its canonical spellings, in the order offered, and the
    /// default. Aliases are accepted too but not listed.
    Choice {
        /// [`Choice::NAMES`].
        names: &'static [&'static str],
        /// [`Choice::DEFAULT_NAME`].
        default: &'static str,
    },
    /// A BCP 47 tag, matched on its primary language against the kit's locales
    /// ([`crate::i18n::Locale::TAGS`]); absent: the nearest `lang` in the page.
    Locale,
    /// A space-separated scope list, passed to `WL.login`.
    Scopes,
    /// `true` or `false` (an empty value or the attribute's own name count as `true`).
    Flag {
        /// The value when the attribute is absent.
        default: bool,
    },
    /// Free text (a label, an id, a URL or a global function name); blank counts as absent.
    Text,
}

impl Values {
    /// A valid value other than the default (for tests that a control reads every attribute of
    /// its table).
    pub fn example(self) -> &'static str {
        match self {
            Values::Choice { names, default } => {
                names.iter().find(|n| **n != default).copied().unwrap_or("")
            }
            Values::Locale => "fr",
            Values::Scopes => "wl.basic",
            Values::Flag { default: true } => "false",
            Values::Flag { default: false } => "true",
            Values::Text => "x",
        }
    }
}

/// One attribute a control reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The name as written in markup.
    pub name: &'static str,
    /// Its values.
    pub values: Values,
}

impl Attribute {
    /// An enumerated attribute from its [`Choice`] type.
    pub const fn choice<T: Choice>() -> Attribute {
        Attribute {
            name: T::ATTR,
            values: Values::Choice {
                names: T::NAMES,
                default: T::DEFAULT_NAME,
            },
        }
    }

    const fn new(name: &'static str, values: Values) -> Attribute {
        Attribute { name, values }
    }
}

/// The names of a table, in its order (a control's `observedAttributes`). `const`, so only the
/// names reach a control's wasm.
pub const fn names<const N: usize>(table: &[Attribute; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].name;
        i += 1;
    }
    out
}

/// `<wl-signin>`'s attributes.
pub mod signin {
    use super::{Attribute, Brand, ButtonType, Fallback, Mode, Shape, Size, Theme, Values};

    /// `brand`.
    pub const BRAND: Attribute = Attribute::choice::<Brand>();
    /// `type`.
    pub const TYPE: Attribute = Attribute::choice::<ButtonType>();
    /// `theme`.
    pub const THEME: Attribute = Attribute::choice::<Theme>();
    /// `size`.
    pub const SIZE: Attribute = Attribute::choice::<Size>();
    /// `shape`.
    pub const SHAPE: Attribute = Attribute::choice::<Shape>();
    /// `sign-in-text`: the page's own label while signed out.
    pub const SIGN_IN_TEXT: Attribute = Attribute::new("sign-in-text", Values::Text);
    /// `sign-out-text`: the page's own label while signed in.
    pub const SIGN_OUT_TEXT: Attribute = Attribute::new("sign-out-text", Values::Text);
    /// `signed-in-text`: the 2010 name of `sign-out-text`.
    pub const SIGNED_IN_TEXT: Attribute = Attribute::new("signed-in-text", Values::Text);
    /// `signed-out-text`: the 2010 name of `sign-in-text`.
    pub const SIGNED_OUT_TEXT: Attribute = Attribute::new("signed-out-text", Values::Text);
    /// `scope`.
    pub const SCOPE: Attribute = Attribute::new("scope", Values::Scopes);
    /// `locale`.
    pub const LOCALE: Attribute = Attribute::new("locale", Values::Locale);
    /// `fallback`.
    pub const FALLBACK: Attribute = Attribute::choice::<Fallback>();
    /// `mode`.
    pub const MODE: Attribute = Attribute::choice::<Mode>();
    /// `on-signin`: a global function called with the session after this button signed in.
    pub const ON_SIGNIN: Attribute = Attribute::new("on-signin", Values::Text);
    /// `on-signout`: a global function called after this button signed out.
    pub const ON_SIGNOUT: Attribute = Attribute::new("on-signout", Values::Text);

    /// Every attribute, in the order the control reads them.
    pub const ALL: [Attribute; 15] = [
        BRAND,
        TYPE,
        THEME,
        SIZE,
        SHAPE,
        SIGN_IN_TEXT,
        SIGN_OUT_TEXT,
        SIGNED_IN_TEXT,
        SIGNED_OUT_TEXT,
        SCOPE,
        LOCALE,
        FALLBACK,
        MODE,
        ON_SIGNIN,
        ON_SIGNOUT,
    ];
}

/// `<wl-userinfo>`'s attributes.
pub mod userinfo {
    use super::{Attribute, CardTheme, Layout, Values};

    /// `layout`.
    pub const LAYOUT: Attribute = Attribute::choice::<Layout>();
    /// `cid`: show this person (a friend) instead of the viewer.
    pub const CID: Attribute = Attribute::new("cid", Values::Text);
    /// `locale`.
    pub const LOCALE: Attribute = Attribute::new("locale", Values::Locale);
    /// `theme`.
    pub const THEME: Attribute = Attribute::choice::<CardTheme>();

    /// Every attribute, in the order the control reads them.
    pub const ALL: [Attribute; 4] = [LAYOUT, CID, LOCALE, THEME];
}

/// `<wl-bar>`'s attributes.
pub mod bar {
    use super::{Attribute, Theme, Values};

    /// `theme`.
    pub const THEME: Attribute = Attribute::choice::<Theme>();
    /// `locale`.
    pub const LOCALE: Attribute = Attribute::new("locale", Values::Locale);
    /// `sign-in-enabled`: offer sign-in on the bar while signed out.
    pub const SIGN_IN_ENABLED: Attribute =
        Attribute::new("sign-in-enabled", Values::Flag { default: true });
    /// `hide-first-run-experience`: never show the first-run tip.
    pub const HIDE_FIRST_RUN_EXPERIENCE: Attribute =
        Attribute::new("hide-first-run-experience", Values::Flag { default: false });
    /// `on-consent-completed`: a global function called with the session after the bar's sign-in.
    pub const ON_CONSENT_COMPLETED: Attribute =
        Attribute::new("on-consent-completed", Values::Text);
    /// `hub`: the messenger hub's WebSocket URL, when not from discovery.
    pub const HUB: Attribute = Attribute::new("hub", Values::Text);

    /// Every attribute.
    pub const ALL: [Attribute; 6] = [
        THEME,
        LOCALE,
        SIGN_IN_ENABLED,
        HIDE_FIRST_RUN_EXPERIENCE,
        ON_CONSENT_COMPLETED,
        HUB,
    ];
}

/// Every control's tag and attribute table.
pub const CONTROLS: [(&str, &[Attribute]); 3] = [
    ("wl-signin", &signin::ALL),
    ("wl-userinfo", &userinfo::ALL),
    ("wl-bar", &bar::ALL),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_and_blank_give_default_without_warning() {
        assert_eq!(parse_choice::<Theme>(None), (Theme::Blue, None));
        assert_eq!(parse_choice::<Theme>(Some("  ")), (Theme::Blue, None));
        assert_eq!(parse_choice::<Size>(None), (Size::Medium, None));
        assert_eq!(parse_choice::<Brand>(None), (Brand::Windows, None));
        assert_eq!(parse_choice::<ButtonType>(None), (ButtonType::Signin, None));
        assert_eq!(parse_choice::<Layout>(None), (Layout::Compact, None));
    }

    #[test]
    fn known_values_ignore_case_and_spaces() {
        assert_eq!(parse_choice::<Theme>(Some(" Dark ")).0, Theme::Dark);
        assert_eq!(parse_choice::<Shape>(Some("PILL")).0, Shape::Pill);
        assert_eq!(parse_choice::<Brand>(Some("messenger")).0, Brand::Messenger);
        assert_eq!(parse_choice::<Brand>(Some("none")).0, Brand::None);
        assert_eq!(
            parse_choice::<ButtonType>(Some("custom")).0,
            ButtonType::Custom
        );
        assert_eq!(
            parse_choice::<Fallback>(Some("redirect")).0,
            Fallback::Redirect
        );
        assert_eq!(parse_choice::<Layout>(Some("full")).0, Layout::Full);
    }

    #[test]
    fn aliases_map_to_canonical_values() {
        assert_eq!(parse_choice::<Brand>(Some("windowslive")).0, Brand::Windows);
        assert_eq!(Brand::Windows.name(), "windows");
        assert_eq!(Shape::Rect.name(), "rect");
    }

    #[test]
    fn unknown_value_warns_and_uses_default() {
        let (theme, warning) = parse_choice::<Theme>(Some("purple"));
        assert_eq!(theme, Theme::Blue);
        assert_eq!(
            warning,
            Some(Warning::UnknownValue {
                attr: "theme",
                value: "purple".into(),
                used: "blue"
            })
        );
        let (size, warning) = parse_choice::<Size>(Some("huge"));
        assert_eq!(size, Size::Medium);
        assert!(warning.is_some());
    }

    fn check<T: Choice + core::fmt::Debug>() {
        assert_eq!(T::DEFAULT.name(), T::DEFAULT_NAME, "{}", T::ATTR);
        assert!(T::NAMES.contains(&T::DEFAULT_NAME), "{}", T::ATTR);
        for n in T::NAMES {
            let (v, w) = parse_choice::<T>(Some(n));
            assert_eq!((v.name(), w), (*n, None), "{}", T::ATTR);
        }
        assert_eq!(T::SPELLINGS.len(), T::MEANINGS.len(), "{}", T::ATTR);
        assert_eq!(
            T::SPELLINGS.get(..T::NAMES.len()),
            Some(T::NAMES),
            "{}",
            T::ATTR
        );
        for (n, v) in T::SPELLINGS.iter().zip(T::MEANINGS) {
            assert!(T::NAMES.contains(&v.name()), "{} {n}", T::ATTR);
            assert_eq!(parse_choice::<T>(Some(n)).0, *v, "{} {n}", T::ATTR);
        }
    }

    #[test]
    fn names_are_the_canonical_spellings_and_cover_every_value() {
        check::<Brand>();
        check::<ButtonType>();
        check::<Theme>();
        check::<Size>();
        check::<Shape>();
        check::<Fallback>();
        check::<Mode>();
        check::<Layout>();
        check::<CardTheme>();
        assert_eq!(Brand::NAMES, ["windows", "messenger", "none"]);
        assert_eq!(Size::DEFAULT_NAME, "medium");
        assert_eq!(
            parse_choice::<CardTheme>(Some("blue")),
            (CardTheme::Light, None)
        );
    }

    #[test]
    fn tables_name_each_attribute_once() {
        for (tag, table) in CONTROLS {
            let mut n: Vec<_> = table.iter().map(|a| a.name).collect();
            n.sort_unstable();
            n.dedup();
            assert_eq!(n.len(), table.len(), "{tag}");
        }
        assert_eq!(names(&userinfo::ALL), ["layout", "cid", "locale", "theme"]);
    }

    #[test]
    fn non_blank_trims() {
        assert_eq!(non_blank(Some("  hi ")), Some("hi".into()));
        assert_eq!(non_blank(Some("   ")), None);
        assert_eq!(non_blank(None), None);
    }
}
