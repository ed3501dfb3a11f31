//! A `wl-server serve` of our own for the contract fuzzing (`cargo xtask test`) and the load
//! bench (`cargo xtask bench --only load`): loopback, ports 0, a fresh data folder (demo people
//! seeded on start), an empty site folder (only the provider is exercised), and its process id,
//! so the bench can read the provider's resident memory from `/proc`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wl_e2e::process::GroupChild;

use crate::util::{Error, Result};

/// The longest the first start may take (keys generated, migrations, demo people).
const READY: Duration = Duration::from_secs(90);

/// A running provider; stopped (its whole process group) on drop. Its folder stays until the
/// next start, with `server.log` to read after a failure.
pub struct Provider {
    /// The provider origin, e.g. `http://127.0.0.1:41234`.
    pub origin: String,
    bin: PathBuf,
    dir: PathBuf,
    process: GroupChild,
}

impl Provider {
    /// Starts `bin serve` with a fresh data folder under `target/<name>/`.
    pub fn start(bin: &Path, name: &str) -> Result<Self> {
        let dir = crate::util::root().join("target").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data"))?;
        std::fs::create_dir_all(dir.join("site"))?;
        let log = std::fs::File::create(dir.join("server.log"))?;
        let mut cmd = Command::new(bin);
        cmd.args([
            "serve",
            "--bind",
            "127.0.0.1",
            "--site-port",
            "0",
            "--provider-port",
            "0",
        ])
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--site-dir")
        .arg(dir.join("site"))
        .env_remove("WL_SITE_DIRS")
        .env_remove("WL_PROVIDER_COOP")
        .env("NO_COLOR", "1")
        // Info lines only: a debug line per rejected request would be the fuzzing's bottleneck.
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log);
        let mut process = GroupChild::spawn(cmd, "wl-server")?;
        let stdout = process
            .child_mut()
            .stdout
            .take()
            .ok_or_else(|| Error("wl-server: no stdout pipe".into()))?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if line.starts_with("wl-server ready ") {
                    let _ = tx.send(line);
                }
            }
        });
        let start = Instant::now();
        let line = loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => break line,
                Err(_) if start.elapsed() > READY => {
                    return Err(Error(format!(
                        "wl-server printed no ready line in {READY:?} (log: {})",
                        dir.join("server.log").display()
                    )));
                }
                Err(_) => process.ensure_running()?,
            }
        };
        let (_site, origin) = wl_e2e::server::parse_ready_line(&line)
            .ok_or_else(|| Error(format!("unexpected ready line: {line:?}")))?;
        wl_e2e::http::wait_ready(&format!("{origin}/healthz"), Duration::from_secs(20))?;
        Ok(Provider {
            origin,
            bin: bin.to_path_buf(),
            dir,
            process,
        })
    }

    /// The data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Runs `wl-server ARGS --data-dir <ours>` and returns what it printed.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        cli(&self.bin, &self.data_dir(), args)
    }

    /// A real access token of the demo app for `user` holding `scope` (`wl-server dev-token`:
    /// stored and validated as any token from `/token` is).
    pub fn token(&self, user: &str, scope: &str) -> Result<String> {
        self.cli(&["dev-token", "--user", user, "--scope", scope])
    }

    /// Every scope the provider knows, from its OpenAPI document.
    pub fn every_scope(&self) -> Result<String> {
        let doc = self.openapi()?;
        let scopes =
            doc["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]["scopes"]
                .as_object()
                .ok_or_else(|| Error("/v1/openapi.json names no OAuth scopes".into()))?;
        Ok(scopes.keys().cloned().collect::<Vec<_>>().join(" "))
    }

    /// `GET /v1/openapi.json`, parsed.
    pub fn openapi(&self) -> Result<serde_json::Value> {
        let url = format!("{}/v1/openapi.json", self.origin);
        let (status, body) =
            wl_e2e::http::get(&url).ok_or_else(|| Error(format!("GET {url}: no answer")))?;
        if status != 200 {
            return Err(Error(format!("GET {url}: {status}")));
        }
        Ok(serde_json::from_str(&body)?)
    }

    /// The provider's resident memory (`VmRSS` in `/proc/PID/status`), in KiB.
    pub fn rss_kib(&mut self) -> Result<u64> {
        let pid = self.process.child_mut().id();
        rss_kib(pid)
    }
}

/// Runs `bin ARGS --data-dir <data>` (a CLI command of `wl-server`, e.g. `dev-token`, on a
/// data folder a running server may share) and returns what it printed, trimmed.
pub fn cli(bin: &Path, data: &Path, args: &[&str]) -> Result<String> {
    cli_in(bin, data, None, args)
}

/// [`cli`] on a database other than the data folder's SQLite file: with `database` (a
/// `postgres://…` URL), `--database URL` is passed too.
pub fn cli_in(bin: &Path, data: &Path, database: Option<&str>, args: &[&str]) -> Result<String> {
    let mut cmd = Command::new(bin);
    cmd.args(args).arg("--data-dir").arg(data);
    if let Some(url) = database {
        cmd.args(["--database", url]);
    }
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(Error(format!(
            "wl-server {}: {}",
            args.first().copied().unwrap_or(""),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The bench's data-API person: `count` contacts seeded for alice (`seed-contacts`) and a token
/// of hers for `wl.basic wl.contacts`, in the data folder `data`: (contacts added, token).
pub fn alice_with_contacts(bin: &Path, data: &Path, count: usize) -> Result<(String, String)> {
    alice_with_contacts_in(bin, data, None, count)
}

/// [`alice_with_contacts`] in the database `database` (a `postgres://…` URL) when given.
pub fn alice_with_contacts_in(
    bin: &Path,
    data: &Path,
    database: Option<&str>,
    count: usize,
) -> Result<(String, String)> {
    let added = cli_in(
        bin,
        data,
        database,
        &[
            "seed-contacts",
            "--user",
            "alice",
            "--count",
            &count.to_string(),
        ],
    )?;
    let token = cli_in(
        bin,
        data,
        database,
        &[
            "dev-token",
            "--user",
            "alice",
            "--scope",
            "wl.basic wl.contacts",
        ],
    )?;
    Ok((added, token))
}

/// `VmRSS` of process `pid`, in KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error(format!("no VmRSS in /proc/{pid}/status")))
}
