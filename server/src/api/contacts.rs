//! The token's person's address book (`wl.contacts`): `GET /v1/me/contacts` lists it (an
//! OData-queryable collection, see [`super::collections`]; `$type=portable` answers Portable
//! Contacts) and `POST /v1/me/contacts` adds a contact to it.
//!
//! The body is a JSON object with any of:
//!
//! | field | type | rule |
//! | --- | --- | --- |
//! | `first_name` | string | up to 100 characters, no control characters |
//! | `last_name` | string | the same; at least one of the two names is required |
//! | `emails` | object | `{ "preferred": "ann@example.com" }`, a plausible address, ≤ 254 characters |
//! | `phones` | object | `{ "personal": "+1 555 0100" }`, digits, spaces, `+ - ( ) .`, ≤ 32 characters |
//! | `is_favorite` | boolean | default `false` |
//!
//! Strings are trimmed; `null` means "not given". Anything else is a 400
//! `request_body_invalid` whose message starts with the field (`emails.preferred: …`);
//! read-only fields (`id`, `name`, `user_id`, `is_friend`, `updated_time`) and unknown fields
//! are named too. No body at all is `request_parameter_missing`. On success: 201 with the
//! contact as `GET /v1/{id}` shows it, and `Location: {issuer}/v1/{id}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::collections::{self, Collection};
use super::error::{ApiError, ApiResult};
use crate::error::AppError;
use crate::identity::userinfo::Bearer;
use crate::state::AppState;

pub use super::body::MAX_BODY;
/// Longest first or last name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest email address.
pub const MAX_EMAIL: usize = 254;
/// Longest phone number.
pub const MAX_PHONE: usize = 32;

/// The scope a token needs to list or create contacts ([`collections::CONTACTS`]).
pub const SCOPE: &str = collections::CONTACTS.scope;

pub use crate::store::contacts::NewContact;

const READ_ONLY: &[&str] = &["id", "name", "user_id", "is_friend", "updated_time"];
const KNOWN: &str = "first_name, last_name, emails, phones, is_favorite";

impl NewContact {
    /// Parses and validates a request body.
    pub fn from_body(headers: &HeaderMap, body: &[u8]) -> ApiResult<Self> {
        Self::from_object(&body_object(headers, body)?)
    }

    /// Validates the fields of a JSON object.
    pub fn from_object(map: &Map<String, Value>) -> ApiResult<Self> {
        let mut out = NewContact::default();
        for (key, value) in map {
            match key.as_str() {
                "first_name" => out.first_name = name(key, value)?,
                "last_name" => out.last_name = name(key, value)?,
                "emails" => {
                    out.email = nested(key, value, "preferred")?
                        .map(|v| email("emails.preferred", v))
                        .transpose()?
                        .flatten();
                }
                "phones" => {
                    out.phone = nested(key, value, "personal")?
                        .map(|v| phone("phones.personal", v))
                        .transpose()?
                        .flatten();
                }
                "is_favorite" => {
                    out.is_favorite = match value {
                        Value::Bool(b) => *b,
                        Value::Null => false,
                        _ => return Err(ApiError::body(key, "must be true or false")),
                    }
                }
                k if READ_ONLY.contains(&k) => {
                    return Err(ApiError::body(
                        k,
                        "is read-only (set first_name and last_name for the name)",
                    ));
                }
                k => {
                    return Err(ApiError::body(
                        k,
                        format!("is not a contact field (known: {KNOWN})"),
                    ));
                }
            }
        }
        if out.first_name.is_empty() && out.last_name.is_empty() {
            return Err(ApiError::body("first_name", NEEDS_A_NAME));
        }
        Ok(out)
    }
}

/// The JSON object of a contact's body (see [`super::body::json_object`]).
pub fn body_object(headers: &HeaderMap, body: &[u8]) -> ApiResult<Map<String, Value>> {
    super::body::json_object(headers, body, r#"{"first_name":"Ann","last_name":"Lee"}"#)
}

/// A string field, trimmed; `None` for null or blank.
fn string<'a>(field: &str, value: &'a Value) -> ApiResult<Option<&'a str>> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        _ => Err(ApiError::body(field, "must be a string")),
    }
}

