//! The Messenger bar with two browsers, and the sharing badge (issue 7).

use wl_e2e::harness::Case;

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![]
}
