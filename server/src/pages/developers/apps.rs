//! The portal's app pages: list, register, edit, owners, delete, and the public logo. Every
//! change goes through [`crate::identity::apps`] (the CLI's service too); every form carries
//! the session's CSRF token; a refused form comes back with what was typed and an error next
//! to each field, and nothing saved.

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::view::{self, AppPage, FormView, Who};
use super::{Gate, not_yours, owned_app, signed_in};
use crate::error::AppError;
use crate::identity::apps::{self as service, AppInput, AppsError, FieldError, LogoInput};
use crate::identity::people::Person;
use crate::identity::sessions::Csrf;
use crate::pages::PageError;
use crate::pages::i18n::{M, t};
use crate::pages::{Keep, html_response};
use crate::state::AppState;
use crate::store::apps::App;
use crate::web::redirect;

/// A portal page with the provider's CSP and the CSRF cookie (if new).
fn respond(status: StatusCode, body: String, csrf: &Csrf) -> Response {
    html_response(status, body, csrf, None, Keep::NoStore)
}

fn who<'a>(person: &'a Person, csrf: &'a Csrf) -> Who<'a> {
    Who {
        name: &person.display_name,
        username: &person.username,
        csrf: &csrf.token,
    }
}

/// Query of `GET /developers`.
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    deleted: Option<String>,
}

/// `GET /developers`: the signed-in person's apps.
pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<IndexQuery>,
) -> Result<Response, PageError> {
    let person = match signed_in(&state, &headers, "/developers").await? {
        Gate::Open(p, ()) => p,
        Gate::SignIn(res) => return Ok(res),
    };
    let apps = service::owned_by(&state.db, &person.id)
        .await
        .map_err(AppError::from)?;
    let csrf = Csrf::for_page(&state.sessions(), &headers, true);
    let notice = q.deleted.map(|_| t(M::DevAppDeleted));
    let body = view::index_page(&who(&person, &csrf), &apps, notice);
    Ok(respond(StatusCode::OK, body, &csrf))
}

/// `GET /developers/apps/new`: the registration form.
pub async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let person = match signed_in(&state, &headers, "/developers/apps/new").await? {
        Gate::Open(p, ()) => p,
        Gate::SignIn(res) => return Ok(res),
    };
    let csrf = Csrf::for_page(&state.sessions(), &headers, true);
    let input = AppInput::default();
    let body = view::new_page(
        &who(&person, &csrf),
        &FormView {
            input: &input,
            errors: &[],
            app: None,
        },
    );
    Ok(respond(StatusCode::OK, body, &csrf))
}

/// The registration and edit forms, as submitted.
#[derive(Debug, Default)]
struct Submitted {
    csrf: String,
    input: AppInput,
    logo: LogoInput,
}

/// The most bytes read of one text field (a logo is checked by the service, whose limit is
/// smaller than the request body's).
const MAX_TEXT_FIELD: usize = 64 * 1024;

fn bad_form(detail: impl std::fmt::Display) -> PageError {
    PageError(AppError::page(
        "form_invalid",
        "The form could not be read",
        format!("The form could not be read ({detail}). Please go back and try again."),
    ))
}

