//! Developer warnings (printed with `console.warn`).

/// Something a page author got wrong; the control carries on with a sensible default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// An enumerated attribute had a value outside its set.
    UnknownValue {
        /// The attribute.
        attr: &'static str,
        /// What the page wrote.
        value: String,
        /// The value used instead.
        used: &'static str,
    },
    /// `type="custom"` without the text it needs.
    MissingCustomText {
        /// The missing attribute (`sign-in-text` or `sign-out-text`).
        attr: &'static str,
    },
    /// `locale` named a language the controls have no labels for.
    UnsupportedLocale {
        /// What the page wrote.
        value: String,
    },
}

impl Warning {
    /// The console message, prefixed by the element's tag name.
    ///
    /// Built by concatenation rather than `format!` to keep `core::fmt` out of the wasm.
    pub fn message(&self, tag: &str) -> String {
        let mut m = String::with_capacity(96);
        m.push('<');
        m.push_str(tag);
        m.push_str(">: ");
        match self {
            Warning::UnknownValue { attr, value, used } => {
                m.push_str("unknown ");
                m.push_str(attr);
                m.push_str(" \"");
                m.push_str(value);
                m.push_str("\"; using \"");
                m.push_str(used);
                m.push('"');
            }
            Warning::MissingCustomText { attr } => {
                m.push_str("type=\"custom\" needs a ");
                m.push_str(attr);
                m.push_str(" attribute; using the default label");
            }
            Warning::UnsupportedLocale { value } => {
                m.push_str("no labels for locale \"");
                m.push_str(value);
                m.push_str("\"; using English");
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_tag_attr_and_fallback() {
        let w = Warning::UnknownValue {
            attr: "theme",
            value: "purple".into(),
            used: "blue",
        };
        assert_eq!(
            w.message("wl-signin"),
            "<wl-signin>: unknown theme \"purple\"; using \"blue\""
        );
        let w = Warning::MissingCustomText {
            attr: "sign-in-text",
        };
        assert!(w.message("wl-signin").contains("sign-in-text"));
        let w = Warning::UnsupportedLocale { value: "xx".into() };
        assert!(w.message("wl-userinfo").contains("\"xx\""));
    }
}
