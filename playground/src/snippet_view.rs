//! The generated snippet with Copy, a link to these settings, "open in a blank page", and the
//! set-up the page needs.

use crate::dom;
use crate::store::Action;
use wl_markup::percent;
use wl_markup::snippet::{self, Page};
use wl_markup::state::{State, toggle_scope};
use yew::platform::spawn_local;
use yew::prelude::*;

/// The snippet's inputs.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The settings.
    pub ui: State,
    /// Site, provider and client id.
    pub page: Page,
    /// Edits (the hints' fixes).
    pub dispatch: Callback<Action>,
}

/// Snippet, copy, set-up.
#[function_component(SnippetView)]
pub fn snippet_view(p: &Props) -> Html {
    let text = snippet::snippet(&p.page, &p.ui);
    let hints = snippet::hints(&p.ui);
    let status = use_state(String::new);
    let copy = |what: &'static str, text: String| {
        let status = status.clone();
        Callback::from(move |_| {
            let status = status.clone();
            let text = text.clone();
            spawn_local(async move {
                match dom::copy(&text).await {
                    Ok(()) => status.set(format!("{what} copied.")),
                    Err(e) => status.set(format!("{e} ({})", e.code())),
                }
            });
        })
    };
    let blank = format!("/playground/blank.html#{}", percent::encode(&text));
    html! {
        <div class="card snippet-card">
            <div class="card-head">
                <h2 id="snippet-title">{"Paste this into your page"}</h2>
                <div class="actions">
                    <button type="button" id="copy-snippet" onclick={copy("Snippet", text.clone())}>{"Copy"}</button>
                    <button type="button" class="secondary" id="copy-link" onclick={copy("Link", dom::href())}>{"Copy link"}</button>
                    <a class="button secondary" id="open-blank" href={blank} target="_blank" rel="noopener">{"Open in a blank page"}</a>
                </div>
            </div>
            <pre class="code" aria-labelledby="snippet-title" tabindex="0"><code id="snippet">{ text }</code></pre>
            <p class="status" role="status">{ (*status).clone() }</p>
            if !hints.is_empty() {
                <ul class="hints">{ for hints.iter().map(|h| {
                    let fix = h.add_scope.map(|scope| {
                        let (d, current) = (p.dispatch.clone(), p.ui.page_scope.clone());
                        let add = Callback::from(move |_| d.emit(Action::SetPageScope(toggle_scope(&current, scope, true))));
                        html! { <button type="button" class="secondary small-button" onclick={add}>{ format!("Add {scope}") }</button> }
                    });
                    html! { <li>{ h.text.clone() }{" "}{ for fix }</li> }
                }) }</ul>
            }
        </div>
    }
}

/// The set-up's inputs.
#[derive(Properties, PartialEq)]
pub struct SetupProps {
    /// The settings.
    pub ui: State,
    /// Site, provider and client id.
    pub page: Page,
}

/// Redirect URI, callback page and Content-Security-Policy for the snippet.
#[function_component(SetupView)]
pub fn setup_view(p: &SetupProps) -> Html {
    let setup = snippet::setup(&p.page, &p.ui);
    let csp = format!("Content-Security-Policy: {}", setup.csp.join("; "));
    html! {
        <div class="card">
            <h2>{"Set-up the snippet needs"}</h2>
            <dl class="setup">
                <dt>{"Redirect URI to register"}</dt>
                <dd><code id="setup-redirect">{ setup.redirect_uri.clone() }</code>
                    <span class="muted">{ format!(" (already registered for {} on this dev host; for your own app: ", p.page.client_id) }
                    <code>{"cargo run -p wl-server -- apps add --redirect-uri …"}</code>{")"}</span></dd>
                <dt>{"Callback page"}</dt>
                <dd>{"Serve "}<code>{ setup.callback_files[0] }</code>{" and "}<code>{ setup.callback_files[1] }</code>
                    {" from the loader package next to "}<code>{"wl.js"}</code>{", on your page's origin."}</dd>
                <dt>{"Content-Security-Policy"}</dt>
                <dd><pre class="code small" tabindex="0"><code id="setup-csp">{ csp }</code></pre></dd>
            </dl>
        </div>
    }
}
