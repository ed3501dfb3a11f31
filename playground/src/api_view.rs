//! The API Playground: pick a call, fill its fields, run it through the preview's `WL.api`, see
//! the response and the JavaScript to paste. Each call's method, path and scope come from the
//! provider's `/v1/openapi.json` (`wl_markup::api::calls`).

use crate::error::Error;
use crate::store::Action;
use crate::{dom, frame};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use wl_markup::api::{self, BodyKind, Call, Calls, Inputs, OData, ShareFields};
use wl_markup::state::toggle_scope;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The API Playground's inputs.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The preview frame (its `WL` and session run the calls).
    pub frame: NodeRef,
    /// Whether the preview has a session.
    pub signed_in: bool,
    /// The page's `data-scope`.
    pub page_scope: String,
    /// The provider origin (its `/v1/openapi.json` gives each call's method, path and scope).
    pub provider: String,
    /// Edits (to add a missing scope).
    pub dispatch: Callback<Action>,
}

/// The provider's description of the calls.
#[derive(Clone, PartialEq)]
enum Doc {
    Loading,
    Ready(Rc<Calls>),
    Failed(String, String),
}

/// A finished call.
#[derive(Clone, PartialEq)]
enum Outcome {
    Ok(String),
    Failed(String, String),
}

/// The API Playground: reads the calls from the provider's OpenAPI document, then offers them.
#[function_component(ApiView)]
pub fn api_view(p: &Props) -> Html {
    let doc = use_state(|| Doc::Loading);
    {
        let doc = doc.clone();
        use_effect_with(p.provider.clone(), move |provider| {
            let provider = provider.clone();
            spawn_local(async move {
                let read = async { Ok::<_, Error>(api::calls(&dom::openapi(&provider).await?)?) };
                doc.set(match read.await {
                    Ok(calls) => Doc::Ready(Rc::new(calls)),
                    Err(e) => Doc::Failed(e.code().to_owned(), e.message()),
                });
            });
        });
    }
    let body = match &*doc {
        Doc::Ready(calls) => html! {
            <CallsView calls={calls.clone()} frame={p.frame.clone()} signed_in={p.signed_in}
                page_scope={p.page_scope.clone()} dispatch={p.dispatch.clone()} />
        },
        Doc::Loading => html! {
            <p class="muted" role="status">{ format!("Reading the calls from {}/v1/openapi.json…", p.provider) }</p>
        },
        Doc::Failed(code, msg) => html! {
            <p class="error" id="api-doc-error" role="status"><strong>{ code.clone() }</strong>{": "}{ msg.clone() }</p>
        },
    };
    html! {
        <div class="card">
            <h2>{"API Playground"}</h2>
            <p class="muted">{"Runs "}<code>{"WL.api"}</code>{" in the preview with its session: sign in there first."}</p>
            { body }
        </div>
    }
}

/// The calls' inputs, once the document is read.
#[derive(Properties, PartialEq)]
struct CallsProps {
    calls: Rc<Calls>,
    frame: NodeRef,
    signed_in: bool,
    page_scope: String,
    dispatch: Callback<Action>,
}

