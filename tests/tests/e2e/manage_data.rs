//! Managing data (issue 16 §3) where a person would: `www/demo/manage.html` lists alice's
//! contacts through `WL.api`, its Edit form saves a new name with `WL.api({ method: "PATCH" })`
//! and deletes with `WL.api({ method: "DELETE" })` (cross-origin, so the provider's CORS
//! preflight must allow both), and its invite form sends `POST me/invitations`. A second
//! browser signs dave in on the provider's `/invitations` page and accepts; alice's friends
//! then include him. axe on both pages; each saved at 1280 and 390 px into
//! `target/screenshots/manage/`.

use serde_json::json;
use std::path::Path;
use std::time::Duration;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Result, check, flow, paths};

use crate::a11y::check_axe;
use crate::manage_data;

/// This module's cases, in the order they run.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![manage_data::a_contact_is_renamed_and_deleted_and_an_invitation_accepted]
}

/// Saves the page at `width` (the window grown to the document's height) as `dir/name-width.png`.
async fn shoot(b: &Browser, dir: &Path, name: &str, width: u32) -> Result<()> {
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

async fn shoot_both(b: &Browser, dir: &Path, name: &str) -> Result<()> {
    shoot(b, dir, name, 1280).await?;
    shoot(b, dir, name, 390).await?;
    b.client.set_window_size(1280, 900).await?;
    Ok(())
}

/// The names the page lists.
async fn listed(b: &Browser) -> Result<Vec<String>> {
    let v = b
        .js(
            "return [...document.querySelectorAll('#contacts-list .contact-name')].map(e => e.textContent);",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

async fn type_into(b: &Browser, css: &str, text: &str) -> Result<()> {
    let el = b.find(css).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// Alice renames a contact and deletes it on the demo page, and invites dave by address; dave
/// accepts in a browser of his own on the provider's page; alice's friends then list him.
pub async fn a_contact_is_renamed_and_deleted_and_an_invitation_accepted(env: &Env) -> Result<()> {
    // Its own server: this case changes alice's contacts and friends.
    let server = DevServer::start(&ServerOptions::default())?;
    let provider = server.provider.clone();
    let dir = paths::screenshots_dir()?.join("manage");
    std::fs::create_dir_all(&dir)?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/manage.html")).await?;
    flow::sign_in(&b, &provider, "wl-signin", "wl-userinfo", "alice", "Alice").await?;

    b.find("#load-contacts").await?.click().await?;
    b.wait_event("contacts-loaded", "count", Duration::from_secs(10))
        .await?;
    let before = listed(&b).await?;
    check(!before.is_empty(), "alice's contacts are listed")?;
    let original = before[0].clone();

    // Edit the first contact: a new name, saved with PATCH.
    b.find("#contacts-list li button").await?.click().await?;
    b.wait_js(
        "the edit form",
        Duration::from_secs(5),
        "return !document.getElementById('edit-form').hidden;",
    )
    .await?;
    type_into(&b, "#edit-first", "Renamed").await?;
    type_into(&b, "#edit-last", "Cook").await?;
    check_axe(&b, &[], "on manage.html with the edit form open").await?;
    shoot_both(&b, &dir, "manage-edit").await?;
    b.find("#edit-save").await?.click().await?;
    let saved = b
        .wait_event("contact-saved", "id", Duration::from_secs(10))
        .await?;
    let id = saved["detail"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    check(
        id.starts_with("contact."),
        format!("a contact id was saved: {saved}"),
    )?;
    b.wait_js(
        "the list to show the new name",
        Duration::from_secs(10),
        "return [...document.querySelectorAll('#contacts-list .contact-name')].some(e => e.textContent === 'Renamed Cook');",
    )
    .await?;
    let after = listed(&b).await?;
    check(
        !after.contains(&original) || before.iter().filter(|n| **n == original).count() > 1,
        format!("{original:?} was renamed: {after:?}"),
    )?;
    let status = b
        .js(
            "return document.getElementById('contacts-status').textContent;",
            vec![],
        )
        .await?;
    check(
        status.as_str().is_some_and(|s| s.starts_with("Saved.")),
        format!("the page says it saved: {status}"),
    )?;

    // Delete it: gone from the list and from the API.
    let button = b
        .js(
            "return [...document.querySelectorAll('#contacts-list li')].find(li => li.textContent.includes('Renamed Cook')).querySelector('button');",
            vec![],
        )
        .await?;
    b.element_from_json(&button)
        .ok_or_else(|| wl_e2e::E2eError::Check("no Edit button for Renamed Cook".into()))?
        .click()
        .await?;
    b.find("#edit-delete").await?.click().await?;
    b.wait_event("contact-deleted", "id", Duration::from_secs(10))
        .await?;
    b.wait_js(
        "the list to lose the deleted contact",
        Duration::from_secs(10),
        "return document.getElementById('contacts-status').textContent.startsWith('Deleted.') && ![...document.querySelectorAll('#contacts-list .contact-name')].some(e => e.textContent === 'Renamed Cook');",
    )
    .await?;
    let gone = b
        .js(
            "return WL.api({ path: 'me/contacts/' + arguments[0] }).then(r => ({ resolved: r }), e => ({ rejected: e }));",
            vec![json!(id)],
        )
        .await?;
    check(
        gone["rejected"]["code"] == json!("resource_not_found"),
        format!("the deleted contact is not found: {gone}"),
    )?;
    check(
        listed(&b).await?.len() + 1 == after.len(),
        "one contact fewer",
    )?;

    // Invite dave by address.
    type_into(&b, "#invite-email", "dave@example.net").await?;
    b.find("#invite-send").await?.click().await?;
    b.wait_event("invitation-sent", "id", Duration::from_secs(10))
        .await?;
    let said = b
        .js(
            "return document.getElementById('invite-status').textContent;",
            vec![],
        )
        .await?;
    check(
        said.as_str()
            .is_some_and(|s| s.contains("Invitation sent to dave@example.net")),
        format!("the page confirms the invitation: {said}"),
    )?;
    check_axe(&b, &[], "on manage.html after the invitation").await?;
    shoot_both(&b, &dir, "manage").await?;
    let friends = b
        .js("return WL.api({ path: 'me/friends', query: { top: 100 } }).then(r => r.data.map(f => f.name));", vec![])
        .await?;
    check(
        !friends.to_string().contains("Dave"),
        format!("dave is not alice's friend yet: {friends}"),
    )?;

    // Dave, in a browser of his own, signs in on the provider's invitations page and accepts.
    let d = env.browser().await?;
    flow::sign_in_on_provider_page(&d, &format!("{provider}/invitations"), "dave").await?;
    d.wait_js(
        "dave's invitations page to list alice's invitation",
        Duration::from_secs(10),
        "return document.body.innerText.includes('wants to connect with you') && document.body.innerText.includes('Alice');",
    )
    .await?;
    check_axe(&d, &[], "on the provider's invitations page").await?;
    shoot_both(&d, &dir, "invitations").await?;
    d.find("button[aria-label^='Accept']")
        .await?
        .click()
        .await?;
    d.wait_js(
        "the page to confirm the connection",
        Duration::from_secs(10),
        "return document.body.innerText.includes('You are now connected') && document.body.innerText.includes('No invitations are waiting');",
    )
    .await?;
    check_axe(&d, &[], "on the provider's invitations page, answered").await?;
    shoot_both(&d, &dir, "invitations-accepted").await?;

    // Alice's friends now include dave.
    let friends = b
        .js("return WL.api({ path: 'me/friends', query: { top: 100 } }).then(r => r.data.map(f => f.name));", vec![])
        .await?;
    check(
        friends.to_string().contains("Dave"),
        format!("dave is alice's friend once he accepted: {friends}"),
    )
}
