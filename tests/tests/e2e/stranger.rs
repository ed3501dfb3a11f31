//! A stranger sets up their own site from the Playground alone: they type their site's origin,
//! and copy from the Playground (through the real clipboard) the `apps add` command, the
//! one-line callback page, the Content-Security-Policy and the snippet. The site is a plain
//! static file server on a third origin; nothing on it was written by hand.

use serde_json::{Value as Json, json};
use std::path::Path;
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::layout_shift::paints_nothing;
use wl_e2e::process::GroupChild;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Result, check, http};

use crate::{bar, cdn, stranger};

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![
        stranger::playground_set_up_for_a_typed_origin_signs_in,
        stranger::playground_set_up_under_its_own_csp_signs_in,
        stranger::playground_set_up_under_trusted_types_signs_in,
        stranger::playground_set_up_bar_on_a_typed_origin_delivers_a_message,
        stranger::playground_set_up_drawn_in_the_page_signs_in,
        stranger::drawn_button_clicked_before_wl_js_signs_in,
        stranger::drawn_button_clicked_long_before_wl_js_waits_for_a_new_click,
        stranger::drawn_page_arriving_in_pieces_moves_nothing_on_screen,
    ]
}

const WAIT: Duration = Duration::from_secs(15);

/// Everything copied from the Playground, the page served as pasted.
pub async fn playground_set_up_for_a_typed_origin_signs_in(env: &Env) -> Result<()> {
    sign_in_on_a_stranger_site(env, Csp::None, false).await
}

/// The same, with the Playground's Content-Security-Policy on the page (no `unsafe-inline`).
pub async fn playground_set_up_under_its_own_csp_signs_in(env: &Env) -> Result<()> {
    sign_in_on_a_stranger_site(env, Csp::Playground, false).await
}

/// The same with "Draw the controls in the page" ticked: the snippet holds each control's first
/// paint (a declarative shadow root with its `<style>`) and loads `wl.js` with `defer`; the
/// Playground's policy then allows exactly those sheets by hash. The page signs in under it
/// with no violation, and with every script refused (the same page, `script-src 'none'`) the
/// controls are still drawn from the page alone, styled, and a click on the button shows it busy.
pub async fn playground_set_up_drawn_in_the_page_signs_in(env: &Env) -> Result<()> {
    sign_in_on_a_stranger_site(env, Csp::Playground, true).await
}

/// Every request of the stranger's page takes this long in
/// [`drawn_button_clicked_before_wl_js_signs_in`] (CDP network emulation): the page's own markup
/// has drawn the button well before `wl.js` arrives, and the click's user activation (5 s in
/// Chromium) still holds when it does.
const SLOW_MS: u64 = 2000;

/// … and this long in [`drawn_button_clicked_long_before_wl_js_waits_for_a_new_click`]: `wl.js`
/// comes after the click's user activation has run out.
const SLOWER_MS: u64 = 8000;

/// The drawn snippet as pasted, on a slow network: the person clicks the button the page drew
/// before `wl.js` has arrived (the popover is open, `window.WL` is not there), and once `wl.js`
/// runs the popup opens for that click, with no second one; the sign-in then goes through and
/// the user info shows the person, under the Playground's policy with no violation.
pub async fn drawn_button_clicked_before_wl_js_signs_in(env: &Env) -> Result<()> {
    let server = env.server()?;
    let (slow, _site) = clicked_before_wl_js(env, SLOW_MS).await?;
    let popup = slow
        .wait_for_popup(Duration::from_secs(3 * SLOW_MS / 1000))
        .await?;
    slow.set_latency(0).await?;
    flow::sign_in_in_given_popup(&slow, &popup, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&slow, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    no_csp_violation(&slow).await
}

/// The same when `wl.js` comes after the click's user activation has run out: no popup opens
/// (it would only be blocked), `wl.js` draws the button as usual, no longer busy, and the next
/// click opens the popup.
pub async fn drawn_button_clicked_long_before_wl_js_waits_for_a_new_click(env: &Env) -> Result<()> {
    let (slow, _site) = clicked_before_wl_js(env, SLOWER_MS).await?;
    let drawn = slow
        .wait_js(
            "wl.js to draw the button again",
            Duration::from_secs(3 * SLOWER_MS / 1000),
            "const r = document.querySelector('wl-signin').shadowRoot;
             const b = r.querySelector('button');
             return !!window.WL && !!b && !b.hasAttribute('popovertarget')
               && { busy: getComputedStyle(r.querySelector('.sp')).display !== 'none',
                    open: !!r.querySelector(':popover-open'), label: b.textContent.trim() };",
        )
        .await?;
    check(
        drawn == json!({"busy": false, "open": false, "label": "Sign in"}),
        format!("wl.js should draw the button waiting for a click: {drawn}"),
    )?;
    // Time for a popup the loader might still open, or a sign-in it might start.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let windows = slow.windows().await?.len();
    let started = slow
        .js(
            // A sign-in asks for the controls' module at once (`WL.login` wakes them): its
            // `modulepreload` link is there while the slow network still holds the request.
            "return { error: document.querySelector('wl-signin').getAttribute('data-wl-error'),
                      controls: !!document.querySelector('link[href*=controls]')
                        || performance.getEntriesByType('resource')
                             .some(e => /controls/.test(e.name)) };",
            vec![],
        )
        .await?;
    check(
        windows == 1 && started == json!({"error": null, "controls": false}),
        format!(
            "a click whose activation ran out should start nothing (no popup, no sign-in that \
             would only be blocked): {windows} windows, {started}"
        ),
    )?;
    slow.set_latency(0).await?;
    flow::click_control_button(&slow, "wl-signin").await?;
    slow.wait_for_popup(Duration::from_secs(5)).await?;
    no_csp_violation(&slow).await
}

