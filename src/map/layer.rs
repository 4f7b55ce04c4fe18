//! A map layer: loaded features, their projected geometry, per-feature GPU styles and the
//! tessellated mesh. Built once per file; the window and `render` upload it unchanged.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use geo::{BoundingRect, Geometry, Rect};
use rayon::prelude::*;

use crate::article::AnnotatedArticle;
use crate::map::anchor::{anchors, Anchor};
use crate::map::domain;
use crate::map::load::{Feature, LoadedFile, Warning};
use crate::map::project::Projection;
use crate::map::style::{palette, Style};
use crate::mesh::tessellate::{tessellate, Mesh, TessInput};
use crate::mesh::vertex::FeatureStyle;
use crate::rect::RectExt;

/// The largest error simplification may make on screen, physical px: for `render`'s one view
/// and the window's levels of detail (`lod`), so that both draw the same picture as full detail.
/// A sixteenth of a pixel: at a quarter, a level drawn at a synthetic file's full extent moved
/// 0.5 % of its pixels by more than 96/255 (strokes' mitred corners where vertices are a
/// fraction of a pixel apart), at an eighth 0.23 %, at a sixteenth 0.1 % (`tests/lod_tests.rs`).
pub const MAX_ERROR_PX: f64 = 0.0625;

pub use crate::map::kind::LayerKind;

/// What projecting one feature gave.
enum Projected {
    Some(Geometry<f64>),
    Nothing,
    OutsideDomain,
    Failed,
}

pub struct MapLayer {
    pub name: String,
    pub kind: LayerKind,
    /// The file it came from (watched for changes in the viewer).
    pub source: Option<PathBuf>,
    pub features: Vec<Feature>,
    /// Geometry in world km, parallel to `features`; `None` where it could not be projected.
    /// Shared, so that levels of detail are tessellated on the loading threads while the
    /// window keeps the layer (`lod`).
    pub projected: Arc<Vec<Option<Geometry<f64>>>>,
    pub styles: Vec<FeatureStyle>,
    pub mesh: Mesh,
    /// World-km bounds of everything drawable.
    pub bounds: Option<Rect<f64>>,
    pub warnings: Vec<Warning>,
    /// The article an article layer was made from, its entities in feature order.
    pub article: Option<Box<AnnotatedArticle>>,
    /// Where each feature's label goes; computed on first use (polylabel is not free).
    label_anchors: OnceLock<Vec<Option<Anchor>>>,
    /// The lon/lat extent (`domain::lonlat_extent`) of a layer whose features' lon/lat
    /// geometry was moved out when projected ([`MapLayer::project_moving`]).
    moved_extent: Option<[f64; 4]>,
}

impl MapLayer {
    /// Projects, styles and tessellates a loaded file.
    pub fn build(
        name: impl Into<String>,
        kind: LayerKind,
        file: LoadedFile,
        projection: &Projection,
    ) -> MapLayer {
        let mut layer = Self::project(name, kind, file, projection);
        layer.tessellate(0.0);
        layer
    }

    /// Projects and styles a loaded file; the mesh stays empty until [`MapLayer::tessellate`].
    pub fn project(
        name: impl Into<String>,
        kind: LayerKind,
        file: LoadedFile,
        projection: &Projection,
    ) -> MapLayer {
        Self::project_keeping(name, kind, file, projection, true)
    }

    /// Like [`MapLayer::project`], but each feature's geometry is projected in place and moved
    /// out of it (`Feature::geometry` is `None` after): for a layer drawn once (`render`), whose
    /// lon/lat is never shown, so that a big file's coordinates are in memory once, not twice.
    pub fn project_moving(
        name: impl Into<String>,
        kind: LayerKind,
        file: LoadedFile,
        projection: &Projection,
    ) -> MapLayer {
        Self::project_keeping(name, kind, file, projection, false)
    }

