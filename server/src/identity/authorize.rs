//! An authorization request (`GET /authorize?…`): its checks, and how each failure is
//! answered (an error page, or an error redirect back to the app).

use crate::error::AppError;
use crate::identity::apps::{self, App};
use crate::identity::scopes::ScopeSet;
use crate::store::db::Db;

/// A checked authorization request.
#[derive(Debug)]
pub struct AuthzRequest {
    /// The registered app.
    pub app: App,
    /// The exact, registered redirect URI.
    pub redirect_uri: String,
    /// Requested scopes.
    pub scopes: ScopeSet,
    /// Echoed `state`.
    pub state: Option<String>,
    /// OIDC nonce.
    pub nonce: Option<String>,
    /// PKCE S256 challenge.
    pub challenge: String,
    /// OIDC `prompt`.
    pub prompt: Option<String>,
    /// The original query string.
    pub raw: String,
}

/// Why a request was refused: on a provider page (the app cannot be trusted with the answer) or
/// by redirecting an OAuth error to the app.
#[derive(Debug)]
pub enum Refusal {
    /// Shown on the provider.
    Page(AppError),
    /// Sent back to the app's redirect URI.
    Redirect(String),
}

/// `uri` with `params` appended to its query.
pub fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => uri.to_owned(),
    }
}

/// An OAuth error sent back to the app's redirect URI (with its `state`).
pub fn error_redirect(
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Refusal {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    Refusal::Redirect(with_params(redirect_uri, &params))
}

/// Checks an authorization request's query string.
pub async fn check_request(db: &Db, raw: &str) -> Result<AuthzRequest, Refusal> {
    let mut get = std::collections::HashMap::<String, String>::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        get.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    let param = |k: &str| get.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(client_id) = param("client_id") else {
        return Err(Refusal::Page(AppError::page(
            "invalid_request",
            "This sign-in link is incomplete",
            "The app that sent you here didn't say who it is (client_id is missing). Go back and contact the site's owner.",
        )));
    };
    let found = match db.conn().await {
        Ok(mut c) => apps::find(&mut c, client_id).await,
        Err(e) => Err(e),
    };
    let app = match found {
        Ok(Some(app)) => app,
        Ok(None) => {
            return Err(Refusal::Page(AppError::page(
                "unknown_client",
                "This app isn't registered",
                format!(
                    "The app that sent you here (client id \u{201c}{client_id}\u{201d}) isn't registered with this wl-connect provider, so you can't sign in to it."
                ),
            )));
        }
        Err(e) => return Err(Refusal::Page(e.into())),
    };
    let Some(redirect_uri) =
        param("redirect_uri").filter(|u| app.redirect_uris.iter().any(|r| r == u))
    else {
        return Err(Refusal::Page(AppError::page(
            "redirect_uri_mismatch",
            "This sign-in link can't be used",
            format!(
                "{} asked to send your answer to an address it hasn't registered, so wl-connect stopped here to keep your account safe.",
                app.name
            ),
        )));
    };
    let redirect_uri = redirect_uri.to_owned();
    let st = param("state");
    if param("response_type") != Some("code") {
        return Err(error_redirect(
            &redirect_uri,
            st,
            "unsupported_response_type",
            "Only response_type=code is supported.",
        ));
    }
    let challenge = match (param("code_challenge"), param("code_challenge_method")) {
        (Some(c), Some("S256")) if crate::identity::pkce::challenge_is_valid(c) => c.to_owned(),
        _ => {
            return Err(error_redirect(
                &redirect_uri,
                st,
                "invalid_request",
                "PKCE is required: send code_challenge with code_challenge_method=S256.",
            ));
        }
    };
    let scopes = match ScopeSet::parse(param("scope").unwrap_or("")) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            return Err(error_redirect(
                &redirect_uri,
                st,
                "invalid_scope",
                "No scope was requested.",
            ));
        }
        Err(e) => {
            return Err(error_redirect(
                &redirect_uri,
                st,
                "invalid_scope",
                &e.to_string(),
            ));
        }
    };
    if let Some(s) = scopes
        .iter()
        .find(|s| !crate::identity::apps::may_request(&app, s.name))
    {
        return Err(error_redirect(
            &redirect_uri,
            st,
            "invalid_scope",
            &format!("This app may not request the `{}` scope.", s.name),
        ));
    }
    Ok(AuthzRequest {
        redirect_uri,
        scopes,
        state: st.map(str::to_owned),
        nonce: param("nonce").map(str::to_owned),
        challenge,
        prompt: param("prompt").map(str::to_owned),
        raw: raw.to_owned(),
        app,
    })
}
