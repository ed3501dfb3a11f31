//! Installs the tools the build and tests need, only when they are missing, so a fresh machine
//! works and a repeated run is fast.

use crate::util::{self, Error, Result, probe, run, which};
use std::process::Command;

/// The wasm-bindgen CLI must be exactly the version of the `wasm-bindgen` crate.
/// Files that change with it: the root `Cargo.toml` (`wasm-bindgen = "=…"`), this constant,
/// the root `Trunk.toml` (`[tools] wasm_bindgen`, so trunk uses this CLI offline).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// The trunk that builds the Playground (the root `Trunk.toml`); installed by
/// [`trunk`] when missing or another version (about 10 minutes, once).
pub const TRUNK_VERSION: &str = "0.21.14";

/// Schemathesis, the contract fuzzer of `cargo xtask test` (from PyPI), installed by
/// [`schemathesis`] into a virtual environment of ours, [`SCHEMATHESIS_VENV`]; a new version
/// goes into a new folder.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Where [`schemathesis`] installs it, under the repository root.
pub const SCHEMATHESIS_VENV: &str = "target/tools/schemathesis-4.32.5";

/// The Debian packages that provide the browser-test and size tools.
const APT_CHROMIUM: &[&str] = &["chromium", "chromium-driver"];

/// Which tools a command needs.
#[derive(Clone, Copy)]
pub struct Needs {
    /// Chromium + chromedriver for browser tests.
    pub browser: bool,
    /// Binaryen's wasm-opt; when `false` a missing one only skips optimisation.
    pub wasm_opt: bool,
    /// npm packages of the end-to-end tests (axe-core; esbuild and typescript for the npm
    /// package case; oidc-provider in `tests/oidc-provider`), and Debian's nginx for them.
    pub npm: bool,
    /// The `wrk` load generator.
    pub wrk: bool,
    /// Debian's `redis-server` and `nginx`: the bus and the load balancer of a scaled-out
    /// provider (`cargo xtask serve --scale N`, the server's and the end-to-end `scale::` tests,
    /// docs/scaling.md).
    pub scale: bool,
    /// Debian's `postgresql` (`/usr/lib/postgresql/<version>/bin`: `initdb`, `postgres`,
    /// `psql`): the shared database of a scaled-out provider and the server's tests against
    /// PostgreSQL (`wl_e2e::postgres` starts a throwaway server of ours; the package's own
    /// service is not used).
    pub postgres: bool,
}

impl Needs {
    /// What building the package needs (`cargo xtask build`, `bytes`, `gallery`, `serve`):
    /// the wasm toolchain, and binaryen when Debian's packages can be installed (as root).
    pub fn package() -> Self {
        Needs {
            browser: false,
            wasm_opt: util::is_root(),
            npm: false,
            wrk: false,
            scale: false,
            postgres: false,
        }
    }

    /// Everything any command uses.
    pub fn all() -> Self {
        Needs {
            browser: true,
            wasm_opt: true,
            npm: true,
            wrk: true,
            scale: true,
            postgres: true,
        }
    }
}

/// Makes sure every tool in `needs` (and the wasm toolchain with trunk, always) is present.
pub fn ensure(needs: Needs) -> Result<()> {
    check_pin()?;
    wasm_target()?;
    wasm_bindgen()?;
    trunk()?;
    let mut apt: Vec<&str> = Vec::new();
    if needs.browser && (chromium().is_none() || which("chromedriver").is_none()) {
        apt.extend(APT_CHROMIUM);
    }
    if needs.wasm_opt && which("wasm-opt").is_none() {
        apt.push("binaryen");
    }
    if needs.wrk && which("wrk").is_none() {
        apt.push("wrk");
    }
    // The end-to-end tests serve the package through nginx configured as docs/hosting.md says
    // (tests/tests/e2e/cdn.rs).
    if needs.npm && which("nginx").is_none() {
        apt.push("nginx");
    }
    if needs.scale && which("redis-server").is_none() {
        apt.push("redis-server");
    }
    if needs.scale && !needs.npm && which("nginx").is_none() {
        apt.push("nginx");
    }
    if needs.postgres && !postgres_installed() {
        apt.push("postgresql");
    }
    // The TLS test's certificates (`wl_e2e::postgres::Postgres::start_tls`).
    if needs.postgres && which("openssl").is_none() {
        apt.push("openssl");
    }
    if needs.npm && which("npm").is_none() {
        apt.extend(["nodejs", "npm"]);
    }
    if apt.contains(&"postgresql") && util::is_root() {
        no_main_cluster()?;
    }
    apt_install(&apt)?;
    if needs.npm {
        npm_packages("tests", &["axe-core", "esbuild", "typescript"])?;
        // The real OpenID provider of the `oidc::` end-to-end cases (panva's oidc-provider).
        npm_packages("tests/oidc-provider", &["oidc-provider"])?;
    }
    if which("npm").is_some() {
        npm_packages("xtask", &["esbuild", "binaryen", "terser"])?;
    }
    Ok(())
}