    fn project_keeping(
        name: impl Into<String>,
        kind: LayerKind,
        file: LoadedFile,
        projection: &Projection,
        keep_lonlat: bool,
    ) -> MapLayer {
        let t0 = std::time::Instant::now();
        let LoadedFile {
            mut features,
            mut warnings,
            foreign: _,
        } = file;
        let domain = projection.domain();
        let moved_extent = if keep_lonlat {
            None
        } else {
            crate::map::domain::lonlat_extent(features.iter().filter_map(|f| f.geometry.as_ref()))
        };
        // Each feature: projected, outside the projection's domain (left out quietly: a world
        // file's Antarctica in the conic), or not projectable (a warning).
        let outcomes: Vec<Projected> = features
            .par_iter_mut()
            .map(|f| {
                let Some(g) = f.geometry.as_ref() else {
                    return Projected::Nothing;
                };
                let prepared = match domain::prepare(g, &domain) {
                    None => {
                        // Not drawn in this projection; another reads the file again.
                        if !keep_lonlat {
                            f.geometry = None;
                        }
                        return Projected::OutsideDomain;
                    }
                    Some(Cow::Borrowed(_)) => None,
                    Some(Cow::Owned(cut)) => Some(cut),
                };
                let projected = match (prepared, keep_lonlat) {
                    (Some(mut cut), _) => {
                        if !keep_lonlat {
                            f.geometry = None;
                        }
                        projection.project_in_place(&mut cut).then_some(cut)
                    }
                    (None, true) => projection.project_geometry(g),
                    (None, false) => {
                        let mut g = f.geometry.take().expect("checked above");
                        projection.project_in_place(&mut g).then_some(g)
                    }
                };
                projected.map_or(Projected::Failed, Projected::Some)
            })
            .collect();
        let mut projected: Vec<Option<Geometry<f64>>> = Vec::with_capacity(outcomes.len());
        for (f, o) in features.iter().zip(outcomes) {
            projected.push(match o {
                Projected::Some(g) => Some(g),
                Projected::Nothing | Projected::OutsideDomain => None,
                Projected::Failed => {
                    warnings.push(Warning {
                        offset: 0,
                        feature: Some(f.index),
                        line: 0,
                        column: 0,
                        message: "geometry cannot be projected; skipped".into(),
                    });
                    None
                }
            });
        }
        let styles: Vec<FeatureStyle> = features.iter().map(|f| feature_style(kind, f)).collect();
        let bounds = projected
            .iter()
            .flatten()
            .filter_map(|g| g.bounding_rect())
            .reduce(union);
        log::info!(
            "{}: projected {} features in {:?}",
            kind.key(),
            features.len(),
            t0.elapsed()
        );
        MapLayer {
            name: name.into(),
            kind,
            source: None,
            features,
            projected: Arc::new(projected),
            styles,
            mesh: Mesh::default(),
            bounds,
            warnings,
            article: None,
            label_anchors: OnceLock::new(),
            moved_extent,
        }
    }

    /// The lon/lat extent, `[west, south, east, north]` (west > east across the antimeridian;
    /// see `domain::lonlat_extent`), of a layer whose features' lon/lat geometry was moved out
    /// when projected ([`MapLayer::project_moving`]); `None` for the others (their features
    /// hold it).
    pub fn moved_extent(&self) -> Option<[f64; 4]> {
        self.moved_extent
    }

    /// (Re)builds the mesh. With `simplify_km > 0`, lines and rings are first simplified
    /// (Ramer–Douglas–Peucker) to that tolerance: a fixed view needs no detail finer than a
    /// fraction of its pixel.
    pub fn tessellate(&mut self, simplify_km: f64) {
        let t0 = std::time::Instant::now();
        let inputs = self.tess_inputs();
        let mesh = tessellate(&inputs, simplify_km);
        log::info!(
            "{}: tessellated {} features into {} vertices in {:?}",
            self.kind.key(),
            inputs.len(),
            mesh.vertices.len(),
            t0.elapsed()
        );
        self.warnings
            .retain(|w| !w.message.ends_with("; feature skipped"));
        self.record_skipped(&mesh.skipped);
        self.mesh = mesh;
    }

    /// What to tessellate: each feature that has projected geometry, with its style's needs.
    pub fn tess_inputs(&self) -> Vec<TessInput<'_>> {
        tess_inputs(&self.projected, &self.styles)
    }

    /// Warns of features the tessellator skipped: (feature, reason), each feature once.
    pub fn record_skipped(&mut self, skipped: &[(u32, String)]) {
        if skipped.is_empty() {
            return;
        }
        // Once a feature: a streamed level meets the same features at every view.
        let mut seen: std::collections::HashSet<usize> = self
            .warnings
            .iter()
            .filter(|w| w.message.ends_with("; feature skipped"))
            .filter_map(|w| w.feature)
            .collect();
        for (i, why) in skipped {
            if seen.insert(self.features[*i as usize].index) {
                self.warnings.push(Warning {
                    offset: 0,
                    feature: Some(self.features[*i as usize].index),
                    line: 0,
                    column: 0,
                    message: format!("{why}; feature skipped"),
                });
            }
        }
    }

    pub fn label_anchors(&self) -> &[Option<Anchor>] {
        self.label_anchors
            .get_or_init(|| anchors(self.kind, &self.features, &self.projected))
    }

    /// The feature with this id (GeoJSON `id` or `properties.id`).
    pub fn find(&self, id: &str) -> Option<usize> {
        self.features
            .iter()
            .position(|f| f.id.as_deref() == Some(id))
    }
}

