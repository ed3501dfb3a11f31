//! Calendars and events as stored (`wl.calendars` to read, `wl.calendars_update` to write):
//! the rows behind `GET /v1/me/calendars` and `GET /v1/me/calendars/{id}/events` (OData
//! collections, see [`crate::api::calendars`]), the writes, and the rows of an iCalendar export.
//!
//! Every person has one default calendar, created the first time their calendars are listed
//! (or by the demo seed); a unique index keeps it one even when two requests race. Times are
//! Unix seconds; the API shows them as `YYYY-MM-DDTHH:MM:SS+0000` (UTC), which sorts and
//! compares byte-wise in time order, so `$filter` and `$orderby` on them mean time.

use sqlx::Row as _;

use super::collections::{Source, boolean, string};
use super::{Conn, Db, DbError, DbResult, flag};
use crate::crypto::random_hex;

/// The most events one person may have.
pub const MAX_EVENTS: i64 = 10_000;

/// Calendars: `$2`'s.
pub const CALENDAR_ROWS: Source = Source::new(
    &[
        string("id", "c.id"),
        string("name", "c.name"),
        string("description", "c.description"),
        boolean("is_default", "c.is_default"),
        string("permissions", "'owner'"),
        string("from/id", "c.owner_id"),
        string(
            "from/name",
            "(SELECT p.display_name FROM people p WHERE p.id = c.owner_id)",
        ),
        string("created_time", "@utc(c.created_at)"),
        string("updated_time", "@utc(c.updated_at)"),
    ],
    "FROM calendars c WHERE c.owner_id = $2",
    "id",
);

/// Events: `$2`'s (the API narrows them to one calendar with `calendar_id`).
pub const EVENT_ROWS: Source = Source::new(
    &[
        string("id", "e.id"),
        string("calendar_id", "e.calendar_id"),
        string("name", "e.name"),
        string("description", "e.description"),
        string("location", "e.location"),
        string("start_time", "@utc(e.start_time)"),
        string("end_time", "@utc(e.end_time)"),
        boolean("is_all_day_event", "e.is_all_day"),
        string("from/id", "e.owner_id"),
        string(
            "from/name",
            "(SELECT p.display_name FROM people p WHERE p.id = e.owner_id)",
        ),
        string("created_time", "@utc(e.created_at)"),
        string("updated_time", "@utc(e.updated_at)"),
    ],
    "FROM events e WHERE e.owner_id = $2",
    "id",
);

/// An event's fields, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventFields {
    /// Its title.
    pub name: String,
    /// A description, if any.
    pub description: Option<String>,
    /// Where, if said.
    pub location: Option<String>,
    /// Start, Unix seconds.
    pub start_time: i64,
    /// End, Unix seconds (not before the start).
    pub end_time: i64,
    /// An all-day event.
    pub is_all_day: bool,
}

/// An event as stored, for an export or a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Its id.
    pub id: String,
    /// Its calendar.
    pub calendar_id: String,
    /// Its fields.
    pub fields: EventFields,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// Last changed, Unix seconds.
    pub updated_at: i64,
}

/// Why an event write was refused (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum EventWriteError {
    /// The calendar or event is not the person's (or does not exist).
    #[error("not found")]
    NotFound,
    /// The person has [`MAX_EVENTS`].
    #[error("You have the most events allowed ({MAX_EVENTS}); nothing was added.")]
    Full,
    /// A storage failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Creates `owner_id`'s default calendar if they have none (a no-op when another request
/// just did).
pub async fn ensure_default(c: &mut Conn, owner_id: &str, name: &str, now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO calendars (id, owner_id, name, description, is_default, created_at, updated_at)
         SELECT $1, $2, $3, NULL, 1, $4, $4
         WHERE NOT EXISTS (SELECT 1 FROM calendars WHERE owner_id = $2 AND is_default = 1)
         ON CONFLICT DO NOTHING",
    )
    .bind(format!("calendar.{}", random_hex(8)))
    .bind(owner_id)
    .bind(name)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// The name of `calendar_id` when it is one of `owner_id`'s calendars.
pub async fn calendar_name(
    c: &mut Conn,
    owner_id: &str,
    calendar_id: &str,
) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT name FROM calendars WHERE id = $1 AND owner_id = $2")
        .bind(calendar_id)
        .bind(owner_id)
        .fetch_optional(c)
        .await
}

/// Adds an event to `calendar_id` (one of `owner_id`'s calendars); returns its id.
pub async fn insert_event(
    db: &Db,
    owner_id: &str,
    calendar_id: &str,
    e: &EventFields,
    now: i64,
) -> Result<String, EventWriteError> {
    let id = format!("event.{}", random_hex(8));
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, owner_id).await?;
    if calendar_name(&mut tx, owner_id, calendar_id)
        .await?
        .is_none()
    {
        return Err(EventWriteError::NotFound);
    }
    let written = sqlx::query(
        "INSERT INTO events (id, owner_id, calendar_id, name, description, location, start_time,
             end_time, is_all_day, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10
         WHERE (SELECT COUNT(*) FROM events WHERE owner_id = $2) < $11",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(calendar_id)
    .bind(&e.name)
    .bind(&e.description)
    .bind(&e.location)
    .bind(e.start_time)
    .bind(e.end_time)
    .bind(flag(e.is_all_day))
    .bind(now)
    .bind(MAX_EVENTS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Err(EventWriteError::Full);
    }
    tx.commit().await?;
    Ok(id)
}

