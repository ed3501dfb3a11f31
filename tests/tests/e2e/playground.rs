//! The Controls Playground, API Playground and REST Explorer (issue 6): the site's landing
//! page, its preview frame running the real loader, the copy-paste snippet, the URL state.

use crate::playground;
use serde_json::{Value as Json, json};
use std::time::Duration;
use wl_e2e::flow::{self, Decision};
use wl_e2e::harness::Case;
use wl_e2e::{Browser, Env, Result, axe, check, paths};

/// This module's cases, in the order they run.
pub fn cases() -> Vec<Case> {
    wl_e2e::cases![
        playground::snippet_pasted_into_a_blank_page_renders_the_same_control,
        playground::settings_round_trip_through_the_url,
        playground::api_me_and_rest_explorer_show_the_signed_in_person,
        playground::playground_and_previewed_controls_have_no_violations,
        playground::keyboard_moves_through_tabs_and_edits,
        playground::screenshots_desktop_and_narrow,
    ]
}

const WAIT: Duration = Duration::from_secs(15);

/// The preview frame's document, as a JS expression.
const FRAME_DOC: &str = "(document.getElementById('preview') || {}).contentDocument";

/// Waits until the Playground has started and its preview shows `tag` with a rendered shadow
/// root.
async fn wait_preview(b: &Browser, tag: &str, inner: &str) -> Result<()> {
    b.wait_js(
        &format!("the preview to render <{tag}> with `{inner}` in its shadow root"),
        WAIT,
        &format!(
            "const d = {FRAME_DOC}; const el = d && d.querySelector('{tag}');
             return !!(el && el.shadowRoot && el.shadowRoot.querySelector('{inner}'));"
        ),
    )
    .await?;
    Ok(())
}

