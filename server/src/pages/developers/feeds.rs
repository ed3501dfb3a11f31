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
use crate::pages::i18n::{self, M, fill, t};
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

/// The last check in the reader's language: the message for its code with the stored values
/// (numbers grouped as the language writes them); the stored English message for a code or
/// values this page does not know (rows polled before values were stored).
fn said(f: &Feed) -> String {
    let values: Vec<String> = if f.detail.is_empty() {
        Vec::new()
    } else {
        match serde_json::from_str(&f.detail) {
            Ok(v) => v,
            Err(_) => return f.message.clone(),
        }
    };
    let number = |s: &String| s.parse().map(i18n::number).unwrap_or_else(|_| s.clone());
    let (key, names): (M, &[&str]) = match f.status.as_str() {
        "pending" => (M::FeedSaysPending, &[]),
        "ok" => (M::FeedSaysOk, &["read", "new", "written"]),
        "not_modified" => (M::FeedSaysNotModified, &[]),
        "feed_url_invalid" => (M::FeedSaysUrlInvalid, &[]),
        "feed_host_refused" => (M::FeedSaysHostRefused, &["host"]),
        "feed_unreachable" => (M::FeedSaysUnreachable, &["why"]),
        "feed_timeout" => (M::FeedSaysTimeout, &["seconds"]),
        "feed_http_error" => (M::FeedSaysHttp, &["status"]),
        "feed_too_large" => (M::FeedSaysTooLarge, &["bytes"]),
        "feed_redirects" => (M::FeedSaysRedirects, &[]),
        "feed_xml_invalid" => (M::FeedSaysXml, &["why"]),
        "feed_not_a_feed" => (M::FeedSaysNotAFeed, &["root"]),
        _ => return f.message.clone(),
    };
    if names.len() != values.len() {
        return f.message.clone();
    }
    let numeric = matches!(f.status.as_str(), "ok" | "feed_too_large");
    let shown: Vec<String> = values
        .iter()
        .map(|v| if numeric { number(v) } else { v.clone() })
        .collect();
    let args: Vec<(&str, &str)> = names
        .iter()
        .copied()
        .zip(shown.iter().map(String::as_str))
        .collect();
    fill(key, &args)
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
                        code class="feed-code" { (f.status) } " · " (said(f))
                    }
                    p class="muted" {
                        @match f.checked_at { Some(at) => (i18n::date_time(at)), None => (t(M::FeedNever)) }
                        " · " (i18n::number(f.entries_seen)) " "
                        (t(if f.entries_seen == 1 { M::FeedSeenOne } else { M::FeedSeen }))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::i18n::{Locale, with_locale};

    fn feed(status: &str, message: &str, detail: &str) -> Feed {
        Feed {
            client_id: "c1".into(),
            url: "https://example.net/feed".into(),
            etag: None,
            last_modified: None,
            status: status.into(),
            message: message.into(),
            detail: detail.into(),
            entries_seen: 0,
            checked_at: None,
            next_at: 0,
        }
    }

    #[test]
    fn the_last_check_is_said_in_the_readers_language() {
        let ok = feed("ok", "Entries read: 1234, …", r#"["1234","2","2"]"#);
        assert_eq!(
            with_locale(Locale::Fr, || said(&ok)),
            "Entrées lues : 1\u{202f}234, nouvelles : 2, activités écrites : 2."
        );
        assert_eq!(
            with_locale(Locale::En, || said(&ok)),
            "Entries read: 1,234, new: 2, activities written: 2."
        );
        let http = feed(
            "feed_http_error",
            "the feed's server answered HTTP 404",
            r#"["404"]"#,
        );
        assert_eq!(
            with_locale(Locale::De, || said(&http)),
            "Der Server des Feeds antwortete mit HTTP 404."
        );
        let pending = feed("pending", "Not checked yet.", "");
        assert_eq!(
            with_locale(Locale::It, || said(&pending)),
            "Non ancora controllato."
        );
    }

    #[test]
    fn a_row_without_values_or_with_an_unknown_code_keeps_its_message() {
        for (status, detail) in [
            ("ok", ""),
            ("ok", "not json"),
            ("ok", r#"["1"]"#),
            ("feed_something_new", "[]"),
        ] {
            let f = feed(status, "As stored.", detail);
            assert_eq!(
                with_locale(Locale::Es, || said(&f)),
                "As stored.",
                "{status} {detail}"
            );
        }
    }
}
