//! `borderlens view`: the window.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ViewArgs;

pub fn view(a: ViewArgs) -> Result<ExitCode> {
    crate::app::run(a).map(|_| ExitCode::SUCCESS)
}
