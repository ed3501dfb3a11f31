//! `cargo xtask gallery`: the controls' dev galleries with the real shipped modules.
//!
//! Builds `wl_controls` (`<wl-signin>` + `<wl-userinfo>`) and `wl_bar` exactly as the site does
//! ([`build::package_module`]), puts each beside its gallery page (`controls/dev/`,
//! `controls/bar/dev/`: a fake core as `window.WL`, a small element shim, every variant of the
//! control) in `target/gallery/{controls,bar}/`, and prints the shipped files' sizes. With
//! `--serve` the provider's site server (`wl-server serve --site-dir target/gallery`) serves them;
//! with `--axe` axe-core checks them, signed out and in, in headless Chromium driven by the
//! end-to-end tests' driver (`wl_e2e`).

use crate::build::{self, Pipeline};
use crate::util::{self, Error, Result, gzip_len, take_flag, take_value};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Each gallery: (folder under `target/gallery/`, its page sources, cargo package, module stem,
/// what axe checks: CSS selectors, or the whole page when empty).
const GALLERIES: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "controls",
        "controls/dev",
        "wl-controls",
        "wl_controls",
        &[],
    ),
    ("bar", "controls/bar/dev", "wl-bar", "wl_bar", &["wl-bar"]),
];

/// The fake `window.WL` of the controls' browser tests, also the galleries' core.
const FAKE_WL: &str = "controls/common/src/fake-wl.js";

/// True once every control on a gallery page has rendered (and the bar gallery's script, which
/// opens panels, has finished).
const RENDERED_JS: &str = "
    const hosts = [...document.querySelectorAll('wl-signin, wl-userinfo, wl-bar')];
    return hosts.length > 0
        && hosts.every((h) => h.shadowRoot && h.shadowRoot.childElementCount > 0)
        && (!document.querySelector('wl-bar') || document.documentElement.dataset.ready === '1');";

/// Page sources that are not part of a served gallery.
const NOT_SERVED: &[&str] = &[".gitignore"];

/// Builds the galleries, and serves them with `--serve` (`--port N`, default 8090).
pub fn run(args: &[String]) -> Result<()> {
    let mut args = args.to_vec();
    let serve = take_flag(&mut args, "--serve");
    let axe = take_flag(&mut args, "--axe");
    let port = take_value(&mut args, "--port").unwrap_or_else(|| "8090".into());
    if let Some(unknown) = args.first() {
        return Err(Error(format!(
            "unknown option `{unknown}` for `cargo xtask gallery`"
        )));
    }
    // axe-core comes from the end-to-end tests' npm packages, and runs in Chromium.
    crate::tools::ensure(crate::tools::Needs {
        browser: axe,
        npm: axe,
        ..crate::tools::Needs::package()
    })?;
    let out = build()?;
    if axe {
        check_axe(&out)?;
    }
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
    for (dir, pages, _, stem, _) in GALLERIES {
        let target = out.join(dir);
        copy_pages(&root.join(pages), &target)?;
        // The fake core is the one the controls' browser tests install (one copy).
        std::fs::copy(root.join(FAKE_WL), target.join("fake-wl.js"))?;
        // The first paint wl.js draws, which the controls take over (www/src/paint.js).
        for js in ["paint.js", "paint-data.js"] {
            std::fs::copy(root.join("www/src").join(js), target.join(js))?;
        }
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

/// axe-core (`tests/node_modules`, installed by [`run`]) on each gallery, signed out and in;
/// fails naming every violation.
fn check_axe(out: &Path) -> Result<()> {
    use wl_e2e::server::{DevServer, ServerOptions};
    build::server(false)?;
    let server = DevServer::start_with_site_dirs(&ServerOptions::default(), &[out.to_path_buf()])?;
    let driver = wl_e2e::driver::Chromedriver::start()?;
    let failures = crate::bench::block_on(async {
        let browser = wl_e2e::Browser::start(&driver, "normal").await?;
        let mut failures = Vec::new();
        for (dir, .., include) in GALLERIES {
            for state in ["out", "in"] {
                let url = server.site_url(&format!("/{dir}/gallery.html?state={state}"));
                browser.goto(&url).await?;
                browser
                    .wait_js(
                        &format!("{url} to render"),
                        Duration::from_secs(20),
                        RENDERED_JS,
                    )
                    .await?;
                // The controls gallery drives its busy and blocked states 300 ms after start.
                tokio::time::sleep(Duration::from_millis(1500)).await;
                let violations = wl_e2e::axe::run(&browser, include).await?;
                println!(
                    "xtask: axe on {dir}/gallery.html, signed {state}: {} violations",
                    violations.len()
                );
                if !violations.is_empty() {
                    failures.push(format!("{url}\n{}", wl_e2e::axe::report(&violations)));
                }
            }
        }
        let _ = browser.close().await;
        Ok::<_, Error>(failures)
    })??;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error(format!(
            "axe found violations in the galleries:\n{}",
            failures.join("\n")
        )))
    }
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
