//! The portal's client secrets page (`/developers/apps/{id}/secrets`, issue 15): an app's
//! owners list its secrets (short ids and dates, never a secret), make a new one (shown once),
//! rotate (the old ones keep working for an overlap window) and revoke one at once. Every form
//! carries the session's CSRF token; the rules are [`crate::identity::client_auth`]'s, the
//! same the CLI (`wl-server apps secret`) goes through.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Gate, owned_app};
use crate::error::AppError;
use crate::identity::client_auth::{self, NewSecret, SecretRow};
use crate::identity::sessions::Csrf;
use crate::pages::PageError;
use crate::pages::html::{brand, layout};
use crate::pages::i18n::{self, M, fill, rich, t};
use crate::pages::{Keep, html_response};
use crate::state::AppState;
use crate::store::apps::App;
use crate::web::redirect;

/// The page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/developers/apps/{id}/secrets", get(page))
        .route("/developers/apps/{id}/secrets/new", post(new_secret))
        .route("/developers/apps/{id}/secrets/rotate", post(rotate))
        .route("/developers/apps/{id}/secrets/revoke", post(revoke))
}

fn path_of(client_id: &str) -> String {
    super::app_path(client_id, "/secrets")
}

/// Query of the page: the secret just revoked, for the notice.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    revoked: Option<String>,
}

/// What the page shows besides the list.
#[derive(Debug, Default)]
pub(crate) struct Shown<'a> {
    pub(crate) new: Option<&'a NewSecret>,
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<String>,
}

/// `GET /developers/apps/{id}/secrets`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let notice = q
        .revoked
        .filter(|id| id.len() <= 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|id| fill(M::DevSecretRevoked, &[("id", &id)]));
    render(
        &state,
        &headers,
        &client_id,
        StatusCode::OK,
        Shown {
            notice,
            ..Shown::default()
        },
    )
    .await
}

/// The page for the app's owner, with `shown`.
async fn render(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<Response, PageError> {
    let app = match owned_app(state, headers, client_id, &path_of(client_id)).await? {
        Gate::Open(_, app) => app,
        Gate::SignIn(res) => return Ok(res),
    };
    let secrets = client_auth::list(&state.db, client_id).await?;
    let csrf = Csrf::for_page(&state.sessions(), headers, true);
    let body = secrets_page(&app, &secrets, &csrf.token, state.clock.now(), &shown);
    // The page may hold a secret: never stored by a cache, never in the history's cache.
    Ok(html_response(status, body, &csrf, None, Keep::NoStore))
}

/// The CSRF token alone (new secret).
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The rotate form.
#[derive(Debug, Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    overlap_hours: String,
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    secret: String,
}

/// Checks a form's origin and CSRF token and that the signed-in person owns the app. `None`
/// when nobody is signed in (the form changes nothing: the page sends them to sign in).
async fn check_form(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
    csrf: &str,
) -> Result<Option<()>, PageError> {
    if Csrf::check_signed_in(&state.sessions(), headers, csrf)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    match owned_app(state, headers, client_id, &path_of(client_id)).await? {
        Gate::Open(..) => Ok(Some(())),
        Gate::SignIn(_) => Ok(None),
    }
}

/// `POST /developers/apps/{id}/secrets/new`.
pub async fn new_secret(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    if check_form(&state, &headers, &client_id, &f.csrf)
        .await?
        .is_none()
    {
        return Ok(redirect(StatusCode::SEE_OTHER, &path_of(&client_id)));
    }
    let made = client_auth::create(&state.db, &client_id, state.clock.now()).await?;
    let shown = Shown {
        new: Some(&made),
        ..Shown::default()
    };
    render(&state, &headers, &client_id, StatusCode::OK, shown).await
}

/// `POST /developers/apps/{id}/secrets/rotate`.
pub async fn rotate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<RotateForm>,
) -> Result<Response, PageError> {
    if check_form(&state, &headers, &client_id, &f.csrf)
        .await?
        .is_none()
    {
        return Ok(redirect(StatusCode::SEE_OTHER, &path_of(&client_id)));
    }
    let max = client_auth::MAX_OVERLAP / 3600;
    let hours = match f.overlap_hours.trim().parse::<i64>() {
        Ok(h) if (0..=max).contains(&h) => h,
        _ => {
            let error = fill(M::DevOverlapInvalid, &[("max", &max.to_string())]);
            let shown = Shown {
                error: Some(error),
                ..Shown::default()
            };
            return render(&state, &headers, &client_id, StatusCode::BAD_REQUEST, shown).await;
        }
    };
    let made = client_auth::rotate(&state.db, &client_id, hours * 3600, state.clock.now()).await?;
    let shown = Shown {
        new: Some(&made),
        ..Shown::default()
    };
    render(&state, &headers, &client_id, StatusCode::OK, shown).await
}

