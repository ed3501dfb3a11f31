//! Discovery, JWKS, `/token` and `/revoke`.

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult, JsonError};
use crate::identity::tokens::{self, Tokens};

/// An [`AppError`] answered as `/token` and `/revoke` answer (RFC 6749 §5.2):
/// `{ "error", "error_description" }` with `Cache-Control: no-store` for OAuth errors; any
/// other error (storage, internal) as [`JsonError`] answers it.
#[derive(Debug)]
pub struct OAuthError(pub AppError);

impl From<AppError> for OAuthError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let err = self.0;
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
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "consent"],
        "scopes_supported": crate::identity::scopes::ALL.iter().map(|s| s.name).collect::<Vec<_>>(),
        "claims_supported": claims_supported(),
    });
    cached_json(doc)
}

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
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

/// Checks the client id exists and, for browser calls, that the page's origin is the app's.
async fn check_client(
    state: &Tokens,
    headers: &HeaderMap,
    client_id: Option<&str>,
) -> AppResult<String> {
    let Some(client_id) = client_id.filter(|c| !c.is_empty()) else {
        return Err(AppError::oauth("invalid_request", "client_id is required."));
    };
    let Some(app) = crate::identity::apps::find(&mut *state.db.conn().await?, client_id).await?
    else {
        return Err(AppError::oauth("invalid_client", "Unknown client_id."));
    };
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok())
        && !app.origins.iter().any(|o| o == origin)
    {
        return Err(AppError::oauth(
            "invalid_client",
            format!("The origin {origin} is not allowed for this client."),
        ));
    }
    Ok(app.client_id)
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
    OAuthForm(f): OAuthForm<TokenForm>,
) -> Result<Response, OAuthError> {
    let client_id = check_client(&state, &headers, f.client_id.as_deref()).await?;
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
}

/// `POST /revoke`.
pub async fn revoke(
    State(state): State<Tokens>,
    headers: HeaderMap,
    OAuthForm(f): OAuthForm<RevokeForm>,
) -> Result<Response, OAuthError> {
    let client_id = check_client(&state, &headers, f.client_id.as_deref()).await?;
    let token = required(&f.token, "token")?;
    tokens::revoke_token(&state, &client_id, token).await?;
    Ok(axum::http::StatusCode::OK.into_response())
}
