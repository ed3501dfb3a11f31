//! `cargo xtask serve`: build everything, then run the provider and dev host in the foreground;
//! with `--scale N`, N provider instances over one PostgreSQL database behind nginx, with Redis
//! as the bus between them (`wl_e2e::cluster`, docs/scaling.md, docs/deploy.md).

use crate::util::{self, Error, Result, take_flag, take_value};
use crate::{build, tools};
use std::process::Command;

/// Builds the package and the provider, then serves until interrupted.
pub fn run(args: &[String]) -> Result<()> {
    let mut args = args.to_vec();
    let release = take_flag(&mut args, "--release");
    let site_port = take_value(&mut args, "--site-port")
        .or_else(|| std::env::var("WL_SITE_PORT").ok())
        .unwrap_or_else(|| "8080".into());
    let provider_port = take_value(&mut args, "--provider-port")
        .or_else(|| std::env::var("WL_PROVIDER_PORT").ok())
        .unwrap_or_else(|| "8081".into());
    let data_dir = take_value(&mut args, "--data-dir")
        .or_else(|| std::env::var("WL_DATA_DIR").ok())
        .unwrap_or_else(|| util::root().join("data").display().to_string());
    let scale = match take_value(&mut args, "--scale") {
        None => 1,
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=16).contains(n))
            .ok_or_else(|| {
                Error(format!(
                    "--scale {n}: give a number of instances from 1 to 16"
                ))
            })?,
    };

    tools::ensure(tools::Needs {
        scale: scale > 1,
        postgres: scale > 1,
        ..tools::Needs::package()
    })?;
    let dist = build::site()?;
    let server = build::server(release)?;
    if scale > 1 {
        return scaled(
            scale,
            &site_port,
            &provider_port,
            &data_dir,
            dist,
            server,
            &args,
        );
    }

    println!();
    println!("xtask: site      http://127.0.0.1:{site_port}/demo/  (demo pages, the loader)");
    println!(
        "xtask: provider  http://127.0.0.1:{provider_port}/  (sign in as alice or bob, password `demo`)"
    );
    println!("xtask: data      {data_dir}");
    println!();
    let status = Command::new(server)
        .current_dir(util::root())
        .args([
            "serve",
            "--site-port",
            &site_port,
            "--provider-port",
            &provider_port,
        ])
        .args(["--data-dir", &data_dir])
        .arg("--site-dir")
        .arg(&dist)
        .arg("--site-dir")
        .arg(util::root().join("www"))
        .args(&args)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(Error(format!("wl-server exited with {status}")))
    }
}

/// `--scale N`: PostgreSQL (its cluster in `<data_dir>/scale/postgres`, kept between runs),
/// Redis, N instances over that database, nginx on the two public ports; until Ctrl-C.
fn scaled(
    n: usize,
    site_port: &str,
    provider_port: &str,
    data_dir: &str,
    dist: std::path::PathBuf,
    server: std::path::PathBuf,
    rest: &[String],
) -> Result<()> {
    if !rest.is_empty() {
        return Err(Error(format!(
            "--scale does not pass other arguments to the instances: {}",
            rest.join(" ")
        )));
    }
    let port = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| Error(format!("not a port: {p}")))
    };
    let work_dir = std::path::Path::new(data_dir).join("scale");
    println!(
        "xtask: starting PostgreSQL, Redis, {n} provider instances and nginx (logs in {})",
        work_dir.display()
    );
    let cluster = wl_e2e::cluster::Cluster::start(&wl_e2e::cluster::ClusterOptions {
        instances: n,
        site_port: port(site_port)?,
        provider_port: port(provider_port)?,
        data_dir: data_dir.into(),
        database: wl_e2e::cluster::Database::Postgres,
        work_dir: work_dir.clone(),
        server_bin: server,
        site_dirs: vec![dist, util::root().join("www")],
        serve_args: Vec::new(),
    })
    .map_err(|e| Error(e.to_string()))?;
    println!();
    println!(
        "xtask: site      {}/demo/  (through nginx, round-robin)",
        cluster.site
    );
    println!(
        "xtask: provider  {}/  (sign in as alice or bob, password `demo`)",
        cluster.provider
    );
    for (i, inst) in cluster.instances.iter().enumerate() {
        println!(
            "xtask: instance {}  site {}  provider {}",
            i + 1,
            inst.site,
            inst.provider
        );
    }
    println!("xtask: bus       {}", cluster.redis_url);
    if let (Some(url), Some(pg)) = (&cluster.database_url, cluster.postgres()) {
        println!(
            "xtask: database  {url}  (PostgreSQL {}, shared by every instance; cluster in {})",
            pg.version(),
            pg.data_dir().display()
        );
    }
    println!("xtask: data      {data_dir}  (every instance's --data-dir)");
    println!("xtask: Ctrl-C stops everything");
    println!();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(tokio::signal::ctrl_c())?;
    println!("xtask: stopping");
    cluster.stop();
    Ok(())
}
