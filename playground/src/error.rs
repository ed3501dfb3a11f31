//! The Playground's errors, each with a stable code shown next to its message.

/// Something the Playground could not do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The preview frame has not loaded the loader yet.
    #[error("the preview is still loading; try again in a moment")]
    FrameNotReady,
    /// `WL.api` rejected (`code` is the loader's stable code).
    #[error("{code}: {message}")]
    Api {
        /// The loader's error code (`access_denied`, `insufficient_scope`, …).
        code: String,
        /// Its message.
        message: String,
    },
    /// `fetch` failed before any response (network, CORS).
    #[error(
        "the request failed before any response ({0}); a cross-origin request needs the provider to allow its method and headers"
    )]
    Fetch(String),
    /// The request could not be built (bad URL, method, header).
    #[error("the request is not valid: {0}")]
    Request(String),
    /// The provider's API description (`/v1/openapi.json`) could not be read.
    #[error("could not read the API description: {0}")]
    Document(String),
    /// The API description lacks a call the API Playground offers.
    #[error("{0}")]
    Calls(#[from] wl_markup::api::DocError),
    /// The clipboard refused the copy.
    #[error("could not copy: {0}")]
    Clipboard(String),
}

impl Error {
    /// A stable code for the error.
    pub fn code(&self) -> &str {
        match self {
            Error::FrameNotReady => "frame_not_ready",
            Error::Api { code, .. } => code,
            Error::Fetch(_) => "connection_failed",
            Error::Request(_) => "invalid_request",
            Error::Document(_) | Error::Calls(_) => "api_description_invalid",
            Error::Clipboard(_) => "clipboard_denied",
        }
    }

    /// The message without the code (the code is shown beside it).
    pub fn message(&self) -> String {
        match self {
            Error::Api { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

/// A JavaScript error value as text.
pub fn js_text(v: &wasm_bindgen::JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .filter(|s| s != "{}")
        .unwrap_or_else(|| format!("{v:?}"))
}
