//! The Playground (issue 6): how long an attribute edit takes to reach the snippet, the
//! preview element and the control's rendered label (budget: one frame, 16 ms), and the
//! Playground's bytes on the wire.
//!
//! The edit is timed inside headless Chromium with `performance.now()`: set the `sign-in-text`
//! field's value, dispatch the `input` event a keystroke dispatches, and stop when the snippet
//! shows the new value, the preview's `<wl-signin>` carries it as its attribute and its button
//! shows it as its label (MutationObservers, so nothing is polled).

use super::{Ctx, Row, block_on, browser, execute_async};
use crate::util::{Error, Result};
use serde_json::{Value as Json, json};
use std::path::Path;
use std::time::{Duration, Instant};
use wl_e2e::driver::Chromedriver;

/// How many edits the median is taken over (after a few warm-up edits).
const EDITS: usize = 60;

/// The budget for one edit: one frame at 60 Hz.
const BUDGET_MS: f64 = 16.0;

/// This section's rows.
pub fn measure(ctx: &Ctx) -> Result<Vec<Row>> {
    let mut rows = bytes(ctx.dist)?;
    rows.extend(edit_timing(ctx.site)?);
    Ok(rows)
}

/// gzip -9 of the Playground's own wasm, JS and CSS: the files its page (`index.html`, the
/// site's landing page) names under `/playground/`.
fn bytes(dist: &Path) -> Result<Vec<Row>> {
    let page = std::fs::read_to_string(dist.join("index.html"))?;
    let mut names: Vec<&str> = page
        .split("/playground/")
        .skip(1)
        .filter_map(|rest| rest.split(['\'', '"', ' ', '>']).next())
        .filter(|n| n.ends_with(".wasm") || n.ends_with(".js") || n.ends_with(".css"))
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Err(Error(format!(
            "{} names no Playground assets (cargo xtask build makes them)",
            dist.join("index.html").display()
        )));
    }
    let mut raw = 0;
    let mut gz = 0;
    for name in &names {
        let bytes = std::fs::read(dist.join("playground").join(name))?;
        raw += bytes.len();
        gz += crate::util::gzip_len(&bytes)?;
    }
    Ok(vec![Row {
        what: "Playground page (yew wasm + JS + CSS), gzip -9".into(),
        value: format!(
            "{:.1} KB ({:.1} KB raw, {} files)",
            gz as f64 / 1024.0,
            raw as f64 / 1024.0,
            names.len()
        ),
        budget: None,
    }])
}

/// The script timing the edits; resolves with the list of milliseconds.
const EDIT_JS: &str = r#"
const done = arguments[arguments.length - 1];
const edits = arguments[0];
(async () => {
  const input = document.getElementById('attr-sign-in-text');
  const code = document.getElementById('snippet');
  const el = document.getElementById('preview').contentDocument.querySelector('wl-signin');
  const times = [];
  for (let i = 0; i < edits; i++) {
    const value = 'Edit ' + i;
    const t0 = performance.now();
    await new Promise((resolve) => {
      let snippet = false, attr = false, label = false;
      const observers = [];
      const check = () => {
        snippet = snippet || code.textContent.includes('sign-in-text="' + value + '"');
        attr = attr || el.getAttribute('sign-in-text') === value;
        const b = el.shadowRoot && el.shadowRoot.querySelector('button');
        label = label || (!!b && b.textContent.includes(value));
        if (snippet && attr && label) {
          observers.forEach((o) => o.disconnect());
          resolve();
        }
      };
      const watch = (node, opts) => {
        const o = new MutationObserver(check);
        o.observe(node, opts);
        observers.push(o);
      };
      watch(code, { subtree: true, childList: true, characterData: true });
      watch(el, { attributes: true });
      watch(el.shadowRoot, { subtree: true, childList: true, characterData: true, attributes: true });
      input.value = value;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
      check();
    });
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 16));
  }
  return times;
})().then(done, (e) => done({ error: String(e) }));
"#;

/// Opens the Playground, waits for its preview, and times [`EDITS`] edits.
fn edit_timing(site: &str) -> Result<Vec<Row>> {
    let driver = Chromedriver::start()?;
    let ms = block_on(async {
        let session = browser(&driver).await?;
        let result = async {
            session.goto(&format!("{site}/?control=wl-signin")).await?;
            let ready = "const f = document.getElementById('preview');
                const d = f && f.contentDocument;
                const el = d && d.querySelector('wl-signin');
                return !!(el && el.shadowRoot && el.shadowRoot.querySelector('button')
                          && document.getElementById('attr-sign-in-text'));";
            let deadline = Instant::now() + Duration::from_secs(30);
            while session.js(ready, vec![]).await? != Json::Bool(true) {
                if Instant::now() > deadline {
                    return Err(Error("the Playground's preview did not render".into()));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // Warm-up: the first edits compile and cache code paths.
            execute_async(&session, EDIT_JS, vec![json!(5)]).await?;
            let v = execute_async(&session, EDIT_JS, vec![json!(EDITS)]).await?;
            let mut ms: Vec<f64> = v
                .as_array()
                .ok_or_else(|| Error(format!("the edit timing failed: {v}")))?
                .iter()
                .filter_map(Json::as_f64)
                .collect();
            if ms.len() != EDITS {
                return Err(Error(format!(
                    "the edit timing gave {} of {EDITS} times",
                    ms.len()
                )));
            }
            ms.sort_by(f64::total_cmp);
            Ok(ms)
        }
        .await;
        let _ = session.close().await;
        result
    })?;
    let ms = ms?;
    let median = ms[ms.len() / 2];
    let p90 = ms[ms.len() * 9 / 10];
    Ok(vec![Row {
        what: format!(
            "Playground: attribute edit → snippet + preview attribute + rendered label, median of {EDITS}"
        ),
        value: format!("{median:.2} ms (p90 {p90:.2}, max {:.2})", ms[ms.len() - 1]),
        budget: Some((format!("≤ {BUDGET_MS} ms"), median <= BUDGET_MS)),
    }])
}
