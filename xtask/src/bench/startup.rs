//! Start-up speed in a real headless Chromium, driven over WebDriver (chromedriver):
//! DOMContentLoaded → a rendered, clickable `<wl-signin>` (median of several cold loads), and the
//! compile and instantiate times of the module a sign-in page loads (core + controls).

use super::Row;
use crate::util::{Error, Result, which};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How many page loads the medians are taken over.
const LOADS: usize = 7;

/// Chromium's flags: headless, the closed-network set from `webdriver.json` (the one list, shared
/// with the wasm test runner and the end-to-end harness), and a window size.
fn chrome_args() -> Result<Vec<String>> {
    let file = crate::util::root().join("webdriver.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
    let shared = json["goog:chromeOptions"]["args"]
        .as_array()
        .ok_or_else(|| Error(format!("{} has no goog:chromeOptions.args", file.display())))?;
    let mut args = vec!["--headless".to_string(), "--no-sandbox".to_string()];
    args.extend(shared.iter().filter_map(Value::as_str).map(str::to_string));
    args.push("--window-size=1280,900".into());
    Ok(args)
}

/// Measures start-up on the site served at `site`.
pub fn measure(site: &str) -> Result<Vec<Row>> {
    let driver = Driver::start()?;
    let mut clickable = Vec::new();
    let mut compile = Vec::new();
    let mut instantiate = Vec::new();
    for _ in 0..LOADS {
        // A fresh browser per load: nothing cached, as for a first visit.
        let session = driver.session()?;
        let r = session.load_and_wait(&format!("{site}/bench/startup.html"));
        let w = r.and_then(|r| {
            clickable.push(number(&r, "clickable_ms")?);
            session.load_and_wait(&format!("{site}/bench/wasm.html"))
        });
        session.quit();
        let w = w?;
        compile.push(number(&w, "compile_ms")?);
        instantiate.push(number(&w, "instantiate_ms")?);
    }
    Ok(vec![
        Row {
            what: format!(
                "DOMContentLoaded → clickable `<wl-signin>`, cold load, median of {LOADS}"
            ),
            value: format!(
                "{:.1} ms (min {:.1}, max {:.1})",
                median(&mut clickable),
                min(&clickable),
                max(&clickable)
            ),
            budget: None,
        },
        Row {
            what: "sign-in page wasm (core + controls) compile / instantiate + start, median"
                .into(),
            value: format!(
                "{:.2} ms / {:.2} ms",
                median(&mut compile),
                median(&mut instantiate)
            ),
            budget: None,
        },
    ])
}

fn number(v: &Value, key: &str) -> Result<f64> {
    v.get(key)
        .and_then(Value::as_f64)
        .ok_or_else(|| Error(format!("the bench page gave no `{key}`: {v}")))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// A chromedriver process on a free loopback port, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Result<Driver> {
        let bin = std::env::var("CHROMEDRIVER")
            .ok()
            .map(Into::into)
            .or_else(|| which("chromedriver"))
            .ok_or_else(|| Error("chromedriver is missing (Debian: chromium-driver)".into()))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{url}/status")).call().is_err() {
            if Instant::now() > deadline {
                return Err(Error("chromedriver did not start".into()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Driver { child, url })
    }

    fn session(&self) -> Result<Session> {
        let profile = super::tempdir(&format!("wl-bench-profile-{}", rand_suffix()))?;
        let mut args = chrome_args()?;
        args.push(format!("--user-data-dir={}", profile.display()));
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "args": args }
        }}});
        let v = post(&format!("{}/session", self.url), &caps)?;
        let id = v["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| Error(format!("no session from chromedriver: {v}")))?;
        let url = format!("{}/session/{id}", self.url);
        post(
            &format!("{url}/timeouts"),
            &json!({ "script": 30_000, "pageLoad": 30_000 }),
        )?;
        Ok(Session { url, profile })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Session {
    url: String,
    profile: std::path::PathBuf,
}

impl Session {
    /// Loads a bench page and returns what its `window.__bench` promise resolves to.
    fn load_and_wait(&self, page: &str) -> Result<Value> {
        post(&format!("{}/url", self.url), &json!({ "url": page }))?;
        let script = "const done = arguments[arguments.length - 1];\
                      window.__bench.then(done, (e) => done({ error: String(e) }));";
        let v = post(
            &format!("{}/execute/async", self.url),
            &json!({ "script": script, "args": [] }),
        )?;
        let value = v["value"].clone();
        if let Some(e) = value.get("error") {
            return Err(Error(format!("bench page {page} failed: {e}")));
        }
        Ok(value)
    }

    fn quit(self) {
        let _ = ureq::delete(&self.url).call();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn post(url: &str, body: &Value) -> Result<Value> {
    let text = match ureq::post(url)
        .set("Content-Type", "application/json")
        .send_string(&body.to_string())
    {
        Ok(r) => r.into_string()?,
        Err(ureq::Error::Status(code, r)) => {
            return Err(Error(format!(
                "WebDriver {url} answered {code}: {}",
                r.into_string().unwrap_or_default()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(serde_json::from_str(&text)?)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
