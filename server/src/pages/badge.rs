//! The no-JavaScript sharing badge: a site links to `{provider}/badge?url=…[&message=…]`;
//! the person signs in if needed (the provider's own sign-in form and session cookie), sees the
//! link, optionally writes a message, picks all friends or some, and shares. The activity lands
//! in those friends' `/v1/me/feed`; a "Shared" page confirms it (POST, then redirect, so a
//! reload never shares twice).
//!
//! Every form is CSRF-protected like the consent form (a token bound to the session, and the
//! `Origin` check: [`crate::identity::sessions`]). Only http(s)
//! links are accepted; anything else is an error page with the code `badge_url_invalid`
//! (`badge_url_missing` when there is no `url` at all).

use axum::extract::{Query, RawForm, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::AppError;
use crate::identity::people::Person;
use crate::identity::sessions::{Csrf, current_person};
use crate::pages::PageError;
use crate::pages::badge_view::{self, ShareView};
use crate::pages::html::{self, SigninView};
use crate::pages::i18n::{M, t};
use crate::pages::{Keep, html_response};
use crate::state::AppState;
use crate::store::activities::share_summary;
use crate::store::activities::{self as store, Audience, MAX_MESSAGE, NewActivity};
use crate::web::redirect;

/// Error code: the `url` is not an http(s) link.
pub const URL_INVALID: &str = "badge_url_invalid";
/// Error code: there is no `url`.
pub const URL_MISSING: &str = "badge_url_missing";
/// Error code: the shared activity of a confirmation page is not the person's.
pub const NOT_FOUND: &str = "badge_share_not_found";

/// The query of `GET /badge`.
#[derive(Debug, Deserialize)]
pub struct BadgeQuery {
    url: Option<String>,
    message: Option<String>,
}

/// Checks the `url` of a badge request; the error is the page to show.
fn checked_url(url: Option<&str>) -> Result<String, PageError> {
    let url = url.map(str::trim).filter(|u| !u.is_empty()).ok_or_else(|| {
        AppError::page(
            URL_MISSING,
            "Nothing to share",
            "This sharing link doesn't say which page to share (its url is missing). Go back and tell the site's owner.",
        )
    })?;
    store::check_link("url", url).map_err(|_| {
        AppError::page(
            URL_INVALID,
            "This link can't be shared",
            "Only web pages can be shared: the address must start with http:// or https://.",
        )
        .into()
    })
}

/// `/badge?url=…&message=…`: where this page lives (to come back after signing in or out).
fn badge_path(url: &str, message: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("url", url);
    if !message.is_empty() {
        q.append_pair("message", message);
    }
    format!("/badge?{}", q.finish())
}

/// An HTML page with the provider CSP and the CSRF cookie (if new).
fn page_response(status: StatusCode, body: String, csrf: &Csrf) -> Response {
    html_response(status, body, csrf, None, Keep::Default)
}

/// The provider's sign-in form, continuing to `continue_to` once signed in.
fn signin(state: &AppState, headers: &HeaderMap, continue_to: &str) -> Response {
    let csrf = Csrf::for_page(&state.sessions(), headers, false);
    let body = html::signin_page(&SigninView {
        app_name: Some("wl-connect sharing"),
        continue_to,
        csrf: &csrf.token,
        demo: state.demo,
        ..Default::default()
    });
    page_response(StatusCode::OK, body, &csrf)
}

/// What the share form was filled with (kept when it is shown again with an error).
struct Draft<'a> {
    url: &'a str,
    message: &'a str,
    chosen: bool,
    ticked: &'a [String],
}

async fn share_form(
    state: &AppState,
    headers: &HeaderMap,
    person: &Person,
    draft: &Draft<'_>,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let friends = store::friends(&mut *state.db.conn().await?, &person.id).await?;
    let csrf = Csrf::for_page(&state.sessions(), headers, true);
    let picture = person.picture_url(&state.issuer);
    let here = badge_path(draft.url, draft.message);
    let body = badge_view::share_page(&ShareView {
        person_name: &person.display_name,
        username: &person.username,
        picture: &picture,
        url: draft.url,
        message: draft.message,
        friends: &friends,
        issuer: &state.issuer,
        chosen: draft.chosen,
        ticked: draft.ticked,
        error,
        csrf: &csrf.token,
        here: &here,
    });
    Ok(page_response(status, body, &csrf))
}

/// `GET /badge?url=…[&message=…]`: the share form (after signing in, if needed).
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BadgeQuery>,
) -> Result<Response, PageError> {
    let url = checked_url(q.url.as_deref())?;
    let message = q.message.as_deref().unwrap_or("").trim();
    let Some(person) = current_person(&state.sessions(), &headers).await? else {
        return Ok(signin(&state, &headers, &badge_path(&url, message)));
    };
    let draft = Draft {
        url: &url,
        message,
        chosen: false,
        ticked: &[],
    };
    share_form(&state, &headers, &person, &draft, StatusCode::OK, None).await
}

