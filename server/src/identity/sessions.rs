//! The provider's browser session (the `wl_session` cookie) and the CSRF tokens of its forms.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::clock::Clock;
use crate::crypto::{constant_eq, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::identity::people::Person;
use crate::store::db::Db;
use crate::store::sessions as store;
use crate::web::{cookie, set_cookie};

/// How long a provider sign-in session lasts.
pub const SESSION_TTL: i64 = 14 * 86_400;

/// The provider session cookie.
pub const SESSION_COOKIE: &str = "wl_session";
/// The CSRF cookie (double-submitted in every form).
pub const CSRF_COOKIE: &str = "wl_csrf";

/// The signed-in person, if the request carries a live provider session.
pub fn current_person(db: &Db, clock: &Clock, headers: &HeaderMap) -> AppResult<Option<Person>> {
    let Some(sid) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = secret_hash(sid);
    let now = clock.now();
    let person_id = db.with(|c| store::person_of(c, &hash, now))?;
    match person_id {
        Some(id) => Ok(db.with(|c| crate::identity::people::by_id(c, &id))?),
        None => Ok(None),
    }
}

/// Starts a provider session for `person_id`; returns the `Set-Cookie` value.
pub fn start_session(db: &Db, clock: &Clock, person_id: &str) -> AppResult<HeaderValue> {
    let sid = random_secret("");
    let now = clock.now();
    db.with(|c| store::insert(c, &secret_hash(&sid), person_id, now, now + SESSION_TTL))?;
    Ok(set_cookie(SESSION_COOKIE, &sid, SESSION_TTL))
}

/// Ends the request's provider session; returns the `Set-Cookie` value that clears it.
pub fn end_session(db: &Db, headers: &HeaderMap) -> AppResult<HeaderValue> {
    if let Some(sid) = cookie(headers, SESSION_COOKIE) {
        let hash = secret_hash(sid);
        db.with(|c| store::delete(c, &hash))?;
    }
    Ok(set_cookie(SESSION_COOKIE, "", 0))
}

/// The CSRF token for a page: the browser's existing one, or a new one to set.
#[derive(Debug)]
pub struct Csrf {
    /// The token to put in the page's forms.
    pub token: String,
    /// The `Set-Cookie` value when the token is new.
    pub set_cookie: Option<HeaderValue>,
}

impl Csrf {
    /// Reuses the browser's CSRF cookie or makes a new token.
    pub fn for_page(headers: &HeaderMap) -> Self {
        match cookie(headers, CSRF_COOKIE).filter(|t| t.len() == 43) {
            Some(t) => Self {
                token: t.to_owned(),
                set_cookie: None,
            },
            None => {
                let token = random_secret("");
                let set_cookie = Some(set_cookie(CSRF_COOKIE, &token, SESSION_TTL));
                Self { token, set_cookie }
            }
        }
    }

    /// Adds the cookie (if new) to a response.
    pub fn apply(&self, res: &mut Response) {
        if let Some(v) = &self.set_cookie {
            res.headers_mut().append(header::SET_COOKIE, v.clone());
        }
    }

    /// Checks a submitted form's token against the cookie.
    pub fn check(headers: &HeaderMap, submitted: &str) -> AppResult<()> {
        match cookie(headers, CSRF_COOKIE) {
            Some(t) if !submitted.is_empty() && constant_eq(t.as_bytes(), submitted.as_bytes()) => Ok(()),
            _ => Err(AppError::Page {
                status: StatusCode::FORBIDDEN,
                code: "csrf_invalid",
                title: "This form has expired",
                message: "For your security, the form could not be sent. Go back, reload the page and try again (cookies must be enabled)."
                    .into(),
            }),
        }
    }
}
