//! Storage: the SQLite database ([`db`], migrations in `server/migrations/`), the rows of
//! activities and messages, and the demo data ([`seed`]).

pub mod activities;
pub mod apps;
pub mod codes;
pub mod contacts;
pub mod db;
pub mod grants;
pub mod messages;
pub mod meta;
pub mod people;
pub mod seed;
pub mod sessions;

pub use db::Db;
