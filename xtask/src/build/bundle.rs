//! `www/wl.js`, bundled from the loader's ES modules (`www/src/`, entry `main.js`) with esbuild
//! into one classic script. The bundle is kept in the repository too (readable, not minified),
//! so the browser tests and the Playground's attribute check read the same file the package
//! ships; the package copy is then minified with the rest (`minify`).

use std::process::Command;

use crate::util::{self, Result, run};

/// The bundle's first lines.
const BANNER: &str = "--banner:js=/*! wl-connect bootstrap (https://github.com/wl-connect) — MIT OR Apache-2.0.\n * Generated from www/src/ by `cargo xtask build` (esbuild): edit those modules, not this file. */";

/// Bundles `www/src/main.js` into `www/wl.js` (left as it is when esbuild is missing).
pub fn wl_js() -> Result<()> {
    let root = util::root();
    let esbuild = root.join("xtask/node_modules/.bin/esbuild");
    if !esbuild.is_file() {
        println!("xtask: warning: esbuild is missing (needs npm); www/wl.js is shipped as it is");
        return Ok(());
    }
    run(Command::new(&esbuild)
        .arg(root.join("www/src/main.js"))
        .args(["--bundle", "--format=iife", "--log-level=warning", BANNER])
        .arg(format!("--outfile={}", root.join("www/wl.js").display())))
}