/// What to tessellate of projected geometry and its styles (a layer's, or a copy of them on a
/// loading thread): each feature with geometry, with its style's needs.
pub fn tess_inputs<'a>(
    projected: &'a [Option<Geometry<f64>>],
    styles: &[FeatureStyle],
) -> Vec<TessInput<'a>> {
    projected
        .iter()
        .zip(styles)
        .enumerate()
        .filter_map(|(i, (g, s))| Some(tess_input(g.as_ref()?, i as u32, s)))
        .collect()
}

/// What the tessellator needs of one feature: its geometry, and what its style draws.
pub fn tess_input<'a>(
    geometry: &'a Geometry<f64>,
    feature: u32,
    s: &FeatureStyle,
) -> TessInput<'a> {
    TessInput {
        geometry,
        feature,
        fill: s.fill[3] > 0.0,
        outline: s.stroke_width > 0.0 && s.stroke[3] > 0.0,
        icon: s.icon(),
    }
}

pub fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    a.union(&b)
}

/// The GPU style of one feature: the simplestyle of overlays, the palette of base layers.
pub fn feature_style(kind: LayerKind, f: &Feature) -> FeatureStyle {
    let id = f.id.as_deref().unwrap_or("");
    let none = [0.0; 4];
    let mut s = FeatureStyle {
        fill: none,
        stroke: none,
        marker: none,
        stroke_width: 0.0,
        marker_radius: 0.0,
        flags: 0,
        min_scale: 0.0,
    };
    match kind {
        LayerKind::Overlay => return simple_style(&f.style),
        LayerKind::Seas => s.fill = palette::WATER.linear(1.0),
        LayerKind::World | LayerKind::Countries => {
            let index = f
                .properties
                .get("color_index")
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as usize;
            s.fill = palette::country(id, index).linear(1.0);
        }
        LayerKind::Provinces => {
            s.stroke = palette::PROVINCE.linear(0.55);
            s.stroke_width = 0.6;
            // Province lines only once zoomed in a little.
            s.min_scale = 1.2;
        }
        LayerKind::Lakes => {
            if f.prop_str("kind") == Some("river") {
                s.stroke = palette::RIVER.linear(0.9);
                s.stroke_width = 1.2;
                s.min_scale = REGION_DETAIL_MIN_SCALE;
            } else {
                s.fill = palette::WATER.linear(1.0);
                s.stroke = palette::WATER_OUTLINE.linear(0.8);
                s.stroke_width = 0.5;
            }
        }
        LayerKind::Regions => {
            // Disputed and breakaway regions: a tint and an outline; the rest are for overlays only.
            if matches!(id, "nagorno-karabakh" | "abkhazia" | "south-ossetia") {
                s.fill = palette::REGION.linear(0.10);
                s.stroke = palette::REGION.linear(0.85);
                s.stroke_width = 1.2;
                s.min_scale = REGION_DETAIL_MIN_SCALE;
            } else if id != "nakhchivan" {
                // Nakhchivan keeps Azerbaijan's colour and is only named; the rest serve overlays.
                s.flags = FeatureStyle::HIDDEN;
            }
        }
        LayerKind::Borders => {
            s.stroke = palette::BORDER.linear(0.9);
            s.stroke_width = 1.6;
            // Zoomed out to a continent, the region's lines would be a knot of ink.
            s.min_scale = REGION_DETAIL_MIN_SCALE;
        }
        LayerKind::Places => {
            let population = f
                .properties
                .get("population")
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let capital = f
                .properties
                .get("capital")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            s.marker = palette::PLACE.linear(1.0);
            s.marker_radius = if capital { 4.5 } else { 3.0 };
            s.min_scale = place_min_scale(population, capital).max(REGION_DETAIL_MIN_SCALE);
        }
    }
    s
}

/// The region's places, rivers, borders and breakaway regions appear as the view comes to the region (logical pixels per
/// km: 1,000 km are 150 px); zoomed out to a continent or the world they would be clutter.
pub const REGION_DETAIL_MIN_SCALE: f32 = 0.15;

/// Cities appear by size as the zoom grows (logical pixels per km).
pub fn place_min_scale(population: u64, capital: bool) -> f32 {
    match population {
        _ if capital => 0.0,
        300_000.. => 0.0,
        100_000.. => 1.2,
        40_000.. => 2.5,
        _ => 5.0,
    }
}

/// simplestyle → GPU style.
pub fn simple_style(st: &Style) -> FeatureStyle {
    // A marker with a symbol is larger, so that the symbol can be read on it.
    let radius = st.marker_size.radius_px() * if st.marker_symbol.is_some() { 1.5 } else { 1.0 };
    let mut s = FeatureStyle {
        fill: st.fill.linear(st.fill_opacity),
        stroke: st.stroke.linear(st.stroke_opacity),
        marker: st.marker_color.linear(1.0),
        stroke_width: st.stroke_width,
        marker_radius: radius,
        flags: 0,
        min_scale: 0.0,
    };
    s.set_icon(st.marker_symbol);
    s
}
