//! A throwaway PostgreSQL server for tests, the bench and `cargo xtask serve --scale N`:
//! Debian's binaries (`/usr/lib/postgresql/<newest>/bin`), a cluster in a folder of ours,
//! listening only on 127.0.0.1 on a free port, its unix socket in that folder too (not
//! `/var/run/postgresql`), stopped when the [`Postgres`] is dropped.
//!
//! PostgreSQL refuses to run as root, so as root `initdb` and `postgres` run as the `postgres`
//! system user (Debian's package creates it; we create an unprivileged `wl-postgres` when it is
//! missing), and the cluster folder belongs to that user.
//!
//! `cargo xtask test`, `cargo xtask serve --scale` and `cargo xtask bench --only scale` install
//! Debian's `postgresql` when it is missing.

use crate::error::{E2eError, Result};
use crate::http;
use crate::process::GroupChild;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The superuser `initdb` creates (trust authentication: loopback only, throwaway clusters).
pub const USER: &str = "wl";

/// How long a start may take (a first `initdb` included).
const READY: Duration = Duration::from_secs(90);

/// Settings for a throwaway test cluster: nothing is flushed to disk (a crash of the machine may
/// lose or corrupt the cluster, which is thrown away anyway; a killed server loses nothing) and
/// room for many instances' pools. Never use these for data that matters.
const TEST_SETTINGS: &[(&str, &str)] = &[
    ("fsync", "off"),
    // Commits stay synchronous: a killed server (the outage test's SIGQUIT) loses nothing it
    // acknowledged (with fsync off that is one write to the OS a commit, no disk flush).
    ("full_page_writes", "off"),
    ("max_connections", "200"),
];

/// A running PostgreSQL server; dropping it stops it (immediate shutdown).
#[derive(Debug)]
pub struct Postgres {
    port: u16,
    /// TLS only ([`Postgres::start_tls`]): the CA that signed the server's certificate.
    ca: Option<PathBuf>,
    bin: PathBuf,
    data: PathBuf,
    log: PathBuf,
    version: String,
    process: Option<GroupChild>,
}

/// A TLS server's files ([`Postgres::start_tls`]).
struct TlsFiles {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
    hba: PathBuf,
}

/// Makes (once) a CA, a server certificate for 127.0.0.1 signed by it, and an `hba_file` that
/// accepts TCP only over TLS, in `dir`; the key readable by the server's account only.
fn tls_files(dir: &Path, owner: Option<(u32, u32)>) -> Result<TlsFiles> {
    std::fs::create_dir_all(dir)?;
    let files = TlsFiles {
        ca: dir.join("ca.crt"),
        cert: dir.join("server.crt"),
        key: dir.join("server.key"),
        hba: dir.join("pg_hba.conf"),
    };
    if !files.cert.is_file() {
        let openssl = |args: &[&str]| -> Result<()> {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .map_err(|e| E2eError::Process {
                    program: "openssl".into(),
                    message: e.to_string(),
                })?;
            if out.status.success() {
                Ok(())
            } else {
                Err(E2eError::Process {
                    program: "openssl".into(),
                    message: String::from_utf8_lossy(&out.stderr).into_owned(),
                })
            }
        };
        std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\n")?;
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=wl-connect test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ])?;
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ])?;
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ])?;
        std::fs::write(
            &files.hba,
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
        )?;
    }
    std::fs::set_permissions(
        &files.key,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )?;
    if let Some((uid, gid)) = owner {
        for f in [&files.cert, &files.key, &files.hba, &files.ca] {
            std::os::unix::fs::chown(f, Some(uid), Some(gid))?;
        }
    }
    Ok(files)
}

/// The folder of the newest PostgreSQL under `root` (`<root>/<major>/bin` holding `initdb`),
/// with its major version.
fn newest_bin_dir(root: &Path) -> Option<(String, PathBuf)> {
    std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_str()?.to_owned();
            let major: u32 = name.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((major, name, bin))
        })
        .max_by_key(|(major, _, _)| *major)
        .map(|(_, name, bin)| (name, bin))
}

