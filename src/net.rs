//! `fetch` at the edge: one request, its status, and its body as JSON.

use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use crate::error::Error;
use crate::js;

/// A request body and its content type.
pub struct Body<'a> {
    /// The `Content-Type`.
    pub content_type: &'a str,
    /// The text.
    pub text: String,
}

fn failed(url: &str) -> Error {
    Error::ConnectionFailed(url.to_string())
}

/// Sends one request; `Err(connection_failed)` if the network (or CORS) failed.
pub async fn fetch(
    url: &str,
    method: &str,
    bearer: Option<&str>,
    body: Option<Body<'_>>,
) -> Result<Response, Error> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Object::new();
    js::set(&headers, "Accept", "application/json");
    if let Some(token) = bearer {
        js::set(&headers, "Authorization", ["Bearer ", token].concat());
    }
    if let Some(b) = body {
        js::set(&headers, "Content-Type", b.content_type);
        init.set_body(&JsValue::from_str(&b.text));
    }
    init.set_headers(&headers);
    let p = js::window()?.fetch_with_str_and_init(url, &init);
    let resp = JsFuture::from(p).await.map_err(|_| failed(url))?;
    resp.dyn_into::<Response>().map_err(|_| failed(url))
}

/// The body as JSON (`null` when empty; the text itself when it is not JSON, e.g. XML).
pub async fn body(resp: &Response) -> Result<JsValue, Error> {
    let url = resp.url();
    let p = resp.text().map_err(|_| failed(&url))?;
    let text = JsFuture::from(p).await.map_err(|_| failed(&url))?;
    match text.as_string() {
        Some(t) if t.trim().is_empty() => Ok(JsValue::NULL),
        Some(t) => Ok(js_sys::JSON::parse(&t).unwrap_or(text)),
        None => Err(failed(&url)),
    }
}

/// POSTs a form to `url` and returns the JSON answer; an OAuth `{ error }` answer becomes that
/// error.
pub async fn post_form(url: &str, form: String) -> Result<JsValue, Error> {
    let body = Body {
        content_type: "application/x-www-form-urlencoded",
        text: form,
    };
    let resp = fetch(url, "POST", None, Some(body)).await?;
    let json = body_of(&resp).await?;
    if let Some(e) = js::get_string(&json, "error") {
        return Err(Error::from_oauth(&e));
    }
    if !resp.ok() {
        return Err(failed(url));
    }
    Ok(json)
}

async fn body_of(resp: &Response) -> Result<JsValue, Error> {
    body(resp).await
}

/// GETs JSON.
pub async fn get_json(url: &str) -> Result<JsValue, Error> {
    let resp = fetch(url, "GET", None, None).await?;
    if !resp.ok() {
        return Err(failed(url));
    }
    body(&resp).await
}
