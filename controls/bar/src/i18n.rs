//! The bar's labels: its table is the kit's (`wl_controls_common::i18n::bar`, every language of
//! the kit's `Locale`); here the placeholders are filled and presences named. Pure, tested
//! natively.

pub use wl_controls_common::i18n::bar::{Labels, labels, of};

use crate::protocol::Presence;

/// Replaces each `{}` in `template` with the next value.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut values = values.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(values.next().copied().unwrap_or_default());
        rest = rest.get(i + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The name of a presence in a label table.
pub trait PresenceName {
    /// A presence's name.
    fn presence(&self, p: Presence) -> &'static str;
}

impl PresenceName for Labels {
    /// A presence's name.
    fn presence(&self, p: Presence) -> &'static str {
        match p {
            Presence::Available => self.available,
            Presence::Busy => self.busy,
            Presence::Away => self.away,
            Presence::AppearOffline => self.appear_offline,
            Presence::Offline => self.offline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wl_controls_common::i18n::Locale;

    #[test]
    fn fills_placeholders_in_order() {
        assert_eq!(
            fill(of(Locale::En).new_message, &["Bob", "hi {}"]),
            "New message from Bob: hi {}"
        );
        assert_eq!(fill("{} and {}", &["a"]), "a and ");
        assert_eq!(fill("none", &["a"]), "none");
    }

    #[test]
    fn every_language_has_every_presence() {
        for l in Locale::ALL {
            for p in Presence::CHOICES {
                assert!(!of(l).presence(p).is_empty());
            }
        }
    }
}
