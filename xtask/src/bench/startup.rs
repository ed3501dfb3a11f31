//! Start-up speed in a real headless Chromium, driven over WebDriver by the end-to-end tests'
//! driver (`wl_e2e`, fantoccini + chromedriver):
//! DOMContentLoaded → a rendered, clickable `<wl-signin>` (median of several cold loads), and the
//! compile and instantiate times of the module a sign-in page loads (core + controls).

use super::{Row, block_on, browser, load_and_wait, number};
use crate::util::{Error, Result};
use wl_e2e::driver::Chromedriver;

/// How many page loads the medians are taken over.
const LOADS: usize = 7;

/// Measures start-up on the site served at `site`.
pub fn measure(site: &str) -> Result<Vec<Row>> {
    let driver = Chromedriver::start()?;
    let mut clickable = Vec::new();
    let mut compile = Vec::new();
    let mut instantiate = Vec::new();
    block_on(async {
        for _ in 0..LOADS {
            // A fresh browser per load: nothing cached, as for a first visit.
            let session = browser(&driver).await?;
            let w = match load_and_wait(&session, &format!("{site}/bench/startup.html")).await {
                Ok(r) => match number(&r, "clickable_ms") {
                    Ok(ms) => {
                        clickable.push(ms);
                        load_and_wait(&session, &format!("{site}/bench/wasm.html")).await
                    }
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            let _ = session.close().await;
            let w = w?;
            compile.push(number(&w, "compile_ms")?);
            instantiate.push(number(&w, "instantiate_ms")?);
        }
        Ok::<_, Error>(())
    })??;
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
