//! One driver per command: resolve arguments into ready objects, do the work, report.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use geo::CoordsIter;

use crate::camera::Camera;
use crate::cli::{Cli, Command, InfoArgs, RenderArgs};
use crate::layer::{LayerKind, MapLayer};
use crate::load::{load_path, LoadedFile};
use crate::map::Map;
use crate::project::Projection;
use crate::render::Headless;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command.unwrap_or_else(default_command) {
        Command::Render(a) => render(a),
        Command::Info(a) => info(a),
        Command::View(a) => crate::app::run(a).map(|_| ExitCode::SUCCESS),
        Command::Annotate(a) => crate::article_cmd::annotate(a),
        Command::Eval(a) => crate::article_cmd::eval(a),
        Command::Synth(a) => {
            let mut out = std::io::BufWriter::new(
                std::fs::File::create(&a.output)
                    .with_context(|| format!("{}: cannot create", a.output.display()))?,
            );
            let s = crate::synth::write_overlay(&mut out, a.mb * 1_000_000, a.seed)?;
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
    }
}

/// No subcommand means `view` with its defaults (as clap would fill them in).
fn default_command() -> Command {
    use clap::Parser;
    Cli::parse_from(["borderlens", "view"])
        .command
        .expect("view parses")
}

const MB: u64 = 1 << 20;

/// Loads an overlay file (GeoJSON, or an article that becomes its overlay) into a layer.
pub fn load_overlay(path: &Path, map: &Map, max_size_mb: u64) -> Result<MapLayer> {
    let mut layer = if crate::article_cmd::is_article(path) {
        crate::article_cmd::article_layer(path, map)?
    } else {
        let file = load_path(path, max_size_mb.saturating_mul(MB))?;
        overlay_layer(path, file, map, true)
    };
    if layer.mesh.vertices.is_empty() {
        layer.tessellate(0.0);
    }
    Ok(layer)
}

/// A GeoJSON file's overlay layer, projected and not yet tessellated; without its lon/lat
/// geometry unless `keep_lonlat` (see [`MapLayer::project_moving`]).
fn overlay_layer(path: &Path, file: LoadedFile, map: &Map, keep_lonlat: bool) -> MapLayer {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let projection = &map.projection;
    let mut layer = if keep_lonlat {
        MapLayer::project(name, LayerKind::Overlay, file, projection)
    } else {
        MapLayer::project_moving(name, LayerKind::Overlay, file, projection)
    };
    layer.source = Some(path.to_path_buf());
    layer
}

