//! Developer warnings (printed with `console.warn`) and the controls' error type.

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

/// A failure the controls report in a `wl-error` event as `{ code, message }`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// `window.WL` is missing or threw synchronously.
    #[error("window.WL is not available: load wl.js before using the controls")]
    NoLoader,
    /// The core rejected a call with its own `{ code, message }`.
    #[error("{code}: {message}")]
    Core {
        /// The core's stable code (`access_denied`, `popup_blocked`, …).
        code: String,
        /// The core's message.
        message: String,
    },
}

impl ControlError {
    /// The stable code: the core's own, or `invalid_request` when the loader is missing (the
    /// code the core itself uses for "configure the loader first").
    pub fn code(&self) -> &str {
        match self {
            ControlError::NoLoader => "invalid_request",
            ControlError::Core { code, .. } => code,
        }
    }

    /// The human-readable message (no `core::fmt`).
    pub fn message(&self) -> &str {
        match self {
            ControlError::NoLoader => {
                "window.WL is not available: load wl.js before using the controls"
            }
            ControlError::Core { message, .. } => message,
        }
    }

    /// Builds the error from a code and message the core gave; a missing code becomes
    /// `connection_failed` (what the core reports for failures it did not classify).
    pub fn from_parts(code: Option<String>, message: Option<String>) -> Self {
        let code = code
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "connection_failed".to_owned());
        let message = message.unwrap_or_else(|| code.clone());
        ControlError::Core { code, message }
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

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(ControlError::NoLoader.code(), "invalid_request");
        let e = ControlError::from_parts(Some("popup_blocked".into()), Some("blocked".into()));
        assert_eq!(e.code(), "popup_blocked");
        assert_eq!(e.message(), "blocked");
        assert_eq!(e.to_string(), "popup_blocked: blocked");
        let e = ControlError::from_parts(None, None);
        assert_eq!(e.code(), "connection_failed");
        assert_eq!(e.message(), "connection_failed");
    }
}
