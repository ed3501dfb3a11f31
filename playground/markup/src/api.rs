//! The API Playground's calls and the REST Explorer's OData options: the request each one makes
//! and the JavaScript to paste.

use crate::percent;
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// A call the API Playground offers, named by the `operationId` the provider's OpenAPI document
/// gives it; its method, path and scope come from that document ([`calls`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Call {
    /// `getMe`: the token's person.
    Me,
    /// `getById`: a person by id (yourself or a friend).
    Person,
    /// `getMyPicture`: where the token's person's picture is (`suppress_redirects=true`).
    Picture,
    /// `listContacts`, with OData options and Portable Contacts.
    Contacts,
    /// `listFriends`, with OData options.
    Friends,
    /// `listActivities`: the token's person's own activities.
    Activities,
    /// `listFeed`: the friends' activities.
    Feed,
    /// `createContact`: a JSON body.
    AddContact,
    /// `createActivity`: an activity from a template (a JSON body).
    PostActivity,
    /// `share`: `{ link, message }`.
    Share,
}

/// What a call sends as its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// Nothing (a `GET`).
    None,
    /// The share's link and message fields.
    Share,
    /// A JSON object typed in, starting as this example.
    Json(&'static str),
}

impl Call {
    /// Every call, in menu order.
    pub const ALL: [Call; 10] = [
        Call::Me,
        Call::Person,
        Call::Picture,
        Call::Contacts,
        Call::Friends,
        Call::Activities,
        Call::Feed,
        Call::AddContact,
        Call::PostActivity,
        Call::Share,
    ];

    /// The name used in menus and element ids.
    pub fn key(self) -> &'static str {
        match self {
            Call::Me => "me",
            Call::Person => "person",
            Call::Picture => "picture",
            Call::Contacts => "contacts",
            Call::Friends => "friends",
            Call::Activities => "activities",
            Call::Feed => "feed",
            Call::AddContact => "add-contact",
            Call::PostActivity => "post-activity",
            Call::Share => "share",
        }
    }

    /// The operation's `operationId` in the provider's OpenAPI document.
    pub fn operation_id(self) -> &'static str {
        match self {
            Call::Me => "getMe",
            Call::Person => "getById",
            Call::Picture => "getMyPicture",
            Call::Contacts => "listContacts",
            Call::Friends => "listFriends",
            Call::Activities => "listActivities",
            Call::Feed => "listFeed",
            Call::AddContact => "createContact",
            Call::PostActivity => "createActivity",
            Call::Share => "share",
        }
    }

    /// Whether the Playground offers OData option fields for the call.
    pub fn takes_odata(self) -> bool {
        matches!(self, Call::Contacts | Call::Friends)
    }

    /// Whether the call answers in XML too (`$format=xml`).
    pub fn takes_format(self) -> bool {
        matches!(
            self,
            Call::Me
                | Call::Person
                | Call::Contacts
                | Call::Friends
                | Call::Activities
                | Call::Feed
        )
    }

    /// Whether the call offers Portable Contacts (`$type=portable`).
    pub fn takes_portable(self) -> bool {
        self == Call::Contacts
    }

    /// Whether the call's path has an `{id}` to fill.
    pub fn takes_id(self) -> bool {
        self == Call::Person
    }

    /// Query parameters the call always sends: `WL.api` reads JSON, so the picture is asked for
    /// as its location rather than followed as a redirect to the image.
    fn fixed_query(self) -> &'static str {
        match self {
            Call::Picture => "suppress_redirects=true",
            _ => "",
        }
    }

    /// What the call sends as its body.
    pub fn body(self) -> BodyKind {
        match self {
            Call::Share => BodyKind::Share,
            Call::AddContact => BodyKind::Json(
                "{ \"first_name\": \"Ann\", \"last_name\": \"Lee\", \"emails\": { \"preferred\": \"ann@example.com\" } }",
            ),
            Call::PostActivity => BodyKind::Json(
                "{ \"template\": \"status\", \"values\": { \"message\": \"Trying the API Playground\" } }",
            ),
            _ => BodyKind::None,
        }
    }
}

/// The parts of an OpenAPI 3.x document ([`calls`] reads them); everything else is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OpenApi {
    /// Every path with its operations.
    #[serde(default)]
    pub paths: BTreeMap<String, PathItem>,
    /// The security an operation without its own `security` has.
    #[serde(default)]
    pub security: Vec<SecurityRequirement>,
    /// The security schemes (which of them is OAuth 2.0).
    #[serde(default)]
    pub components: Components,
}

