//! The provider's pages in the person's language (issue 17 §3): a person whose browser is French
//! signs in through the popup, sees the French consent screen, clicks « Autoriser » and is signed
//! in. Then screenshots, looked at: the sign-in, consent and connected-apps pages in French,
//! German (the longest labels) and the right-to-left pseudo-locale (and the invitations and the
//! sharing badge) `ar-XB` (the server runs with
//! `--pseudo-locale`), the developer portal's list, app and statistics pages in German and
//! right to left, and the controls on a right-to-left page, at 1280 and 390 px, in
//! `target/screenshots/i18n/`.

use crate::i18n;
use std::path::Path;
use std::time::Duration;

use serde_json::json;
use wl_e2e::Browser;
use wl_e2e::flow;
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Env, Result, check, paths};

/// This area's cases.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![i18n::a_french_browser_signs_in_on_the_french_consent_screen]
}

/// The current window at 1280 and 390 px wide, as `{name}-{width}.png` in `dir`.
async fn shots(b: &Browser, dir: &Path, name: &str) -> Result<()> {
    for (w, h) in [(1280, 900), (390, 844)] {
        b.client.set_window_size(w, h).await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        b.screenshot_to(&dir.join(format!("{name}-{w}.png")))
            .await?;
    }
    b.client.set_window_size(1280, 900).await?;
    Ok(())
}

/// `<html lang dir>` and the visible text of the current page.
async fn page_facts(b: &Browser) -> Result<(String, String, String)> {
    let v = b
        .js(
            "return [document.documentElement.lang, document.documentElement.dir, document.body.innerText];",
            vec![],
        )
        .await?;
    let s = |i: usize| v[i].as_str().unwrap_or_default().to_owned();
    Ok((s(0), s(1), s(2)))
}

