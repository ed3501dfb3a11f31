//! The page: header, tool tabs, and the preview beside every tool.

use crate::store::{Action, Store};
use crate::{api_view, dom, editor, frame, preview, rest_view, snippet_view};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use wl_markup::snippet::{self, Page};
use wl_markup::state::Tab;
use yew::prelude::*;

/// Links to the rest of the dev host.
const NAV: &[(&str, &str)] = &[
    ("/demo/", "Demo site"),
    ("/demo/themes.html", "Every theme"),
    ("/demo/legacy.html", "2010 markup"),
];

/// The Playground.
#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| Store::from_query(&dom::query()));
    let frame_ref = use_node_ref();
    let page = use_memo((), |_| Page {
        site: dom::site_origin(),
        provider: dom::provider_origin(),
        client_id: "wl-demo".into(),
    });
    let dispatch = {
        let d = store.dispatcher();
        Callback::from(move |a: Action| d.dispatch(a))
    };

    // Settings → URL.
    {
        let query = store.ui.to_query();
        use_effect_with(query, |q| dom::replace_query(q));
    }
    // Settings → preview (attributes changed in place, after every frame load too).
    {
        let elements = snippet::elements(&store.ui);
        let deps = (elements, store.frame_loads, store.ui.background);
        let frame_ref = frame_ref.clone();
        use_effect_with(deps, move |(elements, _, bg)| {
            // Before the frame is ready this fails; its `ready` message renders again.
            let _ = frame::render(&frame_ref, elements);
            let _ = frame::background(&frame_ref, *bg);
        });
    }
    // Messages from the preview frame (same origin, that frame only).
    {
        let d = store.dispatcher();
        let frame_ref = frame_ref.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo_utils::window(), "message", move |e| {
                if let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() {
                    on_message(e, &frame_ref, &d);
                }
            });
            move || drop(listener)
        });
    }

    let tab = store.ui.tab;
    let tabs = Tab::ALL.iter().map(|&t| {
        let d = dispatch.clone();
        let selected = t == tab;
        html! {
            <button type="button" role="tab" id={format!("tab-{}", t.key())}
                aria-selected={selected.to_string()} aria-controls={format!("panel-{}", t.key())}
                tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_| d.emit(Action::Tab(t)))}
                onkeydown={tab_keys(t, dispatch.clone())}>
                { t.label() }
            </button>
        }
    });
    let panel = |t: Tab, body: Html| {
        html! {
            <section role="tabpanel" id={format!("panel-{}", t.key())}
                aria-labelledby={format!("tab-{}", t.key())} hidden={t != tab} class="panel">
                { body }
            </section>
        }
    };

    html! {
        <>
        <header class="top">
            <h1 class="brand">
                <span class="logo" aria-hidden="true"></span>
                <span><strong>{"wl-connect"}</strong>{" Playground"}</span>
            </h1>
            <div role="tablist" aria-label="Tools" class="tabs">{ for tabs }</div>
            <nav aria-label="More" class="links">
                { for NAV.iter().map(|(href, label)| html! { <a href={*href}>{ *label }</a> }) }
                <a href={format!("{}/consent", page.provider)}>{"Connected apps"}</a>
            </nav>
        </header>
        <main class="layout">
            <div class="tool">
                { panel(Tab::Controls, html! {
                    <>
                    <editor::Editor ui={store.ui.clone()} dispatch={dispatch.clone()} />
                    <snippet_view::SetupView ui={store.ui.clone()} page={(*page).clone()} dispatch={dispatch.clone()} />
                    </>
                }) }
                { panel(Tab::Api, html! {
                    <api_view::ApiView frame={frame_ref.clone()} signed_in={store.signed_in}
                        page_scope={store.ui.page_scope.clone()} provider={page.provider.clone()}
                        dispatch={dispatch.clone()} />
                }) }
                { panel(Tab::Rest, html! {
                    <rest_view::RestView frame={frame_ref.clone()} signed_in={store.signed_in}
                        provider={page.provider.clone()} />
                }) }
            </div>
            <preview::Preview ui={store.ui.clone()} log={store.log.clone()} signed_in={store.signed_in}
                frame={frame_ref.clone()} dispatch={dispatch.clone()}>
                if tab == Tab::Controls {
                    <snippet_view::SnippetView ui={store.ui.clone()} page={(*page).clone()} dispatch={dispatch.clone()} />
                }
            </preview::Preview>
        </main>
        </>
    }
}

/// Arrow keys move between tabs (the ARIA tabs pattern).
fn tab_keys(current: Tab, dispatch: Callback<Action>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let i = Tab::ALL.iter().position(|t| *t == current).unwrap_or(0);
        let n = Tab::ALL.len();
        let next = match e.key().as_str() {
            "ArrowRight" => (i + 1) % n,
            "ArrowLeft" => (i + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        e.prevent_default();
        let t = Tab::ALL[next];
        dispatch.emit(Action::Tab(t));
        if let Some(el) = gloo_utils::document()
            .get_element_by_id(&format!("tab-{}", t.key()))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    })
}

/// Handles one message from the preview frame.
fn on_message(e: &web_sys::MessageEvent, frame_ref: &NodeRef, d: &UseReducerDispatcher<Store>) {
    if e.origin() != dom::site_origin() {
        return;
    }
    let from_frame = frame_ref
        .cast::<web_sys::HtmlIFrameElement>()
        .and_then(|f| f.content_window())
        .zip(e.source())
        .is_some_and(|(w, s)| js_sys::Object::is(&w, &s));
    if !from_frame {
        return;
    }
    match frame::message(e.data()) {
        Some(frame::Message::Ready) => d.dispatch(Action::FrameReady),
        Some(frame::Message::Session { signed_in }) => d.dispatch(Action::Session(signed_in)),
        Some(frame::Message::Event { name, detail }) => d.dispatch(Action::Event(name, detail)),
        None => {}
    }
}
