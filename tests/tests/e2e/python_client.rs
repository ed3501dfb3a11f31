//! The Python library's sign-in against the real provider in a real browser (issue 17 §2).
//!
//! `clients/python/examples/webapp.py`, a tiny back end on `http.server`, runs with the
//! `wlconnect` wheel built and installed into a fresh venv (`clients/python/run_tests.py
//! --install-only`) as a confidential client registered with the operator CLI. Chromium opens
//! its `/`, follows "Sign in" to the provider, signs Alice in and allows; the provider sends the
//! browser to the app's `/callback`, whose server exchanges the code with its secret and shows
//! "Hello, Alice Anderson" and her friends' count from `/v1/me/friends?$count=true`. The browser
//! never holds a token: the page's cookies are the provider's and the app's opaque session.

use crate::python_client;
use std::process::{Command, Stdio};
use std::time::Duration;
use wl_e2e::harness::Case;
use wl_e2e::process::GroupChild;
use wl_e2e::{E2eError, Env, Probe, Result, check, flow, http, paths};

/// This module's cases.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![python_client::a_python_back_end_signs_alice_in_through_the_browser]
}

/// Runs `wl-server ARGS --data-dir DIR` (the operator CLI on the shared dev host's data).
fn cli(bin: &std::path::Path, data: &std::path::Path, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()?;
    if !out.status.success() {
        return Err(E2eError::Check(format!(
            "wl-server {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Alice signs in to a Python back end through the provider's pages in Chromium.
pub async fn a_python_back_end_signs_alice_in_through_the_browser(env: &Env) -> Result<()> {
    let server = env.server()?;
    let bin = paths::server_bin()?;
    let port = http::free_port()?;
    let app = format!("http://127.0.0.1:{port}");
    let redirect = format!("{app}/callback");
    let client_id = cli(
        &bin,
        server.data_dir(),
        &[
            "apps",
            "add",
            "--name",
            "Python back end",
            "--redirect-uri",
            &redirect,
        ],
    )?;
    let secret_line = cli(
        &bin,
        server.data_dir(),
        &["apps", "secret", "new", "--client-id", &client_id],
    )?;
    let (_, secret) = secret_line
        .split_once(' ')
        .ok_or_else(|| E2eError::Check(format!("`ID SECRET`, not {secret_line:?}")))?;

    // The wheel, built and installed into a fresh venv of this test.
    let venv = tempfile::Builder::new()
        .prefix("wl-e2e-pyvenv-")
        .tempdir()?;
    let python_dir = paths::repo_root().join("clients/python");
    let out = Command::new("python3")
        .arg(python_dir.join("run_tests.py"))
        .arg("--install-only")
        .arg("--venv")
        .arg(venv.path().join("venv"))
        .stdin(Stdio::null())
        .output()?;
    check(
        out.status.success(),
        format!(
            "building and installing the wheel failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )?;
    let python = venv.path().join("venv/bin/python");

    // The app, run from an empty folder so that only the installed package can be imported.
    let mut cmd = Command::new(&python);
    cmd.arg(python_dir.join("examples/webapp.py"))
        .args(["--issuer", &server.provider, "--client-id", &client_id])
        .args(["--port", &port.to_string()])
        .env("WL_CLIENT_SECRET", secret)
        .env_remove("PYTHONPATH")
        .current_dir(venv.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut webapp = GroupChild::spawn(cmd, "clients/python/examples/webapp.py")?;
    http::wait_ready(&format!("{app}/"), Duration::from_secs(20))?;
    webapp.ensure_running()?;

    let b = env.browser().await?;
    b.goto(&format!("{app}/")).await?;
    b.find("#signin").await?.click().await?;
    flow::sign_in_in_this_window(&b, &server.provider, &app, "alice").await?;
    let hello = b
        .wait_for(
            "the callback page to greet Alice",
            Duration::from_secs(15),
            || async {
                let v = b
                    .js(
                        "const h = document.getElementById('hello'), f = document.getElementById('friends');
                         return { url: location.href, hello: h && h.textContent, friends: f && f.textContent,
                                  body: document.body ? document.body.innerText.slice(0, 300) : '' };",
                        vec![],
                    )
                    .await?;
                Ok(if v["hello"].is_string() {
                    Probe::Done(v)
                } else {
                    Probe::NotYet(v.to_string())
                })
            },
        )
        .await?;
    check(
        hello["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&redirect)),
        format!("the greeting is on the app's callback: {hello}"),
    )?;
    check(
        hello["hello"] == "Hello, Alice Anderson",
        format!("the greeting: {hello}"),
    )?;
    // Her friends, counted independently: every row of `/v1/me/friends` with a dev token.
    let token = cli(
        &bin,
        server.data_dir(),
        &["dev-token", "--user", "alice", "--scope", "wl.basic"],
    )?;
    let rows = Command::new(&python)
        .args([
            "-c",
            "import json, sys, urllib.request as u\n\
             r = u.Request(sys.argv[1], headers={'Authorization': 'Bearer ' + sys.argv[2]})\n\
             print(len(json.load(u.urlopen(r))['data']))",
        ])
        .arg(format!("{}/v1/me/friends?$top=1000", server.provider))
        .arg(token.trim())
        .output()?;
    let rows = String::from_utf8_lossy(&rows.stdout).trim().to_owned();
    check(
        rows.parse::<u32>().is_ok_and(|n| n > 0),
        format!("Alice's friends, counted: {rows:?}"),
    )?;
    check(
        hello["friends"] == format!("You have {rows} friends on wl-connect.").as_str(),
        format!("the friends' count from /v1/me/friends?$count=true is {rows}: {hello}"),
    )?;
    // The browser holds no token: the page has no script access to one and no cookie of the
    // app carries anything but its opaque session id.
    let cookies = b.js("return document.cookie;", vec![]).await?;
    check(
        !cookies.to_string().contains("wlat_") && !cookies.to_string().contains("wlrt_"),
        format!("no token in the app's cookies: {cookies}"),
    )?;

    let dir = paths::screenshots_dir()?.join("python-client");
    std::fs::create_dir_all(&dir)?;
    for (w, h) in [(1280, 720), (390, 844)] {
        b.client.set_window_size(w, h).await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        b.screenshot_to(&dir.join(format!("callback-{w}.png")))
            .await?;
    }
    b.client.set_window_size(1280, 900).await?;

    // Reloading the callback (the code is spent, the pending request gone) is a clean error.
    b.client.refresh().await?;
    let again = b.js("return document.body.innerText;", vec![]).await?;
    check(
        again.to_string().contains("Sign-in failed"),
        format!("a reloaded callback fails cleanly: {again}"),
    )?;
    webapp.ensure_running()?;
    Ok(())
}
