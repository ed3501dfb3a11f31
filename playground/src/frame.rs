//! The preview frame (`/playground/preview.html`): the real loader runs there, configured like
//! the snippet, and the Playground drives it through `window.preview` (same origin).

use crate::error::{Error, js_text};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlIFrameElement;
use wl_markup::api::ApiRequest;
use wl_markup::snippet::{Element, elements_json};
use wl_markup::state::Background;
use yew::NodeRef;

/// The frame's address for a page scope (a new scope reloads the frame: `WL.init` runs once
/// per page).
pub fn src(page_scope: &str) -> String {
    format!(
        "/playground/preview.html?scope={}",
        wl_markup::percent::encode(page_scope)
    )
}

/// The frame's `window.preview` object.
fn preview(frame: &NodeRef) -> Result<JsValue, Error> {
    let win = frame
        .cast::<HtmlIFrameElement>()
        .and_then(|f| f.content_window())
        .ok_or(Error::FrameNotReady)?;
    let p = js_sys::Reflect::get(&win, &JsValue::from_str("preview"))
        .map_err(|_| Error::FrameNotReady)?;
    if p.is_object() {
        Ok(p)
    } else {
        Err(Error::FrameNotReady)
    }
}

/// Calls `preview[name](arg)`.
fn call(frame: &NodeRef, name: &str, arg: &JsValue) -> Result<JsValue, Error> {
    let p = preview(frame)?;
    let f: js_sys::Function = js_sys::Reflect::get(&p, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(Error::FrameNotReady)?;
    f.call1(&p, arg).map_err(|e| Error::Api {
        code: "preview_failed".into(),
        message: js_text(&e),
    })
}

/// Brings the frame's elements in line with `elements` (attributes changed in place).
pub fn render(frame: &NodeRef, elements: &[Element]) -> Result<(), Error> {
    call(
        frame,
        "render",
        &JsValue::from_str(&elements_json(elements)),
    )
    .map(|_| ())
}

/// Sets the preview page's background.
pub fn background(frame: &NodeRef, bg: Background) -> Result<(), Error> {
    let name = match bg {
        Background::Light => "light",
        Background::Dark => "dark",
    };
    call(frame, "background", &JsValue::from_str(name)).map(|_| ())
}

/// The preview's current access token, if signed in.
pub fn access_token(frame: &NodeRef) -> Option<String> {
    let p = preview(frame).ok()?;
    let f: js_sys::Function = js_sys::Reflect::get(&p, &JsValue::from_str("session"))
        .ok()?
        .dyn_into()
        .ok()?;
    let session = f.call0(&p).ok()?;
    js_sys::Reflect::get(&session, &JsValue::from_str("access_token"))
        .ok()?
        .as_string()
}

/// Runs `WL.api` in the frame with its session.
pub async fn api(frame: &NodeRef, req: &ApiRequest) -> Result<JsValue, Error> {
    let args = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&args, &JsValue::from_str(k), v);
    };
    set("path", &JsValue::from_str(&req.path));
    set("method", &JsValue::from_str(req.method));
    if let Some(body) = &req.body {
        let parsed = js_sys::JSON::parse(body).map_err(|e| Error::Request(js_text(&e)))?;
        set("body", &parsed);
    }
    // The frame's promise belongs to the frame's realm (`instanceof Promise` is false here);
    // `Promise.resolve` adopts it as a thenable.
    let promise = js_sys::Promise::resolve(&call(frame, "api", &args)?);
    JsFuture::from(promise).await.map_err(|e| {
        let get = |k: &str| {
            js_sys::Reflect::get(&e, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string())
        };
        match get("code") {
            Some(code) => Error::Api {
                code,
                message: get("message").unwrap_or_default(),
            },
            None => Error::Api {
                code: "unknown".into(),
                message: js_text(&e),
            },
        }
    })
}
