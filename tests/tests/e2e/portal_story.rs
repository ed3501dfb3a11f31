//! Issue 15's story end to end, in three browsers: a developer (carol) registers an app in the
//! portal by hand, copies its client id from the portal page into a page on a new origin (a plain
//! static server) that loads `wl.js` from the dev host as strangers do; a person (alice) signs in
//! there through the popup (consent: allow) and shares a link with bob by a click on the page's
//! own button (`WL.api` POST `me/share`); bob, on the demo messenger page, opens the bar's
//! activities and clicks the link, which goes through the provider's `/r/{id}` and lands on the
//! shared page. The developer's statistics page then shows 1 sign-in, 1 consent, 1 share and
//! 1 click-through for today (polled across the server's flush, never a blind sleep), and the CSV
//! fetched with the developer's session says the same. PNGs of the statistics page at 1280 and
//! 390 px in `target/screenshots/portal/story-stats-*.png`.
//!
//! Its own dev host: bob allows consent here (tests/README.md: on the shared server he never does).

use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, E2eError, Env, Probe, Result, check, http, paths, static_site};

use crate::bar::{click_in_bar, in_bar, sign_in_on_bar, wait_bar};
use crate::portal_pages::shoot;
use crate::portal_story;

/// This module's cases.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![portal_story::registered_app_counts_a_sign_in_a_consent_a_share_and_a_click]
}

const WAIT: Duration = Duration::from_secs(20);
/// The note alice shares the link with.
const NOTE: &str = "Try this pumpkin soup";
/// The scopes the developer keeps ticked (the form starts with every scope ticked).
const KEEP: &[&str] = &["openid", "wl.signin", "profile", "wl.basic", "wl.share"];
/// The metrics the story makes, as CSV columns and the page's tiles.
const STORY: &[(&str, &str)] = &[
    ("signins", "Sign-ins"),
    ("consents", "New consents"),
    ("shares", "Shares"),
    ("clicks", "Click-throughs"),
];

/// The customer's page: the loader from the dev host with the app's client id, the sign-in
/// button, and a button that shares the recipe with Bob through `WL.api`.
fn customer_page(site: &str, provider: &str, customer: &str, client_id: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Recipe Box</title></head><body>
<h1>Recipe Box</h1>
<script src="{site}/wl.js" data-client-id="{client_id}" data-authority="{provider}" data-scope="wl.signin wl.basic wl.share" data-redirect-uri="{customer}/callback.html"></script>
<wl-signin theme="blue"></wl-signin>
<wl-userinfo layout="compact"></wl-userinfo>
<p><button id="share" type="button">Share the pumpkin soup with Bob</button></p>
<p id="share-status" role="status"></p>
<script>
document.getElementById('share').addEventListener('click', async () => {{
  const status = document.getElementById('share-status');
  try {{
    const friends = await WL.api({{ path: 'me/friends' }});
    const bob = friends.data.find(f => (f.first_name || f.name || '').startsWith('Bob'));
    if (!bob) throw new Error('Bob is not among ' + JSON.stringify(friends.data.map(f => f.name)));
    const activity = await WL.api({{ path: 'me/share', method: 'POST', body: {{
      link: '{customer}/soup.html', title: 'Pumpkin soup', message: {note}, to: [bob.id] }} }});
    status.textContent = 'Shared ' + activity.id;
  }} catch (e) {{
    status.textContent = 'Could not share: ' + ((e && (e.code || e.error || e.message)) || JSON.stringify(e));
  }}
}});
</script>
</body></html>
"#,
        note = json!(NOTE),
    )
}

/// The developer signs in to the portal (provider session) as `user`.
async fn portal_sign_in(b: &Browser, provider: &str, user: &str) -> Result<()> {
    flow::sign_in_on_provider_page(b, &format!("{provider}/developers"), user).await?;
    b.wait_js(
        "the portal's list of apps",
        WAIT,
        "return !!document.querySelector('a[href=\"/developers/apps/new\"]');",
    )
    .await?;
    Ok(())
}