/// How long the page's second piece waits in
/// [`drawn_page_arriving_in_pieces_moves_nothing_on_screen`]: time for the browser to render a
/// frame of the first.
const PIECE_PAUSE: Duration = Duration::from_millis(300);

/// The drawn snippet as pasted, on a page whose own text shares the controls' line (a paragraph,
/// "Welcome," before them, more after), delivered in two pieces with a pause between, cut at every tag of
/// the controls' markup (but the logo's insides) and in the middle of each `<style>`: the
/// frame rendered from the first piece already gives the button its room (the snippet's
/// reserving rule), so nothing painted moves when the rest comes, nor when `wl.js` takes over.
///
/// One shift is allowed, and only of a text node of nothing but white space: cut right after the
/// space that follows the button, Chromium counts that space as moved (the line's trailing space
/// in one frame, between two boxes in the next). It paints nothing, and a plain `<button>` of
/// the same height gets the same. And the check can see a shift: the same page without the
/// reserving rule, cut inside the button's sheet, moves the page's text.
pub async fn drawn_page_arriving_in_pieces_moves_nothing_on_screen(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let site =
        set_up_from_playground(&b, server, "/?control=wl-userinfo", Csp::Playground, true).await?;
    let index = std::fs::read_to_string(site.root.path().join("index.html"))?;
    let page = index
        .replacen("</h1>\n", "</h1>\n<p>Welcome, ", 1)
        .replacen("</body>", "to the stranger's site.</p></body>", 1);
    let reserve = page
        .find("<style>:where(wl-signin")
        .and_then(|s| {
            page[s..]
                .find("</style>\n")
                .map(|e| s..s + e + "</style>\n".len())
        })
        .ok_or_else(|| {
            wl_e2e::E2eError::Check(
                "the snippet should reserve the button's size before the controls".into(),
            )
        })?;
    let unreserved = format!("{}{}", &page[..reserve.start], &page[reserve.end..]);
    std::fs::write(site.root.path().join("inline.html"), &page)?;
    std::fs::write(site.root.path().join("unreserved.html"), &unreserved)?;
    let port = http::free_port()?;
    let _pieces =
        wl_e2e::static_site::serve_in_pieces(site.root.path(), port, PIECE_PAUSE, "inline.html")?;

    let mut moved = Vec::new();
    for at in cuts(&page) {
        let url = format!("http://127.0.0.1:{port}/inline.html?at={at}");
        let shifts = shifts_after_load(&b, &url).await?;
        let painted: Vec<&Json> = shifts
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| !paints_nothing(s))
            .collect();
        if !painted.is_empty() {
            let from = page[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            moved.push(format!("cut after …{:?}: {painted:?}", &page[from..at]));
        }
    }
    check(
        moved.is_empty(),
        format!("nothing painted should move, wherever the page is cut: {moved:#?}"),
    )?;
    no_csp_violation(&b).await?;

    // Without the rule, a cut inside the button's sheet does move the page's text.
    let style = unreserved
        .find("<wl-signin><template shadowrootmode=\"open\"><style>")
        .ok_or_else(|| wl_e2e::E2eError::Check("the drawn sign-in button".into()))?;
    // A frame comes in the pause on a busy machine too, most likely: three tries.
    let url = format!("http://127.0.0.1:{port}/unreserved.html?at={}", style + 200);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let shifts = shifts_after_load(&b, &url).await?;
        let text_moved = shifts
            .as_array()
            .is_some_and(|all| all.iter().any(|s| !paints_nothing(s)));
        if text_moved {
            return Ok(());
        }
        seen.push(shifts);
    }
    check(
        false,
        format!("without the reserving rule the page's text should move: {seen:?}"),
    )
}

