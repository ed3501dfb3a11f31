//! The portal's feed page (`/developers/apps/{id}/feed`, issue 17 §1): an app's owners set the
//! RSS or Atom feed the provider polls for the app, see the last check's status (a stable code
//! and what it means), check it now, or remove it. Every form carries the session's CSRF
//! token; anyone but an owner gets 404 ([`super::owned_app`]). The page's words are all in
//! [`text`] (one place to translate).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::html;
use serde::Deserialize;

use super::{Gate, owned_app};
use crate::error::AppError;
use crate::identity::sessions::Csrf;
use crate::pages::PageError;
use crate::pages::html::{brand, layout};
use crate::pages::i18n::{self, M, t};
use crate::pages::{Keep, html_response};
use crate::state::AppState;
use crate::store::apps::App;
use crate::store::feeds::{self as store, Feed};
use crate::web::redirect;

/// The page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/developers/apps/{id}/feed", get(page).post(save))
        .route("/developers/apps/{id}/feed/check", post(check))
        .route("/developers/apps/{id}/feed/remove", post(remove))
}

fn path_of(client_id: &str) -> String {
    super::app_path(client_id, "/feed")
}

/// What the page shows besides the feed.
#[derive(Debug, Default)]
pub(crate) struct Shown {
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<(String, String)>,
    pub(crate) typed: Option<String>,
}

/// `GET /developers/apps/{id}/feed`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
) -> Result<Response, PageError> {
    render(
        &state,
        &headers,
        &client_id,
        StatusCode::OK,
        Shown::default(),
    )
    .await
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, PageError> {
    let app = match owned_app(state, headers, client_id, &path_of(client_id)).await? {
        Gate::Open(_, app) => app,
        Gate::SignIn(res) => return Ok(res),
    };
    let feed = store::of_app(&mut *state.db.conn().await?, client_id).await?;
    let csrf = Csrf::for_page(&state.sessions(), headers, true);
    let body = feed_page(&app, feed.as_ref(), &csrf.token, &shown);
    Ok(html_response(status, body, &csrf, None, Keep::NoStore))
}

/// The save form.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
}

/// The check and remove forms.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Checks a form's origin and CSRF token and that the signed-in person owns the app.
async fn check_form(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
    csrf: &str,
) -> Result<bool, PageError> {
    if Csrf::check_signed_in(&state.sessions(), headers, csrf)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    Ok(matches!(
        owned_app(state, headers, client_id, &path_of(client_id)).await?,
        Gate::Open(..)
    ))
}

/// `POST /developers/apps/{id}/feed`: sets the address (checked: http(s), a host, and when
/// the host is an address, a public one; names are checked when fetched).
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<SaveForm>,
) -> Result<Response, PageError> {
    if !check_form(&state, &headers, &client_id, &f.csrf).await? {
        return Ok(redirect(StatusCode::SEE_OTHER, &path_of(&client_id)));
    }
    let url = match state.feeds.fetcher.check_url(&f.url) {
        Ok(u) => u,
        Err(e) => {
            let shown = Shown {
                error: Some((e.code().to_owned(), e.to_string())),
                typed: Some(f.url.chars().take(2100).collect()),
                ..Shown::default()
            };
            return render(&state, &headers, &client_id, StatusCode::BAD_REQUEST, shown).await;
        }
    };
    store::set(
        &mut *state.db.conn().await?,
        &client_id,
        url.as_str(),
        state.clock.now(),
    )
    .await?;
    tracing::info!(app = %client_id, "feed set");
    let shown = Shown {
        notice: Some(t(M::FeedSaved).into()),
        ..Shown::default()
    };
    render(&state, &headers, &client_id, StatusCode::OK, shown).await
}

/// `POST /developers/apps/{id}/feed/check`: polls the feed now and shows what it found.
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    if !check_form(&state, &headers, &client_id, &f.csrf).await? {
        return Ok(redirect(StatusCode::SEE_OTHER, &path_of(&client_id)));
    }
    let feed = store::of_app(&mut *state.db.conn().await?, &client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::feeds::poll(&state, &feed).await?;
    render(
        &state,
        &headers,
        &client_id,
        StatusCode::OK,
        Shown::default(),
    )
    .await
}

/// `POST /developers/apps/{id}/feed/remove`.
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    if !check_form(&state, &headers, &client_id, &f.csrf).await? {
        return Ok(redirect(StatusCode::SEE_OTHER, &path_of(&client_id)));
    }
    store::remove(&mut *state.db.conn().await?, &client_id).await?;
    let shown = Shown {
        notice: Some(t(M::FeedRemoved).into()),
        ..Shown::default()
    };
    render(&state, &headers, &client_id, StatusCode::OK, shown).await
}

/// Whether a status is good news (the page shows the others as a problem).
fn healthy(status: &str) -> bool {
    matches!(status, "ok" | "not_modified" | "pending")
}

pub(crate) fn feed_page(app: &App, feed: Option<&Feed>, csrf: &str, shown: &Shown) -> String {
    let base = path_of(&app.client_id);
    let typed = shown
        .typed
        .clone()
        .or_else(|| feed.map(|f| f.url.clone()))
        .unwrap_or_default();
    let body = html! {
        main class="card wide feed-page" {
            (brand())
            h1 { (t(M::FeedTitle)) }
            p class="sub" { (app.name) " · " (t(M::DevClientId)) " " code { (app.client_id) } }
            @if let Some(n) = &shown.notice {
                div class="notice" role="status" { (n) }
            }
            p class="lead" { (t(M::FeedLead)) }
            @match feed {
                None => p class="muted" { (t(M::FeedNone)) },
                Some(f) => section class="feed-status" aria-labelledby="feed-status-h" {
                    h2 id="feed-status-h" { (t(M::FeedStatus)) }
                    @let problem = !healthy(&f.status);
                    div class=(if problem { "alert" } else { "notice" }) role=(if problem { "alert" } else { "status" }) {
                        code class="feed-code" { (f.status) } " · " (f.message)
                    }
                    p class="muted" {
                        @match f.checked_at { Some(at) => (i18n::date_time(at)), None => (t(M::FeedNever)) }
                        " · " (i18n::number(f.entries_seen)) " " (t(M::FeedSeen))
                    }
                    div class="row" {
                        form method="post" action=(format!("{base}/check")) {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" class="secondary" { (t(M::FeedCheck)) }
                        }
                        form method="post" action=(format!("{base}/remove")) {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" class="danger" { (t(M::FeedRemove)) }
                        }
                    }
                },
            }
            form class="stack" method="post" action=(base) {
                input type="hidden" name="csrf" value=(csrf);
                label for="feed-url" { (t(M::FeedUrlLabel)) }
                @if let Some((code, message)) = &shown.error {
                    p class="alert" id="feed-url-error" role="alert" {
                        code { (code) } " · " (message)
                    }
                }
                input id="feed-url" name="url" type="text" inputmode="url" autocomplete="url" spellcheck="false"
                    value=(typed) aria-describedby="feed-url-hint"
                    aria-invalid=(if shown.error.is_some() { "true" } else { "false" });
                p id="feed-url-hint" class="muted" { (t(M::FeedUrlHint)) }
                button type="submit" class="primary" { (t(M::FeedSave)) }
            }
            p class="hint" {
                a href=(format!("/developers/apps/{}", app.client_id)) { (t(M::FeedBack)) }
            }
        }
    };
    layout(&format!("{} · {}", t(M::FeedTitle), app.name), body)
}
