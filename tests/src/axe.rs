//! axe-core (from npm, `tests/node_modules`) injected into the page under test.

use crate::browser::Browser;
use crate::error::Result;
use crate::paths;
use serde_json::{Value as Json, json};

/// The rule tags every check runs: WCAG 2 A and AA, and axe's best practices.
pub const TAGS: [&str; 3] = ["wcag2a", "wcag2aa", "best-practice"];

/// One rule axe found broken, with the nodes that break it.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The axe rule id, e.g. `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// The rule's one-line help text.
    pub help: String,
    /// Each failing node: its target path (shadow hosts included) and axe's summary.
    pub nodes: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} ({}): {}", self.id, self.impact, self.help)?;
        for n in &self.nodes {
            writeln!(f, "    {n}")?;
        }
        Ok(())
    }
}

/// Injects axe-core into the current page if it is not there yet.
pub async fn inject(b: &Browser) -> Result<()> {
    let present = b
        .js("return typeof window.axe === 'object';", vec![])
        .await?;
    if present == Json::Bool(true) {
        return Ok(());
    }
    let source = std::fs::read_to_string(paths::axe_js()?)?;
    b.js(&format!("{source}\n;return typeof window.axe;"), vec![])
        .await?;
    Ok(())
}

/// Runs axe on `include` (CSS selectors; the whole document when empty), shadow DOM included,
/// with the [`TAGS`] rules, and returns the violations.
pub async fn run(b: &Browser, include: &[&str]) -> Result<Vec<Violation>> {
    inject(b).await?;
    let v = b
        .js(
            "const ctx = arguments[0].length ? { include: arguments[0].map(s => [s]) } : document;
             return axe.run(ctx, { runOnly: { type: 'tag', values: arguments[1] },
                                   resultTypes: ['violations'] })
               .then(r => r.violations.map(v => ({
                 id: v.id, impact: v.impact || '', help: v.help,
                 nodes: v.nodes.map(n => JSON.stringify(n.target) + ' ' + n.html.slice(0, 160)
                   + ' -- ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
               })));",
            vec![json!(include), json!(TAGS)],
        )
        .await?;
    let list = v.as_array().cloned().unwrap_or_default();
    Ok(list
        .iter()
        .map(|v| Violation {
            id: v["id"].as_str().unwrap_or_default().to_string(),
            impact: v["impact"].as_str().unwrap_or_default().to_string(),
            help: v["help"].as_str().unwrap_or_default().to_string(),
            nodes: v["nodes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect())
}

/// Formats violations for a failure message.
pub fn report(violations: &[Violation]) -> String {
    violations.iter().map(|v| v.to_string()).collect()
}