/// Where [`drawn_page_arriving_in_pieces_moves_nothing_on_screen`] cuts `page`: before each tag
/// after `<wl-signin>`'s own, to the end of `</wl-userinfo>` (none inside the logo's `<svg>`),
/// in the middle of each `<style>` there, and after the white space that follows each control.
fn cuts(page: &str) -> Vec<usize> {
    // From the moment the parser has made `<wl-signin>`: a cut before it leaves nothing of
    // ours to hold room, and the page's own line grows when the button comes (as it would for
    // any `<button>` of that height).
    let start = page
        .find("<wl-signin")
        .and_then(|s| page[s..].find('>').map(|e| s + e + 1))
        .unwrap_or(0);
    let end = page
        .find("</wl-userinfo>")
        .map_or(page.len(), |e| e + "</wl-userinfo>".len());
    let mut out = Vec::new();
    let mut in_svg = false;
    for (i, _) in page[start..end].match_indices('<') {
        let at = start + i;
        let rest = &page[at..];
        if rest.starts_with("</svg") {
            in_svg = false;
        } else if in_svg {
            continue;
        }
        if rest.starts_with("<svg") {
            in_svg = true;
        }
        out.push(at);
        if rest.starts_with("<style>") {
            let text = at + "<style>".len();
            if let Some(len) = page[text..].find("</style>") {
                out.push(text + len / 2);
            }
        }
    }
    for control in ["</wl-signin>", "</wl-userinfo>"] {
        if let Some(e) = page.find(control).map(|e| e + control.len()) {
            let blank = page[e..].len() - page[e..].trim_start().len();
            out.push(e + blank);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Opens `url` (a page served in pieces), waits for `wl.js` to have drawn the controls again,
/// and returns the layout shifts Chromium counted: each with its value and its sources, every
/// source's node named and `blank` when it is a text node of only white space.
async fn shifts_after_load(b: &Browser, url: &str) -> Result<Json> {
    b.goto(url).await?;
    b.wait_js(
        "wl.js to take the controls over",
        WAIT,
        "return !!window.WL && !!document.querySelector('wl-signin').shadowRoot
           .querySelector('button:not([popovertarget])');",
    )
    .await?;
    // Time for anything `wl.js` would still move.
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.js(
        "return new Promise(done => {
           const out = [];
           new PerformanceObserver(list => {
             for (const e of list.getEntries()) {
               out.push({ value: e.value, sources: (e.sources || []).map(s => ({
                 node: s.node ? s.node.nodeName : null,
                 blank: !!s.node && s.node.nodeType === 3 && !s.node.data.trim(),
                 text: s.node && s.node.nodeType === 3 ? s.node.data.slice(0, 40) : null,
                 from: s.previousRect.toJSON(), to: s.currentRect.toJSON() })) });
             }
           }).observe({ type: 'layout-shift', buffered: true });
           setTimeout(() => done(out), 100);
         });",
        vec![],
    )
    .await
}

/// The drawn snippet set up from the Playground, then opened in a browser whose every request
/// takes `ms`; its button is clicked once the page has drawn it and before `wl.js` has run
/// (checked: the popover is open, `window.WL` is not there).
async fn clicked_before_wl_js(env: &Env, ms: u64) -> Result<(Browser, StrangerSite)> {
    let server = env.server()?;
    let b = env.browser().await?;
    let site =
        set_up_from_playground(&b, server, "/?control=wl-userinfo", Csp::Playground, true).await?;
    let slow = env.browser_with_page_load("none").await?;
    slow.set_latency(ms).await?;
    slow.goto(&format!("{}/index.html", site.origin)).await?;
    let drawn = slow
        .wait_js(
            "the page's own button, before wl.js",
            Duration::from_secs(2 * ms / 1000 + 10),
            "const s = document.querySelector('wl-signin');
             if (window.WL) return 'wl.js came first';
             return !!(s && s.shadowRoot && s.shadowRoot.querySelector('button[popovertarget]'));",
        )
        .await?;
    check(
        drawn == json!(true),
        format!("the page should draw the button before wl.js runs: {drawn}"),
    )?;
    flow::click_control_button(&slow, "wl-signin").await?;
    let clicked = slow
        .js(
            "const r = document.querySelector('wl-signin').shadowRoot;
             return { wl: !!window.WL, open: !!r.querySelector(':popover-open') };",
            vec![],
        )
        .await?;
    check(
        clicked == json!({"wl": false, "open": true}),
        format!("the click must reach the page's button before wl.js runs: {clicked}"),
    )?;
    Ok((slow, site))
}

/// The same on a site that also enforces Trusted Types and allows no policy at all
/// ([`Csp::TrustedTypes`]): such a page refuses `innerHTML`, which the first paint used, so it
/// had two empty controls that never came to life. The loader needs no policy.
pub async fn playground_set_up_under_trusted_types_signs_in(env: &Env) -> Result<()> {
    sign_in_on_a_stranger_site(env, Csp::TrustedTypes, false).await
}

/// What the stranger's page says about its content.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Csp {
    /// No Content-Security-Policy.
    None,
    /// The Playground's, as copied.
    Playground,
    /// The Playground's, and Trusted Types enforced with no policy allowed
    /// (`require-trusted-types-for 'script'; trusted-types 'none'`).
    TrustedTypes,
}

