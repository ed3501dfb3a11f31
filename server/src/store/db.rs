//! The SQLite store: one file in the data directory, WAL mode, a few connections shared by
//! handlers, and the migrations in `server/migrations/` applied at start-up.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

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
];

/// A small pool of connections to the one database file.
pub struct Db {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("connections", &self.conns.len())
            .finish()
    }
}

fn open_one(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    // Every transaction here writes: take the write lock at BEGIN, where the busy timeout
    // applies, instead of upgrading a read lock later, which fails at once with "database is
    // locked" when another connection wrote in between (WAL).
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

impl Db {
    /// Opens (creating if needed) `dir/wl.sqlite3` with `size` connections and migrates it.
    pub fn open(dir: &Path, size: usize) -> rusqlite::Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!(
                    "cannot create data directory {}: {e}",
                    dir.display()
                )),
            )
        })?;
        let path = dir.join("wl.sqlite3");
        let first = open_migrated(&path)?;
        let mut conns = vec![Mutex::new(first)];
        for _ in 1..size.max(1) {
            conns.push(Mutex::new(open_one(&path)?));
        }
        Ok(Self {
            conns,
            next: AtomicUsize::new(0),
        })
    }

    /// Borrows a free connection (or waits for one) for the duration of `f`.
    pub fn with<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut guard = self.acquire();
        f(&mut guard)
    }

    fn acquire(&self) -> MutexGuard<'_, Connection> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.conns.len();
        for i in 0..n {
            if let Ok(guard) = self.conns[(start + i) % n].try_lock() {
                return guard;
            }
        }
        let m = &self.conns[start % n];
        m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs `f` in a transaction that takes the write lock at its start: its writes are kept when
/// it returns `Ok`, undone when it returns `Err`.
pub fn in_transaction<T, E: From<rusqlite::Error>>(
    c: &mut Connection,
    f: impl FnOnce(&Connection) -> Result<T, E>,
) -> Result<T, E> {
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// Opens the first connection and migrates. Another instance starting at the same moment on
/// the same data directory can make SQLite answer "database is locked" where no busy timeout
/// applies (switching a new file to WAL, recovering the WAL index): such a start is tried
/// again, for up to about 10 s.
fn open_migrated(path: &Path) -> rusqlite::Result<Connection> {
    let mut tries = 0;
    loop {
        let opened = open_one(path).and_then(|c| migrate(&c).map(|()| c));
        match opened {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && tries < 40 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            other => return other,
        }
    }
}

/// Applies the pending migrations in one `BEGIN IMMEDIATE` transaction: several instances
/// starting at once on one data directory (docs/scaling.md) take turns here (the busy
/// timeout), and each reads the version only once it holds the write lock, so every migration
/// runs once.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match migrate_locked(conn) {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn migrate_locked(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        tracing::info!(migration = name, "applying migration");
        conn.execute_batch(&format!(
            "{sql}; INSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}');"
        ))?;
    }
    Ok(())
}
