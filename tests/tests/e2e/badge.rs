//! The no-JavaScript sharing badge: a link on any page shares it into friends' feeds (issue 7).

use crate::badge;
use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, E2eError, Env, Probe, Result, axe, check};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![
        badge::clicking_the_badge_shares_into_bobs_feed,
        badge::a_non_web_link_is_a_clear_error,
    ]
}

/// What the demo page's badge shares (www/demo/share-badge.html).
const SHARED_URL: &str = "https://recipes.contoso.example/pumpkin-soup";
const SHARED_MESSAGE: &str = "Made this tonight — so good!";

/// Widths the badge pages are looked at (a phone and a small laptop).
const WIDTHS: [(u32, u32); 2] = [(375, 812), (1024, 900)];

/// Saves the current window at every width in `target/screenshots/badge/{name}-{width}.png`.
async fn screenshots(b: &Browser, name: &str) -> Result<()> {
    b.screenshots_at("badge", name, &WIDTHS).await
}

/// axe-core (WCAG 2 A/AA, best practices) finds nothing on the current page.
async fn no_axe_violations(b: &Browser, page: &str) -> Result<()> {
    let violations = axe::run(b, &[]).await?;
    check(
        violations.is_empty(),
        format!(
            "axe found {} violation(s) on the {page}:\n{}",
            violations.len(),
            axe::report(&violations)
        ),
    )
}

/// Waits for the provider's sign-in form in the current window and signs in as `user`.
async fn sign_in_here(b: &Browser, user: &str) -> Result<()> {
    b.find("input[type=password]").await?;
    let fields = b
        .js(
            "const pw = document.querySelector('input[type=password]');
             return { user: pw.form.querySelector('input[name=username]'), pw,
                      submit: pw.form.querySelector('button[type=submit]') };",
            vec![],
        )
        .await?;
    let (Some(u), Some(p), Some(s)) = (
        b.element_from_json(&fields["user"]),
        b.element_from_json(&fields["pw"]),
        b.element_from_json(&fields["submit"]),
    ) else {
        return Err(E2eError::Check(format!(
            "incomplete sign-in form: {fields}"
        )));
    };
    u.clear().await?;
    u.send_keys(user).await?;
    p.send_keys(flow::PASSWORD).await?;
    s.click().await?;
    Ok(())
}

/// Waits until the current window's `<h1>` says `title`; returns the page's text.
async fn wait_heading(b: &Browser, title: &str) -> Result<String> {
    let v = b
        .wait_for(
            &format!("a page headed {title:?}"),
            Duration::from_secs(15),
            || async {
                let v = b
                    .js(
                        "const h = document.querySelector('h1');
                         return { h1: h ? h.textContent.trim() : null,
                                  text: document.body ? document.body.innerText : '' };",
                        vec![],
                    )
                    .await?;
                Ok(if v["h1"] == json!(title) {
                    Probe::Done(v)
                } else {
                    Probe::NotYet(v["h1"].to_string())
                })
            },
        )
        .await?;
    Ok(v["text"].as_str().unwrap_or_default().to_owned())
}

