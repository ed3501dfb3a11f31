//! A server-side client for a wl-connect provider (async, on `reqwest`).
//!
//! A back end runs the OAuth 2.0 authorization code flow as a **confidential client** (with a
//! client secret, sent as `client_secret_basic`) or, without one, as a public client; both use
//! PKCE, which the provider requires of every client. Then it refreshes and revokes tokens and
//! calls the Live-style data APIs at `/v1` with OData query options ([`OData`], [`quote`]).
//! Every failure is one [`Error`] with a stable [`Error::code`]: the provider's own
//! (`invalid_client`, `invalid_grant`, `request_token_invalid`, …) or the library's
//! (`state_mismatch`, `no_refresh_token`, …).
//!
//! ```no_run
//! # async fn demo(callback_query: &str) -> Result<(), wl_connect_client::Error> {
//! use wl_connect_client::{Client, OData, quote};
//! let client = Client::new("http://127.0.0.1:8081", "CLIENT_ID")
//!     .with_secret("wlcs_…")
//!     .with_redirect_uri("http://127.0.0.1:4000/callback");
//! let pending = client.authorization_url("wl.basic wl.offline_access").await?;
//! // Redirect the browser to pending.url; keep `pending` in the person's session.
//! let tokens = client.handle_callback(callback_query, &pending).await?;
//! let me = client.api("me", &tokens).send().await?;
//! let bs = client
//!     .api("me/friends", &tokens)
//!     .odata(OData::new().filter(format!("startswith(last_name,{})", quote("B"))).top(10).count())
//!     .send()
//!     .await?;
//! let tokens = client.ensure_fresh(tokens).await?; // refreshes only when about to expire
//! client.revoke_tokens(&tokens).await?;
//! # let _ = (me, bs); Ok(()) }
//! ```
//!
//! Secrets and tokens never appear in `Debug` output or in error messages.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore as _;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds before expiry from which [`Client::ensure_fresh`] refreshes.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Every failure of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The provider refused: the token endpoint's `{error, error_description}` or the data
    /// API's `{error: {code, message}}`, with the HTTP status.
    #[error("{code}: {message} (HTTP {status})")]
    Provider {
        /// The provider's stable code (`invalid_client`, `request_parameter_invalid`, …).
        code: String,
        /// Its human-readable message.
        message: String,
        /// The HTTP status.
        status: u16,
    },
    /// The provider redirected back with `error=…` (`access_denied` when the person said no).
    #[error("{code}: {message}")]
    Callback {
        /// The redirect's `error`.
        code: String,
        /// Its `error_description`.
        message: String,
    },
    /// The callback's `state` is not the one the request was made with; nothing was sent.
    #[error("state_mismatch: the callback's state is not this session's")]
    StateMismatch,
    /// A refresh was needed or asked for without a refresh token (ask for `wl.offline_access`).
    #[error("no_refresh_token: no refresh token (ask for wl.offline_access)")]
    NoRefreshToken,
    /// The callback or the call lacks something it needs (a `code`, a redirect URI).
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    /// The discovery document is unusable (wrong issuer, a missing endpoint).
    #[error("discovery_invalid: {0}")]
    Discovery(String),
    /// An answer that is not what the protocol says (not JSON, no access token).
    #[error("response_invalid: {0}")]
    Response(String),
    /// No HTTP answer (connection refused, timeout).
    #[error("network_error: {0}")]
    Network(String),
}

impl Error {
    /// The stable code of this error (the provider's code for [`Error::Provider`] and
    /// [`Error::Callback`]).
    pub fn code(&self) -> &str {
        match self {
            Error::Provider { code, .. } | Error::Callback { code, .. } => code,
            Error::StateMismatch => "state_mismatch",
            Error::NoRefreshToken => "no_refresh_token",
            Error::InvalidRequest(_) => "invalid_request",
            Error::Discovery(_) => "discovery_invalid",
            Error::Response(_) => "response_invalid",
            Error::Network(_) => "network_error",
        }
    }

    /// The HTTP status of a provider error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Provider { status, .. } => Some(*status),
            _ => None,
        }
    }

    fn from_body(status: u16, body: &[u8]) -> Self {
        let value: Option<Value> = serde_json::from_slice(body).ok();
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        if let Some(v) = value {
            match v.get("error") {
                Some(Value::Object(e)) if e.get("code").is_some_and(Value::is_string) => {
                    return Error::Provider {
                        code: text(e.get("code")),
                        message: text(e.get("message")),
                        status,
                    };
                }
                Some(Value::String(code)) => {
                    return Error::Provider {
                        code: code.clone(),
                        message: text(v.get("error_description")),
                        status,
                    };
                }
                _ => {}
            }
        }
        Error::Provider {
            code: "http_error".into(),
            message: format!("the provider answered HTTP {status}"),
            status,
        }
    }
}

