//! A small synchronous WebDriver client for the bench's browser measurements: chromedriver on a
//! free loopback port, headless Chromium sessions with fresh profiles and the closed-network flags.

use crate::util::{Error, Result, root, which};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium's flags: headless, the closed-network set from `webdriver.json` (the one list, shared
/// with the wasm test runner and the end-to-end harness), and a window size.
fn chrome_args() -> Result<Vec<String>> {
    let file = root().join("webdriver.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
    let shared = json["goog:chromeOptions"]["args"]
        .as_array()
        .ok_or_else(|| Error(format!("{} has no goog:chromeOptions.args", file.display())))?;
    let mut args = vec!["--headless".to_string(), "--no-sandbox".to_string()];
    args.extend(shared.iter().filter_map(Value::as_str).map(str::to_string));
    args.push("--window-size=1280,900".into());
    Ok(args)
}

/// A chromedriver process on a free loopback port, killed on drop.
pub struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// Starts chromedriver (`CHROMEDRIVER` or the one on `PATH`) and waits until it answers.
    pub fn start() -> Result<Driver> {
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

    /// A new browser with a fresh profile (nothing cached, as for a first visit).
    pub fn session(&self) -> Result<Session> {
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
        let session = Session {
            url: format!("{}/session/{id}", self.url),
            profile,
        };
        session.post("timeouts", &json!({ "script": 60_000, "pageLoad": 30_000 }))?;
        Ok(session)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session; [`quit`](Session::quit) closes it and removes its profile.
pub struct Session {
    url: String,
    profile: PathBuf,
}

impl Session {
    /// `POST {session}/{cmd}` with a JSON body.
    pub fn post(&self, cmd: &str, body: &Value) -> Result<Value> {
        post(&format!("{}/{cmd}", self.url), body)
    }

    /// Navigates to `url`.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.post("url", &json!({ "url": url })).map(|_| ())
    }

    /// Runs a synchronous script and returns its value.
    pub fn execute(&self, script: &str) -> Result<Value> {
        Ok(self.post("execute/sync", &json!({ "script": script, "args": [] }))?["value"].clone())
    }

    /// Runs an asynchronous script (its last argument is the callback) with `args`; a value with
    /// an `error` field is an error.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        let v = self.post("execute/async", &json!({ "script": script, "args": args }))?["value"]
            .clone();
        if let Some(e) = v.get("error") {
            return Err(Error(format!("the bench script failed: {e}")));
        }
        Ok(v)
    }

    /// Loads a bench page and returns what its `window.__bench` promise resolves to.
    pub fn load_and_wait(&self, page: &str) -> Result<Value> {
        self.goto(page)?;
        let script = "const done = arguments[arguments.length - 1];\
                      window.__bench.then(done, (e) => done({ error: String(e) }));";
        self.execute_async(script, Vec::new())
            .map_err(|e| Error(format!("bench page {page}: {}", e.0)))
    }

    /// Closes the browser and removes its profile.
    pub fn quit(self) {
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
