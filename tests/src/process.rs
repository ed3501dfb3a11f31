//! Child processes in their own process group, killed as a whole group on drop.
//!
//! Killing only the direct child can orphan the real server (or Chromium under chromedriver),
//! so every child is started with `process_group(0)` and stopped with `kill -- -PGID`.

use crate::error::{E2eError, Result};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// `e` as a failure of `program`, with the last lines of its log at `log` added (why it does
/// not answer: a port it could not take, a database it cannot reach).
pub fn with_log(e: E2eError, program: &str, log: &std::path::Path) -> E2eError {
    E2eError::Process {
        program: program.to_string(),
        message: format!("{e}; its log ends:\n{}", crate::postgres::tail(log, 15)),
    }
}

/// A running child process that is the leader of its own process group.
#[derive(Debug)]
pub struct GroupChild {
    child: Child,
    name: String,
}

impl GroupChild {
    /// Spawns `cmd` as the leader of a new process group.
    pub fn spawn(mut cmd: Command, name: &str) -> Result<Self> {
        cmd.process_group(0);
        let child = cmd.spawn().map_err(|e| E2eError::Process {
            program: name.to_string(),
            message: e.to_string(),
        })?;
        Ok(Self {
            child,
            name: name.to_string(),
        })
    }

    /// The child itself (to take its pipes).
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Fails if the process has already exited.
    pub fn ensure_running(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(E2eError::Process {
                program: self.name.clone(),
                message: format!("exited early with {status}"),
            }),
            Ok(None) => Ok(()),
            Err(e) => Err(E2eError::Process {
                program: self.name.clone(),
                message: e.to_string(),
            }),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the whole group at once with SIGKILL (a crash, not a shutdown) and reaps it.
    pub fn kill_now(&mut self) {
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn signal_group(&self, signal: &str) {
        let pgid = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args([signal, "--", &pgid])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

impl Drop for GroupChild {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the group (grandchildren included) goes now.
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
