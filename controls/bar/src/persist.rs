//! What one page of the site leaves for the next (sessionStorage), so conversations carry on:
//! the open windows (and whether each is minimised, with its unread count), the last message id
//! seen and the chosen presence.
//!
//! Format (key [`KEY`]): `{"v":1,"who":"alice","last_id":12,"presence":"busy",
//! "windows":[{"with":"bob","minimised":false,"unread":0}]}`. Pure, tested natively.

use crate::json::{Json, ObjectWriter};

/// The sessionStorage key.
pub const KEY: &str = "wl.bar.v1";
/// The localStorage key remembering that the first-run tip was shown.
pub const FIRST_RUN_KEY: &str = "wl.bar.firstRunShown";

/// One saved conversation window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedWindow {
    /// The friend's id.
    pub with: String,
    /// Shown as a tab only.
    pub minimised: bool,
    /// Unread count.
    pub unread: u32,
}

/// The saved state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Persisted {
    /// Format version (1).
    pub v: u32,
    /// Whose state it is (the session's `user_id`): another person's session does not restore
    /// it. Absent when the session names no one.
    pub who: Option<String>,
    /// The largest message id seen.
    pub last_id: u64,
    /// The chosen presence's wire name.
    pub presence: Option<String>,
    /// Open windows in opening order.
    pub windows: Vec<SavedWindow>,
}

/// At most this many windows are restored (a tampered or runaway store stays bounded).
pub const MAX_WINDOWS: usize = 8;

impl Persisted {
    /// Parses a saved value; anything unreadable or of another version is `None` (start fresh).
    pub fn parse(text: &str) -> Option<Persisted> {
        let v = Json::parse(text)?;
        if v.get("v").as_u64()? != 1 {
            return None;
        }
        let windows = v
            .get("windows")
            .as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(|w| {
                Some(SavedWindow {
                    with: w.get("with").as_str()?.to_owned(),
                    minimised: w.get("minimised").as_bool().unwrap_or(false),
                    unread: w
                        .get("unread")
                        .as_u64()
                        .unwrap_or(0)
                        .min(u64::from(u32::MAX)) as u32,
                })
            })
            .take(MAX_WINDOWS)
            .collect();
        Some(Persisted {
            v: 1,
            who: v.get("who").as_str().map(str::to_owned),
            last_id: v.get("last_id").as_u64().unwrap_or(0),
            presence: v.get("presence").as_str().map(str::to_owned),
            windows,
        })
    }

    /// The value to save.
    pub fn to_json(&self) -> String {
        let mut windows = String::from("[");
        for (i, w) in self.windows.iter().enumerate() {
            if i > 0 {
                windows.push(',');
            }
            windows.push_str(
                &ObjectWriter::new()
                    .str("with", &w.with)
                    .bool("minimised", w.minimised)
                    .num("unread", u64::from(w.unread))
                    .finish(),
            );
        }
        windows.push(']');
        let mut o = ObjectWriter::new().num("v", u64::from(self.v));
        if let Some(who) = &self.who {
            o = o.str("who", who);
        }
        let mut o = o.num("last_id", self.last_id);
        if let Some(p) = &self.presence {
            o = o.str("presence", p);
        }
        o.raw("windows", &windows).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage_and_other_versions() {
        let p = Persisted {
            v: 1,
            who: Some("alice".into()),
            last_id: 12,
            presence: Some("busy".into()),
            windows: vec![SavedWindow {
                with: "bob".into(),
                minimised: true,
                unread: 2,
            }],
        };
        let text = p.to_json();
        assert_eq!(
            text,
            r#"{"v":1,"who":"alice","last_id":12,"presence":"busy","windows":[{"with":"bob","minimised":true,"unread":2}]}"#
        );
        assert_eq!(Persisted::parse(&text), Some(p));
        assert_eq!(Persisted::parse("{"), None);
        assert_eq!(Persisted::parse(r#"{"v":2}"#), None);
        assert_eq!(
            Persisted::parse(r#"{"v":1}"#),
            Some(Persisted {
                v: 1,
                ..Default::default()
            })
        );
    }

    #[test]
    fn bounds_the_number_of_windows() {
        let many: Vec<String> = (0..50).map(|i| format!(r#"{{"with":"p{i}"}}"#)).collect();
        let text = format!(r#"{{"v":1,"windows":[{}]}}"#, many.join(","));
        assert_eq!(Persisted::parse(&text).unwrap().windows.len(), MAX_WINDOWS);
    }
}