/// Registers "Recipe Box" through the form, by clicks and typing; returns the client id read
/// from the app's page.
async fn register_in_portal(b: &Browser, customer: &str) -> Result<String> {
    b.find("a[href=\"/developers/apps/new\"]")
        .await?
        .click()
        .await?;
    b.wait_js(
        "the registration form",
        WAIT,
        "return !!document.querySelector('form.app-form #name');",
    )
    .await?;
    b.find("#name").await?.send_keys("Recipe Box").await?;
    b.find("#description")
        .await?
        .send_keys("Save recipes and share them with your friends.")
        .await?;
    b.find("#redirect_uris")
        .await?
        .send_keys(&format!("{customer}/callback.html"))
        .await?;
    b.find("#origins").await?.send_keys(customer).await?;
    // Every scope starts ticked: untick, by clicks, what the app does not need.
    let boxes = b
        .js(
            "return [...document.querySelectorAll('input[type=checkbox][name=scopes]')]
               .map(i => [i.value, i.checked]);",
            vec![],
        )
        .await?;
    for pair in boxes.as_array().into_iter().flatten() {
        let (Some(scope), Some(checked)) = (pair[0].as_str(), pair[1].as_bool()) else {
            continue;
        };
        if checked != KEEP.contains(&scope) {
            b.find(&format!(
                "input[type=checkbox][name=scopes][value='{scope}']"
            ))
            .await?
            .click()
            .await?;
        }
    }
    let ticked = b
        .js(
            "return [...document.querySelectorAll('input[name=scopes]:checked')].map(i => i.value);",
            vec![],
        )
        .await?;
    check(
        ticked == json!(KEEP),
        format!("the ticked scopes are the app's: {ticked}"),
    )?;
    b.find("form.app-form button[type=submit]")
        .await?
        .click()
        .await?;
    let client_id = b
        .wait_js(
            "the new app's page with its client id",
            WAIT,
            "const i = document.getElementById('client_id'); return i ? i.value : null;",
        )
        .await?;
    let client_id = client_id.as_str().unwrap_or_default().to_owned();
    check(
        client_id.len() == 32 && client_id.bytes().all(|c| c.is_ascii_alphanumeric()),
        format!("the portal shows a client id: {client_id:?}"),
    )?;
    Ok(client_id)
}

/// Today's UTC date as the browser sees it, `YYYY-MM-DD`.
async fn today(b: &Browser) -> Result<String> {
    let v = b
        .js("return new Date().toISOString().slice(0, 10);", vec![])
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// The statistics page's tiles, `{label: number}`.
const TILES: &str = "return Object.fromEntries([...document.querySelectorAll('ul.tiles li')]
    .map(li => [li.querySelector('span').textContent, Number(li.querySelector('b').textContent.replace(/,/g, ''))]));";