fn network(e: reqwest::Error) -> Error {
    // Without the URL: it may carry a query string.
    Error::Network(e.without_url().to_string())
}

/// The tokens of one person for this app. A refresh token is spent when used: keep the
/// [`Tokens`] that [`Client::refresh`] returns.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    /// The bearer token for `/v1`.
    pub access_token: String,
    /// When the access token expires.
    pub expires_at: SystemTime,
    /// The granted scopes, space-separated.
    pub scope: String,
    /// With `wl.offline_access`.
    pub refresh_token: Option<String>,
    /// With `openid`.
    pub id_token: Option<String>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"…")
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// Whether the access token is expired or expires within `leeway`.
    pub fn expires_within(&self, leeway: Duration) -> bool {
        SystemTime::now() + leeway >= self.expires_at
    }

    /// `expires_at` as Unix seconds (to store it).
    pub fn expires_at_unix(&self) -> u64 {
        self.expires_at
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
    #[serde(default)]
    scope: String,
    refresh_token: Option<String>,
    id_token: Option<String>,
}

impl From<TokenAnswer> for Tokens {
    fn from(a: TokenAnswer) -> Self {
        Tokens {
            access_token: a.access_token,
            expires_at: SystemTime::now() + Duration::from_secs(a.expires_in),
            scope: a.scope,
            refresh_token: a.refresh_token,
            id_token: a.id_token,
        }
    }
}

/// An authorization request in flight: send the browser to `url`; keep the rest in the
/// person's session until the callback.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The provider's authorize URL with every parameter.
    pub url: String,
    /// The `state` the callback must echo.
    pub state: String,
    /// The PKCE verifier the code exchange sends.
    pub code_verifier: String,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// The parts of the provider's discovery document this crate uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    /// The issuer (must equal the client's).
    pub issuer: String,
    /// `/authorize`.
    pub authorization_endpoint: String,
    /// `/token`.
    pub token_endpoint: String,
    /// `/revoke`.
    pub revocation_endpoint: Option<String>,
    /// The data APIs' base, `{issuer}/v1`.
    pub wl_api_base: Option<String>,
    /// How clients may authenticate at `/token`.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
}

/// An OData string literal: `O'Brien` becomes `'O''Brien'`.
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A small builder of OData query options for `/v1` collections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OData {
    params: Vec<(&'static str, String)>,
}

impl OData {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    fn set(mut self, key: &'static str, value: String) -> Self {
        self.params.retain(|(k, _)| *k != key);
        self.params.push((key, value));
        self
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `$filter`; several calls are joined with `and`. Quote string literals with [`quote`].
    pub fn filter(self, expression: impl Into<String>) -> Self {
        let expression = expression.into();
        let value = match self.get("$filter") {
            Some(old) => format!("({old}) and ({expression})"),
            None => expression,
        };
        self.set("$filter", value)
    }

    /// `$select`: the fields to return.
    pub fn select(self, fields: &[&str]) -> Self {
        self.set("$select", fields.join(","))
    }

    /// `$orderby`: keys such as `"last_name"` or `"is_favorite desc"`.
    pub fn orderby(self, keys: &[&str]) -> Self {
        self.set("$orderby", keys.join(","))
    }

    /// `$top`: at most `n` rows (the provider allows 0–1000).
    pub fn top(self, n: u32) -> Self {
        self.set("$top", n.to_string())
    }

    /// `$skip`: leave out the first `n` rows.
    pub fn skip(self, n: u32) -> Self {
        self.set("$skip", n.to_string())
    }

    /// `$count=true`: the answer carries `count`.
    pub fn count(self) -> Self {
        self.set("$count", "true".into())
    }

    /// The options as pairs.
    pub fn params(&self) -> &[(&'static str, String)] {
        &self.params
    }
}

impl fmt::Display for OData {
    /// The query string, spaces as `%20`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_query(
            self.params.iter().map(|(k, v)| (*k, v.as_str())),
        ))
    }
}