/// One security alternative: scheme name → the scopes it needs (all of them).
pub type SecurityRequirement = BTreeMap<String, Vec<String>>;

/// `components` of an [`OpenApi`] document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Components {
    /// `securitySchemes`, by name.
    #[serde(default, rename = "securitySchemes")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
}

/// One security scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SecurityScheme {
    /// `oauth2`, `http`, `apiKey`, …
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// The operations on one path, by method.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PathItem {
    /// `GET`.
    pub get: Option<Operation>,
    /// `PUT`.
    pub put: Option<Operation>,
    /// `POST`.
    pub post: Option<Operation>,
    /// `DELETE`.
    pub delete: Option<Operation>,
    /// `PATCH`.
    pub patch: Option<Operation>,
}

impl PathItem {
    /// The operations with their methods.
    fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("GET", &self.get),
            ("PUT", &self.put),
            ("POST", &self.post),
            ("DELETE", &self.delete),
            ("PATCH", &self.patch),
        ]
        .into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    }
}

/// One operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Operation {
    /// Its `operationId`.
    #[serde(default, rename = "operationId")]
    pub operation_id: Option<String>,
    /// Its security alternatives (`[]`: no token; absent: the document's).
    pub security: Option<Vec<SecurityRequirement>>,
}

/// Where `WL.api` paths start: the provider's API base is `{issuer}/v1/`.
pub const API_PREFIX: &str = "/v1/";

/// What the provider's document says about one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The method.
    pub method: &'static str,
    /// The path relative to the API base (`me/contacts`).
    pub path: String,
    /// Whether it needs an access token.
    pub needs_token: bool,
    /// The OAuth scopes the token needs (empty: any token).
    pub scopes: Vec<String>,
}

impl Endpoint {
    /// The scopes of the endpoint missing from a space-separated `scope` list.
    pub fn missing_scopes<'a>(&'a self, scope: &str) -> Vec<&'a str> {
        self.scopes
            .iter()
            .map(String::as_str)
            .filter(|s| !scope.split(' ').any(|have| have == *s))
            .collect()
    }

    /// What it needs, for the calls menu: `wl.basic`, `any scope`, `no token`.
    pub fn needs(&self) -> String {
        match (self.needs_token, self.scopes.is_empty()) {
            (false, _) => "no token".to_owned(),
            (true, true) => "any scope".to_owned(),
            (true, false) => self.scopes.join(" "),
        }
    }
}

/// Why the document does not describe a call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// No operation has the call's `operationId`.
    #[error("the API description has no operation `{0}`")]
    MissingOperation(&'static str),
    /// Two operations have it.
    #[error("the API description has `{0}` twice")]
    DuplicateOperation(&'static str),
    /// The operation is not under the API base `/v1/`.
    #[error("`{operation}` is at {path}, outside {API_PREFIX}")]
    OutsideApi {
        /// The `operationId`.
        operation: &'static str,
        /// Its path.
        path: String,
    },
}

/// Every [`Call`]'s method, path and scope, as the provider's OpenAPI document gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calls(BTreeMap<Call, Endpoint>);

impl Calls {
    /// The endpoint of `call`.
    pub fn get(&self, call: Call) -> &Endpoint {
        // `calls` fills every call.
        &self.0[&call]
    }
}

/// Reads each [`Call`]'s method, path and scope from the provider's OpenAPI document (found by
/// its `operationId`). The scopes are those of the operation's OAuth 2.0 security requirement.
pub fn calls(doc: &OpenApi) -> Result<Calls, DocError> {
    let oauth: Vec<&str> = doc
        .components
        .security_schemes
        .iter()
        .filter(|(_, s)| s.kind == "oauth2")
        .map(|(name, _)| name.as_str())
        .collect();
    let mut out = BTreeMap::new();
    for call in Call::ALL {
        let id = call.operation_id();
        let mut found = doc.paths.iter().flat_map(|(path, item)| {
            item.operations()
                .filter(|(_, op)| op.operation_id.as_deref() == Some(id))
                .map(move |(method, op)| (path, method, op))
        });
        let (path, method, op) = found.next().ok_or(DocError::MissingOperation(id))?;
        if found.next().is_some() {
            return Err(DocError::DuplicateOperation(id));
        }
        let relative = path
            .strip_prefix(API_PREFIX)
            .ok_or_else(|| DocError::OutsideApi {
                operation: id,
                path: path.clone(),
            })?;
        let security = op.security.as_ref().unwrap_or(&doc.security);
        let scopes = security
            .iter()
            .flat_map(|req| req.iter())
            .filter(|(scheme, _)| oauth.contains(&scheme.as_str()))
            .flat_map(|(_, scopes)| scopes.iter().cloned())
            .collect();
        out.insert(
            call,
            Endpoint {
                method,
                path: relative.to_owned(),
                needs_token: !security.is_empty(),
                scopes,
            },
        );
    }
    Ok(Calls(out))
}

/// What `WL.api` is called with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// The path relative to the API base, with its query.
    pub path: String,
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The JSON body for `POST` (no `<`, so it may be pasted into an inline script).
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

/// Everything a person can fill in for a call; each call reads the fields it takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// OData options ([`Call::takes_odata`]).
    pub odata: OData,
    /// The share's fields ([`BodyKind::Share`]).
    pub share: ShareFields,
    /// The `{id}` of the path ([`Call::takes_id`]).
    pub id: String,
    /// `$format=xml` ([`Call::takes_format`]).
    pub xml: bool,
    /// `$type=portable` ([`Call::takes_portable`]).
    pub portable: bool,
    /// The JSON body typed in ([`BodyKind::Json`]); `None` is the call's example.
    pub body: Option<String>,
}

