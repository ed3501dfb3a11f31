//! `cargo xtask test`: every test, native (the server's integration tests twice: on SQLite, then
//! on a throwaway PostgreSQL), the client libraries against the provider ([`crate::clients`]),
//! wasm in headless Chromium, end-to-end, and contract fuzzing of the data APIs ([`crate::fuzz`]), with one summary at the end. Every step runs even after a
//! failure, so one run shows everything.

use crate::util::{self, Error, Result, cargo, describe, take_flag};
use crate::{build, clients, fuzz, tools};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// Native test packages (the control crates' browser tests are wasm32-only, so natively they
/// run their unit tests: the pure configs and the bar's reducer).
const NATIVE: &[&str] = &[
    "wl-bar",
    "wl-controls-common",
    "wl-markup",
    "wl-server",
    "wl-signin",
    "wl-userinfo",
    "xtask",
];

/// Packages with wasm-bindgen browser tests (the shipped bundle `wl-controls` has none itself:
/// its two controls are tested in their own crates, with the same allocator).
const WASM_TESTS: &[&str] = &["wl-bar", "wl-connect", "wl-signin", "wl-userinfo"];

/// Counts read from cargo's `test result:` lines.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
    failed_steps: Vec<String>,
}

/// Installs what is missing, builds once, runs every test step, prints the summary.
pub fn run(args: &[String]) -> Result<()> {
    let mut args = args.to_vec();
    let skip_wasm = take_flag(&mut args, "--skip-wasm");
    let skip_e2e = take_flag(&mut args, "--skip-e2e");
    let skip_fuzz = take_flag(&mut args, "--skip-fuzz");
    let skip_clients = take_flag(&mut args, "--skip-clients");
    // Only the contract fuzzing (while fixing what it finds).
    let only_fuzz = take_flag(&mut args, "--only-fuzz");
    // Only the client libraries' step (clients/).
    let only_clients = take_flag(&mut args, "--only-clients");
    if let Some(unknown) = args.first() {
        return Err(Error(format!(
            "unknown option `{unknown}` for `cargo xtask test`"
        )));
    }
    let mut tally = Tally::default();
    if only_fuzz {
        fuzz_step(&mut tally);
        return finish(&tally);
    }
    if only_clients {
        clients_steps(&mut tally);
        return finish(&tally);
    }
    let browser = !(skip_wasm && skip_e2e);
    tools::ensure(tools::Needs {
        browser,
        wasm_opt: true,
        npm: !skip_e2e,
        wrk: false,
        scale: true,
        postgres: true,
    })?;
    let chromedriver = util::which("chromedriver");

    let mut native = cargo();
    native.arg("test");
    for p in NATIVE {
        native.args(["-p", p]);
    }
    step(&mut tally, "native", &mut native);
    // The core's integration tests are browser tests; natively only its unit tests run.
    step(
        &mut tally,
        "native (loader core)",
        cargo().args(["test", "-p", "wl-connect", "--lib"]),
    );
    postgres_step(&mut tally);
    if !skip_clients {
        clients_steps(&mut tally);
    }

    if !skip_wasm {
        let mut wasm = cargo();
        wasm.args(["test", "--target", "wasm32-unknown-unknown", "--test", "*"]);
        for package in WASM_TESTS {
            wasm.args(["-p", package]);
        }
        browser_env(&mut wasm, chromedriver.as_deref());
        step(&mut tally, "wasm (headless Chromium)", &mut wasm);
    }

    if !skip_e2e {
        // The end-to-end tests load the built package and run the real provider binary.
        match build::site().and_then(|_| build::server(false)) {
            Ok(server) => {
                let mut e2e = cargo();
                e2e.args(["test", "-p", "wl-e2e", "--", "--test-threads=1"]);
                e2e.env("WL_SERVER_BIN", server);
                browser_env(&mut e2e, chromedriver.as_deref());
                step(&mut tally, "end-to-end (headless Chromium)", &mut e2e);
            }
            Err(e) => {
                println!("xtask: build for end-to-end tests failed: {}", e.0);
                tally.failed_steps.push("end-to-end build".into());
            }
        }
    }

    if !skip_fuzz {
        fuzz_step(&mut tally);
    }
    finish(&tally)
}

/// The provider's HTTP test suite and its unit tests (the OData evaluator-vs-database property
/// test) again (`cargo test -p wl-server --lib --test it`), on PostgreSQL:
/// a throwaway server of ours in `target/pg-tests` (`wl_e2e::postgres`), whose admin URL goes
/// into `WL_TEST_DATABASE`, so every test server creates a fresh database on it
/// (server/tests/it/common.rs).
fn postgres_step(tally: &mut Tally) {
    const NAME: &str = "server tests against PostgreSQL";
    let dir = util::root().join("target").join("pg-tests");
    let _ = std::fs::remove_dir_all(&dir);
    let pg = match wl_e2e::postgres::Postgres::start(&dir) {
        Ok(pg) => pg,
        Err(e) => {
            println!("\nxtask: ── {NAME} ──\nxtask: PostgreSQL did not start: {e}");
            tally.failed_steps.push(NAME.into());
            return;
        }
    };
    println!(
        "\nxtask: PostgreSQL {} for the server tests: {} (cluster and log in {})",
        pg.version(),
        pg.url(),
        dir.display()
    );
    let mut it = cargo();
    it.args(["test", "-p", "wl-server", "--lib", "--test", "it"])
        .env("WL_TEST_DATABASE", pg.url());
    step(tally, NAME, &mut it);
    drop(pg);
}

