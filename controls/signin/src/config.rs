//! `<wl-signin>`'s attributes as typed configuration (read from its table,
//! [`attrs::signin`]), and what the button shows. Pure, tested natively.

use wl_controls_common::attrs::{
    self, Brand, ButtonType, Choice, Fallback, Mode, Shape, Size, Theme, non_blank, set_choice,
    set_locale,
};
use wl_controls_common::i18n::Locale;
use wl_controls_common::i18n::signin::{Label, button_label};
use wl_controls_common::warning::Warning;

/// The attributes of `<wl-signin>`.
///
/// Legacy 2010 names: `signed-out-text` is the text shown while signed **out** (so it is the
/// sign-in label) and `signed-in-text` the text shown while signed **in** (the sign-out label).
/// The new names win when both are given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninConfig {
    /// `brand`.
    pub brand: Brand,
    /// `type`.
    pub kind: ButtonType,
    /// `theme`.
    pub theme: Theme,
    /// `size`.
    pub size: Size,
    /// `shape`.
    pub shape: Shape,
    /// `sign-in-text`.
    pub sign_in_text: Option<String>,
    /// `sign-out-text`.
    pub sign_out_text: Option<String>,
    /// `signed-out-text` (legacy sign-in label).
    pub legacy_signed_out_text: Option<String>,
    /// `signed-in-text` (legacy sign-out label).
    pub legacy_signed_in_text: Option<String>,
    /// `scope`, passed to `WL.login` as given.
    pub scope: Option<String>,
    /// `locale`.
    pub locale: Option<String>,
    /// `fallback`.
    pub fallback: Fallback,
    /// `mode`.
    pub mode: Mode,
    /// `on-signin`: a global function called with the session after this button signed in.
    pub on_signin: Option<String>,
    /// `on-signout`: a global function called after this button signed out.
    pub on_signout: Option<String>,
}

impl Default for SigninConfig {
    fn default() -> Self {
        SigninConfig {
            brand: Brand::DEFAULT,
            kind: ButtonType::DEFAULT,
            theme: Theme::DEFAULT,
            size: Size::DEFAULT,
            shape: Shape::DEFAULT,
            sign_in_text: None,
            sign_out_text: None,
            legacy_signed_out_text: None,
            legacy_signed_in_text: None,
            scope: None,
            locale: None,
            fallback: Fallback::DEFAULT,
            mode: Mode::DEFAULT,
            on_signin: None,
            on_signout: None,
        }
    }
}

impl SigninConfig {
    /// Every attribute `<wl-signin>` reads (the bootstrap's `observedAttributes`), from its
    /// table ([`attrs::signin`]).
    pub const ATTRIBUTES: &'static [&'static str] = &attrs::names(&attrs::signin::ALL);

    /// Applies one attribute. Unknown attribute names are ignored.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> Option<Warning> {
        match name {
            "brand" => set_choice(&mut self.brand, value),
            "type" => set_choice(&mut self.kind, value),
            "theme" => set_choice(&mut self.theme, value),
            "size" => set_choice(&mut self.size, value),
            "shape" => set_choice(&mut self.shape, value),
            "fallback" => set_choice(&mut self.fallback, value),
            "mode" => set_choice(&mut self.mode, value),
            "locale" => set_locale(&mut self.locale, value),
            _ => {
                let slot = match name {
                    "sign-in-text" => &mut self.sign_in_text,
                    "sign-out-text" => &mut self.sign_out_text,
                    "signed-out-text" => &mut self.legacy_signed_out_text,
                    "signed-in-text" => &mut self.legacy_signed_in_text,
                    "scope" => &mut self.scope,
                    "on-signin" => &mut self.on_signin,
                    "on-signout" => &mut self.on_signout,
                    _ => return None,
                };
                *slot = non_blank(value);
                None
            }
        }
    }

    /// The page's sign-in text (new name first, then the legacy one).
    pub fn custom_sign_in_text(&self) -> Option<&str> {
        self.sign_in_text
            .as_deref()
            .or(self.legacy_signed_out_text.as_deref())
    }

    /// The page's sign-out text (new name first, then the legacy one).
    pub fn custom_sign_out_text(&self) -> Option<&str> {
        self.sign_out_text
            .as_deref()
            .or(self.legacy_signed_in_text.as_deref())
    }

    /// Warnings for `type="custom"` without its texts (empty otherwise).
    pub fn custom_text_warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        if self.kind == ButtonType::Custom {
            if self.custom_sign_in_text().is_none() {
                out.push(Warning::MissingCustomText {
                    attr: "sign-in-text",
                });
            }
            if self.custom_sign_out_text().is_none() {
                out.push(Warning::MissingCustomText {
                    attr: "sign-out-text",
                });
            }
        }
        out
    }

    /// The button's CSS classes: theme, size, shape and brand.
    pub fn classes(&self) -> String {
        let mut c = String::with_capacity(48);
        c.push_str("b t-");
        c.push_str(self.theme.name());
        c.push_str(" s-");
        c.push_str(self.size.name());
        c.push_str(" p-");
        c.push_str(self.shape.name());
        c.push_str(" g-");
        c.push_str(self.brand.name());
        c
    }
}

