//! The signed-in person from OpenID Connect's standard places, for any provider (pure).
//!
//! A provider with the Live-style data API names it in discovery (`wl_api_base`) and answers
//! `WL.api("me")` itself. Any other OpenID provider has only the standard places: the ID
//! token's claims and the `userinfo_endpoint` (OIDC Core §5.3), called with the access token.
//! There `WL.api("me")` is answered from userinfo (over the ID token's claims), mapped onto the
//! Live-style `me` object the controls and pages already read ([`Me`]); every other `WL.api`
//! path rejects with `not_supported` ([`route`]). `docs/loader.md` ("Which features need the
//! Live-style data API") has the table.

use crate::error::Error;
use crate::oidc::{Discovery, cat};

/// Where one `WL.api` call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The Live-style data API: this URL.
    Api(String),
    /// `GET me` without a data API: the userinfo endpoint (answer mapped by [`Me::read`]).
    Userinfo(String),
    /// `GET me` without a data API or a userinfo endpoint: the ID token's claims alone.
    IdToken,
}

/// Whether a `WL.api` path names the signed-in person (`me`, `/me`, `/v1/me`).
pub fn is_me(path: &str) -> bool {
    let p = path.trim_start_matches('/');
    p.strip_prefix("v1/").unwrap_or(p) == "me"
}

/// Routes a `WL.api` call (`path`, upper-case `method`) for the provider in `d`: the data API
/// when discovery names one; otherwise only `GET me`, from userinfo (or the ID token), and
/// `not_supported` for anything else.
pub fn route(d: &Discovery, path: &str, method: &str) -> Result<Route, Error> {
    if d.data_api {
        return crate::api::build_url(&d.api_base, path).map(Route::Api);
    }
    if method != "GET" || !is_me(path) {
        return Err(Error::NotSupported(cat(&[
            "this provider has no Live-style data API (no wl_api_base in its discovery document): WL.api answers only GET \"me\", from userinfo; not ",
            method,
            " ",
            path,
        ])));
    }
    Ok(d.userinfo_endpoint
        .clone()
        .map_or(Route::IdToken, Route::Userinfo))
}

/// A set of claims: one claim by name, as a string (`None` when absent).
pub type ClaimsOf<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The Live-style `me` object (the fields of `GET /v1/me` the controls read), made from
/// standard OpenID Connect claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Me {
    /// `id`, from `sub`.
    pub id: String,
    /// `name`, from `name`.
    pub name: Option<String>,
    /// `first_name`, from `given_name`.
    pub first_name: Option<String>,
    /// `last_name`, from `family_name`.
    pub last_name: Option<String>,
    /// `picture`, from `picture`.
    pub picture: Option<String>,
    /// `emails.preferred` and `emails.account`, from `email`.
    pub email: Option<String>,
}

impl Me {
    /// Reads the person: `userinfo`, the userinfo answer's claims (`None` without a userinfo
    /// call), over `id_token`, the ID token's claims (a claim by name, each a string or `None`).
    /// A userinfo answer is used only when its `sub` is the ID token's (OIDC Core §5.3.2): a
    /// missing or different `sub` is `invalid_token`.
    pub fn read(userinfo: Option<ClaimsOf<'_>>, id_token: ClaimsOf<'_>) -> Result<Me, Error> {
        let sub =
            id_token("sub").ok_or_else(|| Error::InvalidToken("the ID token has no sub".into()))?;
        if let Some(u) = userinfo
            && u("sub").as_deref() != Some(sub.as_str())
        {
            return Err(Error::InvalidToken(
                "the userinfo answer is about another person (its sub is not the ID token's)"
                    .into(),
            ));
        }
        let claim = |k: &str| {
            userinfo
                .and_then(|u| u(k))
                .or_else(|| id_token(k))
                .filter(|v| !v.is_empty())
        };
        Ok(Me {
            name: claim("name"),
            first_name: claim("given_name"),
            last_name: claim("family_name"),
            picture: claim("picture"),
            email: claim("email"),
            id: sub,
        })
    }
}

