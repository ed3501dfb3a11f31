//! Just-in-time consent and revocation seen by the page (issue 5).
//!
//! The page is `www/demo/contacts.html`: it signs in with `wl.signin wl.basic`; its "Show my
//! contacts" button calls `WL.api({path: "me/contacts"})`, and on `insufficient_scope` shows an
//! "Allow access to my contacts" button whose click handler calls `WL.login({scope})` with the
//! scope the error names (a real click, so the popup may open), then loads the contacts again.

use crate::consent_jit;
use serde_json::json;
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, E2eError, Env, Result, check};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![consent_jit::more_scope_just_in_time_then_revoked_on_the_provider]
}

/// What the consent screen says for `wl.contacts` and `wl.basic` (server/src/scopes.rs).
const CONTACTS_WORDS: &str = "See your contacts and their details";
const BASIC_WORDS: &str = "See your profile info and your list of friends";

/// Forgets the page's recorded events (the `events.js` list is kept, only emptied).
async fn clear_events(b: &Browser) -> Result<()> {
    b.js("window.__events.length = 0; return true;", vec![])
        .await?;
    Ok(())
}

/// Clicks the page's own button `#id` (a trusted user gesture).
async fn click(b: &Browser, id: &str) -> Result<()> {
    b.find(&format!("#{id}")).await?.click().await?;
    Ok(())
}

/// Sign in with `wl.basic` only; `WL.api` for contacts rejects 403 naming `wl.contacts`; the
/// page's button asks `WL.login({scope: "wl.contacts"})`, the provider's consent screen lists
/// only that scope, allow, and the contacts load. Then alice removes the app on the provider's
/// connected-apps page: the page's next `WL.api` call gets 401, the session ends, `<wl-signin>`
/// shows signed out, and signing in again shows the consent screen again.
pub async fn more_scope_just_in_time_then_revoked_on_the_provider(env: &Env) -> Result<()> {
    // Its own server: this case needs alice with no grant yet, and it revokes hers.
    let server = DevServer::start(&ServerOptions::default())?;
    let provider = server.provider.clone();
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/contacts.html")).await?;
    flow::sign_in(&b, &provider, "wl-signin", "wl-userinfo", "alice", "Alice").await?;
    let scope = b.js("return WL.getSession().scope;", vec![]).await?;
    check(
        scope
            .as_array()
            .is_some_and(|s| s.contains(&json!("wl.basic")) && !s.contains(&json!("wl.contacts"))),
        format!("signed in with wl.basic and without wl.contacts: {scope}"),
    )?;

    // The API call the page makes names the missing scope.
    let direct = b
        .js(
            "return WL.api({ path: 'me/contacts' }).then(r => ({ resolved: r }), e => ({ rejected: e }));",
            vec![],
        )
        .await?;
    check(
        direct["rejected"]["code"] == json!("insufficient_scope")
            && direct["rejected"]["scope"] == json!("wl.contacts"),
        format!("WL.api me/contacts rejects with insufficient_scope naming wl.contacts: {direct}"),
    )?;
    click(&b, "load-contacts").await?;
    b.wait_event(
        "contacts-error",
        "insufficient_scope",
        Duration::from_secs(10),
    )
    .await?;
    b.wait_js(
        "the page to offer the allow-contacts button",
        Duration::from_secs(5),
        "const el = document.getElementById('allow-contacts');
         return !el.hidden && el.dataset.scope === 'wl.contacts';",
    )
    .await?;

    // Just in time: the consent screen asks for the missing scope only.
    clear_events(&b).await?;
    click(&b, "allow-contacts").await?;
    let scopes = flow::consent_scopes_in_popup(&b, &provider).await?;
    let popup = b.client.window().await?;
    check(
        scopes == [CONTACTS_WORDS],
        format!(
            "the consent screen for WL.login({{scope: \"wl.contacts\"}}) should list only \
             {CONTACTS_WORDS:?} (the session already has wl.basic and wl.signin), it lists {scopes:?}"
        ),
    )?;
    flow::sign_in_in_given_popup(&b, &popup, &provider, "alice", Decision::Allow).await?;
    b.wait_event("more-scope-granted", "wl.contacts", Duration::from_secs(10))
        .await?;
    let loaded = b
        .wait_event("contacts-loaded", "count", Duration::from_secs(10))
        .await?;
    check(
        loaded["detail"]["count"].as_u64().is_some_and(|n| n > 0),
        format!("the contacts load once allowed: {loaded}"),
    )?;
    let listed = b
        .js(
            "return document.querySelectorAll('#contacts-list li').length;",
            vec![],
        )
        .await?;
    check(
        listed.as_u64().is_some_and(|n| n > 0),
        format!("the page lists them: {listed}"),
    )?;

    // Alice removes the app on the provider's connected-apps page, in a window of her own.
    let main = b.main_window().clone();
    let consent_window = b.client.new_window(false).await?.handle;
    b.client.switch_to_window(consent_window).await?;
    b.goto(&format!("{provider}/consent")).await?;
    let remove = b
        .js(
            "const app = [...document.querySelectorAll('li.app')]
               .find(li => li.textContent.includes('wl-connect demo'));
             return app ? app.querySelector('form[action=\"/consent/revoke\"] button') : null;",
            vec![],
        )
        .await?;
    let remove = b.element_from_json(&remove).ok_or_else(|| {
        E2eError::Check("the connected-apps page has no Remove access for the demo app".into())
    })?;
    remove.click().await?;
    b.wait_js(
        "the connected-apps page to confirm the removal",
        Duration::from_secs(10),
        "return document.body.innerText.includes('can no longer use your account');",
    )
    .await?;
    b.client.close_window().await?;
    b.client.switch_to_window(main).await?;

    // The page's next call: 401, the session ends, the controls show signed out.
    clear_events(&b).await?;
    click(&b, "load-contacts").await?;
    let err = b
        .wait_event("contacts-error", "code", Duration::from_secs(10))
        .await?;
    check(
        err["detail"]["code"] == json!("invalid_token"),
        format!("the revoked session's call rejects with invalid_token: {err}"),
    )?;
    b.wait_event(
        "auth.statusChange",
        "notConnected\"",
        Duration::from_secs(5),
    )
    .await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(5)).await?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(5)).await?;
    check(!flow::has_session(&b).await?, "no session after the 401")?;

    // Signing in again asks again: the grant is gone.
    flow::click_control_button(&b, "wl-signin").await?;
    let scopes = flow::consent_scopes_in_popup(&b, &provider).await?;
    let popup = b.client.window().await?;
    check(
        scopes.iter().any(|s| s == BASIC_WORDS),
        format!("the consent screen shows again after the revocation: {scopes:?}"),
    )?;
    flow::sign_in_in_given_popup(&b, &popup, &provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    Ok(())
}
