//! The application management portal (`/developers`, issue 15): developers sign in with their
//! provider account and manage the apps they own. Only an app's owners see it: to anyone else
//! its pages answer 404, the same as an app that does not exist.
//!
//! The portal's parts route here ([`routes`]); every page of one app starts with
//! [`owned_app`]. The app pages (list, register, edit, owners, delete, logo) are [`apps`], their
//! markup [`view`].

pub mod apps;
pub mod view;

pub mod secrets;

pub mod feeds;

pub mod stats;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use crate::error::AppError;
use crate::identity::people::Person;
use crate::identity::sessions::{Csrf, current_person};
use crate::pages::PageError;
use crate::pages::html::{self, SigninView};
use crate::pages::page_ok;
use crate::state::AppState;
use crate::store::apps::App;

/// The path of an app's portal page: `/developers/apps/{client_id}{tail}`, the id
/// percent-encoded.
pub(crate) fn app_path(client_id: &str, tail: &str) -> String {
    format!(
        "/developers/apps/{}{tail}",
        percent_encoding::utf8_percent_encode(client_id, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// The portal's routes (merged into the provider's pages).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/developers", get(apps::index))
        .route("/developers/portal.css", get(apps::stylesheet))
        .route("/developers/apps", post(apps::create))
        .route("/developers/apps/new", get(apps::new_form))
        .route("/developers/apps/{id}", get(apps::show).post(apps::update))
        .route("/developers/apps/{id}/owners", post(apps::add_owner))
        .route("/developers/apps/{id}/templates", post(apps::add_template))
        .route(
            "/developers/apps/{id}/templates/delete",
            post(apps::remove_template),
        )
        .route(
            "/developers/apps/{id}/delete",
            get(apps::delete_confirm).post(apps::delete),
        )
        .route("/developers/apps/{id}/logo.png", get(apps::logo))
        .merge(secrets::routes())
        .merge(feeds::routes())
        .merge(stats::routes())
}

/// Who may see a portal page.
#[derive(Debug)]
pub enum Gate<T> {
    /// The signed-in person may: here is what the page needs.
    Open(Person, T),
    /// Nobody is signed in: the sign-in page, continuing to the page asked for.
    SignIn(Response),
}

/// The signed-in person, or the sign-in page continuing to `continue_to` (a local path).
pub async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    continue_to: &str,
) -> Result<Gate<()>, PageError> {
    let person = current_person(&state.sessions(), headers).await?;
    match person {
        Some(p) => Ok(Gate::Open(p, ())),
        None => {
            let csrf = Csrf::for_page(&state.sessions(), headers, false);
            let body = html::signin_page(&SigninView {
                app_name: None,
                continue_to,
                csrf: &csrf.token,
                demo: state.demo,
                ..Default::default()
            });
            Ok(Gate::SignIn(page_ok(body, &csrf)))
        }
    }
}

/// The app `client_id` for its signed-in owner; the sign-in page when nobody is signed in;
/// 404 `not_found` when the app does not exist or the person does not own it (a non-owner
/// learns nothing, not even that it exists).
pub async fn owned_app(
    state: &AppState,
    headers: &HeaderMap,
    client_id: &str,
    continue_to: &str,
) -> Result<Gate<App>, PageError> {
    let person = match signed_in(state, headers, continue_to).await? {
        Gate::Open(p, ()) => p,
        Gate::SignIn(res) => return Ok(Gate::SignIn(res)),
    };
    let mut c = state.db.conn().await?;
    if !crate::store::apps::is_owner(&mut c, client_id, &person.id).await? {
        return Err(not_yours());
    }
    match crate::store::apps::find(&mut c, client_id).await? {
        Some(app) => Ok(Gate::Open(person, app)),
        None => Err(not_yours()),
    }
}

/// The answer for an app that is not the person's (or does not exist).
pub(crate) fn not_yours() -> PageError {
    PageError(AppError::Page {
        status: StatusCode::NOT_FOUND,
        code: "not_found",
        title: "App not found",
        message: "There's no app of yours at this address.".into(),
    })
}