/// Whether some PostgreSQL's `initdb` is installed where Debian puts it
/// (`/usr/lib/postgresql/*/bin/initdb`).
fn postgres_installed() -> bool {
    std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|d| {
        d.filter_map(|e| e.ok())
            .any(|e| e.path().join("bin").join("initdb").is_file())
    })
}

/// Where Debian's `postgresql-common` reads extra cluster-creation settings (its
/// `createcluster.conf` includes the folder).
const CREATECLUSTER_D: &str = "/etc/postgresql-common/createcluster.d";

/// Before Debian's `postgresql` is installed: tells its post-install script not to create (and
/// start) the system-wide `main` cluster on port 5432, which nothing of ours uses
/// (`wl_e2e::postgres` runs a server of its own in a folder of ours).
fn no_main_cluster() -> Result<()> {
    let dir = std::path::Path::new(CREATECLUSTER_D);
    let file = dir.join("wl-connect.conf");
    if file.is_file() {
        return Ok(());
    }
    println!(
        "xtask: writing {}: Debian's postgresql is not to create and start its own `main` \
         cluster (the tests and `serve --scale` start a PostgreSQL of their own)",
        file.display()
    );
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        &file,
        "# Written by wl-connect's `cargo xtask`: it starts PostgreSQL clusters of its own.\n\
         create_main_cluster = off\n",
    )?;
    Ok(())
}

/// The Chromium binary, if installed.
pub fn chromium() -> Option<std::path::PathBuf> {
    which("chromium").or_else(|| which("chromium-browser"))
}

/// Fails when `Cargo.lock` and [`WASM_BINDGEN_VERSION`] disagree: the CLI would refuse the wasm.
fn check_pin() -> Result<()> {
    let lock = std::fs::read_to_string(util::root().join("Cargo.lock"))?;
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string());
    let trunk_toml = std::fs::read_to_string(util::root().join("Trunk.toml"))?;
    let want = format!("wasm_bindgen = \"{WASM_BINDGEN_VERSION}\"");
    if !trunk_toml.lines().any(|l| l.trim() == want) {
        return Err(Error(format!(
            "Trunk.toml must say `{want}` under [tools] (xtask/src/tools.rs pins \
             the wasm-bindgen CLI to {WASM_BINDGEN_VERSION}); change both together"
        )));
    }
    match locked {
        Some(v) if v == WASM_BINDGEN_VERSION => Ok(()),
        Some(v) => Err(Error(format!(
            "Cargo.lock has wasm-bindgen {v} but xtask/src/tools.rs pins the CLI to \
             {WASM_BINDGEN_VERSION}; change both together"
        ))),
        None => Ok(()),
    }
}

