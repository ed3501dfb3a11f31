//! The Controls Playground (yew app built by trunk; see playground/README.md).

fn main() {}
