//! Storage: the SQLite database ([`db`], migrations in `server/migrations/`), the rows of
//! activities and messages, and the demo data ([`seed`]).

pub mod activities;
pub mod db;
pub mod messages;
pub mod seed;

pub use db::Db;
