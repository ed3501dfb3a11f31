//! The signed-in person from OpenID Connect's standard places, for any provider (pure).
//!
//! A provider with the Live-style data API names it in discovery (`wl_api_base`) and answers
//! `WL.api("me")` itself. Any other OpenID provider has only the standard places: the ID
//! token's claims and the `userinfo_endpoint` (OIDC Core §5.3), called with the access token.
//! There `WL.api("me")` is answered from userinfo (over the ID token's claims), mapped onto the
//! Live-style `me` object the controls and pages already read ([`me`]; the loader writes it); every other
//! `WL.api` path rejects with `not_supported` ([`route`]). `docs/loader.md` ("Any OpenID Connect
//! provider") has the table of which features need the data API.

use crate::error::Error;
use crate::oidc::Discovery;

/// Where one `WL.api` call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route<'a> {
    /// The Live-style data API: this URL.
    Api(String),
    /// `GET me` without a data API: the userinfo endpoint (its answer mapped by [`me`]).
    Userinfo(&'a str),
}

/// Whether a `WL.api` path names the signed-in person (`me`, `/me`, `v1/me`, `/v1/me`).
pub fn is_me(path: &str) -> bool {
    matches!(path, "me" | "/me" | "v1/me" | "/v1/me")
}

/// Routes a `WL.api` call (`path`, upper-case `method`) for the provider in `d`: the data API
/// when discovery names one; otherwise only `GET me`, from the userinfo endpoint, and
/// `not_supported` for anything else (or without a userinfo endpoint).
pub fn route<'a>(d: &'a Discovery, path: &str, method: &str) -> Result<Route<'a>, Error> {
    if d.data_api {
        return crate::api::build_url(&d.api_base, path).map(Route::Api);
    }
    match &d.userinfo_endpoint {
        Some(u) if method == "GET" && is_me(path) => Ok(Route::Userinfo(u)),
        _ => Err(Error::NotSupported),
    }
}

/// Live's `me` fields and the standard claims they come from, in order: `sub` → `id`, `name`,
/// `given_name` → `first_name`, `family_name` → `last_name`, `picture`, and `email`, which the
/// object holds as `emails.preferred` and `emails.account`.
pub const FIELDS: [(&str, &str); 6] = [
    ("id", "sub"),
    ("name", "name"),
    ("first_name", "given_name"),
    ("last_name", "family_name"),
    ("picture", "picture"),
    ("email", "email"),
];

/// Whether a userinfo answer may be used: its `sub` is the ID token's (OIDC Core §5.3.2), or
/// `invalid_token` (a token substitution or a mix-up would otherwise show someone else).
pub fn check_sub(userinfo_sub: Option<&str>, id_token_sub: Option<&str>) -> Result<(), Error> {
    match (userinfo_sub, id_token_sub) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err(Error::InvalidToken(
            "the userinfo answer's sub differs".into(),
        )),
    }
}

/// Live's `me` from standard claims: `set(field, value)` for each of [`FIELDS`] whose claim
/// `userinfo` has, else `id_token` has (userinfo's values win; check its `sub` first with
/// [`check_sub`]).
pub fn me<V>(
    userinfo: impl Fn(&str) -> Option<V>,
    id_token: impl Fn(&str) -> Option<V>,
    mut set: impl FnMut(&'static str, V),
) {
    for (field, claim) in FIELDS {
        if let Some(v) = userinfo(claim).or_else(|| id_token(claim)) {
            set(field, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disco(data_api: bool, userinfo: Option<&str>) -> Discovery {
        let doc = [
            ("issuer", "http://127.0.0.1:9"),
            ("authorization_endpoint", "http://127.0.0.1:9/auth"),
            ("token_endpoint", "http://127.0.0.1:9/token"),
            ("jwks_uri", "http://127.0.0.1:9/jwks"),
            ("wl_api_base", "http://127.0.0.1:9/v1/"),
            ("userinfo_endpoint", userinfo.unwrap_or("")),
        ];
        Discovery::parse("http://127.0.0.1:9", |k| {
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
                Ok(Route::Userinfo("http://127.0.0.1:9/me")),
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
        let e = route(&disco(false, None), "me", "GET").expect_err("no userinfo endpoint");
        assert_eq!(e.code(), "not_supported");
    }

    fn collect(
        ui: impl Fn(&str) -> Option<String>,
        id: impl Fn(&str) -> Option<String>,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        me(ui, id, |f, v| out.push((f, v)));
        out
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
            ("phone_number", "+1"),
        ]);
        let me = collect(&ui, &id);
        let want: Vec<(&str, String)> = [
            ("id", "u1"),
            ("name", "Ada Lovelace"),
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("picture", "https://p.example/ada.png"),
            ("email", "ada@example.com"),
        ]
        .into_iter()
        .map(|(f, v)| (f, v.to_string()))
        .collect();
        assert_eq!(me, want);
        // The ID token fills in what userinfo leaves out.
        let sparse = claims(&[("sub", "u1"), ("family_name", "L")]);
        assert_eq!(
            collect(sparse, &id),
            [
                ("id", "u1".to_string()),
                ("name", "From Token".into()),
                ("last_name", "L".into()),
                ("email", "t@x".into()),
            ]
        );
        // A userinfo answer with only `sub`: the ID token's values.
        assert_eq!(
            collect(claims(&[("sub", "u1")]), &id),
            [
                ("id", "u1".to_string()),
                ("name", "From Token".into()),
                ("email", "t@x".into()),
            ]
        );
    }

    #[test]
    fn a_userinfo_answer_for_another_person_is_refused() {
        // OIDC Core §5.3.2: userinfo's sub must be the ID token's, or its values are not used
        // (a token substitution or a mix-up would otherwise show someone else's name).
        assert_eq!(check_sub(Some("alice"), Some("alice")), Ok(()));
        for (ui, id) in [
            (Some("mallory"), Some("alice")),
            (None, Some("alice")),
            (Some("alice "), Some("alice")),
            (Some("alice"), None),
            (None, None),
        ] {
            let e = check_sub(ui, id).expect_err("another person");
            assert_eq!(e.code(), "invalid_token", "{ui:?} {id:?}");
        }
    }
}