/// The `me` object `WL.api("me")` resolves with, for the session `s`: from `userinfo` (the
/// userinfo endpoint's answer; `None`: the ID token alone) over the ID token's claims, `sub`
/// being the session's `user_id` (the checked ID token's).
pub fn me_js(
    userinfo: Option<&wasm_bindgen::JsValue>,
    s: &crate::session::Session,
) -> Result<wasm_bindgen::JsValue, Error> {
    use crate::js;
    let payload = s
        .id_token
        .as_deref()
        .and_then(|t| crate::oidc::jwt_payload(t).ok())
        .and_then(|p| js::parse_json(&p))
        .unwrap_or(wasm_bindgen::JsValue::NULL);
    let id = |k: &str| match k {
        "sub" => s.user_id.clone(),
        _ => js::get_string(&payload, k),
    };
    let ui = userinfo.map(|u| move |k: &str| js::get_string(u, k));
    let me = Me::read(ui.as_ref().map(|f| f as ClaimsOf<'_>), &id)?;
    let o = js::object();
    js::set(&o, "id", me.id);
    for (k, v) in [
        ("name", me.name),
        ("first_name", me.first_name),
        ("last_name", me.last_name),
        ("picture", me.picture),
    ] {
        if let Some(v) = v {
            js::set(&o, k, v);
        }
    }
    if let Some(e) = me.email {
        let emails = js::object();
        js::set(&emails, "preferred", e.as_str());
        js::set(&emails, "account", e);
        js::set(&o, "emails", emails);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disco(data_api: bool, userinfo: Option<&str>) -> Discovery {
        let doc = [
            ("issuer", "http://127.0.0.1:9"),
            ("authorization_endpoint", "http://127.0.0.1:9/auth"),
            ("token_endpoint", "http://127.0.0.1:9/token"),
            ("wl_api_base", "http://127.0.0.1:9/v1/"),
            ("userinfo_endpoint", userinfo.unwrap_or("")),
        ];
        Discovery::parse(|k| {
            doc.iter()
                .find(|(n, v)| *n == k && !v.is_empty() && (data_api || k != "wl_api_base"))
                .map(|(_, v)| v.to_string())
        })
        .expect("valid")
    }

    fn claims(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_data_api_answers_every_path_when_discovery_names_it() {
        let d = disco(true, Some("http://127.0.0.1:9/me"));
        assert_eq!(
            route(&d, "me", "GET"),
            Ok(Route::Api("http://127.0.0.1:9/v1/me".into()))
        );
        assert_eq!(
            route(&d, "me/friends", "POST"),
            Ok(Route::Api("http://127.0.0.1:9/v1/me/friends".into()))
        );
    }

    #[test]
    fn without_a_data_api_only_get_me_is_answered_from_userinfo() {
        let d = disco(false, Some("http://127.0.0.1:9/me"));
        for p in ["me", "/me", "/v1/me"] {
            assert_eq!(
                route(&d, p, "GET"),
                Ok(Route::Userinfo("http://127.0.0.1:9/me".into())),
                "{p}"
            );
        }
        for (p, m) in [
            ("me/friends", "GET"),
            ("me", "POST"),
            ("me", "DELETE"),
            ("meh", "GET"),
            ("http://127.0.0.1:9/me", "GET"),
            ("https://evil.example/v1/me", "GET"),
            ("/v1/me/contacts", "GET"),
        ] {
            let e = route(&d, p, m).expect_err(p);
            assert_eq!(e.code(), "not_supported", "{m} {p}");
            assert!(e.to_string().contains("wl_api_base"), "{e}");
        }
        assert_eq!(route(&disco(false, None), "me", "GET"), Ok(Route::IdToken));
    }

    #[test]
    fn standard_claims_become_the_live_style_me() {
        let id = claims(&[("sub", "u1"), ("name", "From Token"), ("email", "t@x")]);
        let ui = claims(&[
            ("sub", "u1"),
            ("name", "Ada Lovelace"),
            ("given_name", "Ada"),
            ("family_name", "Lovelace"),
            ("picture", "https://p.example/ada.png"),
            ("email", "ada@example.com"),
        ]);
        let me = Me::read(Some(&ui), &id).expect("me");
        assert_eq!(
            me,
            Me {
                id: "u1".into(),
                name: Some("Ada Lovelace".into()),
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                picture: Some("https://p.example/ada.png".into()),
                email: Some("ada@example.com".into()),
            }
        );
        // The ID token fills in what userinfo leaves out; empty claims count as absent.
        let sparse = claims(&[("sub", "u1"), ("given_name", ""), ("family_name", "L")]);
        let me = Me::read(Some(&sparse), &id).expect("me");
        assert_eq!(me.name.as_deref(), Some("From Token"));
        assert_eq!(me.email.as_deref(), Some("t@x"));
        assert_eq!((me.first_name, me.last_name.as_deref()), (None, Some("L")));
        // No userinfo endpoint: the ID token alone.
        let me = Me::read(None, &id).expect("me");
        assert_eq!(
            (me.id.as_str(), me.name.as_deref(), me.picture),
            ("u1", Some("From Token"), None)
        );
    }

    #[test]
    fn a_userinfo_answer_for_another_person_is_refused() {
        // OIDC Core §5.3.2: userinfo's sub must be the ID token's, or its values are not used
        // (a token substitution or a mix-up would otherwise show someone else's name).
        let id = claims(&[("sub", "alice")]);
        for ui in [
            claims(&[("sub", "mallory"), ("name", "Alice")]),
            claims(&[("name", "Alice")]),
            claims(&[("sub", "alice "), ("name", "Alice")]),
        ] {
            let e = Me::read(Some(&ui), &id).expect_err("another person");
            assert_eq!(e.code(), "invalid_token");
        }
        let e = Me::read(None, &claims(&[("name", "x")])).expect_err("no sub");
        assert_eq!(e.code(), "invalid_token");
    }
}
