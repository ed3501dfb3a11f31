//! The pages of `/authorize`: sign-in and sign-out, the consent screen and its decision. The
//! request's checks are [`crate::identity::authorize`].

use axum::Form;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::AppError;
use crate::identity::apps;
use crate::identity::authorize::{
    AuthzRequest, Refusal, check_request, error_redirect, with_params,
};
use crate::identity::people::Person;
use crate::identity::scopes::ScopeSet;
use crate::identity::sessions::{Csrf, current_person, end_session, start_session};
use crate::identity::tokens::{self, CodeRequest};
use crate::pages::PageError;
use crate::pages::html::{self, ConsentView, SigninView};
use crate::pages::i18n::{self, M};
use crate::pages::{Keep, html_response};
use crate::state::AppState;
use crate::web::{ClientIp, redirect, safe_continue};

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::Page(e) => PageError(e).into_response(),
            Self::Redirect(to) => redirect(StatusCode::FOUND, &to),
        }
    }
}

fn html_page(status: StatusCode, body: String, csrf: &Csrf, form_origin: Option<&str>) -> Response {
    html_response(status, body, csrf, form_origin, Keep::Default)
}

/// Renders the sign-in form.
async fn signin_response(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    continue_to: &str,
    error: Option<&str>,
    username: &str,
) -> Response {
    let csrf = Csrf::for_page(&state.sessions(), headers, false);
    // Name the app when the sign-in continues an authorization request.
    let app = continue_to.strip_prefix("/authorize?").and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "client_id")
            .map(|(_, v)| v.into_owned())
    });
    let app = match app {
        Some(id) => match state.db.conn().await {
            Ok(mut c) => apps::find(&mut c, &id).await.ok().flatten(),
            Err(_) => None,
        },
        None => None,
    };
    let form_origin = continue_to
        .strip_prefix("/authorize?")
        .and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| v.into_owned())
        })
        .filter(|u| app.as_ref().is_some_and(|a| a.redirect_uris.contains(u)))
        .and_then(|u| apps::origin_of(&u));
    let body = html::signin_page(&SigninView {
        app_name: app.as_ref().map(|a| a.name.as_str()),
        continue_to,
        csrf: &csrf.token,
        error,
        username,
        demo: state.demo,
    });
    html_page(status, body, &csrf, form_origin.as_deref())
}

/// Issues a code under `grant` and redirects to the app.
async fn redirect_with_code(
    state: &AppState,
    req: &AuthzRequest,
    person: &Person,
    grant: &tokens::Grant,
    status: StatusCode,
) -> Result<Response, PageError> {
    let code = tokens::create_code(
        &state.tokens,
        &CodeRequest {
            grant_id: grant.id.clone(),
            client_id: req.app.client_id.clone(),
            person_id: person.id.clone(),
            redirect_uri: req.redirect_uri.clone(),
            scopes: req.scopes.clone(),
            nonce: req.nonce.clone(),
            code_challenge: req.challenge.clone(),
            remember: grant.remember,
        },
    )
    .await?;
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        params.push(("state", s));
    }
    Ok(redirect(status, &with_params(&req.redirect_uri, &params)))
}

