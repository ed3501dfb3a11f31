//! The invitations page: a signed-in person sees the pending invitations to connect addressed
//! to their e-mail address (sent with `POST /v1/me/invitations`) and accepts (the friendship
//! is stored both ways) or declines each. No e-mail is sent by the provider: this page is
//! where an invitation arrives.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use crate::error::AppError;
use crate::identity::sessions::{Csrf, current_person};
use crate::pages::PageError;
use crate::pages::html::{self, SigninView, brand, layout};
use crate::pages::i18n::{self, M, fill, t};
use crate::pages::page_ok;
use crate::state::AppState;
use crate::store::invitations::{self as store, Decided, Invitation};
use crate::web::redirect;

/// The page's path.
pub const PATH: &str = "/invitations";

/// Query of `GET /invitations`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<String>,
}

pub(crate) fn markup(
    name: &str,
    picture: &str,
    email: &str,
    csrf: &str,
    notice: Option<&str>,
    items: &[Invitation],
) -> String {
    let body = html! {
        main class="card wide" {
            (brand())
            h1 { (t(M::Invitations)) }
            div class="account" {
                img src=(picture) alt="" width="32" height="32";
                div {
                    div class="who" { (name) }
                    div class="muted" { (fill(M::InvitationsTo, &[("email", email)])) }
                }
                form method="post" action="/signout" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="continue" value=(PATH);
                    button type="submit" class="link" { (t(M::SignOut)) }
                }
            }
            @if let Some(n) = notice {
                div class="notice" role="status" { (n) }
            }
            @if items.is_empty() {
                p class="empty" { (fill(M::NoInvitations, &[("email", email)])) }
            }
            ul class="apps" aria-label=(t(M::PendingInvitations)) {
                @for inv in items {
                    li class="app" {
                        div class="app-row" {
                            div class="app-icon" aria-hidden="true" {
                                (inv.inviter_name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_else(|| "?".into()))
                            }
                            div class="app-meta" {
                                h2 { (inv.inviter_name) }
                                p class="muted" {
                                    (fill(M::WantsToConnect, &[("date", &i18n::date(inv.created_at))]))
                                }
                            }
                        }
                        div class="actions" {
                            form method="post" action="/invitations/decide" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="invitation" value=(inv.id);
                                input type="hidden" name="decision" value="decline";
                                button type="submit" class="secondary"
                                    aria-label=(fill(M::DeclineInvitationOf, &[("name", &inv.inviter_name)])) { (t(M::Decline)) }
                            }
                            form method="post" action="/invitations/decide" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="invitation" value=(inv.id);
                                input type="hidden" name="decision" value="accept";
                                button type="submit" class="primary"
                                    aria-label=(fill(M::AcceptInvitationOf, &[("name", &inv.inviter_name)])) { (t(M::Accept)) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(t(M::Invitations), body)
}

/// `GET /invitations`: sign in, or the pending invitations with Accept/Decline.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let person = current_person(&state.sessions(), &headers).await?;
    let csrf = Csrf::for_page(&state.sessions(), &headers, person.is_some());
    let body = match person {
        None => html::signin_page(&SigninView {
            app_name: None,
            continue_to: PATH,
            csrf: &csrf.token,
            demo: state.demo,
            ..Default::default()
        }),
        Some(person) => {
            let email = person.email.trim().to_lowercase();
            let items = store::received(&mut *state.db.conn().await?, &person.id, &email).await?;
            let notice = match q.done.as_deref() {
                Some("accepted") => Some(t(M::InvitationAccepted)),
                Some("declined") => Some(t(M::InvitationDeclined)),
                _ => None,
            };
            markup(
                &person.display_name,
                &person.picture_url(&state.issuer),
                &email,
                &csrf.token,
                notice,
                &items,
            )
        }
    };
    Ok(page_ok(body, &csrf))
}

/// The Accept/Decline form.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    invitation: String,
    #[serde(default)]
    decision: String,
}

/// `POST /invitations/decide`: accept or decline an invitation addressed to the signed-in
/// person's e-mail address (CSRF-checked). Anyone else's invitation is "not found".
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    let Some(person) = Csrf::check_signed_in(&state.sessions(), &headers, &f.csrf).await? else {
        return Ok(redirect(StatusCode::SEE_OTHER, PATH));
    };
    let accept = match f.decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(AppError::page(
                "request_body_invalid",
                "Unknown answer",
                "Choose Accept or Decline.",
            )
            .into());
        }
    };
    let email = person.email.trim().to_lowercase();
    match store::decide(
        &state.db,
        &person.id,
        &email,
        &f.invitation,
        accept,
        state.clock.now(),
    )
    .await?
    {
        Decided::Done => {
            tracing::info!(person = %person.id, invitation = %f.invitation, accept, "invitation answered");
            let done = if accept { "accepted" } else { "declined" };
            Ok(redirect(
                StatusCode::SEE_OTHER,
                &format!("{PATH}?done={done}"),
            ))
        }
        Decided::NotFound => Err(AppError::Page {
            status: StatusCode::NOT_FOUND,
            code: "invitation_not_found",
            title: "No such invitation",
            message: "There is no invitation by that id for your e-mail address.".into(),
        }
        .into()),
        Decided::NotPending(status) => Err(AppError::Page {
            status: StatusCode::CONFLICT,
            code: "invitation_not_pending",
            title: "Invitation already answered",
            message: format!("This invitation is no longer pending (it was {status})."),
        }
        .into()),
    }
}
