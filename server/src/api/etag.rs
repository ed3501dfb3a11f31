//! Entity tags of the single-item `/v1` resources (`/v1/me/contacts/{id}`,
//! `/v1/me/activities/{id}`) and the preconditions that use them.
//!
//! - The tag is **strong**: the hex of a SHA-256 over the item's stored state (see
//!   [`crate::store::contacts::version_tag`] and [`crate::store::activities::version_tag`]),
//!   so it changes whenever anything `GET` shows changes, and two equal states have equal tags.
//!   The JSON and XML renderings of one state carry the same tag (they are the same data).
//! - `If-Match` on `PUT`/`PATCH`/`DELETE`: `*` or a list of tags; the write happens only when
//!   the item's current tag is in the list (strong comparison: a weak `W/"…"` tag never
//!   matches). Otherwise 412 `precondition_failed` (with the current `ETag`), nothing written.
//!   Without `If-Match` the write is unconditional (a Live Connect client never sent one).
//! - `If-None-Match` on `GET`: `*` or a list of tags (weak comparison); a match answers
//!   `304 Not Modified` with the `ETag` and no body.
//! - A header that is not `*` or a comma-separated list of quoted tags is a 400
//!   `request_parameter_invalid` naming the header.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ApiResult};

/// A parsed `If-Match` / `If-None-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `*`: any current version.
    Any,
    /// The listed tags (without quotes), with whether each is weak.
    Tags(Vec<(bool, String)>),
}

/// The longest header value looked at.
const MAX_HEADER: usize = 4096;

fn parse(name: &'static str, value: &str) -> ApiResult<Condition> {
    let invalid = |why: &str| ApiError::ParameterInvalid {
        parameter: name,
        message: format!("{why} (expected * or a list of quoted entity tags like \"3f2a…\")"),
    };
    if value.len() > MAX_HEADER {
        return Err(invalid("the header is too long"));
    }
    let v = value.trim();
    if v == "*" {
        return Ok(Condition::Any);
    }
    let mut tags = Vec::new();
    for part in v.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (weak, quoted) = match part.strip_prefix("W/") {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        let inner = quoted
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .ok_or_else(|| invalid(&format!("'{part}' is not a quoted entity tag")))?;
        if inner.bytes().any(|b| b == b'"' || b < 0x21 || b == 0x7f) {
            return Err(invalid(&format!("'{part}' is not a valid entity tag")));
        }
        tags.push((weak, inner.to_owned()));
    }
    if tags.is_empty() {
        return Err(invalid("the header is empty"));
    }
    Ok(Condition::Tags(tags))
}

fn header_condition(
    headers: &HeaderMap,
    name: HeaderName,
    label: &'static str,
) -> ApiResult<Option<Condition>> {
    let values: Vec<&HeaderValue> = headers.get_all(&name).iter().collect();
    if values.is_empty() {
        return Ok(None);
    }
    let mut joined = String::new();
    for v in values {
        let s = v.to_str().map_err(|_| ApiError::ParameterInvalid {
            parameter: label,
            message: "the header is not visible ASCII".into(),
        })?;
        if !joined.is_empty() {
            joined.push(',');
        }
        joined.push_str(s);
    }
    parse(label, &joined).map(Some)
}

/// The `If-Match` of a write: `None` without one (the write is unconditional), else the
/// strong tags it accepts (`None` inside for `*`).
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<Option<Vec<String>>>> {
    Ok(
        header_condition(headers, header::IF_MATCH, "If-Match")?.map(|c| match c {
            Condition::Any => None,
            Condition::Tags(tags) => Some(
                tags.into_iter()
                    .filter(|(weak, _)| !weak)
                    .map(|(_, t)| t)
                    .collect(),
            ),
        }),
    )
}

/// The tags a write accepts, as the store takes them: `None` for any version.
pub fn expected(cond: &Option<Option<Vec<String>>>) -> Option<&[String]> {
    cond.as_ref().and_then(|c| c.as_deref())
}

/// True when a `GET` with these headers may answer 304 for the current `tag`.
pub fn not_modified(headers: &HeaderMap, tag: &str) -> ApiResult<bool> {
    Ok(
        match header_condition(headers, header::IF_NONE_MATCH, "If-None-Match")? {
            None => false,
            Some(Condition::Any) => true,
            Some(Condition::Tags(tags)) => tags.iter().any(|(_, t)| t == tag),
        },
    )
}

/// The `ETag` header value of a tag.
pub fn value(tag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{tag}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Adds `ETag` to an answer.
pub fn with_tag(mut res: Response, tag: &str) -> Response {
    res.headers_mut().insert(header::ETAG, value(tag));
    res
}

/// `304 Not Modified` for `tag`.
pub fn not_modified_answer(tag: &str) -> Response {
    with_tag(StatusCode::NOT_MODIFIED.into_response(), tag)
}

/// 412 `precondition_failed`, carrying the current `ETag`.
pub fn stale(current: &str) -> Response {
    with_tag(
        ApiError::PreconditionFailed(
            "The item changed since the ETag given in If-Match: GET it again, then retry with its current ETag. Nothing was written."
                .into(),
        )
        .into_response(),
        current,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: HeaderName, v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(name, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn if_match_forms() {
        assert_eq!(if_match(&HeaderMap::new()).unwrap(), None);
        assert_eq!(if_match(&h(header::IF_MATCH, "*")).unwrap(), Some(None));
        assert_eq!(
            if_match(&h(header::IF_MATCH, "\"a\", W/\"b\", \"c\"")).unwrap(),
            Some(Some(vec!["a".to_owned(), "c".to_owned()]))
        );
        for bad in [
            "abc", "\"a", "a\"", "\"a\"b\"", "W/abc", "", " , ", "\"a b\"",
        ] {
            let e = if_match(&h(header::IF_MATCH, bad)).unwrap_err();
            assert_eq!(e.code(), "request_parameter_invalid", "{bad}");
            assert!(e.to_string().starts_with("If-Match: "), "{e}");
        }
    }

    #[test]
    fn if_none_match_is_weak() {
        let m = h(header::IF_NONE_MATCH, "W/\"x\", \"y\"");
        assert!(not_modified(&m, "x").unwrap());
        assert!(not_modified(&m, "y").unwrap());
        assert!(!not_modified(&m, "z").unwrap());
        assert!(not_modified(&h(header::IF_NONE_MATCH, "*"), "z").unwrap());
        assert!(!not_modified(&HeaderMap::new(), "z").unwrap());
        assert!(not_modified(&h(header::IF_NONE_MATCH, "nope"), "z").is_err());
    }
}
