//! The person endpoints of `/v1`: `/v1/me`, `/v1/{id}` and their pictures, and the answers
//! to `/v1` paths and methods that name no API.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::{ApiError, ApiResult};
use crate::error::{AppError, AppResult};
use crate::identity::people::{self, Person, live_time};
use crate::identity::scopes::ScopeSet;
use crate::identity::tokens::TokenInfo;
use crate::identity::userinfo::Bearer;
use crate::state::AppState;

/// The Live Connect profile of `/v1/me` and `/v1/{id}`: the one definition of its JSON
/// shape. The OpenAPI `Profile` schema and the columns of `/v1/me/friends` (a friend is a
/// profile without emails, plus `uses_this_app`) are tested against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The person's id.
    pub id: String,
    /// The name shown to others.
    pub name: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The public profile page.
    pub link: String,
    /// Locale, Live Connect style (`en_US`).
    pub locale: String,
    /// Last change, Live Connect time (`2010-11-23T11:00:00+0000`).
    pub updated_time: String,
    /// The public picture.
    pub picture: String,
    /// The addresses, with `wl.emails` or `email` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emails: Option<Emails>,
}

/// A profile's `emails`: the one address under every Live Connect name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Emails {
    /// Preferred address.
    pub preferred: String,
    /// Account address.
    pub account: String,
    /// Personal address.
    pub personal: String,
    /// Business address (always `null`).
    pub business: Option<String>,
}

impl Profile {
    /// The profile of `person` at the provider `issuer`; `emails` adds the addresses.
    pub fn of(person: &Person, issuer: &str, emails: bool) -> Self {
        Self {
            id: person.id.clone(),
            name: person.display_name.clone(),
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            link: format!("{issuer}/people/{}", person.id),
            locale: person.locale.clone(),
            updated_time: live_time(person.updated_at),
            picture: person.picture_url(issuer),
            emails: emails.then(|| Emails {
                preferred: person.email.clone(),
                account: person.email.clone(),
                personal: person.email.clone(),
                business: None,
            }),
        }
    }

    /// The profile as a JSON value (as `/v1/me` answers it).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

async fn load_person(state: &AppState, id: &str) -> AppResult<Person> {
    people::by_id(&mut *state.db.conn().await?, id)
        .await?
        .ok_or(AppError::InvalidToken)
}

/// Each field of a [`Profile`] and the claim (OIDC Core §5.4, scope table
/// [`crate::identity::scopes::ALL`]) a token's scopes must release for `/v1/me` to show it.
pub const FIELD_CLAIMS: &[(&str, &str)] = &[
    ("id", "sub"),
    ("name", "name"),
    ("first_name", "given_name"),
    ("last_name", "family_name"),
    ("link", "profile"),
    ("locale", "locale"),
    ("updated_time", "updated_at"),
    ("picture", "picture"),
    ("emails", "email"),
];

/// The token's person as `/v1/me` shows them to a token of `scopes`: `id` always, the other
/// fields only when the scopes release their claim ([`FIELD_CLAIMS`]). A token granted only
/// `openid` (or `wl.signin`) gets `{ "id" }`.
pub fn me_json(person: &Person, issuer: &str, scopes: &ScopeSet) -> serde_json::Value {
    let mut v = Profile::of(person, issuer, scopes.emails()).to_json();
    if let serde_json::Value::Object(map) = &mut v {
        map.retain(|field, _| {
            FIELD_CLAIMS
                .iter()
                .any(|(f, claim)| f == field && (*claim == "sub" || scopes.releases(claim)))
        });
    }
    v
}

/// `GET /v1/me`: the token's person, trimmed to what its scopes allow ([`me_json`]).
pub async fn me(State(state): State<AppState>, Bearer(tok): Bearer) -> ApiResult<Response> {
    let person = load_person(&state, &tok.person_id).await?;
    Ok(Json(me_json(&person, &state.issuer, &tok.scopes)).into_response())
}

/// The picture sizes Live Connect offered (`type=`); the provider's SVG pictures scale, so
/// every size is the same image.
pub const PICTURE_TYPES: &[&str] = &["small", "medium", "large"];

/// A picture answer: a 302 to `url`, or `{ "location": url }` with `suppress_redirects=true`.
fn picture_answer(url: &str, raw: Option<&str>) -> ApiResult<Response> {
    let mut suppress = false;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "suppress_redirects" => {
                suppress = match v.as_ref() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(ApiError::ParameterInvalid {
                            parameter: "suppress_redirects",
                            message: format!("expected 'true' or 'false', found '{other}'"),
                        });
                    }
                }
            }
            "type" if !PICTURE_TYPES.contains(&v.as_ref()) => {
                return Err(ApiError::ParameterInvalid {
                    parameter: "type",
                    message: format!("expected 'small', 'medium' or 'large', found '{v}'"),
                });
            }
            _ => {}
        }
    }
    if suppress {
        return Ok(Json(serde_json::json!({ "location": url })).into_response());
    }
    Ok(crate::web::redirect(StatusCode::FOUND, url))
}

/// `GET /v1/me/picture`: a redirect to the picture (or `{location}` with `suppress_redirects=true`).
pub async fn me_picture(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let person = load_person(&state, &tok.person_id).await?;
    picture_answer(&person.picture_url(&state.issuer), raw.as_deref())
}

