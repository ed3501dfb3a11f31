//! The browser built-ins the controls call, declared here rather than taken from `web-sys` and
//! `js-sys`: `web-sys` depends on `js-sys`, whose futures runtime and per-signature closure shims
//! end up in the module whatever the controls use (the core does the same, `src/js.rs`).
//!
//! Names and signatures follow `web-sys`, so the code reads the same. Everything that can throw
//! with what the controls pass is declared `catch`: a control never lets a DOM exception unwind
//! through the wasm. Calls that cannot throw here are not (each `catch` costs wasm and glue):
//! `addEventListener`/`removeEventListener` with a function, `dispatchEvent` of a new event,
//! `appendChild` of a new node into our own tree, `createElement(NS)` and `setAttribute` with the
//! controls' constant names, `removeAttribute`, `closest` and `querySelectorAll` with a constant
//! selector, `new CustomEvent`, `focus`, `Storage`'s `getItem`/`removeItem` on a storage already
//! reached (reaching it can throw: [`crate::edge::dom::storage`] uses `Reflect.get`).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `EventTarget`.
    #[derive(Clone, Debug)]
    pub type EventTarget;
    /// `target.addEventListener(name, f)`.
    #[wasm_bindgen(method, js_name = addEventListener)]
    pub fn add_event_listener_with_callback(this: &EventTarget, name: &str, f: &JsValue);
    /// `target.removeEventListener(name, f)`.
    #[wasm_bindgen(method, js_name = removeEventListener)]
    pub fn remove_event_listener_with_callback(this: &EventTarget, name: &str, f: &JsValue);
    /// `target.dispatchEvent(event)`.
    #[wasm_bindgen(method, js_name = dispatchEvent)]
    pub fn dispatch_event(this: &EventTarget, event: &JsValue) -> bool;

    /// `Node`.
    #[wasm_bindgen(extends = EventTarget)]
    #[derive(Clone, Debug)]
    pub type Node;
    /// `node.appendChild(child)`.
    #[wasm_bindgen(method, js_name = appendChild)]
    pub fn append_child(this: &Node, child: &Node) -> Node;
    /// `node.textContent = text` (`None`: removes every child).
    #[wasm_bindgen(method, setter = textContent)]
    pub fn set_text_content(this: &Node, text: Option<&str>);
    /// `node.textContent`.
    #[wasm_bindgen(method, getter = textContent)]
    pub fn text_content(this: &Node) -> Option<String>;
    /// `node.contains(other)`.
    #[wasm_bindgen(method)]
    pub fn contains(this: &Node, other: &Node) -> bool;
    /// `node.ownerDocument`.
    #[wasm_bindgen(method, getter = ownerDocument)]
    pub fn owner_document(this: &Node) -> Option<Document>;

    /// `Document`.
    #[wasm_bindgen(extends = Node, extends = EventTarget)]
    #[derive(Clone, Debug)]
    pub type Document;
    /// `document.createElement(tag)`.
    #[wasm_bindgen(method, js_name = createElement)]
    pub fn create_element(this: &Document, tag: &str) -> Element;
    /// `document.createElementNS(ns, tag)`.
    #[wasm_bindgen(method, js_name = createElementNS)]
    pub fn create_element_ns(this: &Document, ns: Option<&str>, tag: &str) -> Element;
    /// `document.createTextNode(text)`.
    #[wasm_bindgen(method, js_name = createTextNode)]
    pub fn create_text_node(this: &Document, text: &str) -> Node;
    /// `document.defaultView` (the window, or `null`).
    #[wasm_bindgen(method, getter = defaultView)]
    pub fn default_view(this: &Document) -> JsValue;

    /// `Element`.
    #[wasm_bindgen(extends = Node, extends = EventTarget)]
    #[derive(Clone, Debug)]
    pub type Element;
    /// `element.getAttribute(name)`.
    #[wasm_bindgen(method, js_name = getAttribute)]
    pub fn get_attribute(this: &Element, name: &str) -> Option<String>;
    /// `element.setAttribute(name, value)`.
    #[wasm_bindgen(method, js_name = setAttribute)]
    pub fn set_attribute(this: &Element, name: &str, value: &str);
    /// `element.removeAttribute(name)`.
    #[wasm_bindgen(method, js_name = removeAttribute)]
    pub fn remove_attribute(this: &Element, name: &str);
    /// `element.closest(selector)`.
    #[wasm_bindgen(method)]
    pub fn closest(this: &Element, selector: &str) -> Option<Element>;
    /// `element.shadowRoot` (open roots only).
    #[wasm_bindgen(method, getter = shadowRoot)]
    pub fn shadow_root(this: &Element) -> Option<ShadowRoot>;
    /// `element.attachShadow(init)`.
    #[wasm_bindgen(method, catch, js_name = attachShadow)]
    pub fn attach_shadow(this: &Element, init: &JsValue) -> Result<ShadowRoot, JsValue>;

    /// `element.remove()`.
    #[wasm_bindgen(method)]
    pub fn remove(this: &Element);
    /// `element.querySelectorAll(selector)` (a constant selector).
    #[wasm_bindgen(method, js_name = querySelectorAll)]
    pub fn query_selector_all(this: &Element, selector: &str) -> NodeList;
    /// `element.focus()` (HTML elements only).
    #[wasm_bindgen(method)]
    pub fn focus(this: &Element);
    /// `element.scrollTop`.
    #[wasm_bindgen(method, getter = scrollTop)]
    pub fn scroll_top(this: &Element) -> f64;
    /// `element.scrollTop = px`.
    #[wasm_bindgen(method, setter = scrollTop)]
    pub fn set_scroll_top(this: &Element, px: f64);
    /// `element.scrollHeight`.
    #[wasm_bindgen(method, getter = scrollHeight)]
    pub fn scroll_height(this: &Element) -> f64;
    /// `field.value` of an `<input>`, `<select>` or `<textarea>`.
    #[wasm_bindgen(method, getter)]
    pub fn value(this: &Element) -> String;
    /// `field.value = v` of an `<input>`, `<select>` or `<textarea>`.
    #[wasm_bindgen(method, setter)]
    pub fn set_value(this: &Element, v: &str);
    /// `input.checked`.
    #[wasm_bindgen(method, getter)]
    pub fn checked(this: &Element) -> bool;
    /// `input.checked = on`.
    #[wasm_bindgen(method, setter)]
    pub fn set_checked(this: &Element, on: bool);

    /// `NodeList`.
    pub type NodeList;
    /// `list.length`.
    #[wasm_bindgen(method, getter)]
    pub fn length(this: &NodeList) -> u32;
    /// `list.item(i)`.
    #[wasm_bindgen(method)]
    pub fn item(this: &NodeList, i: u32) -> Option<Element>;

    /// `HTMLElement`: the custom element the bootstrap hands to a control.
    #[wasm_bindgen(extends = Element, extends = Node, extends = EventTarget)]
    #[derive(Clone, Debug)]
    pub type HtmlElement;

    /// `ShadowRoot`.
    #[wasm_bindgen(extends = Node, extends = EventTarget)]
    #[derive(Clone, Debug)]
    pub type ShadowRoot;
    /// `root.activeElement`: the focused element inside the root, if any.
    #[wasm_bindgen(method, getter = activeElement)]
    pub fn active_element(this: &ShadowRoot) -> Option<Element>;
    /// `root.adoptedStyleSheets = sheets` (an array).
    #[wasm_bindgen(method, setter = adoptedStyleSheets)]
    pub fn set_adopted_style_sheets(this: &ShadowRoot, sheets: &JsValue);
    /// `root.querySelector(selector)` (a constant selector).
    #[wasm_bindgen(method, js_name = querySelector)]
    pub fn query_selector(this: &ShadowRoot, selector: &str) -> Option<Element>;

    /// `Event`.
    pub type Event;
    /// `event.target`.
    #[wasm_bindgen(method, getter)]
    pub fn target(this: &Event) -> JsValue;
    /// `event.preventDefault()`.
    #[wasm_bindgen(method, js_name = preventDefault)]
    pub fn prevent_default(this: &Event);

    /// `WebSocket`.
    #[wasm_bindgen(extends = EventTarget)]
    #[derive(Clone, Debug)]
    pub type WebSocket;
    /// `new WebSocket(url)` (throws for a URL the browser refuses).
    #[wasm_bindgen(constructor, catch, js_class = "WebSocket")]
    pub fn new(url: &str) -> Result<WebSocket, JsValue>;
    /// `socket.readyState` (1: open).
    #[wasm_bindgen(method, getter = readyState)]
    pub fn ready_state(this: &WebSocket) -> u16;
    /// `socket.send(text)`.
    #[wasm_bindgen(method, catch, js_name = send)]
    pub fn send_with_str(this: &WebSocket, text: &str) -> Result<(), JsValue>;
    /// `socket.close(code)`.
    #[wasm_bindgen(method, catch, js_name = close)]
    pub fn close_with_code(this: &WebSocket, code: u16) -> Result<(), JsValue>;

    /// `Storage` (`localStorage`, `sessionStorage`).
    pub type Storage;
    /// `storage.getItem(key)`.
    #[wasm_bindgen(method, js_name = getItem)]
    pub fn get_item(this: &Storage, key: &str) -> Option<String>;
    /// `storage.setItem(key, value)` (throws when the quota is exceeded).
    #[wasm_bindgen(method, catch, js_name = setItem)]
    pub fn set_item(this: &Storage, key: &str, value: &str) -> Result<(), JsValue>;
    /// `storage.removeItem(key)`.
    #[wasm_bindgen(method, js_name = removeItem)]
    pub fn remove_item(this: &Storage, key: &str);

    /// `Date`.
    #[wasm_bindgen(js_name = Date)]
    pub type JsDate;
    /// `new Date(text)`.
    #[wasm_bindgen(constructor, js_class = "Date")]
    pub fn new(text: &str) -> JsDate;
    /// `date.getTime()` (`NaN` for an invalid date).
    #[wasm_bindgen(method, js_name = getTime)]
    pub fn get_time(this: &JsDate) -> f64;
    /// `date.toLocaleTimeString(locale, options)`.
    #[wasm_bindgen(method, js_name = toLocaleTimeString)]
    pub fn to_locale_time_string(this: &JsDate, locale: &str, options: &JsValue) -> String;
    /// `Date.now()`.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `Array`.
    #[wasm_bindgen(js_name = Array)]
    pub type JsArray;
    /// `new Array()`.
    #[wasm_bindgen(constructor, js_class = "Array")]
    pub fn new() -> JsArray;
    /// `array.push(item)`.
    #[wasm_bindgen(method)]
    pub fn push(this: &JsArray, item: &JsValue) -> u32;
    /// `Array.isArray(v)`.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    pub fn is_array(v: &JsValue) -> bool;

    /// A string, for its methods.
    #[wasm_bindgen(js_name = String)]
    type JsStr;
    #[wasm_bindgen(method, js_name = toLowerCase)]
    fn to_lower_case(this: &JsStr) -> String;

    /// `Math.random()`.
    #[wasm_bindgen(js_namespace = Math)]
    pub fn random() -> f64;
    /// `JSON.stringify(v)` (throws for cycles and BigInts; `undefined` for functions).
    #[wasm_bindgen(js_namespace = JSON, catch)]
    pub fn stringify(v: &JsValue) -> Result<JsValue, JsValue>;

    /// `CSSStyleSheet` (constructed).
    #[wasm_bindgen(js_name = CSSStyleSheet)]
    #[derive(Clone, Debug)]
    pub type CssStyleSheet;
    /// `new CSSStyleSheet()`.
    #[wasm_bindgen(constructor, catch, js_class = "CSSStyleSheet")]
    pub fn new() -> Result<CssStyleSheet, JsValue>;
    /// `sheet.replaceSync(css)`.
    #[wasm_bindgen(method, catch, js_name = replaceSync)]
    pub fn replace_sync(this: &CssStyleSheet, css: &str) -> Result<(), JsValue>;

    /// `new CustomEvent(name, init)`.
    #[wasm_bindgen(js_name = CustomEvent)]
    type CustomEvent;
    #[wasm_bindgen(constructor, js_class = "CustomEvent")]
    fn new_custom_event(name: &str, init: &JsValue) -> CustomEvent;

    /// A function, called with `Function.prototype.call`.
    pub type Function;
    /// `f.call(this_arg, arg)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call1(this: &Function, this_arg: &JsValue, arg: &JsValue) -> Result<JsValue, JsValue>;

    /// `new Object()`.
    #[wasm_bindgen(js_name = Object)]
    fn new_object() -> JsValue;
    /// `Array.of(item)`.
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    pub fn array_of1(item: &JsValue) -> JsValue;
    /// `Reflect.get(target, key)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// `Reflect.set(target, key, value)`, on an object the control made (it throws only when
    /// `target` is not an object; not `catch`).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> bool;

    /// `setTimeout(f, ms)`: the timer's id.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(f: &JsValue, ms: i32) -> i32;
    /// `clearTimeout(id)`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: i32);

    /// `console.warn(message)`.
    #[wasm_bindgen(js_namespace = console)]
    pub fn warn(message: &str);
    /// `console.error(value)`.
    #[wasm_bindgen(js_namespace = console)]
    pub fn error(value: &JsValue);
}

