//! What one page of the site leaves for the next (sessionStorage), so conversations carry on:
//! the open windows (and whether each is minimised, with its unread count), the last message id
//! seen and the chosen presence.
//!
//! Format (key [`KEY`]): `{"v":1,"last_id":12,"presence":"busy",
//! "windows":[{"with":"bob","minimised":false,"unread":0}]}`. Pure, tested natively.

use serde::{Deserialize, Serialize};

/// The sessionStorage key.
pub const KEY: &str = "wl.bar.v1";
/// The localStorage key remembering that the first-run tip was shown.
pub const FIRST_RUN_KEY: &str = "wl.bar.firstRunShown";

/// One saved conversation window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedWindow {
    /// The friend's id.
    pub with: String,
    /// Shown as a tab only.
    #[serde(default)]
    pub minimised: bool,
    /// Unread count.
    #[serde(default)]
    pub unread: u32,
}

/// The saved state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Persisted {
    /// Format version (1).
    pub v: u32,
    /// The largest message id seen.
    #[serde(default)]
    pub last_id: u64,
    /// The chosen presence's wire name.
    #[serde(default)]
    pub presence: Option<String>,
    /// Open windows in opening order.
    #[serde(default)]
    pub windows: Vec<SavedWindow>,
}

/// At most this many windows are restored (a tampered or runaway store stays bounded).
pub const MAX_WINDOWS: usize = 8;

impl Persisted {
    /// Parses a saved value; anything unreadable or of another version is `None` (start fresh).
    pub fn parse(text: &str) -> Option<Persisted> {
        let mut p: Persisted = serde_json::from_str(text).ok()?;
        if p.v != 1 {
            return None;
        }
        p.windows.truncate(MAX_WINDOWS);
        Some(p)
    }

    /// The value to save.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage_and_other_versions() {
        let p = Persisted {
            v: 1,
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
            r#"{"v":1,"last_id":12,"presence":"busy","windows":[{"with":"bob","minimised":true,"unread":2}]}"#
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