/// Waits until the snippet contains `needle`; returns the snippet.
async fn wait_snippet(b: &Browser, needle: &str) -> Result<String> {
    let v = b
        .wait_js(
            &format!("the snippet to contain {needle}"),
            WAIT,
            "const s = document.getElementById('snippet');
             return s && s.textContent.includes(arguments[0]) ? s.textContent : null;"
                .replace("arguments[0]", &json!(needle).to_string())
                .as_str(),
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// What a rendered control looks like, read in the document `doc` (a JS expression).
fn look_js(doc: &str, tag: &str) -> String {
    format!(
        "const el = {doc}.querySelector('{tag}');
         if (!el || !el.shadowRoot) return null;
         const btn = el.shadowRoot.querySelector('button');
         const cs = btn ? getComputedStyle(btn) : null;
         return {{
           attrs: [...el.attributes].map(a => [a.name, a.value]).sort(),
           shadow: el.shadowRoot.innerHTML,
           label: btn ? btn.textContent.trim() : null,
           style: cs ? [cs.backgroundColor, cs.color, cs.borderRadius, cs.height, cs.fontSize] : null,
         }};"
    )
}

/// Sets the Playground's attribute editor like a person: selects and typing.
async fn select(b: &Browser, id: &str, value: &str) -> Result<()> {
    let option = b.find(&format!("#{id} option[value=\"{value}\"]")).await?;
    b.find(&format!("#{id}")).await?.click().await?;
    option.click().await?;
    Ok(())
}

/// Set attributes in the Playground, take the generated snippet, load it as a page of its own
/// (`/playground/blank.html#<snippet>` builds its loader tag and controls into an empty page, so
/// they run as pasted): the control there has the same attributes, the same shadow
/// DOM, label and computed style as in the preview.
pub async fn snippet_pasted_into_a_blank_page_renders_the_same_control(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/")).await?;
    wait_preview(&b, "wl-signin", "button").await?;
    select(&b, "attr-type", "custom").await?;
    select(&b, "attr-theme", "dark").await?;
    select(&b, "attr-shape", "pill").await?;
    select(&b, "attr-size", "large").await?;
    let text = "Say \"hi\" & <go>";
    b.find("#attr-sign-in-text").await?.send_keys(text).await?;
    b.find("#attr-sign-out-text")
        .await?
        .send_keys("Bye")
        .await?;
    let snippet = wait_snippet(&b, "sign-out-text=\"Bye\"").await?;
    check(
        snippet.contains("sign-in-text=\"Say &quot;hi&quot; &amp; &lt;go&gt;\""),
        format!("the snippet escapes the label: {snippet}"),
    )?;
    check(
        snippet.contains(&format!("src=\"{}/wl.js\"", server.site))
            && snippet.contains(&format!("data-authority=\"{}\"", server.provider)),
        format!("the snippet loads this site's wl.js against the provider: {snippet}"),
    )?;
    // The preview follows (attributes changed in place).
    let preview = b
        .wait_js(
            "the preview button to show the custom label",
            WAIT,
            &format!(
                "const l = (() => {{ {} }})(); return l && l.label === arguments_label ? l : null;",
                look_js(FRAME_DOC, "wl-signin")
            )
            .replace("arguments_label", &json!(text).to_string()),
        )
        .await?;

    // The Copy button puts exactly the snippet shown on the clipboard.
    b.cdp(
        "Browser.grantPermissions",
        json!({ "origin": server.site, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }),
    )
    .await?;
    b.find("#copy-snippet").await?.click().await?;
    b.wait_js(
        "the Copy button to say it copied",
        WAIT,
        "return document.querySelector('.snippet-card .status').textContent.includes('copied');",
    )
    .await?;
    let copied = b
        .js("return navigator.clipboard.readText();", vec![])
        .await?;
    check(
        copied == json!(snippet),
        format!("the clipboard holds another text than the snippet: {copied}"),
    )?;

    // Paste it into a page of its own: the Playground's "Open in a blank page" link carries
    // exactly the snippet shown.
    let link = b
        .js(
            "const a = document.getElementById('open-blank');
             return [a.href, decodeURIComponent(new URL(a.href).hash.slice(1))];",
            vec![],
        )
        .await?;
    check(
        link[1] == json!(snippet),
        format!("the blank-page link carries another snippet: {}", link[1]),
    )?;
    b.goto(link[0].as_str().unwrap_or_default()).await?;
    b.wait_shadow("wl-signin", "button", WAIT).await?;
    let pasted = b
        .wait_js(
            "the pasted control to show its label",
            WAIT,
            &format!(
                "const l = (() => {{ {} }})(); return l && l.label ? l : null;",
                look_js("document", "wl-signin")
            ),
        )
        .await?;
    for key in ["attrs", "label", "style", "shadow"] {
        check(
            pasted[key] == preview[key],
            format!(
                "the pasted control's {key} differs from the preview's:\n pasted:  {}\n preview: {}",
                pasted[key], preview[key]
            ),
        )?;
    }
    // The pasted page is a plain page: the loader's own script tag, configured from the snippet.
    let configured = b
        .js(
            "const s = document.querySelector('script[data-client-id]');
             return s ? [s.dataset.clientId, s.dataset.scope] : null;",
            vec![],
        )
        .await?;
    check(
        configured == json!(["wl-demo", "wl.signin wl.basic"]),
        format!("the pasted script tag: {configured}"),
    )
}

/// A link carries the settings: loading it restores control, attributes, page scope,
/// background and width; editing updates the URL; reloading that URL gives the same snippet.
pub async fn settings_round_trip_through_the_url(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let query = "control=wl-userinfo&layout=full&theme=dark\
                 &data-scope=wl.signin%20wl.basic%20wl.contacts&bg=dark&width=narrow";
    b.goto(&server.site_url(&format!("/?{query}"))).await?;
    let seen = b
        .wait_js(
            "the Playground to apply the URL",
            WAIT,
            &format!(
                "const d = {FRAME_DOC}; const u = d && d.querySelector('wl-userinfo');
                 const layout = document.getElementById('attr-layout');
                 if (!u || !layout) return null;
                 return {{
                   control: document.querySelector('input[name=control]:checked').value,
                   layout: layout.value,
                   theme: document.getElementById('attr-theme').value,
                   frameLayout: u.getAttribute('layout'), frameTheme: u.getAttribute('theme'),
                   companion: !!d.querySelector('wl-signin'),
                   dark: document.getElementById('bg-dark').getAttribute('aria-pressed'),
                   narrow: document.getElementById('preview').classList.contains('narrow'),
                   frameDark: d.body.classList.contains('dark'),
                   frameSrc: document.getElementById('preview').getAttribute('src'),
                 }};"
            ),
        )
        .await?;
    check(
        seen == json!({
            "control": "wl-userinfo", "layout": "full", "theme": "dark",
            "frameLayout": "full", "frameTheme": "dark", "companion": true,
            "dark": "true", "narrow": true, "frameDark": true,
            "frameSrc": "/playground/preview.html?scope=wl.signin%20wl.basic%20wl.contacts",
        }),
        format!("the URL's settings were not all applied: {seen}"),
    )?;
    // Edit: the URL follows.
    select(&b, "attr-layout", "compact").await?;
    b.find("#attr-cid").await?.send_keys("p & q").await?;
    b.find("#bg-light").await?.click().await?;
    let search = b
        .wait_js(
            "the URL to follow the edits",
            WAIT,
            "const s = location.search;
             return s.includes('cid=p%20%26%20q') && !s.includes('layout=') && !s.includes('bg=') ? s : null;",
        )
        .await?;
    let snippet = wait_snippet(&b, "cid=\"p &amp; q\"").await?;
    // Reload from that URL: the same snippet.
    b.goto(&server.site_url(&format!("/{}", search.as_str().unwrap_or_default())))
        .await?;
    let again = wait_snippet(&b, "cid=\"p &amp; q\"").await?;
    check(
        again == snippet,
        format!("the reloaded snippet differs:\n{again}\nvs\n{snippet}"),
    )?;
    // A hint's fix: <wl-bar> without wl.messenger offers to add it; the snippet, the URL and
    // the preview frame (reloaded with the new scope) follow.
    b.find("input[name=control][value=wl-bar]")
        .await?
        .click()
        .await?;
    b.find(".hints button").await?.click().await?;
    wait_snippet(
        &b,
        "data-scope=\"wl.signin wl.basic wl.contacts wl.messenger\"",
    )
    .await?;
    b.wait_js(
        "the URL and the frame to carry wl.messenger",
        WAIT,
        "return location.search.includes('wl.messenger')
            && document.getElementById('preview').getAttribute('src').includes('wl.messenger');",
    )
    .await?;
    Ok(())
}

/// Sign in inside the preview by clicking its button and going through the popup; the API
/// Playground's `me` call shows the person, and the REST Explorer's GET /v1/me with the
/// token answers 200 with her.
pub async fn api_me_and_rest_explorer_show_the_signed_in_person(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/")).await?;
    wait_preview(&b, "wl-signin", "button").await?;
    b.client.enter_frame(0).await?;
    flow::click_control_button(&b, "wl-signin").await?;
    flow::sign_in_in_popup(&b, &server.provider, "alice", Decision::Allow).await?;
    b.wait_js(
        "the Playground to see the session",
        WAIT,
        "return document.getElementById('session-state').textContent === 'Signed in';",
    )
    .await?;
    let log = b
        .wait_js(
            "auth.login in the event log",
            WAIT,
            "const t = document.getElementById('event-log').textContent;
             return t.includes('auth.login') && t.includes('wl-login') ? t : null;",
        )
        .await?;
    check(
        !log.as_str()
            .unwrap_or_default()
            .contains("access_token\":\"ey"),
        "the log shortens tokens",
    )?;

    // Signed in, the previewed controls and the Playground still pass axe.
    b.find("input[name=control][value=wl-userinfo]")
        .await?
        .click()
        .await?;
    wait_preview(&b, "wl-userinfo", "[part=name]").await?;
    no_violations(&b, "signed in, <wl-userinfo>").await?;

    b.find("#tab-api").await?.click().await?;
    api_calls_follow_the_served_document(&b, &server.provider).await?;
    b.find("#call-me").await?.click().await?;
    b.find("#api-run").await?.click().await?;
    let me = b
        .wait_js(
            "the API Playground's response",
            WAIT,
            "const r = document.getElementById('api-response');
             const e = document.getElementById('api-error');
             return r ? r.textContent : e ? 'ERROR ' + e.textContent : null;",
        )
        .await?;
    let me = me.as_str().unwrap_or_default();
    check(
        me.contains("\"name\": \"Alice Anderson\""),
        format!("`me` shows the signed-in person: {me}"),
    )?;
    let dir = paths::screenshots_dir()?;
    std::fs::create_dir_all(&dir)?;
    b.screenshot_to(&dir.join("playground-api-signed-in-1280.png"))
        .await?;
    let js = b.find("#api-js").await?.text().await?;
    check(
        js.contains("WL.api({ path: \"me\" })"),
        format!("the JavaScript to paste: {js}"),
    )?;
    api_person_in_xml_and_a_bad_body(&b).await?;

    b.find("#tab-rest").await?.click().await?;
    let url = b.find("#rest-url").await?;
    url.clear().await?;
    url.send_keys(&format!("{}/v1/me", server.provider)).await?;
    b.find("#rest-send").await?.click().await?;
    let answer = b
        .wait_js(
            "the REST Explorer's answer",
            WAIT,
            "const s = document.getElementById('rest-status');
             const body = document.getElementById('rest-body-out');
             return s && body ? [s.textContent, body.textContent] : null;",
        )
        .await?;
    // XML comes back indented, and markup in a name stays text.
    url.clear().await?;
    url.send_keys(&format!("{}/v1/me/friends", server.provider))
        .await?;
    b.find("#query-raw").await?.click().await?;
    b.find("#rest-raw")
        .await?
        .send_keys("$format=xml&$top=50")
        .await?;
    b.find("#rest-send").await?.click().await?;
    let xml = b
        .wait_js(
            "the REST Explorer's XML answer",
            WAIT,
            "const body = document.getElementById('rest-body-out');
             return body && body.textContent.includes('<response>') ? body.textContent : null;",
        )
        .await?;
    let xml = xml.as_str().unwrap_or_default();
    check(
        xml.contains("\n  <data>\n    <item>\n      <first_name>"),
        format!("the XML is indented: {xml}"),
    )?;
    check(
        xml.contains("<name>&lt;img src=x onerror=alert(1)&gt;</name>"),
        format!("mallory's name is shown as the provider sent it: {xml}"),
    )?;
    let injected = b
        .js(
            "return document.querySelectorAll('#rest-result img').length;",
            vec![],
        )
        .await?;
    check(injected == json!(0), "no element from a response body")?;
    no_violations(&b, "signed in, REST Explorer with a response").await?;
    b.screenshot_to(&dir.join("playground-rest-signed-in-1280.png"))
        .await?;
    check(
        answer[0].as_str().unwrap_or_default().starts_with("200")
            && answer[1]
                .as_str()
                .unwrap_or_default()
                .contains("\"name\": \"Alice Anderson\""),
        format!("GET /v1/me with the token: {answer}"),
    )
}

/// The API Playground's `{id}` call with `$format=xml` answers the person as XML; a body that is
/// not JSON is refused before anything is sent, with its code, and nothing runs.
async fn api_person_in_xml_and_a_bad_body(b: &Browser) -> Result<()> {
    b.find("#call-person").await?.click().await?;
    let id = b.find("#call-id").await?;
    id.send_keys("me").await?;
    b.find("#call-xml").await?.click().await?;
    let js = b.find("#api-js").await?.text().await?;
    check(
        js.contains("WL.api({ path: \"me?$format=xml\" })"),
        format!("the JavaScript for {{id}} = me in XML: {js}"),
    )?;
    b.find("#api-run").await?.click().await?;
    let xml = b
        .wait_js(
            "the person as XML",
            WAIT,
            "const r = document.getElementById('api-response');
             const e = document.getElementById('api-error');
             return r ? r.textContent : e ? 'ERROR ' + e.textContent : null;",
        )
        .await?;
    let xml = xml.as_str().unwrap_or_default();
    check(
        xml.contains("<response>") && xml.contains("<name>Alice Anderson</name>"),
        format!("`{{id}}` = me with $format=xml: {xml}"),
    )?;
    b.find("#call-add-contact").await?.click().await?;
    let body = b.find("#call-body").await?;
    body.clear().await?;
    body.send_keys("{ \"first_name\": ").await?;
    let refused = b
        .wait_js(
            "the bad body's error",
            WAIT,
            "const e = document.getElementById('api-input-error');
             const run = document.getElementById('api-run');
             return e && run.disabled ? e.textContent : null;",
        )
        .await?;
    check(
        refused
            .as_str()
            .unwrap_or_default()
            .starts_with("body_invalid: The body is not a JSON object"),
        format!("a body that is not JSON: {refused}"),
    )?;
    let dir = paths::screenshots_dir()?;
    for width in [1280, 390] {
        b.client.set_window_size(width, 1000).await?;
        b.js(
            "document.getElementById('call-body').scrollIntoView({ block: 'center' }); return true;",
            vec![],
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(
            dir.join(format!("playground-api-body-{width}.png")),
            b.client.screenshot().await?,
        )?;
        let overflow = b
            .js(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                vec![],
            )
            .await?;
        check(
            overflow == json!(false),
            format!("the API Playground scrolls sideways at {width} px"),
        )?;
    }
    b.client.set_window_size(1280, 900).await?;
    b.js(
        "window.scrollTo(0, 0); document.getElementById('call-me').click(); return true;",
        vec![],
    )
    .await?;
    Ok(())
}

/// The API Playground's calls show the method and scope the provider's `/v1/openapi.json`
/// gives their operations (the Playground reads them from there): `GET me/activities` needs
/// `wl.basic`, as the server asks, not the `wl.share` a hand-kept table once said.
async fn api_calls_follow_the_served_document(b: &Browser, provider: &str) -> Result<()> {
    let (status, text) =
        wl_e2e::http::get(&format!("{provider}/v1/openapi.json")).unwrap_or_default();
    check(status == 200, format!("GET /v1/openapi.json: {status}"))?;
    let doc: Json = serde_json::from_str(&text).unwrap_or_default();
    let calls = [
        ("me", "getMe"),
        ("person", "getById"),
        ("picture", "getMyPicture"),
        ("contacts", "listContacts"),
        ("friends", "listFriends"),
        ("activities", "listActivities"),
        ("feed", "listFeed"),
        ("add-contact", "createContact"),
        ("post-activity", "createActivity"),
        ("share", "share"),
    ];
    for (key, operation) in calls {
        let found = doc["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .find_map(|(path, item)| {
                item.as_object()?
                    .iter()
                    .find(|(_, op)| op["operationId"] == operation)
                    .map(|(method, op)| (path.clone(), method.to_ascii_uppercase(), op.clone()))
            });
        let Some((path, method, op)) = found else {
            return check(false, format!("the served document has no `{operation}`"));
        };
        let scopes: Vec<&str> = op["security"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|req| req["oauth2"].as_array())
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let want = format!(
            "{}{method} · {}",
            path.trim_start_matches("/v1/"),
            if scopes.is_empty() {
                "any scope".to_owned()
            } else {
                scopes.join(" ")
            }
        );
        b.find(&format!("#call-{key}")).await?;
        let shown = b
            .js(
                "const l = document.getElementById(arguments[0]).closest('label');
                 return l.querySelector('code').textContent + l.querySelector('span').textContent;",
                vec![json!(format!("call-{key}"))],
            )
            .await?;
        check(
            shown == json!(want),
            format!("the API Playground's `{key}` shows {shown}, the served document says {want}"),
        )?;
    }
    let activities = b
        .js(
            "return document.getElementById('call-activities').closest('label').textContent;",
            vec![],
        )
        .await?;
    check(
        activities == json!("me/activitiesGET · wl.basic"),
        format!("GET me/activities needs wl.basic, as the server asks: {activities}"),
    )
}

/// axe on the Playground page and inside its preview frame; fails listing what it found.
async fn no_violations(b: &Browser, when: &str) -> Result<()> {
    let mut found = axe::report(&axe::run(b, &[]).await?);
    b.client.enter_frame(0).await?;
    let inner = axe::report(&axe::run(b, &[]).await?);
    b.client.enter_parent_frame().await?;
    if !inner.is_empty() {
        found.push_str(&format!("in the preview:\n{inner}"));
    }
    check(found.is_empty(), format!("axe, {when}:\n{found}"))
}

/// axe-core on the Playground (every tool) and inside the preview frame on every control.
pub async fn playground_and_previewed_controls_have_no_violations(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let mut found = String::new();
    let pages: &[(&str, &str, &str)] = &[
        ("/?control=wl-signin", "wl-signin", "button"),
        (
            "/?control=wl-signin&type=custom&theme=white&shape=pill&size=small&sign-in-text=Go",
            "wl-signin",
            "button",
        ),
        (
            "/?control=wl-signin&theme=dark&bg=dark&brand=messenger",
            "wl-signin",
            "button",
        ),
        (
            "/?control=wl-signin&theme=light&brand=none&size=large&width=narrow",
            "wl-signin",
            "button",
        ),
        ("/?control=wl-userinfo&layout=full", "wl-signin", "button"),
        ("/?control=wl-bar&tab=api", "wl-bar", "*"),
        ("/?tab=rest", "wl-signin", "button"),
    ];
    for (path, tag, inner) in pages {
        b.goto(&server.site_url(path)).await?;
        b.find("#tab-controls").await?;
        if *tag != "wl-bar" || bar_is_built() {
            wait_preview(&b, tag, inner).await?;
        }
        let v = axe::run(&b, &[]).await?;
        if !v.is_empty() {
            found.push_str(&format!("Playground {path}:\n{}", axe::report(&v)));
        }
        b.client.enter_frame(0).await?;
        let v = axe::run(&b, &[]).await?;
        if !v.is_empty() {
            found.push_str(&format!("preview of {path}:\n{}", axe::report(&v)));
        }
        b.client.enter_parent_frame().await?;
    }
    check(found.is_empty(), format!("axe found violations:\n{found}"))
}

/// Keyboard alone: Tab reaches the tools' tabs with a visible focus ring, arrow keys switch
/// tools (ARIA tabs), and typing in a focused field updates the snippet.
pub async fn keyboard_moves_through_tabs_and_edits(env: &Env) -> Result<()> {
    use fantoccini::key::Key;
    let server = env.server()?;
    let b = env.browser().await?;
    b.goto(&server.site_url("/")).await?;
    wait_preview(&b, "wl-signin", "button").await?;
    b.js(
        "document.activeElement && document.activeElement.blur();",
        vec![],
    )
    .await?;
    b.press(Key::Tab.into()).await?;
    let focused = b
        .js(
            "const e = document.activeElement; const cs = getComputedStyle(e);
             return [e.id, cs.outlineStyle, cs.outlineWidth];",
            vec![],
        )
        .await?;
    check(
        focused[0] == json!("tab-controls")
            && focused[1] != json!("none")
            && focused[2] != json!("0px"),
        format!("the first Tab lands on the Controls tab with a focus ring: {focused}"),
    )?;
    b.press(Key::Right.into()).await?;
    let state = b
        .wait_js(
            "ArrowRight to select the API Playground",
            WAIT,
            "const t = document.getElementById('tab-api');
             return t.getAttribute('aria-selected') === 'true' && document.activeElement === t
               && !document.getElementById('panel-api').hidden
               && document.getElementById('panel-controls').hidden ? location.search : null;",
        )
        .await?;
    check(
        state.as_str().unwrap_or_default().contains("tab=api"),
        format!("the URL names the tool: {state}"),
    )?;
    b.press(Key::Left.into()).await?;
    b.wait_js(
        "ArrowLeft to go back to the Controls",
        WAIT,
        "return document.getElementById('tab-controls').getAttribute('aria-selected') === 'true';",
    )
    .await?;
    // Focus the label field by script, type with the keyboard.
    b.js(
        "document.getElementById('attr-sign-in-text').focus();",
        vec![],
    )
    .await?;
    for c in "Hi".chars() {
        b.press(c).await?;
    }
    wait_snippet(&b, "sign-in-text=\"Hi\"").await?;
    Ok(())
}

/// Whether the `<wl-bar>` module is in the package (its engineer may not have shipped it yet).
fn bar_is_built() -> bool {
    // `pkg/wl_bar.<content hash>.js` (xtask/src/build.rs names the modules by content).
    paths::wl_dist()
        .ok()
        .and_then(|d| std::fs::read_dir(d.join("pkg")).ok())
        .is_some_and(|mut files| {
            files.any(|f| f.is_ok_and(|f| f.file_name().to_string_lossy().starts_with("wl_bar.")))
        })
}

/// The Playground at 1280 and 390 px wide, signed out, into `target/screenshots/playground-*.png`.
pub async fn screenshots_desktop_and_narrow(env: &Env) -> Result<()> {
    let server = env.server()?;
    let b = env.browser().await?;
    let dir = paths::screenshots_dir()?;
    std::fs::create_dir_all(&dir)?;
    let shots: &[(&str, u32, &str)] = &[
        (
            "playground-1280.png",
            1280,
            "/?control=wl-signin&theme=dark&shape=pill&type=connect",
        ),
        (
            "playground-390.png",
            390,
            "/?control=wl-signin&theme=dark&shape=pill&type=connect",
        ),
        (
            "playground-userinfo-1280.png",
            1280,
            "/?control=wl-userinfo&layout=full&bg=dark&width=narrow",
        ),
        ("playground-api-1280.png", 1280, "/?tab=api"),
        ("playground-rest-390.png", 390, "/?tab=rest"),
        ("playground-bar-1280.png", 1280, "/?control=wl-bar"),
    ];
    for (file, width, path) in shots {
        b.client.set_window_size(*width, 900).await?;
        b.goto(&server.site_url(path)).await?;
        if path.contains("wl-bar") {
            if bar_is_built() {
                wait_preview(&b, "wl-bar", "*").await?;
            }
        } else {
            wait_preview(&b, "wl-signin", "button").await?;
        }
        // What a phone shows first, before the full-page shot.
        if *width < 500 {
            let png = b.client.screenshot().await?;
            std::fs::write(dir.join(file.replace(".png", "-top.png")), png)?;
        }
        let height = b
            .js("return document.documentElement.scrollHeight;", vec![])
            .await?
            .as_u64()
            .unwrap_or(900)
            .clamp(600, 4000) as u32;
        b.client.set_window_size(*width, height + 140).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = b.client.screenshot().await?;
        check(png.len() > 1000, format!("{file} is empty"))?;
        std::fs::write(dir.join(file), png)?;
        let overflow = b
            .js(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                vec![],
            )
            .await?;
        check(
            overflow == Json::Bool(false),
            format!("{file}: the page scrolls sideways at {width} px"),
        )?;
    }
    Ok(())
}
