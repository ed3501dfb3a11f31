//! `<wl-signin>`'s labels.

use super::Locale;
use crate::attrs::ButtonType;

/// A label of `<wl-signin>`.
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
    /// Shown after the provider could not be reached (`connection_failed`, `timed_out`); the
    /// next click retries.
    Unreachable,
}

impl Locale {
    /// The text of `<wl-signin>`'s `label` in this language.
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
                Unreachable => "Can\u{2019}t connect \u{2014} click to try again",
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
                Unreachable => "Connexion impossible \u{2014} cliquez pour r\u{e9}essayer",
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
                Unreachable => "Keine Verbindung \u{2014} zum Wiederholen klicken",
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
                Unreachable => "Sin conexi\u{f3}n \u{2014} haga clic para reintentar",
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
                Unreachable => "Connessione non riuscita \u{2014} fai clic per riprovare",
            },
        }
    }
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
        assert_eq!(
            Locale::En.text(Label::Unreachable),
            "Can’t connect — click to try again"
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
            Label::Unreachable,
        ];
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
            for label in labels {
                assert!(!l.text(label).is_empty());
            }
        }
    }
}
