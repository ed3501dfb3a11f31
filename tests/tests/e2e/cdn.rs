//! The loader on a stranger's site: the customer's page is served by a plain static file server
//! (Python's `http.server`, not our dev host) on a third origin, loads `wl.js` from the dev host
//! as from a CDN, and signs in against the provider, with the callback on its own origin.

use serde_json::{Value as Json, json};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::process::GroupChild;
use wl_e2e::{E2eError, Env, Result, check, http, paths};

use crate::cdn;

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![
        cdn::snippet_on_a_third_origin_signs_in,
        cdn::snippet_on_a_third_origin_under_a_strict_csp_signs_in,
    ]
}

/// A customer's page on a third origin, with no Content-Security-Policy.
pub async fn snippet_on_a_third_origin_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, false).await
}

/// The same page under a strict CSP: no `unsafe-inline`, `script-src` naming only the loader's
/// host and `'wasm-unsafe-eval'`.
pub async fn snippet_on_a_third_origin_under_a_strict_csp_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, true).await
}

async fn third_origin_sign_in(env: &Env, strict_csp: bool) -> Result<()> {
    let server = env.server()?;
    let port = http::free_port()?;
    let customer = format!("http://127.0.0.1:{port}");
    let client_id = register_app(server.data_dir(), &customer)?;

    let root = tempfile::Builder::new()
        .prefix("wl-e2e-customer-")
        .tempdir()?;
    let dist = paths::wl_dist()?;
    // The callback, in one copy on the customer's origin, as the README asks.
    for file in ["callback.html", "callback.js"] {
        std::fs::copy(dist.join(file), root.path().join(file))?;
    }
    let csp = if strict_csp {
        format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             script-src {site} 'wasm-unsafe-eval'; connect-src {site} {provider}; \
             img-src {provider} data:; style-src 'none'; base-uri 'none'; object-src 'none'\">",
            site = server.site,
            provider = server.provider
        )
    } else {
        String::new()
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{csp}\
         <title>A customer's site</title></head><body>\n<h1>A customer's site</h1>\n\
         <script src=\"{site}/wl.js\" data-client-id=\"{client_id}\" data-authority=\"{provider}\" \
         data-scope=\"wl.signin wl.basic\" data-redirect-uri=\"{customer}/callback.html\"></script>\n\
         <wl-signin theme=\"blue\"></wl-signin>\n<wl-userinfo layout=\"compact\"></wl-userinfo>\n\
         </body></html>\n",
        site = server.site,
        provider = server.provider,
    );
    std::fs::write(root.path().join("index.html"), page)?;
    let _static_server = static_server(root.path(), port)?;

    let b = env.browser().await?;
    b.goto(&format!("{customer}/index.html")).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(2)).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    let me: Json = b
        .js(
            "return WL.api({ path: 'me' }).then(r => r, e => ({ rejected: e }));",
            vec![],
        )
        .await?;
    check(
        me["name"] == json!("Alice Anderson"),
        format!("WL.api({{path: 'me'}}) on the customer's origin should return Alice: {me}"),
    )?;
    let location = b.js("return location.origin;", vec![]).await?;
    check(
        location == json!(customer),
        format!("the page should still be the customer's: {location}"),
    )?;
    if strict_csp {
        let log = b.console_log().await;
        check(
            !log.iter().any(|l| l.contains("Content Security Policy")),
            format!("no CSP violation expected: {log:?}"),
        )?;
    }
    Ok(())
}

/// `wl-server apps add` for the customer's origin, on the running server's data; the client id.
pub(crate) fn register_app(data_dir: &Path, origin: &str) -> Result<String> {
    let out = Command::new(paths::server_bin()?)
        .args(["apps", "add", "--name", "A customer's site"])
        .arg("--redirect-uri")
        .arg(format!("{origin}/callback.html"))
        .arg("--origin")
        .arg(origin)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::null())
        .output()?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || id.is_empty() {
        return Err(E2eError::Process {
            program: "wl-server apps add".into(),
            message: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(id)
}

/// `python3 -m http.server` on `port`, serving `dir`; ready when it answers.
pub(crate) fn static_server(dir: &Path, port: u16) -> Result<GroupChild> {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "http.server", "--bind", "127.0.0.1"])
        .arg(port.to_string())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = GroupChild::spawn(cmd, "python3 -m http.server")?;
    let url = format!("http://127.0.0.1:{port}/index.html");
    let timeout = Duration::from_secs(10);
    http::wait_for_200(&url, timeout).map_err(|last| E2eError::Timeout {
        what: format!("{url} to answer 200"),
        timeout,
        last: format!("; last seen: {last:?}"),
    })?;
    child.ensure_running()?;
    Ok(child)
}
