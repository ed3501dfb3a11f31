//! Where things are: the repository, the built package, the binaries the tests run.

use crate::error::{E2eError, Result};
use std::path::{Path, PathBuf};

/// The repository root (the parent of this crate's directory).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `target/wl-dist` (or `WL_DIST`), the built package the site serves first. Fails clearly
/// when it has not been built: CI always builds it (`cargo xtask build`) before the tests run.
pub fn wl_dist() -> Result<PathBuf> {
    let dist = std::env::var_os("WL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("wl-dist"));
    let wl_js = dist.join("wl.js");
    if !wl_js.is_file() {
        return Err(E2eError::Missing {
            what: "the built loader",
            path: wl_js.display().to_string(),
            hint: "run `cargo xtask build` first (or `cargo xtask test`, which builds)",
        });
    }
    Ok(dist)
}

/// The cargo target directory (`CARGO_TARGET_DIR` or `<repo>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                repo_root().join(dir)
            }
        }
        None => repo_root().join("target"),
    }
}

/// The `wl-server` binary: `WL_SERVER_BIN`, or `target/debug/wl-server`.
pub fn server_bin() -> Result<PathBuf> {
    let bin = std::env::var_os("WL_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join("wl-server"));
    if !bin.is_file() {
        return Err(E2eError::Missing {
            what: "the wl-server binary",
            path: bin.display().to_string(),
            hint: "run `cargo build -p wl-server` or set WL_SERVER_BIN",
        });
    }
    Ok(bin)
}

/// The chromedriver binary: `CHROMEDRIVER`, or `/usr/bin/chromedriver`.
pub fn chromedriver_bin() -> Result<PathBuf> {
    let bin = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    if !bin.is_file() {
        return Err(E2eError::Missing {
            what: "chromedriver",
            path: bin.display().to_string(),
            hint: "install Debian's chromium-driver or set CHROMEDRIVER",
        });
    }
    Ok(bin)
}

/// The Chromium binary: `CHROME`, or `/usr/bin/chromium`.
pub fn chrome_bin() -> PathBuf {
    std::env::var_os("CHROME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// `tests/node_modules/axe-core/axe.min.js`, installed by `npm ci --prefix tests`.
pub fn axe_js() -> Result<PathBuf> {
    let path = repo_root().join("tests/node_modules/axe-core/axe.min.js");
    if !path.is_file() {
        return Err(E2eError::Missing {
            what: "axe-core",
            path: path.display().to_string(),
            hint: "run `npm ci --prefix tests`",
        });
    }
    Ok(path)
}

/// `target/screenshots`, created if needed.
pub fn screenshots_dir() -> Result<PathBuf> {
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
