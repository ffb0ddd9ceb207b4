#![forbid(unsafe_code)]
//! `senco`: plain-text SEN records for SENCOs.
//!
//! Data flows one way: [`repo`] reads a records repository into [`model`]
//! values; [`check`] and [`rules`] turn them into findings ([`diag`]);
//! [`query`] turns them into rows that [`output`] renders as tables, JSON,
//! CSV or Markdown; [`cmd`]
//! wires one command together and is the only layer that prints; [`edit`] is
//! the only code that writes records.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod edit;
pub mod error;
pub mod model;
pub mod output;
pub mod query;
pub mod render;
pub mod repo;
pub mod report;
pub mod rules;
pub mod web;

use std::ffi::OsString;
use std::process::ExitCode;

/// Runs `senco` with the given arguments (the first is the program name) and
/// returns the exit code: 0 clean, 1 findings at error level, 2 usage,
/// settings or I/O failure.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::Parser;
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // An argument quoted back in an error may hold control
            // characters (an escape sequence pasted into `--year`): never raw.
            let code = if e.use_stderr() { 2 } else { 0 };
            if e.use_stderr() {
                let text = e.render().to_string();
                cmd::eprint(&diag::render::terminal_safe(&text, false));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(code);
        }
    };
    cmd::dispatch(cli)
}
