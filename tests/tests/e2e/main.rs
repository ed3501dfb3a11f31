//! Browser end-to-end tests: the demo site and the provider on two loopback origins, driven
//! through chromedriver in headless Chromium with real clicks and real popups.
//!
//! Run: `cargo test -p wl-e2e --test e2e` (after `cargo xtask build` and `npm ci --prefix tests`).

fn main() {
    wl_e2e::harness::run_main(wl_e2e::cases![]);
}
