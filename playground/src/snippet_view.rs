//! The generated snippet with Copy, a link to these settings, "open in a blank page", and the
//! set-up the page needs.

use crate::dom;
use crate::store::Action;
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
    let copy = |what: &'static str, text: String| copy_button(status.clone(), what, text);
    let blank = snippet::blank_link(&p.page, &p.ui);
    let on_drawn = {
        let d = p.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                d.emit(Action::Drawn(input.checked()));
            }
        })
    };
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
            <label class="check draw-first"><input type="checkbox" id="draw-first" checked={p.ui.drawn} onchange={on_drawn} />
                <span>{"Draw the controls in the page, before "}<code>{"wl.js"}</code>{" loads: on screen in the first frame, even on a long page (the tag gets "}<code>{"defer"}</code>{"). Until it runs, the button says \u{201c}Sign in\u{201d} even to a signed-in visitor."}</span></label>
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
    /// Edits (the origin and client id typed).
    pub dispatch: Callback<Action>,
}

/// For the origin the person types: the `apps add` line, the callback page and the
/// Content-Security-Policy, each with Copy.
#[function_component(SetupView)]
pub fn setup_view(p: &SetupProps) -> Html {
    let setup = snippet::setup(&p.page, &p.ui);
    let csp = format!("Content-Security-Policy: {}", setup.csp.join("; "));
    let status = use_state(String::new);
    let copy = |what: &'static str, text: String| copy_button(status.clone(), what, text);
    let typed = |action: fn(String) -> Action| {
        let d = p.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                d.emit(action(input.value()));
            }
        })
    };
    // The error shows once the field is left (not while the person is still typing), in a
    // node that is always there: the input is never re-created under the person's cursor.
    let left = use_state(|| !p.ui.site.is_empty());
    let on_leave = {
        let left = left.clone();
        Callback::from(move |_: Event| left.set(true))
    };
    let error = setup.origin_error.filter(|_| *left).map(|e| {
        format!(
            "{e} ({}). Showing the set-up for {} instead.",
            e.code(),
            setup.origin
        )
    });
    html! {
        <div class="card">
            <h2>{"Set-up for your site"}</h2>
            <div class="setup-fields">
                <label for="setup-origin">{"Your site's origin"}</label>
                <input type="text" id="setup-origin" spellcheck="false" autocomplete="url"
                    placeholder={p.page.site.clone()} value={p.ui.site.clone()}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby="setup-origin-error" oninput={typed(Action::SetSite)}
                    onchange={on_leave} />
                <p class="field-error" id="setup-origin-error" role="alert" hidden={error.is_none()}>
                    { error.clone().unwrap_or_default() }
                </p>
                <label for="setup-client-id">{"Your app's client id"}</label>
                <input type="text" id="setup-client-id" spellcheck="false" autocomplete="off"
                    placeholder={p.page.client_id.clone()} value={p.ui.client_id.clone()}
                    oninput={typed(Action::SetClientId)} />
            </div>
            <ol class="setup">
                <li>
                    <div class="card-head">
                        <span>{"Register the app (prints its client id: type it above)"}</span>
                        <button type="button" class="secondary small-button" id="copy-apps-add"
                            onclick={copy("Command", setup.apps_add.clone())}>{"Copy"}</button>
                    </div>
                    <pre class="code small" tabindex="0"><code id="setup-apps-add">{ setup.apps_add.clone() }</code></pre>
                </li>
                <li>
                    <div class="card-head">
                        <span>{"Save as "}<code id="setup-redirect">{ setup.redirect_uri.clone() }</code></span>
                        <button type="button" class="secondary small-button" id="copy-callback"
                            onclick={copy("Callback page", setup.callback_html.clone())}>{"Copy"}</button>
                    </div>
                    <pre class="code small" tabindex="0"><code id="setup-callback">{ setup.callback_html.clone() }</code></pre>
                </li>
                <li>
                    <div class="card-head">
                        <span>{"If your pages send a Content-Security-Policy, it needs"}</span>
                        <button type="button" class="secondary small-button" id="copy-csp"
                            onclick={copy("CSP", csp.clone())}>{"Copy"}</button>
                    </div>
                    <pre class="code small" tabindex="0"><code id="setup-csp">{ csp }</code></pre>
                </li>
            </ol>
            <p class="status" role="status" id="setup-status">{ (*status).clone() }</p>
        </div>
    }
}

/// A Copy button's click: puts `text` on the clipboard and says so in `status` (or why not,
/// with the error's code).
fn copy_button(
    status: UseStateHandle<String>,
    what: &'static str,
    text: String,
) -> Callback<MouseEvent> {
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
}