/// Debian's PostgreSQL binaries, or an error naming the package.
fn bin_dir() -> Result<(String, PathBuf)> {
    newest_bin_dir(Path::new("/usr/lib/postgresql")).ok_or(E2eError::Missing {
        what: "PostgreSQL (initdb, pg_ctl, postgres, psql)",
        path: "/usr/lib/postgresql/<version>/bin".into(),
        hint: "Debian's package `postgresql`: `cargo xtask test` and `cargo xtask serve --scale` install it",
    })
}

/// The account the server runs as when we are root: `(uid, gid)` of `postgres`, or of
/// `wl-postgres`, created (unprivileged, no home, no shell) when neither exists.
fn server_account() -> Result<(u32, u32)> {
    if let Some(ids) = account("postgres").or_else(|| account("wl-postgres")) {
        return Ok(ids);
    }
    let status = Command::new("useradd")
        .args(["--system", "--user-group", "--no-create-home"])
        .args(["--shell", "/usr/sbin/nologin", "wl-postgres"])
        .status()?;
    account("wl-postgres").ok_or_else(|| E2eError::Process {
        program: "useradd".into(),
        message: format!(
            "no `postgres` account, and creating `wl-postgres` failed ({status}); \
             PostgreSQL refuses to run as root"
        ),
    })
}

/// `(uid, gid)` of `name` from `/etc/passwd`.
fn account(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&name) && f.len() > 3)
            .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
            .flatten()
    })
}

/// The last `n` lines of `path`.
pub(crate) fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

impl Postgres {
    /// Starts PostgreSQL with its cluster in `<dir>/data` (made with `initdb` unless one is
    /// there already), its socket in `<dir>/run` and its log in `<dir>/postgres.log`, on a free
    /// loopback port; ready when `select 1` answers over TCP.
    pub fn start(dir: &Path) -> Result<Postgres> {
        Self::start_at(dir, None, false)
    }

    /// [`start`](Self::start) with TLS required: a CA and a server certificate for 127.0.0.1
    /// made with `openssl` in `<dir>/tls/`, `ssl=on`, and an `hba_file` that rejects every TCP
    /// connection without TLS. [`ca_file`](Self::ca_file) is the CA clients verify against.
    pub fn start_tls(dir: &Path) -> Result<Postgres> {
        Self::start_at(dir, None, true)
    }

