//! `<wl-userinfo>`'s attributes as typed configuration (read from its table,
//! [`attrs::userinfo`]). Pure, tested natively.

use wl_controls_common::attrs::{
    self, CardTheme, Choice, Layout, non_blank, set_choice, set_locale,
};
use wl_controls_common::warning::Warning;

/// The attributes of `<wl-userinfo>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserinfoConfig {
    /// `layout`.
    pub layout: Layout,
    /// `theme`: `dark` for light text on a dark page; the other values keep dark text.
    pub theme: CardTheme,
    /// `cid`: show this person (a friend) instead of the viewer.
    pub cid: Option<String>,
    /// `locale`.
    pub locale: Option<String>,
}

impl Default for UserinfoConfig {
    fn default() -> Self {
        UserinfoConfig {
            layout: Layout::DEFAULT,
            theme: CardTheme::DEFAULT,
            cid: None,
            locale: None,
        }
    }
}

impl UserinfoConfig {
    /// Every attribute `<wl-userinfo>` reads (the bootstrap's `observedAttributes`).
    /// From its table ([`attrs::userinfo`]).
    pub const ATTRIBUTES: &'static [&'static str] = &attrs::names(&attrs::userinfo::ALL);

    /// Applies one attribute. Unknown attribute names are ignored.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> Option<Warning> {
        match name {
            "layout" => set_choice(&mut self.layout, value),
            "theme" => set_choice(&mut self.theme, value),
            "locale" => set_locale(&mut self.locale, value),
            "cid" => {
                self.cid = non_blank(value);
                None
            }
            _ => None,
        }
    }

    /// The `WL.api` path to fetch: `me`, or the percent-encoded `cid` (so a `cid` can never
    /// reach another endpoint or add a query). `None` for a `cid` of `.` or `..`.
    pub fn api_path(&self) -> Option<String> {
        match self.cid.as_deref() {
            None => Some("me".to_owned()),
            Some("." | "..") => None,
            Some(cid) => Some(encode_path_segment(cid)),
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_path_segment(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[(b >> 4) as usize]));
            out.push(char::from(HEX[(b & 15) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_of_the_table_is_read() {
        for a in attrs::userinfo::ALL {
            let mut c = UserinfoConfig::default();
            assert_eq!(c.set(a.name, Some(a.values.example())), None, "{}", a.name);
            assert_ne!(c, UserinfoConfig::default(), "{} is not read", a.name);
        }
    }

    #[test]
    fn userinfo_config() {
        let mut u = UserinfoConfig::default();
        assert_eq!(u.layout, Layout::Compact);
        assert_eq!(u.api_path().as_deref(), Some("me"));
        assert!(u.set("theme", Some("dark")).is_none());
        assert_eq!(u.theme, CardTheme::Dark);
        assert!(u.set("layout", Some("full")).is_none());
        assert_eq!(u.layout, Layout::Full);
        assert!(u.set("layout", Some("wide")).is_some());
        assert_eq!(u.layout, Layout::Compact);
        u.set("cid", Some("bob"));
        assert_eq!(u.api_path().as_deref(), Some("bob"));
        u.set("cid", Some("../me/contacts?x=1"));
        assert_eq!(u.api_path().as_deref(), Some("..%2Fme%2Fcontacts%3Fx%3D1"));
        u.set("cid", Some(".."));
        assert_eq!(u.api_path(), None);
    }
}
