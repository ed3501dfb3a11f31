//! The client libraries' step of `cargo xtask test` (`clients/`): the Python package
//! `wlconnect` and the Rust crate `wl-connect-client`, each against a real `wl-server` on
//! loopback ports (docs/server-side.md).
//!
//! - Python: `clients/python/run_tests.py` builds the wheel (`pip wheel`, whose isolated build
//!   fetches `flit_core` from PyPI), installs it into a fresh virtual environment under
//!   `target/clients/python-venv` and runs the tests with that environment's Python. Needs
//!   `python3` with `venv` and `ensurepip` (Debian: `python3 python3-venv`, installed as root
//!   when missing, as for Schemathesis).
//! - Rust: `cargo test -p wl-connect-client` (its integration test starts the provider).

use crate::tools;
use crate::util::{self, Result, cargo};
use std::path::Path;
use std::process::Command;

/// The crate's package name.
pub const RUST_PACKAGE: &str = "wl-connect-client";

/// The two test commands, named, for the provider binary `server`. Installs `python3-venv`
/// first when Python cannot make a virtual environment.
pub fn commands(server: &Path) -> Result<Vec<(&'static str, Command)>> {
    let venv_works = Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !venv_works {
        println!(
            "xtask: installing python3 and python3-venv (Debian) for the Python client's tests"
        );
        tools::apt_install(&["python3", "python3-venv"])?;
    }
    println!(
        "xtask: the Python client's tests build its wheel and install it into a fresh venv \
         (target/clients/python-venv); pip fetches the flit_core build backend from PyPI"
    );
    let mut python = Command::new("python3");
    python
        .arg(
            util::root()
                .join("clients")
                .join("python")
                .join("run_tests.py"),
        )
        .env("WL_SERVER_BIN", server);
    let mut rust = cargo();
    rust.args(["test", "-p", RUST_PACKAGE])
        .env("WL_SERVER_BIN", server);
    Ok(vec![
        ("client libraries: Python (wlconnect wheel)", python),
        ("client libraries: Rust (wl-connect-client)", rust),
    ])
}
