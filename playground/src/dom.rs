//! The few browser calls the Playground makes outside the preview frame: the URL, the provider
//! origin, the clipboard, `fetch`.

use crate::error::{Error, js_text};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The provider origin the site wrote into `<meta name="wl-provider">` (the dev host rewrites
/// the default `http://127.0.0.1:8081` to the real one).
pub fn provider_origin() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=wl-provider]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .map(|s| s.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| "http://127.0.0.1:8081".to_owned())
}

/// This page's origin (where `wl.js` is served).
pub fn site_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The page's query string (with the `?`, or empty).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Replaces the URL's query without a navigation, so a link reproduces the settings.
pub fn replace_query(query: &str) {
    let Some(w) = web_sys::window() else {
        return;
    };
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
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Copies text to the clipboard.
pub async fn copy(text: &str) -> Result<(), Error> {
    let w = web_sys::window().ok_or_else(|| Error::Clipboard("no window".into()))?;
    let promise = w.navigator().clipboard().write_text(text);
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| Error::Clipboard(js_text(&e)))
}

/// `JSON.stringify(value, null, 2)`.
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

/// Sends a request with `fetch` and reads the whole answer.
pub async fn fetch(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<FetchResult, Error> {
    let w = web_sys::window().ok_or_else(|| Error::Request("no window".into()))?;
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
    let resp: web_sys::Response = JsFuture::from(w.fetch_with_request(&req))
        .await
        .map_err(|e| Error::Fetch(js_text(&e)))?
        .dyn_into()
        .map_err(|e| Error::Fetch(js_text(&e)))?;
    let mut out_headers = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for pair in iter.flatten() {
            let pair = js_sys::Array::from(&pair);
            out_headers.push((
                pair.get(0).as_string().unwrap_or_default(),
                pair.get(1).as_string().unwrap_or_default(),
            ));
        }
    }
    let text = resp.text().map_err(|e| Error::Fetch(js_text(&e)))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|e| Error::Fetch(js_text(&e)))?
        .as_string()
        .unwrap_or_default();
    Ok(FetchResult {
        status: (resp.status(), resp.status_text()),
        headers: out_headers,
        body,
    })
}
