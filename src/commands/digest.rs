//! `borderlens digest DIR`: index an archive folder and count, for a date range, the articles
//! that mention each entity; print them (or JSON) and optionally draw where the news was.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use geo::{LineString, Polygon};
use serde_json::json;

use crate::archive::figure::{legend, LegendRow, Swatch};
use crate::archive::{counts_layer, Archive, Counts, DayRange, Progress, SyncReport};
use crate::article::EntityKind;
use crate::cli::DigestArgs;
use crate::gpu::headless::Headless;
use crate::map::camera::Camera;
use crate::map::labels::{measure, place_labels, Label, LabelKind};
use crate::map::layer::{LayerKind, MapLayer};
use crate::map::load::{Feature, LoadedFile};
use crate::map::project::{Projection, ProjectionKind};
use crate::map::style::Style;
use crate::map::Map;

pub fn digest(a: DigestArgs) -> Result<ExitCode> {
    let range = DayRange {
        from: a.from,
        to: a.to,
    };
    if let (Some(f), Some(t)) = (a.from, a.to) {
        if f > t {
            bail!("--from {f} is after --to {t}");
        }
    }
    let started = Instant::now();
    let mut archive = Archive::open(&a.dir)?;
    let bar = progress_bar();
    let report = archive.sync(a.batch, &|p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        bar.set_message(format!("{:.1} MB", p.bytes as f64 / 1e6));
    })?;
    bar.finish_and_clear();
    print_report(&archive, &report, started);
    let t = Instant::now();
    let counts = archive.counts(range)?;
    eprintln!(
        "{} articles in {}, counted in {:.1} ms",
        counts.articles,
        range.describe(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    if a.json {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", counts.to_json())?;
    } else {
        print_table(&counts)?;
    }
    if let Some(png) = &a.output {
        draw(&counts, a.size, png)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_bar() -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new(0);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} files, {msg} {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    pb
}

fn print_report(archive: &Archive, r: &SyncReport, started: Instant) {
    const SHOWN: usize = 20;
    for p in r.problems.iter().take(SHOWN) {
        eprintln!("warning: {}", archive.root.join(p).display());
    }
    if r.problems.len() > SHOWN {
        eprintln!("warning: and {} more", r.problems.len() - SHOWN);
    }
    if r.reannotated {
        eprintln!("the geoparser changed since the index was made: annotating every file again");
    }
    let secs = started.elapsed().as_secs_f64();
    let skipped: usize = r.skipped.iter().map(|(_, n)| n).sum();
    let reasons: Vec<String> = r.skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
    eprintln!(
        "indexed {} new, {} changed, {} unchanged, {} removed, {} moved; {} skipped{} ({:.1} MB in {:.2} s, {:.1} MB/s); index {}",
        r.new,
        r.changed,
        r.unchanged,
        r.removed,
        r.moved,
        skipped,
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        },
        r.bytes as f64 / 1e6,
        secs,
        r.bytes as f64 / 1e6 / secs.max(1e-9),
        archive.index_path.display()
    );
}

fn print_table(c: &Counts) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} articles, {}{}{}",
        c.articles,
        c.range.describe(),
        if c.undated > 0 {
            format!(", {} undated", c.undated)
        } else {
            String::new()
        },
        if c.copies > 0 {
            format!(", {} copies counted once", c.copies)
        } else {
            String::new()
        }
    )?;
    for (kind, heading) in [
        (EntityKind::Country, "countries"),
        (EntityKind::Region, "regions"),
        (EntityKind::Border, "borders"),
        (EntityKind::Place, "places"),
    ] {
        let rows = c.of_kind(kind);
        if rows.is_empty() {
            continue;
        }
        writeln!(out, "\n{heading}:")?;
        for (id, n) in rows {
            writeln!(out, "  {n:>7}  {id}")?;
        }
    }
    let mut settlements: Vec<(&String, &u64)> = c.settlements.iter().collect();
    settlements.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if !settlements.is_empty() {
        writeln!(out, "\nsettlements (GeoNames):")?;
    }
    for (id, n) in settlements {
        let name = id
            .parse()
            .ok()
            .and_then(|id| crate::article::World::embedded().settlement(id))
            .map_or("", |s| s.name.as_str());
        writeln!(out, "  {n:>7}  {id} {name}")?;
    }
    Ok(())
}

/// Legend text size and line height, in logical pixels.
const LEGEND_LINE: f32 = 22.0;
const LEGEND_PAD: f32 = 12.0;
const SWATCH: f32 = 28.0;