fn wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if !installed {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn wasm_bindgen() -> Result<()> {
    let want = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    if probe("wasm-bindgen", "--version").as_deref() == Some(want.as_str())
        && which("wasm-bindgen-test-runner").is_some()
    {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (about 4 minutes, once)");
    let version = format!("={WASM_BINDGEN_VERSION}");
    let locked = run(Command::new("cargo").args([
        "install",
        "--locked",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]));
    if locked.is_err() {
        // The CLI's own lock file can name a dependency version the registry no longer serves
        // (seen with webpki-roots 1.0.11); resolve afresh within the same CLI version.
        println!("xtask: the locked install failed; retrying with a fresh resolution");
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok(())
}

/// Installs trunk [`TRUNK_VERSION`] unless `trunk --version` already says it. Called by the
/// Playground build (`build::site()`), so every command that builds the site has it.
pub fn trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    if probe("trunk", "--version").as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    println!("xtask: installing trunk {TRUNK_VERSION} (about 10 minutes, once)");
    let version = format!("trunk@{TRUNK_VERSION}");
    if run(Command::new("cargo").args(["install", "--locked", &version])).is_err() {
        // As for wasm-bindgen-cli: a locked dependency the registry no longer serves.
        println!("xtask: the locked install failed; retrying with a fresh resolution");
        run(Command::new("cargo").args(["install", &version]))?;
    }
    Ok(())
}

/// Installs Debian packages (as root; otherwise fails naming the `apt-get install` line).
pub fn apt_install(packages: &[&str]) -> Result<()> {
    if packages.is_empty() {
        return Ok(());
    }
    if !util::is_root() {
        return Err(Error(format!(
            "missing tools; install these Debian packages and run again: sudo apt-get install {}",
            packages.join(" ")
        )));
    }
    println!("xtask: installing Debian packages: {}", packages.join(" "));
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Installs the npm packages pinned in `<dir>/package-lock.json` unless every one of `markers`
/// (folders under `<dir>/node_modules`) is already there: axe-core for the end-to-end tests and
/// oidc-provider for their `oidc::` cases (`tests/oidc-provider`); esbuild, terser and binaryen's
/// newer `wasm-opt` for the build.
pub fn npm_packages(dir: &str, markers: &[&str]) -> Result<()> {
    let dir = util::root().join(dir);
    let installed = markers
        .iter()
        .all(|m| dir.join("node_modules").join(m).is_dir());
    if !dir.join("package.json").is_file() || installed {
        return Ok(());
    }
    if which("npm").is_none() {
        return Err(Error(
            "npm is missing: install Node.js (Debian: nodejs npm)".into(),
        ));
    }
    println!(
        "xtask: installing the npm packages pinned in {}/package-lock.json ({})",
        dir.display(),
        markers.join(", ")
    );
    let verb = if dir.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    run(Command::new("npm").current_dir(&dir).args([
        verb,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))
}

/// Installs Schemathesis [`SCHEMATHESIS_VERSION`] from PyPI into [`SCHEMATHESIS_VENV`] (a
/// Python virtual environment of ours, about 30 packages, once) unless it is there, and returns
/// its `schemathesis` program. Needs `python3` with `venv` and `ensurepip` (Debian:
/// `python3 python3-venv`, installed as root when missing).
pub fn schemathesis() -> Result<std::path::PathBuf> {
    let venv = util::root().join(SCHEMATHESIS_VENV);
    let program = venv.join("bin").join("schemathesis");
    let want = format!("schemathesis, version {SCHEMATHESIS_VERSION}");
    if probe(&program.to_string_lossy(), "--version").as_deref() == Some(want.as_str()) {
        return Ok(program);
    }
    let venv_works = Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !venv_works {
        apt_install(&["python3", "python3-venv"])?;
    }
    println!(
        "xtask: installing Schemathesis {SCHEMATHESIS_VERSION} from PyPI into {SCHEMATHESIS_VENV} \
         (a Python virtual environment; about a minute, once)"
    );
    let _ = std::fs::remove_dir_all(&venv);
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    let pin = format!("schemathesis=={SCHEMATHESIS_VERSION}");
    run(Command::new(venv.join("bin").join("pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &pin,
    ]))?;
    if probe(&program.to_string_lossy(), "--version").as_deref() != Some(want.as_str()) {
        return Err(Error(format!(
            "{} does not say `{want}` after the install",
            program.display()
        )));
    }
    Ok(program)
}
