//! `cargo xtask serve`: build everything, then run the provider and dev host in the foreground.

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

    tools::ensure(tools::Needs {
        browser: false,
        wasm_opt: util::is_root(),
        npm: false,
        wrk: false,
    })?;
    let dist = build::site()?;
    let server = build::server(release)?;

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