fn name(field: &str, value: &Value) -> ApiResult<String> {
    let Some(s) = string(field, value)? else {
        return Ok(String::new());
    };
    if s.chars().count() > MAX_NAME {
        return Err(ApiError::body(
            field,
            format!("must be at most {MAX_NAME} characters"),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(ApiError::body(field, "must not contain control characters"));
    }
    Ok(s.to_owned())
}

/// The one known member of a nested object (`emails.preferred`); other members are errors.
fn nested<'a>(field: &str, value: &'a Value, member: &str) -> ApiResult<Option<&'a Value>> {
    match value {
        Value::Null => Ok(None),
        Value::Object(m) => {
            if let Some(other) = m.keys().find(|k| k.as_str() != member) {
                return Err(ApiError::body(
                    format!("{field}.{other}"),
                    format!("is not supported (only {field}.{member} can be set)"),
                ));
            }
            Ok(m.get(member))
        }
        _ => Err(ApiError::body(
            field,
            format!("must be an object like {{\"{member}\": \"…\"}}"),
        )),
    }
}

/// True for a plausible address: `local@domain.tld`, no spaces or controls, one `@`, a
/// local part of 1–64 characters, a domain of dot-separated labels of letters, digits and
/// hyphens (not at a label's ends), with at least two labels.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '@' | '<' | '>' | '(' | ')' | ',' | ';' | ':' | '\\' | '"' | '[' | ']'
                )
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

fn email(field: &str, value: &Value) -> ApiResult<Option<String>> {
    let Some(s) = string(field, value)? else {
        return Ok(None);
    };
    if s.chars().count() > MAX_EMAIL {
        return Err(ApiError::body(
            field,
            format!("must be at most {MAX_EMAIL} characters"),
        ));
    }
    if !is_email(s) {
        return Err(ApiError::body(
            field,
            format!("'{s}' is not an email address like ann@example.com"),
        ));
    }
    Ok(Some(s.to_owned()))
}

/// True for a phone number: digits, spaces and `+ - ( ) .`, a `+` only first, 3+ digits.
pub fn is_phone(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
        && !s.chars().skip(1).any(|c| c == '+')
        && s.chars().filter(char::is_ascii_digit).count() >= 3
}

fn phone(field: &str, value: &Value) -> ApiResult<Option<String>> {
    let Some(s) = string(field, value)? else {
        return Ok(None);
    };
    if s.chars().count() > MAX_PHONE {
        return Err(ApiError::body(
            field,
            format!("must be at most {MAX_PHONE} characters"),
        ));
    }
    if !is_phone(s) {
        return Err(ApiError::body(
            field,
            format!("'{s}' is not a phone number (digits, spaces and + - ( ) . only)"),
        ));
    }
    Ok(Some(s.to_owned()))
}

/// A write refused by a per-person cap answers 409 `resource_quota_exceeded`.
impl From<crate::store::collections::CapError> for ApiError {
    fn from(e: crate::store::collections::CapError) -> Self {
        Self::App(e.into())
    }
}

/// `POST /v1/me/contacts`.
pub async fn create(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    if !tok.scopes.contains(SCOPE) {
        return Err(AppError::InsufficientScope(SCOPE).into());
    }
    let body = body.map_err(|e| ApiError::BodyInvalid {
        field: None,
        message: format!("the body could not be read ({e})"),
    })?;
    let new = NewContact::from_body(&headers, &body)?;
    let now = state.clock.now();
    let id = crate::store::contacts::insert(&state.db, &tok.person_id, &new, now).await?;
    let contact = super::collections::contact_by_id(&state, &tok.person_id, &id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("contact {id} vanished after insert")))?;
    let mut res = (StatusCode::CREATED, Json(contact)).into_response();
    if let Ok(loc) = HeaderValue::from_str(&format!("{}/v1/{id}", state.issuer)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// `GET /v1/me/contacts` (needs `wl.contacts`); `$type=portable` answers Portable Contacts.
pub async fn list(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    collections::query(&state, &tok, raw.as_deref(), &Collection::contacts()).await
}

/// `/v1/me/contacts/{id}` as a path (the route table's).
pub const ONE_PATH: &str = "/v1/me/contacts/{id}";

/// The writable fields of a stored contact, as a JSON object in the shape of the body
/// (what a `PATCH` merges into).
fn as_body(c: &NewContact) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("first_name".into(), Value::String(c.first_name.clone()));
    m.insert("last_name".into(), Value::String(c.last_name.clone()));
    m.insert(
        "emails".into(),
        serde_json::json!({ "preferred": c.email.clone() }),
    );
    m.insert(
        "phones".into(),
        serde_json::json!({ "personal": c.phone.clone() }),
    );
    m.insert("is_favorite".into(), Value::Bool(c.is_favorite));
    m
}

