//! The control picker, the page's scopes and an editor for every attribute of the chosen control.

use crate::store::Action;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use wl_markup::catalogue::{self, Attr, Kind, SCOPES};
use wl_markup::state::{State, toggle_scope};
use yew::prelude::*;

/// The editor's inputs.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The settings.
    pub ui: State,
    /// Where edits go.
    pub dispatch: Callback<Action>,
}

/// Picker + attribute editor.
#[function_component(Editor)]
pub fn editor(p: &Props) -> Html {
    let ui = &p.ui;
    let control = ui.control;
    let picker = catalogue::CONTROLS.iter().map(|c| {
        let d = p.dispatch.clone();
        let tag = c.tag;
        let checked = c.tag == control.tag;
        html! {
            <label class={classes!("pick", checked.then_some("checked"))}>
                <input type="radio" name="control" value={c.tag} checked={checked}
                    onchange={Callback::from(move |_| d.emit(Action::Choose(tag.to_owned())))} />
                <span class="pick-title">{ c.title }</span>
                <code>{ format!("<{}>", c.tag) }</code>
            </label>
        }
    });
    let page_scopes = SCOPES.iter().map(|(name, what)| {
        let on = ui.page_scope.split(' ').any(|w| w == *name);
        let d = p.dispatch.clone();
        let current = ui.page_scope.clone();
        let name = *name;
        html! {
            <label class="check">
                <input type="checkbox" id={format!("page-scope-{name}")} checked={on}
                    onchange={Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        d.emit(Action::SetPageScope(toggle_scope(&current, name, on)));
                    })} />
                <code>{ name }</code><span class="muted">{ format!(" {what}") }</span>
            </label>
        }
    });
    let reset = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.emit(Action::ResetControl))
    };
    html! {
        <div class="card">
            <fieldset class="picker">
                <legend>{"Control"}</legend>
                <div class="picks">{ for picker }</div>
                <p class="muted summary">{ control.summary }</p>
            </fieldset>
            <fieldset>
                <legend>{ format!("<{}> attributes", control.tag) }</legend>
                <div class="attrs">
                    { for control.attrs.iter().map(|a| attr_editor(a, ui.value(a.name), &p.dispatch)) }
                </div>
                <button type="button" class="secondary" onclick={reset}>{"Reset to defaults"}</button>
            </fieldset>
            <details class="page-scope">
                <summary>{ format!("Page scopes (data-scope: {})", ui.page_scope) }</summary>
                <p class="muted">{"What the script tag asks for at sign-in. Changing it reloads the preview (the loader is configured once per page)."}</p>
                <div class="checks">{ for page_scopes }</div>
            </details>
        </div>
    }
}

/// One attribute: a labelled input suited to its kind, its help and default.
fn attr_editor(a: &'static Attr, value: &str, dispatch: &Callback<Action>) -> Html {
    let id = format!("attr-{}", a.name);
    let help_id = format!("help-{}", a.name);
    let name = a.name;
    let input = match a.kind {
        Kind::Choice { values, default } => {
            let d = dispatch.clone();
            let current = if value.is_empty() { default } else { value };
            html! {
                <select id={id.clone()} aria-describedby={help_id.clone()}
                    onchange={Callback::from(move |e: Event| {
                        d.emit(Action::SetAttr(name, e.target_unchecked_into::<HtmlSelectElement>().value()));
                    })}>
                    { for values.iter().map(|v| {
                        let label = match (v.is_empty(), *v == default) {
                            (true, _) => "(page language)".to_owned(),
                            (false, true) => format!("{v} (default)"),
                            (false, false) => (*v).to_owned(),
                        };
                        html! { <option value={*v} selected={*v == current}>{ label }</option> }
                    }) }
                </select>
            }
        }
        Kind::Text { placeholder } => {
            let d = dispatch.clone();
            html! {
                <input type="text" id={id.clone()} aria-describedby={help_id.clone()} value={value.to_owned()}
                    placeholder={placeholder} spellcheck="false" autocomplete="off"
                    oninput={Callback::from(move |e: InputEvent| {
                        d.emit(Action::SetAttr(name, e.target_unchecked_into::<HtmlInputElement>().value()));
                    })} />
            }
        }
        Kind::Flag { default } => {
            let d = dispatch.clone();
            let on = match value {
                "true" => true,
                "false" => false,
                _ => default,
            };
            return html! {
                <div class="attr flag">
                    <label class="check" for={id.clone()}>
                        <input type="checkbox" id={id.clone()} aria-describedby={help_id.clone()} checked={on}
                            onchange={Callback::from(move |e: Event| {
                                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                                d.emit(Action::SetAttr(name, on.to_string()));
                            })} />
                        <code>{ name }</code>
                    </label>
                    <p class="help" id={help_id}>{ a.help }{ format!(" Default: {}.", if default { "on" } else { "off" }) }</p>
                </div>
            };
        }
        Kind::Scopes => {
            let boxes = SCOPES.iter().map(|(s, _)| {
                let d = dispatch.clone();
                let current = value.to_owned();
                let s = *s;
                let on = current.split(' ').any(|w| w == s);
                html! {
                    <label class="check">
                        <input type="checkbox" id={format!("attr-scope-{s}")} checked={on}
                            onchange={Callback::from(move |e: Event| {
                                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                                d.emit(Action::SetAttr(name, toggle_scope(&current, s, on)));
                            })} />
                        <code>{ s }</code>
                    </label>
                }
            });
            return html! {
                <fieldset class="attr scopes" aria-describedby={help_id.clone()}>
                    <legend><code>{ name }</code></legend>
                    <div class="checks">{ for boxes }</div>
                    <p class="help" id={help_id}>{ a.help }{" Default: none."}</p>
                </fieldset>
            };
        }
    };
    let default_note = match a.kind {
        Kind::Text { .. } => " Default: none.".to_owned(),
        _ => String::new(),
    };
    html! {
        <div class="attr">
            <label for={id}><code>{ name }</code></label>
            { input }
            <p class="help" id={help_id}>{ a.help }{ default_note }</p>
        </div>
    }
}
