//! Any OpenID Connect provider: a real, OpenID-certified provider none of us wrote (panva's
//! `oidc-provider` from npm, pinned in `tests/oidc-provider/`), run locally, with only the
//! standard discovery fields (no `wl_api_base`, no `/v1/me`). A customer's page on a third
//! origin (a plain static server, as in `cdn.rs`) loads `wl.js` from the dev host and signs in
//! against it through the real popup: `<wl-userinfo>` and `WL.api("me")` get the person from
//! the ID token and `userinfo_endpoint`; other `WL.api` paths are `not_supported`; sign-out
//! revokes the access token at the provider; "[ Cancel ]" at consent is `access_denied`;
//! closing the popup is `user_canceled`; renewal with its rotating refresh tokens; a key
//! rotation behind a cached key set.

use fantoccini::elements::Element;
use fantoccini::wd::WindowHandle;
use serde_json::{Value as Json, json};

use std::process::{Command, Stdio};
use std::time::Duration;
use wl_e2e::process::{GroupChild, with_log};
use wl_e2e::{Browser, E2eError, Env, Probe, Result, check, flow, http, paths};

use crate::oidc;

/// The cases of this module.
pub fn cases() -> Vec<wl_e2e::Case> {
    wl_e2e::cases![
        oidc::any_provider_signs_in_shows_the_person_and_signs_out,
        oidc::cancel_at_consent_is_access_denied,
        oidc::closing_the_popup_is_user_canceled,
        oidc::any_provider_renews_the_session,
        oidc::a_provider_that_rotated_its_keys_still_signs_in,
    ]
}

const SIGNIN: &str = "wl-signin";
const USERINFO: &str = "wl-userinfo";
/// The one account's login and display name (`tests/oidc-provider/server.js`).
const LOGIN: &str = "ada";
const NAME: &str = "Ada Lovelace";

/// The provider, the customer's static site and the page's URL (both stop on drop).
struct Stage {
    op: String,
    page: String,
    customer: String,
    provider: GroupChild,
    _site: GroupChild,
    _root: tempfile::TempDir,
}

/// Starts oidc-provider with one public client for a new customer origin, and that origin's
/// page: `wl.js` from the dev host, `<wl-signin>`, `<wl-userinfo>`, the callback and the
/// person's picture in one static folder.
fn stage(env: &Env) -> Result<Stage> {
    stage_with(env, "openid profile email", &[])
}

/// [`stage`] with the page asking for `scope`, and `args` for the provider.
fn stage_with(env: &Env, scope: &str, args: &[&str]) -> Result<Stage> {
    let server = env.server()?;
    let [op_port, site_port] = http::free_ports()?;
    let op = format!("http://127.0.0.1:{op_port}");
    let customer = format!("http://127.0.0.1:{site_port}");
    let provider = start_provider(op_port, &customer, args)?;

    let root = tempfile::Builder::new()
        .prefix("wl-e2e-oidc-customer-")
        .tempdir()?;
    let dist = paths::wl_dist()?;
    for file in ["callback.html", "callback.js"] {
        std::fs::copy(dist.join(file), root.path().join(file))?;
    }
    std::fs::copy(
        paths::repo_root().join("controls/dev/avatar.svg"),
        root.path().join("ada.svg"),
    )?;
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>A customer's site on any OpenID provider</title></head><body>\n\
         <h1>A customer's site</h1>\n\
         <script src=\"{site}/wl.js\" data-client-id=\"wl-e2e\" data-authority=\"{op}\" \
         data-scope=\"{scope}\" data-redirect-uri=\"{customer}/callback.html\"></script>\n\
         <script src=\"{site}/demo/events.js\" defer></script>\n\
         <wl-signin theme=\"blue\"></wl-signin>\n<wl-userinfo layout=\"full\"></wl-userinfo>\n\
         </body></html>\n",
        site = server.site,
    );
    std::fs::write(root.path().join("index.html"), page)?;
    let site = wl_e2e::static_site::serve(root.path(), site_port, false, "index.html")?;
    Ok(Stage {
        op,
        page: format!("{customer}/index.html"),
        customer,
        provider,
        _site: site,
        _root: root,
    })
}

