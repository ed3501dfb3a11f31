//! Response formats of the `/v1` APIs: `$format=json` (the default) or `$format=xml`, else
//! `Accept` negotiation.
//!
//! - An explicit `$format` wins (`json` or `xml` in any case: `$format=XML` too); any other value (or the option given twice)
//!   is a 400 `request_parameter_invalid`, answered in JSON before the request reaches its
//!   handler (so nothing is created by a `POST` with a bad `$format`).
//! - Without `$format`, `Accept` decides: XML when `application/xml` or `text/xml` has a
//!   higher quality than `application/json` (wildcards count for both); JSON on a tie, so
//!   `*/*` and no `Accept` at all give JSON.
//! - The layer renders every JSON answer of the wrapped routes, errors included, as XML with
//!   [`super::xml::to_xml`]; redirects, images and other bodies pass unchanged. Every answer
//!   gets `Vary: Accept`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// Largest JSON body the layer re-renders as XML.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// The format of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json` (the default).
    Json,
    /// `application/xml`.
    Xml,
}

impl Format {
    /// The format a request asks for, from its query (`$format`) and headers (`Accept`).
    pub fn of_request(query: Option<&str>, headers: &HeaderMap) -> Result<Self, ApiError> {
        let mut explicit = None;
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if k != "$format" {
                continue;
            }
            if explicit.is_some() {
                return Err(invalid("the option is given more than once".into()));
            }
            // Any case: the 2010 documentation writes `$format=XML` and `$format=JSON`.
            let value = v.trim();
            explicit = Some(match value.to_ascii_lowercase().as_str() {
                "json" => Self::Json,
                "xml" => Self::Xml,
                _ => {
                    let other = value;
                    return Err(invalid(format!(
                        "expected 'json' or 'xml', found '{other}'"
                    )));
                }
            });
        }
        if let Some(f) = explicit {
            return Ok(f);
        }
        let accept = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Ok(from_accept(&accept))
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::ParameterInvalid {
        parameter: "$format",
        message,
    }
}

/// The format an `Accept` header prefers (JSON unless XML is strictly preferred).
pub fn from_accept(accept: &str) -> Format {
    let mut json_q = 0.0_f32;
    let mut xml_q = 0.0_f32;
    let mut any = false;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        any = true;
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        let (for_json, for_xml) = match media.as_str() {
            "application/json" => (true, false),
            "application/xml" | "text/xml" => (false, true),
            "*/*" | "application/*" => (true, true),
            "text/*" => (false, true),
            _ => (false, false),
        };
        if for_json {
            json_q = json_q.max(q);
        }
        if for_xml {
            xml_q = xml_q.max(q);
        }
    }
    if any && xml_q > json_q {
        Format::Xml
    } else {
        Format::Json
    }
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The `/v1` layer: rejects a bad `$format`, and renders JSON answers as XML when asked.
pub async fn negotiate(req: Request, next: Next) -> Response {
    let format = match Format::of_request(req.uri().query(), req.headers()) {
        Ok(f) => f,
        Err(e) => return with_vary(e.into_response()),
    };
    let res = next.run(req).await;
    if format == Format::Json || !is_json(&res) {
        return with_vary(res);
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::App(crate::error::AppError::Internal(format!(
                "reading a JSON answer to render as XML: {e}"
            )))
            .into_response();
        }
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return ApiError::App(crate::error::AppError::Internal(format!(
                "a JSON answer that is not JSON: {e}"
            )))
            .into_response();
        }
    };
    let xml = super::xml::to_xml(&value);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    with_vary(Response::from_parts(parts, Body::from(xml)))
}

fn with_vary(mut res: Response) -> Response {
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert_eq!(from_accept(""), Format::Json);
        assert_eq!(from_accept("*/*"), Format::Json);
        assert_eq!(from_accept("application/json"), Format::Json);
        assert_eq!(from_accept("application/xml"), Format::Xml);
        assert_eq!(from_accept("text/xml"), Format::Xml);
        assert_eq!(from_accept("Application/XML; charset=utf-8"), Format::Xml);
        assert_eq!(
            from_accept("application/json;q=0.5, application/xml"),
            Format::Xml
        );
        assert_eq!(
            from_accept("application/xml;q=0.5, application/json"),
            Format::Json
        );
        assert_eq!(
            from_accept("application/xml, application/json"),
            Format::Json
        );
        assert_eq!(
            from_accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Format::Xml
        );
        assert_eq!(from_accept("text/html"), Format::Json);
        assert_eq!(from_accept("application/xml;q=0"), Format::Json);
    }

    #[test]
    fn explicit_format_wins_and_is_checked() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_static("application/xml"));
        assert_eq!(
            Format::of_request(Some("$format=json"), &h).unwrap(),
            Format::Json
        );
        assert_eq!(Format::of_request(None, &h).unwrap(), Format::Xml);
        assert_eq!(
            Format::of_request(Some("%24format=xml"), &HeaderMap::new()).unwrap(),
            Format::Xml
        );
        // Any case, as the 2010 documentation writes them.
        for (q, f) in [
            ("$format=XML", Format::Xml),
            ("$format=Xml", Format::Xml),
            ("$format=JSON", Format::Json),
            ("$format=jSoN", Format::Json),
        ] {
            assert_eq!(Format::of_request(Some(q), &h).unwrap(), f, "{q}");
        }
        assert!(Format::of_request(Some("$format=XMLS"), &h).is_err());
        let e = Format::of_request(Some("$format=atom"), &h).unwrap_err();
        assert_eq!(e.code(), "request_parameter_invalid");
        assert_eq!(
            e.to_string(),
            "$format: expected 'json' or 'xml', found 'atom'"
        );
        assert!(Format::of_request(Some("$format=xml&$format=xml"), &h).is_err());
    }
}
