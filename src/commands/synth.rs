//! `borderlens synth`: a synthetic overlay file of a given size, for benchmarks.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::SynthArgs;

pub fn synth(a: SynthArgs) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&a.output)
            .with_context(|| format!("{}: cannot create", a.output.display()))?,
    );
    let s = crate::map::synth::write_overlay(&mut out, a.mb * 1_000_000, a.seed)?;
    std::io::Write::flush(&mut out)?;
    eprintln!(
        "wrote {}: {} bytes, {} features, {} vertices",
        a.output.display(),
        s.bytes,
        s.features,
        s.vertices
    );
    Ok(ExitCode::SUCCESS)
}
