//! Helpers for the tests that run the real `backon` binary on real programs.

#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A generous bound for anything that should take milliseconds; only a
/// hang should ever reach it.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A `backon` command with the given arguments, run from `dir`.
pub fn backon(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backon"));
    command.args(args).current_dir(dir).stdin(Stdio::null());
    command
}

/// Runs `backon` to its end and returns what it printed and its status.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    backon(dir, args).output().expect("backon starts")
}

/// The exit code, which must exist.
pub fn code(status: ExitStatus) -> i32 {
    status.code().expect("backon exits, not killed by a signal")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A temporary directory holding shell scripts and the files they write.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a script that `sh` runs; it starts by appending a line to
    /// the file `runs`, in the sandbox, which the script runs from.
    ///
    /// Scripts are run as `sh NAME` rather than executed: executing a file
    /// that another test thread may still hold open for writing across a
    /// fork fails with "text file busy".
    pub fn script(&self, name: &str, body: &str) -> String {
        let text = format!("echo run >> runs\n{body}\n");
        fs::write(self.file(name), text).expect("write script");
        name.to_owned()
    }

    /// A script that fails `failures` times with `code`, then succeeds.
    pub fn flaky(&self, failures: u32, code: u8) -> String {
        let body = format!("if [ $(wc -l < runs) -gt {failures} ]; then exit 0; fi\nexit {code}");
        self.script("flaky.sh", &body)
    }

    /// How many times the scripts ran.
    pub fn runs(&self) -> usize {
        self.read("runs").lines().count()
    }

    /// The text of a file in the sandbox, or "" when it does not exist.
    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// The PIDs a script wrote to `name`, one per line.
    pub fn pids(&self, name: &str) -> Vec<i32> {
        let text = self.read(name);
        text.lines()
            .map(|line| line.trim().parse().expect("a PID"))
            .collect()
    }
}

/// Waits until `done` holds; panics after [`PATIENCE`].
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < PATIENCE, "gave up waiting for {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// Waits for a child to exit; kills it and panics after [`PATIENCE`].
pub fn wait_exit(child: &mut Child) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("backon did not exit in time");
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Returns whether a process with this PID is alive and running `sleep`;
/// a PID that was reaped, or reused by something else, is not.
pub fn sleeping(pid: i32) -> bool {
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let zombie = stat
        .rsplit(')')
        .next()
        .is_some_and(|rest| rest.trim_start().starts_with('Z'));
    String::from_utf8_lossy(&cmdline).contains("sleep") && !zombie
}

/// Sends a signal to a child process.
pub fn signal(child: &Child, signal: nix::sys::signal::Signal) {
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, signal).expect("kill");
}
