//! The one error type of the end-to-end support crate.

use std::time::Duration;

/// Everything that can go wrong while driving the browser, the dev host or chromedriver.
///
/// Each variant has a stable [`code`](E2eError::code) so a failure summary can be grepped.
#[derive(Debug, thiserror::Error)]
pub enum E2eError {
    /// A file the tests need (the built package, axe-core, a binary) is missing.
    #[error("missing {what} at {path}: {hint}")]
    Missing {
        /// What is missing, in words.
        what: &'static str,
        /// Where it was looked for.
        path: String,
        /// How to get it.
        hint: &'static str,
    },
    /// A child process (wl-server, chromedriver) could not be started or died early.
    #[error("could not run {program}: {message}")]
    Process {
        /// The program.
        program: String,
        /// What happened.
        message: String,
    },
    /// A WebDriver command failed.
    #[error("webdriver command failed: {0}")]
    WebDriver(#[from] fantoccini::error::CmdError),
    /// A WebDriver session could not be created.
    #[error("could not start a browser session: {0}")]
    NewSession(#[from] fantoccini::error::NewSessionError),
    /// Something we waited for did not happen in time.
    #[error("timed out after {timeout:?} waiting for {what}{last}")]
    Timeout {
        /// What we waited for, in words.
        what: String,
        /// How long we waited.
        timeout: Duration,
        /// The last observation, if any (prefixed with "; last seen: ").
        last: String,
    },
    /// An assertion about the page failed.
    #[error("check failed: {0}")]
    Check(String),
    /// A local I/O error (temp dirs, screenshots, reading files).
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl E2eError {
    /// A stable, machine-readable code for this kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            E2eError::Missing { .. } => "missing",
            E2eError::Process { .. } => "process",
            E2eError::WebDriver(_) => "webdriver",
            E2eError::NewSession(_) => "new_session",
            E2eError::Timeout { .. } => "timeout",
            E2eError::Check(_) => "check",
            E2eError::Io(_) => "io",
        }
    }
}

/// The result type of every helper and test case.
pub type Result<T, E = E2eError> = std::result::Result<T, E>;

/// Fails with [`E2eError::Check`] and `message` unless `cond` holds.
pub fn check(cond: bool, message: impl Into<String>) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(E2eError::Check(message.into()))
    }
}