/// JSON Merge Patch (RFC 7396): `null` removes a member, an object merges into an object,
/// anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

const NEEDS_A_NAME: &str = "a contact needs a first_name or a last_name";

/// The code of a `PATCH` that would leave a contact without a name (409: the patch is valid,
/// the contact's current state makes it impossible).
pub const NAMELESS: &str = "resource_conflict";

/// Ids longer than this are answered 404 without a database look-up.
const MAX_ID: usize = 128;

fn check_scope(tok: &crate::identity::tokens::TokenInfo) -> ApiResult<()> {
    if tok.scopes.contains(SCOPE) {
        Ok(())
    } else {
        Err(AppError::InsufficientScope(SCOPE).into())
    }
}

fn read_body(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|e| ApiError::BodyInvalid {
        field: None,
        message: format!("the body could not be read ({e})"),
    })
}

/// The contact as `GET` shows it, with its `ETag`, or 404.
async fn answer(
    state: &AppState,
    owner: &str,
    id: &str,
    tag: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    let contact = collections::contact_by_id(state, owner, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::etag::with_tag(
        (status, Json(contact)).into_response(),
        tag,
    ))
}

fn written(
    state_id: &str,
    w: crate::store::contacts::Written,
) -> ApiResult<Result<String, Response>> {
    use crate::store::contacts::Written;
    match w {
        Written::Done(tag) => Ok(Ok(tag)),
        Written::NotFound => Err(AppError::NotFound.into()),
        Written::Stale(current) => {
            tracing::debug!(contact = %state_id, "stale If-Match");
            Ok(Err(super::etag::stale(&current)))
        }
    }
}

/// `GET /v1/me/contacts/{id}` (needs `wl.contacts`): the contact with its `ETag`; 304 for a
/// matching `If-None-Match`; 404 `resource_not_found` for an id the person has no contact by
/// (someone else's contact included).
pub async fn get_one(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    if id.len() > MAX_ID {
        return Err(AppError::NotFound.into());
    }
    let current =
        crate::store::contacts::versioned(&mut *state.db.conn().await?, &tok.person_id, &id)
            .await?
            .ok_or(AppError::NotFound)?;
    if super::etag::not_modified(&headers, &current.tag)? {
        return Ok(super::etag::not_modified_answer(&current.tag));
    }
    answer(&state, &tok.person_id, &id, &current.tag, StatusCode::OK).await
}

/// `PUT /v1/me/contacts/{id}` (needs `wl.contacts`): replaces every writable field (a field
/// left out is cleared, as in `POST`), under `If-Match` when given.
pub async fn put(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    let cond = super::etag::if_match(&headers)?;
    let body = read_body(body)?;
    let new = NewContact::from_body(&headers, &body)?;
    if id.len() > MAX_ID {
        return Err(AppError::NotFound.into());
    }
    let w = crate::store::contacts::update(
        &state.db,
        &tok.person_id,
        &id,
        super::etag::expected(&cond),
        &new,
        state.clock.now(),
    )
    .await?;
    match written(&id, w)? {
        Ok(tag) => answer(&state, &tok.person_id, &id, &tag, StatusCode::OK).await,
        Err(res) => Ok(res),
    }
}

/// `PATCH /v1/me/contacts/{id}` (needs `wl.contacts`): a JSON Merge Patch (RFC 7396) of the
/// writable fields (`null` clears one), validated as a whole after merging, under `If-Match`
/// when given. Without `If-Match` the patch still applies to the version it was merged into
/// (a concurrent write in between makes it merge again), so no write is lost.
pub async fn patch(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    let cond = super::etag::if_match(&headers)?;
    let body = read_body(body)?;
    // The body rules of POST (type, size, JSON object), then the merge.
    let patch = patch_object(&headers, &body)?;
    if id.len() > MAX_ID {
        return Err(AppError::NotFound.into());
    }
    for _ in 0..3 {
        let current =
            crate::store::contacts::versioned(&mut *state.db.conn().await?, &tok.person_id, &id)
                .await?
                .ok_or(AppError::NotFound)?;
        let mut merged = Value::Object(as_body(&current.fields));
        merge_patch(&mut merged, &Value::Object(patch.clone()));
        let Value::Object(merged) = merged else {
            return Err(
                AppError::Internal("a merge patch of an object is an object".into()).into(),
            );
        };
        let new = match NewContact::from_object(&merged) {
            Ok(new) => new,
            // Every field is valid but the merge leaves no name: the patch is valid in
            // itself; it conflicts with what the contact holds now.
            Err(ApiError::BodyInvalid {
                field: Some(f),
                message,
            }) if f == "first_name" && message.starts_with(NEEDS_A_NAME) => {
                return Err(AppError::Page {
                    status: StatusCode::CONFLICT,
                    code: NAMELESS,
                    title: "A contact needs a name",
                    message: "first_name: the patch would leave the contact with neither a first_name nor a last_name; nothing was written".into(),
                }
                .into());
            }
            Err(e) => return Err(e),
        };
        let own = [current.tag.clone()];
        let expected = match super::etag::expected(&cond) {
            Some(tags) => tags,
            None => &own[..],
        };
        let w = crate::store::contacts::update(
            &state.db,
            &tok.person_id,
            &id,
            Some(expected),
            &new,
            state.clock.now(),
        )
        .await?;
        match w {
            // Raced with another write and the client gave no (or `*`) If-Match: merge again.
            crate::store::contacts::Written::Stale(_) if super::etag::expected(&cond).is_none() => {
                continue;
            }
            w => {
                return match written(&id, w)? {
                    Ok(tag) => answer(&state, &tok.person_id, &id, &tag, StatusCode::OK).await,
                    Err(res) => Ok(res),
                };
            }
        }
    }
    Err(AppError::Internal(format!("contact {id} kept changing during a PATCH")).into())
}