/// `POST /badge` (form: `csrf`, `url`, `message`, `audience` = `all`|`chosen`, `to`…).
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawForm(form): RawForm,
) -> Result<Response, PageError> {
    let mut csrf = String::new();
    let mut url = None;
    let mut message = String::new();
    let mut chosen = false;
    let mut ticked: Vec<String> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(&form) {
        match k.as_ref() {
            "csrf" => csrf = v.into_owned(),
            "url" => url = Some(v.into_owned()),
            "message" => message = v.trim().to_owned(),
            "audience" => chosen = v == "chosen",
            "to" if !ticked.iter().any(|t| *t == v) => ticked.push(v.into_owned()),
            _ => {}
        }
    }
    let person = Csrf::check_signed_in(&state.sessions(), &headers, &csrf).await?;
    let url = checked_url(url.as_deref())?;
    let Some(person) = person else {
        // The session ended while the form was open: sign in again, then see the form again.
        return Ok(redirect(StatusCode::SEE_OTHER, &badge_path(&url, &message)));
    };
    // Ticking a friend always narrows the audience to the ticked friends: the person never
    // shares wider than the ticks on the page suggest.
    let chosen = chosen || !ticked.is_empty();
    let draft = Draft {
        url: &url,
        message: &message,
        chosen,
        ticked: &ticked,
    };
    let fail = async |error: &str| {
        share_form(
            &state,
            &headers,
            &person,
            &draft,
            StatusCode::BAD_REQUEST,
            Some(error),
        )
        .await
    };
    let message = match store::check_text("message", &message, MAX_MESSAGE) {
        Ok(m) => m,
        Err(_) => {
            return fail(&crate::pages::i18n::fill(
                M::MessageTooLong,
                &[("max", &MAX_MESSAGE.to_string())],
            ))
            .await;
        }
    };
    let friends = store::friends(&mut *state.db.conn().await?, &person.id).await?;
    if friends.is_empty() {
        return fail(t(M::NoFriends)).await;
    }
    let audience = if chosen {
        if ticked.is_empty() {
            return fail(t(M::TickOne)).await;
        }
        if ticked.iter().any(|t| !friends.iter().any(|f| f.id == *t)) {
            return fail(t(M::OnlyFriends)).await;
        }
        Audience::Chosen(ticked.clone())
    } else {
        Audience::Friends
    };
    let activity = NewActivity {
        actor_id: person.id.clone(),
        kind: "Announce",
        object_type: "Link",
        object_href: Some(url.clone()),
        object_name: None,
        summary: share_summary(&person.display_name, None),
        content: message,
        template: None,
        audience,
        client_id: None,
        published: state.clock.now(),
        links: Default::default(),
    };
    let id = store::insert(&state.db, &activity).await?;
    tracing::info!(person = %person.id, activity = %id, "shared with the badge");
    Ok(redirect(
        StatusCode::SEE_OTHER,
        &format!("/badge/shared?id={id}"),
    ))
}

/// The query of `GET /badge/shared`.
#[derive(Debug, Deserialize)]
pub struct SharedQuery {
    id: Option<String>,
}

/// `GET /badge/shared?id=…`: the confirmation, for the person who shared.
pub async fn shared(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SharedQuery>,
) -> Result<Response, PageError> {
    let id = q.id.unwrap_or_default();
    let Some(person) = current_person(&state.sessions(), &headers).await? else {
        let here = format!(
            "/badge/shared?id={}",
            url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        );
        return Ok(signin(&state, &headers, &here));
    };
    let not_found = || {
        PageError(AppError::Page {
            status: StatusCode::NOT_FOUND,
            code: NOT_FOUND,
            title: "Nothing shared here",
            message: "This confirmation isn't for anything you shared.".into(),
        })
    };
    let found = store::shared_by(&mut *state.db.conn().await?, &id, &person.id).await?;
    let Some(store::Shared {
        href: Some(url),
        content: message,
        audience,
    }) = found
    else {
        return Err(not_found());
    };
    let recipients = if audience == "friends" {
        let n = store::friends(&mut *state.db.conn().await?, &person.id)
            .await?
            .len();
        if n == 1 {
            t(M::YourFriend).to_owned()
        } else {
            crate::pages::i18n::fill(
                M::AllYourFriends,
                &[("n", &crate::pages::i18n::number(n as i64))],
            )
        }
    } else {
        let names = store::recipient_names(&mut *state.db.conn().await?, &id).await?;
        names.join(", ")
    };
    let through = format!(
        "/r/{}",
        url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    );
    let body = badge_view::shared_page(&url, &through, message.as_deref(), &recipients);
    Ok(page_response(
        StatusCode::OK,
        body,
        &Csrf::for_page(&state.sessions(), &headers, true),
    ))
}

/// `GET /badge/badge.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        badge_view::CSS,
    )
        .into_response()
}

/// A share refused by the per-person cap shows 409 `resource_quota_exceeded`.
impl From<crate::store::collections::CapError> for PageError {
    fn from(e: crate::store::collections::CapError) -> Self {
        Self(e.into())
    }
}
