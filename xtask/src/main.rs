//! `cargo xtask`: the project's one entry point for people and CI.
//!
//! - `cargo xtask serve`: install what is missing, build everything, start the reference provider
//!   with demo data and serve the site (demo pages, loader) and the provider on two origins.
//! - `cargo xtask test`: install what is missing and run every test: native, wasm in headless
//!   Chromium, browser end-to-end, and contract fuzzing of the data APIs.
//! - `cargo xtask bench`: measure the budgets named in the issues and write a report.
//! - `cargo xtask build`: only build the loader package into `target/wl-dist/`.
//! - `cargo xtask bytes`: the sign-in page's bytes, fast (and its module with names, for twiggy).
//! - `cargo xtask gallery`: build the controls' dev galleries with the shipped modules.
//! - `cargo xtask install`: only install the missing tools.

mod bench;
mod build;
mod bytes;
mod clients;
mod fuzz;
mod gallery;
mod playground;
mod provider;
mod serve;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command> [options]

commands:
  serve     build everything and serve the site (:8080) and the provider (:8081)
            --site-port N --provider-port N --data-dir DIR --release  (also WL_* env vars)
            --scale N  (N instances over one data dir behind nginx, Redis as their bus)
  test      install missing tools and run every test (native, the client libraries in clients/
            against the provider, wasm, end-to-end, contract fuzzing of /v1/openapi.json with
            Schemathesis)
            --skip-wasm --skip-e2e --skip-fuzz --skip-clients --only-fuzz --only-clients
  bench     measure sizes and speeds, write target/bench/report.md
            --seconds N (per load run, default 10)
            --load-seconds N (per endpoint of the `load` section, default 60)
            --scale-seconds N (per request and instance count of the `scale` section, default 20)
            --soak-seconds N (the hub soak, default 600)
            --hub-offline-grace-ms MS  (the bench's provider with another offline grace, for an
                             A/B of the hub sections; default the provider's, 3000)
            --only SECTION  (one of: sizes me flow startup firstframe contacts hub playground load soak scale stages;
                             `stages`: what each wasm pipeline stage saves on the sign-in page)
            --candidate DIR  (with --only firstframe, repeatable: another build of the package,
                             a copy of target/wl-dist with a change, loaded beside ours and the
                             floor both ways, without the same-origin pages; its
                             performance.marks' medians are reported)
  build     build the loader package into target/wl-dist/
  bytes     the sign-in page's bytes from its module alone (fast; docs/bytes.md)
            --names  (also the module with its functions' names, for twiggy)
  gallery   build the controls' dev galleries (the shipped modules) into target/gallery/
            --serve [--port N]  (serve them, default port 8090)
            --axe  (axe-core on them in headless Chromium; installs it and Chromium when missing)
  install   install missing tools only (Schemathesis into target/tools/ too)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        "serve" => serve::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        // Each installs what it needs on a fresh machine first, as `serve` and `test` do.
        "build" => tools::ensure(tools::Needs::package()).and_then(|()| build::site().map(|_| ())),
        "bytes" => tools::ensure(tools::Needs::package()).and_then(|()| bytes::run(rest)),
        "gallery" => gallery::run(rest),
        "install" => tools::ensure(tools::Needs::all())
            .and_then(|()| tools::schemathesis())
            .map(|_| ()),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(util::Error(format!("unknown command `{other}`\n\n{USAGE}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {}", e.0);
            ExitCode::FAILURE
        }
    }
}