/// `node tests/oidc-provider/server.js` on `port` for `customer` (and `args`); ready when
/// discovery answers.
fn start_provider(port: u16, customer: &str, args: &[&str]) -> Result<GroupChild> {
    let dir = paths::repo_root().join("tests/oidc-provider");
    if !dir.join("node_modules/oidc-provider").is_dir() {
        return Err(E2eError::Missing {
            what: "the npm package oidc-provider",
            path: dir.join("node_modules/oidc-provider").display().to_string(),
            hint: "run `npm ci --prefix tests/oidc-provider` (`cargo xtask test` does)",
        });
    }
    // Its stderr goes to a file (removed when this returns), shown when it never answers (it
    // said nothing, in the one CI run where discovery timed out).
    let log = tempfile::Builder::new()
        .prefix("wl-e2e-oidc-provider-")
        .suffix(".log")
        .tempfile()?;
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("server.js"))
        .args(["--port", &port.to_string(), "--client-origin", customer])
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log.reopen()?);
    let program = "node tests/oidc-provider/server.js";
    let mut child = GroupChild::spawn(cmd, program)?;
    http::wait_ready(
        &format!("http://127.0.0.1:{port}/.well-known/openid-configuration"),
        Duration::from_secs(20),
    )
    .map_err(|e| with_log(e, program, log.path()))?;
    child.ensure_running()?;
    Ok(child)
}

/// Waits until the popup shows a page on the provider with an element matching `css`, and
/// returns it (commands stay switched to the popup).
async fn in_popup(b: &Browser, popup: &WindowHandle, op: &str, css: &str) -> Result<Element> {
    let found = b
        .wait_for(
            &format!("the popup to show `{css}` on {op}"),
            Duration::from_secs(15),
            || async {
                if let Err(e) = b.client.switch_to_window(popup.clone()).await {
                    return Ok(Probe::NotYet(e.to_string()));
                }
                let v = b
                    .js(
                        "return location.origin === arguments[0] \
                         ? document.querySelector(arguments[1]) || location.href : location.href;",
                        vec![json!(op), json!(css)],
                    )
                    .await;
                Ok(match v {
                    Ok(v) => match b.element_from_json(&v) {
                        Some(el) => Probe::Done(el),
                        None => Probe::NotYet(v.to_string()),
                    },
                    Err(e) => Probe::NotYet(e.to_string()),
                })
            },
        )
        .await;
    if found.is_err() {
        let _ = b.switch_to_main().await;
    }
    found
}

/// The package's development sign-in form: any login name and password.
async fn log_in(b: &Browser, popup: &WindowHandle, op: &str) -> Result<()> {
    let login = in_popup(b, popup, op, "form input[name=login]").await?;
    login.send_keys(LOGIN).await?;
    let pw = b.find("form input[type=password]").await?;
    pw.send_keys("any password").await?;
    b.find("form button[type=submit]").await?.click().await?;
    Ok(())
}

/// Clicks `el` in a popup that may close as a result (the provider sends it to the callback,
/// which closes it while chromedriver still waits for the navigation).
async fn click_closing(el: &Element) -> Result<()> {
    match el.click().await {
        Ok(()) => Ok(()),
        Err(e) if e.is_no_such_window() => Ok(()),
        Err(e) => {
            let text = e.to_string();
            let closed = [
                "target window already closed",
                "target frame detached",
                "web view not found",
            ];
            if closed.iter().any(|c| text.contains(c)) {
                Ok(())
            } else {
                Err(e.into())
            }
        }
    }
}

/// The consent form's "Continue" (allow), or the page's "[ Cancel ]" link (abort).
const CONTINUE: &str = "form:has(input[name=prompt][value=consent]) button[type=submit]";
const CANCEL: &str = "a[href*='/abort']";

/// Signs in as Ada through the popup and allows; returns with the popup closed.
async fn sign_in(b: &Browser, op: &str) -> Result<()> {
    flow::click_control_button(b, SIGNIN).await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    log_in(b, &popup, op).await?;
    let allow = in_popup(b, &popup, op, CONTINUE).await?;
    click_closing(&allow).await?;
    b.switch_to_main().await?;
    b.wait_window_closed(&popup, Duration::from_secs(15)).await
}

/// The status oidc-provider's userinfo endpoint answers for `token` (`None`: no answer).
fn userinfo_status(op: &str, token: &Json) -> Option<u16> {
    let bearer = format!("Bearer {}", token.as_str().unwrap_or_default());
    http::fetch_with(&format!("{op}/me"), &[("authorization", &bearer)]).map(|a| a.status)
}

async fn api(b: &Browser, path: &str) -> Result<Json> {
    b.js(
        "return WL.api({ path: arguments[0] }).then(r => ({ ok: r }), e => ({ rejected: { code: e.code, message: e.message } }));",
        vec![json!(path)],
    )
    .await
}

