//! The dev host and provider (`wl-server serve`) on ephemeral ports, for one test run.

use crate::error::{E2eError, Result};
use crate::process::GroupChild;
use crate::{http, paths};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How to start the server.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// `--provider-coop same-origin`: every provider HTML page sends COOP.
    pub provider_coop: Option<String>,
    /// More `serve` arguments (the bench raises the hub's per-person limits).
    pub serve_args: Vec<String>,
}

/// A running `wl-server serve` with its own data directory; the whole process group is killed
/// when this is dropped.
#[derive(Debug)]
pub struct DevServer {
    /// The site origin, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub site: String,
    /// The provider origin (the OIDC issuer), no trailing slash.
    pub provider: String,
    log_path: PathBuf,
    /// What [`DevServer::restart`] starts again.
    relaunch: Relaunch,
    // Field order matters: the process is killed before its data directory is removed.
    _process: GroupChild,
    _data_dir: tempfile::TempDir,
    /// The test's own pages ([`DevServer::start_with_pages`]), served while the server lives.
    _pages: Option<tempfile::TempDir>,
}

/// How the server was started, to start it again on the same ports and data.
#[derive(Debug, Clone)]
struct Relaunch {
    bin: PathBuf,
    options: ServerOptions,
    site_dirs: Vec<PathBuf>,
    site_probe: String,
}

/// The longest we wait for the ready line (first start generates keys and seeds people).
const READY_TIMEOUT: Duration = Duration::from_secs(90);

impl DevServer {
    /// Starts `wl-server serve --site-port 0 --provider-port 0 --data-dir <tmp> --site-dir
    /// target/wl-dist --site-dir www [--provider-coop …]`, reads the ready line and polls the
    /// health URL with backoff.
    pub fn start(options: &ServerOptions) -> Result<Self> {
        let dirs = [paths::wl_dist()?, paths::repo_root().join("www")];
        Self::spawn(&paths::server_bin()?, options, &dirs, "/wl.js")
    }

    /// Starts the server with `site_dirs` as the site's folders instead of the package and
    /// `www/` (e.g. `cargo xtask gallery --axe` serving `target/gallery/`); the site is ready
    /// when its `/healthz` answers.
    pub fn start_with_site_dirs(options: &ServerOptions, site_dirs: &[PathBuf]) -> Result<Self> {
        Self::spawn(&paths::server_bin()?, options, site_dirs, "/healthz")
    }

    /// Starts the server as [`start`](Self::start) does, serving a test's own `pages` (file
    /// name, HTML) on the site beside the package and `www/`.
    pub fn start_with_pages(options: &ServerOptions, pages: &[(&str, &str)]) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("wl-e2e-pages-").tempdir()?;
        for (name, html) in pages {
            std::fs::write(dir.path().join(name), html)?;
        }
        let dirs = [
            dir.path().to_path_buf(),
            paths::wl_dist()?,
            paths::repo_root().join("www"),
        ];
        let mut server = Self::spawn(&paths::server_bin()?, options, &dirs, "/wl.js")?;
        server._pages = Some(dir);
        Ok(server)
    }

    /// Starts `bin` (e.g. the bench's release build) as [`start`](Self::start) does.
    pub fn start_binary(bin: &Path, options: &ServerOptions) -> Result<Self> {
        let dirs = [paths::wl_dist()?, paths::repo_root().join("www")];
        Self::spawn(bin, options, &dirs, "/wl.js")
    }

    /// The server's data folder (its SQLite file), removed when the server is dropped.
    pub fn data_dir(&self) -> &Path {
        self._data_dir.path()
    }

    /// Starts `wl-server serve` with `site_dirs`; ready when the provider's `/healthz` and the
    /// site's `site_probe` answer 200.
    fn spawn(
        bin: &Path,
        options: &ServerOptions,
        site_dirs: &[PathBuf],
        site_probe: &str,
    ) -> Result<Self> {
        let data_dir = tempfile::Builder::new().prefix("wl-e2e-data-").tempdir()?;
        let log_path = data_dir.path().join("server.log");
        let relaunch = Relaunch {
            bin: bin.to_path_buf(),
            options: options.clone(),
            site_dirs: site_dirs.to_vec(),
            site_probe: site_probe.to_string(),
        };
        let (process, site, provider) = launch(&relaunch, data_dir.path(), &log_path, (0, 0))?;
        let server = DevServer {
            site,
            provider,
            log_path,
            relaunch,
            _process: process,
            _data_dir: data_dir,
            _pages: None,
        };
        server.wait_healthy(site_probe)?;
        Ok(server)
    }

    /// The server process's id (the bench reads its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self._process.pid()
    }

    /// Kills the server with SIGKILL, as a crash would (nothing is flushed or closed).
    pub fn crash(&mut self) {
        self._process.kill_now();
    }

    /// Starts the server again on the same ports and data folder (after [`crash`](Self::crash)),
    /// and waits until it is healthy.
    pub fn restart(&mut self) -> Result<()> {
        let port = |origin: &str| {
            origin
                .rsplit(':')
                .next()
                .and_then(|p| p.parse::<u16>().ok())
                .unwrap_or(0)
        };
        let ports = (port(&self.site), port(&self.provider));
        let (process, _, _) = launch(&self.relaunch, self._data_dir.path(), &self.log_path, ports)?;
        self._process = process;
        self.wait_healthy(&self.relaunch.site_probe.clone())
    }

    /// Polls `{provider}/healthz` and `{site}{site_probe}` until both answer 200, with backoff.
    fn wait_healthy(&self, site_probe: &str) -> Result<()> {
        let urls = [
            format!("{}/healthz", self.provider),
            format!("{}{site_probe}", self.site),
        ];
        for url in &urls {
            let timeout = Duration::from_secs(20);
            http::wait_ready(url, timeout).map_err(|e| with_log(e, &self.log_path))?;
        }
        Ok(())
    }

    /// `{site}{path}`; `path` starts with `/`.
    pub fn site_url(&self, path: &str) -> String {
        format!("{}{}", self.site, path)
    }

    /// The last lines of the server's log (stdout and stderr), for failure reports.
    pub fn log_tail(&self, lines: usize) -> String {
        tail(&self.log_path, lines)
    }
}

