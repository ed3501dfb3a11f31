//! People: the OpenID Connect claims and Live Connect times. The rows and lookups are
//! [`crate::store::people`] (re-exported here), the `/v1` profile shape is
//! [`crate::api::profile::Profile`], and the avatar pictures are drawn by
//! [`crate::pages::avatar_svg`].

use serde_json::{Value, json};

use crate::clock::civil;

pub use crate::store::people::{Person, are_friends, by_id, by_picture_key, by_username};

/// The most characters of a username written to a log line.
pub const LOG_NAME_CHARS: usize = 64;

/// A username as logs show it: at most [`LOG_NAME_CHARS`] characters, then `…` and the full
/// length, so a 256 KB username cannot flood a log line.
pub fn log_name(username: &str) -> std::borrow::Cow<'_, str> {
    match username.char_indices().nth(LOG_NAME_CHARS) {
        None => username.into(),
        Some((cut, _)) => format!("{}…({} bytes)", &username[..cut], username.len()).into(),
    }
}

/// Formats Unix seconds as Live Connect did: `2010-11-23T11:00:00+0000`.
pub fn live_time(secs: i64) -> String {
    let (y, m, d, h, mi, s) = civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}+0000")
}

impl Person {
    /// The absolute URL of the person's public picture.
    pub fn picture_url(&self, issuer: &str) -> String {
        format!("{issuer}/pictures/{}.svg", self.picture_key)
    }

    /// The OpenID Connect UserInfo claims.
    pub fn oidc_claims(&self, issuer: &str, emails: bool) -> Value {
        let mut v = json!({
            "sub": self.id,
            "name": self.display_name,
            "given_name": self.first_name,
            "family_name": self.last_name,
            "preferred_username": self.username,
            "picture": self.picture_url(issuer),
            "locale": self.locale.replace('_', "-"),
            "updated_at": self.updated_at,
        });
        if emails {
            v["email"] = json!(self.email);
            v["email_verified"] = json!(true);
        }
        v
    }

    /// Up to two initials for the avatar (letters and digits only).
    pub fn initials(&self) -> String {
        let first = |s: &str| {
            s.chars()
                .find(|c| c.is_alphanumeric())
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default()
        };
        let s = format!("{}{}", first(&self.first_name), first(&self.last_name));
        if s.is_empty() { "?".into() } else { s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_names_are_bounded() {
        assert_eq!(log_name("alice"), "alice");
        let long = "é".repeat(100_000);
        let logged = log_name(&long);
        assert!(logged.starts_with(&"é".repeat(LOG_NAME_CHARS)));
        assert!(logged.ends_with("…(200000 bytes)"), "{logged}");
        assert!(logged.len() < 200);
    }

    #[test]
    fn formats_live_time() {
        assert_eq!(live_time(0), "1970-01-01T00:00:00+0000");
        assert_eq!(live_time(1_290_510_000), "2010-11-23T11:00:00+0000");
        assert_eq!(live_time(951_782_400), "2000-02-29T00:00:00+0000");
    }
}
