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

/// The Chromium flags every session uses (the mandatory headless set, a window size), plus
/// `--user-data-dir`.
pub fn chrome_args(user_data_dir: &Path) -> Vec<String> {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--lang=en-US",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", user_data_dir.display()));
    args
}

/// The W3C capabilities of a session.
///
/// chromedriver normally passes `--disable-popup-blocking`; we exclude that switch so Chromium
/// blocks popups not opened from a user gesture, exactly like a visitor's browser. Alerts are
/// left open (`unhandledPromptBehavior: ignore`) so a test can see one.
///
/// `page_load` is the W3C page load strategy: `normal` waits for the load event, `none` returns
/// from navigation at once (to act while the page is still loading).
pub fn capabilities(user_data_dir: &Path, page_load: &str) -> serde_json::Map<String, Json> {
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": page_load,
        "unhandledPromptBehavior": "ignore",
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "binary": paths::chrome_bin().display().to_string(),
            "args": chrome_args(user_data_dir),
            "excludeSwitches": ["disable-popup-blocking"],
        },
    });
    match caps {
        Json::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}
