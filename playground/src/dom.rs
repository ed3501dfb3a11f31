//! The few browser calls the Playground makes outside the preview frame: the URL, the provider
//! origin, the clipboard, `fetch` (through `gloo-net`), the OpenAPI document (serde), and JSON
//! shown to a person.

use crate::error::{Error, js_text};
use gloo_utils::{document, window};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wl_markup::api::OpenApi;

/// The provider origin the site wrote into `<meta name="wl-provider">` (the dev host rewrites
/// the default `http://127.0.0.1:8081` to the real one).
pub fn provider_origin() -> String {
    document()
        .query_selector("meta[name=wl-provider]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .map(|s| s.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| "http://127.0.0.1:8081".to_owned())
}

/// This page's origin (where `wl.js` is served).
pub fn site_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The page's query string (with the `?`, or empty).
pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// Replaces the URL's query without a navigation, so a link reproduces the settings.
pub fn replace_query(query: &str) {
    let w = window();
    let Ok(history) = w.history() else {
        return;
    };
    let url = format!("{}?{query}", w.location().pathname().unwrap_or_default());
    if w.location().search().ok().as_deref() != Some(&format!("?{query}")) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The full URL of this page.
pub fn href() -> String {
    window().location().href().unwrap_or_default()
}

/// Copies text to the clipboard.
pub async fn copy(text: &str) -> Result<(), Error> {
    let promise = window().navigator().clipboard().write_text(text);
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| Error::Clipboard(js_text(&e)))
}

/// `JSON.stringify(value, null, 2)`: an API answer as indented JSON, keys in the order they came.
pub fn pretty_json(value: &JsValue) -> String {
    js_sys::JSON::stringify_with_replacer_and_space(value, &JsValue::NULL, &JsValue::from(2))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "undefined".into())
}

/// Re-indents JSON text; text that is not JSON comes back unchanged.
pub fn pretty_json_text(text: &str) -> String {
    match js_sys::JSON::parse(text) {
        Ok(v) => pretty_json(&v),
        Err(_) => text.to_owned(),
    }
}

/// The provider's OpenAPI document (`{provider}/v1/openapi.json`, public and CORS-enabled).
pub async fn openapi(provider: &str) -> Result<OpenApi, Error> {
    let url = format!("{provider}/v1/openapi.json");
    let resp = gloo_net::http::Request::get(&url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| Error::Fetch(e.to_string()))?;
    if !resp.ok() {
        return Err(Error::Document(format!(
            "{url} answered {} {}",
            resp.status(),
            resp.status_text()
        )));
    }
    let text = resp.text().await.map_err(|e| Error::Fetch(e.to_string()))?;
    let value = js_sys::JSON::parse(&text)
        .map_err(|e| Error::Document(format!("{url}: {}", js_text(&e))))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::Document(format!("{url}: {e}")))
}

/// What came back from [`fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchResult {
    /// The HTTP status and its text.
    pub status: (u16, String),
    /// The response headers the browser lets the page read.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

/// Sends a request with `fetch` and reads the whole answer. The request is built here, not with
/// `gloo-net`'s builder: that one re-writes the URL's query (and panics on a header name the
/// browser refuses), and the REST Explorer sends exactly what was typed.
pub async fn fetch(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<FetchResult, Error> {
    let h = web_sys::Headers::new().map_err(|e| Error::Request(js_text(&e)))?;
    for (k, v) in headers {
        h.append(k, v)
            .map_err(|e| Error::Request(format!("header `{k}`: {}", js_text(&e))))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&h);
    init.set_mode(web_sys::RequestMode::Cors);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init)
        .map_err(|e| Error::Request(js_text(&e)))?;
    let resp = gloo_net::http::Request::from(req)
        .send()
        .await
        .map_err(|e| Error::Fetch(e.to_string()))?;
    let body = resp.text().await.map_err(|e| Error::Fetch(e.to_string()))?;
    Ok(FetchResult {
        status: (resp.status(), resp.status_text()),
        headers: resp.headers().entries().collect(),
        body,
    })
}
