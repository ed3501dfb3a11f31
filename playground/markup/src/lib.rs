//! The Controls Playground's pure logic: which attributes each control has and the markup a
//! page pastes (plain Rust, tested natively, shared by the Playground and the tests).
