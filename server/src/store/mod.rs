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
