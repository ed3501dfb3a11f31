//! `WL.api` from page script, and a token the provider no longer accepts.

use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::{Env, Result, check};

/// After signing in, `WL.api({path: "me"})` returns the person; once the provider has revoked
/// the token, the next call rejects and the session ends cleanly (`auth.statusChange` to
/// `notConnected`, `<wl-userinfo>` empty).
pub async fn me_then_a_revoked_token_ends_the_session(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/demo/index.html")).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    flow::wait_userinfo_shows(&b, "wl-userinfo", "Alice", Duration::from_secs(10)).await?;

    let me = b
        .js(
            "return WL.api({ path: 'me' }).then(r => r, e => ({ rejected: e }));",
            vec![],
        )
        .await?;
    check(
        me["name"] == json!("Alice Anderson") && me["id"].is_string(),
        format!("WL.api({{path: 'me'}}) should return Alice: {me}"),
    )?;

    // Revoke the access token at the provider, as the consent page's "Remove access" would.
    let revoked = b
        .js(
            "const s = WL.getSession();
             return fetch(arguments[0] + '/.well-known/openid-configuration')
               .then(r => r.json())
               .then(d => fetch(d.revocation_endpoint, { method: 'POST',
                  body: new URLSearchParams({ token: s.access_token, client_id: 'wl-demo' }) }))
               .then(r => r.status, e => 'failed: ' + e);",
            vec![json!(server.provider)],
        )
        .await?;
    check(
        revoked == json!(200),
        format!("revocation answered {revoked}"),
    )?;

    let after = b
        .js(
            "return WL.api({ path: 'me' }).then(r => ({ resolved: r }), e => ({ rejected: e }));",
            vec![],
        )
        .await?;
    check(
        after.get("rejected").is_some_and(|e| e["code"].is_string()),
        format!("WL.api with a revoked token should reject with a code: {after}"),
    )?;
    b.wait_event(
        "auth.statusChange",
        "notConnected\"",
        Duration::from_secs(5),
    )
    .await?;
    let last_status = b
        .events()
        .await?
        .iter()
        .rev()
        .find(|e| e["type"] == json!("auth.statusChange"))
        .map(|e| e["detail"]["status"].clone())
        .unwrap_or(Json::Null);
    check(
        last_status == json!("notConnected"),
        format!("the last auth.statusChange should be notConnected, not {last_status}"),
    )?;
    flow::wait_userinfo_empty(&b, "wl-userinfo", Duration::from_secs(5)).await?;
    flow::wait_button_text(&b, "wl-signin", "sign in", Duration::from_secs(5)).await?;
    check(!flow::has_session(&b).await?, "no session after a 401")
}