/// A French browser: the popup's sign-in and consent pages are French, « Autoriser » signs in.
pub async fn a_french_browser_signs_in_on_the_french_consent_screen(env: &Env) -> Result<()> {
    let server = DevServer::start(&ServerOptions {
        serve_args: vec!["--pseudo-locale".into()],
        ..Default::default()
    })?;
    let dir = paths::screenshots_dir()?.join("i18n");
    std::fs::create_dir_all(&dir)?;
    let b = env.browser_in("fr-FR").await?;
    let lang = b.js("return navigator.language;", vec![]).await?;
    check(
        lang.as_str().is_some_and(|l| l.starts_with("fr")),
        format!("the browser speaks French: navigator.language = {lang}"),
    )?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    let authorize_url = flow::wait_popup_at(&b, &popup, &server.provider).await?;
    check(
        !authorize_url.contains("ui_locales"),
        format!("the language comes from the browser alone: {authorize_url}"),
    )?;
    b.client.switch_to_window(popup.clone()).await?;
    b.wait_js(
        "the French sign-in form",
        Duration::from_secs(10),
        "return document.querySelector('input[type=password]') && document.documentElement.lang === 'fr' || null;",
    )
    .await?;
    let (_, dir_attr, text) = page_facts(&b).await?;
    check(
        dir_attr == "ltr" && text.contains("Connexion") && text.contains("Nom d’utilisateur"),
        format!("the sign-in page is French: {text}"),
    )?;
    shots(&b, &dir, "signin-fr").await?;
    b.find("#username").await?.send_keys("alice").await?;
    b.find("#password").await?.send_keys(flow::PASSWORD).await?;
    b.find("form[action='/signin'] button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_js(
        "the French consent screen",
        Duration::from_secs(10),
        "return document.querySelector('button[value=allow]') || null;",
    )
    .await?;
    let (lang, _, text) = page_facts(&b).await?;
    check(
        lang == "fr" && text.contains("souhaite se connecter à votre compte"),
        format!("the consent screen is French: {text}"),
    )?;
    check(
        text.contains("Vous connecter avec votre compte wl-connect")
            && !text.contains("would like to connect"),
        format!("its scopes are French too: {text}"),
    )?;
    shots(&b, &dir, "consent-fr").await?;
    let allow = b.find("button[value=allow]").await?;
    let label = allow.text().await?;
    check(
        label == "Autoriser",
        format!("the allow button reads « Autoriser »: {label:?}"),
    )?;
    flow::click_in_closing_window(&allow).await?;
    b.wait_window_closed(&popup, Duration::from_secs(10))
        .await?;
    b.switch_to_main().await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;

    // The other pages, looked at: the consent screen again (prompt=consent) in German and in the
    // right-to-left pseudo-locale, the connected apps in French and right-to-left.
    for (name, extra) in [
        ("consent-de", "&prompt=consent&ui_locales=de"),
        ("consent-rtl", "&prompt=consent&ui_locales=ar-XB"),
    ] {
        b.goto(&format!("{authorize_url}{extra}")).await?;
        b.wait_js(
            "the consent screen",
            Duration::from_secs(10),
            "return document.querySelector('button[value=allow]') || null;",
        )
        .await?;
        shots(&b, &dir, name).await?;
    }
    let (lang, dir_attr, _) = page_facts(&b).await?;
    check(
        lang == "ar-XB" && dir_attr == "rtl",
        format!("the pseudo-locale is right-to-left: lang={lang} dir={dir_attr}"),
    )?;
    let side = b
        .js(
            "const a = document.querySelector('button[value=allow]').getBoundingClientRect();\
             const d = document.querySelector('button[value=deny]').getBoundingClientRect();\
             return a.left < d.left;",
            vec![],
        )
        .await?;
    check(
        side == json!(true),
        "right-to-left: « Allow » (the second button) sits left of « Deny »",
    )?;
    for (name, path) in [
        ("invitations-fr", "/invitations"),
        ("invitations-rtl", "/invitations?ui_locales=ar-XB"),
        (
            "badge-de",
            "/badge?url=https%3A%2F%2Fexample.net%2Fsoup&ui_locales=de",
        ),
        (
            "badge-rtl",
            "/badge?url=https%3A%2F%2Fexample.net%2Fsoup&ui_locales=ar-XB",
        ),
        ("connected-fr", "/consent"),
        ("connected-rtl", "/consent?ui_locales=ar-XB"),
    ] {
        b.goto(&format!("{}{path}", server.provider)).await?;
        b.wait_js(
            "the page",
            Duration::from_secs(10),
            "return document.querySelector('.apps li, .empty, .share-form') || null;",
        )
        .await?;
        shots(&b, &dir, name).await?;
    }
    let (_, _, text) = page_facts(&b).await?;
    check(
        text.contains("\u{202E}Remove access\u{202C}"),
        format!("the connected apps in the pseudo-locale: {text}"),
    )?;
    b.goto(&format!("{}/consent", server.provider)).await?;
    let (_, _, text) = page_facts(&b).await?;
    check(
        text.contains("Apps connectées") && text.contains("Retirer l’accès"),
        format!("the connected apps in French: {text}"),
    )?;
    b.goto(&format!("{}/no-such-page", server.provider)).await?;
    let (_, _, text) = page_facts(&b).await?;
    check(
        text.contains("Page introuvable"),
        format!("the 404 page in French: {text}"),
    )?;
    shots(&b, &dir, "notfound-fr").await?;

    // The developer portal (alice owns the demo app): its list of apps, the app's page and its
    // statistics in German (the longest words) and right to left; each page whole, at both widths.
    for (tag, words) in [("de", "Ihre Apps"), ("ar-XB", "\u{202E}Your apps\u{202C}")] {
        let name = if tag == "de" { "de" } else { "rtl" };
        for (page, path, ready) in [
            ("portal", "/developers".to_owned(), ".apps li"),
            (
                "portal-app",
                "/developers/apps/wl-demo".to_owned(),
                "#client_id",
            ),
            (
                "portal-stats",
                "/developers/apps/wl-demo/stats".to_owned(),
                "svg[role=img]",
            ),
        ] {
            b.goto(&format!("{}{path}?ui_locales={tag}", server.provider))
                .await?;
            b.wait_js(
                "the portal page",
                Duration::from_secs(10),
                &format!("return document.querySelector('{ready}') || null;"),
            )
            .await?;
            let (lang, dir_attr, text) = page_facts(&b).await?;
            check(
                lang == tag && text.contains(words) && (tag != "de" || !text.contains("Sign out")),
                format!("the portal's {page} page in {tag} ({lang} {dir_attr}): {text}"),
            )?;
            // Nothing sticks out sideways at 390 px: no horizontal scrolling.
            b.client.set_window_size(390, 844).await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
            let wide = b
                .js(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                    vec![],
                )
                .await?;
            check(
                wide.as_i64().unwrap_or(1) <= 0,
                format!("the portal's {page} page in {tag} scrolls sideways at 390 px by {wide}"),
            )?;
            if page == "portal-stats" {
                // The charts' time axis runs left to right in every language: no axis or bar
                // label is cut off at the chart's edges (right to left flipped their anchors).
                let cut = b
                    .js(
                        "return [...document.querySelectorAll('svg.chart')].flatMap(svg => {\
                           const s = svg.getBoundingClientRect();\
                           return [...svg.querySelectorAll('text')].filter(t => {\
                             const r = t.getBoundingClientRect();\
                             return r.left < s.left - 1 || r.right > s.right + 1;\
                           }).map(t => t.textContent);\
                         });",
                        vec![],
                    )
                    .await?;
                check(
                    cut == json!([]),
                    format!("chart labels cut off in {tag}: {cut}"),
                )?;
            }
            for w in [1280, 390] {
                crate::portal_pages::shoot(&b, &dir, &format!("{page}-{name}"), w).await?;
            }
            b.client.set_window_size(1280, 900).await?;
        }
    }

    // The controls on a right-to-left page: the messenger bar and the sign-in/userinfo controls.
    b.goto(&server.site_url("/demo/messenger.html")).await?;
    b.wait_shadow("wl-bar", ".bar", Duration::from_secs(15))
        .await?;
    b.js("document.documentElement.dir = 'rtl';", vec![])
        .await?;
    shots(&b, &dir, "controls-rtl").await?;
    Ok(())
}