/// The client libraries against a real provider ([`clients`]).
fn clients_steps(tally: &mut Tally) {
    match build::server(false).and_then(|bin| clients::commands(&bin)) {
        Ok(steps) => {
            for (name, mut cmd) in steps {
                step(tally, name, &mut cmd);
            }
        }
        Err(e) => {
            println!(
                "\nxtask: ── client libraries ──\nxtask: cannot run: {}",
                e.0
            );
            tally.failed_steps.push("client libraries".into());
        }
    }
}

/// Prints the failed steps and the `summary:` line; fails when anything failed.
fn finish(tally: &Tally) -> Result<()> {
    println!();
    println!(
        "xtask: steps failed: {}",
        if tally.failed_steps.is_empty() {
            "none".into()
        } else {
            tally.failed_steps.join(", ")
        }
    );
    println!(
        "summary: {} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.ignored
    );
    if tally.failed_steps.is_empty() && tally.failed == 0 {
        Ok(())
    } else {
        Err(Error("some tests failed".into()))
    }
}

/// Contract fuzzing of `/v1/openapi.json` ([`fuzz`]): counted as one test, which fails on any
/// finding or when an operation of the document went untested.
fn fuzz_step(tally: &mut Tally) {
    const NAME: &str = "contract fuzzing (Schemathesis)";
    println!("\nxtask: ── {NAME} ──");
    let outcome = build::server(false).and_then(|bin| fuzz::run(&bin));
    let verdict = match outcome {
        Ok(o) if o.clean && o.operations > 0 && o.tested == o.operations => {
            println!(
                "xtask: contract fuzzing: {} of {} operations, {} cases, 0 findings",
                o.tested, o.operations, o.cases
            );
            true
        }
        Ok(o) => {
            println!(
                "xtask: contract fuzzing: {} of {} operations tested, {} cases; {}",
                o.tested,
                o.operations,
                o.cases,
                if o.clean {
                    "some operations were not tested"
                } else {
                    "Schemathesis found problems (above; target/fuzz/junit.xml)"
                }
            );
            false
        }
        Err(e) => {
            println!("xtask: contract fuzzing could not run: {}", e.0);
            false
        }
    };
    if verdict {
        tally.passed += 1;
    } else {
        tally.failed += 1;
        tally.failed_steps.push(NAME.into());
    }
}

/// The environment every browser-driving test needs.
fn browser_env(cmd: &mut Command, chromedriver: Option<&std::path::Path>) {
    if let Some(driver) = chromedriver {
        cmd.env("CHROMEDRIVER", driver);
    }
    cmd.env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        util::root().join("webdriver.json"),
    );
    cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "120");
}

/// Runs one cargo test step, echoing its output and counting its `test result:` lines.
fn step(tally: &mut Tally, name: &str, cmd: &mut Command) {
    println!("\nxtask: ── {name} ──\nxtask: $ {}", describe(cmd));
    let child = cmd.stdout(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            println!("xtask: cannot start {name}: {e}");
            tally.failed_steps.push(name.into());
            return;
        }
    };
    if let Some(out) = child.stdout.take() {
        let stdout = std::io::stdout();
        for line in BufReader::new(out)
            .lines()
            .map_while(std::result::Result::ok)
        {
            let mut lock = stdout.lock();
            let _ = writeln!(lock, "{line}");
            if let Some(counts) = parse_result_line(&line) {
                tally.passed += counts.0;
                tally.failed += counts.1;
                tally.ignored += counts.2;
            }
        }
    }
    match child.wait() {
        Ok(status) if status.success() => {}
        _ => tally.failed_steps.push(name.into()),
    }
}

/// Reads `(passed, failed, ignored)` from a libtest line such as
/// `test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s`.
fn parse_result_line(line: &str) -> Option<(u64, u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let count = |word: &str| -> u64 {
        rest.split(';')
            .find_map(|part| {
                let mut it = part.split_whitespace().rev();
                let label = it.next()?;
                let n = it.next()?;
                let n = n.rsplit('.').next()?.trim();
                (label == word).then(|| n.parse().ok()).flatten()
            })
            .unwrap_or(0)
    };
    Some((count("passed"), count("failed"), count("ignored")))
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn reads_libtest_summary() {
        let line = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(parse_result_line(line), Some((12, 0, 1)));
        let line = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_result_line(line), Some((3, 2, 0)));
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
