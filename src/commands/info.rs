//! `borderlens info`: what a file holds (format, sub-layers, CRS, features by type, extent,
//! vertices, warnings).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use geo::CoordsIter;

use crate::cli::InfoArgs;
use crate::map::domain::lonlat_extent;
use crate::map::load::{geometry_type, load_path_described, LoadedFile, SourceInfo};

const MB: u64 = 1 << 20;

pub fn info(a: InfoArgs) -> Result<ExitCode> {
    let mut failed = false;
    for path in &a.files {
        match load_path_described(path, a.max_size.saturating_mul(MB)) {
            Ok((file, source)) => print!("{}", describe(path, &file, &source)),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The text of `borderlens info` for one loaded file, with what the loader found it to be.
pub fn describe(path: &Path, file: &LoadedFile, src: &SourceInfo) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    let mut vertices = 0usize;
    for f in &file.features {
        let Some(g) = &f.geometry else {
            *by_type.entry("null").or_default() += 1;
            continue;
        };
        *by_type.entry(geometry_type(g)).or_default() += 1;
        vertices += g.coords_count();
    }
    // RFC 7946 §5.2: a box across the antimeridian has west > east.
    let bbox = lonlat_extent(file.features.iter().filter_map(|f| f.geometry.as_ref()));
    let mut s = String::new();
    let _ = writeln!(s, "{}", path.display());
    let _ = writeln!(s, "  format: {}", src.format);
    let crs = src.crs.as_deref();
    let _ = writeln!(
        s,
        "  crs: {}",
        crs.unwrap_or("none declared (WGS 84 lon/lat)")
    );
    if !src.layers.is_empty() {
        let _ = writeln!(s, "  layers: {}", src.layers.len());
        for (name, n) in &src.layers {
            let _ = writeln!(s, "    {name}: {n} features");
        }
    }
    let _ = writeln!(s, "  features: {}", file.features.len());
    for (t, n) in &by_type {
        let _ = writeln!(s, "    {t}: {n}");
    }
    match bbox {
        Some(b) => {
            let across = if b[0] > b[2] {
                " (crosses the antimeridian)"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "  bbox (W,S,E,N): {:.5},{:.5},{:.5},{:.5}{across}",
                b[0], b[1], b[2], b[3]
            );
        }
        None => {
            let _ = writeln!(s, "  bbox: none (nothing drawable)");
        }
    }
    let _ = writeln!(s, "  vertices: {vertices}");
    let _ = writeln!(s, "  warnings: {}", file.warnings.len());
    for w in &file.warnings {
        let _ = writeln!(s, "    {}:{w}", path.display());
    }
    s
}
