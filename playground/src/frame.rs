//! The preview frame (`/playground/preview.html`): the real loader runs there, configured like
//! the snippet, and the Playground drives it through `window.preview` (same origin).

use crate::error::{Error, js_text};
use serde::{Deserialize, Serialize};
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

/// A message the frame posts to the Playground (`{wl: "preview", type, …}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// The frame has (re)loaded.
    Ready,
    /// Whether the preview has a session now.
    Session {
        /// Signed in or not.
        #[serde(default, rename = "signedIn")]
        signed_in: bool,
    },
    /// A loader or control event, its detail as short JSON.
    Event {
        /// `auth.login`, `wl-error <wl-signin>`, …
        #[serde(default)]
        name: String,
        /// The detail, tokens shortened.
        #[serde(default)]
        detail: String,
    },
}

/// Reads a posted message: `None` unless it is one of the frame's (`wl: "preview"`).
pub fn message(data: JsValue) -> Option<Message> {
    #[derive(Deserialize)]
    struct Envelope {
        wl: Option<String>,
    }
    let envelope: Envelope = serde_wasm_bindgen::from_value(data.clone()).ok()?;
    if envelope.wl.as_deref() != Some("preview") {
        return None;
    }
    serde_wasm_bindgen::from_value(data).ok()
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
    #[derive(Deserialize)]
    struct Session {
        access_token: Option<String>,
    }
    let p = preview(frame).ok()?;
    let f: js_sys::Function = js_sys::Reflect::get(&p, &JsValue::from_str("session"))
        .ok()?
        .dyn_into()
        .ok()?;
    let session = f.call0(&p).ok()?;
    serde_wasm_bindgen::from_value::<Option<Session>>(session)
        .ok()??
        .access_token
}

/// What `WL.api` is called with.
#[derive(Serialize)]
struct ApiArgs<'a> {
    path: &'a str,
    method: &'a str,
    /// The parsed JSON body (absent for `GET`).
    #[serde(
        with = "serde_wasm_bindgen::preserve",
        skip_serializing_if = "JsValue::is_undefined"
    )]
    body: JsValue,
}

/// How the loader rejects: `{code, message}`.
#[derive(Deserialize)]
struct LoaderError {
    code: String,
    #[serde(default)]
    message: String,
}

/// Runs `WL.api` in the frame with its session.
pub async fn api(frame: &NodeRef, req: &ApiRequest) -> Result<JsValue, Error> {
    let body = match &req.body {
        Some(b) => js_sys::JSON::parse(b).map_err(|e| Error::Request(js_text(&e)))?,
        None => JsValue::UNDEFINED,
    };
    let args = ApiArgs {
        path: &req.path,
        method: req.method,
        body,
    };
    let args = args
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::Request(e.to_string()))?;
    // The frame's promise belongs to the frame's realm (`instanceof Promise` is false here);
    // `Promise.resolve` adopts it as a thenable.
    let promise = js_sys::Promise::resolve(&call(frame, "api", &args)?);
    JsFuture::from(promise).await.map_err(|e| {
        match serde_wasm_bindgen::from_value::<LoaderError>(e.clone()) {
            Ok(LoaderError { code, message }) => Error::Api { code, message },
            Err(_) => Error::Api {
                code: "unknown".into(),
                message: js_text(&e),
            },
        }
    })
}
