//! What `<wl-userinfo>` shows of a person, from the fields of `WL.api("me")` (or a `cid`): the
//! Live-style data API's `GET /v1/me`, or, on a provider without one, the same fields the core
//! maps from the ID token and `userinfo_endpoint` (`name`, `given_name` → `first_name`,
//! `family_name` → `last_name`, `picture`; `src/userinfo.rs`). Pure. Every field is provider
//! text: the DOM layer sets it with `textContent` only.

use crate::i18n::Locale;

/// The fields the control reads (`name`, `first_name`, `last_name`, `picture`, `status`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonFields {
    /// `name`.
    pub name: Option<String>,
    /// `first_name`.
    pub first_name: Option<String>,
    /// `last_name`.
    pub last_name: Option<String>,
    /// `picture` (absolute URL).
    pub picture: Option<String>,
    /// `status` (presence or a status message, where the provider has one).
    pub status: Option<String>,
}

/// What is rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The display name.
    pub name: String,
    /// The picture URL, only `https:`/`http:` (anything else is dropped).
    pub picture: Option<String>,
    /// The second line of the full layout ("" for none).
    pub detail: String,
    /// The monogram shown when there is no picture (first letter of the name, ASCII upper-cased).
    pub initial: String,
    /// Which monogram colour class (`c0`…`c5`), stable for a given name.
    pub colour: u8,
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.filter(|v| !v.trim_ascii().is_empty())
}

impl Profile {
    /// Builds what to show. `is_viewer`: the signed-in person themself (no `cid`), whose second
    /// line falls back to "Signed in".
    pub fn new(f: PersonFields, is_viewer: bool, locale: Locale) -> Profile {
        let first = blank_to_none(f.first_name);
        let last = blank_to_none(f.last_name);
        let full_name = match (&first, &last) {
            // Not `[a, b].join(" ")`: its overflow `expect` and slice copies link std's number
            // formatting into the wasm (about 1 KB).
            (Some(a), Some(b)) => {
                let mut full = String::with_capacity(a.len() + 1 + b.len());
                full.push_str(a);
                full.push(' ');
                full.push_str(b);
                Some(full)
            }
            (Some(a), None) | (None, Some(a)) => Some(a.clone()),
            (None, None) => None,
        };
        let name = blank_to_none(f.name)
            .or_else(|| full_name.clone())
            .unwrap_or_default();
        let detail = match (blank_to_none(f.status), full_name) {
            (Some(s), _) => s,
            (None, Some(full)) if full != name => full,
            _ if is_viewer => locale.signed_in().to_owned(),
            _ => String::new(),
        };
        let picture = blank_to_none(f.picture).filter(|p| {
            let lower = p.get(..8).unwrap_or(p).to_ascii_lowercase();
            lower.starts_with("https://") || lower.starts_with("http://")
        });
        // The first character as a string slice, its length from its UTF-8 lead byte (no `char`
        // decoding or encoding: less wasm).
        let first = match name.bytes().next() {
            None => 0,
            Some(b) if b < 0x80 => 1,
            Some(b) if b >= 0xF0 => 4,
            Some(b) if b >= 0xE0 => 3,
            Some(_) => 2,
        };
        let initial = name.get(..first).unwrap_or_default().to_ascii_uppercase();
        let colour = (name
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
            % 6) as u8;
        Profile {
            name,
            picture,
            detail,
            initial,
            colour,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str, first: &str, last: &str, picture: &str) -> PersonFields {
        let s = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        PersonFields {
            name: s(name),
            first_name: s(first),
            last_name: s(last),
            picture: s(picture),
            status: None,
        }
    }

    #[test]
    fn viewer_with_all_fields() {
        let p = Profile::new(
            fields("Alice Liddell", "Alice", "Liddell", "https://p/x.png"),
            true,
            Locale::En,
        );
        assert_eq!(p.name, "Alice Liddell");
        assert_eq!(p.picture.as_deref(), Some("https://p/x.png"));
        assert_eq!(p.detail, "Signed in");
        assert_eq!(p.initial, "A");
    }

    #[test]
    fn detail_prefers_status_then_differing_full_name() {
        let mut f = fields("Bob", "Robert", "Smith", "");
        assert_eq!(
            Profile::new(f.clone(), false, Locale::En).detail,
            "Robert Smith"
        );
        f.status = Some("Away".into());
        assert_eq!(Profile::new(f, false, Locale::En).detail, "Away");
        let f = fields("Carol Jones", "Carol", "Jones", "");
        assert_eq!(Profile::new(f, false, Locale::En).detail, "");
        let f = fields("Carol Jones", "Carol", "Jones", "");
        assert_eq!(Profile::new(f, true, Locale::De).detail, "Angemeldet");
    }

    #[test]
    fn name_falls_back_to_first_and_last() {
        let p = Profile::new(fields("", "Dana", "Scully", ""), false, Locale::En);
        assert_eq!(p.name, "Dana Scully");
        assert_eq!(p.detail, "");
        assert_eq!(p.picture, None);
    }

    #[test]
    fn markup_in_a_name_is_kept_as_text() {
        let evil = "<img src=x onerror=alert(1)>";
        let p = Profile::new(fields(evil, "", "", ""), false, Locale::En);
        assert_eq!(p.name, evil);
        assert_eq!(p.initial, "<");
    }

    #[test]
    fn only_http_pictures() {
        for bad in [
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "//x/y.png",
        ] {
            let p = Profile::new(fields("A", "", "", bad), false, Locale::En);
            assert_eq!(p.picture, None, "{bad}");
        }
        let p = Profile::new(fields("A", "", "", "HTTP://x/y.png"), false, Locale::En);
        assert!(p.picture.is_some());
    }

    #[test]
    fn monogram_colour_is_stable_and_in_range() {
        let a = Profile::new(fields("Zoe", "", "", ""), false, Locale::En);
        let b = Profile::new(fields("Zoe", "", "", ""), false, Locale::En);
        assert_eq!(a.colour, b.colour);
        assert!(a.colour < 6);
        assert_eq!(
            Profile::new(fields("", "", "", ""), false, Locale::En).initial,
            ""
        );
    }

    #[test]
    fn monogram_is_the_first_character_upper_cased() {
        let initial =
            |name: &str| Profile::new(fields(name, "", "", ""), false, Locale::En).initial;
        assert_eq!(initial("bob"), "B");
        assert_eq!(initial("x"), "X");
        assert_eq!(
            initial("émile"),
            "é",
            "non-ASCII kept whole, not upper-cased"
        );
        assert_eq!(initial("日本"), "日");
        assert_eq!(initial("😀x"), "😀");
        assert_eq!(
            Profile::new(fields("", "zoë", "nakamura", ""), false, Locale::En).name,
            "zoë nakamura"
        );
    }
}
