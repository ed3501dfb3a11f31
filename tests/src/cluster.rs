//! The provider scaled out on one machine: Redis (the bus between instances), N `wl-server`
//! instances over one shared database — PostgreSQL ([`crate::postgres`]) or one SQLite file in
//! a shared data directory ([`Database`]) — and nginx in front of them (round-robin, WebSocket
//! upgrades passed through, no stickiness). `cargo xtask serve --scale N` runs it on
//! PostgreSQL, and the `scale::` end-to-end cases test through it (docs/scaling.md).
//!
//! Redis, nginx and PostgreSQL are Debian's (`cargo xtask serve --scale` and `cargo xtask test`
//! install them); everything listens on loopback ports, and every process is its own process
//! group, killed when the [`Cluster`] is dropped.

use crate::error::{E2eError, Result};
use crate::postgres::Postgres;
use crate::process::GroupChild;
use crate::{http, server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The database the instances share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Database {
    /// One SQLite file in [`ClusterOptions::data_dir`], opened by every instance (one machine
    /// only; the embedded default).
    Sqlite,
    /// A PostgreSQL of ours ([`crate::postgres`]), its cluster in `<work_dir>/postgres`, with a
    /// database named [`DATABASE_NAME`]; every instance gets `--database <its URL>`.
    Postgres,
}

/// The database the cluster creates on its PostgreSQL.
pub const DATABASE_NAME: &str = "wl";

/// What to start.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// How many provider instances (at least 1).
    pub instances: usize,
    /// The load balancer's site port (0: any free port).
    pub site_port: u16,
    /// The load balancer's provider port, the issuer's (0: any free port).
    pub provider_port: u16,
    /// The data directory every instance is given (`--data-dir`: with [`Database::Sqlite`] it
    /// holds the shared database file).
    pub data_dir: PathBuf,
    /// Which database the instances share.
    pub database: Database,
    /// Where Redis, nginx, PostgreSQL and the instances keep their files and logs.
    pub work_dir: PathBuf,
    /// The `wl-server` binary.
    pub server_bin: PathBuf,
    /// The site's folders (`--site-dir`), in order.
    pub site_dirs: Vec<PathBuf>,
    /// More `serve` arguments for every instance (the bench raises the hub's limits).
    pub serve_args: Vec<String>,
}

/// One provider instance behind the balancer.
#[derive(Debug)]
pub struct Instance {
    /// Its own site listener, e.g. `http://127.0.0.1:41234`.
    pub site: String,
    /// Its own provider listener (browsers use the balancer's).
    pub provider: String,
    /// Its log file.
    pub log: PathBuf,
    process: Option<GroupChild>,
}

/// A running cluster; dropping it stops every process.
#[derive(Debug)]
pub struct Cluster {
    /// The balancer's site origin (what browsers load pages from).
    pub site: String,
    /// The balancer's provider origin: the issuer every instance announces.
    pub provider: String,
    /// `redis://127.0.0.1:PORT`, the bus.
    pub redis_url: String,
    /// `postgres://wl@127.0.0.1:PORT/wl`, the instances' `--database`, with [`Database::Postgres`].
    pub database_url: Option<String>,
    /// The instances, in start order.
    pub instances: Vec<Instance>,
    /// nginx's access log: `upstream status "request"` per line (written when a request ends).
    pub access_log: PathBuf,
    // Each process group is killed when its field is dropped.
    nginx: GroupChild,
    redis: GroupChild,
    postgres: Option<Postgres>,
}

/// How long a started process may take to answer.
const READY: Duration = Duration::from_secs(90);

/// A Debian binary, or an error naming the package.
fn debian_bin(paths: &[&str], package: &'static str) -> Result<PathBuf> {
    paths
        .iter()
        .map(Path::new)
        .find(|p| p.is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| E2eError::Missing {
            what: package,
            path: paths[0].into(),
            hint: "Debian's package of that name: `cargo xtask serve --scale` and `cargo xtask test` install it",
        })
}

/// Redis answers `PING` on `port`.
fn redis_pong(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
    let mut buf = [0u8; 16];
    s.write_all(b"PING\r\n").is_ok()
        && s.read(&mut buf)
            .is_ok_and(|n| buf[..n].starts_with(b"+PONG"))
}