fn render(a: RenderArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    // Opening the device and compiling the pipelines (about 0.1 s, and 50-100 MB for a software
    // driver) overlaps with loading. With big files it waits until the first is parsed, so that
    // the driver's memory and a file's text are never resident together.
    let open_device = || std::thread::spawn(Headless::device);
    let big = a
        .files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum::<u64>()
        > 16 * MB;
    let mut device = (!big).then(open_device);
    let mut map = Map::new(Projection::new(a.projection), !a.no_base);
    for path in &a.files {
        let t = std::time::Instant::now();
        let layer = if crate::article_cmd::is_article(path) {
            crate::article_cmd::article_layer(path, &map)?
        } else {
            let file = load_path(path, a.max_size.saturating_mul(MB))?;
            device.get_or_insert_with(open_device);
            // Drawn once: the lon/lat geometry is not kept, and tessellation waits until the
            // view is known (`render_streaming`).
            overlay_layer(path, file, &map, false)
        };
        log::info!(
            "{}: loaded in {:?}; peak RSS {} MB, now {} MB",
            path.display(),
            t.elapsed(),
            peak_rss_mb(),
            rss_mb()
        );
        for w in &layer.warnings {
            eprintln!("warning: {}:{w}", path.display());
        }
        map.add_overlay(layer);
    }
    let bounds = if let Some(bbox) = a.bbox {
        map.lonlat_box(bbox)
            .context("the --bbox cannot be projected")?
    } else if let Some(focus) = a
        .files
        .iter()
        .any(|p| crate::article_cmd::is_article(p))
        .then(|| {
            map.overlays()
                .filter_map(crate::article_cmd::article_focus)
                .reduce(crate::layer::union)
        })
        .flatten()
    {
        // An article's figure: fitted to what the article is about.
        grow(focus, 0.25)
    } else if a.fit || (a.no_base && !a.files.is_empty()) {
        match map.overlay_bounds() {
            Some(b) => b,
            None => bail!("--fit: the given files have nothing to draw"),
        }
    } else {
        map.home_bounds()
    };
    let padding = if a.fit && a.bbox.is_none() {
        40.0 * a.pixel_ratio as f64
    } else {
        0.0
    };
    let camera = Camera::fitting(bounds, a.size, a.pixel_ratio, padding);
    let device = device.unwrap_or_else(open_device);
    let t = std::time::Instant::now();
    let device = device
        .join()
        .map_err(|_| anyhow::anyhow!("opening the graphics device panicked"))??;
    let mut headless = Headless::upload(device, &map)?;
    // The GPU has the base meshes now.
    for l in &mut map.layers {
        l.mesh = Default::default();
    }
    log::info!(
        "device and upload in {:?}; peak RSS {} MB",
        t.elapsed(),
        peak_rss_mb()
    );
    headless.hide(&map, &a.hide);
    let t = std::time::Instant::now();
    let warned: Vec<usize> = map.layers.iter().map(|l| l.warnings.len()).collect();
    // Overlays are tessellated while they draw, a batch at a time, and need no detail finer
    // than the viewer's levels of detail keep.
    let simplify_km = crate::layer::MAX_ERROR_PX / camera.scale;
    let image = headless.render_streaming(&mut map, &camera, !a.no_labels, simplify_km)?;
    log::info!(
        "tessellated, drawn and read back in {:?}; peak RSS {} MB",
        t.elapsed(),
        peak_rss_mb()
    );
    for (l, n) in map.layers.iter().zip(warned) {
        for w in &l.warnings[n..] {
            match &l.source {
                Some(p) => eprintln!("warning: {}:{w}", p.display()),
                None => eprintln!("warning: {}: {w}", l.name),
            }
        }
    }
    image
        .save(&a.output)
        .with_context(|| format!("{}: cannot write the PNG", a.output.display()))?;
    eprintln!(
        "wrote {} ({}x{}, {}, {:.0} ms)",
        a.output.display(),
        a.size[0],
        a.size[1],
        headless.gpu.describe(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident memory so far (Linux; 0 elsewhere), for the timing log.
fn peak_rss_mb() -> u64 {
    proc_status_mb("VmHWM:")
}

/// The process's resident memory now.
fn rss_mb() -> u64 {
    proc_status_mb("VmRSS:")
}

fn proc_status_mb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// `r` with `fraction` of its size added on every side.
fn grow(r: geo::Rect<f64>, fraction: f64) -> geo::Rect<f64> {
    let (dx, dy) = (r.width() * fraction, r.height() * fraction);
    geo::Rect::new(
        geo::coord! {x: r.min().x - dx, y: r.min().y - dy},
        geo::coord! {x: r.max().x + dx, y: r.max().y + dy},
    )
}

fn info(a: InfoArgs) -> Result<ExitCode> {
    let mut failed = false;
    for path in &a.files {
        match load_path(path, a.max_size.saturating_mul(MB)) {
            Ok(file) => print!("{}", describe(path, &file)),
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

/// The text of `borderlens info` for one loaded file.
pub fn describe(path: &Path, file: &crate::load::LoadedFile) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    let mut vertices = 0usize;
    let mut bbox: Option<[f64; 4]> = None;
    for f in &file.features {
        let Some(g) = &f.geometry else {
            *by_type.entry("null").or_default() += 1;
            continue;
        };
        *by_type.entry(geometry_type(g)).or_default() += 1;
        for c in g.coords_iter() {
            vertices += 1;
            let b = bbox.get_or_insert([c.x, c.y, c.x, c.y]);
            *b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
        }
    }
    let mut s = String::new();
    let _ = writeln!(s, "{}", path.display());
    let _ = writeln!(s, "  features: {}", file.features.len());
    for (t, n) in &by_type {
        let _ = writeln!(s, "    {t}: {n}");
    }
    match bbox {
        Some(b) => {
            let _ = writeln!(
                s,
                "  bbox (W,S,E,N): {:.5},{:.5},{:.5},{:.5}",
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

pub fn geometry_type(g: &geo::Geometry<f64>) -> &'static str {
    use geo::Geometry::*;
    match g {
        Point(_) => "Point",
        MultiPoint(_) => "MultiPoint",
        LineString(_) | Line(_) => "LineString",
        MultiLineString(_) => "MultiLineString",
        Polygon(_) | Rect(_) | Triangle(_) => "Polygon",
        MultiPolygon(_) => "MultiPolygon",
        GeometryCollection(_) => "GeometryCollection",
    }
}