/// Ada signs in; `<wl-userinfo>` shows her name and picture from userinfo; `WL.api("me")` is
/// the Live-style object mapped from her standard claims; a data path is `not_supported`;
/// `WL.getProvider()` says there is no data API; signing out empties the controls.
pub async fn any_provider_signs_in_shows_the_person_and_signs_out(env: &Env) -> Result<()> {
    let s = stage(env)?;
    let b = env.browser().await?;
    b.goto(&s.page).await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(15)).await?;
    sign_in(&b, &s.op).await?;
    flow::wait_userinfo_shows(&b, USERINFO, NAME, Duration::from_secs(10)).await?;
    flow::wait_button_text(&b, SIGNIN, "sign out", Duration::from_secs(5)).await?;

    // What a person sees, at desktop and phone widths.
    let dir = paths::screenshots_dir()?.join("oidc");
    std::fs::create_dir_all(&dir)?;
    for (w, h) in [(1280, 720), (390, 844)] {
        b.client.set_window_size(w, h).await?;
        b.screenshot_to(&dir.join(format!("signed-in-{w}.png")))
            .await?;
    }

    let me = api(&b, "me").await?;
    let expected = json!({
        "id": LOGIN,
        "name": NAME,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "picture": s.page.replace("index.html", "ada.svg"),
        "emails": { "preferred": "ada@example.test", "account": "ada@example.test" },
    });
    check(
        me["ok"] == expected,
        format!("WL.api('me') should be Ada's claims as Live's me: {me}"),
    )?;
    let friends = api(&b, "me/friends").await?;
    check(
        friends["rejected"]["code"] == json!("not_supported"),
        format!("WL.api('me/friends') without a data API should be not_supported: {friends}"),
    )?;
    let provider = b
        .js(
            "return WL.getProvider().then(p => p, e => ({ rejected: e.code }));",
            vec![],
        )
        .await?;
    check(
        provider["issuer"] == json!(s.op) && provider.get("api_base").is_none_or(Json::is_null),
        format!("getProvider: this issuer, no data API: {provider}"),
    )?;
    // The session is the provider's: its access token called userinfo.
    let session = b.js("return WL.getSession();", vec![]).await?;
    check(
        session["user_id"] == json!(LOGIN) && session["scope"].to_string().contains("email"),
        format!("the session is Ada's, with the email scope: {session}"),
    )?;

    // Sign out: the provider revokes the access token (its revocation endpoint, RFC 7009).
    let userinfo = userinfo_status(&s.op, &session["access_token"]);
    check(
        userinfo == Some(200),
        format!("Ada's access token reads userinfo before she signs out: {userinfo:?}"),
    )?;
    flow::click_control_button(&b, SIGNIN).await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(10)).await?;
    b.wait_for(
        "the provider to refuse the signed-out access token",
        Duration::from_secs(10),
        || async {
            Ok(match userinfo_status(&s.op, &session["access_token"]) {
                Some(401) => Probe::Done(()),
                other => Probe::NotYet(format!("userinfo answers {other:?}")),
            })
        },
    )
    .await?;
    b.wait_for(
        "`wl-userinfo` to show nobody",
        Duration::from_secs(10),
        || async {
            let v = flow::userinfo_view(&b, USERINFO).await?;
            Ok(if v.images.is_empty() && !v.text.contains("Ada") {
                Probe::Done(())
            } else {
                Probe::NotYet(format!("{v:?}"))
            })
        },
    )
    .await?;
    check(
        !flow::has_session(&b).await?,
        "no session after signing out",
    )?;
    let after = api(&b, "me").await?;
    check(
        after["rejected"]["code"] == json!("invalid_request"),
        format!("WL.api('me') signed out rejects: {after}"),
    )?;
    Ok(())
}

/// "[ Cancel ]" on oidc-provider's consent page: `error=access_denied` comes back to the
/// callback; `<wl-signin>` reports `access_denied` and nobody is signed in.
pub async fn cancel_at_consent_is_access_denied(env: &Env) -> Result<()> {
    let s = stage(env)?;
    let b = env.browser().await?;
    b.goto(&s.page).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    log_in(&b, &popup, &s.op).await?;
    in_popup(&b, &popup, &s.op, CONTINUE).await?;
    let cancel = b.find(CANCEL).await?;
    click_closing(&cancel).await?;
    b.switch_to_main().await?;
    b.wait_window_closed(&popup, Duration::from_secs(15))
        .await?;
    let event = b
        .wait_event("wl-error", "access_denied", Duration::from_secs(10))
        .await?;
    check(
        event.to_string().contains("wl-signin"),
        format!("the error comes from <wl-signin>: {event}"),
    )?;
    check(!flow::has_session(&b).await?, "no session after cancelling")?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(5)).await?;
    Ok(())
}

/// Closing the popup on oidc-provider's sign-in page: `user_canceled`; a second click then
/// signs in.
pub async fn closing_the_popup_is_user_canceled(env: &Env) -> Result<()> {
    let s = stage(env)?;
    let b = env.browser().await?;
    b.goto(&s.page).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    in_popup(&b, &popup, &s.op, "form input[name=login]").await?;
    // A person reads the page, then closes it.
    flow::close_popup_after_reading(&b).await?;
    sign_in(&b, &s.op).await?;
    flow::wait_userinfo_shows(&b, USERINFO, NAME, Duration::from_secs(10)).await?;
    Ok(())
}

