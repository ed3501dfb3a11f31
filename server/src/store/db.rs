//! The database: SQLite (one file in the data directory, WAL mode; the default) or
//! PostgreSQL (`--database postgres://…`), both through one `sqlx` pool of the `Any` driver,
//! with the migrations in `server/migrations/` applied at start-up, rendered for the dialect
//! ([`render_migration`]).
//!
//! Store functions take a [`Conn`]: a pooled connection ([`Db::conn`]) or a transaction
//! ([`Db::begin`], which on SQLite takes the write lock at `BEGIN`).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Connection as _, Transaction};

use super::{DbError, DbResult};

/// The migrations, in order. Each runs once; its index + 1 is recorded as the schema version.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_init", include_str!("../../migrations/001_init.sql")),
    ("002_data", include_str!("../../migrations/002_data.sql")),
    (
        "003_activities",
        include_str!("../../migrations/003_activities.sql"),
    ),
    (
        "004_messenger",
        include_str!("../../migrations/004_messenger.sql"),
    ),
    (
        "005_rotation",
        include_str!("../../migrations/005_rotation.sql"),
    ),
    (
        "006_portal",
        include_str!("../../migrations/006_portal.sql"),
    ),
    (
        "007_templates",
        include_str!("../../migrations/007_templates.sql"),
    ),
    (
        "008_secrets",
        include_str!("../../migrations/008_secrets.sql"),
    ),
    ("009_stats", include_str!("../../migrations/009_stats.sql")),
    (
        "010_invitations",
        include_str!("../../migrations/010_invitations.sql"),
    ),
    ("011_media", include_str!("../../migrations/011_media.sql")),
    (
        "012_app_visibility",
        include_str!("../../migrations/012_app_visibility.sql"),
    ),
    ("013_feeds", include_str!("../../migrations/013_feeds.sql")),
    (
        "014_feed_detail",
        include_str!("../../migrations/014_feed_detail.sql"),
    ),
];

/// How long a request waits for a connection (a free one, or the database back) before it
/// answers 503.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Which SQL the database speaks. The store's statements are written once, in the subset
/// both understand (`$1` parameters, `ON CONFLICT`, `RETURNING`, `IS NOT DISTINCT FROM`);
/// only the migrations' column types and how a write transaction starts differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3 (bundled).
    Sqlite,
    /// PostgreSQL 15 or later (its wire protocol and plain SQL).
    Postgres,
}

/// The connection pool and its dialect.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
}

