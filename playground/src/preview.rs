//! The live preview (a same-origin frame running the real loader) with its background and
//! width toggles, and the event log beside it.

use crate::frame;
use crate::store::{Action, LogLine};
use wl_markup::state::{Background, State};
use yew::prelude::*;

/// The preview's inputs.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The settings.
    pub ui: State,
    /// The event log.
    pub log: Vec<LogLine>,
    /// Whether the preview has a session.
    pub signed_in: bool,
    /// The frame element.
    pub frame: NodeRef,
    /// Where toggles go.
    pub dispatch: Callback<Action>,
    /// Shown between the preview and the event log (the snippet).
    #[prop_or_default]
    pub children: Html,
}

/// Preview + event log.
#[function_component(Preview)]
pub fn preview(p: &Props) -> Html {
    let ui = &p.ui;
    let toggle = |label: &'static str, id: &'static str, pressed: bool, action: Action| {
        let d = p.dispatch.clone();
        html! {
            <button type="button" id={id} class="toggle" aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| d.emit(action.clone()))}>{ label }</button>
        }
    };
    let clear = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.emit(Action::ClearLog))
    };
    let src = frame::src(&ui.page_scope);
    html! {
        <aside class="side" aria-label="Preview">
            <div class="card preview-card">
                <div class="card-head">
                    <h2>{"Preview"}</h2>
                    <span class={classes!("pill", p.signed_in.then_some("on"))} id="session-state" role="status">
                        { if p.signed_in { "Signed in" } else { "Signed out" } }
                    </span>
                </div>
                <div class="toolbar">
                    <div class="group" role="group" aria-label="Page background">
                        { toggle("Light", "bg-light", ui.background == Background::Light, Action::Background(Background::Light)) }
                        { toggle("Dark", "bg-dark", ui.background == Background::Dark, Action::Background(Background::Dark)) }
                    </div>
                    <div class="group" role="group" aria-label="Width">
                        { toggle("Desktop", "width-wide", !ui.narrow, Action::Narrow(false)) }
                        { toggle("Phone", "width-narrow", ui.narrow, Action::Narrow(true)) }
                    </div>
                </div>
                <div class={classes!("stage", (ui.background == Background::Dark).then_some("dark"))}>
                    <iframe id="preview" ref={p.frame.clone()} src={src} title="Preview of the control"
                        class={classes!(ui.narrow.then_some("narrow"))}></iframe>
                </div>
                <p class="muted small">{"The real loader against the reference provider: sign in as "}
                    <code>{"alice"}</code>{" / "}<code>{"demo"}</code>{"."}</p>
            </div>
            { p.children.clone() }
            <div class="card events-card">
                <div class="card-head">
                    <h2 id="log-title">{"Events"}</h2>
                    <button type="button" class="secondary" onclick={clear}>{"Clear"}</button>
                </div>
                <ol class="log" id="event-log" aria-labelledby="log-title" aria-live="polite" tabindex="0">
                    if p.log.is_empty() {
                        <li class="muted">{"auth.*, wl.log, wl-login, wl-logout and wl-error appear here."}</li>
                    }
                    { for p.log.iter().rev().map(|l| html! {
                        <li key={l.n}><code class="ev">{ l.name.clone() }</code>{" "}<span class="detail">{ l.detail.clone() }</span></li>
                    }) }
                </ol>
            </div>
        </aside>
    }
}
