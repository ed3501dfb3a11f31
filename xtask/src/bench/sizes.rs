//! Bytes on the wire for a page with `<wl-signin>` + `<wl-userinfo>` (gzip -9), and what each
//! stage of the wasm pipeline saves on it (`cargo xtask bench --only stages`).

use super::Row;
use crate::build::{self, COMBINED, CORE, Pipeline, Stage};
use crate::util::{self, Result, gzip_len};
use std::path::Path;

/// The budget: 40 KB (decimal kilobytes, as the issue counts them) of JS + wasm, gzip -9.
const BUDGET_BYTES: usize = 40_000;

/// One row per file and a total against the 40 KB budget (aim 25 KB).
pub fn measure(dist: &Path) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut total = 0;
    for path in build::page_files(dist, CORE.1)? {
        let bytes = std::fs::read(&path)?;
        let file = path.strip_prefix(dist).unwrap_or(&path).display();
        let gz = gzip_len(&bytes)?;
        total += gz;
        rows.push(Row {
            what: format!("`{file}`"),
            value: format!("{:.1} KB raw, {:.1} KB gzip", kb(bytes.len()), kb(gz)),
            budget: None,
        });
    }
    rows.push(Row {
        what: "sign-in page (`<wl-signin>` + `<wl-userinfo>`), signed out, JS + wasm, gzip".into(),
        value: format!("{:.1} KB ({total} B)", kb(total)),
        budget: Some((
            "≤ 40 KB = 40,000 B (aim 25 KB)".into(),
            total <= BUDGET_BYTES,
        )),
    });
    // A visitor with a stored session: `wl.js` and the combined module.
    let mut signed_in = 0;
    for path in build::page_files(dist, COMBINED.2)? {
        signed_in += gzip_len(&std::fs::read(&path)?)?;
    }
    rows.push(Row {
        what:
            "the same page signed in (a stored session: `wl.js` + `pkg/wl_connect_controls`), gzip"
                .into(),
        value: format!("{:.1} KB ({signed_in} B)", kb(signed_in)),
        budget: None,
    });
    // The modules other pages fetch, or this one later: the controls alone (when a sign-in
    // starts), `<wl-bar>`.
    for stem in OTHER_MODULES {
        let mut gz = 0;
        for wasm in [false, true] {
            gz += gzip_len(&std::fs::read(build::packaged_file(dist, stem, wasm)?)?)?;
        }
        rows.push(Row {
            what: format!("`pkg/{stem}` (glue + wasm), gzip"),
            value: format!("{:.1} KB ({gz} B)", kb(gz)),
            budget: None,
        });
    }
    Ok(rows)
}

/// The shipped modules that are not on the signed-out sign-in page at load.
const OTHER_MODULES: &[&str] = &["wl_controls", "wl_bar"];

/// The sign-in page's bytes (gzip -9) with the shipped pipeline and without each stage in turn:
/// one row per stage with what it saves. The core module is packaged with
/// [`build::package_module`] and the bootstrap minified with [`build::minify_js`], into a scratch
/// folder (`target/bench/stages/`), from the same rustc output.
pub fn stages() -> Result<Vec<Row>> {
    let raw = build::compile_core()?;
    let scratch = util::root().join("target/bench/stages");
    let shipped = Pipeline::shipped();
    let base = page_bytes(&raw, &scratch, &shipped)?;
    let mut rows = vec![Row {
        what: "sign-in page, every stage (what ships)".into(),
        value: format!("{base} B gzip -9"),
        budget: None,
    }];
    for stage in Stage::ALL {
        let what = format!("sign-in page without: {}", stage.describe());
        if !shipped.runs(stage) {
            rows.push(Row {
                what,
                value: "not measured: its tool is not installed".into(),
                budget: None,
            });
            continue;
        }
        let without = page_bytes(&raw, &scratch, &shipped.without(stage))?;
        rows.push(Row {
            what,
            value: format!(
                "{without} B gzip -9: the stage saves {} B",
                without as i64 - base as i64
            ),
            budget: None,
        });
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(rows)
}

/// gzip -9 of `wl.js` + the core module's glue and wasm, packaged by `pipeline`.
fn page_bytes(raw: &Path, scratch: &Path, pipeline: &Pipeline) -> Result<usize> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch)?;
    }
    let packaged = build::package_module(raw, CORE.1, &scratch.join("pkg"), pipeline)?;
    let wl_js = scratch.join("wl.js");
    std::fs::copy(util::root().join("www/wl.js"), &wl_js)?;
    build::minify_js(&wl_js, false, pipeline)?;
    let mut total = 0;
    for file in [&wl_js, &packaged.js, &packaged.wasm] {
        total += gzip_len(&std::fs::read(file)?)?;
    }
    Ok(total)
}

/// Decimal kilobytes.
fn kb(n: usize) -> f64 {
    n as f64 / 1000.0
}
