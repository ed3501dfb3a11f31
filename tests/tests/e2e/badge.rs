//! The no-JavaScript sharing badge: a link on any page shares it into friends' feeds (issue 7).

use wl_e2e::harness::Case;

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![]
}
