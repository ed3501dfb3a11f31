//! "Let friends see I use <app>": a person's choice per app (table `app_visibility`, migration
//! 012). No row means the default, visible. `/v1/me/friends`' `uses_this_app`
//! ([`super::collections::FRIEND_ROWS`]) and the hub's "here now" read it.

use super::{Conn, DbResult, flag};

/// Records whether `person_id` hides from friends that they use `client_id`.
pub async fn set_hidden(
    c: &mut Conn,
    person_id: &str,
    client_id: &str,
    hidden: bool,
    now: i64,
) -> DbResult<u64> {
    Ok(sqlx::query(
        "INSERT INTO app_visibility (person_id, client_id, hidden, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (person_id, client_id) DO UPDATE SET hidden = excluded.hidden, updated_at = excluded.updated_at",
    )
    .bind(person_id)
    .bind(client_id)
    .bind(flag(hidden))
    .bind(now)
    .execute(c)
    .await?
    .rows_affected())
}

/// The apps `person_id` hides from friends.
pub async fn hidden_apps(c: &mut Conn, person_id: &str) -> DbResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT client_id FROM app_visibility WHERE person_id = $1 AND hidden = 1 ORDER BY client_id",
    )
    .bind(person_id)
    .fetch_all(c)
    .await
}
