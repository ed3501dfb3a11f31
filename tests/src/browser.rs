//! One headless Chromium session and the helpers test bodies are written with: `find`,
//! `wait_for`, JavaScript, shadow-DOM queries, popup windows, CDP, console logs, screenshots.

use crate::driver::{self, Chromedriver};
use crate::error::{E2eError, Result};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::wd::{WebDriverCompatibleCommand, WindowHandle};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value as Json, json};
use std::future::Future;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long `find` and the default waits give the page.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The W3C key of a web element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session with a fresh profile. Cloning shares the session.
#[derive(Debug, Clone)]
pub struct Browser {
    /// The raw fantoccini client, for anything the helpers do not cover.
    pub client: Client,
    main_window: WindowHandle,
    _profile: Rc<tempfile::TempDir>,
}

impl Browser {
    /// Starts a new session (fresh `--user-data-dir`, 1280×900, popup blocking on) with the
    /// given page load strategy (`normal` or `none`).
    pub async fn start(driver: &Chromedriver, page_load: &str) -> Result<Self> {
        Self::start_in(driver, page_load, "en-US").await
    }

    /// [`start`](Self::start) for a browser whose language is `lang` (`fr-FR`).
    pub async fn start_in(driver: &Chromedriver, page_load: &str, lang: &str) -> Result<Self> {
        let profile = tempfile::Builder::new()
            .prefix("wl-e2e-chrome-")
            .tempdir()?;
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(driver::capabilities_in(profile.path(), page_load, lang)?);
        let client = builder.connect(&driver.url).await?;
        let main_window = client.window().await?;
        Ok(Self {
            client,
            main_window,
            _profile: Rc::new(profile),
        })
    }

    /// Ends the session (closes every window of it).
    pub async fn close(&self) -> Result<()> {
        self.client.clone().close().await?;
        Ok(())
    }

