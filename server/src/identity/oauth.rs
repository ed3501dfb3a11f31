//! Discovery, JWKS, `/token` and `/revoke`.

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult, JsonError};
use crate::identity::client_auth;
use crate::identity::tokens::{self, Tokens};

/// An [`AppError`] answered as `/token` and `/revoke` answer (RFC 6749 §5.2):
/// `{ "error", "error_description" }` with `Cache-Control: no-store` for OAuth errors; any
/// other error (storage, internal) as [`JsonError`] answers it. A 401 `invalid_client` to a
/// caller that is not a browser also carries `WWW-Authenticate: Basic` (RFC 6749 §5.2;
/// browsers never get it, so no page ever sees a password prompt).
#[derive(Debug)]
pub struct OAuthError(pub AppError, pub Challenge);

/// Whether an `invalid_client` answer carries `WWW-Authenticate: Basic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Challenge {
    /// No challenge (a browser's request, or not a client authentication failure).
    #[default]
    None,
    /// `WWW-Authenticate: Basic realm="wl-connect"`.
    Basic,
}

impl From<AppError> for OAuthError {
    fn from(e: AppError) -> Self {
        Self(e, Challenge::None)
    }
}

/// A client authentication failure's answer: challenged unless the request came from a page.
fn client_failure(e: AppError, headers: &HeaderMap) -> OAuthError {
    let challenge = if headers.contains_key(header::ORIGIN) {
        Challenge::None
    } else {
        Challenge::Basic
    };
    OAuthError(e, challenge)
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let OAuthError(err, challenge) = self;
        let AppError::OAuth { error, description } = &err else {
            return JsonError(err).into_response();
        };
        err.log();
        let mut res = (
            err.status(),
            Json(json!({ "error": error, "error_description": description })),
        )
            .into_response();
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if challenge == Challenge::Basic && *error == "invalid_client" {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"wl-connect\", charset=\"UTF-8\""),
            );
        }
        res
    }
}

/// A form body whose rejection is an RFC 6749 `invalid_request`.
#[derive(Debug)]
pub struct OAuthForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OAuthForm<T> {
    type Rejection = OAuthError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Form::<T>::from_request(req, state).await {
            Ok(Form(v)) => Ok(Self(v)),
            Err(e @ FormRejection::InvalidFormContentType(_)) => {
                Err(AppError::oauth("invalid_request", format!("{e}")).into())
            }
            Err(e) => Err(AppError::oauth(
                "invalid_request",
                format!("The request body could not be read: {e}"),
            )
            .into()),
        }
    }
}

/// `GET /.well-known/openid-configuration`.
pub async fn discovery(State(state): State<Tokens>) -> Response {
    let iss = &state.issuer;
    let doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "revocation_endpoint": format!("{iss}/revoke"),
        "jwks_uri": format!("{iss}/jwks.json"),
        "wl_api_base": format!("{iss}/v1/"),
        "wl_messenger_hub": format!("{}/v1/hub", iss.replacen("http", "ws", 1)),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [crate::identity::keys::ALG],
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "consent"],
        "scopes_supported": crate::identity::scopes::ALL.iter().map(|s| s.name).collect::<Vec<_>>(),
        "claims_supported": claims_supported(),
        "ui_locales_supported": UI_LOCALES_SUPPORTED,
    });
    cached_json(doc)
}

/// The languages of the provider's pages (`crate::pages::i18n::Locale::ALL`'s tags; a test there
/// keeps the two lists equal), for `ui_locales`.
pub const UI_LOCALES_SUPPORTED: [&str; 5] = ["en", "fr", "de", "es", "it"];

/// How clients authenticate at `/token` and `/revoke`: public clients with none (PKCE),
/// confidential ones with their secret ([`client_auth`]).
const AUTH_METHODS: [&str; 3] = ["none", "client_secret_basic", "client_secret_post"];

/// The ID token's protocol claims, then every claim about the person a scope releases, in the
/// scope table's order.
fn claims_supported() -> Vec<&'static str> {
    let mut claims = vec!["iss", "aud", "exp", "iat", "nonce"];
    for scope in crate::identity::scopes::ALL {
        for claim in scope.claims {
            if !claims.contains(claim) {
                claims.push(claim);
            }
        }
    }
    claims
}

/// `GET /jwks.json`.
pub async fn jwks(State(state): State<Tokens>) -> Response {
    cached_json(state.key.jwks().clone())
}

fn cached_json(v: Value) -> Response {
    let mut res = Json(v).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    res
}

/// `/token` form fields.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

/// Authenticates the caller ([`client_auth::authenticate`]); its failures are challenged.
async fn check_client(
    state: &Tokens,
    headers: &HeaderMap,
    raw_query: Option<&str>,
    client_id: Option<&str>,
    client_secret: Option<&str>,
) -> Result<String, OAuthError> {
    client_auth::authenticate(state, headers, raw_query, client_id, client_secret)
        .await
        .map(|c| c.client_id)
        .map_err(|e| client_failure(e, headers))
}

fn required<'a>(v: &'a Option<String>, name: &str) -> AppResult<&'a str> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::oauth("invalid_request", format!("{name} is required.")))
}

/// `POST /token`.
pub async fn token(
    State(state): State<Tokens>,
    headers: HeaderMap,
    RawQuery(raw_query): RawQuery,
    OAuthForm(f): OAuthForm<TokenForm>,
) -> Result<Response, OAuthError> {
    let client_id = check_client(
        &state,
        &headers,
        raw_query.as_deref(),
        f.client_id.as_deref(),
        f.client_secret.as_deref(),
    )
    .await?;
    let st = &state;
    let issued = match f.grant_type.as_str() {
        "authorization_code" => {
            let code = required(&f.code, "code")?;
            let redirect_uri = required(&f.redirect_uri, "redirect_uri")?;
            let verifier = required(&f.code_verifier, "code_verifier (PKCE)")?;
            tokens::exchange_code(st, &client_id, code, redirect_uri, verifier).await
        }
        "refresh_token" => {
            let rt = required(&f.refresh_token, "refresh_token")?;
            tokens::refresh(st, &client_id, rt, f.scope.as_deref()).await
        }
        "" => Err(AppError::oauth(
            "invalid_request",
            "grant_type is required.",
        )),
        other => Err(AppError::oauth(
            "unsupported_grant_type",
            format!("grant_type `{other}` is not supported."),
        )),
    }?;
    let mut res = Json(issued).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// `/revoke` form fields (RFC 7009).
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /revoke`.
pub async fn revoke(
    State(state): State<Tokens>,
    headers: HeaderMap,
    RawQuery(raw_query): RawQuery,
    OAuthForm(f): OAuthForm<RevokeForm>,
) -> Result<Response, OAuthError> {
    let client_id = check_client(
        &state,
        &headers,
        raw_query.as_deref(),
        f.client_id.as_deref(),
        f.client_secret.as_deref(),
    )
    .await?;
    let token = required(&f.token, "token")?;
    tokens::revoke_token(&state, &client_id, token).await?;
    Ok(axum::http::StatusCode::OK.into_response())
}
