//! The Controls Playground, API Playground and REST Explorer (issue 6).

use wl_e2e::harness::Case;

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![]
}
