//! The visitor's steps, shared by the cases: click a control, sign in and decide in the
//! provider's popup, read what the controls show.

use crate::browser::{Browser, Probe};
use crate::error::{E2eError, Result};
use fantoccini::wd::WindowHandle;
use serde_json::{Value as Json, json};
use std::time::Duration;

/// Every demo person's password (docs/contracts.md).
pub const PASSWORD: &str = "demo";

/// What the person does on the consent screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// "Allow" / "Yes".
    Allow,
    /// "Deny" / "No".
    Deny,
}

/// Waits for `host`'s shadow `<button>` and clicks it for real (a trusted user gesture).
pub async fn click_control_button(b: &Browser, host: &str) -> Result<()> {
    let button = b
        .wait_shadow(host, "button", Duration::from_secs(15))
        .await?;
    button.click().await?;
    Ok(())
}

/// The text of `host`'s button (inside its shadow root).
pub async fn button_text(b: &Browser, host: &str) -> Result<String> {
    let v = b
        .js(
            "const h = document.querySelector(arguments[0]);
             const btn = h && h.shadowRoot && h.shadowRoot.querySelector('button');
             return btn ? btn.textContent.trim() : null;",
            vec![json!(host)],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Waits until `host`'s button says something matching `pattern` (a JS regex, case-insensitive).
pub async fn wait_button_text(
    b: &Browser,
    host: &str,
    pattern: &str,
    timeout: Duration,
) -> Result<String> {
    let v = b
        .wait_for(
            &format!("the `{host}` button to say /{pattern}/i"),
            timeout,
            || async {
                let text = button_text(b, host).await?;
                let re_ok = b
                    .js(
                        "return new RegExp(arguments[0], 'i').test(arguments[1]);",
                        vec![json!(pattern), json!(text)],
                    )
                    .await?;
                Ok(if re_ok == Json::Bool(true) {
                    Probe::Done(text)
                } else {
                    Probe::NotYet(format!("{text:?}"))
                })
            },
        )
        .await?;
    Ok(v)
}

/// What `<wl-userinfo>` (matched by `host`) shows: its visible text, and its pictures.
#[derive(Debug, Clone, Default)]
pub struct UserinfoView {
    /// The visible text of the shadow root (slotted fallback not included).
    pub text: String,
    /// `src` of every visible `<img>` with a `src` in the shadow root.
    pub images: Vec<String>,
    /// Whether every image finished loading with a real size.
    pub images_loaded: bool,
    /// Whether a visible element is rendered at all (width × height > 0).
    pub visible: bool,
}

/// Reads what `host` shows right now.
pub async fn userinfo_view(b: &Browser, host: &str) -> Result<UserinfoView> {
    let v = b
        .js(
            "const h = document.querySelector(arguments[0]);
             if (!h) return null;
             const root = h.shadowRoot;
             const shown = el => el && (el.checkVisibility
               ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
               : el.getClientRects().length > 0);
             // Only what a person can see: visible text nodes and visible pictures with a src.
             let text = '';
             if (root) {
               const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
               for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                 if (shown(n.parentElement)) text += ' ' + n.data;
               }
             }
             const imgs = root ? [...root.querySelectorAll('img')]
               .filter(i => i.getAttribute('src') && shown(i)) : [];
             const r = h.getBoundingClientRect();
             return {
               text: text.replace(/\\s+/g, ' ').trim(),
               images: imgs.map(i => i.getAttribute('src')),
               loaded: imgs.every(i => i.complete && i.naturalWidth > 0),
               visible: r.width * r.height > 0,
             };",
            vec![json!(host)],
        )
        .await?;
    if v.is_null() {
        return Err(E2eError::Check(format!("no `{host}` in the page")));
    }
    Ok(UserinfoView {
        text: v["text"].as_str().unwrap_or_default().to_string(),
        images: v["images"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        images_loaded: v["loaded"].as_bool().unwrap_or(false),
        visible: v["visible"].as_bool().unwrap_or(false),
    })
}

/// Waits until `host` shows `name` and a loaded picture.
pub async fn wait_userinfo_shows(
    b: &Browser,
    host: &str,
    name: &str,
    timeout: Duration,
) -> Result<UserinfoView> {
    b.wait_for(
        &format!("`{host}` to show {name:?} and a loaded picture"),
        timeout,
        || async {
            let v = userinfo_view(b, host).await?;
            Ok(
                if v.text.contains(name) && !v.images.is_empty() && v.images_loaded {
                    Probe::Done(v)
                } else {
                    Probe::NotYet(format!("{v:?}"))
                },
            )
        },
    )
    .await
}

/// Waits until `host` shows no person: no text naming anyone, no picture.
pub async fn wait_userinfo_empty(b: &Browser, host: &str, timeout: Duration) -> Result<()> {
    b.wait_for(&format!("`{host}` to show nobody"), timeout, || async {
        let v = userinfo_view(b, host).await?;
        Ok(if v.images.is_empty() && !v.text.contains("Alice") {
            Probe::Done(())
        } else {
            Probe::NotYet(format!("{v:?}"))
        })
    })
    .await
}

/// What the popup shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PopupPage {
    /// The provider's sign-in form.
    SignIn,
    /// The consent screen.
    Consent,
    /// The popup is gone.
    Closed,
}

/// Looks at the popup (switching to it) and says which page it is on.
async fn popup_page(b: &Browser, popup: &WindowHandle, provider: &str) -> Result<Probe<PopupPage>> {
    if !b.windows().await?.contains(popup) {
        return Ok(Probe::Done(PopupPage::Closed));
    }
    if let Err(e) = b.client.switch_to_window(popup.clone()).await {
        if e.is_no_such_window() {
            return Ok(Probe::Done(PopupPage::Closed));
        }
        return Err(e.into());
    }
    let v = match b.js(PAGE_KIND_JS, vec![json!(provider)]).await {
        Ok(v) => v,
        Err(E2eError::WebDriver(e)) if e.is_no_such_window() => {
            return Ok(Probe::Done(PopupPage::Closed));
        }
        // A window in the middle of navigating or closing: look again.
        Err(E2eError::WebDriver(e)) => return Ok(Probe::NotYet(format!("({e})"))),
        Err(e) => return Err(e),
    };
    Ok(match v["kind"].as_str() {
        Some("signin") => Probe::Done(PopupPage::SignIn),
        Some("consent") => Probe::Done(PopupPage::Consent),
        _ => Probe::NotYet(v.to_string()),
    })
}

/// Classifies the provider page by what a person sees: a password field, or allow/deny buttons.
const PAGE_KIND_JS: &str = r#"
const onProvider = location.origin === arguments[0];
const label = el => ((el.textContent || '') + ' ' + (el.value || '')).trim();
const buttons = [...document.querySelectorAll('button, input[type=submit]')];
const allow = buttons.find(el => /\b(allow|accept|approve|yes|agree)\b/i.test(label(el)) && !/\b(deny|don.t|do not|no)\b/i.test(label(el)));
let kind = 'other';
if (onProvider && document.querySelector('input[type=password]')) kind = 'signin';
else if (onProvider && allow) kind = 'consent';
return { kind, url: location.href, title: document.title, text: (document.body ? document.body.innerText : '').slice(0, 200) };
"#;

/// Finds the consent screen's allow or deny button in the current window.
const CONSENT_BUTTON_JS: &str = r#"
const label = el => ((el.textContent || '') + ' ' + (el.value || '')).trim();
const buttons = [...document.querySelectorAll('button, input[type=submit]')];
const allow = el => /\b(allow|accept|approve|yes|agree)\b/i.test(label(el)) && !/\b(deny|don.t|do not|no)\b/i.test(label(el));
const deny = el => /\b(deny|decline|cancel|reject|no|don.t allow)\b/i.test(label(el)) && !allow(el);
return buttons.find(arguments[0] === 'allow' ? allow : deny) || null;
"#;

/// Fills the provider's sign-in form in the current window and submits it.
const SIGN_IN_JS: &str = r#"
const pw = document.querySelector('input[type=password]');
const scope = pw.form || document;
const user = scope.querySelector('input[name=username], input[name=login], input[autocomplete=username], input[type=email], input[type=text]');
const submit = scope.querySelector('button[type=submit], input[type=submit], button:not([type])');
return { user, pw, submit };
"#;

/// Waits until `popup` shows a page of `provider` (it starts blank on the site); its URL.
pub async fn wait_popup_at(b: &Browser, popup: &WindowHandle, provider: &str) -> Result<String> {
    b.wait_for(
        "the popup to reach the provider",
        Duration::from_secs(10),
        || async {
            let url = b.url_of(popup).await?;
            Ok(if url.starts_with(provider) {
                Probe::Done(url)
            } else {
                Probe::NotYet(url)
            })
        },
    )
    .await
}

/// Waits for the sign-in popup, signs in as `user` with the demo password, and — if the
/// provider asks — allows or denies. Returns when the popup has closed itself, with commands
/// switched back to the main window.
pub async fn sign_in_in_popup(
    b: &Browser,
    provider: &str,
    user: &str,
    decision: Decision,
) -> Result<()> {
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    sign_in_in_given_popup(b, &popup, provider, user, decision).await
}

/// [`sign_in_in_popup`] in a popup the caller has picked (when several windows are open).
pub async fn sign_in_in_given_popup(
    b: &Browser,
    popup: &WindowHandle,
    provider: &str,
    user: &str,
    decision: Decision,
) -> Result<()> {
    let popup = popup.clone();
    let page = wait_popup_page(b, &popup, provider, "the provider's sign-in form").await?;
    match page {
        PopupPage::Closed => {
            b.switch_to_main().await?;
            return Err(E2eError::Check(
                "the popup closed before showing the provider's sign-in form".into(),
            ));
        }
        PopupPage::Consent => {}
        PopupPage::SignIn => {
            let fields = b.js(SIGN_IN_JS, vec![]).await?;
            let user_field = b.element_from_json(&fields["user"]);
            let pw_field = b.element_from_json(&fields["pw"]);
            let submit = b.element_from_json(&fields["submit"]);
            let (Some(user_field), Some(pw_field), Some(submit)) = (user_field, pw_field, submit)
            else {
                return Err(E2eError::Check(format!(
                    "the sign-in form lacks a user field, password field or submit button: {fields}"
                )));
            };
            user_field.clear().await?;
            user_field.send_keys(user).await?;
            pw_field.send_keys(PASSWORD).await?;
            click_in_closing_window(&submit).await?;
        }
    }
    // After signing in: the consent screen, or (already consented) straight back to the site.
    let page = if page == PopupPage::Consent {
        page
    } else {
        wait_popup_page_after_sign_in(b, &popup, provider).await?
    };
    if page == PopupPage::Consent {
        let which = if decision == Decision::Allow {
            "allow"
        } else {
            "deny"
        };
        let v = b.js(CONSENT_BUTTON_JS, vec![json!(which)]).await?;
        let button = b.element_from_json(&v).ok_or_else(|| {
            E2eError::Check(format!("the consent screen has no `{which}` button"))
        })?;
        click_in_closing_window(&button).await?;
    } else if decision == Decision::Deny {
        b.switch_to_main().await?;
        return Err(E2eError::Check(format!(
            "expected a consent screen to deny, but {user} had already consented"
        )));
    }
    b.switch_to_main().await?;
    b.wait_window_closed(&popup, Duration::from_secs(15))
        .await?;
    Ok(())
}

async fn wait_popup_page(
    b: &Browser,
    popup: &WindowHandle,
    provider: &str,
    what: &str,
) -> Result<PopupPage> {
    let page = b
        .wait_for(
            &format!("the popup to show {what} on {provider}"),
            Duration::from_secs(15),
            || popup_page(b, popup, provider),
        )
        .await;
    if page.is_err() {
        let _ = b.switch_to_main().await;
    }
    page
}

async fn wait_popup_page_after_sign_in(
    b: &Browser,
    popup: &WindowHandle,
    provider: &str,
) -> Result<PopupPage> {
    // The sign-in page itself must go away first (a wrong password would stay on it).
    let page = b
        .wait_for(
            "the popup to leave the sign-in form (consent screen or closed)",
            Duration::from_secs(15),
            || async {
                Ok(match popup_page(b, popup, provider).await? {
                    Probe::Done(PopupPage::SignIn) => {
                        Probe::NotYet("still on the sign-in form".into())
                    }
                    Probe::Done(p) => Probe::Done(p),
                    Probe::NotYet(s) => Probe::NotYet(s),
                })
            },
        )
        .await;
    if page.is_err() {
        let _ = b.switch_to_main().await;
    }
    page
}

/// Full happy path from the page: click `signin_host`, sign in as `user`, allow, wait for
/// `userinfo_host` to show `name` with a picture.
pub async fn sign_in(
    b: &Browser,
    provider: &str,
    signin_host: &str,
    userinfo_host: &str,
    user: &str,
    name: &str,
) -> Result<()> {
    click_control_button(b, signin_host).await?;
    sign_in_in_popup(b, provider, user, Decision::Allow).await?;
    wait_userinfo_shows(b, userinfo_host, name, Duration::from_secs(10)).await?;
    Ok(())
}

/// Clicks `el` in a popup that may close as a result (the provider sends it straight to the
/// callback page, which closes it while chromedriver still waits for the navigation).
pub async fn click_in_closing_window(el: &fantoccini::elements::Element) -> Result<()> {
    match el.click().await {
        Ok(()) => Ok(()),
        Err(e) if e.is_no_such_window() => Ok(()),
        Err(e) => {
            let text = e.to_string();
            if text.contains("target window already closed")
                || text.contains("target frame detached")
                || text.contains("web view not found")
            {
                Ok(())
            } else {
                Err(e.into())
            }
        }
    }
}

/// Fails unless no JavaScript alert/confirm/prompt is open in the current window.
pub async fn check_no_alert(b: &Browser) -> Result<()> {
    match b.client.get_alert_text().await {
        Ok(text) => Err(E2eError::Check(format!("an alert is open: {text:?}"))),
        Err(e) if e.is_no_such_alert() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Whether `WL.getSession()` returns a session with an access token.
pub async fn has_session(b: &Browser) -> Result<bool> {
    let v = b
        .js(
            "try { const s = window.WL && WL.getSession(); return !!(s && s.access_token); }
             catch (e) { return false; }",
            vec![],
        )
        .await?;
    Ok(v == Json::Bool(true))
}

/// Fills the sign-in form the current window shows as `user` (the demo password) and submits it.
async fn fill_sign_in_form(b: &Browser, user: &str) -> Result<()> {
    let fields = b.js(SIGN_IN_JS, vec![]).await?;
    let (Some(user_field), Some(pw_field), Some(submit)) = (
        b.element_from_json(&fields["user"]),
        b.element_from_json(&fields["pw"]),
        b.element_from_json(&fields["submit"]),
    ) else {
        return Err(E2eError::Check(format!(
            "incomplete sign-in form: {fields}"
        )));
    };
    user_field.clear().await?;
    user_field.send_keys(user).await?;
    pw_field.send_keys(PASSWORD).await?;
    submit.click().await?;
    Ok(())
}

/// Opens `url`, a provider page that asks a signed-out visitor to sign in on the page itself
/// (the developer portal, the invitations page), and signs in there as `user` by typing and
/// clicking. The caller waits for what the page shows next.
pub async fn sign_in_on_provider_page(b: &Browser, url: &str, user: &str) -> Result<()> {
    b.goto(url).await?;
    b.wait_js(
        &format!("the sign-in form on {url}"),
        Duration::from_secs(15),
        "return !!document.querySelector('input[type=password]');",
    )
    .await?;
    fill_sign_in_form(b, user).await
}

/// Redirect mode: the current window is on the provider's sign-in form; sign in as `user`,
/// allow if asked, and wait until the window is back on `site` (any page).
pub async fn sign_in_in_this_window(
    b: &Browser,
    provider: &str,
    site: &str,
    user: &str,
) -> Result<()> {
    b.wait_for(
        &format!("the provider's sign-in form on {provider} in this window"),
        Duration::from_secs(15),
        || async {
            let v = b.js(PAGE_KIND_JS, vec![json!(provider)]).await?;
            Ok(if v["kind"] == json!("signin") {
                Probe::Done(())
            } else {
                Probe::NotYet(v.to_string())
            })
        },
    )
    .await?;
    fill_sign_in_form(b, user).await?;
    b.wait_for(
        &format!("the window to come back to {site}"),
        Duration::from_secs(15),
        || async {
            let url = b.client.current_url().await?.to_string();
            if url.starts_with(site) {
                return Ok(Probe::Done(()));
            }
            let v = b.js(PAGE_KIND_JS, vec![json!(provider)]).await?;
            if v["kind"] == json!("consent") {
                let button = b.js(CONSENT_BUTTON_JS, vec![json!("allow")]).await?;
                if let Some(button) = b.element_from_json(&button) {
                    button.click().await?;
                }
            }
            Ok(Probe::NotYet(url))
        },
    )
    .await
}

/// `WL.api('me')` on the page answers the person named `name` (its `name` field); `where_`
/// says which page, for the failure message. The answer.
pub async fn check_api_me(b: &Browser, name: &str, where_: &str) -> Result<Json> {
    let me: Json = b
        .js(
            "return WL.api('me').then(r => r, e => ({ rejected: e }));",
            vec![],
        )
        .await?;
    crate::check(
        me["name"] == json!(name),
        format!("WL.api('me') {where_} should return {name}: {me}"),
    )?;
    Ok(me)
}

/// Closes the popup a person has been reading (commands switched to it) the way they do, after
/// a while: closing within the loader's 1.5 s window after the popup reaches the provider is
/// taken for a Cross-Origin-Opener-Policy cut-off. Then the page reports `user_canceled` and
/// has no session.
pub async fn close_popup_after_reading(b: &Browser) -> Result<()> {
    tokio::time::sleep(Duration::from_millis(2000)).await;
    b.client.close_window().await?;
    b.switch_to_main().await?;
    b.wait_event("wl-error", "user_canceled", Duration::from_secs(10))
        .await?;
    crate::check(!has_session(b).await?, "no session after closing the popup")
}

/// Waits for the popup to show the provider's consent screen (never the sign-in form: the
/// person is still signed in to the provider) and returns the scope lines it lists. Leaves the
/// popup current.
pub async fn consent_scopes_in_popup(b: &Browser, provider: &str) -> Result<Vec<String>> {
    let popup = b.wait_for_popup(Duration::from_secs(10)).await?;
    b.client.switch_to_window(popup).await?;
    let v = b
        .wait_for(
            "the popup to show the provider's consent screen",
            Duration::from_secs(15),
            || async {
                let v = b
                    .js(
                        "if (location.origin !== arguments[0]) return { at: location.href };
                         if (document.querySelector('input[type=password]')) return { signin: true };
                         const allow = document.querySelector('button[value=allow]');
                         if (!allow) return { at: location.href };
                         return { scopes: [...document.querySelectorAll('ul.scopes li')]
                                    .map(li => li.textContent.trim()) };",
                        vec![json!(provider)],
                    )
                    .await;
                let v = match v {
                    Ok(v) => v,
                    // The window is navigating (or closed itself without asking: reported below).
                    Err(E2eError::WebDriver(e)) => return Ok(Probe::NotYet(e.to_string())),
                    Err(e) => return Err(e),
                };
                Ok(if v["signin"] == json!(true) {
                    Probe::Done(Err("the provider asked to sign in again".to_owned()))
                } else if v["scopes"].is_array() {
                    Probe::Done(Ok(v))
                } else {
                    Probe::NotYet(v.to_string())
                })
            },
        )
        .await?
        .map_err(E2eError::Check)?;
    Ok(v["scopes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}
