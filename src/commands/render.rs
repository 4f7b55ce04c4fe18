//! `borderlens render`: files and articles to a PNG (or SVG), through the same renderer as the
//! window; an article becomes a framed figure (`figure`) unless `--no-frame`.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::cli::RenderArgs;
use crate::figure::{plan, FigureOptions};
use crate::gpu::headless::Headless;
use crate::map::camera::Camera;
use crate::map::domain::lonlat_extent;
use crate::map::layer::union;
use crate::map::load::{load_path, LoadedFile};
use crate::map::overlay::{article_file_layer, article_view, file_layer, is_article};
use crate::map::project::Projection;
use crate::map::Map;

const MB: u64 = 1 << 20;

pub fn render(a: RenderArgs) -> Result<ExitCode> {
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
    // Files are read before the map is made: a fitted view takes its projection from them.
    let mut loaded: Vec<(&std::path::Path, Option<LoadedFile>)> = Vec::new();
    for path in &a.files {
        if is_article(path) {
            loaded.push((path, None));
            continue;
        }
        let t = std::time::Instant::now();
        let file = load_path(path, a.max_size.saturating_mul(MB))?;
        device.get_or_insert_with(open_device);
        log::info!(
            "{}: loaded in {:?}; peak RSS {} MB, now {} MB",
            path.display(),
            t.elapsed(),
            peak_rss_mb(),
            rss_mb()
        );
        loaded.push((path, Some(file)));
    }
    let fitting = a.bbox.is_none() && (a.fit || (a.no_base && !a.files.is_empty()));
    let extent = if fitting {
        lonlat_extent(
            loaded
                .iter()
                .filter_map(|(_, f)| f.as_ref())
                .flat_map(|f| f.features.iter().filter_map(|f| f.geometry.as_ref())),
        )
    } else {
        a.bbox
    };
    let mut map = Map::new(Projection::for_extent(a.projection, extent), !a.no_base);
    for (path, file) in loaded {
        let layer = match file {
            None => article_file_layer(path, &map.projection)?,
            // Drawn once: the lon/lat geometry is not kept, and tessellation waits until the
            // view is known (`render_streaming`).
            Some(file) => file_layer(path, file, &map.projection, false),
        };
        for w in &layer.warnings {
            eprintln!("warning: {}:{w}", path.display());
        }
        if layer
            .article
            .as_ref()
            .is_some_and(|a| a.entities.is_empty())
        {
            eprintln!("{}", super::annotate::no_mentions(path));
        }
        map.add_overlay(layer);
    }
    let bounds = if let Some(bbox) = a.bbox {
        map.lonlat_box(bbox)
            .context("the --bbox cannot be projected")?
    } else if let Some(focus) = (!a.fit && a.files.iter().any(|p| is_article(p)))
        .then(|| map.overlays().filter_map(article_view).reduce(union))
        .flatten()
    {
        // An article's figure: fitted to what the article is about (the stretch of border it
        // localises), wide enough to place it.
        focus
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
    let size = [
        (a.size[0] as f32 * a.scale).round() as u32,
        (a.size[1] as f32 * a.scale).round() as u32,
    ];
    let framed =
        !a.no_frame && (a.frame || a.title.is_some() || a.files.iter().any(|p| is_article(p)));
    let svg = a
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if svg {
        return write_svg(&a, &mut map, bounds, size, framed, started);
    }
    let camera = Camera::fitting(
        bounds,
        size,
        a.pixel_ratio * a.scale,
        padding * a.scale as f64,
    );
    let device = device.unwrap_or_else(open_device);
    let t = std::time::Instant::now();
    let device = device
        .join()
        .map_err(|_| anyhow::anyhow!("opening the graphics device panicked"))??;
    let max_side = device.0.device.limits().max_texture_dimension_2d;
    if size[0] > max_side || size[1] > max_side {
        bail!(
            "the image would be {}x{} pixels; this graphics device draws at most {max_side} pixels a side: use a smaller --size or --scale",
            size[0],
            size[1]
        );
    }
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
    let image = if framed {
        let figure = plan(&map, bounds, size, &headless.visibility(), &options(&a));
        // Overlays are tessellated while they draw, a batch at a time, and need no detail
        // finer than the viewer's levels of detail keep.
        let simplify_km = crate::map::layer::MAX_ERROR_PX / figure.camera.scale;
        crate::figure::png::draw(&mut headless, &mut map, &figure, !a.no_labels, simplify_km)?
    } else {
        let simplify_km = crate::map::layer::MAX_ERROR_PX / camera.scale;
        headless.render_streaming(&mut map, &camera, !a.no_labels, simplify_km)?
    };
    log::info!(
        "tessellated, drawn and read back in {:?}; peak RSS {} MB",
        t.elapsed(),
        peak_rss_mb()
    );
    print_new_warnings(&map, &warned);
    image
        .save(&a.output)
        .with_context(|| format!("{}: cannot write the PNG", a.output.display()))?;
    eprintln!(
        "wrote {} ({}x{}, {}, {:.0} ms)",
        a.output.display(),
        size[0],
        size[1],
        headless.gpu.describe(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

fn options(a: &RenderArgs) -> FigureOptions {
    FigureOptions {
        title: a.title.clone(),
        legend: !a.no_legend,
        inset: !a.no_inset,
        credits: !a.no_credits,
    }
}

/// The SVG of the figure (or of the bare map): no graphics device needed.
fn write_svg(
    a: &RenderArgs,
    map: &mut Map,
    bounds: geo::Rect<f64>,
    size: [u32; 2],
    framed: bool,
    started: std::time::Instant,
) -> Result<ExitCode> {
    let visible: Vec<bool> = map
        .layers
        .iter()
        .map(|l| !a.hide.contains(&l.kind))
        .collect();
    let mut opts = options(a);
    if !framed {
        opts = FigureOptions {
            title: None,
            legend: false,
            inset: false,
            credits: false,
        };
    }
    let mut figure = plan(map, bounds, size, &visible, &opts);
    if !framed {
        // A bare map fills the image.
        figure.layout = crate::figure::layout::Layout::bare(size);
        figure.camera = Camera::fitting(bounds, size, a.pixel_ratio * a.scale, 0.0);
        figure.base_wash = 0.0;
    }
    let svg = crate::figure::svg::write(map, &figure, &visible, !a.no_labels);
    std::fs::write(&a.output, svg)
        .with_context(|| format!("{}: cannot write the SVG", a.output.display()))?;
    eprintln!(
        "wrote {} ({}x{}, SVG, {:.0} ms)",
        a.output.display(),
        size[0],
        size[1],
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints the warnings layers gained while drawing (features the tessellator skipped).
fn print_new_warnings(map: &Map, warned: &[usize]) {
    for (l, &n) in map.layers.iter().zip(warned) {
        for w in &l.warnings[n..] {
            match &l.source {
                Some(p) => eprintln!("warning: {}:{w}", p.display()),
                None => eprintln!("warning: {}: {w}", l.name),
            }
        }
    }
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
