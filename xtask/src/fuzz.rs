//! Contract fuzzing, a step of `cargo xtask test`: Schemathesis ([`tools::schemathesis`], from
//! PyPI) against `/v1/openapi.json` of a provider of our own on loopback (demo data), with a
//! real access token holding every scope the document names.
//!
//! Every operation of the document is tested, and the step fails on any finding of these
//! checks: no 5xx (`not_a_server_error`), no status the operation does not document
//! (`status_code_conformance`), a body the documented schema admits
//! (`response_schema_conformance`), a documented content type (`content_type_conformance`),
//! and every request the schema calls valid accepted (`positive_data_acceptance`, through
//! [`HOOKS`], which excuses only what JSON Schema cannot describe).
//! It is bounded and repeatable: [`EXAMPLES`] cases per operation at most, one worker, a fixed
//! [`SEED`], no example database or crash cache carried between runs (about 50 s on 2 cores
//! with the debug provider, some 2,600 requests). The single-operation phases (coverage,
//! fuzzing) draw the same cases every run; the stateful phase follows the links Schemathesis
//! infers (a created contact's `Location` into `GET /v1/{id}`), so it uses the ids the server
//! makes, and its scenario count varies by a few (141–146 seen).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::provider::Provider;
use crate::tools;
use crate::util::{Error, Result};

/// Test cases per operation, at most (Schemathesis's `--max-examples`).
pub const EXAMPLES: u32 = 100;
/// The Hypothesis seed: the same cases every run.
pub const SEED: u64 = 20261202;
/// The Schemathesis hooks file: `positive_data_acceptance_described`, the built-in
/// `positive_data_acceptance` (a request the schema calls valid is accepted) minus the few
/// parameters JSON Schema cannot describe (`$filter`'s grammar, …; the file says which and why).
const HOOKS: &str = "xtask/fuzz/hooks.py";
/// The checks whose findings fail the step.
const CHECKS: &str = "positive_data_acceptance_described,not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance";

/// What one run found.
pub struct Outcome {
    /// Operations in the document.
    pub operations: usize,
    /// Operations Schemathesis tested.
    pub tested: usize,
    /// Test cases run.
    pub cases: u64,
    /// Whether Schemathesis reported no failure and no error.
    pub clean: bool,
}

/// Installs Schemathesis if needed, starts the provider `server_bin`, fuzzes it, and returns
/// what it found (echoing Schemathesis's report as it goes).
pub fn run(server_bin: &Path) -> Result<Outcome> {
    let schemathesis = tools::schemathesis()?;
    let provider = Provider::start(server_bin, "fuzz")?;
    let doc = provider.openapi()?;
    let operations = doc["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .filter_map(|p| p.as_object())
            .map(|p| p.len())
            .sum()
    });
    let scopes = provider.every_scope()?;
    let token = provider.token("alice", &scopes)?;
    let report = crate::util::root().join("target/fuzz");
    std::fs::create_dir_all(&report)?;
    // Its cache of earlier crashes would add cases: every run starts from nothing.
    let _ = std::fs::remove_dir_all(report.join(".schemathesis"));
    // From a file, with the provider as the base URL: given the document's URL, Schemathesis
    // leaves that operation (`GET /v1/openapi.json`) out.
    let schema = report.join("openapi.json");
    std::fs::write(&schema, serde_json::to_vec_pretty(&doc)?)?;
    println!(
        "xtask: $ SCHEMATHESIS_HOOKS={HOOKS} {} run target/fuzz/openapi.json --url {} -H 'Authorization: Bearer <alice, {scopes}>' \
         --checks {CHECKS} --max-examples {EXAMPLES} --seed {SEED} --workers 1 (report: target/fuzz/junit.xml)",
        schemathesis.display(),
        provider.origin,
    );
    let mut child = Command::new(&schemathesis)
        .env("SCHEMATHESIS_HOOKS", crate::util::root().join(HOOKS))
        .arg("run")
        .arg(&schema)
        .args(["--url", &provider.origin])
        .arg("--header")
        .arg(format!("Authorization: Bearer {token}"))
        .args(["--checks", CHECKS])
        .args(["--max-examples", &EXAMPLES.to_string()])
        .args(["--seed", &SEED.to_string()])
        // One worker: the same order every run (and CPython 3.11's parser is not safe to use
        // from Hypothesis's threads: "AST constructor recursion depth mismatch").
        .args(["--workers", "1"])
        .args(["--generation-database", "none"])
        // A loaded CI machine must not turn Hypothesis's "too slow" into a failure.
        .args(["--suppress-health-check", "all"])
        .args(["--request-timeout", "20"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(report.join("junit.xml"))
        .args(["--no-color", "--output-truncate", "true"])
        // Schemathesis keeps a `.schemathesis/` folder where it runs: under target/fuzz/, not
        // the repository.
        .current_dir(&report)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error(format!("cannot start {}: {e}", schemathesis.display())))?;
    let mut text = String::new();
    if let Some(out) = child.stdout.take() {
        let stdout = std::io::stdout();
        for line in BufReader::new(out)
            .lines()
            .map_while(std::result::Result::ok)
        {
            let _ = writeln!(stdout.lock(), "{line}");
            text.push_str(&line);
            text.push('\n');
        }
    }
    let status = child.wait()?;
    drop(provider);
    let (tested, cases) = read_summary(&text);
    Ok(Outcome {
        operations,
        tested,
        cases,
        clean: status.success(),
    })
}

/// Reads `Tested: N` and `N generated, …` from Schemathesis's summary.
fn read_summary(text: &str) -> (usize, u64) {
    let mut tested = 0;
    let mut cases = 0;
    for line in text.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("Tested:") {
            tested = n.trim().parse().unwrap_or(0);
        } else if let Some((n, _)) = line.split_once(" generated") {
            cases = n.trim().parse().unwrap_or(cases);
        }
    }
    (tested, cases)
}

#[cfg(test)]
mod tests {
    use super::read_summary;

    #[test]
    fn reads_the_summary() {
        let text = "API Operations:\n  Selected: 12/12\n  Tested: 12\n\nTest cases:\n  1159 generated, 1159 passed\n";
        assert_eq!(read_summary(text), (12, 1159));
        assert_eq!(read_summary("nothing"), (0, 0));
    }
}