/// Renders "where the news was" with its legend in the lower left corner.
fn draw(counts: &Counts, size: [u32; 2], png: &std::path::Path) -> Result<()> {
    let mut map = Map::new(Projection::new(ProjectionKind::default()), true);
    map.add_overlay(counts_layer(counts, &map.projection));
    let camera = Camera::fitting(map.home_bounds(), size, 1.0, 0.0);
    let rows = legend(counts);
    let width = rows
        .iter()
        .map(|r| measure(&r.text, LabelKind::Overlay)[0])
        .fold(0.0, f32::max)
        + SWATCH
        + 3.0 * LEGEND_PAD;
    let height = rows.len() as f32 * LEGEND_LINE + 2.0 * LEGEND_PAD;
    let panel = [
        LEGEND_PAD,
        size[1] as f32 - height - LEGEND_PAD,
        LEGEND_PAD + width,
        size[1] as f32 - LEGEND_PAD,
    ];
    if let Some(layer) = panel_layer(&map.projection, &camera, panel) {
        map.layers.push(layer);
    }
    let mut headless = Headless::new(&map)?;
    let overlaps =
        |r: &[f32; 4]| r[0] < panel[2] && r[2] > panel[0] && r[1] < panel[3] && r[3] > panel[1];
    let mut labels: Vec<Label> = place_labels(&map.layers, &camera, &headless.visibility())
        .into_iter()
        .filter(|l| !overlaps(&l.rect))
        .collect();
    labels.extend(legend_labels(&rows, panel));
    let mut image = headless.render_with(&camera, &labels)?;
    paint_swatches(&mut image, &rows, panel);
    image
        .save(png)
        .with_context(|| format!("{}: cannot write the PNG", png.display()))?;
    eprintln!(
        "wrote {} ({}x{}, {})",
        png.display(),
        size[0],
        size[1],
        json!(counts.range.describe())
    );
    Ok(())
}

/// A white panel under the legend: a screen rectangle as a lon/lat polygon on a top layer.
fn panel_layer(projection: &Projection, camera: &Camera, r: [f32; 4]) -> Option<MapLayer> {
    let corner = |x: f32, y: f32| {
        let [wx, wy] = camera.screen_to_world([x as f64, y as f64]);
        projection.unproject(wx, wy)
    };
    let ring: Option<Vec<(f64, f64)>> = [
        (r[0], r[1]),
        (r[2], r[1]),
        (r[2], r[3]),
        (r[0], r[3]),
        (r[0], r[1]),
    ]
    .iter()
    .map(|&(x, y)| corner(x, y))
    .collect();
    let props = json!({"fill": "#ffffff", "fill-opacity": 0.88, "stroke": "#888888",
                       "stroke-width": 1, "stroke-opacity": 0.8})
    .as_object()
    .cloned()
    .unwrap_or_default();
    let (style, _) = Style::from_properties(&props);
    let feature = Feature {
        index: 0,
        id: None,
        geometry: Some(Polygon::new(LineString::from(ring?), vec![]).into()),
        properties: props.into(),
        style,
    };
    let file = LoadedFile {
        features: vec![feature],
        ..Default::default()
    };
    Some(MapLayer::build(
        "legend",
        LayerKind::Overlay,
        file,
        projection,
    ))
}

/// The legend's text as labels, left-aligned beside the swatch column.
fn legend_labels(rows: &[LegendRow], panel: [f32; 4]) -> Vec<Label> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let [w, h] = measure(&row.text, LabelKind::Overlay);
            let x = match row.swatch {
                Swatch::None => panel[0] + LEGEND_PAD,
                _ => panel[0] + 2.0 * LEGEND_PAD + SWATCH,
            };
            let cy = panel[1] + LEGEND_PAD + (i as f32 + 0.5) * LEGEND_LINE;
            Label {
                text: row.text.clone(),
                rect: [x, cy - h / 2.0, x + w, cy + h / 2.0],
                kind: LabelKind::Overlay,
                layer: usize::MAX,
                feature: i,
            }
        })
        .collect()
}

/// Paints each row's sample shade or line into the drawn image.
fn paint_swatches(image: &mut image::RgbaImage, rows: &[LegendRow], panel: [f32; 4]) {
    let x0 = (panel[0] + LEGEND_PAD) as u32;
    for (i, row) in rows.iter().enumerate() {
        let cy = panel[1] + LEGEND_PAD + (i as f32 + 0.5) * LEGEND_LINE;
        let (colour, opacity, half_height) = match &row.swatch {
            Swatch::None => continue,
            Swatch::Fill(c, o) => (c, *o, LEGEND_LINE * 0.35),
            Swatch::Line(c, w) => (c, 0.85, w / 2.0),
        };
        let y0 = (cy - half_height).round().max(0.0) as u32;
        let y1 = (cy + half_height).round().max(0.0) as u32;
        for y in y0..y1.min(image.height()) {
            for x in x0..(x0 + SWATCH as u32).min(image.width()) {
                let p = image.get_pixel_mut(x, y);
                for (ch, c) in [colour.0, colour.1, colour.2].into_iter().enumerate() {
                    // over the white panel
                    p.0[ch] = (c as f32 * opacity + 255.0 * (1.0 - opacity)).round() as u8;
                }
                p.0[3] = 255;
            }
        }
    }
}
