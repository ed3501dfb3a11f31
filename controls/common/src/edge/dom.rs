//! Small DOM helpers shared by the controls: shadow root, constructed style sheets, elements,
//! text, console warnings, DOM events and the 2010 "global handler name" attributes, focus that
//! survives rebuilding a list, the page's storage, address and title.
//!
//! Text is only ever set with `textContent`; nothing here parses HTML.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::edge::cell::Slot;
use crate::edge::js::{
    self, CssStyleSheet, Document, Element, Function, HtmlElement, Node, ShadowRoot, Storage,
};
use crate::warning::Warning;

/// The element's open shadow root, attached now if it has none yet.
pub fn shadow_root(host: &HtmlElement) -> Option<ShadowRoot> {
    host.shadow_root().or_else(|| {
        let init = js::object_of(&[("mode", Some("open"))]);
        host.attach_shadow(&init).ok()
    })
}

thread_local! {
    /// One constructed sheet per CSS text, shared by every instance of a control.
    static SHEETS: Slot<Vec<(usize, CssStyleSheet)>> = const { Slot::new(Vec::new()) };
}

/// Styles the shadow root with `css` through `adoptedStyleSheets`: one constructed sheet shared
/// by every instance of a control, which a strict CSP allows (no `<style>`, no `style=""`).
/// Constructable style sheets are in every evergreen browser (Safari since 16.4).
pub fn adopt_styles(root: &ShadowRoot, css: &'static str) {
    let key = css.as_ptr() as usize;
    let sheet = SHEETS.with(|s| {
        let mut s = s.borrow_mut();
        if let Some((_, sheet)) = s.iter().find(|(k, _)| *k == key) {
            return Some(sheet.clone());
        }
        let sheet = CssStyleSheet::new().ok()?;
        sheet.replace_sync(css).ok()?;
        s.push((key, sheet.clone()));
        Some(sheet)
    });
    if let Some(sheet) = sheet {
        root.set_adopted_style_sheets(&js::array_of1(&sheet));
    }
}

/// Sets or removes an attribute.
pub fn set_attr(e: &Element, name: &str, value: Option<&str>) {
    match value {
        Some(v) => e.set_attribute(name, v),
        None => e.remove_attribute(name),
    }
}

/// Shows or hides an element with the `hidden` attribute (no inline style).
pub fn set_hidden(e: &Element, hidden: bool) {
    set_attr(e, "hidden", hidden.then_some(""));
}

/// Sets text as text: never parsed as HTML.
pub fn set_text(e: &Element, text: &str) {
    e.set_text_content(Some(text));
}

/// `console.warn` of a developer warning.
pub fn warn(tag: &str, w: &Warning) {
    js::warn(&w.message(tag));
}

/// Dispatches a bubbling, composed `CustomEvent` named `name` with `detail` on `target`.
pub fn dispatch(target: &HtmlElement, name: &str, detail: &JsValue) {
    let init = js::object_of(&[]);
    for (k, v) in [
        ("bubbles", &JsValue::TRUE),
        ("composed", &JsValue::TRUE),
        ("detail", detail),
    ] {
        let _ = js::reflect_set(&init, &JsValue::from_str(k), v);
    }
    target.dispatch_event(&js::custom_event(name, &init));
}

/// The window of `node`'s document (`None` for a document without one).
#[inline]
pub fn window_of(node: &Node) -> Option<JsValue> {
    node.owner_document()
        .map(|d| d.default_view())
        .filter(JsValue::is_object)
}

/// Calls the global function named by a 2010 handler attribute (`on-signin="app.signedIn"`,
/// dotted paths allowed) with `arg`. Anything that is not a function is ignored; a throw in the
/// page's handler is caught and reported on the console.
pub fn call_global(host: &HtmlElement, name: &str, arg: &JsValue) {
    let Some(window) = window_of(host) else {
        return;
    };
    let mut this = window;
    let mut target = this.clone();
    for key in name.split('.') {
        if !target.is_object() && !target.is_function() {
            return;
        }
        this = target.clone();
        target = js::reflect_get(&target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    }
    if target.is_function()
        && let Err(e) = target.unchecked_ref::<Function>().call1(&this, arg)
    {
        js::error(&e);
    }
}

/// The language of the nearest `[lang]` ancestor of the element, if any.
pub fn page_lang(host: &HtmlElement) -> Option<String> {
    host.closest("[lang]").and_then(|e| e.get_attribute("lang"))
}

/// Sets text as text, only when it differs (no mutation, so nothing re-announced or re-laid out,
/// when an update changes nothing).
#[inline]
pub fn update_text(e: &Element, text: &str) {
    if e.text_content().as_deref() != Some(text) {
        e.set_text_content(Some(text));
    }
}

/// Empties `container` and refills it with `fill`; if focus was on an element with a
/// `data-key` inside it, the new element with the same key gets focus back (so rebuilding a
/// list under a keyboard user does not throw them out of it).
#[inline]
pub fn rebuild(root: &ShadowRoot, container: &Element, fill: impl FnOnce(&Element)) {
    let focused_key = root
        .active_element()
        .filter(|a| container.contains(a))
        .and_then(|a| a.get_attribute("data-key"));
    container.set_text_content(None);
    fill(container);
    if let Some(key) = focused_key {
        focus_key(container, &key);
    }
}

/// Focuses the element with `data-key="key"` inside `scope`, if any (keys are compared as
/// strings, not put into a selector).
#[inline]
pub fn focus_key(scope: &Element, key: &str) -> bool {
    let list = scope.query_selector_all("[data-key]");
    for i in 0..list.length() {
        if let Some(e) = list.item(i)
            && e.get_attribute("data-key").as_deref() == Some(key)
        {
            e.focus();
            return true;
        }
    }
    false
}

/// The page's `localStorage` (`local`) or `sessionStorage`; `None` where storage is blocked
/// (reading the property throws then).
#[inline]
pub fn storage(doc: &Document, local: bool) -> Option<Storage> {
    let name = if local {
        "localStorage"
    } else {
        "sessionStorage"
    };
    js::reflect_get(&doc.default_view(), &JsValue::from_str(name))
        .ok()
        .filter(JsValue::is_object)
        .map(JsCast::unchecked_into)
}

/// The page's address (`document.location.href`), or empty.
#[inline]
pub fn page_url(doc: &Document) -> String {
    js::get_str(&js::get(doc, "location"), "href").unwrap_or_default()
}

/// The page's title (`document.title`), or empty.
#[inline]
pub fn page_title(doc: &Document) -> String {
    js::get_str(doc, "title").unwrap_or_default()
}
