//! The connected-apps page: a signed-in person sees every app they allowed and removes any,
//! and chooses per app whether friends may see they use it ("Let friends see I use <app>",
//! on by default as Messenger Connect showed it; `store::visibility`).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::error::AppError;
use crate::identity::sessions::{Csrf, current_person};
use crate::identity::tokens;
use crate::pages::PageError;
use crate::pages::html::{self, ConnectedView, SigninView};
use crate::pages::i18n::{M, fill};
use crate::pages::page_ok;
use crate::state::AppState;
use crate::web::redirect;

/// Query of `GET /consent`.
#[derive(Debug, Deserialize)]
pub struct ConsentQuery {
    removed: Option<String>,
    saved: Option<String>,
}

/// `GET /consent`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ConsentQuery>,
) -> Result<Response, PageError> {
    let person = current_person(&state.sessions(), &headers).await?;
    let csrf = Csrf::for_page(&state.sessions(), &headers, person.is_some());
    let Some(person) = person else {
        let body = html::signin_page(&SigninView {
            app_name: None,
            continue_to: "/consent",
            csrf: &csrf.token,
            demo: state.demo,
            ..Default::default()
        });
        return Ok(page_ok(body, &csrf));
    };
    let now = state.clock.now();
    let connected = tokens::connected_apps(&mut *state.db.conn().await?, &person.id, now).await?;
    let hidden =
        crate::store::visibility::hidden_apps(&mut *state.db.conn().await?, &person.id).await?;
    let notice = match (q.removed, q.saved) {
        (None, Some(grant_id)) => connected.iter().find(|c| c.grant.id == grant_id).map(|c| {
            let key = if hidden.contains(&c.grant.client_id) {
                M::FriendsNoLonger
            } else {
                M::FriendsCanSee
            };
            fill(key, &[("app", &c.app_name)])
        }),
        (Some(grant_id), _) => {
            crate::store::grants::app_name_of(&mut *state.db.conn().await?, &grant_id, &person.id)
                .await?
                .map(|name| fill(M::AppRemoved, &[("app", &name)]))
        }
        (None, None) => None,
    };
    let views: Vec<ConnectedView<'_>> = connected
        .iter()
        .map(|c| ConnectedView {
            grant_id: &c.grant.id,
            app_name: &c.app_name,
            scopes: &c.grant.scopes,
            created_at: c.grant.created_at,
            expires_at: c.grant.expires_at,
            friends_see: !hidden.contains(&c.grant.client_id),
        })
        .collect();
    let body = html::connected_apps_page(
        &person.display_name,
        &person.picture_url(&state.issuer),
        &csrf.token,
        notice.as_deref(),
        &views,
    );
    Ok(page_ok(body, &csrf))
}

/// The remove-access form.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    grant: String,
}

/// `POST /consent/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<RevokeForm>,
) -> Result<Response, PageError> {
    let Some(person) = Csrf::check_signed_in(&state.sessions(), &headers, &f.csrf).await? else {
        return Ok(redirect(StatusCode::SEE_OTHER, "/consent"));
    };
    if !tokens::revoke_grant(&state.tokens, &person.id, &f.grant).await? {
        return Err(AppError::page(
            "grant_not_found",
            "Nothing to remove",
            "That app isn't connected to your account (any more).",
        )
        .into());
    }
    tracing::info!(person = %person.id, grant = %f.grant, "grant revoked by the person");
    crate::stats::revoked(&state, &person.id, &f.grant).await;
    Ok(redirect(
        StatusCode::SEE_OTHER,
        &format!(
            "/consent?removed={}",
            url::form_urlencoded::byte_serialize(f.grant.as_bytes()).collect::<String>()
        ),
    ))
}

/// The "Let friends see I use <app>" form (the checkbox is absent when unticked).
#[derive(Debug, Deserialize)]
pub struct VisibilityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    grant: String,
    #[serde(default)]
    visible: Option<String>,
}

/// `POST /consent/visibility`: whether friends may see the person uses one of their connected
/// apps. Friends' hubs hear of it at once ("here now").
pub async fn visibility(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<VisibilityForm>,
) -> Result<Response, PageError> {
    let Some(person) = Csrf::check_signed_in(&state.sessions(), &headers, &f.csrf).await? else {
        return Ok(redirect(StatusCode::SEE_OTHER, "/consent"));
    };
    let now = state.clock.now();
    let connected = tokens::connected_apps(&mut *state.db.conn().await?, &person.id, now).await?;
    let Some(app) = connected.iter().find(|c| c.grant.id == f.grant) else {
        return Err(AppError::page(
            "grant_not_found",
            "Nothing to change",
            "That app isn't connected to your account (any more).",
        )
        .into());
    };
    let hidden = match f.visible.as_deref() {
        None => true,
        Some("1") => false,
        Some(_) => {
            return Err(AppError::page(
                "request_parameter_invalid",
                "Nothing changed",
                "visible: expected 1 or nothing.",
            )
            .into());
        }
    };
    crate::store::visibility::set_hidden(
        &mut *state.db.conn().await?,
        &person.id,
        &app.grant.client_id,
        hidden,
        now,
    )
    .await?;
    state
        .hub
        .set_hidden(&person.id, &app.grant.client_id, hidden);
    tracing::info!(person = %person.id, app = %app.grant.client_id, hidden, "app visibility set");
    Ok(redirect(
        StatusCode::SEE_OTHER,
        &format!(
            "/consent?saved={}",
            url::form_urlencoded::byte_serialize(f.grant.as_bytes()).collect::<String>()
        ),
    ))
}
