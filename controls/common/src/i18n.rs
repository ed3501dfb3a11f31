//! Translated labels. Pure.
//!
//! English, French, German, Spanish and Italian. A locale is matched on its primary language
//! subtag (`fr-CA` → French); anything else falls back to English.

use crate::attrs::ButtonType;

/// A language the controls have labels for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    /// English (the fallback).
    En,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Italian.
    It,
}

/// A label the controls show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// "Sign in".
    SignIn,
    /// "Sign out".
    SignOut,
    /// "Log in".
    LogIn,
    /// "Log out".
    LogOut,
    /// "Connect".
    Connect,
    /// Shown while the sign-in popup is open.
    SigningIn,
    /// Shown while signing out.
    SigningOut,
    /// Shown after the browser blocked the popup; the next click retries.
    PopupBlocked,
    /// The second line of a full `<wl-userinfo>` for the viewer themself.
    SignedIn,
}

impl Locale {
    /// Every language, English first.
    pub const ALL: [Locale; 5] = [Locale::En, Locale::Fr, Locale::De, Locale::Es, Locale::It];

    /// The tag of every language, in [`Locale::ALL`]'s order.
    pub const TAGS: [&'static str; 5] = {
        let mut out = [""; 5];
        let mut i = 0;
        while i < 5 {
            out[i] = Locale::ALL[i].tag();
            i += 1;
        }
        out
    };

    /// Matches a BCP 47 tag (`fr`, `fr-FR`, `de_CH`, `EN-us`) on its primary language.
    /// `None` when there are no labels for that language.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        // Byte-wise (ASCII) on purpose: no char decoding in the wasm.
        let tag = tag.trim_ascii();
        let end = tag.bytes().position(|b| b == b'-' || b == b'_');
        let primary = end.and_then(|e| tag.get(..e)).unwrap_or(tag);
        let all = [
            ("en", Locale::En),
            ("fr", Locale::Fr),
            ("de", Locale::De),
            ("es", Locale::Es),
            ("it", Locale::It),
        ];
        all.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(primary))
            .map(|(_, l)| *l)
    }

    /// The BCP 47 language tag, for the `lang` attribute of rendered text.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Es => "es",
            Locale::It => "it",
        }
    }

    /// The text of `label` in this language.
    pub fn text(self, label: Label) -> &'static str {
        use Label::*;
        match self {
            Locale::En => match label {
                SignIn => "Sign in",
                SignOut => "Sign out",
                LogIn => "Log in",
                LogOut => "Log out",
                Connect => "Connect",
                SigningIn => "Signing in\u{2026}",
                SigningOut => "Signing out\u{2026}",
                PopupBlocked => "Pop-up blocked \u{2014} click to try again",
                SignedIn => "Signed in",
            },
            Locale::Fr => match label {
                SignIn => "Se connecter",
                SignOut => "Se d\u{e9}connecter",
                LogIn => "Connexion",
                LogOut => "D\u{e9}connexion",
                Connect => "Connecter",
                SigningIn => "Connexion\u{2026}",
                SigningOut => "D\u{e9}connexion\u{2026}",
                PopupBlocked => "Fen\u{ea}tre bloqu\u{e9}e \u{2014} cliquez pour r\u{e9}essayer",
                SignedIn => "Connect\u{e9}",
            },
            Locale::De => match label {
                SignIn => "Anmelden",
                SignOut => "Abmelden",
                LogIn => "Einloggen",
                LogOut => "Ausloggen",
                Connect => "Verbinden",
                SigningIn => "Anmeldung\u{2026}",
                SigningOut => "Abmeldung\u{2026}",
                PopupBlocked => "Pop-up blockiert \u{2014} zum Wiederholen klicken",
                SignedIn => "Angemeldet",
            },
            Locale::Es => match label {
                SignIn => "Iniciar sesi\u{f3}n",
                SignOut => "Cerrar sesi\u{f3}n",
                LogIn => "Entrar",
                LogOut => "Salir",
                Connect => "Conectar",
                SigningIn => "Iniciando sesi\u{f3}n\u{2026}",
                SigningOut => "Cerrando sesi\u{f3}n\u{2026}",
                PopupBlocked => "Ventana emergente bloqueada \u{2014} haga clic para reintentar",
                SignedIn => "Sesi\u{f3}n iniciada",
            },
            Locale::It => match label {
                SignIn => "Accedi",
                SignOut => "Esci",
                LogIn => "Entra",
                LogOut => "Esci",
                Connect => "Connetti",
                SigningIn => "Accesso in corso\u{2026}",
                SigningOut => "Uscita in corso\u{2026}",
                PopupBlocked => "Popup bloccato \u{2014} fai clic per riprovare",
                SignedIn => "Accesso eseguito",
            },
        }
    }
}

