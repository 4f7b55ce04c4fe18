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

/// An error and its causes on one line, `error: <file>: <reason>`: a cause the message
/// already says (an I/O error's text, which the library's messages give without the OS's
/// error number) is left out.
pub fn error_line(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        let c = match c.rfind(" (os error ") {
            Some(i) if c.ends_with(')') => &c[..i],
            _ => &c,
        };
        if !text.to_lowercase().contains(&c.to_lowercase()) {
            text.push_str(": ");
            text.push_str(c);
        }
    }
    text.replace('\n', " ")
}
