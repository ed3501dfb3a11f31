//! The loader as an npm package, used the way a bundler user does: `npm pack` the built package,
//! install the tarball into a scratch project (offline), type-check an app that uses every
//! documented method, option and event of `wl.d.ts` with `tsc --noEmit`, bundle it with esbuild,
//! serve the bundle from a plain static server on its own origin, and sign in.

use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::{E2eError, Env, Result, check, http, paths};

use crate::{cdn, npm};

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![npm::packed_loader_bundles_type_checks_and_signs_in]
}

const WAIT: Duration = Duration::from_secs(15);

/// `npm pack` → `npm install` the tarball → `tsc` (good app passes, wrong uses fail) → esbuild →
/// the bundled page signs in, calls the API and signs out.
pub async fn packed_loader_bundles_type_checks_and_signs_in(env: &Env) -> Result<()> {
    let server = env.server()?;
    let dist = paths::wl_dist()?;
    let tools = paths::repo_root().join("tests/node_modules/.bin");
    let template = paths::repo_root().join("tests/npm");
    let scratch = tempfile::Builder::new().prefix("wl-e2e-npm-").tempdir()?;
    let dir = scratch.path();

    // The tarball holds everything wl.js may load.
    let packed = run(
        Command::new("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(dir)
            .arg(&dist),
        "npm pack",
    )?;
    let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_owned();
    let listing = run(
        Command::new("tar").arg("tzf").arg(dir.join(&tarball)),
        "tar tzf",
    )?;
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let mut wanted = vec!["wl.js".to_owned(), "wl.d.ts".to_owned()];
    for entry in std::fs::read_dir(dist.join("pkg"))? {
        wanted.push(format!("pkg/{}", entry?.file_name().to_string_lossy()));
    }
    for file in &wanted {
        check(
            listing.lines().any(|l| l == format!("package/{file}")),
            format!("the npm package should contain {file}: {listing}"),
        )?;
    }

    // A scratch project installs it from the tarball, offline.
    std::fs::write(
        dir.join("package.json"),
        json!({
            "name": "a-bundler-users-app",
            "private": true,
            "dependencies": { "wl-connect": format!("file:./{tarball}") }
        })
        .to_string(),
    )?;
    run(
        Command::new("npm")
            .args([
                "install",
                "--offline",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(dir),
        "npm install (the tarball)",
    )?;
    let origin_port = http::free_port()?;
    let origin = format!("http://127.0.0.1:{origin_port}");
    let client_id = cdn::register_app(server.data_dir(), &origin)?;
    for file in ["app.ts", "bad.ts", "tsconfig.json"] {
        std::fs::copy(template.join(file), dir.join(file))?;
    }
    std::fs::write(
        dir.join("config.ts"),
        format!(
            "export const AUTHORITY = {};\nexport const CLIENT_ID = {};\n",
            json!(server.provider),
            json!(client_id)
        ),
    )?;

    // The types: the app type-checks; wrong uses of the API do not.
    run(
        Command::new(tools.join("tsc"))
            .args(["-p", "tsconfig.json"])
            .current_dir(dir),
        "tsc --noEmit (app.ts)",
    )?;
    let bad = Command::new(tools.join("tsc"))
        .args([
            "--noEmit",
            "--strict",
            "--moduleResolution",
            "bundler",
            "--module",
            "esnext",
        ])
        .args(["--target", "es2020", "--lib", "es2020,dom", "bad.ts"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()?;
    let errors = String::from_utf8_lossy(&bad.stdout);
    check(
        !bad.status.success() && errors.matches("error TS").count() >= 6,
        format!("tsc should refuse each wrong use in bad.ts (6 errors): {errors}"),
    )?;

    // The bundle, and the site a bundler user deploys: the page, the bundle, the package's
    // modules beside it, the callback.
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg"))?;
    run(
        Command::new(tools.join("esbuild"))
            .args([
                "app.ts",
                "--bundle",
                "--format=iife",
                "--outfile=site/app.js",
            ])
            .current_dir(dir),
        "esbuild --bundle",
    )?;
    let installed = dir.join("node_modules/wl-connect");
    copy_dir(&installed.join("pkg"), &site.join("pkg"))?;
    for file in ["wl.js", "callback.html", "callback.js"] {
        if installed.join(file).is_file() {
            std::fs::copy(installed.join(file), site.join(file))?;
        }
    }
    std::fs::copy(template.join("index.html"), site.join("index.html"))?;
    let _static = wl_e2e::static_site::serve(&site, origin_port, false, "index.html")?;

    let b = env.browser().await?;
    b.goto(&format!("{origin}/index.html")).await?;
    b.wait_js(
        "the bundled app to be ready",
        WAIT,
        "return window.app && window.app.seen.some(s => s.startsWith('ui:'));",
    )
    .await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", WAIT).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::check_api_me(&b, "Alice Anderson", "from the bundle").await?;
    // Sign out with the control, as a person does.
    flow::wait_button_text(&b, "wl-signin", "sign out", WAIT).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    let seen = b
        .wait_js(
            "the sign-out's events",
            WAIT,
            "const s = window.app.seen;
             return s.includes('auth.logout') && s.some(e => e.startsWith('wl-logout')) ? s : null;",
        )
        .await?;
    for event in [
        "init:notConnected",
        "provider:true:true:true",
        "auth.login:Bearer",
        "auth.statusChange:connected",
        "wl-login:true",
        "auth.logout",
        "wl-logout:null",
    ] {
        check(
            seen.as_array()
                .is_some_and(|a| a.iter().any(|s| s == event)),
            format!("the app should have seen {event}: {seen}"),
        )?;
    }
    Ok(())
}

/// Runs a command to success; its output.
fn run(cmd: &mut Command, what: &str) -> Result<Output> {
    let out = cmd.stdin(Stdio::null()).output()?;
    if !out.status.success() {
        return Err(E2eError::Process {
            program: what.to_owned(),
            message: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    Ok(out)
}

/// Copies the files of `from` into `to` (one level: the package's `pkg/`).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path: PathBuf = entry.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