/// `POST /developers/apps/{id}/secrets/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, PageError> {
    if check_form(&state, &headers, &client_id, &f.csrf)
        .await?
        .is_none()
    {
        return Ok(redirect(StatusCode::SEE_OTHER, &path_of(&client_id)));
    }
    match client_auth::revoke(&state.db, &client_id, &f.secret, state.clock.now()).await {
        Ok(()) => Ok(redirect(
            StatusCode::SEE_OTHER,
            &format!(
                "{}?revoked={}",
                path_of(&client_id),
                url::form_urlencoded::byte_serialize(f.secret.as_bytes()).collect::<String>()
            ),
        )),
        Err(AppError::Invalid(message)) => {
            // The service's English names the id typed; other languages say it in general.
            let message = match i18n::current() {
                i18n::Locale::En => message,
                _ => t(M::DevNoSuchSecret).to_owned(),
            };
            let shown = Shown {
                error: Some(format!("{message} {}", t(M::DevNothingChanged))),
                ..Shown::default()
            };
            render(&state, &headers, &client_id, StatusCode::BAD_REQUEST, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

fn status_of(s: &SecretRow, now: i64) -> String {
    match (s.revoked_at, s.expires_at) {
        (Some(at), _) => fill(M::DevRevokedAt, &[("at", &human_time(at))]),
        (None, Some(end)) if end <= now => fill(M::DevExpiredAt, &[("at", &human_time(end))]),
        (None, Some(end)) => fill(M::DevWorksUntil, &[("at", &human_time(end))]),
        (None, None) => t(M::DevLive).to_owned(),
    }
}

fn new_secret_box(n: &NewSecret) -> Markup {
    html! {
        div class="notice" role="status" {
            div class="stack" {
                label for="new-secret" { (fill(M::DevNewSecretLabel, &[("id", &n.id)])) }
                input id="new-secret" readonly value=(n.secret) autocomplete="off" spellcheck="false"
                    aria-describedby="new-secret-warning";
            }
            p id="new-secret-warning" {
                strong { (t(M::DevCopyNow)) }
                " " (t(M::DevKeepsHash))
            }
            @if let Some(until) = n.old_until {
                p { (fill(M::DevOldUntil, &[("at", &human_time(until))])) }
            }
        }
    }
}

pub(crate) fn secrets_page(
    app: &App,
    secrets: &[SecretRow],
    csrf: &str,
    now: i64,
    shown: &Shown<'_>,
) -> String {
    let base = path_of(&app.client_id);
    let live = secrets.iter().filter(|s| s.live(now)).count();
    let body = html! {
        main class="card wide" {
            (brand())
            h1 { (t(M::DevClientSecrets)) }
            p class="sub" { (rich(M::DevAppAndId, &[("app", html! { (app.name) }), ("id", html! { code { (app.client_id) } })])) }
            @if let Some(e) = &shown.error {
                div class="alert" role="alert" { (e) }
            }
            @if let Some(n) = shown.new {
                (new_secret_box(n))
            }
            @if let Some(n) = &shown.notice {
                div class="notice" role="status" { (n) }
            }
            p class="lead" {
                @if secrets.is_empty() {
                    (t(M::DevPublicApp))
                } @else {
                    (t(M::DevConfidentialApp))
                }
            }
            @if !secrets.is_empty() {
                h2 { (t(M::DevSecrets)) }
                ul class="apps" {
                    @for s in secrets {
                        li class="app" {
                            div class="app-meta" {
                                h2 { (rich(M::DevSecretN, &[("id", html! { code { (s.id) } })])) }
                                p class="muted" {
                                    (status_of(s, now)) " · " (fill(M::DevMadeAt, &[("at", &human_time(s.created_at))]))
                                    @if let Some(u) = s.last_used_at {
                                        " · " (fill(M::DevLastUsed, &[("at", &human_time(u))]))
                                    } @else {
                                        " · " (t(M::DevNeverUsed))
                                    }
                                }
                            }
                            @if s.revoked_at.is_none() && s.expires_at.is_none_or(|e| e > now) {
                                form method="post" action=(format!("{base}/revoke")) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="secret" value=(s.id);
                                    button type="submit" class="danger"
                                        aria-label=(fill(M::DevRevokeSecretNow, &[("id", &s.id)])) { (t(M::DevRevokeNow)) }
                                }
                            }
                        }
                    }
                }
            }
            @if live > 0 {
                form class="stack" method="post" action=(format!("{base}/rotate")) {
                    h2 { (t(M::DevRotate)) }
                    p class="muted" {
                        (t(M::DevRotateHint))
                    }
                    input type="hidden" name="csrf" value=(csrf);
                    label for="overlap" { (t(M::DevOverlap)) }
                    input id="overlap" name="overlap_hours" inputmode="numeric" value="24"
                        aria-describedby="overlap-hint";
                    p id="overlap-hint" class="muted" {
                        (fill(M::DevOverlapHint, &[("max", &(client_auth::MAX_OVERLAP / 3600).to_string())]))
                    }
                    button type="submit" class="primary" { (t(M::DevRotate)) }
                }
            }
            form class="stack" method="post" action=(format!("{base}/new")) {
                input type="hidden" name="csrf" value=(csrf);
                @if live > 0 {
                    p class="muted" {
                        (t(M::DevOneMoreHint))
                    }
                    button type="submit" class="secondary" { (t(M::DevNewSecretKeep)) }
                } @else {
                    button type="submit" class="primary" { (t(M::DevNewSecret)) }
                }
            }
            p class="hint" {
                (fill(M::DevHowBackEnd, &[("doc", "docs/confidential-clients.md")])) " "
                a href="/developers" { (t(M::DevBackToApps)) }
            }
        }
    };
    layout(&format!("{} · {}", t(M::DevClientSecrets), app.name), body)
}

/// A time (`23 Nov 2026, 14:05 UTC`) in the request's language.
fn human_time(secs: i64) -> String {
    i18n::date_time(secs)
}