/// Starts `redis-server` on a free loopback port, keeping nothing on disk.
fn start_redis(dir: &Path) -> Result<(GroupChild, u16)> {
    let bin = debian_bin(
        &["/usr/bin/redis-server", "/usr/local/bin/redis-server"],
        "redis-server",
    )?;
    let port = http::free_port()?;
    std::fs::create_dir_all(dir)?;
    let log = std::fs::File::create(dir.join("redis.log"))?;
    let mut cmd = Command::new(bin);
    cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
        .arg("--dir")
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let mut redis = GroupChild::spawn(cmd, "redis-server")?;
    let start = Instant::now();
    while !redis_pong(port) {
        redis.ensure_running()?;
        if start.elapsed() > READY {
            return Err(E2eError::Timeout {
                what: format!("redis-server on port {port} to answer PING"),
                timeout: READY,
                last: std::fs::read_to_string(dir.join("redis.log")).unwrap_or_default(),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok((redis, port))
}

/// nginx's configuration: one server per public port, each round-robin over the instances'
/// listeners of that kind; WebSocket upgrades passed through; `X-Forwarded-For` appended.
pub fn nginx_conf(
    dir: &Path,
    site_port: u16,
    provider_port: u16,
    instances: &[(String, String)],
) -> String {
    let d = dir.display();
    let upstream = |name: &str, pick: &dyn Fn(&(String, String)) -> String| {
        let servers: String = instances
            .iter()
            .map(|i| format!("    server {};\n", pick(i).trim_start_matches("http://")))
            .collect();
        format!("  upstream {name} {{\n{servers}  }}\n")
    };
    // One worker per core, as a deployment would run it; as root the workers stay root so they
    // can use the temp folders in `dir` (nginx would switch to `nobody`).
    let user = if running_as_root() {
        "user root;\n"
    } else {
        ""
    };
    format!(
        "daemon off;\n{user}worker_processes auto;\npid {d}/nginx.pid;\nerror_log {d}/nginx-error.log;\n\
         events {{ worker_connections 4096; }}\n\
         http {{\n\
         \x20 log_format wl '$upstream_addr $status \"$request\"';\n\
         \x20 access_log {d}/access.log wl;\n\
         \x20 client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         \x20 fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
         \x20 map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}\n\
         {site}{provider}\
         \x20 proxy_http_version 1.1;\n\
         \x20 proxy_set_header Host $http_host;\n\
         \x20 proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
         \x20 proxy_set_header X-Forwarded-Proto $scheme;\n\
         \x20 proxy_set_header Upgrade $http_upgrade;\n\
         \x20 proxy_set_header Connection $connection_upgrade;\n\
         \x20 proxy_buffering off;\n  proxy_read_timeout 1h;\n  proxy_send_timeout 1h;\n\
         \x20 server {{ listen 127.0.0.1:{site_port}; location / {{ proxy_pass http://wl_site; }} }}\n\
         \x20 server {{ listen 127.0.0.1:{provider_port}; location / {{ proxy_pass http://wl_provider; }} }}\n\
         }}\n",
        site = upstream("wl_site", &|i| i.0.clone()),
        provider = upstream("wl_provider", &|i| i.1.clone()),
    )
}

/// The `serve` arguments every instance gets (besides its ports, data and site folders): the
/// bus, the public origins, the balancer as trusted proxy, the shared database when it is not
/// the data folder's SQLite file, then `more`.
pub fn instance_args(
    redis_url: &str,
    provider: &str,
    site: &str,
    database_url: Option<&str>,
    more: &[String],
) -> Vec<String> {
    let mut args: Vec<String> = [
        "--bus",
        redis_url,
        "--public-provider-origin",
        provider,
        "--public-site-origin",
        site,
        "--trusted-proxy",
        "127.0.0.1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(url) = database_url {
        args.extend(["--database".to_owned(), url.to_owned()]);
    }
    args.extend(more.iter().cloned());
    args
}

/// Whether this process runs as root (uid 0), from `/proc/self/status`.
pub(crate) fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|v| v.split_whitespace().next())
            == Some("0")
    })
}

impl Cluster {
    /// Starts PostgreSQL (with [`Database::Postgres`]: its cluster in `<work_dir>/postgres`,
    /// kept between starts, and the database [`DATABASE_NAME`] created when missing), Redis, the
    /// instances one after another (the first migrates and seeds the shared database), then
    /// nginx; ready when the balancer answers `/healthz` on both ports.
    pub fn start(o: &ClusterOptions) -> Result<Cluster> {
        std::fs::create_dir_all(&o.work_dir)?;
        std::fs::create_dir_all(&o.data_dir)?;
        // Both picked together: two `free_port` calls in a row may return one port.
        let [free_site, free_provider] = http::free_ports()?;
        let site_port = if o.site_port == 0 {
            free_site
        } else {
            o.site_port
        };
        let provider_port = if o.provider_port == 0 {
            free_provider
        } else {
            o.provider_port
        };
        let site = format!("http://127.0.0.1:{site_port}");
        let provider = format!("http://127.0.0.1:{provider_port}");
        let postgres = match o.database {
            Database::Sqlite => None,
            Database::Postgres => Some(Postgres::start(&o.work_dir.join("postgres"))?),
        };
        let database_url = postgres
            .as_ref()
            .map(|pg| pg.create_database(DATABASE_NAME))
            .transpose()?;
        let (redis, redis_port) = start_redis(&o.work_dir.join("redis"))?;
        let redis_url = format!("redis://127.0.0.1:{redis_port}");
        let args = instance_args(
            &redis_url,
            &provider,
            &site,
            database_url.as_deref(),
            &o.serve_args,
        );
        let mut instances = Vec::new();
        for n in 1..=o.instances.max(1) {
            let log = o.work_dir.join(format!("instance-{n}.log"));
            let _ = std::fs::remove_file(&log);
            let (process, isite, iprovider) =
                server::launch_instance(&o.server_bin, &o.data_dir, &o.site_dirs, &args, &log)?;
            http::wait_ready(&format!("{iprovider}/healthz"), READY).map_err(|e| {
                crate::process::with_log(e, &format!("wl-server ({})", log.display()), &log)
            })?;
            instances.push(Instance {
                site: isite,
                provider: iprovider,
                log,
                process: Some(process),
            });
        }
        let nginx_dir = o.work_dir.join("nginx");
        std::fs::create_dir_all(&nginx_dir)?;
        let access_log = nginx_dir.join("access.log");
        let _ = std::fs::remove_file(&access_log);
        let pairs: Vec<(String, String)> = instances
            .iter()
            .map(|i| (i.site.clone(), i.provider.clone()))
            .collect();
        let conf = nginx_dir.join("nginx.conf");
        std::fs::write(
            &conf,
            nginx_conf(&nginx_dir, site_port, provider_port, &pairs),
        )?;
        let bin = debian_bin(&["/usr/sbin/nginx", "/usr/local/sbin/nginx"], "nginx")?;
        let mut cmd = Command::new(bin);
        cmd.arg("-p")
            .arg(&nginx_dir)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(nginx_dir.join("nginx.stderr"))?);
        let mut nginx = GroupChild::spawn(cmd, "nginx")?;
        for url in [format!("{provider}/healthz"), format!("{site}/healthz")] {
            if let Err(e) = http::wait_ready(&url, READY) {
                nginx.ensure_running()?;
                return Err(e);
            }
        }
        Ok(Cluster {
            site,
            provider,
            redis_url,
            database_url,
            instances,
            access_log,
            nginx,
            redis,
            postgres,
        })
    }

    /// Kills instance `i` with SIGKILL (a crash); the balancer sends new requests elsewhere.
    pub fn crash(&mut self, i: usize) {
        if let Some(mut p) = self.instances.get_mut(i).and_then(|x| x.process.take()) {
            p.kill_now();
        }
    }

    /// The PostgreSQL the instances share, with [`Database::Postgres`].
    pub fn postgres(&self) -> Option<&Postgres> {
        self.postgres.as_ref()
    }

    /// Everything the processes are doing, for a failed test's message.
    pub fn logs(&self, lines: usize) -> String {
        let mut out = String::new();
        for (n, i) in self.instances.iter().enumerate() {
            let text = std::fs::read_to_string(&i.log).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            out.push_str(&format!(
                "--- instance {} ---\n{}\n",
                n + 1,
                all[all.len().saturating_sub(lines)..].join("\n")
            ));
        }
        if let Some(pg) = &self.postgres {
            out.push_str(&format!(
                "--- postgres ---\n{}\n",
                crate::postgres::tail(pg.log(), lines)
            ));
        }
        out
    }

    /// Every running process: (`nginx` | `instance N` | `redis` | `postgres`, process id; the
    /// id leads a process group: nginx's workers and PostgreSQL's backends are in it).
    pub fn pids(&self) -> Vec<(String, u32)> {
        let mut out = vec![("nginx".to_owned(), self.nginx.pid())];
        for (n, i) in self.instances.iter().enumerate() {
            if let Some(p) = &i.process {
                out.push((format!("instance {}", n + 1), p.pid()));
            }
        }
        out.push(("redis".to_owned(), self.redis.pid()));
        if let Some(pg) = &self.postgres {
            out.push(("postgres".to_owned(), pg.pid()));
        }
        out
    }

    /// Stops the balancer, the instances, Redis and PostgreSQL, in that order.
    pub fn stop(mut self) {
        self.nginx.kill_now();
        for i in &mut self.instances {
            if let Some(mut p) = i.process.take() {
                p.kill_now();
            }
        }
        self.redis.kill_now();
        if let Some(pg) = &mut self.postgres {
            pg.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{instance_args, nginx_conf};
    use std::path::Path;

    #[test]
    fn every_instance_gets_the_shared_database_only_when_it_is_postgres() {
        let more = vec!["--hub-conns-per-person".to_owned(), "64".to_owned()];
        let pg = instance_args(
            "redis://127.0.0.1:1",
            "http://127.0.0.1:2",
            "http://127.0.0.1:3",
            Some("postgres://wl@127.0.0.1:4/wl"),
            &more,
        );
        let at = pg.iter().position(|a| a == "--database");
        assert_eq!(
            at.and_then(|i| pg.get(i + 1)).map(String::as_str),
            Some("postgres://wl@127.0.0.1:4/wl"),
            "{pg:?}"
        );
        assert!(pg.ends_with(&more), "{pg:?}");
        assert!(pg.windows(2).any(|w| w == ["--bus", "redis://127.0.0.1:1"]));
        let lite = instance_args(
            "redis://127.0.0.1:1",
            "http://127.0.0.1:2",
            "http://127.0.0.1:3",
            None,
            &[],
        );
        assert!(!lite.iter().any(|a| a == "--database"), "{lite:?}");
        assert!(
            lite.windows(2)
                .any(|w| w == ["--trusted-proxy", "127.0.0.1"])
        );
    }

    #[test]
    fn the_balancer_round_robins_both_origins_and_passes_websockets() {
        let c = nginx_conf(
            Path::new("/w"),
            8080,
            8081,
            &[
                (
                    "http://127.0.0.1:1001".into(),
                    "http://127.0.0.1:2001".into(),
                ),
                (
                    "http://127.0.0.1:1002".into(),
                    "http://127.0.0.1:2002".into(),
                ),
            ],
        );
        assert!(
            c.contains(
                "upstream wl_site {\n    server 127.0.0.1:1001;\n    server 127.0.0.1:1002;\n  }"
            ),
            "{c}"
        );
        assert!(c.contains("upstream wl_provider {\n    server 127.0.0.1:2001;\n    server 127.0.0.1:2002;\n  }"), "{c}");
        // No stickiness: neither ip_hash nor hash nor sticky.
        assert!(!c.contains("ip_hash") && !c.contains("hash ") && !c.contains("sticky"));
        assert!(c.contains("proxy_set_header Upgrade $http_upgrade;"));
        assert!(c.contains("$proxy_add_x_forwarded_for"));
        assert!(c.contains("listen 127.0.0.1:8081; location / { proxy_pass http://wl_provider; }"));
    }
}
