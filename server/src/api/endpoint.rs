//! The shape of one `/v1` route-table entry ([`Endpoint`]): its documentation and its handler.
//! The table is [`super::routes`]; [`super::openapi`] renders it.

use axum::http::Method;
use axum::routing::MethodRouter;

use crate::state::AppState;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// In the path (`{id}`).
    Path,
    /// In the query string.
    Query,
}

/// One documented parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name (`$filter`, `id`, …).
    pub name: &'static str,
    /// Where it goes.
    pub location: In,
    /// What it does.
    pub description: &'static str,
    /// Allowed values, when they are a fixed list.
    pub values: &'static [&'static str],
}

/// One documented answer.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// What it means.
    pub description: &'static str,
    /// The `components.schemas` entry of its JSON body, if it has one.
    pub schema: Option<&'static str>,
}

/// Which ids of a `{id}` path a conditional scope is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A person who is the token's person's friend.
    Friend,
    /// One of the token's person's contacts (`contact.…`).
    Contact,
}

impl IdKind {
    /// The key in the OpenAPI `x-wl-id-scopes` object.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Friend => "friend",
            IdKind::Contact => "contact",
        }
    }
}

/// A scope that only some ids of a `{id}` path need (the token's person's own id needs none):
/// rendered in the OpenAPI operation as `"x-wl-id-scopes": { "friend": "wl.basic", … }`, and
/// read by the handler's check, so the two are one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdScope {
    /// Which ids.
    pub ids: IdKind,
    /// The scope a token needs for them.
    pub scope: &'static str,
}

/// One method on one `/v1` path: its documentation and its handler.
pub struct Endpoint {
    /// The method.
    pub method: Method,
    /// The path, in axum/OpenAPI template syntax (`/v1/{id}`).
    pub path: &'static str,
    /// The OpenAPI `operationId`.
    pub operation_id: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The scope a token needs (`None`: any valid token, or no token for public documents).
    pub scope: Option<&'static str>,
    /// Scopes only some ids of the path's `{id}` need.
    pub id_scopes: &'static [IdScope],
    /// False for documents anyone may read (no bearer token).
    pub needs_token: bool,
    /// Parameters besides `$format` (added to every endpoint).
    pub params: &'static [Param],
    /// The `components.schemas` entry of the JSON request body.
    pub body: Option<&'static str>,
    /// Answers besides the common errors (added from `needs_token`, `scope` and `params`).
    pub answers: &'static [Answer],
    /// The handler; `None` when another module's router (merged into [`super::routes::v1_router`]) serves it.
    pub handler: Option<MethodRouter<AppState>>,
}

/// `$format`, which every endpoint takes (added by the OpenAPI rendering).
pub const FORMAT: Param = Param {
    name: "$format",
    location: In::Query,
    description: "Answer format (default json, or from Accept: application/xml / text/xml).",
    values: &["json", "xml"],
};
