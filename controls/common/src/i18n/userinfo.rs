//! `<wl-userinfo>`'s label.

use super::Locale;

impl Locale {
    /// The second line of a full `<wl-userinfo>` for the viewer themself ("Signed in").
    pub fn signed_in(self) -> &'static str {
        match self {
            Locale::En => "Signed in",
            Locale::Fr => "Connect\u{e9}",
            Locale::De => "Angemeldet",
            Locale::Es => "Sesi\u{f3}n iniciada",
            Locale::It => "Accesso eseguito",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_in_in_every_language() {
        assert_eq!(Locale::En.signed_in(), "Signed in");
        for l in Locale::ALL {
            assert!(!l.signed_in().is_empty());
        }
    }
}