/// `<wl-bar>` set up the same way (under the Playground's CSP, which then names the hub's
/// `ws:` origin, and Trusted Types with no policy): alice signs in on the stranger's site, bob
/// in a second browser on the dev host's demo page writes to her, and her bar on the
/// stranger's site shows the message.
/// Its own dev host: bob allows consent here (tests/README.md, "bob only ever denies").
pub async fn playground_set_up_bar_on_a_typed_origin_delivers_a_message(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let alice = env.browser().await?;
    let site = set_up_from_playground(
        &alice,
        &server,
        "/?control=wl-bar&data-scope=wl.signin%20wl.basic%20wl.messenger",
        Csp::TrustedTypes,
        false,
    )
    .await?;
    alice.goto(&format!("{}/index.html", site.origin)).await?;
    bar::click_in_bar(
        &alice,
        "the bar's sign-in button on the stranger's site",
        "const btn = root.querySelector('button[data-action=signin]');
         return btn && btn.offsetWidth > 0 ? btn : null;",
        vec![],
    )
    .await?;
    flow::sign_in_in_popup(&alice, &server.provider, "alice", Decision::Allow).await?;
    bar::wait_online(&alice).await?;

    let bob = env.browser().await?;
    bar::sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;
    bar::open_conversation(&bob, "Alice").await?;
    let text = "Hello from the dev host to a stranger's site";
    bar::send_message(&bob, "Alice", text).await?;

    bar::open_conversation(&alice, "Bob").await?;
    bar::wait_window_has(&alice, "Bob", &[text]).await?;
    no_csp_violation(&alice).await
}

async fn sign_in_on_a_stranger_site(env: &Env, csp: Csp, drawn: bool) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let site = set_up_from_playground(&b, server, "/?control=wl-userinfo", csp, drawn).await?;
    b.goto(&format!("{}/index.html", site.origin)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", WAIT).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::check_api_me(&b, "Alice Anderson", "on the stranger's origin").await?;
    if csp != Csp::None {
        no_csp_violation(&b).await?;
    }
    if drawn {
        drawn_without_scripts(&b, &site).await?;
    }
    Ok(())
}