/// A plain object `{ key: value, … }` from string pairs (absent values are left out).
pub fn object_of(pairs: &[(&str, Option<&str>)]) -> JsValue {
    let o = object();
    for (k, v) in pairs {
        if let Some(v) = v {
            let _ = reflect_set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
        }
    }
    o
}

/// A property of a JS value, or `undefined`.
pub fn get(v: &JsValue, key: &str) -> JsValue {
    if v.is_object() {
        reflect_get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A string property of a JS value.
pub fn get_str(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// A new empty object.
pub fn object() -> JsValue {
    new_object()
}

/// `new CustomEvent(name, init)` as a plain value for [`EventTarget::dispatch_event`].
pub fn custom_event(name: &str, init: &JsValue) -> JsValue {
    CustomEvent::new_custom_event(name, init).into()
}

/// Lower-cases with JavaScript's `toLowerCase` (Unicode-aware, without Rust's tables).
#[inline]
pub fn lower_case(s: &str) -> String {
    JsValue::from_str(s)
        .unchecked_into::<JsStr>()
        .to_lower_case()
}

/// Property `index` of an array-like value, or `undefined`.
#[inline]
pub fn at(v: &JsValue, index: u32) -> JsValue {
    reflect_get(v, &JsValue::from(index)).unwrap_or(JsValue::UNDEFINED)
}
