//! chromedriver on a free loopback port, and the capabilities of every browser session.

use crate::error::{E2eError, Result};
use crate::process::GroupChild;
use crate::{http, paths};
use serde_json::{Value as Json, json};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A running chromedriver; its process group (chromedriver and every Chromium it started) is
/// killed on drop.
#[derive(Debug)]
pub struct Chromedriver {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    _process: GroupChild,
}

impl Chromedriver {
    /// Starts chromedriver (`CHROMEDRIVER` or `/usr/bin/chromedriver`) on a free port and waits
    /// until `/status` says it is ready.
    pub fn start() -> Result<Self> {
        let bin = paths::chromedriver_bin()?;
        let port = http::free_port()?;
        let mut cmd = Command::new(&bin);
        cmd.arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(log) = std::env::var_os("WL_E2E_CHROMEDRIVER_LOG") {
            cmd.arg(format!("--log-path={}", Path::new(&log).display()));
        }
        let mut process = GroupChild::spawn(cmd, "chromedriver")?;
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        let mut delay = Duration::from_millis(20);
        loop {
            process.ensure_running()?;
            if let Some((200, body)) = http::get(&format!("{url}/status"))
                && (body.contains("\"ready\":true") || body.contains("\"ready\": true"))
            {
                break;
            }
            if start.elapsed() > Duration::from_secs(20) {
                return Err(E2eError::Timeout {
                    what: format!("chromedriver at {url} to be ready"),
                    timeout: Duration::from_secs(20),
                    last: String::new(),
                });
            }
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_millis(250));
        }
        Ok(Self {
            url,
            _process: process,
        })
    }
}

/// The Chromium flags every session uses: headless, the closed-network set from the repository's
/// `webdriver.json` (the one list, shared with the wasm test runner and the bench), a window size,
/// and `--user-data-dir`.
pub fn chrome_args(user_data_dir: &Path) -> Result<Vec<String>> {
    chrome_args_in(user_data_dir, "en-US")
}

/// [`chrome_args`] for a browser whose language is `lang` (`--lang`, and `--accept-lang`, which
/// headless Chromium sends as `Accept-Language`).
pub fn chrome_args_in(user_data_dir: &Path, lang: &str) -> Result<Vec<String>> {
    let file = paths::repo_root().join("webdriver.json");
    let missing = || E2eError::Missing {
        what: "the Chromium flags (goog:chromeOptions.args)",
        path: file.display().to_string(),
        hint: "restore webdriver.json from git",
    };
    let text = std::fs::read_to_string(&file).map_err(|_| missing())?;
    let json: Json = serde_json::from_str(&text).map_err(|_| missing())?;
    let shared = json["goog:chromeOptions"]["args"]
        .as_array()
        .ok_or_else(missing)?;
    let mut args: Vec<String> = vec!["--headless".into(), "--no-sandbox".into()];
    args.extend(shared.iter().filter_map(Json::as_str).map(str::to_string));
    args.push("--window-size=1280,900".into());
    args.push(format!("--lang={lang}"));
    if lang != "en-US" {
        args.push(format!("--accept-lang={lang}"));
    }
    args.push(format!("--user-data-dir={}", user_data_dir.display()));
    Ok(args)
}

/// The W3C capabilities of a session.
///
/// chromedriver normally passes `--disable-popup-blocking`; we exclude that switch so Chromium
/// blocks popups not opened from a user gesture, exactly like a visitor's browser. Alerts are
/// left open (`unhandledPromptBehavior: ignore`) so a test can see one.
///
/// `page_load` is the W3C page load strategy: `normal` waits for the load event, `none` returns
/// from navigation at once (to act while the page is still loading).
pub fn capabilities(
    user_data_dir: &Path,
    page_load: &str,
) -> Result<serde_json::Map<String, Json>> {
    capabilities_in(user_data_dir, page_load, "en-US")
}

/// [`capabilities`] of a browser whose language is `lang` (e.g. `fr-FR,fr`'s first tag,
/// `fr-FR`): `--lang`, `--accept-lang` and the `intl.accept_languages` preference, so its
/// requests carry `Accept-Language` in that language as a French person's browser does.
pub fn capabilities_in(
    user_data_dir: &Path,
    page_load: &str,
    lang: &str,
) -> Result<serde_json::Map<String, Json>> {
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": page_load,
        "unhandledPromptBehavior": "ignore",
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "binary": paths::chrome_bin().display().to_string(),
            "args": chrome_args_in(user_data_dir, lang)?,
            "excludeSwitches": ["disable-popup-blocking"],
            "prefs": { "intl": { "accept_languages": lang } },
        },
    });
    Ok(match caps {
        Json::Object(map) => map,
        _ => serde_json::Map::new(),
    })
}
