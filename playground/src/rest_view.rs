//! The REST Explorer: method, URL, headers and body sent with `fetch` and the preview's token;
//! the status, headers and body come back, JSON pretty-printed and XML indented.

use crate::{dom, frame};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use wl_markup::api::{self, OData};
use wl_markup::format::indent_xml;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The methods offered (the reference provider's CORS allows all five from the site).
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The REST Explorer's inputs.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The preview frame (its session's token is sent).
    pub frame: NodeRef,
    /// Whether the preview has a session.
    pub signed_in: bool,
    /// The provider origin.
    pub provider: String,
}

#[derive(Clone, PartialEq)]
enum Outcome {
    Done(dom::FetchResult),
    Failed(String, String),
}

/// How the query is given.
#[derive(Clone, Copy, PartialEq)]
enum QueryMode {
    Fields,
    Raw,
}

/// The REST Explorer.
#[function_component(RestView)]
pub fn rest_view(p: &Props) -> Html {
    let method = use_state(|| "GET".to_owned());
    let url = use_state(|| format!("{}/v1/me/friends", p.provider));
    let mode = use_state(|| QueryMode::Fields);
    let odata = use_state(OData::default);
    let raw = use_state(String::new);
    let headers = use_state(|| "Accept: application/json".to_owned());
    let body = use_state(String::new);
    let with_token = use_state(|| true);
    let outcome = use_state(|| None::<Outcome>);
    let busy = use_state(|| false);

    let query = match *mode {
        QueryMode::Fields => odata.query(),
        QueryMode::Raw => raw.trim().trim_start_matches('?').to_owned(),
    };
    let full_url = if query.is_empty() {
        (*url).clone()
    } else if url.contains('?') {
        format!("{}&{query}", *url)
    } else {
        format!("{}?{query}", *url)
    };
    let header_list = parse_headers(&headers);
    let token = frame::access_token(&p.frame);
    let mut sent_headers = header_list.clone();
    if *with_token {
        sent_headers.push((
            "Authorization".into(),
            format!(
                "Bearer {}",
                if token.is_some() {
                    "<token>"
                } else {
                    "<no session>"
                }
            ),
        ));
    }
    let sends_body = *method != "GET" && !body.is_empty();
    let curl = api::curl(
        &method,
        &full_url,
        &sent_headers,
        if sends_body { &body } else { "" },
    );

    let send = {
        let (frame, method, full_url, header_list, body, with_token, outcome, busy) = (
            p.frame.clone(),
            (*method).clone(),
            full_url.clone(),
            header_list.clone(),
            (*body).clone(),
            *with_token,
            outcome.clone(),
            busy.clone(),
        );
        Callback::from(move |_| {
            let mut hs = header_list.clone();
            if with_token && let Some(t) = frame::access_token(&frame) {
                hs.push(("Authorization".into(), format!("Bearer {t}")));
            }
            let (method, url, body, outcome, busy) = (
                method.clone(),
                full_url.clone(),
                body.clone(),
                outcome.clone(),
                busy.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let b = (method != "GET" && !body.is_empty()).then_some(body.as_str());
                let r = dom::fetch(&method, &url, &hs, b).await;
                outcome.set(Some(match r {
                    Ok(r) => Outcome::Done(r),
                    Err(e) => Outcome::Failed(e.code().to_owned(), e.message()),
                }));
                busy.set(false);
            });
        })
    };
    let text_input = |id: &'static str,
                      label: &'static str,
                      state: &UseStateHandle<String>,
                      placeholder: &'static str| {
        let s = state.clone();
        html! {
            <div class="attr">
                <label for={id}>{ label }</label>
                <input type="text" id={id} value={(**state).clone()} placeholder={placeholder} spellcheck="false" autocomplete="off"
                    oninput={Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
            </div>
        }
    };
    let od_input = |id: &'static str,
                    label: &'static str,
                    value: String,
                    placeholder: &'static str,
                    f: fn(&mut OData, String)| {
        let odata = odata.clone();
        html! {
            <div class="attr">
                <label for={id}>{ label }</label>
                <input type="text" id={id} value={value} placeholder={placeholder} spellcheck="false" autocomplete="off"
                    oninput={Callback::from(move |e: InputEvent| {
                        let mut o = (*odata).clone();
                        f(&mut o, e.target_unchecked_into::<HtmlInputElement>().value());
                        odata.set(o);
                    })} />
            </div>
        }
    };
    let mode_radio = |m: QueryMode, id: &'static str, label: &'static str| {
        let s = mode.clone();
        html! {
            <label class="check"><input type="radio" name="query-mode" id={id} checked={*mode == m}
                onchange={Callback::from(move |_| s.set(m))} />{ label }</label>
        }
    };
    let on_method = {
        let s = method.clone();
        Callback::from(move |e: Event| {
            s.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_headers = {
        let s = headers.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_body = {
        let s = body.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_token = {
        let s = with_token.clone();
        Callback::from(move |e: Event| {
            s.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let on_count = {
        let odata = odata.clone();
        Callback::from(move |e: Event| {
            let mut o = (*odata).clone();
            o.count = e.target_unchecked_into::<HtmlInputElement>().checked();
            odata.set(o);
        })
    };

    html! {
        <div class="card">
            <h2>{"REST Explorer"}</h2>
            <p class="muted">{"Any request to the provider's API, sent from this page with the preview's access token."}</p>
            <div class="request-line">
                <div class="attr method">
                    <label for="rest-method">{"Method"}</label>
                    <select id="rest-method" onchange={on_method}>
                        { for METHODS.iter().map(|m| html! { <option value={*m} selected={*m == *method}>{ *m }</option> }) }
                    </select>
                </div>
                { text_input("rest-url", "URL", &url, "http://…/v1/me") }
            </div>
            <fieldset>
                <legend>{"Query (OData)"}</legend>
                <div class="checks spaced">
                    { mode_radio(QueryMode::Fields, "query-fields", "From fields") }
                    { mode_radio(QueryMode::Raw, "query-raw", "Raw") }
                </div>
                if *mode == QueryMode::Fields {
                    <div class="attrs">
                        { od_input("rest-filter", "$filter", odata.filter.clone(), "startswith(first_name,'B')", |o, v| o.filter = v) }
                        { od_input("rest-select", "$select", odata.select.clone(), "id,name", |o, v| o.select = v) }
                        { od_input("rest-orderby", "$orderby", odata.orderby.clone(), "last_name desc", |o, v| o.orderby = v) }
                        { od_input("rest-top", "$top", odata.top.clone(), "10", |o, v| o.top = v) }
                        { od_input("rest-skip", "$skip", odata.skip.clone(), "0", |o, v| o.skip = v) }
                        <div class="attr flag"><label class="check"><input type="checkbox" id="rest-count" checked={odata.count} onchange={on_count} /><code>{"$count=true"}</code></label></div>
                    </div>
                } else {
                    { text_input("rest-raw", "Query string", &raw, "$filter=…&$format=xml") }
                }
            </fieldset>
            <div class="attr">
                <label for="rest-headers">{"Headers (one per line, Name: value)"}</label>
                <textarea id="rest-headers" rows="2" spellcheck="false" value={(*headers).clone()} oninput={on_headers} />
            </div>
            <label class="check"><input type="checkbox" id="rest-token" checked={*with_token} onchange={on_token} />
                {"Send the preview's access token ("}{ if token.is_some() { "signed in" } else { "no session: sign in in the preview" } }{")"}</label>
            if *method != "GET" {
                <div class="attr">
                    <label for="rest-body">{"Body"}</label>
                    <textarea id="rest-body" rows="4" spellcheck="false" value={(*body).clone()} oninput={on_body}
                        placeholder="{\"link\": \"https://example.com\", \"message\": \"hi\"}" />
                </div>
            }
            <div class="actions">
                <button type="button" id="rest-send" onclick={send} disabled={*busy}>{ if *busy { "Sending…" } else { "Send" } }</button>
                <code class="url" id="rest-full-url">{ format!("{} {full_url}", *method) }</code>
            </div>
            <details>
                <summary>{"As curl (for a back end with a stored token)"}</summary>
                <pre class="code small" tabindex="0"><code>{ curl }</code></pre>
            </details>
            <h3>{"Response"}</h3>
            <div id="rest-result" role="status" aria-live="polite">
                { match &*outcome {
                    None => html! { <p class="muted">{"Send the request to see the answer."}</p> },
                    Some(Outcome::Failed(code, msg)) => html! { <p class="error"><strong>{ code.clone() }</strong>{": "}{ msg.clone() }</p> },
                    Some(Outcome::Done(r)) => response(r),
                } }
            </div>
            <p class="muted small">{"From this site the provider allows GET, POST, PUT, PATCH and DELETE with the Authorization, Content-Type, If-Match and If-None-Match headers, and shows you ETag: GET one contact (me/contacts/{id}), then send its ETag as If-Match with a PATCH or DELETE (a stale one answers 412). The browser's CORS check refuses other headers (a back end can send them, see curl)."}</p>
        </div>
    }
}

/// Status, headers and the body, pretty-printed by its content type.
fn response(r: &dom::FetchResult) -> Html {
    let ctype = r
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    let body = if ctype.contains("json") {
        dom::pretty_json_text(&r.body)
    } else if ctype.contains("xml") {
        indent_xml(&r.body)
    } else {
        r.body.clone()
    };
    let ok = (200..300).contains(&r.status.0);
    html! {
        <>
        <p id="rest-status" class={classes!("status-line", if ok { "ok" } else { "bad" })}>
            <strong>{ r.status.0 }</strong>{" "}{ r.status.1.clone() }</p>
        <details>
            <summary>{ format!("Headers ({}, those the provider exposes to this site)", r.headers.len()) }</summary>
            <dl class="headers">{ for r.headers.iter().map(|(k, v)| html! { <><dt>{ k.clone() }</dt><dd>{ v.clone() }</dd></> }) }</dl>
        </details>
        <pre class="code" tabindex="0" aria-label="Response body"><code id="rest-body-out">{ body }</code></pre>
        </>
    }
}

/// `Name: value` lines; blank or colon-less lines are skipped.
fn parse_headers(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}