/// A page with a plain `<a href="{provider}/badge?url=…">` link (no script on it): alice
/// clicks it, signs in on the provider, picks bob, shares; the "Shared" page names bob; bob,
/// signed in on the site in another browser, finds the link in `WL.api({path: "me/feed"})`.
pub async fn clicking_the_badge_shares_into_bobs_feed(env: &Env) -> Result<()> {
    // Its own server: bob allows the demo app here, which the shared server's cases rely on
    // him never doing.
    let server = DevServer::start(&ServerOptions::default())?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/share-badge.html")).await?;
    let badge = b.find("a#share-badge").await?;
    let href = badge.attr("href").await?.unwrap_or_default();
    check(
        href.starts_with(&format!("{}/badge?url=", server.provider)),
        format!("the badge links to the provider's /badge: {href}"),
    )?;
    check(
        b.js("return document.scripts.length;", vec![]).await? == json!(0),
        "the page with the badge has no script at all",
    )?;
    badge.click().await?;
    let window = b.wait_for_popup(Duration::from_secs(10)).await?;
    b.client.switch_to_window(window).await?;

    sign_in_here(&b, "alice").await?;
    let text = wait_heading(&b, "Share a link").await?;
    check(
        text.contains("recipes.contoso.example") && text.contains("Alice Anderson"),
        format!("the share form shows the link and who is sharing: {text}"),
    )?;
    let message = b.find("input[name=message]").await?;
    let typed = message.prop("value").await?.unwrap_or_default();
    check(
        typed == SHARED_MESSAGE,
        format!("the badge's message is prefilled: {typed:?}"),
    )?;
    screenshots(&b, "share").await?;
    no_axe_violations(&b, "share form").await?;

    // Only bob.
    b.find("input[name=audience][value=chosen]")
        .await?
        .click()
        .await?;
    let bob_box = b
        .js(
            "const l = [...document.querySelectorAll('label.friend')]
               .find(l => l.textContent.trim() === 'Bob Baker');
             return l ? l.querySelector('input[type=checkbox]') : null;",
            vec![],
        )
        .await?;
    let bob_box = b
        .element_from_json(&bob_box)
        .ok_or_else(|| E2eError::Check("no checkbox for Bob Baker".into()))?;
    bob_box.click().await?;
    b.js(
        "return document.querySelector('form[action=\"/badge\"] button[type=submit]');",
        vec![],
    )
    .await
    .map(|v| b.element_from_json(&v))?
    .ok_or_else(|| E2eError::Check("no Share button".into()))?
    .click()
    .await?;

    let text = wait_heading(&b, "Shared").await?;
    check(
        text.contains("Bob Baker") && text.contains(SHARED_MESSAGE),
        format!("the confirmation names bob and the message: {text}"),
    )?;
    let url = b.client.current_url().await?.to_string();
    check(
        url.starts_with(&format!("{}/badge/shared?id=", server.provider)),
        format!("the confirmation is its own page (a reload never shares twice): {url}"),
    )?;
    screenshots(&b, "shared").await?;
    no_axe_violations(&b, "Shared page").await?;

    // Bob, in a browser of his own, signs in on the site and reads his feed.
    let bob = env.browser().await?;
    bob.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&bob, "wl-signin").await?;
    flow::sign_in_in_popup(&bob, &server.provider, "bob", Decision::Allow).await?;
    flow::wait_userinfo_shows(&bob, "wl-userinfo", "Bob", Duration::from_secs(10)).await?;
    let feed = bob
        .js(
            "return WL.api({ path: 'me/feed' }).then(r => r, e => ({ rejected: e }));",
            vec![],
        )
        .await?;
    let shared: Vec<&Json> = feed["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|x| x["object"]["href"] == json!(SHARED_URL))
                .collect()
        })
        .unwrap_or_default();
    check(
        shared.len() == 1,
        format!("bob's feed has the shared link once: {feed}"),
    )?;
    let a = shared[0];
    check(
        a["actor"]["name"] == json!("Alice Anderson")
            && a["type"] == json!("Announce")
            && a["content"] == json!(SHARED_MESSAGE)
            && a["@context"] == json!("https://www.w3.org/ns/activitystreams"),
        format!("an ActivityStreams Announce by alice with her message: {a}"),
    )
}

/// `/badge?url=javascript:…`: an error page with its stable code, never a sign-in form.
pub async fn a_non_web_link_is_a_clear_error(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&format!(
        "{}/badge?url=javascript%3Aalert(document.cookie)",
        server.provider
    ))
    .await?;
    let text = wait_heading(&b, "This link can't be shared").await?;
    check(
        text.contains("badge_url_invalid") && text.contains("http"),
        format!("the error page names its code and what is accepted: {text}"),
    )?;
    check(
        b.js(
            "return !!document.querySelector('input[type=password]');",
            vec![],
        )
        .await?
            == json!(false),
        "no sign-in form for a link that can't be shared",
    )?;
    screenshots(&b, "error").await?;
    // The sign-in page on the way to the badge, for the record.
    b.goto(&format!(
        "{}/badge?url=https%3A%2F%2Fexample.org%2F",
        server.provider
    ))
    .await?;
    wait_heading(&b, "Sign in").await?;
    screenshots(&b, "signin").await
}