fn read_event(r: &super::Row) -> DbResult<StoredEvent> {
    Ok(StoredEvent {
        id: r.try_get(0)?,
        calendar_id: r.try_get(1)?,
        fields: EventFields {
            name: r.try_get(2)?,
            description: r.try_get(3)?,
            location: r.try_get(4)?,
            start_time: r.try_get(5)?,
            end_time: r.try_get(6)?,
            is_all_day: r.try_get::<i64, _>(7)? != 0,
        },
        created_at: r.try_get(8)?,
        updated_at: r.try_get(9)?,
    })
}

const EVENT_SELECT: &str = "SELECT id, calendar_id, name, description, location, start_time, end_time, is_all_day, created_at, updated_at FROM events";

/// One of `owner_id`'s events.
pub async fn event(c: &mut Conn, owner_id: &str, event_id: &str) -> DbResult<Option<StoredEvent>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{EVENT_SELECT} WHERE id = $1 AND owner_id = $2"
    )))
    .bind(event_id)
    .bind(owner_id)
    .fetch_optional(c)
    .await?
    .map(|r| read_event(&r))
    .transpose()
}

/// Every event of one of `owner_id`'s calendars, by start time (an iCalendar export).
pub async fn events_of(
    c: &mut Conn,
    owner_id: &str,
    calendar_id: &str,
) -> DbResult<Vec<StoredEvent>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{EVENT_SELECT} WHERE calendar_id = $1 AND owner_id = $2 ORDER BY start_time, id"
    )))
    .bind(calendar_id)
    .bind(owner_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(read_event)
    .collect()
}

/// Replaces the fields of one of `owner_id`'s events; false when there is no such event.
pub async fn update_event(
    db: &Db,
    owner_id: &str,
    event_id: &str,
    e: &EventFields,
    now: i64,
) -> DbResult<bool> {
    let n = sqlx::query(
        "UPDATE events SET name = $3, description = $4, location = $5, start_time = $6,
             end_time = $7, is_all_day = $8, updated_at = $9
         WHERE id = $1 AND owner_id = $2",
    )
    .bind(event_id)
    .bind(owner_id)
    .bind(&e.name)
    .bind(&e.description)
    .bind(&e.location)
    .bind(e.start_time)
    .bind(e.end_time)
    .bind(flag(e.is_all_day))
    .bind(now)
    .execute(&mut *db.conn().await?)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Deletes one of `owner_id`'s events; false when there is no such event.
pub async fn delete_event(db: &Db, owner_id: &str, event_id: &str) -> DbResult<bool> {
    let n = sqlx::query("DELETE FROM events WHERE id = $1 AND owner_id = $2")
        .bind(event_id)
        .bind(owner_id)
        .execute(&mut *db.conn().await?)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// The demo calendar: a default calendar with a few events around `now` for each person in
/// `person_ids` that has none yet (run by the demo seed).
pub async fn seed_demo(db: &Db, person_ids: &[String], now: i64) -> DbResult<()> {
    const EVENTS: &[(&str, &str, i64, i64)] = &[
        ("Team stand-up", "Room 4", 1, 9 * 3600),
        ("Lunch with Bob", "Café Central", 2, 12 * 3600 + 1800),
        ("Dentist", "Main St. 12", 4, 15 * 3600),
        (
            "Book club: \"Dune\", part 2",
            "Library; back room",
            6,
            18 * 3600,
        ),
    ];
    let day = now - now.rem_euclid(86_400);
    let mut tx = db.begin().await?;
    for pid in person_ids {
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM calendars WHERE owner_id = $1")
            .bind(pid)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        let cal = format!("calendar.{}", random_hex(8));
        sqlx::query(
            "INSERT INTO calendars (id, owner_id, name, description, is_default, created_at, updated_at)
             VALUES ($1, $2, 'Calendar', 'Your calendar', 1, $3, $3)",
        )
        .bind(&cal)
        .bind(pid)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (name, location, days, at) in EVENTS {
            let start = day + days * 86_400 + at;
            sqlx::query(
                "INSERT INTO events (id, owner_id, calendar_id, name, description, location, start_time,
                     end_time, is_all_day, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, 0, $8, $8)",
            )
            .bind(format!("event.{}", random_hex(8)))
            .bind(pid)
            .bind(&cal)
            .bind(*name)
            .bind(*location)
            .bind(start)
            .bind(start + 3600)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
