//! An app's feed reaching a friend's feed in the bar (issue 17 §1): the app's owner (alice)
//! sets its RSS feed, served by a plain static server on a third origin, on the app's portal
//! page and checks it now; bob, her friend, finds the entry in the bar's activities, "via" the
//! app, and clicks its action link: a new tab lands on the entry's page on that third origin,
//! through the provider's counted click-through. Screenshots of the portal page and the bar at
//! 1280 and 390 px in `target/screenshots/feeds/`.

use crate::bar::{click_in_bar, in_bar, sign_in_on_bar, wait_bar};
use crate::feeds;
use serde_json::json;
use std::time::Duration;
use wl_e2e::harness::Case;
use wl_e2e::server::{DevServer, ServerOptions};
use wl_e2e::{Browser, Env, Probe, Result, check, http, paths, static_site};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![feeds::a_feed_entry_reaches_a_friend_and_leads_back_to_the_site]
}

const WAIT: Duration = Duration::from_secs(20);
const WIDTHS: [(u32, u32); 2] = [(1280, 900), (390, 844)];

/// Saves the current window at each width as `target/screenshots/feeds/{name}-{w}.png`.
async fn screenshots(b: &Browser, name: &str) -> Result<()> {
    b.screenshots_at("feeds", name, &WIDTHS).await
}

/// Alice's app publishes a feed entry; bob sees it in the bar and follows its action link.
pub async fn a_feed_entry_reaches_a_friend_and_leads_back_to_the_site(env: &Env) -> Result<()> {
    // The app's site: a plain static server on a third origin, with the feed and the post.
    let port = http::free_port()?;
    let site = format!("http://127.0.0.1:{port}");
    let root = tempfile::tempdir()?;
    std::fs::write(
        root.path().join("feed.xml"),
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Contoso Recipes</title><link>{site}/</link>
<item><guid>recipe-42</guid><title>Roasted pumpkin soup</title><link>{site}/post.html</link></item>
</channel></rss>"#
        ),
    )?;
    std::fs::write(
        root.path().join("post.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roasted pumpkin soup</title></head>\
         <body><h1 id=\"landed\">Roasted pumpkin soup</h1></body></html>",
    )?;
    let _site = static_site::serve(root.path(), port, false, "feed.xml")?;

    // The provider may fetch from loopback only with the operator setting.
    let server = DevServer::start(&ServerOptions {
        serve_args: vec!["--feeds-allow-private".into()],
        ..ServerOptions::default()
    })?;
    let out = std::process::Command::new(paths::server_bin()?)
        .args([
            "apps",
            "owners",
            "--client-id",
            "wl-demo",
            "--add",
            "alice",
            "--data-dir",
        ])
        .arg(server.data_dir())
        .output()?;
    check(
        out.status.success(),
        format!(
            "make alice an owner: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    )?;

    // Alice uses the app (its consent includes wl.share), then sets its feed in the portal.
    let alice = env.browser().await?;
    sign_in_on_bar(&alice, &server, "/demo/messenger.html", "alice").await?;
    alice
        .goto(&format!("{}/developers/apps/wl-demo/feed", server.provider))
        .await?;
    let input = alice.find("#feed-url").await?;
    input.clear().await?;
    input.send_keys(&format!("{site}/feed.xml")).await?;
    alice
        .find("form.stack button.primary")
        .await?
        .click()
        .await?;
    alice
        .wait_js(
            "the feed to be saved",
            WAIT,
            "const s = document.querySelector('.feed-code'); return s ? s.textContent : null;",
        )
        .await?;
    alice
        .find("form[action$='/feed/check'] button")
        .await?
        .click()
        .await?;
    let status = alice
        .wait_js(
            "the check to answer ok",
            WAIT,
            "const s = document.querySelector('.feed-code');
             return s && s.textContent === 'ok' ? s.parentElement.textContent : null;",
        )
        .await?;
    check(
        status
            .as_str()
            .is_some_and(|s| s.contains("new: 1, activities written: 1")),
        format!("the page says what the check did: {status}"),
    )?;
    screenshots(&alice, "portal-feed").await?;

    // Bob, her friend, opens the bar's activities: the entry, via the app, with its action.
    let bob = env.browser().await?;
    sign_in_on_bar(&bob, &server, "/demo/messenger.html", "bob").await?;
    in_bar(
        &bob,
        "root.querySelector('button[data-action=panel][data-id=activities]').click(); return true;",
        vec![],
    )
    .await?;
    let row = wait_bar(
        &bob,
        "the feed entry in bob's activities",
        "const li = [...root.querySelectorAll('#wl-p-activities li.activity')]
           .find(li => li.textContent.includes('Roasted pumpkin soup'));
         if (!li) return null;
         const action = li.querySelector('a.action'), via = li.querySelector('a.via');
         return action && via ? { action: action.textContent, href: action.href,
           via: via.textContent, viaHref: via.href, text: li.textContent } : null;",
        vec![],
    )
    .await?;
    check(
        row["action"] == json!("Read more")
            && row["href"]
                .as_str()
                .is_some_and(|h| h.starts_with(&server.provider) && h.ends_with("/action"))
            && row["via"] == json!("wl-connect demo")
            && row["viaHref"].as_str().is_some_and(|h| h.ends_with("/via")),
        format!("the row has the action and via links through the provider: {row}"),
    )?;
    screenshots(&bob, "bar-activity").await?;

    // Bob clicks "Read more": a new tab lands on the post, on the app's own origin.
    let before = bob.windows().await?;
    click_in_bar(
        &bob,
        "the Read more link",
        "const li = [...root.querySelectorAll('#wl-p-activities li.activity')]
           .find(li => li.textContent.includes('Roasted pumpkin soup'));
         return li && li.querySelector('a.action');",
        vec![],
    )
    .await?;
    let tab = bob
        .wait_for("the post to open in a new tab", WAIT, || async {
            let now = bob.windows().await?;
            Ok(match now.into_iter().find(|w| !before.contains(w)) {
                Some(w) => Probe::Done(w),
                None => Probe::NotYet("no new tab".into()),
            })
        })
        .await?;
    bob.client.switch_to_window(tab).await?;
    let landed = bob
        .wait_js(
            "the post page",
            WAIT,
            "const h = document.getElementById('landed');
             return h ? [location.href, h.textContent] : null;",
        )
        .await?;
    check(
        landed == json!([format!("{site}/post.html"), "Roasted pumpkin soup"]),
        format!("the action link lands on the app's site: {landed}"),
    )
}