/// The stranger's page as pasted, with its policy refusing every script: both controls are
/// drawn from the page's own markup, styled by the sheets the policy allows by hash, and the
/// button is live: a click opens its popover (what `wl.js` reads as that click when it comes)
/// and the sheet shows it busy, its spinner in the logo's place.
async fn drawn_without_scripts(b: &Browser, site: &StrangerSite) -> Result<()> {
    let page = std::fs::read_to_string(site.root.path().join("index.html"))?;
    let start = page.find("script-src ").unwrap_or(0);
    let end = page[start..].find(';').map_or(start, |e| start + e);
    check(
        end > start,
        format!("the page should carry the Playground's script-src: {page}"),
    )?;
    let blocked = format!("{}script-src 'none'{}", &page[..start], &page[end..]);
    std::fs::write(site.root.path().join("blocked.html"), blocked)?;
    b.goto(&format!("{}/blocked.html", site.origin)).await?;
    let seen = b
        .js(
            "const s = document.querySelector('wl-signin').shadowRoot;
             const u = document.querySelector('wl-userinfo').shadowRoot;
             const btn = s && s.querySelector('button');
             return { wl: !!window.WL, disabled: btn && btn.disabled,
                      open: !!s.querySelector(':popover-open'),
                      height: btn && btn.getBoundingClientRect().height,
                      bg: btn && getComputedStyle(btn).backgroundColor,
                      label: btn && btn.textContent.trim(),
                      userinfo: !!(u && u.querySelector('.u')) };",
            vec![],
        )
        .await?;
    check(
        seen == json!({"wl": false, "disabled": false, "open": false, "height": 41,
                       "bg": "rgb(0, 103, 184)", "label": "Sign in", "userinfo": true}),
        format!("the controls should be drawn and styled by the page alone: {seen}"),
    )?;
    flow::click_control_button(b, "wl-signin").await?;
    let clicked = b
        .js(
            "const s = document.querySelector('wl-signin').shadowRoot;
             const shown = c => getComputedStyle(s.querySelector(c)).display;
             return { wl: !!window.WL, open: !!s.querySelector(':popover-open'),
                      spinner: shown('.sp'), logo: shown('.ic'),
                      cursor: getComputedStyle(s.querySelector('button')).cursor };",
            vec![],
        )
        .await?;
    check(
        clicked
            == json!({"wl": false, "open": true, "spinner": "block", "logo": "none",
                          "cursor": "progress"}),
        format!(
            "a click with no script should open the popover and show the button busy: {clicked}"
        ),
    )?;
    let log = b.console_log().await;
    check(
        !log.iter().any(|l| l.contains("style")),
        format!("the policy's hashes should allow the page's sheets: {log:?}"),
    )
}

/// Nothing the page's policy refused: no CSP violation, no Trusted Types one.
async fn no_csp_violation(b: &Browser) -> Result<()> {
    let log = b.console_log().await;
    check(
        !log.iter()
            .any(|l| l.contains("Content Security Policy") || l.contains("Trusted")),
        format!("the Playground's CSP should be enough: {log:?}"),
    )
}

/// A stranger's site, served while this lives.
struct StrangerSite {
    origin: String,
    _server: GroupChild,
    root: tempfile::TempDir,
}