    /// Navigates the current window to `url` and waits for the load event.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its JSON result.
    /// A returned promise is awaited.
    pub async fn js(&self, script: &str, args: Vec<Json>) -> Result<Json> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Runs `script` like [`Browser::js`] and reads its answer as a list of strings (anything
    /// else in it is left out; no list: an empty one).
    pub async fn js_strings(&self, script: &str) -> Result<Vec<String>> {
        let v = self.js(script, vec![]).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Polls `probe` every 100 ms until it yields `Some`, or fails after `timeout` naming
    /// `what` and the last thing seen (the probe reports it through `last`).
    pub async fn wait_for<T, F, Fut>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Probe<T>>>,
    {
        let start = Instant::now();
        loop {
            let last = match probe().await? {
                Probe::Done(v) => return Ok(v),
                Probe::NotYet(seen) => seen,
            };
            if start.elapsed() > timeout {
                return Err(E2eError::Timeout {
                    what: what.to_string(),
                    timeout,
                    last: if last.is_empty() {
                        String::new()
                    } else {
                        format!("; last seen: {last}")
                    },
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `script` (a function body) returns a truthy value, and returns that value.
    pub async fn wait_js(&self, what: &str, timeout: Duration, script: &str) -> Result<Json> {
        self.wait_for(what, timeout, || async {
            let v = self.js(script, vec![]).await?;
            Ok(if truthy(&v) {
                Probe::Done(v)
            } else {
                Probe::NotYet(v.to_string())
            })
        })
        .await
    }

    /// Waits (up to [`DEFAULT_TIMEOUT`]) for an element matching `css` in the document.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.wait_for(&format!("element `{css}`"), DEFAULT_TIMEOUT, || async {
            match self.client.find(Locator::Css(css)).await {
                Ok(e) => Ok(Probe::Done(e)),
                Err(e) if e.is_no_such_element() => Ok(Probe::NotYet(String::new())),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// `document.querySelector(host).shadowRoot.querySelector(inner)`, as an element we can
    /// click; `None` while the host, its shadow root or the inner element is missing.
    pub async fn shadow(&self, host: &str, inner: &str) -> Result<Option<Element>> {
        let v = self
            .js(
                "const h = document.querySelector(arguments[0]);
                 return h && h.shadowRoot ? h.shadowRoot.querySelector(arguments[1]) : null;",
                vec![json!(host), json!(inner)],
            )
            .await?;
        Ok(self.element_from_json(&v))
    }

    /// Waits for [`shadow`](Self::shadow) to find `inner` in `host`'s shadow root.
    pub async fn wait_shadow(&self, host: &str, inner: &str, timeout: Duration) -> Result<Element> {
        self.wait_for(
            &format!("`{inner}` in the shadow root of `{host}`"),
            timeout,
            || async {
                Ok(match self.shadow(host, inner).await? {
                    Some(e) => Probe::Done(e),
                    None => Probe::NotYet(self.describe(host).await),
                })
            },
        )
        .await
    }

    /// A short description of `host` and its shadow root for failure messages.
    pub async fn describe(&self, host: &str) -> String {
        self.js(
            "const h = document.querySelector(arguments[0]);
             if (!h) return 'no ' + arguments[0] + ' in the page';
             const inner = h.shadowRoot ? h.shadowRoot.innerHTML : '(no shadow root)';
             return h.outerHTML.slice(0, 300) + ' shadow: ' + inner.slice(0, 600);",
            vec![json!(host)],
        )
        .await
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|e| format!("(could not describe: {e})"))
    }

    /// Presses and releases one key on the real keyboard input source (e.g.
    /// `fantoccini::key::Key::Tab.into()`), delivered to whatever has focus.
    pub async fn press(&self, key: char) -> Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let keys = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Turns a JSON web element reference returned by a script into an [`Element`].
    pub fn element_from_json(&self, v: &Json) -> Option<Element> {
        let id = v.get(ELEMENT_KEY)?.as_str()?;
        Some(Element::from_element_id(
            self.client.clone(),
            ElementRef::from(id.to_string()),
        ))
    }

    /// The JSON form of `el`, to pass it as a script argument.
    pub fn element_json(el: &Element) -> Json {
        json!({ ELEMENT_KEY: el.element_id().to_string() })
    }

    /// The window the session started with (the page under test).
    pub fn main_window(&self) -> &WindowHandle {
        &self.main_window
    }

    /// Switches commands to the main window.
    pub async fn switch_to_main(&self) -> Result<()> {
        self.client
            .switch_to_window(self.main_window.clone())
            .await?;
        Ok(())
    }

    /// The handles of every open window of this session.
    pub async fn windows(&self) -> Result<Vec<WindowHandle>> {
        Ok(self.client.windows().await?)
    }

    /// Waits for a window other than the main one (a popup) and returns its handle.
    pub async fn wait_for_popup(&self, timeout: Duration) -> Result<WindowHandle> {
        self.wait_for("a popup window to open", timeout, || async {
            let all = self.windows().await?;
            Ok(match all.into_iter().find(|w| w != &self.main_window) {
                Some(w) => Probe::Done(w),
                None => Probe::NotYet("only the main window".into()),
            })
        })
        .await
    }

    /// Waits until `window` is no longer open (the popup closed itself).
    pub async fn wait_window_closed(&self, window: &WindowHandle, timeout: Duration) -> Result<()> {
        self.wait_for("the popup window to close", timeout, || async {
            let all = self.windows().await?;
            Ok(if all.contains(window) {
                let url = self.url_of(window).await.unwrap_or_default();
                Probe::NotYet(format!("popup still open at {url}"))
            } else {
                Probe::Done(())
            })
        })
        .await
    }

    /// The URL shown in `window` (switches there and back to the main window).
    pub async fn url_of(&self, window: &WindowHandle) -> Result<String> {
        self.client.switch_to_window(window.clone()).await?;
        let url = self.client.current_url().await.map(|u| u.to_string());
        self.switch_to_main().await?;
        Ok(url?)
    }

    /// Runs a Chrome DevTools Protocol command on the current window's target.
    pub async fn cdp(&self, cmd: &str, params: Json) -> Result<Json> {
        Ok(self
            .client
            .issue_cmd(CdpCommand {
                cmd: cmd.to_string(),
                params,
            })
            .await?)
    }

    /// Every request of this page takes `ms` more (CDP network emulation; 0: as fast as it
    /// is), so a test can act while the page or its scripts are still on their way. Requests
    /// already sent keep the latency they had.
    pub async fn set_latency(&self, ms: u64) -> Result<()> {
        self.cdp("Network.enable", serde_json::json!({})).await?;
        self.cdp(
            "Network.emulateNetworkConditions",
            serde_json::json!({ "offline": false, "latency": ms, "downloadThroughput": -1,
                                "uploadThroughput": -1 }),
        )
        .await?;
        Ok(())
    }

    /// The browser console messages since the last call (chromedriver's log endpoint).
    pub async fn console_log(&self) -> Vec<String> {
        match self.client.issue_cmd(BrowserLog).await {
            Ok(Json::Array(entries)) => entries
                .iter()
                .map(|e| {
                    format!(
                        "[{}] {}",
                        e.get("level").and_then(Json::as_str).unwrap_or("?"),
                        e.get("message").and_then(Json::as_str).unwrap_or("")
                    )
                })
                .collect(),
            Ok(other) => vec![format!("(unexpected log answer {other})")],
            Err(e) => vec![format!("(no console log: {e})")],
        }
    }

    /// `window.__events` as recorded by the demo pages' `demo/events.js`.
    pub async fn events(&self) -> Result<Vec<Json>> {
        let v = self
            .js(
                "return JSON.parse(JSON.stringify(window.__events || []));",
                vec![],
            )
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// Waits for a recorded event of `kind` (e.g. `wl-error`) whose JSON contains `needle`.
    pub async fn wait_event(&self, kind: &str, needle: &str, timeout: Duration) -> Result<Json> {
        self.wait_for(
            &format!("a `{kind}` event containing `{needle}`"),
            timeout,
            || async {
                let events = self.events().await?;
                let hit = events.iter().find(|e| {
                    e.get("type").and_then(Json::as_str) == Some(kind)
                        && e.to_string().contains(needle)
                });
                Ok(match hit {
                    Some(e) => Probe::Done(e.clone()),
                    None => Probe::NotYet(Json::Array(events).to_string()),
                })
            },
        )
        .await
    }

    /// Saves a PNG of the current window's viewport.
    pub async fn screenshot_to(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Saves the current window at each of `sizes` (width, height) as
    /// `target/screenshots/{area}/{name}-{width}.png`, the layout settled at each width; the
    /// window is 1280 × 900 again afterwards.
    pub async fn screenshots_at(&self, area: &str, name: &str, sizes: &[(u32, u32)]) -> Result<()> {
        let dir = crate::paths::screenshots_dir()?.join(area);
        std::fs::create_dir_all(&dir)?;
        for &(w, h) in sizes {
            self.client.set_window_size(w, h).await?;
            self.wait_js(
                &format!("the window to be {w} px wide"),
                std::time::Duration::from_secs(5),
                &format!("return window.innerWidth <= {w} && document.readyState === 'complete';"),
            )
            .await?;
            self.screenshot_to(&dir.join(format!("{name}-{w}.png")))
                .await?;
        }
        self.client.set_window_size(1280, 900).await?;
        Ok(())
    }

    /// What a failure report should show about this session: every window's URL, the
    /// recorded events and the console messages.
    pub async fn diagnostics(&self) -> String {
        let mut out = String::new();
        if let Ok(windows) = self.windows().await {
            for w in &windows {
                if self.client.switch_to_window(w.clone()).await.is_ok() {
                    let url = self
                        .client
                        .current_url()
                        .await
                        .map(|u| u.to_string())
                        .unwrap_or_else(|e| format!("(url unknown: {e})"));
                    let which = if w == &self.main_window {
                        "main"
                    } else {
                        "popup"
                    };
                    out.push_str(&format!("window {which}: {url}\n"));
                }
            }
            let _ = self.switch_to_main().await;
        }
        if let Ok(events) = self.events().await {
            out.push_str("window.__events:\n");
            for e in events {
                let line = e.to_string();
                let short: String = line.chars().take(240).collect();
                let more = if short.len() < line.len() { "…" } else { "" };
                out.push_str(&format!("  {short}{more}\n"));
            }
        }
        out.push_str("console:\n");
        // Each control logs its own copy of a failure: show each distinct message once.
        let mut seen = std::collections::HashSet::new();
        let lines: Vec<String> = self
            .console_log()
            .await
            .into_iter()
            .filter(|l| seen.insert(l.clone()))
            .collect();
        let skipped = lines.len().saturating_sub(30);
        for line in lines.iter().take(30) {
            out.push_str("  ");
            out.push_str(&line.chars().take(600).collect::<String>());
            out.push('\n');
        }
        if skipped > 0 {
            out.push_str(&format!("  … {skipped} more distinct messages\n"));
        }
        if lines
            .iter()
            .any(|l| l.contains("WebAssembly.Table.set(): Argument 1 is invalid for table"))
        {
            out.push_str(
                "hint: the built wasm exports the wrong table as `__wbindgen_externrefs` (seen \
                 with Debian's wasm-opt 108 on wasm-bindgen output); rebuild target/wl-dist \
                 without wasm-opt or with a newer binaryen\n",
            );
        }
        out
    }
}

/// What a [`Browser::wait_for`] probe saw: done with a value, or not yet (with what it saw).
#[derive(Debug)]
pub enum Probe<T> {
    /// The condition holds.
    Done(T),
    /// Not yet; the string says what was seen instead.
    NotYet(String),
}

/// JavaScript truthiness of a JSON value.
pub fn truthy(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Json::String(s) => !s.is_empty(),
        Json::Array(_) | Json::Object(_) => true,
    }
}

/// `POST /session/{id}/goog/cdp/execute`: chromedriver's pass-through to DevTools.
#[derive(Debug)]
struct CdpCommand {
    cmd: String,
    params: Json,
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// `POST /session/{id}/se/log {type: "browser"}`: the console messages chromedriver kept.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}