/// Starts one `wl-server serve` on ephemeral ports over `data_dir` (which other instances may
/// share), serving `site_dirs`, with `args` added, its output appended to `log_path`; returns the
/// process and the site and provider origins of its ready line (the instance's own listeners).
pub fn launch_instance(
    bin: &Path,
    data_dir: &Path,
    site_dirs: &[PathBuf],
    args: &[String],
    log_path: &Path,
) -> Result<(GroupChild, String, String)> {
    let how = Relaunch {
        bin: bin.to_path_buf(),
        options: ServerOptions {
            provider_coop: None,
            serve_args: args.to_vec(),
        },
        site_dirs: site_dirs.to_vec(),
        site_probe: String::new(),
    };
    launch(&how, data_dir, log_path, (0, 0))
}

/// Starts `wl-server serve` on `ports` (0: ephemeral) over `data_dir`, appending its output to
/// `log_path`; returns the process and the site and provider origins of its ready line.
fn launch(
    how: &Relaunch,
    data_dir: &Path,
    log_path: &Path,
    ports: (u16, u16),
) -> Result<(GroupChild, String, String)> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)?;
    let (bin, options, site_dirs) = (&how.bin, &how.options, &how.site_dirs);
    let log_path = log_path.to_path_buf();
    let mut cmd = Command::new(bin);
    cmd.arg("serve")
        .args(["--bind", "127.0.0.1"])
        .args(["--site-port", &ports.0.to_string()])
        .args(["--provider-port", &ports.1.to_string()])
        .arg("--data-dir")
        .arg(data_dir);
    for dir in site_dirs {
        cmd.arg("--site-dir").arg(dir);
    }
    cmd.current_dir(paths::repo_root())
        .env_remove("WL_SITE_DIRS")
        .env_remove("WL_PROVIDER_COOP")
        .env_remove("WL_DEMO")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log.try_clone()?);
    if let Some(coop) = &options.provider_coop {
        cmd.args(["--provider-coop", coop]);
    }
    cmd.args(&options.serve_args)
        .env_remove("WL_HUB_CONNS_PER_PERSON")
        .env_remove("WL_HUB_FRAMES_PER_SEC")
        .env_remove("WL_HUB_OFFLINE_GRACE_MS");
    let mut process = GroupChild::spawn(cmd, "wl-server")?;

    // Read stdout on a thread: the ready line goes to us, everything goes to the log.
    let stdout = process
        .child_mut()
        .stdout
        .take()
        .ok_or_else(|| E2eError::Process {
            program: "wl-server".into(),
            message: "no stdout pipe".into(),
        })?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut log = log;
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            let _ = writeln!(log, "{line}");
            if line.starts_with("wl-server ready ") {
                let _ = tx.send(line);
            }
        }
    });

    let start = Instant::now();
    let line = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => break line,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Err(e) = process.ensure_running() {
                    return Err(with_log(e, &log_path));
                }
                if start.elapsed() > READY_TIMEOUT {
                    return Err(with_log(
                        E2eError::Timeout {
                            what: "the `wl-server ready site=… provider=…` line".into(),
                            timeout: READY_TIMEOUT,
                            last: String::new(),
                        },
                        &log_path,
                    ));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_millis(100));
                let e = process.ensure_running().err().unwrap_or(E2eError::Process {
                    program: "wl-server".into(),
                    message: "closed stdout without printing the ready line".into(),
                });
                return Err(with_log(e, &log_path));
            }
        }
    };
    let (site, provider) = parse_ready_line(&line).ok_or_else(|| E2eError::Process {
        program: "wl-server".into(),
        message: format!("unexpected ready line: {line:?}"),
    })?;
    Ok((process, site, provider))
}

fn tail(path: &PathBuf, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn with_log(e: E2eError, log: &PathBuf) -> E2eError {
    match e {
        E2eError::Process { program, message } => E2eError::Process {
            program,
            message: format!("{message}\n--- server log ---\n{}", tail(log, 40)),
        },
        E2eError::Timeout {
            what,
            timeout,
            last,
        } => E2eError::Timeout {
            what,
            timeout,
            last: format!("{last}\n--- server log ---\n{}", tail(log, 40)),
        },
        other => other,
    }
}

/// Parses `wl-server ready site=http://127.0.0.1:P provider=http://127.0.0.1:Q`.
pub fn parse_ready_line(line: &str) -> Option<(String, String)> {
    let mut site = None;
    let mut provider = None;
    for word in line.split_whitespace() {
        if let Some(v) = word.strip_prefix("site=") {
            site = Some(v.trim_end_matches('/').to_string());
        } else if let Some(v) = word.strip_prefix("provider=") {
            provider = Some(v.trim_end_matches('/').to_string());
        }
    }
    Some((site?, provider?))
}

#[cfg(test)]
mod tests {
    use super::parse_ready_line;

    #[test]
    fn parses_the_ready_line() {
        let (s, p) = parse_ready_line(
            "wl-server ready site=http://127.0.0.1:8080 provider=http://127.0.0.1:8081",
        )
        .expect("parses");
        assert_eq!(s, "http://127.0.0.1:8080");
        assert_eq!(p, "http://127.0.0.1:8081");
        assert!(parse_ready_line("wl-server ready site=x").is_none());
    }
}
