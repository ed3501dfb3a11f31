//! Builds the Controls Playground (`playground/`, yew) with trunk into the site package, where it
//! is the landing page: `target/wl-dist/index.html` plus `target/wl-dist/playground/` (the app's
//! hashed JS, wasm and CSS from trunk, and the preview and blank pages from
//! `playground/static/`). Trunk's entry point is the repository root's `index.html` and
//! `Trunk.toml`.

use crate::build::{self, Pipeline, Stage};
use crate::util::{self, Error, Result, run};
use std::path::Path;
use std::process::Command;

/// Builds the Playground into `dist` (the site's first folder).
pub fn build(dist: &Path) -> Result<()> {
    crate::tools::trunk()?;
    let root = util::root();
    let source = root.join("playground");
    // The root Trunk.toml: public_url = /playground/; the root index.html names the `playground`
    // crate, built in the size profile (`data-cargo-profile="wasm-release"`). Each run gets its
    // own output folder: trunk empties it first, and two builds at once must not share one.
    let out = root.join(format!("target/playground-dist/{}", std::process::id()));
    run(Command::new("trunk")
        .current_dir(&root)
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&out)
        // trunk reads this too; the shell a developer runs in must not move the assets.
        .env_remove("TRUNK_BUILD_PUBLIC_URL"))?;
    let target = dist.join("playground");
    std::fs::create_dir_all(&target)?;
    let pipeline = Pipeline::shipped();
    for entry in std::fs::read_dir(&out)? {
        let path = entry?.path();
        if path.is_file() {
            let name = path
                .file_name()
                .ok_or_else(|| Error(format!("odd path {}", path.display())))?;
            if name == "index.html" {
                // The Playground is the site's landing page.
                std::fs::copy(&path, dist.join("index.html"))?;
            } else if name.to_string_lossy().ends_with("_bg.wasm") {
                shrink(&path, &target.join(name), &pipeline)?;
            } else if name.to_string_lossy().ends_with(".js") {
                minify_js(&path, &target.join(name), &pipeline)?;
            } else {
                std::fs::copy(&path, target.join(name))?;
            }
        }
    }
    for entry in std::fs::read_dir(source.join("static"))? {
        let path = entry?.path();
        if let (true, Some(name)) = (path.is_file(), path.file_name()) {
            std::fs::copy(&path, target.join(name))?;
        }
    }
    std::fs::remove_dir_all(&out)?;
    println!("xtask: Playground ready at {}/index.html", dist.display());
    Ok(())
}

/// Shrinks the app's wasm from `input` into `output` with the package's `wasm-opt -Oz`
/// ([`build::optimise`]; npm's binaryen, which reads wasm-bindgen's output); trunk runs none.
/// Without it the wasm is copied as it is.
fn shrink(input: &Path, output: &Path, pipeline: &Pipeline) -> Result<()> {
    match pipeline.wasm_opt() {
        Some(wasm_opt) => build::optimise(wasm_opt, input, output, &[], false),
        None => {
            std::fs::copy(input, output)?;
            Ok(())
        }
    }
}

/// Minifies wasm-bindgen's glue as the package's glue is ([`build::minify_js`]) but with esbuild
/// only: terser's passes cost more time than they save here.
fn minify_js(input: &Path, output: &Path, pipeline: &Pipeline) -> Result<()> {
    std::fs::copy(input, output)?;
    build::minify_js(output, true, &pipeline.without(Stage::Terser))
}
