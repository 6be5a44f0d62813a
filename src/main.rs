//! The `handback` binary: parse, run, map the outcome to an exit code.

mod cli;
mod web;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => ExitCode::from(cli::report_error(&error)),
    }
}