/// Why a call cannot be made with what was filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The path needs an id and none was given.
    #[error("Enter the id of a person: yours (`me`) or a friend's from me/friends.")]
    MissingId,
    /// The body is not a JSON object.
    #[error("The body is not a JSON object: {0}")]
    Body(String),
}

impl InputError {
    /// A stable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::MissingId => "id_missing",
            InputError::Body(_) => "body_invalid",
        }
    }
}

/// The request for `call` (at `endpoint`) with what was filled in.
pub fn request(call: Call, endpoint: &Endpoint, inputs: &Inputs) -> Result<ApiRequest, InputError> {
    let mut path = endpoint.path.clone();
    if call.takes_id() {
        let id = inputs.id.trim();
        if id.is_empty() {
            return Err(InputError::MissingId);
        }
        path = path.replace("{id}", &percent::encode(id));
    }
    let mut query = Vec::new();
    if call.takes_odata() {
        query.push(inputs.odata.query());
    }
    if call.takes_portable() && inputs.portable {
        query.push("$type=portable".into());
    }
    if call.takes_format() && inputs.xml {
        query.push("$format=xml".into());
    }
    query.push(call.fixed_query().into());
    query.retain(|q| !q.is_empty());
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let body = match call.body() {
        BodyKind::None => None,
        BodyKind::Share => Some(format!(
            "{{\"link\":{},\"message\":{}}}",
            json_string(&inputs.share.link),
            json_string(&inputs.share.message)
        )),
        BodyKind::Json(example) => Some(json_object(inputs.body.as_deref().unwrap_or(example))?),
    };
    Ok(ApiRequest {
        path,
        method: endpoint.method,
        body,
    })
}

