//! The API Playground's calls and the REST Explorer's OData options: the request each one makes
//! and the JavaScript to paste.

use crate::percent;

/// OData query options for a collection (`$filter`, `$select`, `$orderby`, `$top`, `$skip`,
/// `$count`). Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OData {
    /// `$filter`, e.g. `startswith(first_name,'B')`.
    pub filter: String,
    /// `$select`, e.g. `id,name`.
    pub select: String,
    /// `$orderby`, e.g. `last_name desc`.
    pub orderby: String,
    /// `$top`.
    pub top: String,
    /// `$skip`.
    pub skip: String,
    /// `$count=true`.
    pub count: bool,
}

impl OData {
    /// The query string (without `?`), each value percent-encoded.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("$filter", &self.filter),
            ("$select", &self.select),
            ("$orderby", &self.orderby),
            ("$top", &self.top),
            ("$skip", &self.skip),
        ] {
            let v = v.trim();
            if !v.is_empty() {
                parts.push(format!("{k}={}", percent::encode(v)));
            }
        }
        if self.count {
            parts.push("$count=true".into());
        }
        parts.join("&")
    }
}

/// A call the API Playground offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `GET me`.
    Me,
    /// `GET me/contacts` with OData options.
    Contacts,
    /// `GET me/friends` with OData options.
    Friends,
    /// `GET me/activities`.
    Activities,
    /// `POST me/share` `{ link, message }`.
    Share,
}

impl Call {
    /// Every call, in menu order.
    pub const ALL: [Call; 5] = [
        Call::Me,
        Call::Contacts,
        Call::Friends,
        Call::Activities,
        Call::Share,
    ];

    /// The name used in menus and element ids.
    pub fn key(self) -> &'static str {
        match self {
            Call::Me => "me",
            Call::Contacts => "contacts",
            Call::Friends => "friends",
            Call::Activities => "activities",
            Call::Share => "share",
        }
    }

    /// The scope the provider wants for it.
    pub fn scope(self) -> &'static str {
        match self {
            Call::Me | Call::Friends => "wl.basic",
            Call::Contacts => "wl.contacts",
            Call::Activities | Call::Share => "wl.share",
        }
    }

    /// Whether the call takes OData options.
    pub fn takes_odata(self) -> bool {
        matches!(self, Call::Contacts | Call::Friends)
    }
}

/// What `WL.api` is called with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// The path relative to the API base, with its query.
    pub path: String,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The JSON body for `POST`.
    pub body: Option<String>,
}

/// The fields of a share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareFields {
    /// The link shared.
    pub link: String,
    /// The message with it.
    pub message: String,
}

/// The request for `call` with the given options.
pub fn request(call: Call, odata: &OData, share: &ShareFields) -> ApiRequest {
    let base = match call {
        Call::Me => "me",
        Call::Contacts => "me/contacts",
        Call::Friends => "me/friends",
        Call::Activities => "me/activities",
        Call::Share => "me/share",
    };
    let query = if call.takes_odata() {
        odata.query()
    } else {
        String::new()
    };
    let path = if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{query}")
    };
    match call {
        Call::Share => ApiRequest {
            path,
            method: "POST",
            body: Some(format!(
                "{{\"link\":{},\"message\":{}}}",
                json_string(&share.link),
                json_string(&share.message)
            )),
        },
        _ => ApiRequest {
            path,
            method: "GET",
            body: None,
        },
    }
}

/// The JavaScript a page pastes to make the same call.
pub fn js(req: &ApiRequest) -> String {
    let mut args = format!("path: {}", json_string(&req.path));
    if req.method != "GET" {
        args.push_str(&format!(", method: {}", json_string(req.method)));
    }
    if let Some(body) = &req.body {
        args.push_str(&format!(", body: {body}"));
    }
    format!(
        "WL.api({{ {args} }})\n  .then((result) => console.log(result))\n  .catch((error) => console.error(error.code, error.message));\n"
    )
}

/// A JSON string literal (also a valid JavaScript one) for `s`.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `</script>` in a pasted inline script must not end it.
            '<' => out.push_str("\\u003c"),
            c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `curl` for the same request against the provider's API base, for a back end with a stored
/// token (shown in the REST Explorer).
pub fn curl(method: &str, url: &str, headers: &[(String, String)], body: &str) -> String {
    let q = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut s = format!("curl -X {method} {}", q(url));
    for (k, v) in headers {
        s.push_str(&format!(" \\\n  -H {}", q(&format!("{k}: {v}"))));
    }
    if !body.is_empty() {
        s.push_str(&format!(" \\\n  --data {}", q(body)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odata_options_are_encoded_and_empty_ones_left_out() {
        let o = OData {
            filter: "startswith(first_name,'B')".into(),
            orderby: "last_name desc".into(),
            top: "5".into(),
            count: true,
            ..OData::default()
        };
        assert_eq!(
            o.query(),
            "$filter=startswith%28first_name%2C%27B%27%29&$orderby=last_name%20desc&$top=5&$count=true"
        );
        assert_eq!(OData::default().query(), "");
    }

    #[test]
    fn requests_and_their_javascript() {
        let me = request(Call::Me, &OData::default(), &ShareFields::default());
        assert_eq!(me.path, "me");
        assert_eq!(
            js(&me),
            "WL.api({ path: \"me\" })\n  .then((result) => console.log(result))\n  .catch((error) => console.error(error.code, error.message));\n"
        );
        let o = OData {
            top: "3".into(),
            ..OData::default()
        };
        assert_eq!(
            request(Call::Friends, &o, &ShareFields::default()).path,
            "me/friends?$top=3"
        );
        assert_eq!(
            request(Call::Me, &o, &ShareFields::default()).path,
            "me",
            "me takes no OData options"
        );
        let share = request(
            Call::Share,
            &o,
            &ShareFields {
                link: "https://example.com/?a=1&b=\"2\"".into(),
                message: "</script> look".into(),
            },
        );
        assert_eq!(share.method, "POST");
        assert_eq!(
            share.body.as_deref(),
            Some(
                "{\"link\":\"https://example.com/?a=1&b=\\\"2\\\"\",\"message\":\"\\u003c/script> look\"}"
            )
        );
        assert!(js(&share).contains("method: \"POST\", body: {"));
    }

    #[test]
    fn curl_quotes_for_the_shell() {
        assert_eq!(
            curl(
                "GET",
                "http://x/v1/me?$filter=a eq 'b'",
                &[("Authorization".into(), "Bearer t".into())],
                ""
            ),
            "curl -X GET 'http://x/v1/me?$filter=a eq '\\''b'\\''' \\\n  -H 'Authorization: Bearer t'"
        );
    }
}
