//! `www/wl.js`, bundled from the loader's ES modules (`www/src/`, entry `main.js`) with esbuild
//! into one classic script, and `www/callback.js` (entry `callback.js`: the same callback code
//! as wl.js's, for pages that still load it), and `www/machine.js` (entry `core.js`: the effect
//! interpreter, which the package build appends to the core's glue, [`MACHINE`]). The bundles are
//! kept in the repository too (readable, not minified), so the browser tests and the Playground's
//! attribute check read the same file the package ships; the package copy is then minified with
//! the rest (`minify`).

use std::path::Path;
use std::process::Command;

use crate::util::{self, Result, run};

/// The bundle's first lines.
const BANNER: &str = "--banner:js=/*! wl-connect bootstrap (https://github.com/wl-connect) — MIT OR Apache-2.0.\n * Generated from www/src/ by `cargo xtask build` (esbuild): edit those modules, not this file. */";

/// The shipped scripts' first lines:
/// - V8's explicit compile hint (`//# allFunctionsCalledOnLoad`, Chromium 136+; other engines
///   read a comment): every function is compiled when the script is, instead of pre-parsed then
///   and parsed again when the first paint calls it. In two A/B runs of the first-frame bench
///   (31 cold loads each, 2026-12-03) the controls were drawn about 1 ms sooner after `wl.js`
///   arrived (median 9.4 against 11.7 ms, and 50.7 against 51.6 ms from the navigation start);
///   it costs 29 B (20 B gzip). The whole script is 22 KB, much of it run at load, so compiling
///   all of it wastes little;
/// - the licence: the bundle's banner without its note to the repository's readers (90 B gzip
///   on the sign-in page, measured 2026-12-02).
const SHIPPED_BANNER: &str = "//# allFunctionsCalledOnLoad\n/*! wl-connect (https://github.com/wl-connect) — MIT OR Apache-2.0 */";

/// Replaces the leading `/*! … */` banner of a minified package script with [`SHIPPED_BANNER`].
pub fn ship_banner(file: &Path) -> Result<()> {
    let js = std::fs::read_to_string(file)?;
    if let Some(rest) = js
        .strip_prefix("/*!")
        .and_then(|r| r.split_once("*/").map(|(_, rest)| rest))
    {
        std::fs::write(file, format!("{SHIPPED_BANNER}\n{}", rest.trim_start()))?;
    }
    Ok(())
}

/// The effect interpreter's bundle, in `www/` ([`wl_js`] writes it; `append_machine` in
/// build.rs reads it).
pub const MACHINE: &str = "machine.js";

/// The interpreter's first lines: a plain comment (a `/*!` one would be kept by the minifier, in
/// the glue).
const MACHINE_BANNER: &str = "--banner:js=// wl-connect's effect interpreter, appended to the core's glue by `cargo xtask build`.\n// Generated from www/src/ (entry core.js) by esbuild: edit those modules, not this file.";

/// Bundles `www/src/main.js` into `www/wl.js`, `www/src/callback.js` into `www/callback.js` and
/// `www/src/core.js` into `www/machine.js` (left as they are when esbuild is missing).
pub fn wl_js() -> Result<()> {
    super::paint::write()?;
    let root = util::root();
    let esbuild = root.join("xtask/node_modules/.bin/esbuild");
    if !esbuild.is_file() {
        println!("xtask: warning: esbuild is missing (needs npm); www/wl.js is shipped as it is");
        return Ok(());
    }
    for (entry, out, banner) in [
        ("main.js", "wl.js", BANNER),
        ("callback.js", "callback.js", BANNER),
        ("core.js", MACHINE, MACHINE_BANNER),
    ] {
        run(Command::new(&esbuild)
            .arg(root.join("www/src").join(entry))
            .args(["--bundle", "--format=iife", "--log-level=warning", banner])
            .arg(format!(
                "--outfile={}",
                root.join("www").join(out).display()
            )))?;
    }
    Ok(())
}
