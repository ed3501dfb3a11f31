//! `cargo xtask gallery`: the controls' dev galleries with the real shipped modules.
//!
//! Builds `wl_controls` (`<wl-signin>` + `<wl-userinfo>`) and `wl_bar` exactly as the site does
//! ([`build::package_module`]), puts each beside its gallery page (`controls/dev/`,
//! `controls/bar/dev/`: a fake core as `window.WL`, a small element shim, every variant of the
//! control) in `target/gallery/{controls,bar}/`, and prints the shipped files' sizes. With
//! `--serve` the provider's site server (`wl-server serve --site-dir target/gallery`) serves them.

use crate::build::{self, Pipeline};
use crate::util::{self, Error, Result, gzip_len, take_flag, take_value};
use std::path::Path;
use std::process::Command;

/// Each gallery: (folder under `target/gallery/`, its page sources, cargo package, module stem).
const GALLERIES: &[(&str, &str, &str, &str)] = &[
    ("controls", "controls/dev", "wl-controls", "wl_controls"),
    ("bar", "controls/bar/dev", "wl-bar", "wl_bar"),
];

/// Page sources that are not part of a served gallery.
const NOT_SERVED: &[&str] = &[".gitignore"];

/// Builds the galleries, and serves them with `--serve` (`--port N`, default 8090).
pub fn run(args: &[String]) -> Result<()> {
    let mut args = args.to_vec();
    let serve = take_flag(&mut args, "--serve");
    let port = take_value(&mut args, "--port").unwrap_or_else(|| "8090".into());
    if let Some(unknown) = args.first() {
        return Err(Error(format!(
            "unknown option `{unknown}` for `cargo xtask gallery`"
        )));
    }
    let out = build()?;
    if !serve {
        println!(
            "xtask: serve them with `cargo xtask gallery --serve`, or any static server on {}",
            out.display()
        );
        return Ok(());
    }
    let server = build::server(false)?;
    let data = std::env::temp_dir().join(format!("wl-gallery-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    println!();
    for (dir, ..) in GALLERIES {
        println!("xtask: http://127.0.0.1:{port}/{dir}/gallery.html?state=out  (or ?state=in)");
    }
    println!();
    let status = Command::new(server)
        .current_dir(util::root())
        .args(["serve", "--site-port", &port, "--provider-port", "0"])
        .arg("--data-dir")
        .arg(&data)
        .arg("--site-dir")
        .arg(&out)
        .status()?;
    let _ = std::fs::remove_dir_all(&data);
    if status.success() {
        Ok(())
    } else {
        Err(Error(format!("wl-server exited with {status}")))
    }
}

/// Writes `target/gallery/` and returns it.
pub fn build() -> Result<std::path::PathBuf> {
    let root = util::root();
    let out = root.join("target/gallery");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let packages: Vec<&str> = GALLERIES.iter().map(|g| g.2).collect();
    let wasm_dir = build::compile(&packages)?;
    let pipeline = Pipeline::shipped();
    let mut sizes = Vec::new();
    for (dir, pages, _, stem) in GALLERIES {
        let target = out.join(dir);
        copy_pages(&root.join(pages), &target)?;
        let raw = wasm_dir.join(format!("{stem}.wasm"));
        let module = build::package_module(&raw, stem, &target.join("pkg"), &pipeline)?;
        let js = std::fs::read(&module.js)?;
        let wasm = std::fs::read(&module.wasm)?;
        let (js_gz, wasm_gz) = (gzip_len(&js)?, gzip_len(&wasm)?);
        sizes.push(format!(
            "xtask: {stem}: wasm {} B ({wasm_gz} B gzip -9), js {} B ({js_gz} B gzip -9), \
             total {} B gzip -9 (as shipped)",
            wasm.len(),
            js.len(),
            wasm_gz + js_gz
        ));
    }
    println!();
    for line in sizes {
        println!("{line}");
    }
    println!("xtask: galleries ready in {}", out.display());
    Ok(out)
}

/// Copies a gallery's page files (not its subfolders) into `target`.
fn copy_pages(pages: &Path, target: &Path) -> Result<()> {
    std::fs::create_dir_all(target)?;
    for entry in std::fs::read_dir(pages)? {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.is_file() && !NOT_SERVED.iter().any(|n| name == *n) {
            std::fs::copy(&path, target.join(name))?;
        }
    }
    Ok(())
}
