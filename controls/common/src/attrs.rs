//! Attribute values of the controls, parsed into enums with defaults.
//!
//! Pure: no browser needed. An unknown value yields the default plus a [`Warning`] that the DOM
//! layer prints with `console.warn`.

use crate::warning::Warning;

/// An enumerated attribute: a fixed set of lower-case names, one of them the default.
pub trait Choice: Copy + PartialEq + 'static {
    /// The attribute's name, for warnings.
    const ATTR: &'static str;
    /// Every accepted spelling and the value it means (aliases allowed).
    const VALUES: &'static [(&'static str, Self)];
    /// The value used when the attribute is absent, empty or unknown.
    const DEFAULT: Self;

    /// The canonical name of the value (the first spelling listed for it).
    fn name(self) -> &'static str {
        Self::VALUES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(n, _)| n)
    }
}

/// Parses an attribute value: absent or blank gives the default silently; an unknown value
/// gives the default and a warning. Matching ignores ASCII case and surrounding spaces.
pub fn parse_choice<T: Choice>(value: Option<&str>) -> (T, Option<Warning>) {
    let Some(raw) = value else {
        return (T::DEFAULT, None);
    };
    let v = raw.trim_ascii();
    if v.is_empty() {
        return (T::DEFAULT, None);
    }
    match T::VALUES.iter().find(|(n, _)| n.eq_ignore_ascii_case(v)) {
        Some((_, found)) => (*found, None),
        None => (
            T::DEFAULT,
            Some(Warning::UnknownValue {
                attr: T::ATTR,
                value: raw.to_owned(),
                used: T::DEFAULT.name(),
            }),
        ),
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

impl Choice for Brand {
    const ATTR: &'static str = "brand";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("windows", Brand::Windows),
        ("messenger", Brand::Messenger),
        ("none", Brand::None),
        // 2010 spellings.
        ("windowslive", Brand::Windows),
        ("live", Brand::Windows),
    ];
    const DEFAULT: Self = Brand::Windows;
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

impl Choice for ButtonType {
    const ATTR: &'static str = "type";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("signin", ButtonType::Signin),
        ("login", ButtonType::Login),
        ("connect", ButtonType::Connect),
        ("custom", ButtonType::Custom),
    ];
    const DEFAULT: Self = ButtonType::Signin;
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

impl Choice for Theme {
    const ATTR: &'static str = "theme";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("blue", Theme::Blue),
        ("white", Theme::White),
        ("dark", Theme::Dark),
        ("light", Theme::Light),
    ];
    const DEFAULT: Self = Theme::Blue;
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

impl Choice for Size {
    const ATTR: &'static str = "size";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("small", Size::Small),
        ("medium", Size::Medium),
        ("large", Size::Large),
    ];
    const DEFAULT: Self = Size::Medium;
}

/// The corners of the sign-in button (`shape`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Slightly rounded rectangle (`--wl-radius`).
    Rect,
    /// Fully rounded ends.
    Pill,
}

impl Choice for Shape {
    const ATTR: &'static str = "shape";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("rect", Shape::Rect),
        ("pill", Shape::Pill),
        ("rectangle", Shape::Rect),
    ];
    const DEFAULT: Self = Shape::Rect;
}

/// What the core may do when the popup cannot open (`fallback`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Report `popup_blocked`; the button offers a retry.
    None,
    /// Let the core fall back to a full-page redirect.
    Redirect,
}

impl Choice for Fallback {
    const ATTR: &'static str = "fallback";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("none", Fallback::None),
        ("redirect", Fallback::Redirect),
        ("popup", Fallback::None),
    ];
    const DEFAULT: Self = Fallback::None;
}

/// How the core signs in (`mode`): the popup, or straight to a full-page redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The popup consent flow.
    Popup,
    /// A full-page redirect (no popup at all).
    Redirect,
}

impl Choice for Mode {
    const ATTR: &'static str = "mode";
    const VALUES: &'static [(&'static str, Self)] =
        &[("popup", Mode::Popup), ("redirect", Mode::Redirect)];
    const DEFAULT: Self = Mode::Popup;
}

/// The arrangement of `<wl-userinfo>` (`layout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A small picture and the name on one line.
    Compact,
    /// A bigger picture, the name, and a second line.
    Full,
}

impl Choice for Layout {
    const ATTR: &'static str = "layout";
    const VALUES: &'static [(&'static str, Self)] =
        &[("compact", Layout::Compact), ("full", Layout::Full)];
    const DEFAULT: Self = Layout::Compact;
}

/// Trims an optional text attribute; blank counts as absent.
pub fn non_blank(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim_ascii)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

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

    #[test]
    fn non_blank_trims() {
        assert_eq!(non_blank(Some("  hi ")), Some("hi".into()));
        assert_eq!(non_blank(Some("   ")), None);
        assert_eq!(non_blank(None), None);
    }
}
