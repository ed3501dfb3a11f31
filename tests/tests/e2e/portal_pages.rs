//! The developer portal's pages (issue 15) in Chromium: axe-core finds nothing on any of them
//! (the list, the registration form empty and refused, the app page, the delete confirmation,
//! and the consent screen showing an app's logo), and each is saved at 1280 and 390 px wide
//! into `target/screenshots/portal/` for people to look at (the app list, the form empty and
//! refused, the app page, its secrets with one made, its statistics, the delete confirmation, the
//! consent screen).

use std::path::Path;
use std::time::Duration;
use wl_e2e::{Browser, Env, Result, check, flow, paths};

use crate::a11y::check_axe;
use crate::portal_pages;

pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![portal_pages::every_portal_page_passes_axe_at_both_widths]
}

/// Saves the page at `width` (the window grown to the document's height) as `dir/name-width.png`.
pub(crate) async fn shoot(b: &Browser, dir: &Path, name: &str, width: u32) -> Result<()> {
    b.client.set_window_size(width, 900).await?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let height = b
        .js("return document.documentElement.scrollHeight;", vec![])
        .await?
        .as_u64()
        .unwrap_or(900)
        .clamp(600, 4000) as u32;
    b.client.set_window_size(width, height + 100).await?;
    b.js("window.scrollTo(0, 0);", vec![]).await?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let path = dir.join(format!("{name}-{width}.png"));
    b.screenshot_to(&path).await?;
    check(
        std::fs::metadata(&path)?.len() > 1000,
        format!("{} is empty", path.display()),
    )
}

/// axe on the page, then screenshots at both widths.
async fn page_checked(b: &Browser, dir: &Path, name: &str) -> Result<()> {
    b.client.set_window_size(1280, 900).await?;
    check_axe(b, &[], &format!("on the portal's {name} page")).await?;
    shoot(b, dir, name, 1280).await?;
    shoot(b, dir, name, 390).await?;
    b.client.set_window_size(1280, 900).await?;
    Ok(())
}

/// A developer signs in to the portal and goes through every page; a refused registration
/// shows its errors; the consent screen shows the new app's logo.
pub async fn every_portal_page_passes_axe_at_both_widths(env: &Env) -> Result<()> {
    let server = env.server()?;
    let dir = paths::screenshots_dir()?.join("portal");
    std::fs::create_dir_all(&dir)?;
    let b = env.browser().await?;
    let provider = &server.provider;

    flow::sign_in_on_provider_page(&b, &format!("{provider}/developers"), "alice").await?;
    b.wait_js(
        "the portal's list of apps",
        Duration::from_secs(15),
        "return !!document.querySelector('a[href=\"/developers/apps/new\"]');",
    )
    .await?;
    page_checked(&b, &dir, "index").await?;

    b.goto(&format!("{provider}/developers/apps/new")).await?;
    page_checked(&b, &dir, "new").await?;
    // Refused: a duplicate redirect URI and an http privacy link for a public host.
    b.find("#name").await?.send_keys("Recipe Box").await?;
    b.find("#redirect_uris")
        .await?
        .send_keys("https://recipes.example/cb\nhttps://recipes.example/cb")
        .await?;
    b.find("#privacy_url")
        .await?
        .send_keys("http://recipes.example/privacy")
        .await?;
    b.find("form.app-form button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_js(
        "the refused form with its errors",
        Duration::from_secs(15),
        "return document.querySelectorAll('.field-error').length === 2;",
    )
    .await?;
    page_checked(&b, &dir, "new-refused").await?;

    // Fixed and sent: the app page.
    b.js(
        "document.getElementById('redirect_uris').value = 'http://127.0.0.1:7/cb.html';
         document.getElementById('privacy_url').value = 'https://recipes.example/privacy';
         document.getElementById('description').value = 'Save recipes and share them with your friends.';",
        vec![],
    )
    .await?;
    b.find("form.app-form button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_js(
        "the new app's page",
        Duration::from_secs(15),
        "return !!document.getElementById('client_id');",
    )
    .await?;
    let client_id = b
        .js("return document.getElementById('client_id').value;", vec![])
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    check(client_id.len() == 32, format!("client id {client_id:?}"))?;
    page_checked(&b, &dir, "app").await?;

    // Its secrets page (none yet), then with a secret made.
    b.goto(&format!("{provider}/developers/apps/{client_id}/secrets"))
        .await?;
    page_checked(&b, &dir, "secrets").await?;
    b.js(
        "document.querySelector('form[action$=\"/secrets/new\"] button[type=submit]').click();",
        vec![],
    )
    .await?;
    b.wait_js(
        "a new secret shown once",
        Duration::from_secs(15),
        "return [...document.querySelectorAll('input')].some(i => i.value.startsWith('wlcs_'));",
    )
    .await?;
    page_checked(&b, &dir, "secret-new").await?;

    // Its statistics (empty: nobody used it yet), with their charts and tables.
    b.goto(&format!("{provider}/developers/apps/{client_id}/stats"))
        .await?;
    b.wait_js(
        "the statistics page's charts",
        Duration::from_secs(15),
        "return !!document.querySelector('svg[role=img]');",
    )
    .await?;
    page_checked(&b, &dir, "stats").await?;

    b.goto(&format!("{provider}/developers/apps/{client_id}/delete"))
        .await?;
    page_checked(&b, &dir, "delete").await?;

    // The consent screen for the new app shows its description and privacy link.
    b.goto(&format!(
        "{provider}/authorize?response_type=code&client_id={client_id}\
         &redirect_uri=http%3A%2F%2F127.0.0.1%3A7%2Fcb.html&scope=openid&state=s\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    ))
    .await?;
    b.wait_js(
        "the consent screen with the app's description",
        Duration::from_secs(15),
        "return !!document.querySelector('.app-desc') && !!document.querySelector('a[href=\"https://recipes.example/privacy\"]');",
    )
    .await?;
    page_checked(&b, &dir, "consent").await
}