/// `offline_access` on a provider that follows OpenID Connect Core §11 to the letter: it grants
/// a refresh token only to a request that also says `prompt=consent` (oidc-provider drops the
/// scope otherwise; others refuse the request). Access tokens of 10 s: Ada signs in (the
/// consent page asks her about offline access), the session has a refresh token, and the
/// loader renews it with the provider's rotating refresh tokens: after 12 s, past the first
/// token's life, `WL.api("me")` still answers with her, from a renewed token. Before, the
/// loader never sent `prompt=consent`: no refresh token, and the session ended at the first
/// expiry.
pub async fn any_provider_renews_the_session(env: &Env) -> Result<()> {
    let s = stage_with(
        env,
        "openid profile email offline_access",
        &["--access-ttl", "10"],
    )?;
    let b = env.browser().await?;
    b.goto(&s.page).await?;
    sign_in(&b, &s.op).await?;
    flow::wait_userinfo_shows(&b, USERINFO, NAME, Duration::from_secs(10)).await?;
    let first = b
        .js(
            "const s = WL.getSession(); return [s.access_token, s.scope, \
               /refresh_token=/.test(sessionStorage.getItem('wl_connect.session') || '')];",
            vec![],
        )
        .await?;
    check(
        first[1].to_string().contains("offline_access") && first[2] == json!(true),
        format!("offline access granted, a refresh token kept: {first}"),
    )?;
    tokio::time::sleep(Duration::from_secs(12)).await;
    let now = b
        .js(
            "const s = WL.getSession(); return [s && s.access_token, \
               await WL.api('me').then(r => r.name, e => 'rejected: ' + e.code)];",
            vec![],
        )
        .await?;
    check(
        now[0].is_string() && now[0] != first[0] && now[1] == json!(NAME),
        format!("renewed, and WL.api('me') answers: {now} (signed in with {first})"),
    )?;
    flow::wait_button_text(&b, SIGNIN, "sign out", Duration::from_secs(5)).await?;
    Ok(())
}

/// The `kid`s of the key set oidc-provider publishes now.
fn published_kids(op: &str) -> Result<Vec<String>> {
    let (status, body) = http::get(&format!("{op}/jwks"))
        .ok_or_else(|| E2eError::Check(format!("{op}/jwks did not answer")))?;
    let set: Json = serde_json::from_str(&body).unwrap_or_default();
    let kids: Vec<String> = set["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["kid"].as_str().map(str::to_string))
        .collect();
    check(
        status == 200 && !kids.is_empty(),
        format!("{op}/jwks: {status} {body}"),
    )?;
    Ok(kids)
}

/// A provider rotates its signing key while the browser still holds its old key set: the set is
/// sent with `Cache-Control: public, max-age=86400`, as Microsoft's is, and the restarted
/// oidc-provider signs with a new key of a new `kid`. Ada signs in, signs out, the provider
/// rotates, and she signs in again on the same page. Before, the loader's key set came from the
/// HTTP cache, without the new key, and the second sign-in failed with `invalid_token` until
/// the cache expired (a day); OpenID Connect Core §10.1.1 says to fetch the set again for a
/// `kid` it does not hold, and the loader now does, once, past the cache.
pub async fn a_provider_that_rotated_its_keys_still_signs_in(env: &Env) -> Result<()> {
    let args = ["--jwks-max-age", "86400"];
    let mut s = stage_with(env, "openid profile email", &args)?;
    let before = published_kids(&s.op)?;
    let b = env.browser().await?;
    b.goto(&s.page).await?;
    sign_in(&b, &s.op).await?;
    flow::wait_userinfo_shows(&b, USERINFO, NAME, Duration::from_secs(10)).await?;
    flow::click_control_button(&b, SIGNIN).await?;
    flow::wait_button_text(&b, SIGNIN, "sign in", Duration::from_secs(10)).await?;

    // The rotation: the same issuer on the same port, with a new key.
    let port: u16 =
        s.op.rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_default();
    drop(std::mem::replace(
        &mut s.provider,
        start_provider(port, &s.customer, &args)?,
    ));
    let after = published_kids(&s.op)?;
    check(
        after.iter().all(|k| !before.contains(k)),
        format!("the restarted provider signs with a new key: {before:?} then {after:?}"),
    )?;

    sign_in(&b, &s.op).await?;
    flow::wait_userinfo_shows(&b, USERINFO, NAME, Duration::from_secs(10)).await?;
    check(
        flow::has_session(&b).await?,
        "signed in after the provider rotated its key",
    )?;
    Ok(())
}
