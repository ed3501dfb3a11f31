//! Just-in-time consent and revocation seen by the page (issue 5).

use wl_e2e::harness::Case;

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![]
}
