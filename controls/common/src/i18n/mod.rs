//! The kit's languages: one [`Locale`] (English, French, German, Spanish and Italian, matched on
//! a tag's primary language subtag, `fr-CA` → French; anything else falls back to English), and a
//! label table per control: [`signin`], [`userinfo`], [`bar`]. Pure.

pub mod bar;
pub mod signin;
pub mod userinfo;

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
        let i = Locale::TAGS
            .iter()
            .position(|n| n.eq_ignore_ascii_case(primary))?;
        Locale::ALL.get(i).copied()
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
}

/// The language to render in: the element's `locale`, else the nearest `lang` in the page,
/// else English.
pub fn resolve_locale(locale_attr: Option<&str>, page_lang: Option<&str>) -> Locale {
    locale_attr
        .and_then(Locale::from_tag)
        .or_else(|| page_lang.and_then(Locale::from_tag))
        .unwrap_or(Locale::En)
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
}
