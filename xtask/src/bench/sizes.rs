//! Bytes on the wire for a page with `<wl-signin>` + `<wl-userinfo>` (gzip -9).

use super::Row;
use crate::util::Result;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::Path;

/// The files a sign-in page fetches: the bootstrap, then (the page has the controls when the core
/// loads) the core and both controls in one module.
const SIGNIN_PAGE: &[&str] = &[
    "wl.js",
    "pkg/wl_connect_controls.js",
    "pkg/wl_connect_controls_bg.wasm",
];

/// The budget: 40 KB (decimal kilobytes, as the issue counts them) of JS + wasm, gzip -9.
const BUDGET_BYTES: usize = 40_000;

/// gzip -9 size of some bytes.
pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

/// One row per file and a total against the 40 KB budget (aim 25 KB).
pub fn measure(dist: &Path) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut total = 0;
    for file in SIGNIN_PAGE {
        let bytes = std::fs::read(dist.join(file))?;
        let gz = gzip_len(&bytes)?;
        total += gz;
        rows.push(Row {
            what: format!("`{file}`"),
            value: format!("{:.1} KB raw, {:.1} KB gzip", kb(bytes.len()), kb(gz)),
            budget: None,
        });
    }
    rows.push(Row {
        what: "sign-in page (`<wl-signin>` + `<wl-userinfo>`), JS + wasm, gzip".into(),
        value: format!("{:.1} KB ({total} B)", kb(total)),
        budget: Some((
            "≤ 40 KB = 40,000 B (aim 25 KB)".into(),
            total <= BUDGET_BYTES,
        )),
    });
    Ok(rows)
}

/// Decimal kilobytes.
fn kb(n: usize) -> f64 {
    n as f64 / 1000.0
}
