//! The first paint a page holds itself (the Playground's "draw the controls in the page" option:
//! a declarative shadow root per control, `wl_markup::first_paint`) is what `wl.js` draws for
//! the same attributes: the generator is tested against `www/src/paint.js`, element by element,
//! in Chromium. Two pages on a third origin (a plain static server): one whose policy lets no
//! script run, so only the page's own markup draws; one where a parser-blocking `wl.js` draws
//! the bare elements and an inline script reads them before anything else can touch them.

use serde_json::json;
use std::time::Duration;
use wl_e2e::{Env, Result, check, http};
use wl_markup::snippet::Element;

use crate::first_paint;

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![first_paint::the_page_s_first_paint_is_what_wl_js_draws]
}

/// The controls compared: each choice's values, an alias, an unknown value, a locale, a custom
/// text that needs escaping.
const CONTROLS: &[(&str, &[(&str, &str)])] = &[
    ("wl-signin", &[]),
    (
        "wl-signin",
        &[
            ("theme", "white"),
            ("size", "large"),
            ("shape", "pill"),
            ("locale", "fr-CA"),
        ],
    ),
    (
        "wl-signin",
        &[
            ("brand", "messenger"),
            ("type", "connect"),
            ("theme", "dark"),
            ("size", "small"),
        ],
    ),
    (
        "wl-signin",
        &[("brand", "none"), ("type", "login"), ("locale", "de")],
    ),
    (
        "wl-signin",
        &[("type", "custom"), ("sign-in-text", " <Go & in> ")],
    ),
    ("wl-signin", &[("theme", "plaid"), ("size", "LARGE")]),
    ("wl-userinfo", &[]),
    ("wl-userinfo", &[("layout", "full"), ("theme", "dark")]),
];

/// Each control's shadow DOM, as the page's own markup draws it (its `<style>` and the
/// attributes of its early click left out, `first_paint::EARLY_BUTTON` and `EARLY_STATUS`:
/// `wl.js` draws a button with its own click handler and an adopted sheet) and as `wl.js` draws
/// it, are the same.
pub async fn the_page_s_first_paint_is_what_wl_js_draws(env: &Env) -> Result<()> {
    let server = env.server()?;
    let root = tempfile::Builder::new()
        .prefix("wl-e2e-first-paint-")
        .tempdir()?;
    let mut drawn = String::new();
    let mut bare = String::new();
    for (tag, attrs) in CONTROLS {
        let e = Element {
            tag,
            attrs: attrs.iter().map(|(n, v)| (*n, v.to_string())).collect(),
        };
        let html = e.to_html();
        drawn.push_str(&format!(
            "{}\n",
            wl_markup::first_paint::inside(&e, html.clone())
        ));
        bare.push_str(&format!("{html}\n"));
    }
    let read = "window.__roots = [...document.querySelectorAll('wl-signin, wl-userinfo')]
                  .map(e => e.shadowRoot ? e.shadowRoot.innerHTML : null);";
    // The default button's first paint as a person might re-indent it, with `wl.js` deferred as
    // the snippet has it: `wl.js` draws it again all the same (an enabled button), whatever text
    // comes before its `<style>`.
    let pretty = wl_markup::first_paint::template(&Element {
        tag: "wl-signin",
        attrs: Vec::new(),
    })
    .unwrap_or_default()
    .replace("<style>", "\n    <style>")
    .replace("<button", "\n    <button")
    .replace("</template>", "\n  </template>");
    std::fs::write(
        root.path().join("pretty.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <script src=\"{}/wl.js\" data-client-id=\"wl-demo\" data-authority=\"{}\" defer></script>\
             </head><body>\n<wl-signin id=\"pretty\">\n  {pretty}\n</wl-signin>\n</body></html>\n",
            server.site, server.provider
        ),
    )?;
    std::fs::write(
        root.path().join("drawn.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">\
             <script src=\"{}/wl.js\"></script></head><body>\n{drawn}</body></html>\n",
            server.site
        ),
    )?;
    std::fs::write(
        root.path().join("painted.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <script src=\"{}/wl.js\" data-client-id=\"wl-demo\" data-authority=\"{}\"></script>\
             </head><body>\n{bare}<script>{read}</script></body></html>\n",
            server.site, server.provider
        ),
    )?;
    let port = http::free_port()?;
    let _site = wl_e2e::static_site::serve(root.path(), port, false, "drawn.html")?;
    let b = env.browser().await?;

    // No script runs here: what is drawn is the page's markup alone.
    b.goto(&format!("http://127.0.0.1:{port}/drawn.html"))
        .await?;
    let page_drawn = b
        .js(
            &format!(
                "if (window.WL) return 'wl.js ran';
                 {read}
                 const b = document.querySelector('wl-signin').shadowRoot.querySelector('button');
                 const s = getComputedStyle(b);
                 return {{ roots: window.__roots, disabled: b.disabled,
                          height: b.getBoundingClientRect().height, bg: s.backgroundColor }};"
            ),
            vec![],
        )
        .await?;
    check(
        page_drawn["disabled"] == json!(false),
        format!("the page's own button should be live before wl.js runs: {page_drawn}"),
    )?;
    check(
        page_drawn["height"].as_f64().is_some_and(|h| h >= 41.0)
            && page_drawn["bg"] == json!("rgb(0, 103, 184)"),
        format!("the page's own button should be styled by its sheet (41 px, blue): {page_drawn}"),
    )?;

    b.goto(&format!("http://127.0.0.1:{port}/painted.html"))
        .await?;
    let painted = b
        .wait_js(
            "wl.js to draw the bare elements",
            Duration::from_secs(15),
            "return window.__roots || null;",
        )
        .await?;
    // What only the page's copy has, as the browser serialises it.
    let early: Vec<String> = wl_markup::first_paint::EARLY_BUTTON
        .iter()
        .chain(&wl_markup::first_paint::EARLY_STATUS)
        .map(|(k, v)| format!(" {k}=\"{v}\""))
        .collect();
    let normal = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|r| {
                        let s = r.as_str().unwrap_or("(no shadow root)");
                        let s = match (s.find("<style>"), s.find("</style>")) {
                            (Some(a), Some(z)) => format!("{}{}", &s[..a], &s[z + 8..]),
                            _ => s.to_owned(),
                        };
                        early.iter().fold(s, |s, a| s.replace(a.as_str(), ""))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    b.goto(&format!("http://127.0.0.1:{port}/pretty.html"))
        .await?;
    b.wait_js(
        "wl.js to draw a re-indented first paint again: one enabled button, the adopted sheet",
        Duration::from_secs(15),
        "const r = document.getElementById('pretty').shadowRoot;
         const b = r && r.querySelector('button');
         return !!b && !b.disabled && r.querySelectorAll('button, style').length === 1
           && r.adoptedStyleSheets.length === 1;",
    )
    .await?;
    let (ours, theirs) = (normal(&page_drawn["roots"]), normal(&painted));
    check(
        ours.len() == CONTROLS.len() && theirs.len() == CONTROLS.len(),
        format!("every control should be drawn both ways: {ours:?} / {theirs:?}"),
    )?;
    for ((o, t), (tag, attrs)) in ours.iter().zip(&theirs).zip(CONTROLS) {
        check(
            o == t,
            format!(
                "<{tag}> {attrs:?}: the page's first paint differs from wl.js's\n page:   {o}\n wl.js:  {t}"
            ),
        )?;
    }
    Ok(())
}