/// What the sign-in button is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for a click.
    Idle,
    /// `WL.login` is pending (the popup is open).
    SigningIn,
    /// `WL.logout` is pending.
    SigningOut,
    /// The last login failed with `popup_blocked`; the next click retries.
    PopupBlocked,
    /// The last login or logout could not reach the provider (`connection_failed`,
    /// `timed_out`); the next click retries.
    Unreachable,
}

/// The label of the sign-in button.
///
/// The page's texts (`sign-in-text`, `sign-out-text` or their 2010 names) replace the idle labels
/// whatever the type; pending and blocked states always use the built-in, translated texts.
pub fn signin_label(cfg: &SigninConfig, signed_in: bool, phase: Phase, locale: Locale) -> &str {
    match phase {
        Phase::SigningIn => locale.text(Label::SigningIn),
        Phase::SigningOut => locale.text(Label::SigningOut),
        Phase::PopupBlocked => locale.text(Label::PopupBlocked),
        Phase::Unreachable => locale.text(Label::Unreachable),
        Phase::Idle => {
            // The page's own text wins with any type (2010 pages set `signed-in-text` without a
            // type); `type="custom"` only makes it required.
            let custom = if signed_in {
                cfg.custom_sign_out_text()
            } else {
                cfg.custom_sign_in_text()
            };
            custom.unwrap_or_else(|| locale.text(button_label(cfg.kind, signed_in)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(attrs: &[(&str, &str)]) -> (SigninConfig, Vec<Warning>) {
        let mut c = SigninConfig::default();
        let mut w: Vec<Warning> = attrs
            .iter()
            .filter_map(|(n, v)| c.set(n, Some(v)))
            .collect();
        w.extend(c.custom_text_warnings());
        (c, w)
    }

    #[test]
    fn every_attribute_of_the_table_is_read() {
        for a in attrs::signin::ALL {
            let mut c = SigninConfig::default();
            assert_eq!(c.set(a.name, Some(a.values.example())), None, "{}", a.name);
            assert_ne!(c, SigninConfig::default(), "{} is not read", a.name);
        }
    }

    #[test]
    fn defaults() {
        let (c, w) = cfg(&[]);
        assert!(w.is_empty());
        assert_eq!(c.classes(), "b t-blue s-medium p-rect g-windows");
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "Sign in");
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::En), "Sign out");
    }

    #[test]
    fn classes_follow_attributes() {
        let (c, w) = cfg(&[
            ("theme", "dark"),
            ("size", "large"),
            ("shape", "pill"),
            ("brand", "messenger"),
        ]);
        assert!(w.is_empty());
        assert_eq!(c.classes(), "b t-dark s-large p-pill g-messenger");
    }

    #[test]
    fn unknown_values_warn_and_fall_back() {
        let (c, w) = cfg(&[("theme", "neon"), ("type", "frobnicate")]);
        assert_eq!(c.theme, Theme::Blue);
        assert_eq!(c.kind, ButtonType::Signin);
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn types_and_locales() {
        let (c, _) = cfg(&[("type", "login")]);
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "Log in");
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::De), "Ausloggen");
        let (c, _) = cfg(&[("type", "connect")]);
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "Connect");
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::En), "Sign out");
        assert_eq!(
            signin_label(&c, false, Phase::SigningIn, Locale::Fr),
            "Connexion…"
        );
    }

    #[test]
    fn custom_texts_and_warnings() {
        let (c, w) = cfg(&[
            ("type", "custom"),
            ("sign-in-text", "Join us"),
            ("sign-out-text", "Leave"),
        ]);
        assert!(w.is_empty());
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "Join us");
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::En), "Leave");
        // Pending and blocked states keep the built-in texts.
        assert_eq!(
            signin_label(&c, false, Phase::PopupBlocked, Locale::En),
            "Pop-up blocked — click to try again"
        );
        assert_eq!(
            signin_label(&c, false, Phase::Unreachable, Locale::En),
            "Can’t connect — click to try again"
        );

        let (c, w) = cfg(&[("type", "custom"), ("sign-in-text", "Join us")]);
        assert_eq!(
            w,
            vec![Warning::MissingCustomText {
                attr: "sign-out-text"
            }]
        );
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::En), "Sign out");

        // The page's texts apply with any type (only type="custom" requires them).
        let (c, w) = cfg(&[("type", "login"), ("sign-in-text", "Join us")]);
        assert!(w.is_empty());
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "Join us");
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::En), "Log out");
    }

    #[test]
    fn legacy_text_names_without_a_type() {
        // As on a 2010 page: no type attribute at all.
        let (c, w) = cfg(&[
            ("signed-in-text", "Sign out of Contoso"),
            ("signed-out-text", "Sign in with Windows Live"),
        ]);
        assert!(w.is_empty());
        assert_eq!(
            signin_label(&c, false, Phase::Idle, Locale::En),
            "Sign in with Windows Live"
        );
        assert_eq!(
            signin_label(&c, true, Phase::Idle, Locale::En),
            "Sign out of Contoso"
        );
    }

    #[test]
    fn legacy_text_names() {
        let (c, w) = cfg(&[
            ("type", "custom"),
            ("signed-out-text", "Come in"),
            ("signed-in-text", "Go away"),
        ]);
        assert!(w.is_empty());
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "Come in");
        assert_eq!(signin_label(&c, true, Phase::Idle, Locale::En), "Go away");
        let (c, _) = cfg(&[
            ("type", "custom"),
            ("signed-out-text", "Old"),
            ("sign-in-text", "New"),
        ]);
        assert_eq!(signin_label(&c, false, Phase::Idle, Locale::En), "New");
    }

    #[test]
    fn login_options() {
        let (c, w) = cfg(&[("fallback", "redirect"), ("mode", "redirect")]);
        assert!(w.is_empty());
        assert_eq!(c.fallback, Fallback::Redirect);
        assert_eq!(c.mode, Mode::Redirect);
        let (c, w) = cfg(&[("mode", "iframe")]);
        assert_eq!(c.mode, Mode::Popup);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn removing_an_attribute_restores_the_default() {
        let mut c = SigninConfig::default();
        c.set("theme", Some("dark"));
        c.set("theme", None);
        assert_eq!(c.theme, Theme::Blue);
        c.set("scope", Some("wl.basic wl.emails"));
        assert_eq!(c.scope.as_deref(), Some("wl.basic wl.emails"));
        c.set("scope", Some(" "));
        assert_eq!(c.scope, None);
        assert_eq!(c.set("nonsense", Some("x")), None);
    }

    #[test]
    fn locale_attribute() {
        let mut c = SigninConfig::default();
        assert!(c.set("locale", Some("xx")).is_some());
        assert!(c.set("locale", Some("it")).is_none());
    }
}
