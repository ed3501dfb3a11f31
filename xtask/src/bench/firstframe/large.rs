//! What a loader costs a large page while it is parsed (part of the `firstframe` section).
//!
//! One page of [`ROWS`] rows (three elements each) below the two controls, in five variants
//! served from the section's static server: no loader at all, ours (`wl.js` from the dev host,
//! as the first-frame page loads it), the floor's script in its place (any parser-blocking
//! script from another origin), ours with `defer` (docs/loader.md's advice for a long page) and
//! MGT's bundle with its two controls. Each is loaded [`LOADS`] times, interleaved (each round
//! in its own shuffled order, as the first-frame pages), each in a new browser with a new
//! profile. From the navigation timing: the parse (`responseEnd` → `domInteractive`, which
//! includes waiting for a parser-blocking script) and `DOMContentLoaded` (which includes running
//! a deferred module such as MGT's), and the first contentful paint. Measured because `wl.js`
//! once watched the whole document from the head for legacy `<wl:…>` tags, and every node the
//! parser added then cost a record and a scan (about 100 ms on this page, by hand, 2026-12-05;
//! docs/bench.md); and because a parser-blocking script that arrives after the page's HTML made
//! the rest of the parse about twice as long (by hand, 2026-12-05, docs/bench.md).

use super::{CONTROLS, MGT_CONTROLS, MGT_TAG, median, p90, round_order};
use crate::bench::{Row, block_on, load_in_new_browser, number, once_more};
use crate::util::{Error, Result};
use std::path::Path;
use wl_e2e::driver::Chromedriver;

/// Rows in the page (three elements each: 21,000 elements below the controls).
const ROWS: usize = 7000;

/// Loads per variant (new profiles: each takes seconds).
const LOADS: usize = 15;

/// Resolves `window.__bench` at `load` with the navigation timing the rows read, once the first
/// contentful paint is known too: a page without a script can reach `load` before its first
/// frame is presented, and the paint's entry comes only then (`-1` if none within 5 s).
const OBSERVER: &str = r#"<script>
window.__bench = new Promise(function (resolve) {
  addEventListener("load", function () {
    var n = performance.getEntriesByType("navigation")[0];
    function done(p) {
      resolve({ parse: n.domInteractive - n.responseEnd, dcl: n.domContentLoadedEventStart,
                fcp: p ? p.startTime : -1 });
    }
    var fcp = "first-contentful-paint";
    var p = performance.getEntriesByName(fcp)[0];
    if (p) return done(p);
    var timer = setTimeout(done, 5000);
    new PerformanceObserver(function (list, o) {
      var e = list.getEntriesByName(fcp)[0];
      if (e) { o.disconnect(); clearTimeout(timer); done(e); }
    }).observe({ type: "paint", buffered: true });
  });
});
</script>"#;

/// Writes the pages into `stat` (served at `third`), loads them and returns the rows; `ours` is
/// our page's script tag, as the first-frame page has it, and `floor` the floor's.
pub fn measure(
    driver: &Chromedriver,
    stat: &Path,
    third: &str,
    ours: &str,
    floor: &str,
) -> Result<Vec<Row>> {
    let deferred = ours.replacen("<script ", "<script defer ", 1);
    if deferred == ours {
        return Err(Error(format!(
            "the large page's `defer` variant needs a `<script …>` tag, not {ours}"
        )));
    }
    let rows: String = (0..ROWS)
        .map(|i| {
            format!("<div class=\"r\"><span>item {i}</span> <a href=\"#{i}\">link</a></div>\n")
        })
        .collect();
    let page = |tag: &str, controls: &str| {
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>large \
             page</title>\n{OBSERVER}\n{tag}\n</head>\n<body>\n{controls}\n{rows}</body>\n</html>\n"
        )
    };
    let variants = [
        ("no loader", "large-none.html", page("", CONTROLS)),
        (
            "wl-connect, loader on another origin",
            "large-wl.html",
            page(ours, CONTROLS),
        ),
        // Any parser-blocking script from another origin, of a few hundred bytes: what of ours
        // is the browser's cost of a script that holds the parser.
        (
            "the floor's script (www/bench/floor.js, another origin)",
            "large-floor.html",
            page(floor, CONTROLS),
        ),
        // Ours as docs/loader.md advises for a long page: `defer` does not hold the parser.
        (
            "wl-connect, loader on another origin with `defer`",
            "large-wl-defer.html",
            page(&deferred, CONTROLS),
        ),
        (
            "MGT (its module bundle and controls)",
            "large-mgt.html",
            page(MGT_TAG, MGT_CONTROLS),
        ),
    ];
    for (_, file, html) in &variants {
        std::fs::write(stat.join(file), html)?;
    }
    println!(
        "xtask: first frame: a large page ({ROWS} rows), {LOADS} loads each of no loader, ours, \
         the floor, ours with `defer` and MGT's, in a new browser each; interleaved"
    );
    // Per variant, per load: the parse, DOMContentLoaded and the first contentful paint.
    let mut parse: Vec<Vec<f64>> = variants.iter().map(|_| Vec::new()).collect();
    let mut dcl = parse.clone();
    let mut fcp = parse.clone();
    block_on(async {
        for round in 0..LOADS {
            for i in round_order(round, variants.len()) {
                let page = format!("{third}/{}", variants[i].1);
                let v = once_more("first frame, large page", async |_| {
                    load_in_new_browser(driver, &page).await
                })
                .await?;
                parse[i].push(number(&v, "parse")?);
                dcl[i].push(number(&v, "dcl")?);
                fcp[i].push(number(&v, "fcp")?);
            }
        }
        Ok::<_, Error>(())
    })??;
    let base = (median(&parse[0]), median(&dcl[0]));
    Ok(variants
        .iter()
        .enumerate()
        .map(|(i, (name, _, _))| {
            let (p, d, f) = (median(&parse[i]), median(&dcl[i]), median(&fcp[i]));
            let over = if i == 0 {
                String::new()
            } else {
                format!(
                    "; {:+.1} ms and {:+.1} ms against no loader",
                    p - base.0,
                    d - base.1
                )
            };
            Row {
                what: format!(
                    "large page ({ROWS} rows, {} elements), {name}, a new profile: parse \
                     (responseEnd → domInteractive) and DOMContentLoaded (first contentful paint), \
                     {LOADS} loads",
                    ROWS * 3
                ),
                value: format!(
                    "median {p:.1} ms (p90 {:.1}) and {d:.1} ms (p90 {:.1}) (first contentful \
                     paint {f:.1} ms){over}",
                    p90(&parse[i]),
                    p90(&dcl[i])
                ),
                budget: None,
            }
        })
        .collect())
}