/// The object of a `PATCH` body: the body rules of `POST`; read-only and unknown fields are
/// named at once (the values are judged after merging).
fn patch_object(headers: &HeaderMap, body: &[u8]) -> ApiResult<Map<String, Value>> {
    let map = body_object(headers, body)?;
    for k in map.keys() {
        if READ_ONLY.contains(&k.as_str()) {
            return Err(ApiError::body(
                k,
                "is read-only (set first_name and last_name for the name)",
            ));
        }
        if !KNOWN.split(", ").any(|f| f == k) {
            return Err(ApiError::body(
                k,
                format!("is not a contact field (known: {KNOWN})"),
            ));
        }
    }
    Ok(map)
}

/// `DELETE /v1/me/contacts/{id}` (needs `wl.contacts`): 204, under `If-Match` when given.
pub async fn delete(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    check_scope(&tok)?;
    let cond = super::etag::if_match(&headers)?;
    if id.len() > MAX_ID {
        return Err(AppError::NotFound.into());
    }
    let w = crate::store::contacts::delete(
        &state.db,
        &tok.person_id,
        &id,
        super::etag::expected(&cond),
    )
    .await?;
    match written(&id, w)? {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(res) => Ok(res),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn parse(v: Value) -> ApiResult<NewContact> {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        NewContact::from_body(&h, v.to_string().as_bytes())
    }

    fn field_error(v: Value) -> String {
        let e = parse(v).unwrap_err();
        assert_eq!(e.code(), "request_body_invalid", "{e}");
        e.to_string()
    }

    #[test]
    fn valid_contacts() {
        let c = parse(json!({
            "first_name": "  Ann ", "last_name": "Lee",
            "emails": {"preferred": "ann.lee+x@mail.example.co.uk"},
            "phones": {"personal": "+44 (20) 7946-0958"}, "is_favorite": true
        }))
        .unwrap();
        assert_eq!(c.first_name, "Ann");
        assert_eq!(c.email.as_deref(), Some("ann.lee+x@mail.example.co.uk"));
        assert!(c.is_favorite);
        let c =
            parse(json!({"last_name": "Ng", "emails": null, "phones": {"personal": ""}})).unwrap();
        assert_eq!((c.first_name.as_str(), c.last_name.as_str()), ("", "Ng"));
        assert_eq!((c.email, c.phone), (None, None));
        assert!(parse(json!({"first_name": "Zoë", "last_name": "名前"})).is_ok());
    }

    #[test]
    fn each_rule_names_its_field() {
        assert!(field_error(json!({})).starts_with("first_name: "));
        assert!(
            field_error(json!({"first_name": "  ", "last_name": null})).starts_with("first_name: ")
        );
        assert!(field_error(json!({"first_name": 5})).starts_with("first_name: must be a string"));
        assert!(
            field_error(json!({"last_name": "x".repeat(101)}))
                .starts_with("last_name: must be at most 100")
        );
        assert!(parse(json!({"last_name": "é".repeat(100)})).is_ok());
        assert!(
            field_error(json!({"first_name": "a\u{0}b"}))
                .starts_with("first_name: must not contain")
        );
        assert!(
            field_error(json!({"first_name": "A", "emails": {"preferred": "nope"}}))
                .starts_with("emails.preferred: 'nope' is not")
        );
        assert!(
            field_error(json!({"first_name": "A", "emails": {"business": "a@b.co"}}))
                .starts_with("emails.business: ")
        );
        assert!(
            field_error(json!({"first_name": "A", "emails": "a@b.co"}))
                .starts_with("emails: must be an object")
        );
        assert!(
            field_error(json!({"first_name": "A", "phones": {"personal": "call me"}}))
                .starts_with("phones.personal: ")
        );
        assert!(
            field_error(json!({"first_name": "A", "is_favorite": "yes"}))
                .starts_with("is_favorite: ")
        );
        assert!(
            field_error(json!({"first_name": "A", "id": "contact.x"}))
                .starts_with("id: is read-only")
        );
        assert!(
            field_error(json!({"first_name": "A", "name": "A B"}))
                .starts_with("name: is read-only")
        );
        assert!(
            field_error(json!({"first_name": "A", "nickname": "x"}))
                .starts_with("nickname: is not a contact field")
        );
    }

    #[test]
    fn body_level_errors() {
        let h = HeaderMap::new();
        let e = NewContact::from_body(&h, b"").unwrap_err();
        assert_eq!(e.code(), "request_parameter_missing");
        let e = NewContact::from_body(&h, b"{\"first_name\": ").unwrap_err();
        assert_eq!(e.code(), "request_body_invalid");
        assert!(e.to_string().contains("not valid JSON"), "{e}");
        let e = NewContact::from_body(&h, b"[1]").unwrap_err();
        assert!(e.to_string().contains("JSON object"), "{e}");
        let mut form = HeaderMap::new();
        form.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let e = NewContact::from_body(&form, b"first_name=A").unwrap_err();
        assert_eq!(e.code(), "request_body_invalid");
        let big = format!("{{\"first_name\":\"{}\"}}", "a".repeat(MAX_BODY));
        assert!(
            NewContact::from_body(&h, big.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("larger")
        );
    }

    #[test]
    fn emails_and_phones() {
        for ok in [
            "a@b.co",
            "first.last@sub.example.org",
            "x+y@d-d.io",
            "ü@exämple.de",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a@@b.co", "a b@c.co", "a@b..co", "a@-b.co", ".a@b.co",
            "a@b.co>", "<a@b.co",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        for ok in ["+1 555 0100", "(020) 7946-0958", "555.0100"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["12", "555-CALL", "1+555 0100", ""] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: std::env::var("ODATA_FUZZ_SCALE")
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
                .saturating_mul(3_000),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any bytes: an answer with a stable code, never a panic.
        #[test]
        fn any_body_is_answered(body in prop::collection::vec(any::<u8>(), 0..64)) {
            if let Err(e) = NewContact::from_body(&HeaderMap::new(), &body) {
                prop_assert!(matches!(e.code(), "request_body_invalid" | "request_parameter_missing"));
            }
        }

        /// Any object of JSON-ish fields: valid, or an error naming a field that was sent.
        #[test]
        fn any_object_is_valid_or_names_its_field(
            fields in prop::collection::btree_map(
                prop::sample::select(vec!["first_name", "last_name", "emails", "phones", "is_favorite", "id", "x"]),
                prop_oneof![
                    any::<String>().prop_map(Value::String),
                    any::<bool>().prop_map(Value::Bool),
                    Just(Value::Null),
                    any::<String>().prop_map(|s| json!({ "preferred": s, "personal": s })),
                    "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}".prop_map(|s| json!({ "preferred": s })),
                    "[+]?[0-9 ]{3,12}".prop_map(|s| json!({ "personal": s })),
                ],
                0..6,
            )
        ) {
            let map: Map<String, Value> = fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            match NewContact::from_object(&map) {
                Ok(c) => {
                    prop_assert!(!(c.first_name.is_empty() && c.last_name.is_empty()));
                    prop_assert!(c.first_name.chars().count() <= MAX_NAME);
                    prop_assert!(c.email.as_deref().is_none_or(is_email));
                    prop_assert!(c.phone.as_deref().is_none_or(is_phone));
                }
                Err(e) => {
                    prop_assert_eq!(e.code(), "request_body_invalid");
                    let field = e.to_string().split(':').next().unwrap_or("").to_owned();
                    let top = field.split('.').next().unwrap_or("");
                    prop_assert!(top == "first_name" || map.contains_key(top), "{}", e);
                }
            }
        }
    }
}