/// A pooled connection, as [`Db::conn`] lends it (derefs to a [`super::Conn`]).
pub type Pooled = PoolConnection<Any>;
/// A transaction, as [`Db::begin`] opens it (derefs to a [`super::Conn`]): committed with
/// `commit().await`, rolled back when dropped.
pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Opens (creating if needed) `dir/wl.sqlite3` with `size` connections and migrates it.
    pub async fn open(dir: &Path, size: usize) -> DbResult<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            DbError::Configuration(
                format!("cannot create data directory {}: {e}", dir.display()).into(),
            )
        })?;
        let path = dir.join("wl.sqlite3");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        Self::connect(&url, size).await
    }

    /// Connects to `url` (`postgres://…` or `sqlite://…`) with at most `size` connections and
    /// migrates the database.
    pub async fn connect(url: &str, size: usize) -> DbResult<Self> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Dialect::Postgres
        } else if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            return Err(DbError::Configuration(
                format!(
                    "database URL {:?}: give postgres://… or sqlite://…",
                    crate::crypto::redact_url(url)
                )
                .into(),
            ));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let mut pool = AnyPoolOptions::new()
            .max_connections(size.max(1) as u32)
            // Waiting for a free connection, or for the database to accept one again: past
            // this the request answers 503 `database_unavailable`.
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // A connection still inside a transaction when it is lent again (its COMMIT failed
            // on a full disk, and the rollback could not end it) is closed instead. (Checked
            // here, not on release: a dropped transaction's rollback is only flushed after.)
            .before_acquire(|c, _| Box::pin(async move { Ok(!c.is_in_transaction()) }));
        if dialect == Dialect::Sqlite {
            pool = pool.after_connect(|c, _| {
                Box::pin(async move {
                    // WAL lets readers run beside the one writer; a busy writer is waited for
                    // (5 s) rather than answered with "database is locked".
                    sqlx::raw_sql(
                        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                         PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                    )
                    .execute(&mut *c)
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect_with(options).await?;
        let db = Self { pool, dialect };
        db.migrate().await?;
        Ok(db)
    }

    /// The database's dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Borrows a connection from the pool (waiting up to [`ACQUIRE_TIMEOUT`] for a free one).
    pub async fn conn(&self) -> DbResult<Pooled> {
        self.pool.acquire().await
    }

    /// Starts a write transaction: on SQLite it takes the write lock at `BEGIN IMMEDIATE`
    /// (where the busy timeout applies) rather than upgrading a read lock later, which fails
    /// at once when another connection wrote in between; on PostgreSQL it is `READ COMMITTED`
    /// and the store's statements say what they lock (`UPDATE … WHERE … RETURNING`).
    pub async fn begin(&self) -> DbResult<Tx> {
        match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.pool.begin().await,
        }
    }

    /// In a transaction from [`Db::begin`], waits for every other instance's setup step
    /// (migrations, the demo seed) to end: PostgreSQL's transaction-scoped advisory lock; on
    /// SQLite `BEGIN IMMEDIATE` already holds the write lock.
    pub async fn setup_lock(&self, tx: &mut Tx) -> DbResult<()> {
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7226101)")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Closes every connection (tests that take the database away use it).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Applies the pending migrations in one transaction that holds the database's write lock
    /// (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: a transaction-scoped advisory lock), so
    /// several instances starting at once take turns and each migration runs once.
    async fn migrate(&self) -> DbResult<()> {
        let mut tries = 0;
        loop {
            match self.migrate_once().await {
                // Another instance switching a new SQLite file to WAL at the same moment can
                // answer "database is locked" where no busy timeout applies: try again.
                Err(e) if self.dialect == Dialect::Sqlite && is_busy(&e) && tries < 40 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                other => return other,
            }
        }
    }

    async fn migrate_once(&self) -> DbResult<()> {
        let mut tx = self.begin().await?;
        self.setup_lock(&mut tx).await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let current: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM schema_migrations",
        )
        .fetch_one(&mut *tx)
        .await?;
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
            let version = i as i64 + 1;
            if version <= current {
                continue;
            }
            tracing::info!(migration = name, dialect = ?self.dialect, "applying migration");
            sqlx::raw_sql(sqlx::AssertSqlSafe(render_migration(sql, self.dialect)))
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                .bind(version)
                .bind(*name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }
}

/// True for SQLite's "database is locked" (`SQLITE_BUSY`).
fn is_busy(e: &DbError) -> bool {
    super::sqlite_code(e).is_some_and(|code| code & 0xff == 5)
}

/// A migration as the dialect runs it. The files are written for SQLite with portable types;
/// for PostgreSQL, whole uppercase words are swapped: `INTEGER PRIMARY KEY` (SQLite's row id)
/// becomes an identity column, `INTEGER` → `BIGINT` (times are Unix seconds), `BLOB` →
/// `BYTEA`, and `TEXT` → `TEXT COLLATE "C"`, so that `=`, `<`, `ORDER BY` and `lower()`
/// compare and fold bytes (ASCII only) exactly as SQLite's default `BINARY` collation and the
/// OData evaluator do, whatever the server's locale.
pub fn render_migration(sql: &str, dialect: Dialect) -> String {
    if dialect == Dialect::Sqlite {
        return sql.to_owned();
    }
    let sql = sql.replace(
        "INTEGER PRIMARY KEY",
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    );
    let mut out = String::with_capacity(sql.len() + 256);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "INTEGER" => "BIGINT",
            "BLOB" => "BYTEA",
            "TEXT" => "TEXT COLLATE \"C\"",
            w => w,
        });
        word.clear();
    };
    for ch in sql.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_runs_the_files_as_written() {
        for (_, sql) in MIGRATIONS {
            assert_eq!(render_migration(sql, Dialect::Sqlite), *sql);
        }
    }

    #[test]
    fn postgres_gets_its_types_and_byte_wise_text() {
        let pg = render_migration(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, h BLOB, name TEXT, texts TEXT); -- plain text",
            Dialect::Postgres,
        );
        assert_eq!(
            pg,
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, h BYTEA, name TEXT COLLATE \"C\", texts TEXT COLLATE \"C\"); -- plain text"
        );
        for (name, sql) in MIGRATIONS {
            let pg = render_migration(sql, Dialect::Postgres);
            for word in [" INTEGER", " BLOB", "INSERT OR", "AUTOINCREMENT"] {
                assert!(!pg.contains(word), "{name} still says {word:?}");
            }
        }
    }

    #[test]
    fn a_url_of_another_database_is_refused_without_its_password() {
        let e = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(Db::connect("mysql://u:secret@127.0.0.1/x", 1))
            .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("postgres://"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
