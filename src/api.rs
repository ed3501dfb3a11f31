//! `WL.api`: calls to the provider's REST API with the session's bearer token. The URL and
//! error mapping are pure; the fetch is at the bottom.

use crate::error::Error;
use crate::oidc::cat;

/// The request URL for `path` (relative to the API base; an absolute URL must be inside it).
/// `wl.js` appends the call's `query` (OData option names get their `$`, arrays are joined with
/// commas) with `URLSearchParams`.
pub fn build_url(base: &str, path: &str) -> Result<String, Error> {
    let rel = if path.starts_with("http://") || path.starts_with("https://") {
        path.strip_prefix(base).ok_or_else(|| {
            Error::config("WL.api calls only the provider's API: give a path such as \"me\"")
        })?
    } else {
        let p = path.trim_start_matches('/');
        // "/v1/me" and "me" both mean the same when the base already ends in /v1/.
        if base.ends_with("/v1/") {
            p.strip_prefix("v1/").unwrap_or(p)
        } else {
            p
        }
    };
    if rel.is_empty() {
        return Err(Error::config("WL.api needs a path, e.g. { path: \"me\" }"));
    }
    Ok(cat(&[base, rel]))
}

/// The error for a failed API response: `header`, the `WWW-Authenticate` header's `error` and
/// `scope` parameters (`wl.js` reads them off the header); `code` and `message`, the JSON body's.
pub fn error_for(
    status: u16,
    header: (Option<String>, Option<String>),
    code: Option<String>,
    message: Option<String>,
) -> Error {
    let (header_error, header_scope) = header;
    let is = |c: &str| header_error.as_deref() == Some(c) || code.as_deref() == Some(c);
    if status == 401 {
        return Error::SessionEnded;
    }
    if status == 403 && is("insufficient_scope") {
        return Error::InsufficientScope(header_scope.unwrap_or_default());
    }
    Error::Api {
        code: code.unwrap_or_else(|| {
            if status >= 500 {
                "server_error"
            } else {
                "request_failed"
            }
            .into()
        }),
        message: message.unwrap_or_else(|| {
            cat(&[
                "the API answered with status ",
                &crate::oidc::decimal(u64::from(status)),
            ])
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:8081/v1/";

    #[test]
    fn urls() {
        assert_eq!(
            build_url(BASE, "me").as_deref(),
            Ok("http://127.0.0.1:8081/v1/me")
        );
        assert_eq!(
            build_url(BASE, "/v1/me/friends").as_deref(),
            Ok("http://127.0.0.1:8081/v1/me/friends")
        );
        assert_eq!(
            build_url(BASE, "http://127.0.0.1:8081/v1/me").as_deref(),
            Ok("http://127.0.0.1:8081/v1/me")
        );
        assert_eq!(
            build_url(BASE, "https://evil.example/me").map_err(|e| e.code().to_string()),
            Err("invalid_request".into())
        );
        assert!(build_url(BASE, "/").is_err());
    }

    #[test]
    fn errors() {
        let e = error_for(
            403,
            (
                Some("insufficient_scope".into()),
                Some("wl.contacts".into()),
            ),
            None,
            None,
        );
        assert_eq!(e, Error::InsufficientScope("wl.contacts".into()));
        assert!(
            e.to_string()
                .contains("WL.login({ scope: \"wl.contacts\" })")
        );
        assert_eq!(
            error_for(401, (Some("invalid_token".into()), None), None, None).code(),
            "invalid_token"
        );
        let e = error_for(
            404,
            (None, None),
            Some("resource_not_found".into()),
            Some("no such person".into()),
        );
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            ("resource_not_found", "no such person")
        );
        assert_eq!(
            error_for(502, (None, None), None, None).code(),
            "server_error"
        );
    }
}