/// `GET /authorize`.
pub async fn authorize(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let raw = raw.unwrap_or_default();
    let req = match check_request(&state.db, &raw).await {
        Ok(r) => r,
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let prompt_none = req.prompt.as_deref() == Some("none");
    let Some(person) = current_person(&state.sessions(), &headers).await? else {
        if prompt_none {
            return Ok(error_redirect(
                &req.redirect_uri,
                req.state.as_deref(),
                "login_required",
                "The person is not signed in.",
            )
            .into_response());
        }
        return Ok(signin_response(
            &state,
            &headers,
            StatusCode::OK,
            &format!("/authorize?{raw}"),
            None,
            "",
        )
        .await);
    };
    let now = state.clock.now();
    let grant = tokens::active_grant(
        &mut *state.db.conn().await?,
        &person.id,
        &req.app.client_id,
        now,
    )
    .await?;
    if let Some(g) = grant
        .as_ref()
        .filter(|g| g.scopes.covers(&req.scopes))
        .filter(|_| req.prompt.as_deref() != Some("consent"))
    {
        return redirect_with_code(&state, &req, &person, g, StatusCode::FOUND).await;
    }
    if prompt_none {
        return Ok(error_redirect(
            &req.redirect_uri,
            req.state.as_deref(),
            "consent_required",
            "The app needs consent first.",
        )
        .into_response());
    }
    let granted = grant.map(|g| g.scopes).unwrap_or_default();
    Ok(consent_response(&state, &headers, &req, &person, &granted))
}

fn consent_response(
    state: &AppState,
    headers: &HeaderMap,
    req: &AuthzRequest,
    person: &Person,
    granted: &ScopeSet,
) -> Response {
    let csrf = Csrf::for_page(&state.sessions(), headers, true);
    // Just-in-time consent: list only what the app does not have yet (all of it when a
    // `prompt=consent` re-asks for scopes already granted). Allowing still grants the union.
    let new = req.scopes.difference(granted);
    let (scopes, more) = if new.is_empty() {
        (&req.scopes, false)
    } else {
        (&new, new != req.scopes)
    };
    let origin = apps::origin_of(&req.redirect_uri).unwrap_or_default();
    let picture = person.picture_url(&state.issuer);
    let logo = req
        .app
        .has_logo
        .then(|| format!("/developers/apps/{}/logo.png", req.app.client_id));
    let body = html::consent_page(&ConsentView {
        app_name: &req.app.name,
        app_origin: &origin,
        person_name: &person.display_name,
        username: &person.username,
        picture: &picture,
        scopes,
        more,
        request: &req.raw,
        csrf: &csrf.token,
        description: &req.app.description,
        logo: logo.as_deref(),
        terms_url: req.app.terms_url.as_deref(),
        privacy_url: req.app.privacy_url.as_deref(),
    });
    html_page(StatusCode::OK, body, &csrf, Some(&origin))
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SigninForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "continue")]
    continue_to: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// The most characters a sign-in field (username, password) may have.
pub const MAX_FIELD_CHARS: usize = 400;

/// The stable code of a sign-in field over [`MAX_FIELD_CHARS`].
pub const FIELD_TOO_LONG: &str = "signin_field_too_long";

fn too_long(s: &str) -> bool {
    // Bytes first: 4 bytes at most per char, so no long string is walked char by char.
    s.len() > MAX_FIELD_CHARS * 4 || s.chars().count() > MAX_FIELD_CHARS
}

/// `POST /signin`.
pub async fn signin(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SigninForm>,
) -> Result<Response, PageError> {
    // The `/authorize` query this sign-in continues names the language it asked for.
    i18n::prefer_query(form.continue_to.split_once('?').map_or("", |(_, q)| q));
    Csrf::check_signin(&state.sessions(), &headers, &form.csrf).await?;
    let cont = safe_continue(&form.continue_to).to_owned();
    // Bounded fields, checked before anything is hashed, looked up or echoed.
    let long_name = too_long(&form.username);
    if long_name || too_long(&form.password) {
        let field = if long_name { "username" } else { "password" };
        tracing::info!(
            username = %crate::identity::people::log_name(&form.username),
            len = form.username.len(),
            %ip,
            field,
            "sign-in refused: field too long"
        );
        let key = if long_name {
            M::UsernameTooLong
        } else {
            M::PasswordTooLong
        };
        let msg = with_code(
            &i18n::fill(key, &[("max", &MAX_FIELD_CHARS.to_string())]),
            FIELD_TOO_LONG,
        );
        let echo = if long_name {
            String::new()
        } else {
            form.username.trim().to_lowercase()
        };
        return Ok(signin_response(
            &state,
            &headers,
            StatusCode::BAD_REQUEST,
            &cont,
            Some(&msg),
            &echo,
        )
        .await);
    }
    let username = form.username.trim().to_lowercase();
    let now = state.clock.now();
    let shared = state
        .throttle
        .shared_check(&state.bus, &username, &ip)
        .await;
    let attempt = match shared.and_then(|()| state.throttle.begin(&username, &ip, now)) {
        Ok(a) => a,
        Err(locked) => {
            return Ok(signin_response(
                &state,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                &cont,
                Some(&locked_message(&locked)),
                &username,
            )
            .await);
        }
    };
    let found =
        crate::identity::people::by_username(&mut *state.db.conn().await?, &username).await?;
    let (person, hash) = match found {
        Some((p, h)) => (Some(p), h),
        None => (None, state.dummy_hash.clone()),
    };
    let password = form.password;
    let ok = {
        let _permit = match state.throttle.hashing_permit().await {
            Ok(p) => p,
            Err(_busy) => {
                tracing::warn!(%ip, "sign-in refused: password hashing is saturated");
                return Ok(signin_response(
                    &state,
                    &headers,
                    StatusCode::SERVICE_UNAVAILABLE,
                    &cont,
                    Some(&with_code(
                        i18n::t(M::Busy),
                        crate::identity::throttle::Busy::CODE,
                    )),
                    &username,
                )
                .await);
            }
        };
        tokio::task::spawn_blocking(move || {
            use argon2::password_hash::{PasswordHash, PasswordVerifier};
            PasswordHash::new(&hash).is_ok_and(|h| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
        })
        .await
        .map_err(|e| AppError::Internal(format!("password check: {e}")))?
    };
    let person = match (person, ok) {
        (Some(p), true) => p,
        _ => {
            let local = attempt.failed(now);
            let shared = state
                .throttle
                .shared_failed(&state.bus, &username, &ip)
                .await;
            let msg = match local.or(shared) {
                Some(locked) => locked_message(&locked),
                None => i18n::t(M::WrongPassword).to_owned(),
            };
            tracing::info!(
                username = %crate::identity::people::log_name(&username),
                %ip,
                "failed sign-in"
            );
            return Ok(signin_response(
                &state,
                &headers,
                StatusCode::UNAUTHORIZED,
                &cont,
                Some(&msg),
                &username,
            )
            .await);
        }
    };
    attempt.succeeded(now);
    state.throttle.shared_succeeded(&state.bus, &username).await;
    let cookie = start_session(&state.sessions(), &person.id).await?;
    let mut res = redirect(StatusCode::SEE_OTHER, &cont);
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}

/// `message` followed by its stable code, in the request's language.
fn with_code(message: &str, code: &str) -> String {
    format!(
        "{message} {}",
        i18n::fill(M::ErrorCodeSuffix, &[("code", code)])
    )
}

/// A throttled sign-in's message in the request's language.
fn locked_message(locked: &crate::identity::throttle::Locked) -> String {
    let key = match locked.scope {
        crate::identity::throttle::Scope::Global => M::TooManyAttemptsGlobal,
        _ => M::TooManyAttempts,
    };
    with_code(
        &i18n::fill(key, &[("secs", &locked.secs.to_string())]),
        crate::identity::throttle::Locked::CODE,
    )
}

/// The sign-out form's fields.
#[derive(Debug, Deserialize)]
pub struct SignoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "continue")]
    continue_to: String,
}

