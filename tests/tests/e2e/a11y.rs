//! Accessibility: axe-core (WCAG 2 A/AA and best practices, shadow DOM included) on the
//! controls in every theme, signed out and signed in.

use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::{Browser, Env, Result, axe, check};

/// Waits until every `<wl-signin>` on the page has rendered its button.
pub async fn wait_all_rendered(b: &Browser) -> Result<()> {
    b.wait_js(
        "every <wl-signin> to render its button",
        Duration::from_secs(15),
        "const all = [...document.querySelectorAll('wl-signin')];
         return all.length > 0 && all.every(h => h.shadowRoot && h.shadowRoot.querySelector('button'));",
    )
    .await?;
    Ok(())
}

/// axe-core finds nothing in `include` (the whole page when empty); `when` names the state.
pub(crate) async fn check_axe(b: &Browser, include: &[&str], when: &str) -> Result<()> {
    let violations = axe::run(b, include).await?;
    check(
        violations.is_empty(),
        format!(
            "axe found {} violation(s) {when}:\n{}",
            violations.len(),
            axe::report(&violations)
        ),
    )
}

/// themes.html shows every theme, size, shape, type, logo and language of `<wl-signin>` and
/// both `<wl-userinfo>` layouts; axe finds nothing, signed out and signed in.
pub async fn controls_have_no_violations_signed_out_and_in(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/themes.html")).await?;
    wait_all_rendered(&b).await?;
    check_axe(
        &b,
        &["wl-signin", "wl-userinfo"],
        "in the controls, signed out",
    )
    .await?;

    flow::click_control_button(&b, "#header-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "#userinfo-full", "Alice", Duration::from_secs(10)).await?;
    flow::wait_userinfo_shows(&b, "#userinfo-compact", "Alice", Duration::from_secs(10)).await?;
    flow::wait_button_text(
        &b,
        "#signin-dark-large-pill",
        "sign out",
        Duration::from_secs(5),
    )
    .await?;
    check_axe(
        &b,
        &["wl-signin", "wl-userinfo"],
        "in the controls, signed in",
    )
    .await?;
    // The whole gallery page too (it is ours; it must not hide a control's problem).
    check_axe(&b, &[], "on themes.html, signed in").await
}

/// The demo page as a whole, with the controls in its header, signed out.
pub async fn demo_page_has_no_violations(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    wait_all_rendered(&b).await?;
    check_axe(&b, &[], "on the demo page, signed out").await
}

/// The provider's sign-in and consent pages, as the popup shows them.
pub async fn provider_pages_have_no_violations(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    b.client.switch_to_window(popup.clone()).await?;
    let password = b.find("input[type=password]").await?;
    check_axe(&b, &[], "on the provider's sign-in page").await?;
    let user = b.find("input[name=username]").await?;
    user.clear().await?;
    user.send_keys("bob").await?;
    password.send_keys(flow::PASSWORD).await?;
    b.find("form button[type=submit]").await?.click().await?;
    b.wait_js(
        "the consent screen",
        Duration::from_secs(10),
        "return !!document.querySelector('button[value=allow]');",
    )
    .await?;
    check_axe(&b, &[], "on the provider's consent page").await?;
    b.client.close_window().await?;
    b.switch_to_main().await
}

/// Keyboard only: Tab reaches the sign-in button (shown with a focus ring), Enter opens the
/// popup, and the sign-in completes.
pub async fn keyboard_alone_signs_in(env: &Env) -> Result<()> {
    use fantoccini::key::Key;
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    wait_all_rendered(&b).await?;
    let mut reached = false;
    let mut seen = Vec::new();
    for _ in 0..20 {
        b.press(Key::Tab.into()).await?;
        let on = b
            .js(
                "const a = document.activeElement;
                 return !!(a && a.localName === 'wl-signin' && a.shadowRoot
                   && a.shadowRoot.activeElement && a.shadowRoot.activeElement.localName === 'button');",
                vec![],
            )
            .await?;
        if on == serde_json::Value::Bool(true) {
            reached = true;
            break;
        }
        let at = b
            .js(
                "const a = document.activeElement;
                 return a ? a.localName + (a.id ? '#' + a.id : '') + ' ' + (a.textContent || '').trim().slice(0, 20) : 'none';",
                vec![],
            )
            .await?;
        seen.push(at.as_str().unwrap_or_default().to_string());
    }
    check(
        reached,
        format!("Tab never reached the <wl-signin> button; focus went: {seen:?}"),
    )?;
    let ring = b
        .js(
            "const btn = document.querySelector('wl-signin').shadowRoot.activeElement;
             const s = getComputedStyle(btn);
             return { focusVisible: btn.matches(':focus-visible'), outline: s.outlineStyle,
                      width: s.outlineWidth, shadow: s.boxShadow };",
            vec![],
        )
        .await?;
    check(
        ring["focusVisible"] == serde_json::Value::Bool(true)
            && (ring["outline"] != "none" || ring["shadow"] != "none"),
        format!("the focused button should show a focus ring: {ring}"),
    )?;
    b.press(Key::Enter.into()).await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;
    Ok(())
}
