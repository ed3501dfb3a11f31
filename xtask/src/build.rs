//! Builds the loader package (`target/wl-dist/`) and the provider binary.

mod bundle;
mod names;

use crate::util::{self, Result, cargo, run, which};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The wasm modules of the package: (cargo package, output file stem).
pub const WASM_MODULES: &[(&str, &str)] = &[
    ("wl-connect", "wl_connect"),
    // <wl-signin> and <wl-userinfo> in one module (controls/basic).
    ("wl-controls", "wl_controls"),
    // <wl-bar>: fetched only when a page has one.
    ("wl-bar", "wl_bar"),
];

/// The core and `<wl-signin>` + `<wl-userinfo>` linked into one module, fetched instead of
/// `wl_connect` + `wl_controls` by a page that has one of those controls when it loads: (cargo
/// package, its feature that links the core, output file stem). The crates stay apart and meet
/// through `window.WL` only (docs/loader.md, "What loads when").
pub const COMBINED: (&str, &str, &str) = ("wl-controls", "core", "wl_connect_controls");

/// Files copied from `www/` into the package, beside `pkg/`.
const PACKAGE_FILES: &[&str] = &[
    "wl.js",
    "callback.html",
    "callback.js",
    "wl.d.ts",
    "package.json",
];

/// The package folder the site serves first.
pub fn dist_dir() -> PathBuf {
    util::root().join("target/wl-dist")
}

/// Builds every wasm module in the size profile, binds it for `--target web`, shrinks it with
/// `wasm-opt` when installed, and copies the bootstrap files: the result is `target/wl-dist/`.
pub fn site() -> Result<PathBuf> {
    let dist = dist_dir();
    let pkg = dist.join("pkg");
    // Start empty, so no module that the package no longer has is served by mistake.
    if dist.exists() {
        std::fs::remove_dir_all(&dist)?;
    }
    std::fs::create_dir_all(&pkg)?;
    let mut build = cargo();
    build.args([
        "build",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    for (package, _) in WASM_MODULES {
        build.args(["-p", package]);
    }
    run(&mut build)?;
    let wasm_dir = util::root().join("target/wasm32-unknown-unknown/wasm-release");
    let wasm_opt = which("wasm-opt");
    if wasm_opt.is_none() {
        println!(
            "xtask: warning: wasm-opt (Debian: binaryen) is missing; the wasm stays unoptimised"
        );
    }
    for (_, stem) in WASM_MODULES {
        let raw = wasm_dir.join(format!("{stem}.wasm"));
        bind(&raw, stem, &pkg, wasm_opt.as_deref())?;
    }
    // The core and the basic controls in one module: built in a target folder of its own, as the
    // same package with a feature (so it never replaces the plain `wl_controls.wasm` another
    // build is reading).
    let (package, feature, stem) = COMBINED;
    let combined_target = util::root().join("target/wl-combined");
    run(cargo()
        .args([
            "build",
            "--profile",
            "wasm-release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            package,
            "--features",
            feature,
            "--target-dir",
        ])
        .arg(&combined_target))?;
    let raw = combined_target
        .join("wasm32-unknown-unknown/wasm-release")
        .join(format!("{}.wasm", package.replace('-', "_")));
    bind(&raw, stem, &pkg, wasm_opt.as_deref())?;
    bundle::wl_js()?;
    let www = util::root().join("www");
    for file in PACKAGE_FILES {
        let from = www.join(file);
        if from.is_file() {
            std::fs::copy(&from, dist.join(file))?;
        }
    }
    minify(&dist)?;
    crate::playground::build(&dist)?;
    println!("xtask: loader package ready in {}", dist.display());
    Ok(dist)
}

/// `raw` (rustc's output) → `pkg/{stem}.js` + `pkg/{stem}_bg.wasm`: `wasm-opt`, wasm-bindgen for
/// `--target web`, then shorter names between the two.
fn bind(raw: &Path, stem: &str, pkg: &Path, wasm_opt: Option<&Path>) -> Result<()> {
    // wasm-opt runs BEFORE wasm-bindgen: Debian's binaryen 108 damages the externref table
    // wasm-bindgen adds (the module then fails at init with `Table.set(): Argument 1 is
    // invalid`), while wasm-bindgen keeps what wasm-opt produced intact.
    let input = match wasm_opt {
        Some(wasm_opt) => {
            let opt = raw.with_file_name(format!("{stem}.opt.wasm"));
            optimise(wasm_opt, raw, &opt, &[])?;
            opt
        }
        None => raw.to_path_buf(),
    };
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            // wasm-bindgen names its own shims; these sections are 0.4 KB gzip per module.
            "--remove-name-section",
            "--remove-producers-section",
            // wl.js always passes the .wasm's URL, and every browser with wasm has encodeInto:
            // less glue.
            "--omit-default-module-path",
            "--encode-into",
            "always",
            "--out-name",
            stem,
            "--out-dir",
        ])
        .arg(pkg)
        .arg(input))?;
    let bg = pkg.join(format!("{stem}_bg.wasm"));
    let newer = wasm_opt_after_bindgen();
    if let Some(newer) = &newer {
        optimise(newer, &bg, &bg, &[])?;
    }
    let n = names::shorten(&bg, &pkg.join(format!("{stem}.js")))?;
    if let Some(newer) = &newer {
        // Once more (a second -Oz still finds some), ordered for gzip (locals, and functions by
        // use), and without the `target_features` section only rustc's tools read.
        optimise(
            newer,
            &bg,
            &bg,
            &[
                "--reorder-locals",
                "--reorder-functions",
                "--strip-target-features",
            ],
        )?;
    }
    println!("xtask: {stem}: {n} import/export names shortened");
    Ok(())
}