/// In the Playground at `query`: types a wrong origin (refused), then the site's; copies the
/// `apps add` command and runs it as copied, types the client id it prints, copies the callback
/// page, the CSP (put on the page as `csp` says) and the snippet (with `drawn`, after ticking
/// "Draw the controls in the page"); serves them from `python3 -m http.server` on a free port.
async fn set_up_from_playground(
    b: &Browser,
    server: &DevServer,
    query: &str,
    csp: Csp,
    drawn: bool,
) -> Result<StrangerSite> {
    let port = http::free_port()?;
    let customer = format!("http://127.0.0.1:{port}");
    b.cdp(
        "Browser.grantPermissions",
        json!({ "origin": server.site, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }),
    )
    .await?;
    b.goto(&server.site_url(query)).await?;
    if drawn {
        b.find("#draw-first").await?.click().await?;
    }

    // A wrong origin is refused with its code, and nothing is built from it.
    let origin = b.find("#setup-origin").await?;
    origin.send_keys("https://a.com/app\u{E004}").await?; // then Tab: the field is left
    let error = b
        .wait_js(
            "the origin error",
            WAIT,
            "const e = document.getElementById('setup-origin-error');
             return e && !e.hidden && e.textContent;",
        )
        .await?;
    check(
        error.as_str().is_some_and(|e| e.contains("invalid_origin")),
        format!("a path in the origin should be refused with invalid_origin: {error}"),
    )?;
    // Select all and type over it, as a person does (Control+A, then the new origin).
    origin
        .send_keys(&format!("\u{E009}a\u{E009}{customer}/"))
        .await?;
    b.wait_js(
        "the set-up to follow the typed origin",
        WAIT,
        &format!(
            "return document.getElementById('setup-redirect').textContent === {} \
             && document.getElementById('setup-origin-error').hidden;",
            json!(format!("{customer}/callback.html"))
        ),
    )
    .await?;

    // 1. Register the app with the command as copied; it prints the client id.
    let command = copy(b, "copy-apps-add").await?;
    let client_id = run_apps_add(&command, server.data_dir())?;
    b.find("#setup-client-id")
        .await?
        .send_keys(&client_id)
        .await?;
    // 2. The callback page, 3. the CSP, 4. the snippet, each as copied.
    let callback = copy(b, "copy-callback").await?;
    let copied_csp = copy(b, "copy-csp").await?;
    b.wait_js(
        "the snippet to use the new client id",
        WAIT,
        &format!(
            "return document.getElementById('snippet').textContent.includes({});",
            json!(format!("data-client-id=\"{client_id}\""))
        ),
    )
    .await?;
    let snippet = copy(b, "copy-snippet").await?;
    check(
        callback.lines().count() == 1,
        format!("the callback page should be one line: {callback:?}"),
    )?;
    check(
        !drawn
            || (snippet.contains("\n        defer></script>")
                && snippet
                    .matches("<template shadowrootmode=\"open\">")
                    .count()
                    == 2
                && copied_csp.contains("style-src 'self' 'sha256-")),
        format!(
            "the drawn snippet should defer wl.js and hold both first paints: {snippet}\n{copied_csp}"
        ),
    )?;
    // "Open in a blank page" carries the snippet as shown, or a drawn one without its first
    // paint (the blank page builds the controls and `wl.js` draws them).
    let blank = b
        .js(
            "return decodeURIComponent(new URL(document.getElementById('open-blank').href).hash.slice(1));",
            vec![],
        )
        .await?;
    let blank = blank.as_str().unwrap_or_default();
    check(
        if drawn {
            blank.contains("<wl-") && !blank.contains("<template") && !blank.contains("defer")
        } else {
            blank == snippet
        },
        format!("the blank page's link should carry the plain snippet: {blank}\n{snippet}"),
    )?;

    let root = tempfile::Builder::new()
        .prefix("wl-e2e-stranger-")
        .tempdir()?;
    std::fs::write(root.path().join("callback.html"), &callback)?;
    let tt = if csp == Csp::TrustedTypes {
        "; require-trusted-types-for 'script'; trusted-types 'none'"
    } else {
        ""
    };
    let meta = match copied_csp.strip_prefix("Content-Security-Policy: ") {
        Some(policy) if csp != Csp::None => format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}{tt}\">",
            policy.replace('"', "&quot;")
        ),
        _ => String::new(),
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{meta}\
         <title>A stranger's site</title></head><body>\n<h1>A stranger's site</h1>\n{snippet}</body></html>\n"
    );
    std::fs::write(root.path().join("index.html"), page)?;
    let static_server = wl_e2e::static_site::serve(root.path(), port, false, "index.html")?;
    Ok(StrangerSite {
        origin: customer,
        _server: static_server,
        root,
    })
}

/// Clicks a Copy button and returns what it put on the clipboard.
async fn copy(b: &Browser, button: &str) -> Result<String> {
    b.js("return navigator.clipboard.writeText('');", vec![])
        .await?;
    b.find(&format!("#{button}")).await?.click().await?;
    let text = b
        .wait_js(
            &format!("#{button} to fill the clipboard"),
            WAIT,
            "return navigator.clipboard.readText().then(t => t || null);",
        )
        .await?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

/// Runs the copied `cargo run -p wl-server -- apps add …` with the built server binary on the
/// running server's data (the words after `--`, single quotes as a shell reads them).
fn run_apps_add(command: &str, data_dir: &Path) -> Result<String> {
    let args = command
        .split_once(" -- ")
        .map(|(_, a)| shell_words(a))
        .unwrap_or_default();
    check(
        command.starts_with("cargo run -p wl-server -- apps add ") && !args.is_empty(),
        format!("the copied command should be an `apps add`: {command}"),
    )?;
    cdn::apps_add(&args, data_dir, command)
}

/// Splits on spaces outside single quotes and drops the quotes (what `sh` does with them).
fn shell_words(s: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in s.chars() {
        match c {
            '\'' => (quoted, any) = (!quoted, true),
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}