/// The language to render in: the element's `locale`, else the nearest `lang` in the page,
/// else English.
pub fn resolve_locale(locale_attr: Option<&str>, page_lang: Option<&str>) -> Locale {
    locale_attr
        .and_then(Locale::from_tag)
        .or_else(|| page_lang.and_then(Locale::from_tag))
        .unwrap_or(Locale::En)
}

/// The built-in label of a sign-in button of `kind` (for `Custom`, the sign-in pair's label,
/// used when the page's own text is missing).
pub fn button_label(kind: ButtonType, signed_in: bool) -> Label {
    match (kind, signed_in) {
        (ButtonType::Login, false) => Label::LogIn,
        (ButtonType::Login, true) => Label::LogOut,
        (ButtonType::Connect, false) => Label::Connect,
        (_, false) => Label::SignIn,
        (_, true) => Label::SignOut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_on_primary_language() {
        assert_eq!(Locale::from_tag("fr"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("fr-CA"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("DE_ch"), Some(Locale::De));
        assert_eq!(Locale::from_tag(" en-US "), Some(Locale::En));
        assert_eq!(Locale::from_tag("es-419"), Some(Locale::Es));
        assert_eq!(Locale::from_tag("it"), Some(Locale::It));
        assert_eq!(Locale::from_tag("ja"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn locale_resolution() {
        assert_eq!(resolve_locale(Some("fr-CA"), Some("de")), Locale::Fr);
        assert_eq!(resolve_locale(None, Some("de-AT")), Locale::De);
        assert_eq!(resolve_locale(Some("xx"), Some("es")), Locale::Es);
        assert_eq!(resolve_locale(None, None), Locale::En);
    }

    #[test]
    fn labels_per_type() {
        let en = Locale::En;
        assert_eq!(en.text(button_label(ButtonType::Signin, false)), "Sign in");
        assert_eq!(en.text(button_label(ButtonType::Signin, true)), "Sign out");
        assert_eq!(en.text(button_label(ButtonType::Login, false)), "Log in");
        assert_eq!(en.text(button_label(ButtonType::Login, true)), "Log out");
        assert_eq!(en.text(button_label(ButtonType::Connect, false)), "Connect");
        assert_eq!(en.text(button_label(ButtonType::Connect, true)), "Sign out");
        assert_eq!(en.text(button_label(ButtonType::Custom, false)), "Sign in");
    }

    #[test]
    fn labels_are_translated() {
        assert_eq!(Locale::Fr.text(Label::SignIn), "Se connecter");
        assert_eq!(Locale::Fr.text(Label::SignOut), "Se déconnecter");
        assert_eq!(Locale::De.text(Label::SignIn), "Anmelden");
        assert_eq!(Locale::De.text(Label::SignOut), "Abmelden");
        assert_eq!(Locale::Es.text(Label::SignIn), "Iniciar sesión");
        assert_eq!(Locale::It.text(Label::SignIn), "Accedi");
        assert_eq!(
            Locale::En.text(Label::PopupBlocked),
            "Pop-up blocked — click to try again"
        );
    }

    #[test]
    fn every_label_is_non_empty_in_every_language() {
        let labels = [
            Label::SignIn,
            Label::SignOut,
            Label::LogIn,
            Label::LogOut,
            Label::Connect,
            Label::SigningIn,
            Label::SigningOut,
            Label::PopupBlocked,
            Label::SignedIn,
        ];
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
            for label in labels {
                assert!(!l.text(label).is_empty());
            }
        }
    }
}
