//! Storage: the SQLite database ([`db`], migrations in `server/migrations/`), the rows of
//! people, apps, sessions, grants, codes, tokens, contacts, activities and messages, the
//! queries behind the `/v1` collections ([`collections`], with the OData translation in
//! [`query`]), and the demo data ([`seed`]).
//!
//! Every SQL statement of the server is in this module, and only this module names the driver
//! (`rusqlite`): the rest of the server calls typed functions and sees [`Conn`] and
//! [`DbError`] by these names (`server/tests/it/layers.rs` checks both).

pub mod activities;
pub mod apps;
pub mod codes;
pub mod collections;
pub mod contacts;
pub mod db;
pub mod grants;
pub mod messages;
pub mod meta;
pub mod people;
pub mod query;
pub mod seed;
pub mod sessions;
pub mod tokens;

pub use db::{Db, in_transaction};

/// A connection to the database, as the store's functions take it.
pub type Conn = rusqlite::Connection;
/// What a store function fails with.
pub type DbError = rusqlite::Error;
/// A store function's result.
pub type DbResult<T> = Result<T, DbError>;

/// A storage failure that is the storage's state rather than a bug: nothing was written, and
/// the same request may succeed later (the provider answers 503).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// The disk is full (`SQLITE_FULL`).
    Full,
    /// The database is locked, unreadable, read-only or gone.
    Gone,
}

/// Whether `e` is the storage's state ([`Unavailable`]), not the provider's bug.
pub fn unavailable(e: &DbError) -> Option<Unavailable> {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code()? {
        C::DiskFull => Some(Unavailable::Full),
        C::DatabaseBusy
        | C::DatabaseLocked
        | C::CannotOpen
        | C::SystemIoFailure
        | C::ReadOnly
        | C::DatabaseCorrupt
        | C::NotADatabase => Some(Unavailable::Gone),
        _ => None,
    }
}

/// The driver's error for SQLite result code `code` (for tests of the error mapping).
pub fn sqlite_error(code: i32) -> DbError {
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
}

/// SQLite result codes the error mapping's tests use.
pub mod codes_for_tests {
    /// `SQLITE_FULL`.
    pub const FULL: i32 = rusqlite::ffi::SQLITE_FULL;
    /// `SQLITE_BUSY`.
    pub const BUSY: i32 = rusqlite::ffi::SQLITE_BUSY;
    /// `SQLITE_CANTOPEN`.
    pub const CANTOPEN: i32 = rusqlite::ffi::SQLITE_CANTOPEN;
    /// `SQLITE_IOERR`.
    pub const IOERR: i32 = rusqlite::ffi::SQLITE_IOERR;
    /// `SQLITE_CONSTRAINT`.
    pub const CONSTRAINT: i32 = rusqlite::ffi::SQLITE_CONSTRAINT;
}
