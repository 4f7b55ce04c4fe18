//! What a figure says: its title and subtitle from the article (or `--title`), the legend of
//! what the map shows, the credits and the projection's name.

use geo::{BoundingRect, Intersects};

use crate::article::EntityKind;
use crate::figure::FigureOptions;
use crate::map::camera::Camera;
use crate::map::layer::LayerKind;
use crate::map::project::ProjectionKind;
use crate::map::Map;
use crate::mesh::vertex::FeatureStyle;

/// How a legend row shows its entry (sRGB, straight alpha).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    Area { fill: [u8; 4], stroke: [u8; 4] },
    Line { color: [u8; 4] },
    Marker { color: [u8; 4] },
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
    /// The id of its group in the SVG.
    pub id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub legend: Vec<LegendEntry>,
    pub credits: Option<String>,
    pub projection: String,
}

/// A linear colour channel in sRGB bytes.
pub fn srgb(c: [f32; 4]) -> [u8; 4] {
    let f = |c: f32| {
        let c = c.clamp(0.0, 1.0);
        let s = if c <= 0.003_130_8 {
            12.92 * c
        } else {
            1.055 * c.powf(1.0 / 2.4) - 0.055
        };
        (s * 255.0).round() as u8
    };
    [
        f(c[0]),
        f(c[1]),
        f(c[2]),
        (c[3].clamp(0.0, 1.0) * 255.0).round() as u8,
    ]
}

/// An id usable in SVG (`<g id=...>`): lower-case letters, digits and dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("g-{out}")
    } else {
        out
    }
}

/// The SVG group id of a mentioned entity.
pub fn entity_id(id: &str) -> String {
    format!("entity-{}", slug(id))
}

fn swatch_for(kind: EntityKind, s: &FeatureStyle) -> Swatch {
    match kind {
        EntityKind::Country | EntityKind::Region => Swatch::Area {
            fill: srgb(s.fill),
            stroke: srgb(s.stroke),
        },
        EntityKind::Border => Swatch::Line {
            color: srgb(s.stroke),
        },
        EntityKind::Place => Swatch::Marker {
            color: srgb(s.marker),
        },
    }
}

/// `text` with thin spaces around its en dashes ("Armenia – Iran border"): in the figure's font
/// the dash runs into the next capital, and OCR read "Armeniairan" and "Azerbaljan-tran".
fn spaced_dashes(text: &str) -> String {
    text.replace('–', "\u{2009}–\u{2009}")
}

/// The places a border's stretch is localised by ("Sotk and Tegh"), for its legend row.
fn near_names(f: &crate::map::load::Feature) -> Option<String> {
    if f.prop_str("part") != Some("stretch") {
        return None;
    }
    let names: Vec<String> = f
        .properties
        .get("near_names")?
        .as_array()?
        .iter()
        .filter_map(|v| v.as_str())
        .map(str::to_string)
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

/// The figure's text and legend for `map` seen by `camera`: the legend names what the view
/// shows of the overlays (an article's mentioned countries, regions and borders by name, its
/// places as one row; a file's layer by its name).
pub fn content(map: &Map, camera: &Camera, visible: &[bool], opts: &FigureOptions) -> Content {
    let view = camera.visible_world();
    let mut legend = Vec::new();
    let mut title = opts.title.clone();
    let mut date = None;
    let mut places = None;
    for (i, layer) in map.layers.iter().enumerate() {
        if layer.kind != LayerKind::Overlay || !visible.get(i).copied().unwrap_or(true) {
            continue;
        }
        let in_view = |f: usize| {
            layer
                .projected
                .get(f)
                .and_then(|g| g.as_ref())
                .is_some_and(|g| g.bounding_rect().is_some_and(|b| b.intersects(&view)))
        };
        let Some(article) = &layer.article else {
            if let Some(style) = layer.styles.first() {
                let lines = layer.features.iter().any(|f| {
                    matches!(
                        f.geometry,
                        Some(geo::Geometry::LineString(_) | geo::Geometry::MultiLineString(_))
                    )
                });
                let swatch = if lines {
                    Swatch::Line {
                        color: srgb(style.stroke),
                    }
                } else if style.fill[3] > 0.0 {
                    Swatch::Area {
                        fill: srgb(style.fill),
                        stroke: srgb(style.stroke),
                    }
                } else {
                    Swatch::Marker {
                        color: srgb(style.marker),
                    }
                };
                legend.push(LegendEntry {
                    label: layer.name.clone(),
                    swatch,
                    id: format!("overlay-{i}"),
                });
            }
            continue;
        };
        if title.is_none() {
            title = article.article.title.clone();
        }
        // The subtitle: the article's date and source, as it has them ("2024-04-09 · Daily Courier").
        if date.is_none() {
            let parts: Vec<&str> = [&article.article.date, &article.article.source]
                .into_iter()
                .flatten()
                .map(|s| s.as_str())
                .collect();
            date = (!parts.is_empty()).then(|| parts.join(" · "));
        }
        for (f, e) in article.entities.iter().enumerate() {
            if !in_view(f) {
                continue;
            }
            let Some(style) = layer.styles.get(f) else {
                continue;
            };
            let swatch = swatch_for(e.kind, style);
            if e.kind == EntityKind::Place {
                let n = places.get_or_insert((swatch, 0));
                n.1 += 1;
                continue;
            }
            let feature = &layer.features[f];
            let label = match near_names(feature) {
                Some(near) => format!("{} near {near}", e.name),
                None => e.name.clone(),
            };
            legend.push(LegendEntry {
                label: spaced_dashes(&label),
                swatch,
                id: entity_id(&e.id),
            });
        }
        // The faint rest of a border whose stretch the article is about, after its entities.
        for (f, feature) in layer.features.iter().enumerate() {
            if feature.prop_str("part") != Some("rest") || !in_view(f) {
                continue;
            }
            let Some(style) = layer.styles.get(f) else {
                continue;
            };
            legend.push(LegendEntry {
                label: spaced_dashes(&format!(
                    "{}, elsewhere",
                    feature.prop_str("name").unwrap_or("the border")
                )),
                swatch: Swatch::Line {
                    color: srgb(style.stroke),
                },
                id: entity_id(feature.prop_str("id").unwrap_or("border-rest")),
            });
        }
    }
    if let Some((swatch, n)) = places {
        legend.push(LegendEntry {
            label: if n == 1 {
                "Place mentioned".into()
            } else {
                format!("Places mentioned ({n})")
            },
            swatch,
            id: "places-mentioned".into(),
        });
    }
    let projection = match map.projection.kind {
        ProjectionKind::Lcc => "Lambert conformal conic projection",
        ProjectionKind::Mercator => "Web Mercator projection",
        ProjectionKind::EqualEarth => "Equal Earth projection",
    };
    Content {
        title,
        subtitle: date,
        legend: if opts.legend { legend } else { Vec::new() },
        credits: opts.credits.then(|| crate::figure::CREDITS.to_string()),
        projection: projection.into(),
    }
}
