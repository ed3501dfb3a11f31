//! Markup the loader must understand: 2010 `<wl:…>` tags, controls made by `WL.ui`, and
//! controls added after the page loaded.

use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::{Env, Result, check};

/// legacy.html's `<wl:app>`, `<wl:signin>`, `<wl:userinfo>` and `<wl:bar>` become working elements: the
/// 2010 attribute names apply, the button signs in, and the `onsignedin` handler runs.
pub async fn legacy_tags_are_upgraded_and_work(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/legacy.html")).await?;
    b.wait_js(
        "every <wl:…> tag to be replaced by its element",
        Duration::from_secs(15),
        "const legacy = ['wl:app', 'wl:signin', 'wl:userinfo', 'wl:bar']
           .map(t => document.getElementsByTagName(t).length).reduce((a, b) => a + b, 0);
         const modern = ['wl-app', 'wl-signin', 'wl-userinfo', 'wl-bar']
           .every(t => document.getElementsByTagName(t).length === 1);
         return legacy === 0 && modern;",
    )
    .await?;
    // One added after the page was parsed is upgraded too: the loader watches the document from
    // then on (it ran in the head, before the body was there).
    b.wait_js(
        "a <wl:userinfo> added after the page loaded to be replaced",
        Duration::from_secs(5),
        "if (!window.__late) {
           window.__late = document.createElement('section');
           window.__late.innerHTML = '<wl:userinfo layout=\"full\"></wl:userinfo>';
           document.body.append(window.__late);
         }
         const el = window.__late.firstElementChild;
         return el.localName === 'wl-userinfo' && el.getAttribute('layout') === 'full';",
    )
    .await?;
    b.js("window.__late.remove();", Vec::new()).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(15)).await?;
    let signed_out_label = flow::button_text(&b, "wl-signin").await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    b.wait_event("legacy.onsignedin", "", Duration::from_secs(5))
        .await?;
    flow::wait_button_text(&b, "wl-signin", "sign out", Duration::from_secs(5)).await?;
    let signed_in_label = flow::button_text(&b, "wl-signin").await?;
    // The 2010 label attributes: signed-out-text is the label while signed out, signed-in-text
    // the label while signed in.
    check(
        signed_out_label == "Sign in with Windows Live" && signed_in_label == "Sign out of Contoso",
        format!(
            "the 2010 label attributes should apply: signed out {signed_out_label:?} (want \
             \"Sign in with Windows Live\"), signed in {signed_in_label:?} (want \"Sign out of Contoso\")"
        ),
    )?;
    Ok(())
}

/// script.html: the header button made by `WL.ui` renders and signs in; a `<wl-signin>` and
/// a `<wl-userinfo>` appended later render and follow the session.
pub async fn script_created_and_late_controls_render(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/script.html")).await?;
    let ui_button = b
        .wait_js(
            "WL.ui to render a sign-in button into #ui-signin",
            Duration::from_secs(15),
            "const slot = document.getElementById('ui-signin');
             const host = slot.shadowRoot ? slot : slot.querySelector('wl-signin');
             return host && host.shadowRoot ? host.shadowRoot.querySelector('button') : null;",
        )
        .await?;
    let ui_button = b
        .element_from_json(&ui_button)
        .ok_or_else(|| wl_e2e::E2eError::Check("WL.ui's button is not an element".into()))?;

    b.find("#add-signin").await?.click().await?;
    b.find("#add-userinfo").await?.click().await?;
    flow::wait_button_text(&b, "#late-signin-1", "sign in", Duration::from_secs(10)).await?;

    ui_button.click().await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "#header-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::wait_userinfo_shows(&b, "#late-userinfo", "Alice", Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, "#late-signin-1", "sign out", Duration::from_secs(5)).await?;
    b.wait_event("ui.onloggedin", "has_token", Duration::from_secs(5))
        .await?;

    // An element added while signed in renders signed in at once.
    b.find("#add-signin").await?.click().await?;
    flow::wait_button_text(&b, "#late-signin-2", "sign out", Duration::from_secs(10)).await?;
    let count = b
        .js(
            "return document.querySelectorAll('wl-signin').length;",
            vec![],
        )
        .await?;
    check(
        count.as_u64().unwrap_or(0) >= 2,
        format!("late controls in the page: {count}"),
    )?;
    Ok(())
}
