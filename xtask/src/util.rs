//! Small helpers shared by the xtask commands: paths, running commands, reading flags.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// An xtask failure: a sentence for the person at the terminal.
#[derive(Debug)]
pub struct Error(pub String);

impl<E: std::fmt::Display> From<E> for Error {
    fn from(e: E) -> Self {
        Error(e.to_string())
    }
}

/// The result type of every xtask step.
pub type Result<T> = std::result::Result<T, Error>;

/// The repository root (the folder holding the workspace `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo binary that runs us (so a pinned toolchain stays pinned).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command to completion, echoing it first; fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    println!("xtask: $ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| Error(format!("cannot start `{}`: {e}", describe(cmd))))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error(format!("`{}` failed ({status})", describe(cmd))))
    }
}

/// The first line a program prints for `program arg` (e.g. `--version`), if it runs at all.
pub fn probe(program: &str, arg: &str) -> Option<String> {
    let out = Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().next().unwrap_or("").trim().to_string())
}

/// Where `program` is on PATH, if it is.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Whether we run as root (and so may `apt-get install`).
pub fn is_root() -> bool {
    probe("id", "-u").as_deref() == Some("0")
}

/// A one-line rendering of a command for logs.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Takes `--name VALUE` out of `args`, if present.
pub fn take_value(args: &mut Vec<String>, name: &str) -> Option<String> {
    let i = args.iter().position(|a| a == name)?;
    if i + 1 >= args.len() {
        return None;
    }
    let value = args.remove(i + 1);
    args.remove(i);
    Some(value)
}

/// Takes the flag `--name` out of `args`; says whether it was there.
pub fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    match args.iter().position(|a| a == name) {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    }
}

/// The gzip -9 size of some bytes (how the budgets count bytes on the wire).
pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}
