//! The bar's own DOM helpers, beside the kit's edge (shadow root, style sheets, listener guards,
//! warnings: `wl_controls_common::edge`): elements, text as text, attributes, rebuilding a
//! container without losing focus, time.
//!
//! Text is only ever set with `textContent`; nothing here parses HTML.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

/// Creates `<tag class=…>` (an empty class is left out).
pub fn el(doc: &Document, tag: &str, class: &str) -> Element {
    // `createElement` only fails for invalid names; ours are literals.
    let e = doc.create_element(tag).unwrap_or_else(|_| {
        doc.create_element("div")
            .unwrap_or_else(|_| unreachable_div())
    });
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

#[cold]
fn unreachable_div() -> Element {
    wasm_bindgen::throw_str("wl-bar: createElement failed")
}

/// Creates an element with text content.
pub fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = el(doc, tag, class);
    e.set_text_content(Some(text));
    e
}

/// A `<button type="button">` with a visible label, an action and an optional id.
pub fn button(doc: &Document, class: &str, label: &str, action: &str, id: Option<&str>) -> Element {
    let b = text_el(doc, "button", class, label);
    attr(&b, "type", "button");
    attr(&b, "data-action", action);
    if let Some(id) = id {
        attr(&b, "data-id", id);
    }
    b
}

/// Sets an attribute (failures, which only invalid names cause, are ignored).
pub fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Sets or removes an attribute.
pub fn opt_attr(e: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(v) => e.set_attribute(name, v),
        None => e.remove_attribute(name),
    };
}

/// Shows or hides with the `hidden` attribute (no inline style).
pub fn hidden(e: &Element, hide: bool) {
    opt_attr(e, "hidden", hide.then_some(""));
}

/// Sets text as text (never parsed as HTML).
pub fn set_text(e: &Element, text: &str) {
    if e.text_content().as_deref() != Some(text) {
        e.set_text_content(Some(text));
    }
}

/// Appends a child (ignoring the impossible hierarchy errors of fresh elements).
pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Empties `container` and refills it with `fill`; if focus was on an element with a
/// `data-key` inside it, the new element with the same key gets focus back (so rebuilding a
/// list under a keyboard user does not throw them out of it).
pub fn rebuild(root: &ShadowRoot, container: &Element, fill: impl FnOnce(&Element)) {
    let focused_key = root
        .active_element()
        .filter(|a| container.contains(Some(a)))
        .and_then(|a| a.get_attribute("data-key"));
    container.set_text_content(None);
    fill(container);
    if let Some(key) = focused_key {
        focus_key(container, &key);
    }
}

/// Focuses the element with `data-key="key"` inside `scope`, if any.
pub fn focus_key(scope: &Element, key: &str) -> bool {
    let Ok(list) = scope.query_selector_all("[data-key]") else {
        return false;
    };
    for i in 0..list.length() {
        if let Some(e) = list.get(i).and_then(|n| n.dyn_into::<HtmlElement>().ok())
            && e.get_attribute("data-key").as_deref() == Some(key)
        {
            let _ = e.focus();
            return true;
        }
    }
    false
}

/// Focuses an element if it is an `HtmlElement`.
pub fn focus(e: &Element) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}

/// Milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// A local short time (`14:05`) for an RFC 3339 string, or empty.
pub fn short_time(rfc3339: &str) -> String {
    if rfc3339.is_empty() {
        return String::new();
    }
    let d = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return String::new();
    }
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&opts, &"minute".into(), &"2-digit".into());
    d.to_locale_time_string_with_options("default", &opts)
        .as_string()
        .unwrap_or_default()
}

/// Lower-cases with JavaScript's `toLowerCase` (Unicode-aware, without Rust's tables).
pub fn fold(s: &str) -> String {
    String::from(js_sys::JsString::from(s).to_lower_case())
}