/// `k=v&…`, form-encoded but with spaces as `%20` (a literal `+` is already `%2B`).
fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .replace('+', "%20")
}

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Constant-time equality of two strings (for `state`).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// One app (`client_id`) at one provider (`issuer`). Cheap to clone; the discovery document
/// is fetched once, on first use.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    issuer: String,
    client_id: String,
    secret: Option<String>,
    redirect_uri: Option<String>,
    discovery: Arc<Mutex<Option<Arc<Discovery>>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("confidential", &self.secret.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A public client (no secret) of `issuer`, with a 10-second timeout and no redirects
    /// followed.
    pub fn new(issuer: &str, client_id: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Client {
            http,
            issuer: issuer.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            secret: None,
            redirect_uri: None,
            discovery: Arc::default(),
        }
    }

    /// Makes it a confidential client: `/token` and `/revoke` authenticate with this secret
    /// (`client_secret_basic`).
    pub fn with_secret(mut self, secret: &str) -> Self {
        self.secret = Some(secret.to_owned());
        self
    }

    /// The redirect URI registered for the app (the back end's callback).
    pub fn with_redirect_uri(mut self, redirect_uri: &str) -> Self {
        self.redirect_uri = Some(redirect_uri.to_owned());
        self
    }

    /// Uses this `reqwest::Client` (timeouts, TLS, proxies of your choice). Do not let it
    /// follow redirects.
    pub fn with_http(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The provider's discovery document (`/.well-known/openid-configuration`), cached.
    pub async fn discovery(&self) -> Result<Arc<Discovery>, Error> {
        if let Some(d) = self.discovery.lock().ok().and_then(|g| g.clone()) {
            return Ok(d);
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let res = self.http.get(url).send().await.map_err(network)?;
        let status = res.status().as_u16();
        let body = res.bytes().await.map_err(network)?;
        if status != 200 {
            return Err(Error::from_body(status, &body));
        }
        let doc: Discovery = serde_json::from_slice(&body)
            .map_err(|e| Error::Discovery(format!("the document does not parse: {e}")))?;
        if doc.issuer.trim_end_matches('/') != self.issuer {
            return Err(Error::Discovery(format!(
                "the document's issuer {} is not {}",
                doc.issuer, self.issuer
            )));
        }
        let doc = Arc::new(doc);
        if let Ok(mut g) = self.discovery.lock() {
            *g = Some(doc.clone());
        }
        Ok(doc)
    }

    /// The URL to send the person's browser to, with a fresh `state` and PKCE verifier. Keep
    /// the returned request in the person's session: the callback needs it.
    pub async fn authorization_url(&self, scope: &str) -> Result<AuthorizationRequest, Error> {
        self.authorization_url_with(scope, &[]).await
    }

    /// [`Client::authorization_url`] with extra parameters (`prompt`, `nonce`, `ui_locales`…).
    pub async fn authorization_url_with(
        &self,
        scope: &str,
        extra: &[(&str, &str)],
    ) -> Result<AuthorizationRequest, Error> {
        let redirect = self
            .redirect_uri
            .as_deref()
            .ok_or_else(|| Error::InvalidRequest("no redirect URI".into()))?;
        let doc = self.discovery().await?;
        let verifier = random_b64(32);
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let state = random_b64(16);
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect),
            ("scope", scope),
            ("state", state.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        pairs.extend_from_slice(extra);
        let sep = if doc.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        let url = format!("{}{sep}{}", doc.authorization_endpoint, encode_query(pairs));
        Ok(AuthorizationRequest {
            url,
            state,
            code_verifier: verifier,
        })
    }

    /// The whole callback: reads `code` and `state` from the callback's query string, turns an
    /// `error=…` redirect into [`Error::Callback`], checks `state` ([`Error::StateMismatch`],
    /// nothing sent) and exchanges the code.
    pub async fn handle_callback(
        &self,
        query: &str,
        pending: &AuthorizationRequest,
    ) -> Result<Tokens, Error> {
        let mut code = None;
        let mut state = String::new();
        let mut error = None;
        let mut description = String::new();
        for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            match &*k {
                "code" => code = Some(v.into_owned()),
                "state" => state = v.into_owned(),
                "error" => error = Some(v.into_owned()),
                "error_description" => description = v.into_owned(),
                _ => {}
            }
        }
        if !same(&state, &pending.state) {
            return Err(Error::StateMismatch);
        }
        if let Some(code) = error {
            return Err(Error::Callback {
                code,
                message: description,
            });
        }
        let code = code.ok_or_else(|| Error::InvalidRequest("the callback has no code".into()))?;
        self.exchange_code(&code, &state, pending).await
    }

    /// Exchanges the callback's `code` for tokens after checking its `state` against
    /// `pending`'s.
    pub async fn exchange_code(
        &self,
        code: &str,
        state: &str,
        pending: &AuthorizationRequest,
    ) -> Result<Tokens, Error> {
        let redirect = self.redirect_uri.clone().unwrap_or_default();
        self.exchange_code_at(code, state, pending, &redirect).await
    }

    /// [`Client::exchange_code`] with an explicit `redirect_uri` (it must be the one the
    /// authorization request used).
    pub async fn exchange_code_at(
        &self,
        code: &str,
        state: &str,
        pending: &AuthorizationRequest,
        redirect_uri: &str,
    ) -> Result<Tokens, Error> {
        if !same(state, &pending.state) {
            return Err(Error::StateMismatch);
        }
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", pending.code_verifier.as_str()),
        ];
        self.token(&form).await
    }

    /// New tokens from `tokens`' refresh token. The old refresh token is spent: store the
    /// returned tokens.
    pub async fn refresh(&self, tokens: &Tokens) -> Result<Tokens, Error> {
        let refresh = tokens
            .refresh_token
            .as_deref()
            .ok_or(Error::NoRefreshToken)?;
        self.refresh_token(refresh).await
    }

    /// New tokens from a refresh token.
    pub async fn refresh_token(&self, refresh_token: &str) -> Result<Tokens, Error> {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    /// `tokens` while the access token has more than [`DEFAULT_LEEWAY`] left, else refreshed
    /// ones (store them).
    pub async fn ensure_fresh(&self, tokens: Tokens) -> Result<Tokens, Error> {
        if tokens.expires_within(DEFAULT_LEEWAY) {
            self.refresh(&tokens).await
        } else {
            Ok(tokens)
        }
    }

    /// Revokes one token (RFC 7009); `hint` is `access_token` or `refresh_token`.
    pub async fn revoke(&self, token: &str, hint: Option<&str>) -> Result<(), Error> {
        let doc = self.discovery().await?;
        let url = doc
            .revocation_endpoint
            .clone()
            .unwrap_or_else(|| format!("{}/revoke", self.issuer));
        let mut form = vec![("token", token)];
        if let Some(h) = hint {
            form.push(("token_type_hint", h));
        }
        self.post_form(&url, &form).await.map(|_| ())
    }

    /// Revokes `tokens`' refresh token (which ends the grant), else its access token.
    pub async fn revoke_tokens(&self, tokens: &Tokens) -> Result<(), Error> {
        match &tokens.refresh_token {
            Some(r) => self.revoke(r, Some("refresh_token")).await,
            None => {
                self.revoke(&tokens.access_token, Some("access_token"))
                    .await
            }
        }
    }

    async fn token(&self, form: &[(&str, &str)]) -> Result<Tokens, Error> {
        let url = self.discovery().await?.token_endpoint.clone();
        let body = self.post_form(&url, form).await?;
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| Error::Response(format!("the token answer: {e}")))?;
        Ok(answer.into())
    }

    async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Result<Vec<u8>, Error> {
        let mut pairs: Vec<(&str, &str)> = form.to_vec();
        let mut req = self.http.post(url).header("Accept", "application/json");
        match &self.secret {
            Some(secret) => {
                // RFC 6749 §2.3.1: each part form-urlencoded, then Basic.
                let enc =
                    |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                let pair = format!("{}:{}", enc(&self.client_id), enc(secret));
                req = req.header("Authorization", format!("Basic {}", STANDARD.encode(pair)));
            }
            None => pairs.push(("client_id", &self.client_id)),
        }
        let res = req
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encode_query(pairs))
            .send()
            .await
            .map_err(network)?;
        let status = res.status().as_u16();
        let body = res.bytes().await.map_err(network)?.to_vec();
        if !(200..300).contains(&status) {
            return Err(Error::from_body(status, &body));
        }
        Ok(body)
    }

    /// A call to `/v1/{path}` (`"me"`, `"me/friends"`…) with `tokens`' access token; add
    /// options, then [`ApiCall::send`]. Answers are JSON; redirects are not followed (ask
    /// `me/picture` for its location with `.query("suppress_redirects", "true")`).
    pub fn api<'a>(&'a self, path: &str, tokens: &'a Tokens) -> ApiCall<'a> {
        self.api_with_token(path, &tokens.access_token)
    }

    /// [`Client::api`] with a bare access token.
    pub fn api_with_token<'a>(&'a self, path: &str, access_token: &'a str) -> ApiCall<'a> {
        ApiCall {
            client: self,
            token: access_token,
            path: path.trim_start_matches('/').to_owned(),
            method: reqwest::Method::GET,
            query: Vec::new(),
            body: None,
        }
    }
}

