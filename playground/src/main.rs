//! The Controls Playground (yew app built by trunk; see docs/playground.md).

fn main() {
    wl_playground::run();
}