/// The calls, their fields, the JavaScript to paste and the response.
#[function_component(CallsView)]
fn calls_view(p: &CallsProps) -> Html {
    let call = use_state(|| Call::Me);
    let inputs = use_state(|| Inputs {
        share: ShareFields {
            link: "https://example.com/recipes/42".into(),
            message: "Look at this!".into(),
        },
        ..Inputs::default()
    });
    let outcome = use_state(|| None::<Outcome>);
    let busy = use_state(|| false);
    let endpoint = p.calls.get(*call);
    let req = api::request(*call, endpoint, &inputs);

    let run = {
        let (frame, req, outcome, busy) =
            (p.frame.clone(), req.clone(), outcome.clone(), busy.clone());
        Callback::from(move |_| {
            let Ok(req) = req.clone() else { return };
            let (frame, outcome, busy) = (frame.clone(), outcome.clone(), busy.clone());
            busy.set(true);
            spawn_local(async move {
                let r = frame::api(&frame, &req).await;
                outcome.set(Some(match r {
                    Ok(v) => Outcome::Ok(dom::pretty_json(&v)),
                    Err(e) => Outcome::Failed(e.code().to_owned(), e.message()),
                }));
                busy.set(false);
            });
        })
    };
    let calls = Call::ALL.iter().map(|&c| {
        let state = call.clone();
        let outcome = outcome.clone();
        let inputs = inputs.clone();
        html! {
            <label class={classes!("pick", (c == *call).then_some("checked"))}>
                <input type="radio" name="api-call" id={format!("call-{}", c.key())} checked={c == *call}
                    onchange={Callback::from(move |_| {
                        state.set(c);
                        outcome.set(None);
                        // A typed body belongs to the call it was typed for.
                        inputs.set(Inputs { body: None, ..(*inputs).clone() });
                    })} />
                <code>{ p.calls.get(c).path.clone() }</code>
                <span class="muted small">{ format!("{} · {}", p.calls.get(c).method, p.calls.get(c).needs()) }</span>
            </label>
        }
    });
    let missing: Vec<String> = endpoint
        .missing_scopes(&p.page_scope)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let needs = missing.join(" ");
    let add_scope = {
        let (d, current, missing) = (p.dispatch.clone(), p.page_scope.clone(), missing.clone());
        Callback::from(move |_| {
            let scope = missing
                .iter()
                .fold(current.clone(), |scope, s| toggle_scope(&scope, s, true));
            d.emit(Action::SetPageScope(scope))
        })
    };
    let field = |id: &'static str,
                 label: &'static str,
                 value: String,
                 placeholder: &'static str,
                 set: Callback<String>| {
        html! {
            <div class="attr">
                <label for={id}>{ label }</label>
                <input type="text" id={id} value={value} placeholder={placeholder} spellcheck="false" autocomplete="off"
                    oninput={Callback::from(move |e: InputEvent| set.emit(e.target_unchecked_into::<HtmlInputElement>().value()))} />
            </div>
        }
    };
    let edit = |f: fn(&mut Inputs, String)| {
        let inputs = inputs.clone();
        Callback::from(move |v: String| {
            let mut i = (*inputs).clone();
            f(&mut i, v);
            inputs.set(i);
        })
    };
    let od = |f: fn(&mut OData, String)| {
        let inputs = inputs.clone();
        Callback::from(move |v: String| {
            let mut i = (*inputs).clone();
            f(&mut i.odata, v);
            inputs.set(i);
        })
    };
    let sh = |f: fn(&mut ShareFields, String)| {
        let inputs = inputs.clone();
        Callback::from(move |v: String| {
            let mut i = (*inputs).clone();
            f(&mut i.share, v);
            inputs.set(i);
        })
    };
    let flag = |id: &'static str, label: &'static str, on: bool, f: fn(&mut Inputs, bool)| {
        let inputs = inputs.clone();
        let change = Callback::from(move |e: Event| {
            let mut i = (*inputs).clone();
            f(
                &mut i,
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            );
            inputs.set(i);
        });
        html! {
            <div class="attr flag"><label class="check"><input type="checkbox" id={id} checked={on} onchange={change} /><code>{ label }</code></label></div>
        }
    };
    let body_text = match call.body() {
        BodyKind::Json(example) => inputs.body.clone().unwrap_or_else(|| example.to_owned()),
        _ => String::new(),
    };
    let set_body = edit(|i, v| i.body = Some(v));
    let (code, input_error) = match &req {
        Ok(req) => (api::js(req), None),
        Err(e) => (
            "// Nothing to paste until the call's input above is fixed.\n".to_owned(),
            Some((e.code(), e.to_string())),
        ),
    };
    html! {
        <>
            <fieldset class="picker">
                <legend>{"Call"}</legend>
                <div class="picks calls">{ for calls }</div>
            </fieldset>
            if call.takes_id() {
                <fieldset>
                    <legend>{"Path"}</legend>
                    <div class="attrs">
                        { field("call-id", "{id}", inputs.id.clone(), "me, or a friend's id from me/friends", edit(|i, v| i.id = v)) }
                    </div>
                </fieldset>
            }
            if call.takes_odata() {
                <fieldset>
                    <legend>{"OData options"}</legend>
                    <div class="attrs">
                        { field("odata-filter", "$filter", inputs.odata.filter.clone(), "startswith(first_name,'B')", od(|o, v| o.filter = v)) }
                        { field("odata-select", "$select", inputs.odata.select.clone(), "id,name", od(|o, v| o.select = v)) }
                        { field("odata-orderby", "$orderby", inputs.odata.orderby.clone(), "last_name desc", od(|o, v| o.orderby = v)) }
                        { field("odata-top", "$top", inputs.odata.top.clone(), "10", od(|o, v| o.top = v)) }
                        { field("odata-skip", "$skip", inputs.odata.skip.clone(), "0", od(|o, v| o.skip = v)) }
                        { flag("odata-count", "$count=true", inputs.odata.count, |i, on| i.odata.count = on) }
                    </div>
                </fieldset>
            }
            if call.takes_format() || call.takes_portable() {
                <fieldset>
                    <legend>{"Format"}</legend>
                    <div class="attrs">
                        if call.takes_format() { { flag("call-xml", "$format=xml", inputs.xml, |i, on| i.xml = on) } }
                        if call.takes_portable() { { flag("call-portable", "$type=portable", inputs.portable, |i, on| i.portable = on) } }
                    </div>
                </fieldset>
            }
            if call.body() == BodyKind::Share {
                <fieldset>
                    <legend>{"Share"}</legend>
                    <div class="attrs">
                        { field("share-link", "link", inputs.share.link.clone(), "https://…", sh(|s, v| s.link = v)) }
                        { field("share-message", "message", inputs.share.message.clone(), "", sh(|s, v| s.message = v)) }
                    </div>
                </fieldset>
            }
            if matches!(call.body(), BodyKind::Json(_)) {
                <fieldset>
                    <legend>{"Body (JSON)"}</legend>
                    <textarea id="call-body" class="code" rows="4" spellcheck="false" aria-label="Request body (JSON)" value={body_text}
                        oninput={Callback::from(move |e: InputEvent| set_body.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))} />
                </fieldset>
            }
            if let Some((code, message)) = &input_error {
                <p class="error" id="api-input-error" role="status"><strong>{ *code }</strong>{": "}{ message.clone() }</p>
            }
            if !missing.is_empty() {
                <p class="hint">{ format!("This call needs {}, which the page's scopes do not include. ", missing.join(" and ")) }
                    <button type="button" class="secondary" onclick={add_scope}>{ format!("Add {needs}") }</button></p>
            }
            <div class="actions">
                <button type="button" id="api-run" onclick={run} disabled={*busy || input_error.is_some()}>{ if *busy { "Running…" } else { "Run" } }</button>
                if !p.signed_in { <span class="muted">{"Not signed in: the call will fail with the loader's error."}</span> }
            </div>
            <h3>{"JavaScript"}</h3>
            <pre class="code" tabindex="0" aria-label="JavaScript to paste"><code id="api-js">{ code }</code></pre>
            <h3>{"Response"}</h3>
            <div id="api-result" role="status" aria-live="polite">
                { match &*outcome {
                    None => html! { <p class="muted">{"Run the call to see its response."}</p> },
                    Some(Outcome::Ok(json)) => html! { <pre class="code ok" tabindex="0"><code id="api-response">{ json.clone() }</code></pre> },
                    Some(Outcome::Failed(code, msg)) => html! {
                        <p class="error" id="api-error"><strong>{ code.clone() }</strong>{": "}{ msg.clone() }</p>
                    },
                } }
            </div>
        </>
    }
}