/// A developer registers an app in the portal and puts its client id on a new origin; alice
/// signs in there and shares a link with bob; bob clicks it in his feed; the developer's
/// statistics and CSV show 1 sign-in, 1 consent, 1 share and 1 click-through.
pub async fn registered_app_counts_a_sign_in_a_consent_a_share_and_a_click(
    env: &Env,
) -> Result<()> {
    let server = DevServer::start(&ServerOptions::default())?;
    let provider = server.provider.clone();
    let port = http::free_port()?;
    let customer = format!("http://127.0.0.1:{port}");

    // 1. The developer (carol) registers the app in the portal.
    let dev = env.browser().await?;
    dev.client.set_window_size(1280, 900).await?;
    portal_sign_in(&dev, &provider, "carol").await?;
    let client_id = register_in_portal(&dev, &customer).await?;

    // 2. The client id goes into the customer's page on its own origin.
    let root = tempfile::Builder::new()
        .prefix("wl-e2e-recipes-")
        .tempdir()?;
    std::fs::write(
        root.path().join("callback.html"),
        format!(
            "<!doctype html><script src=\"{}/wl.js\"></script>\n",
            server.site
        ),
    )?;
    std::fs::write(
        root.path().join("index.html"),
        customer_page(&server.site, &provider, &customer, &client_id),
    )?;
    std::fs::write(
        root.path().join("soup.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pumpkin soup</title></head>\
         <body><h1>Pumpkin soup</h1><p>Roast the pumpkin first.</p></body></html>\n",
    )?;
    let _customer_site = static_site::serve(root.path(), port, false, "index.html")?;

    // 3. Alice signs in there through the popup (the consent screen: allow) and shares.
    let alice = env.browser().await?;
    alice.goto(&format!("{customer}/index.html")).await?;
    flow::wait_button_text(&alice, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    flow::click_control_button(&alice, "wl-signin").await?;
    flow::sign_in_in_popup(&alice, &provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&alice, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    alice.find("#share").await?.click().await?;
    let status = alice
        .wait_js(
            "the customer's page to confirm the share",
            WAIT,
            "const s = document.getElementById('share-status').textContent; return s || null;",
        )
        .await?;
    check(
        status.as_str().is_some_and(|s| s.starts_with("Shared ")),
        format!("alice's share is written: {status}"),
    )?;

    // 4. Bob opens his feed in the bar on the demo site and clicks the link.
    let bob = env.browser().await?;
    sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;
    in_bar(
        &bob,
        "root.querySelector('button[data-action=panel][data-id=activities]').click(); return true;",
        vec![],
    )
    .await?;
    // The finder of the link (an element for the click), and of its address.
    let find = "const li = [...root.querySelectorAll('#wl-p-activities li.activity')]
          .find(li => li.textContent.startsWith('Alice') && li.textContent.includes(arguments[0]));
        const a = li && li.querySelector('a[href]');";
    let href = wait_bar(
        &bob,
        "alice's share in bob's activities",
        &format!("{find} return a ? a.href : null;"),
        vec![json!(NOTE)],
    )
    .await?;
    let href = href.as_str().unwrap_or_default().to_owned();
    check(
        href.starts_with(&format!("{provider}/r/")),
        format!("the feed links through the provider's click-through: {href}"),
    )?;
    let link = format!("{find} return a;");
    click_in_bar(
        &bob,
        "the shared link in bob's feed",
        &link,
        vec![json!(NOTE)],
    )
    .await?;
    let tab = bob.wait_for_popup(WAIT).await?;
    let shared = format!("{customer}/soup.html");
    bob.wait_for("the click to land on the shared page", WAIT, || async {
        let url = bob.url_of(&tab).await?;
        Ok(if url == shared {
            Probe::Done(())
        } else {
            Probe::NotYet(url)
        })
    })
    .await?;
    bob.client.switch_to_window(tab.clone()).await?;
    let title = bob.js("return document.title;", vec![]).await?;
    bob.switch_to_main().await?;
    check(
        title == json!("Pumpkin soup"),
        format!("the shared page itself is shown: {title}"),
    )?;

    // 5. The developer's statistics for today, once the server has flushed its counts.
    let day = today(&dev).await?;
    let stats = format!("{provider}/developers/apps/{client_id}/stats?from={day}&to={day}");
    let want: Json = STORY.iter().map(|(_, label)| (*label, json!(1))).collect();
    dev.wait_for(
        "the statistics page to show 1 sign-in, 1 consent, 1 share and 1 click-through",
        Duration::from_secs(30),
        || async {
            dev.goto(&stats).await?;
            let tiles = dev.js(TILES, vec![]).await?;
            let shown: Json = STORY
                .iter()
                .map(|(_, label)| (*label, tiles[*label].clone()))
                .collect();
            Ok(if shown == want {
                Probe::Done(())
            } else {
                // The counts are flushed every few seconds; look again in a moment.
                tokio::time::sleep(Duration::from_millis(400)).await;
                Probe::NotYet(tiles.to_string())
            })
        },
    )
    .await?;
    // The day's row in the page's data table says the same.
    let row = dev
        .js(
            "const t = document.querySelector('#sharing-h').closest('section').querySelector('table');
             const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
             const r = [...t.querySelectorAll('tbody tr')].find(tr => tr.cells[0].textContent.trim() === arguments[0]);
             return r ? Object.fromEntries(heads.map((h, i) => [h, r.cells[i].textContent.trim()])) : null;",
            vec![json!(day)],
        )
        .await?;
    check(
        row["Shares"] == json!("1") && row["Click-throughs"] == json!("1"),
        format!("today's row of the sharing table: {row}"),
    )?;

    // The CSV, fetched with the developer's session cookies (the portal's CSP forbids the
    // page's own `fetch`, and the browser would save it as a download).
    let cookies = dev
        .client
        .get_all_cookies()
        .await?
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let csv_url = format!("{provider}/developers/apps/{client_id}/stats.csv?from={day}&to={day}");
    let answer = http::fetch_with(&csv_url, &[("cookie", cookies.as_str())]);
    let csv = match answer {
        Some(a) if a.status == 200 => a.body,
        other => {
            return Err(E2eError::Check(format!(
                "{csv_url} with the developer's session: {other:?}"
            )));
        }
    };
    let lines: Vec<&str> = csv.lines().collect();
    let (Some(head), Some(today_row)) = (lines.first(), lines.get(1)) else {
        return Err(E2eError::Check(format!(
            "the CSV has a header and a day: {csv:?}"
        )));
    };
    let heads: Vec<&str> = head.split(',').collect();
    let cells: Vec<&str> = today_row.split(',').collect();
    let cell = |name: &str| {
        heads
            .iter()
            .position(|h| *h == name)
            .and_then(|i| cells.get(i).copied())
    };
    check(
        lines.len() == 2 && cell("date") == Some(day.as_str()),
        format!("the CSV has today's row only: {csv:?}"),
    )?;
    for (column, _) in STORY {
        check(
            cell(column) == Some("1"),
            format!("the CSV's {column} is 1: {csv:?}"),
        )?;
    }

    // 6. The statistics page after the story, at both widths.
    let dir = paths::screenshots_dir()?.join("portal");
    std::fs::create_dir_all(&dir)?;
    dev.goto(&stats).await?;
    shoot(&dev, &dir, "story-stats", 1280).await?;
    shoot(&dev, &dir, "story-stats", 390).await?;
    flow::check_no_alert(&alice).await?;
    Ok(())
}