/// A friend of the token's person (needs `wl.basic`), or 404 when they are not friends.
async fn visible_friend(state: &AppState, tok: &TokenInfo, id: &str) -> ApiResult<Person> {
    let scope = super::routes::FRIEND_ID.scope;
    if !tok.scopes.contains(scope) {
        return Err(AppError::InsufficientScope(scope).into());
    }
    let friend = people::are_friends(&mut *state.db.conn().await?, &tok.person_id, id).await?;
    if !friend {
        return Err(AppError::NotFound.into());
    }
    Ok(people::by_id(&mut *state.db.conn().await?, id)
        .await?
        .ok_or(AppError::NotFound)?)
}

/// `GET /v1/{id}/picture`: the token's person's own picture, or a friend's (needs
/// `wl.basic`); 404 `resource_not_found` for anyone else.
pub async fn person_picture(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let person = if id == tok.person_id {
        load_person(&state, &tok.person_id).await?
    } else {
        visible_friend(&state, &tok, &id).await?
    };
    picture_answer(&person.picture_url(&state.issuer), raw.as_deref())
}

/// `GET /v1/{id}`: the token's person (as `/v1/me`), a friend's profile (needs `wl.basic`),
/// or one of their contacts (`contact.…` ids, needs `wl.contacts`).
pub async fn person(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    if id == tok.person_id {
        return me(State(state), Bearer(tok)).await;
    }
    if id.starts_with("contact.") {
        let scope = super::routes::CONTACT_ID.scope;
        if !tok.scopes.contains(scope) {
            return Err(AppError::InsufficientScope(scope).into());
        }
        let contact = super::collections::contact_by_id(&state, &tok.person_id, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(Json(contact).into_response());
    }
    let person = visible_friend(&state, &tok, &id).await?;
    Ok(Json(Profile::of(&person, &state.issuer, false).to_json()).into_response())
}

/// Any `/v1` path that names no API: 404 `request_url_invalid` (no token needed).
pub async fn url_invalid(uri: Uri) -> ApiError {
    ApiError::UrlInvalid(uri.path().to_owned())
}

/// A method a `/v1` path does not answer: 405 `request_method_invalid`.
pub async fn method_invalid(method: Method) -> ApiError {
    ApiError::MethodInvalid(method.to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn alice() -> Person {
        Person {
            id: "b1fc132cc0fd482c".into(),
            username: "alice".into(),
            first_name: "Alice".into(),
            last_name: "Smith".into(),
            display_name: "Alice Smith".into(),
            email: "alice@example.com".into(),
            locale: "en_US".into(),
            picture_key: "k".into(),
            color: "#123456".into(),
            updated_at: 1_290_510_000,
        }
    }

    fn keys(v: &serde_json::Value) -> BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn the_shape_is_the_one_live_connect_had() {
        let v = Profile::of(&alice(), "http://p", true).to_json();
        assert_eq!(
            v,
            serde_json::json!({
                "id": "b1fc132cc0fd482c", "name": "Alice Smith", "first_name": "Alice",
                "last_name": "Smith", "link": "http://p/people/b1fc132cc0fd482c", "locale": "en_US",
                "updated_time": "2010-11-23T11:00:00+0000", "picture": "http://p/pictures/k.svg",
                "emails": { "preferred": "alice@example.com", "account": "alice@example.com",
                    "personal": "alice@example.com", "business": null },
            })
        );
        assert!(
            Profile::of(&alice(), "http://p", false)
                .to_json()
                .get("emails")
                .is_none()
        );
    }

    #[test]
    fn the_openapi_schema_matches_the_struct() {
        let doc = crate::api::openapi::document("http://p", &crate::api::routes::endpoints());
        let schema = &doc["components"]["schemas"]["Profile"]["properties"];
        let v = Profile::of(&alice(), "http://p", true).to_json();
        assert_eq!(keys(schema), keys(&v));
        assert_eq!(keys(&schema["emails"]["properties"]), keys(&v["emails"]));
    }

    #[test]
    fn me_shows_only_what_the_scopes_release() {
        let me = |scope: &str| me_json(&alice(), "http://p", &ScopeSet::parse(scope).unwrap());
        assert_eq!(keys(&me("openid")), keys(&serde_json::json!({ "id": 1 })));
        assert_eq!(
            keys(&me("openid wl.signin wl.offline_access")),
            keys(&me("openid"))
        );
        let full = Profile::of(&alice(), "http://p", true).to_json();
        assert_eq!(me("wl.basic wl.emails"), full);
        assert_eq!(me("openid profile email"), full);
        let basic = me("wl.basic");
        assert!(basic.get("emails").is_none());
        assert_eq!(keys(&basic).len(), keys(&full).len() - 1);
        let emails_only = me("wl.emails");
        assert_eq!(
            keys(&emails_only),
            keys(&serde_json::json!({ "id": 1, "emails": 1 }))
        );
        // Every field of the profile is gated by a claim some scope releases.
        for field in keys(&full) {
            let (_, claim) = FIELD_CLAIMS.iter().find(|(f, _)| *f == field).unwrap();
            assert!(
                crate::identity::scopes::ALL
                    .iter()
                    .any(|s| s.claims.contains(claim)),
                "{field}"
            );
        }
    }

    #[test]
    fn a_friend_is_a_profile_without_emails() {
        let v = Profile::of(&alice(), "http://p", false).to_json();
        let columns: BTreeSet<String> = crate::api::collections::friend_fields()
            .iter()
            .map(|(path, _)| path.to_owned())
            .collect();
        // Plus what only a friend has: whether they use the calling app (issue 16).
        let mut expected = keys(&v);
        expected.insert("uses_this_app".to_owned());
        assert_eq!(columns, expected);
    }
}
