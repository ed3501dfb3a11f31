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
    // Found bytewise: `str::find` with a string pattern links `core::fmt` for its slicing errors.
    while let Some(i) = rest.as_bytes().windows(2).position(|w| w == b"{}") {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(values.next().copied().unwrap_or_default());
        rest = rest.get(i + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The digits of `n` in base `radix` (2 to 36, lower case), without `core::fmt`.
pub fn digits(mut n: u64, radix: u64) -> String {
    let radix = radix.clamp(2, 36);
    let mut out = Vec::new();
    loop {
        out.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % radix) as usize]);
        n /= radix;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `n` in decimal, without `core::fmt`.
pub fn decimal(n: u64) -> String {
    digits(n, 10)
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
    fn digits_match_core_fmt() {
        for n in [0, 1, 9, 10, 255, 1000, 2_176_782_335, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
            assert_eq!(digits(n, 16), format!("{n:x}"));
        }
        assert_eq!(digits(35, 36), "z");
        assert_eq!(digits(36, 36), "10");
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
