//! One driver per command: resolve arguments into ready objects, do the work, report.
//! Architecture invariant: nothing but `main.rs` imports this module.

pub mod annotate;
pub mod digest;
pub mod eval;
pub mod info;
pub mod render;
pub mod synth;
pub mod view;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command.unwrap_or_else(default_command) {
        Command::Render(a) => render::render(a),
        Command::Info(a) => info::info(a),
        Command::View(a) => view::view(a),
        Command::Annotate(a) => annotate::annotate(a),
        Command::Eval(a) => eval::eval(a),
        Command::Synth(a) => synth::synth(a),
        Command::Digest(a) => digest::digest(a),
    }
}

/// No subcommand means `view` with its defaults (as clap would fill them in).
fn default_command() -> Command {
    use clap::Parser;
    Cli::parse_from(["borderlens", "view"])
        .command
        .expect("view parses")
}

/// An error and its causes on one line, `<file>: <reason>`, without repeated OS text.
pub fn error_line(e: &anyhow::Error) -> String {
    crate::article::error_line(e.as_ref())
}