/// Minifies the package's JavaScript in place with esbuild (installed by `cargo xtask` from
/// `xtask/package-lock.json`): the bootstrap, the callback script and the wasm-bindgen glue.
fn minify(dist: &Path) -> Result<()> {
    let esbuild = util::root().join("xtask/node_modules/.bin/esbuild");
    if !esbuild.is_file() {
        println!("xtask: warning: esbuild is missing (needs npm); the JavaScript stays unminified");
        return Ok(());
    }
    // (file, whether it is an ES module): the bootstrap and the callback are classic scripts.
    let mut files = vec![
        (dist.join("wl.js"), false),
        (dist.join("callback.js"), false),
    ];
    for stem in WASM_MODULES.iter().map(|(_, s)| *s).chain([COMBINED.2]) {
        files.push((dist.join("pkg").join(format!("{stem}.js")), true));
    }
    // terser (npm, pinned in xtask/package.json) when installed, after esbuild: its compressor
    // takes a further ~0.25 KB gzip off the sign-in page's wl.js and glue.
    let terser = util::root().join("xtask/node_modules/.bin/terser");
    for (file, module) in files.iter().filter(|(f, _)| f.is_file()) {
        run(Command::new(&esbuild)
            .arg("--minify")
            .arg("--log-level=warning")
            .arg("--allow-overwrite")
            .arg(file)
            .arg(format!("--outfile={}", file.display())))?;
        if terser.is_file() {
            let mut cmd = Command::new(&terser);
            cmd.arg(file).args(["--compress", "passes=3", "--mangle"]);
            if *module {
                cmd.arg("--module");
            }
            run(cmd.arg("--output").arg(file))?;
        }
    }
    Ok(())
}

/// A newer binaryen's `wasm-opt` (npm's `binaryen`, pinned in `xtask/package.json`) when
/// installed. It runs on wasm-bindgen's output, after Debian's: it shrinks the module by a
/// further ~1 KB gzip, and unlike Debian's 108 it keeps wasm-bindgen's externref table intact.
/// (Run before wasm-bindgen instead, its output breaks wasm-bindgen's closures: `unreachable`
/// when a control's event listener fires.)
fn wasm_opt_after_bindgen() -> Option<PathBuf> {
    let npm = util::root().join("xtask/node_modules/.bin/wasm-opt");
    npm.is_file().then_some(npm)
}

/// `wasm-opt -Oz` (then the `extra` passes) from `input` to `output`, with the features
/// today's rustc emits for wasm32.
fn optimise(wasm_opt: &Path, input: &Path, output: &Path, extra: &[&str]) -> Result<()> {
    run(Command::new(wasm_opt)
        .arg("-Oz")
        .args(extra)
        .args([
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-nontrapping-float-to-int",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            "--strip-debug",
            "--strip-producers",
            "-o",
        ])
        .arg(output)
        .arg(input))
}

/// Builds the provider binary and returns its path.
pub fn server(release: bool) -> Result<PathBuf> {
    let mut build = cargo();
    build.args(["build", "-p", "wl-server"]);
    if release {
        build.arg("--release");
    }
    run(&mut build)?;
    let profile = if release { "release" } else { "debug" };
    Ok(util::root().join("target").join(profile).join("wl-server"))
}
