#![doc = include_str!("../README.md")]

mod args;
mod child;
mod codes;
mod deadline;
mod duration;
mod policy;
mod report;
mod run;
mod signals;

use std::process::ExitCode;

fn main() -> ExitCode {
    let settings = match args::parse(std::env::args_os()) {
        Ok(settings) => settings,
        Err(err) => err.exit(),
    };

    ExitCode::from(run::run(&settings))
}
