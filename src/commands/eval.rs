//! `borderlens eval`: the geoparser against gold annotations.

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
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}
