//! "Where the news was": an archive's counts as a map layer (regions shaded, borders weighted,
//! places sized by the number of articles that mention them) and the legend that reads it.

use serde_json::json;

use crate::archive::query::Counts;
use crate::article::{EntityKind, Gazetteer};
use crate::map::entities::{entity_geometry, kind_colour};
use crate::map::layer::{LayerKind, MapLayer};
use crate::map::load::{Feature, LoadedFile};
use crate::map::project::Projection;
use crate::map::style::{Rgb, Style};

/// Fill opacity of a region or country mentioned by `n` articles of at most `max`: a square-root
/// scale, so that a few much-covered entities do not wash out the rest.
pub fn fill_opacity(kind: EntityKind, n: u64, max: u64) -> f32 {
    let t = (n as f32 / max.max(1) as f32).sqrt();
    match kind {
        EntityKind::Country => 0.04 + 0.30 * t,
        _ => 0.15 + 0.65 * t,
    }
}

/// Stroke width (logical px) of a border mentioned by `n` articles of at most `max`.
pub fn border_width(n: u64, max: u64) -> f32 {
    1.5 + 8.5 * (n as f32 / max.max(1) as f32).sqrt()
}

fn marker_size(n: u64, max: u64) -> &'static str {
    let t = n as f32 / max.max(1) as f32;
    if t > 0.5 {
        "large"
    } else if t > 0.15 {
        "medium"
    } else {
        "small"
    }
}

/// The largest count of each kind.
fn max_of(counts: &Counts, kind: EntityKind) -> u64 {
    counts.of_kind(kind).first().map_or(0, |(_, n)| *n)
}

/// One feature per counted entity with base-map geometry, styled by its count; countries first,
/// then regions, borders and places, each kind least counted first so the most counted draw on
/// top. Titles read "Name 12" (the label shows the count).
pub fn counts_layer(counts: &Counts, projection: &Projection) -> MapLayer {
    let g = Gazetteer::embedded();
    let mut features = Vec::new();
    for kind in [
        EntityKind::Country,
        EntityKind::Region,
        EntityKind::Border,
        EntityKind::Place,
    ] {
        let max = max_of(counts, kind);
        let mut entities = counts.of_kind(kind);
        entities.reverse();
        for (id, n) in entities {
            let Some(geometry) = entity_geometry(g, id) else {
                continue;
            };
            let c = kind_colour(kind);
            let mut props = match kind {
                EntityKind::Country | EntityKind::Region => json!({
                    "fill": c, "fill-opacity": fill_opacity(kind, n, max),
                    "stroke": c, "stroke-width": 1, "stroke-opacity": 0.6}),
                EntityKind::Border => json!({
                    "stroke": c, "stroke-width": border_width(n, max), "stroke-opacity": 0.85,
                    "fill-opacity": 0}),
                EntityKind::Place => json!({"marker-color": c, "marker-size": marker_size(n, max)}),
            }
            .as_object()
            .cloned()
            .unwrap_or_default();
            let name = g.get(id).map_or(id, |e| e.name.as_str());
            // Countries keep the base map's own label; the others are labelled with their count.
            if kind != EntityKind::Country {
                props.insert("title".into(), json!(format!("{name} {n}")));
            }
            props.insert("id".into(), json!(id));
            props.insert("name".into(), json!(name));
            props.insert("count".into(), json!(n));
            let (style, _) = Style::from_properties(&props);
            features.push(Feature {
                index: features.len(),
                id: Some(id.to_string()),
                geometry: Some(geometry),
                properties: props.into(),
                style,
            });
        }
    }
    let file = LoadedFile {
        features,
        ..Default::default()
    };
    MapLayer::build(
        format!("where the news was, {}", counts.range.describe()),
        LayerKind::Overlay,
        file,
        projection,
    )
}

/// What a legend row shows beside its text.
#[derive(Debug, Clone, PartialEq)]
pub enum Swatch {
    /// A filled square of this colour and opacity.
    Fill(Rgb, f32),
    /// A horizontal line of this colour and width (logical px).
    Line(Rgb, f32),
    /// Nothing (a heading).
    None,
}

/// One line of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendRow {
    pub text: String,
    pub swatch: Swatch,
}

/// The legend of [`counts_layer`]: a heading with the range and the article count, then sample
/// shades for regions and widths for borders at their largest, middle and smallest counts.
pub fn legend(counts: &Counts) -> Vec<LegendRow> {
    let mut rows = vec![
        LegendRow {
            text: format!("Where the news was: {}", counts.range.describe()),
            swatch: Swatch::None,
        },
        LegendRow {
            text: format!(
                "{} articles{}",
                counts.articles,
                if counts.copies > 0 {
                    format!(" ({} copies counted once)", counts.copies)
                } else {
                    String::new()
                }
            ),
            swatch: Swatch::None,
        },
    ];
    let samples = |max: u64| {
        let mut v = vec![max, max.div_ceil(4), 1];
        v.dedup();
        v.retain(|&n| n > 0);
        v
    };
    let region_colour = Rgb::parse(kind_colour(EntityKind::Region)).unwrap_or(Rgb(0, 0, 0));
    let max = max_of(counts, EntityKind::Region);
    for n in samples(max) {
        rows.push(LegendRow {
            text: format!("region in {n} article{}", if n == 1 { "" } else { "s" }),
            swatch: Swatch::Fill(region_colour, fill_opacity(EntityKind::Region, n, max)),
        });
    }
    let border_colour = Rgb::parse(kind_colour(EntityKind::Border)).unwrap_or(Rgb(0, 0, 0));
    let max = max_of(counts, EntityKind::Border);
    for n in samples(max) {
        rows.push(LegendRow {
            text: format!("border in {n} article{}", if n == 1 { "" } else { "s" }),
            swatch: Swatch::Line(border_colour, border_width(n, max)),
        });
    }
    rows
}
