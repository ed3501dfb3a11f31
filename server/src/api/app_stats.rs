//! `GET /v1/apps/{id}/stats` (issue 15): an app's usage statistics as JSON for a bearer
//! token, documented and routed by the `/v1` table ([`super::routes`], schema `AppStats`). The
//! portal's page, CSV and session JSON are [`crate::pages`]' (`developers::stats`); all read one
//! [`crate::stats::report::Report`].

use axum::extract::{Path, Query, State};
use axum::response::Response;

use crate::error::{AppError, JsonError};
use crate::identity::userinfo::Bearer;
use crate::state::AppState;
use crate::stats::report::{self, RangeQuery};

/// `GET /v1/apps/{id}/stats`: the JSON for a bearer token that the app itself holds for one
/// of its owners (the owner signed in to their own app, e.g. its back end). A token of any
/// other app, or of a person who does not own the app, gets 404: another app cannot read an
/// owner's statistics with the token that owner gave it.
pub async fn json_bearer(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(id): Path<String>,
    q: Result<Query<RangeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, JsonError> {
    // A query axum cannot read (`to` twice, …) gets the API's JSON error, not axum's text.
    let Query(q) = q.map_err(|e| AppError::from(report::RangeError(e.body_text())))?;
    let mut c = state.db.conn().await?;
    if tok.client_id != id || !crate::store::apps::is_owner(&mut c, &id, &tok.person_id).await? {
        return Err(AppError::NotFound.into());
    }
    drop(c);
    let r = report::for_query(&state, &id, &q).await?;
    Ok(r.json_response(&id))
}