/// Reads the multipart form of the registration and edit pages.
async fn read_form(mut form: Multipart) -> Result<Submitted, PageError> {
    let mut s = Submitted {
        input: AppInput {
            scopes: Some(Vec::new()),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut remove_logo = false;
    while let Some(field) = form.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "logo" {
            let has_file = field.file_name().is_some_and(|f| !f.is_empty());
            let bytes = field.bytes().await.map_err(bad_form)?;
            if has_file || !bytes.is_empty() {
                s.logo = LogoInput::Upload(bytes.to_vec());
            }
            continue;
        }
        let bytes = field.bytes().await.map_err(bad_form)?;
        if bytes.len() > MAX_TEXT_FIELD {
            return Err(bad_form(format!("the field `{name}` is too long")));
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines = |t: &str| -> Vec<String> {
            t.lines()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        };
        match name.as_str() {
            "csrf" => s.csrf = text,
            "name" => s.input.name = text,
            "description" => s.input.description = text,
            "terms_url" => s.input.terms_url = text,
            "privacy_url" => s.input.privacy_url = text,
            "redirect_uris" => s.input.redirect_uris = lines(&text),
            "origins" => s.input.origins = lines(&text),
            "scopes" => s.input.scopes.get_or_insert_with(Vec::new).push(text),
            "remove_logo" => remove_logo = true,
            _ => {}
        }
    }
    if remove_logo && matches!(s.logo, LogoInput::Keep) {
        s.logo = LogoInput::Remove;
    }
    Ok(s)
}

/// The person who submitted a portal form, its CSRF token checked; `None` when nobody is
/// signed in (the form changes nothing).
async fn submitter(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Option<Person>, PageError> {
    Ok(Csrf::check_signed_in(&state.sessions(), headers, csrf).await?)
}

/// `POST /developers/apps`: registers an app owned by the signed-in person.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, PageError> {
    let s = read_form(form).await?;
    let Some(person) = submitter(&state, &headers, &s.csrf).await? else {
        return Ok(redirect(StatusCode::SEE_OTHER, "/developers/apps/new"));
    };
    let now = state.clock.now();
    match service::register(&state.db, &s.input, &s.logo, Some(&person.id), now).await {
        Ok(app) => {
            tracing::info!(client_id = %app.client_id, owner = %person.id, "app registered in the portal");
            Ok(redirect(
                StatusCode::SEE_OTHER,
                &format!("/developers/apps/{}?registered=1", app.client_id),
            ))
        }
        Err(AppsError::Invalid(errors)) => {
            let csrf = Csrf::for_page(&state.sessions(), &headers, true);
            let body = view::new_page(
                &who(&person, &csrf),
                &FormView {
                    input: &s.input,
                    errors: &errors,
                    app: None,
                },
            );
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, body, &csrf))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// Query of `GET /developers/apps/{id}`.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    registered: Option<String>,
    saved: Option<String>,
    owner_added: Option<String>,
    template_added: Option<String>,
    template_removed: Option<String>,
}

/// What the app page shows besides the stored app.
#[derive(Default)]
struct Shown<'a> {
    /// A notice on top.
    notice: Option<&'a str>,
    /// A refused edit: what was typed, and why.
    form: Option<(&'a AppInput, &'a [FieldError])>,
    /// A refused owner: what was typed, and why.
    owner_error: Option<(&'a str, &'a FieldError)>,
    /// A refused template: the name and text typed, and why.
    template_form: Option<(&'a str, &'a str, &'a [FieldError])>,
}

/// Renders the app page.
async fn app_page(
    state: &AppState,
    headers: &HeaderMap,
    person: &Person,
    app: &App,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<Response, PageError> {
    let Shown {
        notice,
        form,
        owner_error,
        template_form,
    } = shown;
    let templates: Vec<_> = service::templates(&state.db, &app.client_id)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|t| {
            let preview =
                crate::identity::app_templates::preview_custom(&t.text, &person.display_name);
            (t, preview)
        })
        .collect();
    let owners = service::owner_usernames(&state.db, &app.client_id)
        .await
        .map_err(AppError::from)?;
    let csrf = Csrf::for_page(&state.sessions(), headers, true);
    let stored = AppInput::of(app);
    let (input, errors) = form.unwrap_or((&stored, &[]));
    let body = view::app_page(
        &who(person, &csrf),
        &AppPage {
            app,
            owners: &owners,
            notice,
            owner_error,
            templates: &templates,
            template_form,
        },
        &FormView {
            input,
            errors,
            app: Some(app),
        },
    );
    Ok(respond(status, body, &csrf))
}

/// `GET /developers/apps/{id}`: the app's page with its edit form.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let here = format!("/developers/apps/{client_id}");
    let (person, app) = match owned_app(&state, &headers, &client_id, &here).await? {
        Gate::Open(p, app) => (p, app),
        Gate::SignIn(res) => return Ok(res),
    };
    let notice = if q.registered.is_some() {
        Some(t(M::DevRegistered))
    } else if q.saved.is_some() {
        Some(t(M::DevSaved))
    } else if q.owner_added.is_some() {
        Some(t(M::DevOwnerAdded))
    } else if q.template_added.is_some() {
        Some(t(M::DevTemplateAdded))
    } else if q.template_removed.is_some() {
        Some(t(M::DevTemplateRemoved))
    } else {
        None
    };
    app_page(
        &state,
        &headers,
        &person,
        &app,
        StatusCode::OK,
        Shown {
            notice,
            ..Default::default()
        },
    )
    .await
}

/// The app `client_id` for the person who submitted a form about it; `Err(response)` when
/// nobody is signed in (back to the page, which asks to sign in).
async fn owned_for_post(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
    client_id: &str,
) -> Result<Result<(Person, App), Response>, PageError> {
    let Some(person) = submitter(state, headers, csrf).await? else {
        return Ok(Err(redirect(
            StatusCode::SEE_OTHER,
            &format!("/developers/apps/{client_id}"),
        )));
    };
    let mut c = state.db.conn().await?;
    if !crate::store::apps::is_owner(&mut c, client_id, &person.id).await? {
        return Err(not_yours());
    }
    match crate::store::apps::find(&mut c, client_id).await? {
        Some(app) => Ok(Ok((person, app))),
        None => Err(not_yours()),
    }
}

/// `POST /developers/apps/{id}`: saves the edit form.
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    let s = read_form(form).await?;
    let (person, app) = match owned_for_post(&state, &headers, &s.csrf, &client_id).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    match service::edit(&state.db, &client_id, &s.input, &s.logo).await {
        Ok(_) => Ok(redirect(
            StatusCode::SEE_OTHER,
            &format!("/developers/apps/{client_id}?saved=1"),
        )),
        Err(AppsError::Invalid(errors)) => {
            app_page(
                &state,
                &headers,
                &person,
                &app,
                StatusCode::UNPROCESSABLE_ENTITY,
                Shown {
                    form: Some((&s.input, &errors)),
                    ..Default::default()
                },
            )
            .await
        }
        Err(AppsError::NoSuchApp(_)) => Err(not_yours()),
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The add-owner form.
#[derive(Debug, Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
}

/// `POST /developers/apps/{id}/owners`: makes another person an owner.
pub async fn add_owner(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<OwnerForm>,
) -> Result<Response, PageError> {
    let (person, app) = match owned_for_post(&state, &headers, &f.csrf, &client_id).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let now = state.clock.now();
    match service::add_owner(&state.db, &client_id, &f.username, now).await {
        Ok(_) => Ok(redirect(
            StatusCode::SEE_OTHER,
            &format!("/developers/apps/{client_id}?owner_added=1"),
        )),
        Err(AppsError::Invalid(errors)) => {
            let Some(err) = errors.first() else {
                return Err(AppError::Internal("no error".into()).into());
            };
            app_page(
                &state,
                &headers,
                &person,
                &app,
                StatusCode::UNPROCESSABLE_ENTITY,
                Shown {
                    owner_error: Some((&f.username, err)),
                    ..Default::default()
                },
            )
            .await
        }
        Err(AppsError::NoSuchApp(_)) => Err(not_yours()),
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The add- and remove-template forms.
#[derive(Debug, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    text: String,
}

/// `POST /developers/apps/{id}/templates`: adds an activity template.
pub async fn add_template(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<TemplateForm>,
) -> Result<Response, PageError> {
    let (person, app) = match owned_for_post(&state, &headers, &f.csrf, &client_id).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let now = state.clock.now();
    match service::add_template(&state.db, &client_id, &f.name, &f.text, now).await {
        Ok(_) => Ok(redirect(
            StatusCode::SEE_OTHER,
            &format!("/developers/apps/{client_id}?template_added=1"),
        )),
        Err(AppsError::Invalid(errors)) => {
            app_page(
                &state,
                &headers,
                &person,
                &app,
                StatusCode::UNPROCESSABLE_ENTITY,
                Shown {
                    template_form: Some((&f.name, &f.text, &errors)),
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `POST /developers/apps/{id}/templates/delete`: removes one.
pub async fn remove_template(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<TemplateForm>,
) -> Result<Response, PageError> {
    if let Err(res) = owned_for_post(&state, &headers, &f.csrf, &client_id).await? {
        return Ok(res);
    }
    service::remove_template(&state.db, &client_id, &f.name)
        .await
        .map_err(AppError::from)?;
    Ok(redirect(
        StatusCode::SEE_OTHER,
        &format!("/developers/apps/{client_id}?template_removed=1"),
    ))
}

/// `GET /developers/apps/{id}/delete`: names what deleting revokes.
pub async fn delete_confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
) -> Result<Response, PageError> {
    let here = format!("/developers/apps/{client_id}/delete");
    let (person, app) = match owned_app(&state, &headers, &client_id, &here).await? {
        Gate::Open(p, app) => (p, app),
        Gate::SignIn(res) => return Ok(res),
    };
    let in_force = service::deletion_preview(&state.db, &client_id, state.clock.now())
        .await
        .map_err(AppError::from)?;
    let csrf = Csrf::for_page(&state.sessions(), &headers, true);
    let body = view::delete_page(&who(&person, &csrf), &app, in_force);
    Ok(respond(StatusCode::OK, body, &csrf))
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /developers/apps/{id}/delete`: deletes the app, revoking its grants and tokens.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(client_id): Path<String>,
    Form(f): Form<DeleteForm>,
) -> Result<Response, PageError> {
    let (person, _app) = match owned_for_post(&state, &headers, &f.csrf, &client_id).await? {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    match service::delete(&state.tokens, &client_id).await {
        Ok(revoked) => {
            tracing::info!(%client_id, by = %person.id, grants = revoked.grants, tokens = revoked.tokens, "app deleted in the portal");
            Ok(redirect(StatusCode::SEE_OTHER, "/developers?deleted=1"))
        }
        Err(AppsError::NoSuchApp(_)) => Err(not_yours()),
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `GET /developers/apps/{id}/logo.png`: the app's logo, public (the consent screen shows it).
pub async fn logo(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<Response, PageError> {
    let Some(png) = crate::store::apps::logo(&mut *state.db.conn().await?, &client_id).await?
    else {
        return Err(PageError(AppError::NotFound));
    };
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
        ],
        png,
    )
        .into_response())
}

/// `GET /developers/portal.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        view::CSS,
    )
        .into_response()
}