/// `text` as compact JSON if it is a JSON object, with `<` escaped (it may only occur inside a
/// string there) so that `</script>` in a pasted inline script cannot end it.
fn json_object(text: &str) -> Result<String, InputError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| InputError::Body(e.to_string()))?;
    if !value.is_object() {
        return Err(InputError::Body("expected an object in braces".into()));
    }
    Ok(value.to_string().replace('<', "\\u003c"))
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

    /// The provider's `/v1/openapi.json` as `wl-server` serves it (`fixtures/openapi.json`, refreshed with `curl http://127.0.0.1:8081/v1/openapi.json`).
    fn served() -> OpenApi {
        serde_json::from_str(include_str!("../fixtures/openapi.json")).expect("the fixture parses")
    }

    #[test]
    fn each_call_has_the_method_path_and_scope_the_document_gives() {
        let calls = calls(&served()).expect("every call is documented");
        let table: Vec<(Call, &str, &str, bool, Vec<&str>)> = Call::ALL
            .iter()
            .map(|&c| {
                let e = calls.get(c);
                let scopes = e.scopes.iter().map(String::as_str).collect();
                (c, e.method, e.path.as_str(), e.needs_token, scopes)
            })
            .collect();
        assert_eq!(
            table,
            [
                (Call::Me, "GET", "me", true, vec![]),
                (Call::Person, "GET", "{id}", true, vec![]),
                (Call::Picture, "GET", "me/picture", true, vec![]),
                (
                    Call::Contacts,
                    "GET",
                    "me/contacts",
                    true,
                    vec!["wl.contacts"]
                ),
                (Call::Friends, "GET", "me/friends", true, vec!["wl.basic"]),
                // The hand-kept table said wl.share; the provider asks for wl.basic.
                (
                    Call::Activities,
                    "GET",
                    "me/activities",
                    true,
                    vec!["wl.basic"]
                ),
                (Call::Feed, "GET", "me/feed", true, vec!["wl.basic"]),
                (
                    Call::AddContact,
                    "POST",
                    "me/contacts",
                    true,
                    vec!["wl.contacts"]
                ),
                (
                    Call::PostActivity,
                    "POST",
                    "me/activities",
                    true,
                    vec!["wl.share"]
                ),
                (Call::Share, "POST", "me/share", true, vec!["wl.share"]),
            ]
        );
        assert_eq!(calls.get(Call::Activities).needs(), "wl.basic");
        assert_eq!(calls.get(Call::Me).needs(), "any scope");
        assert_eq!(
            calls
                .get(Call::Contacts)
                .missing_scopes("wl.signin wl.basic"),
            ["wl.contacts"]
        );
        assert!(
            calls
                .get(Call::Friends)
                .missing_scopes("wl.basic")
                .is_empty()
        );
    }

    #[test]
    fn security_rules_of_openapi() {
        let doc = |json: &str| -> OpenApi { serde_json::from_str(json).expect("test document") };
        let schemes = r#""components": { "securitySchemes": {
            "oauth2": { "type": "oauth2" }, "bearer": { "type": "http", "scheme": "bearer" } } }"#;
        let ops = |get_me: &str| {
            let mut paths = String::new();
            for (i, c) in Call::ALL.iter().enumerate() {
                let op = if *c == Call::Me {
                    get_me.to_owned()
                } else {
                    format!(r#"{{ "operationId": "{}" }}"#, c.operation_id())
                };
                paths.push_str(&format!(
                    r#"{}"/v1/p{i}": {{ "get": {op}, "summary": "x" }}"#,
                    if i > 0 { "," } else { "" }
                ));
            }
            paths
        };
        // No `security` of its own: the document's applies; scopes of non-OAuth schemes don't count.
        let d = doc(&format!(
            r#"{{ "security": [{{ "oauth2": ["wl.basic"] }}, {{ "bearer": [] }}], {schemes},
                "paths": {{ {} }} }}"#,
            ops(r#"{ "operationId": "getMe" }"#)
        ));
        let me = calls(&d).expect("documented").get(Call::Me).clone();
        assert_eq!(
            (me.method, me.path.as_str(), me.needs_token),
            ("GET", "p0", true)
        );
        assert_eq!(me.scopes, ["wl.basic"]);
        // `security: []` on the operation: no token at all.
        let d = doc(&format!(
            r#"{{ "security": [{{ "oauth2": ["wl.basic"] }}], {schemes}, "paths": {{ {} }} }}"#,
            ops(r#"{ "operationId": "getMe", "security": [] }"#)
        ));
        let me = calls(&d).expect("documented").get(Call::Me).clone();
        assert!(!me.needs_token && me.scopes.is_empty());
        assert_eq!(me.needs(), "no token");
        // Every scope of the OAuth requirement is needed.
        let d = doc(&format!(
            r#"{{ {schemes}, "paths": {{ {} }} }}"#,
            ops(
                r#"{ "operationId": "getMe", "security": [{ "oauth2": ["wl.basic", "wl.emails"] }] }"#
            )
        ));
        let me = calls(&d).expect("documented").get(Call::Me).clone();
        assert_eq!(me.needs(), "wl.basic wl.emails");
        assert_eq!(me.missing_scopes("wl.emails"), ["wl.basic"]);
    }

    #[test]
    fn a_document_without_a_call_is_an_error() {
        let mut d = served();
        d.paths.remove("/v1/me/share");
        assert_eq!(calls(&d), Err(DocError::MissingOperation("share")));
        let mut d = served();
        let item = d.paths["/v1/me"].clone();
        d.paths.insert("/me".into(), item.clone());
        assert_eq!(calls(&d), Err(DocError::DuplicateOperation("getMe")));
        let mut d = served();
        d.paths.remove("/v1/me");
        d.paths.insert("/me".into(), item);
        assert_eq!(
            calls(&d),
            Err(DocError::OutsideApi {
                operation: "getMe",
                path: "/me".into()
            })
        );
        assert!(serde_json::from_str::<OpenApi>("{\"paths\": 3}").is_err());
    }

    #[test]
    fn requests_and_their_javascript() {
        let calls = calls(&served()).expect("every call is documented");
        let req = |c: Call, i: &Inputs| request(c, calls.get(c), i).expect("a valid request");
        let none = Inputs::default();
        let me = req(Call::Me, &none);
        assert_eq!(me.path, "me");
        assert_eq!(
            js(&me),
            "WL.api({ path: \"me\" })\n  .then((result) => console.log(result))\n  .catch((error) => console.error(error.code, error.message));\n"
        );
        let top3 = Inputs {
            odata: OData {
                top: "3".into(),
                ..OData::default()
            },
            xml: true,
            portable: true,
            ..Inputs::default()
        };
        assert_eq!(
            req(Call::Friends, &top3).path,
            "me/friends?$top=3&$format=xml"
        );
        assert_eq!(
            req(Call::Contacts, &top3).path,
            "me/contacts?$top=3&$type=portable&$format=xml"
        );
        assert_eq!(
            req(Call::Me, &top3).path,
            "me?$format=xml",
            "me takes no OData options"
        );
        assert_eq!(
            req(Call::Picture, &top3).path,
            "me/picture?suppress_redirects=true",
            "the picture's location, as JSON"
        );
        let share = req(
            Call::Share,
            &Inputs {
                share: ShareFields {
                    link: "https://example.com/?a=1&b=\"2\"".into(),
                    message: "</script> look".into(),
                },
                ..top3.clone()
            },
        );
        assert_eq!(share.method, "POST");
        assert_eq!(share.path, "me/share");
        assert_eq!(
            share.body.as_deref(),
            Some(
                "{\"link\":\"https://example.com/?a=1&b=\\\"2\\\"\",\"message\":\"\\u003c/script> look\"}"
            )
        );
        assert!(js(&share).contains("method: \"POST\", body: {"));
    }

    #[test]
    fn a_person_by_id_needs_an_id_and_it_is_encoded() {
        let calls = calls(&served()).expect("every call is documented");
        let endpoint = calls.get(Call::Person);
        let with = |id: &str| Inputs {
            id: id.into(),
            ..Inputs::default()
        };
        assert_eq!(
            request(Call::Person, endpoint, &with("  ")),
            Err(InputError::MissingId)
        );
        assert_eq!(InputError::MissingId.code(), "id_missing");
        assert_eq!(
            request(Call::Person, endpoint, &with(" 61c6b662b252daec "))
                .expect("an id")
                .path,
            "61c6b662b252daec"
        );
        // An id cannot reach another path or add a query.
        assert_eq!(
            request(Call::Person, endpoint, &with("../me/contacts?$top=1"))
                .expect("an id")
                .path,
            "..%2Fme%2Fcontacts%3F%24top%3D1"
        );
    }

    #[test]
    fn json_bodies_start_as_the_example_and_must_be_objects() {
        let calls = calls(&served()).expect("every call is documented");
        let endpoint = calls.get(Call::AddContact);
        let example = request(Call::AddContact, endpoint, &Inputs::default()).expect("example");
        assert_eq!(
            example.body.as_deref(),
            Some(
                r#"{"emails":{"preferred":"ann@example.com"},"first_name":"Ann","last_name":"Lee"}"#
            )
        );
        let typed = |body: &str| Inputs {
            body: Some(body.into()),
            ..Inputs::default()
        };
        for bad in ["", "[1]", "{\"first_name\": ", "\"Ann\""] {
            let e = request(Call::AddContact, endpoint, &typed(bad)).expect_err(bad);
            assert_eq!(e.code(), "body_invalid", "{bad:?}");
        }
        let odd = request(
            Call::PostActivity,
            calls.get(Call::PostActivity),
            &typed(r#"{ "template": "status", "values": { "message": "</script><b>" } }"#),
        )
        .expect("an object");
        assert_eq!(odd.method, "POST");
        assert!(
            !odd.body.as_deref().unwrap_or_default().contains('<'),
            "{odd:?}"
        );
        assert!(js(&odd).contains(
            r#"body: {"template":"status","values":{"message":"\u003c/script>\u003cb>"}}"#
        ));
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