/// `POST /signout`.
pub async fn signout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignoutForm>,
) -> Result<Response, PageError> {
    Csrf::check_signed_in(&state.sessions(), &headers, &form.csrf).await?;
    let cookie = end_session(&state.sessions(), &headers).await?;
    let mut res = redirect(StatusCode::SEE_OTHER, safe_continue(&form.continue_to));
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}

/// The consent form's fields.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    decision: String,
    remember: Option<String>,
}

/// `POST /authorize/decision`: Allow or Deny.
pub async fn decision(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    i18n::prefer_query(&form.request);
    let person = Csrf::check_signed_in(&state.sessions(), &headers, &form.csrf).await?;
    let req = match check_request(&state.db, &form.request).await {
        Ok(r) => r,
        Err(Refusal::Redirect(to)) => return Ok(redirect(StatusCode::SEE_OTHER, &to)),
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let Some(person) = person else {
        return Ok(redirect(
            StatusCode::SEE_OTHER,
            &format!("/authorize?{}", form.request),
        ));
    };
    match form.decision.as_str() {
        "allow" => {
            let remember = form.remember.is_some();
            let now = state.clock.now();
            let grant = {
                let mut tx = state.db.begin().await?;
                let grant = tokens::consent(
                    &mut tx,
                    &person.id,
                    &req.app.client_id,
                    &req.scopes,
                    remember,
                    now,
                )
                .await?;
                tx.commit().await?;
                grant
            };
            state.tokens.stats.consented(
                &req.app.client_id,
                req.scopes.iter().map(|s| s.name),
                now,
            );
            redirect_with_code(&state, &req, &person, &grant, StatusCode::SEE_OTHER).await
        }
        "deny" => {
            let mut params = vec![
                ("error", "access_denied"),
                ("error_description", "The person denied the request."),
            ];
            if let Some(s) = &req.state {
                params.push(("state", s));
            }
            Ok(redirect(
                StatusCode::SEE_OTHER,
                &with_params(&req.redirect_uri, &params),
            ))
        }
        _ => Err(AppError::page(
            "invalid_request",
            "Something went wrong",
            "Choose Allow or Deny.",
        )
        .into()),
    }
}
