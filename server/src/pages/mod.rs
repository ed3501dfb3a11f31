//! The provider's server-rendered pages: sign-in and consent ([`authorize`]), the connected
//! apps ([`connected`]), the sharing badge ([`badge`]), public profiles and pictures, and the
//! error page. The markup is in [`html`](mod@html) and [`badge_view`]; the words of the sign-in,
//! consent, connected-apps, invitations, badge, profile and error pages in every language in
//! [`i18n`] (the developer portal is still English only: it answers with `lang="en"`).

pub mod authorize;
pub mod badge;
pub mod badge_icon;
pub mod badge_view;
pub mod connected;
pub mod developers;
pub mod html;
pub mod i18n;
pub mod invitations;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;

use crate::error::{AppError, JsonError};
use crate::identity::people::Person;
use crate::identity::sessions::Csrf;
use crate::state::AppState;
use crate::web::{csp, redirect};

/// Whether a cache may keep a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// As HTTP's defaults say.
    Default,
    /// `Cache-Control: no-store`: the page holds something no cache should (the developer
    /// portal's pages: an app's settings, a secret shown once, a feed's status).
    NoStore,
}

/// A provider page as sent: the HTML, the provider's CSP (whose `form-action` also allows
/// `form_origin`, the consent page's redirect target), the caching rule and the CSRF cookie if
/// the page made a new one. Every page handler answers through this.
pub fn html_response(
    status: StatusCode,
    body: String,
    csrf: &Csrf,
    form_origin: Option<&str>,
    keep: Keep,
) -> Response {
    let mut res = (status, Html(body)).into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp(form_origin));
    if keep == Keep::NoStore {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    csrf.apply(&mut res);
    res
}

/// [`html_response`] for the common case: 200, the plain CSP, cacheable as HTTP says.
pub fn page_ok(body: String, csrf: &Csrf) -> Response {
    html_response(StatusCode::OK, body, csrf, None, Keep::Default)
}

/// An [`AppError`] answered as a provider HTML page (for the person, not for a program): the
/// error wrapper of every page route.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<crate::store::DbError> for PageError {
    fn from(e: crate::store::DbError) -> Self {
        Self(AppError::Db(e))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let title = match &err {
            AppError::Page { title, .. } => title,
            AppError::NotFound => "Page not found",
            _ => "Something went wrong",
        };
        let (title, message) = localized_error(title, &err.public_message());
        let body = html::error_page(&title, &message, err.code());
        (err.status(), Html(body)).into_response()
    }
}

/// An error page's title and message in the request's language: the catalogue's words when it
/// has them (matched on the English), else advice for the kind of error (the English message
/// names details — a client id, an app — the advice leaves out), else the English as it is.
fn localized_error(title: &str, message: &str) -> (String, String) {
    use i18n::M;
    let title_key = i18n::key_of_english(title);
    let message = match i18n::key_of_english(message) {
        Some(m) => i18n::t(m).to_owned(),
        None if i18n::current() == i18n::Locale::En => message.to_owned(),
        None => match title_key {
            Some(M::LinkIncomplete | M::AppNotRegistered | M::LinkUnusable) => {
                i18n::t(M::LinkAdvice).to_owned()
            }
            Some(M::FormFromElsewhere | M::FormExpired | M::DevFormUnreadable) => {
                i18n::t(M::FormAdvice).to_owned()
            }
            _ => message.to_owned(),
        },
    };
    let title = title_key.map_or_else(|| title.to_owned(), |k| i18n::t(k).to_owned());
    (title, message)
}

/// The people-facing pages.
pub fn routes(state: AppState) -> Router<AppState> {
    // The pages whose words are in the catalogue answer in the negotiated language.
    let translated = Router::new()
        .route(
            "/",
            get(|| async { redirect(StatusCode::FOUND, "/consent") }),
        )
        .route("/authorize", get(authorize::authorize))
        .route("/authorize/decision", post(authorize::decision))
        .route("/signin", post(authorize::signin))
        .route("/signout", post(authorize::signout))
        .route("/consent", get(connected::page))
        .route("/consent/revoke", post(connected::revoke))
        .route("/consent/visibility", post(connected::visibility))
        .route("/people/{id}", get(profile_page))
        .route(invitations::PATH, get(invitations::page))
        .route("/invitations/decide", post(invitations::decide))
        .route("/badge", get(badge::page).post(badge::submit))
        .route("/badge/shared", get(badge::shared))
        .merge(developers::routes())
        .layer(axum::middleware::from_fn_with_state(state, i18n::layer));
    Router::new()
        .merge(translated)
        .route("/badge/badge.css", get(badge::stylesheet))
}

/// Public assets anyone may load: the pages' stylesheet and people's pictures.
pub fn assets() -> Router<AppState> {
    Router::new()
        .route("/assets/provider.css", get(stylesheet))
        .route("/pictures/{file}", get(picture))
        .merge(badge_icon::routes())
}

/// The answer to any provider path that names nothing: a 404 page, in the language the request
/// asks for.
pub async fn not_found(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let locale = i18n::negotiate(uri.query(), accept, state.pseudo_locale);
    i18n::with_locale(locale, || {
        PageError(AppError::Page {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            title: "Page not found",
            message: "There's nothing at this address.".into(),
        })
        .into_response()
    })
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        html::CSS,
    )
        .into_response()
}

/// `GET /pictures/{key}.svg`: a person's public avatar. Anyone may load it, from any origin.
async fn picture(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, JsonError> {
    let key = file.strip_suffix(".svg").ok_or(AppError::NotFound)?;
    let person = crate::identity::people::by_picture_key(&mut *state.db.conn().await?, key)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        avatar_svg(&person),
    )
        .into_response())
}

/// `GET /people/{id}`: the public profile page a `/v1/me` `link` points to.
async fn profile_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let person = crate::identity::people::by_id(&mut *state.db.conn().await?, &id)
        .await?
        .ok_or(AppError::Page {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            title: "Page not found",
            message: "There's no one with this profile address.".into(),
        })?;
    Ok(Html(html::profile_page(
        &person.display_name,
        &person.picture_url(&state.issuer),
    ))
    .into_response())
}

/// A person's generated avatar: their initials on their colour, as SVG. Written with [`maud`]
/// like the pages: every element is closed (`<rect …></rect>`), so the output is well-formed
/// XML, and maud's escaping (`&amp; &lt; &gt; &quot;`) is valid XML escaping too.
pub fn avatar_svg(person: &Person) -> String {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"
            role="img" aria-label=(person.display_name) {
            rect width="96" height="96" fill=(person.color) {}
            text x="48" y="48" dy=".35em" text-anchor="middle"
                font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="38"
                font-weight="600" fill="#fff" { (person.initials()) }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatar_escapes_names() {
        let p = Person {
            id: "1".into(),
            username: "mallory".into(),
            first_name: "Mallory".into(),
            last_name: "<b>".into(),
            display_name: "<img src=x onerror=alert(1)>".into(),
            email: "m@example.net".into(),
            locale: "en_US".into(),
            picture_key: "k".into(),
            color: "#123456".into(),
            updated_at: 0,
        };
        let svg = avatar_svg(&p);
        assert!(!svg.contains("<img"));
        assert!(svg.contains(r#"aria-label="&lt;img src=x onerror=alert(1)&gt;""#));
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" width="96""#));
        assert!(svg.contains(r##"<rect width="96" height="96" fill="#123456"></rect>"##));
        assert!(svg.ends_with(">MB</text></svg>"));
        assert_eq!(p.initials(), "MB");
    }
}
