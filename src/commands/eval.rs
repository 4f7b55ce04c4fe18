//! `borderlens eval`: the geoparser against gold annotations.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::article::{Gazetteer, Geoparser};
use crate::cli::EvalArgs;

pub fn eval(a: EvalArgs) -> Result<ExitCode> {
    let report = crate::article::eval::evaluate_dirs(
        Geoparser::embedded(),
        Gazetteer::embedded(),
        &a.gold,
        &a.articles,
    )?;
    // a closed pipe (`| head`) is not an error
    if let Err(e) = write!(std::io::stdout().lock(), "{report}") {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    let below = report.below(&a.min_f1);
    if below.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for line in below {
        eprintln!("eval: below threshold: {line}");
    }
    Ok(ExitCode::FAILURE)
}
