//! Commands that are printed the way a developer would type them, then run.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// A cargo command with its environment.
#[derive(Debug, Clone)]
pub(crate) struct Cargo {
    env: Vec<(&'static str, &'static str)>,
    args: Vec<String>,
}

impl Cargo {
    pub(crate) fn new(args: &[&str]) -> Self {
        Cargo {
            env: Vec::new(),
            args: args.iter().map(|arg| arg.to_string()).collect(),
        }
    }

    pub(crate) fn env(mut self, key: &'static str, value: &'static str) -> Self {
        self.env.push((key, value));
        self
    }

    pub(crate) fn args<S: AsRef<str>>(mut self, args: &[S]) -> Self {
        self.args
            .extend(args.iter().map(|arg| arg.as_ref().to_string()));
        self
    }

    /// Runs the command in `dir` and fails if it does.
    pub(crate) fn run(&self, dir: &Path) -> Result<(), String> {
        let status = self
            .command(dir)
            .status()
            .map_err(|err| format!("cannot run `{self}`: {err}"))?;

        if status.success() {
            Ok(())
        } else {
            Err(format!("`{self}` failed ({status})"))
        }
    }

    /// Runs the command in `dir`, passing each line of its standard output
    /// through `line` before printing it.
    pub(crate) fn run_reading(&self, dir: &Path, mut line: impl FnMut(&str)) -> Result<(), String> {
        let mut child = self
            .command(dir)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|err| format!("cannot run `{self}`: {err}"))?;

        let stdout = child.stdout.take().expect("stdout is piped");
        for text in BufReader::new(stdout).lines() {
            let text = text.map_err(|err| format!("cannot read `{self}`: {err}"))?;
            println!("{text}");
            line(&text);
        }

        let status = child
            .wait()
            .map_err(|err| format!("cannot wait for `{self}`: {err}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{self}` failed ({status})"))
        }
    }

    fn command(&self, dir: &Path) -> Command {
        // `cargo xtask` runs under cargo, which names itself in `CARGO`.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.args(&self.args).current_dir(dir);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }
}

impl fmt::Display for Cargo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.env {
            write!(f, "{key}={} ", quote(value))?;
        }
        f.write_str("cargo")?;
        for arg in &self.args {
            write!(f, " {}", quote(arg))?;
        }
        Ok(())
    }
}

fn quote(word: &str) -> String {
    if word.is_empty() || word.contains(|c: char| c.is_whitespace() || c == '"') {
        format!("{word:?}")
    } else {
        word.to_string()
    }
}
