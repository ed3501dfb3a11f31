//! Storage: the database (SQLite or PostgreSQL) ([`db`], migrations in `server/migrations/`), the rows of
//! people, apps, sessions, grants, codes, tokens, contacts, activities and messages, the
//! queries behind the `/v1` collections ([`collections`], with the OData translation in
//! [`query`]), and the demo data ([`seed`]).
//!
//! Every SQL statement of the server is in this module, and only this module names the driver
//! (`sqlx`): the rest of the server calls typed functions and sees [`Conn`] and
//! [`DbError`] by these names (`server/tests/it/layers.rs` checks both).

pub mod activities;
pub mod apps;
pub mod calendars;
pub mod codes;
pub mod collections;
pub mod contacts;
pub mod db;
pub mod feeds;
pub mod grants;
pub mod invitations;
pub mod messages;
pub mod meta;
pub mod people;
pub mod photos;
pub mod query;
pub mod secrets;
pub mod seed;
pub mod sessions;
pub mod stats;
pub mod tokens;
pub mod visibility;

pub use db::{Db, Dialect, Pooled, Tx};

/// A connection to the database, as the store's functions take it (a [`Pooled`] connection
/// or a [`Tx`] derefs to one).
pub type Conn = sqlx::AnyConnection;
/// What a store function fails with.
pub type DbError = sqlx::Error;
/// A store function's result.
pub type DbResult<T> = Result<T, DbError>;
/// A row as the store reads it.
pub(crate) type Row = sqlx::any::AnyRow;

/// A storage failure that is the storage's state rather than a bug: nothing was written, and
/// the same request may succeed later (the provider answers 503).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// The disk is full (SQLite's `SQLITE_FULL`, PostgreSQL's `53100 disk_full`).
    Full,
    /// The database is locked, unreachable, unreadable, read-only, shutting down or gone.
    Gone,
}

/// Whether `e` is the storage's state ([`Unavailable`]), not the provider's bug. A database's
/// own error is told apart by its code: PostgreSQL's SQLSTATE has exactly five characters,
/// SQLite's (extended) result code is a number below 10,000.
pub fn unavailable(e: &DbError) -> Option<Unavailable> {
    match e {
        DbError::Io(_)
        | DbError::Tls(_)
        | DbError::PoolTimedOut
        | DbError::PoolClosed
        | DbError::WorkerCrashed
        | DbError::Protocol(_) => Some(Unavailable::Gone),
        DbError::Database(d) => {
            let code = d.code()?;
            if code.len() == 5 {
                postgres_unavailable(&code)
            } else {
                sqlite_unavailable(code.parse().ok()?)
            }
        }
        _ => None,
    }
}

/// SQLite's (extended) result code of `e`, when SQLite answered it.
pub(crate) fn sqlite_code(e: &DbError) -> Option<i32> {
    match e {
        DbError::Database(d) => d.code().filter(|c| c.len() < 5)?.parse().ok(),
        _ => None,
    }
}

/// A database's error with only a code, as SQLite (`"13"`) or PostgreSQL (`"53100"`) would
/// answer it (for tests of the error mapping).
pub fn database_error(code: &str) -> DbError {
    DbError::Database(Box::new(CodedError(code.to_owned())))
}

/// See [`database_error`].
#[derive(Debug, thiserror::Error)]
#[error("database error {0}")]
struct CodedError(String);

impl sqlx::error::DatabaseError for CodedError {
    fn message(&self) -> &str {
        &self.0
    }
    fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.0.as_str().into())
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        sqlx::error::ErrorKind::Other
    }
}

/// [`Unavailable`] for an SQLite result code (its primary code, the low byte).
pub fn sqlite_unavailable(code: i32) -> Option<Unavailable> {
    match code & 0xff {
        codes_for_tests::FULL => Some(Unavailable::Full),
        codes_for_tests::BUSY
        | 6 // SQLITE_LOCKED
        | codes_for_tests::CANTOPEN
        | codes_for_tests::IOERR
        | 8 // SQLITE_READONLY
        | 11 // SQLITE_CORRUPT
        | 26 // SQLITE_NOTADB
        => Some(Unavailable::Gone),
        _ => None,
    }
}

/// [`Unavailable`] for a PostgreSQL SQLSTATE: `53100` (disk full), and the classes of a
/// server that cannot serve now: `08` (connection), `53` (resources), `57` (shutting down,
/// cannot connect now), `58` (system error), and `25006` (read-only transaction).
pub fn postgres_unavailable(sqlstate: &str) -> Option<Unavailable> {
    if sqlstate == "53100" {
        return Some(Unavailable::Full);
    }
    let class = sqlstate.get(..2)?;
    (matches!(class, "08" | "53" | "57" | "58") || sqlstate == "25006").then_some(Unavailable::Gone)
}

/// SQLite result codes the error mapping's tests use.
pub mod codes_for_tests {
    /// `SQLITE_FULL`.
    pub const FULL: i32 = 13;
    /// `SQLITE_BUSY`.
    pub const BUSY: i32 = 5;
    /// `SQLITE_CANTOPEN`.
    pub const CANTOPEN: i32 = 14;
    /// `SQLITE_IOERR`.
    pub const IOERR: i32 = 10;
    /// `SQLITE_CONSTRAINT`.
    pub const CONSTRAINT: i32 = 19;
}

/// Locks the person's row until the transaction ends: the per-person caps (contacts,
/// activities) count and insert under it, so two writes racing on two instances cannot both
/// pass the cap (PostgreSQL's row lock; on SQLite the transaction already holds the write
/// lock).
pub(crate) async fn lock_person(c: &mut Conn, person_id: &str) -> DbResult<()> {
    sqlx::query("UPDATE people SET updated_at = updated_at WHERE id = $1")
        .bind(person_id)
        .execute(c)
        .await?;
    Ok(())
}

/// A boolean as stored: the integer 0 or 1 (both dialects; the columns are integers).
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}