    /// The CA certificate of a TLS server ([`start_tls`](Self::start_tls)).
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca.as_deref()
    }

    /// Starts it again after [`stop`](Self::stop): the same cluster on the same port, so the
    /// URLs handed out before still work (a database outage and its end).
    pub fn restart(&mut self) -> Result<()> {
        self.stop();
        let dir = self
            .data
            .parent()
            .expect("the cluster folder is <dir>/data")
            .to_path_buf();
        *self = Self::start_at(&dir, Some(self.port), self.ca.is_some())?;
        Ok(())
    }

    fn start_at(dir: &Path, port: Option<u16>, tls: bool) -> Result<Postgres> {
        let (version, bin) = bin_dir()?;
        std::fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        let data = dir.join("data");
        let run = dir.join("run");
        let log = dir.join("postgres.log");
        let owner = if crate::cluster::running_as_root() {
            Some(server_account()?)
        } else {
            None
        };
        let as_owner = |cmd: &mut Command| {
            if let Some((uid, gid)) = owner {
                cmd.uid(uid).gid(gid);
            }
        };
        let fresh = !data.join("PG_VERSION").is_file();
        for d in [&data, &run] {
            std::fs::create_dir_all(d)?;
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::chown(d, Some(uid), Some(gid))?;
            }
        }
        std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
        if fresh {
            let out = std::fs::File::create(&log)?;
            let mut initdb = Command::new(bin.join("initdb"));
            initdb
                .arg("-D")
                .arg(&data)
                .args(["--auth=trust", "--username", USER])
                .args([
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                    "--no-instructions",
                ])
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out);
            as_owner(&mut initdb);
            let status = initdb.status().map_err(|e| E2eError::Process {
                program: "initdb".into(),
                message: e.to_string(),
            })?;
            if !status.success() {
                return Err(E2eError::Process {
                    program: "initdb".into(),
                    message: format!("{status}; {}:\n{}", log.display(), tail(&log, 20)),
                });
            }
        }
        // A unix socket path is limited to 107 bytes (`<dir>/.s.PGSQL.<port>`); in a deeper
        // folder there is no socket, only TCP (all we use).
        let sockets = if run.as_os_str().len() + 20 < 100 {
            run.display().to_string()
        } else {
            String::new()
        };
        let port = match port {
            Some(p) => p,
            None => http::free_port()?,
        };
        let logfile = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)?;
        let mut cmd = Command::new(bin.join("postgres"));
        cmd.arg("-D")
            .arg(&data)
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", &format!("port={port}")])
            .args(["-c", &format!("unix_socket_directories={sockets}")]);
        for (name, value) in TEST_SETTINGS {
            cmd.args(["-c", &format!("{name}={value}")]);
        }
        let ca = if tls {
            let files = tls_files(&dir.join("tls"), owner)?;
            cmd.args(["-c", "ssl=on"])
                .args(["-c", &format!("ssl_cert_file={}", files.cert.display())])
                .args(["-c", &format!("ssl_key_file={}", files.key.display())])
                .args(["-c", &format!("hba_file={}", files.hba.display())]);
            Some(files.ca)
        } else {
            None
        };
        cmd.stdin(Stdio::null())
            .stdout(logfile.try_clone()?)
            .stderr(logfile);
        as_owner(&mut cmd);
        let process = GroupChild::spawn(cmd, "postgres")?;
        let mut pg = Postgres {
            port,
            ca,
            bin,
            data,
            log,
            version,
            process: Some(process),
        };
        pg.wait_ready()?;
        Ok(pg)
    }

    /// Waits until the port accepts connections and `select 1` answers.
    fn wait_ready(&mut self) -> Result<()> {
        let start = Instant::now();
        loop {
            if let Some(p) = self.process.as_mut()
                && let Err(e) = p.ensure_running()
            {
                return Err(E2eError::Process {
                    program: "postgres".into(),
                    message: format!("{e}; {}:\n{}", self.log.display(), tail(&self.log, 20)),
                });
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok()
                && self.psql("postgres", "select 1").is_ok_and(|o| o == "1")
            {
                return Ok(());
            }
            if start.elapsed() > READY {
                return Err(E2eError::Timeout {
                    what: format!("PostgreSQL on port {} to answer `select 1`", self.port),
                    timeout: READY,
                    last: format!("; last seen: {}", tail(&self.log, 20)),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The admin URL: `postgres://wl@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        self.url_of("postgres")
    }

    /// The URL of database `name` on this server.
    pub fn url_of(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// The port it listens on (127.0.0.1 only).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The major version running (the folder name under `/usr/lib/postgresql`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The cluster's folder.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The server's log file.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// The postmaster's process id (its backends are in its process group), or 0 once stopped.
    pub fn pid(&self) -> u32 {
        self.process.as_ref().map_or(0, GroupChild::pid)
    }

    /// Runs `sql` in database `db` with `psql` over TCP (as [`USER`]) and returns its unaligned,
    /// tuples-only output, trimmed; an error carries what psql printed.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"])
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER])
            .args(["-d", db, "-c", sql])
            .env("PGCONNECT_TIMEOUT", "5")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| E2eError::Process {
                program: "psql".into(),
                message: e.to_string(),
            })?;
        if !out.status.success() {
            return Err(E2eError::Process {
                program: "psql".into(),
                message: format!(
                    "`{sql}` in {db}: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// Creates database `name` (letters, digits and `_` only) unless it exists; returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(E2eError::Check(format!(
                "database name {name:?}: use letters, digits and `_`"
            )));
        }
        let exists = self.psql(
            "postgres",
            &format!("select 1 from pg_database where datname = '{name}'"),
        )?;
        if exists != "1" {
            self.psql("postgres", &format!("create database \"{name}\""))?;
        }
        Ok(self.url_of(name))
    }

    /// Stops the server at once (SIGQUIT: PostgreSQL's immediate shutdown, which also ends its
    /// backends and frees its shared memory), then whatever is left of its process group.
    pub fn stop(&mut self) {
        let Some(mut p) = self.process.take() else {
            return;
        };
        if p.ensure_running().is_err() {
            return; // Already gone (and reaped): its pid may be someone else's by now.
        }
        let _ = Command::new("kill")
            .args(["-QUIT", &p.pid().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && p.ensure_running().is_ok() {
            std::thread::sleep(Duration::from_millis(50));
        }
        p.kill_now();
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::{Postgres, newest_bin_dir};
    use crate::error::{Result, check};
    use crate::http;
    use std::process::Command;
    use std::time::{Duration, Instant};

    #[test]
    fn picks_the_newest_major_version_not_the_last_listed() -> Result<()> {
        let root = tempfile::tempdir()?;
        for v in ["9", "15", "13", "notes"] {
            let bin = root.path().join(v).join("bin");
            std::fs::create_dir_all(&bin)?;
            std::fs::write(bin.join("initdb"), "")?;
        }
        // A newer folder without initdb is not a PostgreSQL.
        std::fs::create_dir_all(root.path().join("16").join("bin"))?;
        let found = newest_bin_dir(root.path());
        check(
            found == Some(("15".into(), root.path().join("15").join("bin"))),
            format!("{found:?}"),
        )
    }

    #[test]
    fn a_throwaway_server_answers_on_loopback_and_stops() -> Result<()> {
        let dir = tempfile::Builder::new().prefix("wl-pg-").tempdir()?;
        let mut pg = Postgres::start(dir.path())?;
        assert_eq!(pg.psql("postgres", "select 1")?, "1");
        assert_eq!(
            pg.url(),
            format!("postgres://wl@127.0.0.1:{}/postgres", pg.port())
        );
        // Loopback only, and the test settings are in force.
        assert_eq!(pg.psql("postgres", "show listen_addresses")?, "127.0.0.1");
        assert_eq!(pg.psql("postgres", "show fsync")?, "off");
        assert_eq!(pg.psql("postgres", "show max_connections")?, "200");
        // A database of ours, created once (a second call finds it).
        let url = pg.create_database("wl")?;
        assert_eq!(url, format!("postgres://wl@127.0.0.1:{}/wl", pg.port()));
        pg.create_database("wl")?;
        assert_eq!(pg.psql("wl", "select current_database()")?, "wl");
        // A name that would need quoting is refused, not spliced into SQL.
        assert!(pg.create_database("x\"; drop").is_err());
        // A failing statement is an error carrying psql's message.
        let e = pg.psql("wl", "select * from nothing_here").err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.to_string().contains("nothing_here")),
            "{e:?}"
        );
        // A second server on the same cluster does not start, and says why (its log's tail).
        let second = Postgres::start(dir.path()).err().map(|e| e.to_string());
        assert!(
            second
                .as_deref()
                .is_some_and(|e| e.contains("postgres.log") && e.contains("lock file")),
            "{second:?}"
        );
        let port = pg.port();
        pg.stop();
        check(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "still listening after stop",
        )
    }

    /// The provider reaches PostgreSQL over TLS only: with `sslmode=verify-full` and the CA it
    /// works; a server that refuses plain TCP refuses `sslmode=disable` (the provider exits with
    /// the database's error); and `verify-full` against a CA that did not sign the server's
    /// certificate (the system's roots) fails instead of trusting it.
    #[test]
    fn the_provider_talks_to_postgres_over_verified_tls() -> Result<()> {
        let dir = tempfile::Builder::new().prefix("wl-pg-tls-").tempdir()?;
        let mut pg = Postgres::start_tls(dir.path())?;
        let plain = pg.create_database("wl")?;
        let ca = pg.ca_file().expect("a TLS server has a CA").to_owned();
        let site = tempfile::tempdir()?;
        let verified = format!("{plain}?sslmode=verify-full&sslrootcert={}", ca.display());
        let server = crate::server::DevServer::start_with_site_dirs(
            &crate::server::ServerOptions {
                serve_args: vec!["--database".into(), verified],
                ..Default::default()
            },
            &[site.path().to_path_buf()],
        )?;
        let (status, body) = http::get(&format!("{}/readyz", server.provider)).expect("readyz");
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            pg.psql("wl", "select count(*) > 0 from pg_stat_ssl where ssl")?,
            "t",
            "the provider's connections are encrypted"
        );
        drop(server);
        for (url, why, says) in [
            (
                format!("{plain}?sslmode=disable"),
                "no TLS",
                "no encryption",
            ),
            (
                format!("{plain}?sslmode=verify-full"),
                "a certificate the system's roots did not sign",
                "UnknownIssuer",
            ),
        ] {
            let out = Command::new(crate::paths::server_bin()?)
                .args(["dev-token", "--user", "alice", "--scope", "wl.basic"])
                .arg("--data-dir")
                .arg(dir.path().join("data-cli"))
                .args(["--database", &url])
                .output()?;
            assert!(!out.status.success(), "{why}: refused");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("wl-server: database error") && err.contains(says),
                "{why}: a clear error: {err}"
            );
        }
        pg.stop();
        Ok(())
    }

    /// The provider on PostgreSQL while the database goes away and comes back: data requests
    /// answer 503 `database_unavailable`, `/readyz` 503 `not_ready` (and `/healthz` stays 200,
    /// the process is alive), and once PostgreSQL is back on the same port everything answers
    /// again from the pool's fresh connections, the data whole.
    #[test]
    fn the_provider_answers_503_while_postgres_is_down_and_recovers() -> Result<()> {
        let dir = tempfile::Builder::new().prefix("wl-pg-").tempdir()?;
        let mut pg = Postgres::start(dir.path())?;
        let url = pg.create_database("wl")?;
        let site = tempfile::tempdir()?;
        let server = crate::server::DevServer::start_with_site_dirs(
            &crate::server::ServerOptions {
                serve_args: vec!["--database".into(), url],
                ..Default::default()
            },
            &[site.path().to_path_buf()],
        )?;
        let get = |path: &str| http::get(&format!("{}{path}", server.provider)).expect(path);
        let (status, body) = get("/readyz");
        assert_eq!(status, 200, "{body}");
        assert_eq!(get("/pictures/nobody.svg").0, 404);
        let people = pg.psql("wl", "select count(*) from people")?;
        assert_ne!(people, "0", "the demo people were seeded into PostgreSQL");

        pg.stop();
        let (status, body) = get("/pictures/nobody.svg");
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("database_unavailable"), "{body}");
        let (status, body) = get("/readyz");
        assert_eq!(status, 503, "{body}");
        assert!(
            body.contains("not_ready") && body.contains("\"database\":\"unavailable\""),
            "{body}"
        );
        assert_eq!(get("/healthz").0, 200, "the process itself is alive");

        pg.restart()?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while get("/readyz").0 != 200 {
            assert!(
                Instant::now() < deadline,
                "ready again: {:?}",
                get("/readyz")
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        assert_eq!(get("/pictures/nobody.svg").0, 404);
        assert_eq!(pg.psql("wl", "select count(*) from people")?, people);
        assert_eq!(
            pg.psql(
                "wl",
                "select count(*) = max(version) and count(*) > 4 from schema_migrations"
            )?,
            "t",
            "every migration ran once"
        );
        Ok(())
    }
}