/// One `/v1` call being built ([`Client::api`]).
#[derive(Debug)]
pub struct ApiCall<'a> {
    client: &'a Client,
    token: &'a str,
    path: String,
    method: reqwest::Method,
    query: Vec<(String, String)>,
    body: Option<Value>,
}

impl ApiCall<'_> {
    /// The HTTP method (GET by default).
    pub fn method(mut self, method: reqwest::Method) -> Self {
        self.method = method;
        self
    }

    /// Adds OData query options.
    pub fn odata(mut self, odata: OData) -> Self {
        self.query
            .extend(odata.params.into_iter().map(|(k, v)| (k.to_owned(), v)));
        self
    }

    /// Adds one query parameter.
    pub fn query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body (for `POST me/contacts`, `me/activities`…); makes the call a POST unless a
    /// method was set.
    pub fn json(mut self, body: Value) -> Self {
        if self.method == reqwest::Method::GET {
            self.method = reqwest::Method::POST;
        }
        self.body = Some(body);
        self
    }

    /// Sends the call; the answer's JSON (`Value::Null` for an empty body).
    pub async fn send(self) -> Result<Value, Error> {
        let doc = self.client.discovery().await?;
        let base = doc
            .wl_api_base
            .clone()
            .unwrap_or_else(|| format!("{}/v1", self.client.issuer));
        let mut url = format!("{}/{}", base.trim_end_matches('/'), self.path);
        if !self.query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&encode_query(
                self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ));
        }
        let mut req = self
            .client
            .http
            .request(self.method, url)
            .bearer_auth(self.token)
            .header("Accept", "application/json");
        if let Some(body) = &self.body {
            req = req.json(body);
        }
        let res = req.send().await.map_err(network)?;
        let status = res.status().as_u16();
        let body = res.bytes().await.map_err(network)?;
        if !(200..300).contains(&status) {
            return Err(Error::from_body(status, &body));
        }
        if body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&body).map_err(|e| Error::Response(format!("not JSON: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_doubles_quotes() {
        assert_eq!(quote("O'Brien"), "'O''Brien'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn odata_builds_and_encodes() {
        let q = OData::new()
            .filter(format!("startswith(first_name,{})", quote("B")))
            .filter("last_name ne null")
            .select(&["id", "name"])
            .orderby(&["last_name desc", "id"])
            .top(5)
            .skip(2)
            .count();
        assert_eq!(
            q.to_string(),
            "%24filter=%28startswith%28first_name%2C%27B%27%29%29%20and%20%28last_name%20ne%20null%29\
             &%24select=id%2Cname&%24orderby=last_name%20desc%2Cid&%24top=5&%24skip=2&%24count=true"
        );
        assert_eq!(
            OData::new().top(1).top(2).params(),
            &[("$top", "2".to_owned())]
        );
    }

    #[test]
    fn errors_read_both_shapes() {
        let e = Error::from_body(
            401,
            br#"{"error":"invalid_client","error_description":"no"}"#,
        );
        assert_eq!((e.code(), e.status()), ("invalid_client", Some(401)));
        let e = Error::from_body(
            400,
            br#"{"error":{"code":"request_parameter_invalid","message":"$filter: x"}}"#,
        );
        assert_eq!(e.code(), "request_parameter_invalid");
        assert_eq!(
            e.to_string(),
            "request_parameter_invalid: $filter: x (HTTP 400)"
        );
        let e = Error::from_body(502, b"<html>");
        assert_eq!((e.code(), e.status()), ("http_error", Some(502)));
    }

    #[test]
    fn debug_hides_secrets_and_tokens() {
        let c = Client::new("http://127.0.0.1:1", "id").with_secret("wlcs_TOPSECRET");
        assert!(!format!("{c:?}").contains("TOPSECRET"));
        let t = Tokens {
            access_token: "wlat_A".into(),
            expires_at: SystemTime::now(),
            scope: String::new(),
            refresh_token: Some("wlrt_R".into()),
            id_token: None,
        };
        let shown = format!("{t:?}");
        assert!(
            !shown.contains("wlat_A") && !shown.contains("wlrt_R"),
            "{shown}"
        );
        let p = AuthorizationRequest {
            url: "u".into(),
            state: "s".into(),
            code_verifier: "VERIFIER".into(),
        };
        assert!(!format!("{p:?}").contains("VERIFIER"));
    }

    #[test]
    fn state_compare() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
