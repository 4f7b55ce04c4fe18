//! Levels of detail for heavy overlays, made when a view first needs them. A software rasterizer
//! (lavapipe) pays per triangle, and a million-vertex file drawn whole at the regional view is
//! mostly sub-pixel slivers. A heavy layer is never tessellated in full up front: each view
//! needs the level of a ladder of tolerances (each twice the last) whose error stays under a
//! sixteenth of a pixel, and that level is made on the loading threads the first time a view needs
//! it (the first one before the layer is shown), like a tile pyramid made on demand. Until it
//! arrives the nearest level made stands in; levels no view has used for longest go first when
//! a layer's levels pass a memory budget. Feature indices
//! are unchanged, so styles, hover and selection apply to every level; hit testing uses the full
//! geometry.

use geo::{BoundingRect, CoordsIter, Geometry, Rect};
use rayon::prelude::*;

use crate::map::camera::Camera;
use crate::map::layer::{tess_inputs, MapLayer, MAX_ERROR_PX};
use crate::mesh::input::part_inputs;
use crate::mesh::tessellate::{simplify, tessellate, tessellate_as, Mesh};
use crate::mesh::vertex::FeatureStyle;
use crate::rect::RectExt;

/// The most a level may move a line, in physical pixels, to stand in for the full mesh: the
/// simplification error `render` allows too (see [`MAX_ERROR_PX`]).
pub const LEVEL_ERROR_PX: f64 = MAX_ERROR_PX;

/// Layers with fewer input vertices than this are tessellated once, in full.
pub const HEAVY_VERTICES: usize = 50_000;
/// The finest simplified level's tolerance, km; each level above is twice as coarse.
pub const FINEST_KM: f64 = 0.0125;
/// Levels in the ladder (the coarsest is 2^(LADDER-1) times the finest: 25.6 km).
pub const LADDER: i32 = 12;
/// The ladder's coarsest tolerance, km.
pub const COARSEST_KM: f64 = FINEST_KM * (1u32 << (LADDER - 1)) as f64;
/// GPU bytes of a layer's levels above which the longest unused ones are dropped.
pub const BUDGET_BYTES: u64 = 256 << 20;

/// Input vertices (after simplification) above which a level is not kept on the device: its
/// mesh (about 110 bytes an input vertex, 110 MB here: as much as a 100 MB file) is not made;
/// a view that needs it is drawn into the layer's image straight from the geometry, a batch at
/// a time, as `render` draws (`gpu::Renderer::stream_image`), and a lossy stand-in is drawn
/// meanwhile. Lighter levels are kept: drawn at once when the view comes back to them (a
/// world file's, say). A layer of points is streamed from a tenth of this in markers
/// ([`MARKER_COST`]).
pub const HOLD_VERTICES: usize = 1_000_000;

/// [`HOLD_VERTICES`], or `BORDERLENS_HOLD_VERTICES` (tests stream small files).
pub fn hold_vertices() -> usize {
    static HOLD: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *HOLD.get_or_init(|| crate::hooks::number("BORDERLENS_HOLD_VERTICES").unwrap_or(HOLD_VERTICES))
}

/// The input vertices a level at `tolerance_km` tessellates (lines and rings simplified),
/// estimated from every [`SAMPLE_EVERY`]th feature of a layer of many.
pub fn level_vertices(projected: &[Option<Geometry<f64>>], tolerance_km: f64) -> usize {
    if tolerance_km <= 0.0 {
        return projected
            .par_iter()
            .flatten()
            .map(|g| g.coords_count())
            .sum();
    }
    sampled(projected, |g| simplify(g, tolerance_km).coords_count())
}

/// Features between two that an estimate looks at, in a layer of more than 16 times as many.
pub const SAMPLE_EVERY: usize = 16;

/// The sum of `count` over a layer's geometry, from every [`SAMPLE_EVERY`]th feature (scaled
/// up) when it has many: a heavy layer's level is sized in a fraction of making it.
fn sampled(
    projected: &[Option<Geometry<f64>>],
    count: impl Fn(&Geometry<f64>) -> usize + Sync,
) -> usize {
    let step = if projected.len() > 16 * SAMPLE_EVERY {
        SAMPLE_EVERY
    } else {
        1
    };
    let seen: usize = projected
        .par_iter()
        .step_by(step)
        .flatten()
        .map(&count)
        .sum();
    seen * step
}

/// Whether a level at `tolerance_km` is streamed into images rather than kept (see
/// [`HOLD_VERTICES`]). A layer within the limit unsimplified is never streamed. A layer of
/// points is streamed from a tenth of the limit in markers ([`MARKER_COST`]).
pub fn is_streamed(projected: &[Option<Geometry<f64>>], tolerance_km: f64) -> bool {
    let hold = hold_vertices();
    if !simplifies(projected) {
        return level_vertices(projected, 0.0) > hold / MARKER_COST;
    }
    level_vertices(projected, 0.0) > hold && level_vertices(projected, tolerance_km) > hold
}

/// What a marker costs a frame that draws it, in a ring's input vertices: its disc is tens of
/// pixels, many deep where villages crowd, and a frame of a level draws them all. A kept level
/// of 300,000 markers took 950 ms a frame at its full extent on lavapipe (and no image served
/// it: 646,626 triangles, under `gpu::raster::IMAGE_ABOVE_TRIANGLES`), its grid of
/// chunks showing as seams; streamed, that view draws its image (47,000 triangles with the base
/// map, 94 ms), made front to back in file order (BENCHMARKS.md, round 21).
pub const MARKER_COST: usize = 10;

/// A stand-in is drawn in every frame while its image is made (frames that share the cores
/// with that image): it keeps this many input vertices at most (and an eighth of
/// [`hold_vertices`]).
pub const STAND_IN_VERTICES: usize = 25_000;

/// The input vertices a stand-in keeps at most.
pub fn stand_in_budget() -> usize {
    (hold_vertices() / 8).min(STAND_IN_VERTICES)
}

/// A stand-in is simplified to this many times the error of the view it stands in for: about
/// a pixel.
pub const STAND_IN_COARSER: f64 = 16.0;

/// A coarse level to stand in for a streamed one at `view_km` (the view's tolerance) while its
/// image is drawn: the biggest features first, simplified to about a pixel of that view, as many
/// as `budget` input vertices allow ([`stand_in_budget`]; never counted exact: it leaves the
/// smaller ones out). Its tolerance and geometry (`None` for the features left out).
pub fn stand_in(
    projected: &[Option<Geometry<f64>>],
    view_km: f64,
    budget: usize,
) -> (f64, Vec<Option<Geometry<f64>>>) {
    use geo::BoundingRect;
    let t = (view_km * STAND_IN_COARSER).clamp(FINEST_KM, COARSEST_KM);
    if !simplifies(projected) {
        return (t, points_stand_in(projected, budget / MARKER_COST));
    }
    let mut by_size: Vec<(f64, usize)> = projected
        .par_iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let b = g.as_ref()?.bounding_rect()?;
            Some((b.width().max(b.height()), i))
        })
        .collect();
    by_size.par_sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut kept = vec![None; projected.len()];
    let mut used = 0;
    for (_, i) in by_size {
        let Some(g) = &projected[i] else { continue };
        let g = simplify(g, t);
        used += g.coords_count();
        if used > budget {
            break;
        }
        kept[i] = Some(g);
    }
    (t, kept)
}

/// A stand-in for a layer of points: every n-th feature through the file, as many markers as
/// `markers` (their boxes have no size to rank them by, and a sample spread through the file
/// shows all of it, not one corner).
fn points_stand_in(
    projected: &[Option<Geometry<f64>>],
    markers: usize,
) -> Vec<Option<Geometry<f64>>> {
    let features = projected.iter().flatten().count();
    let step = features.div_ceil(markers.max(1)).max(1);
    let mut kept = vec![None; projected.len()];
    let mut used = 0;
    for (n, (i, g)) in projected
        .iter()
        .enumerate()
        .filter_map(|(i, g)| Some((i, g.as_ref()?)))
        .enumerate()
    {
        if n % step != 0 {
            continue;
        }
        used += g.coords_count();
        if used > markers {
            break;
        }
        kept[i] = Some(g.clone());
    }
    kept
}

/// `BORDERLENS_NO_LOD=1` draws every layer in full (for comparisons).
pub fn disabled() -> bool {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("BORDERLENS_NO_LOD").is_some_and(|v| v != "0"))
}

/// A mesh (or its upload) simplified to a tolerance (0: full detail), and the frame that last
/// drew it.
pub struct Level<M> {
    pub tolerance_km: f64,
    pub mesh: M,
    pub used: u64,
    /// Not kept: views that need it are drawn into images from the geometry (its mesh is
    /// empty; see [`HOLD_VERTICES`]).
    pub streamed: bool,
    /// A stand-in without the small features ([`stand_in`]): never exact.
    pub lossy: bool,
    /// The world-km box whose features it holds (`None`: the whole layer); see [`Want`].
    pub covers: Option<Rect<f64>>,
}

impl<M> Level<M> {
    /// Whether it holds every feature that a view needing `need` ([`needs`]) shows.
    pub fn covers(&self, need: &Rect<f64>) -> bool {
        self.covers.is_none_or(|c| c.holds(need))
    }
}

/// A level asked for: its tolerance, and the part of the layer it is for (`None`: the whole
/// layer). A view zoomed in on part of a heavy layer (a world file at the region's view) asks
/// for the features around it only, like the tiles of a pyramid around a view: a level of
/// the whole world at the region's detail would be most of the file's vertices, made and held
/// for places no view shows. The loading thread makes the whole level anyway when the part
/// holds more than half the layer's vertices ([`parts_within`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Want {
    pub tolerance_km: f64,
    pub covers: Option<Rect<f64>>,
}

impl Want {
    /// Whether the level asked for will serve a view that needs `need` at `tolerance_km`.
    pub fn serves(&self, tolerance_km: f64, need: &Rect<f64>) -> bool {
        self.tolerance_km == tolerance_km && self.covers.is_none_or(|c| c.holds(need))
    }
}

/// Views on each side of the view that a part of a layer asked for holds: a pan of a view's
/// width keeps to it, with the slack ([`needs`]).
pub const COVER_VIEWS: f64 = 1.5;
/// What a level must hold to draw a view exactly: the view, this much of it on each side (the
/// layer's image is drawn with a quarter of the view around it, the window's map image with a
/// sixteenth), and the reach of the layer's strokes and markers, at least [`SLACK_PX`]:
/// those of features just outside reach in.
pub const SLACK_VIEWS: f64 = 0.25;
pub const SLACK_PX: f64 = 64.0;
/// Partial levels of a layer kept at most, beside the whole ones; the longest unused go first.
pub const PARTIAL_LEVELS: usize = 4;

/// The world-km box a level must hold to draw the view of `camera` exactly, for a layer whose
/// strokes and markers reach `reach_px` physical px past its features' boxes.
pub fn needs(camera: &Camera, reach_px: f64) -> Rect<f64> {
    let view = camera.visible_world();
    let side = view.width().max(view.height());
    view.padded(side * SLACK_VIEWS + reach_px.max(SLACK_PX) / camera.scale)
}

/// The part of a layer with bounds `layer` that a level for the view of `camera` is asked
/// for: what the view needs ([`needs`]) and [`COVER_VIEWS`] around the view, less the slack;
/// `None` (the whole layer) when that holds the layer. It always holds what the view needs,
/// however small the window.
pub fn coverage_for(camera: &Camera, reach_px: f64, layer: Option<Rect<f64>>) -> Option<Rect<f64>> {
    let view = camera.visible_world();
    let side = view.width().max(view.height());
    let cover = needs(camera, reach_px).padded(side * (COVER_VIEWS - SLACK_VIEWS));
    let layer = layer?;
    (!cover.holds(&layer) && cover.width().is_finite()).then_some(cover)
}

/// The parts of a feature's geometry whose boxes meet `cover`: the polygons of a
/// multipolygon, the lines of a multiline, the points of a multipoint, each member of a
/// collection (the mainland of a country without its far islands). `None` when none does.
pub fn part_within(g: &Geometry<f64>, cover: &Rect<f64>) -> Option<Geometry<f64>> {
    use geo::{GeometryCollection, MultiLineString, MultiPoint, MultiPolygon};
    let near = |b: Option<Rect<f64>>| b.is_some_and(|b| b.meets(cover));
    match g {
        Geometry::MultiPolygon(m) => {
            near_ones(&m.0, |p| near(p.bounding_rect())).map(|k| MultiPolygon(k).into())
        }
        Geometry::MultiLineString(m) => {
            near_ones(&m.0, |l| near(l.bounding_rect())).map(|k| MultiLineString(k).into())
        }
        Geometry::MultiPoint(m) => {
            near_ones(&m.0, |p| near(Some(p.bounding_rect()))).map(|k| MultiPoint(k).into())
        }
        Geometry::GeometryCollection(c) => {
            let kept: Vec<_> = c.iter().filter_map(|g| part_within(g, cover)).collect();
            (!kept.is_empty()).then_some(Geometry::GeometryCollection(GeometryCollection(kept)))
        }
        g => near(g.bounding_rect()).then(|| g.clone()),
    }
}

/// A layer's geometry, one entry a feature (`None`: nothing to draw).
pub type Geometries = Vec<Option<Geometry<f64>>>;

/// The members of a multi-geometry that are `near`; `None` when none is.
fn near_ones<T: Clone>(members: &[T], near: impl Fn(&T) -> bool) -> Option<Vec<T>> {
    let kept: Vec<T> = members.iter().filter(|m| near(m)).cloned().collect();
    (!kept.is_empty()).then_some(kept)
}

/// The part of a layer within `cover` ([`parts_within`]) that a level is made of, and that
/// box; `None` (the whole layer) when the part would hold more than half the layer's
/// vertices: it saves little there, and pans would make it again.
pub fn part_worth_making(
    projected: &[Option<Geometry<f64>>],
    cover: Option<Rect<f64>>,
) -> Option<(Geometries, Rect<f64>)> {
    let cover = cover?;
    let (parts, kept, total) = parts_within(projected, &cover);
    (kept * 2 <= total).then_some((parts, cover))
}

/// A layer's geometry cut down to the parts that meet `cover` ([`part_within`]; feature
/// indices unchanged), with the input vertices kept and of the whole layer.
pub fn parts_within(
    projected: &[Option<Geometry<f64>>],
    cover: &Rect<f64>,
) -> (Geometries, usize, usize) {
    let total = projected
        .par_iter()
        .flatten()
        .map(|g| g.coords_count())
        .sum();
    let parts: Vec<Option<Geometry<f64>>> = projected
        .par_iter()
        .map(|g| part_within(g.as_ref()?, cover))
        .collect();
    let kept = parts.par_iter().flatten().map(|g| g.coords_count()).sum();
    (parts, kept, total)
}

/// The ladder's tolerance for a view at `scale` physical px per km: the coarsest whose error
/// stays within [`LEVEL_ERROR_PX`]; 0 (full detail) when even the finest would not.
pub fn tolerance_for(scale: f64) -> f64 {
    let t = LEVEL_ERROR_PX / scale;
    if t.is_nan() || t < FINEST_KM {
        return 0.0;
    }
    let step = ((t / FINEST_KM).log2().floor() as i32).clamp(0, LADDER - 1);
    FINEST_KM * 2f64.powi(step)
}

/// Whether simplifying can change any of a layer's geometry. A layer of points only draws
/// the same at every level (its markers keep their size on screen), so the level it has
/// serves every view exactly: a GeoNames file of villages needs no finer level, nor a part of
/// one, when the view zooms in.
pub fn simplifies(projected: &[Option<Geometry<f64>>]) -> bool {
    fn has_lines(g: &Geometry<f64>) -> bool {
        match g {
            Geometry::Point(_) | Geometry::MultiPoint(_) => false,
            Geometry::GeometryCollection(c) => c.iter().any(has_lines),
            _ => true,
        }
    }
    projected.par_iter().flatten().any(has_lines)
}

/// Whether a layer is made level by level rather than tessellated in full.
pub fn is_heavy(projected: &[Option<Geometry<f64>>]) -> bool {
    !disabled()
        && projected
            .par_iter()
            .flatten()
            .map(|g| g.coords_count())
            .sum::<usize>()
            >= HEAVY_VERTICES
}

/// Tessellates a layer for its first view at `scale` physical px per km (`None`: in full, for
/// layers made before the window has a view): a heavy layer gets the level that view needs,
/// returned with the layer's mesh left empty; a light one gets its full mesh (kept if it has
/// one) and `None`.
pub fn first_level(layer: &mut MapLayer, scale: Option<f64>) -> Option<Level<Mesh>> {
    if let Some(tolerance_km) = first_tolerance(layer, scale) {
        layer.tessellate(tolerance_km);
        return Some(Level {
            tolerance_km,
            mesh: std::mem::take(&mut layer.mesh),
            used: 0,
            streamed: false,
            lossy: false,
            covers: None,
        });
    }
    if layer.mesh.vertices.is_empty() {
        layer.tessellate(0.0);
    }
    None
}

/// The tolerance of a heavy layer's first level for a view at `scale` (see [`first_level`]);
/// `None` for a light layer, or without a view.
pub fn first_tolerance(layer: &MapLayer, scale: Option<f64>) -> Option<f64> {
    let scale = scale?;
    is_heavy(&layer.projected).then(|| tolerance_for(scale))
}

/// The mesh of one level of a layer's geometry and styles, whole (the window makes its levels
/// a batch at a time, `gpu::Uploader::tessellate_upload`; the tests compare against this).
pub fn level_mesh(
    projected: &[Option<Geometry<f64>>],
    styles: &[FeatureStyle],
    tolerance_km: f64,
) -> Mesh {
    tessellate(&tess_inputs(projected, styles), tolerance_km)
}

/// The mesh of a level of the part `parts` ([`parts_within`]) of a layer, chunked and stacked
/// as the whole layer's level (the window makes its parts a batch at a time,
/// `gpu::Uploader::tessellate_upload_as`; the tests compare against this).
pub fn part_mesh(
    projected: &[Option<Geometry<f64>>],
    parts: &[Option<Geometry<f64>>],
    styles: &[FeatureStyle],
    tolerance_km: f64,
) -> Mesh {
    let whole = tess_inputs(projected, styles);
    tessellate_as(&part_inputs(&whole, parts), &whole, tolerance_km)
}

/// Which of the levels made to draw at `scale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// Index into the levels given.
    pub index: usize,
    /// The level is within [`LEVEL_ERROR_PX`] at this scale.
    pub exact: bool,
    /// The ladder's level for this scale, when it is not among those given: to be made.
    pub missing: Option<f64>,
}

/// The coarsest level made that is exact at `scale` (a finer one is exact too, only slower);
/// failing that, the finest one stands in. `None` when no level is made. The ladder's level for
/// the scale is asked for unless made, or unless an exact one is only one step finer: drawing
/// that costs little more, and a level that arrives restarts a heavy map's drawing.
pub fn choose(made: &[f64], scale: f64) -> Option<Choice> {
    let want = tolerance_for(scale);
    let exact = made
        .iter()
        .enumerate()
        .filter(|(_, &t)| t <= want)
        .max_by(|a, b| a.1.total_cmp(b.1));
    if let Some((index, &t)) = exact {
        return Some(Choice {
            index,
            exact: true,
            missing: (t < want / 2.0).then_some(want),
        });
    }
    let finest = made.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
    Some(Choice {
        index: finest.0,
        exact: false,
        missing: Some(want),
    })
}

/// Drops the levels used longest ago, but never `keep`, until the levels' bytes fit the
/// budget and no more than `max_partial` partial ones are left. `levels`: (last used frame,
/// bytes, partial). Returns the indices removed, in removal order (indices into the list as it
/// was).
pub fn evict(
    levels: &[(u64, u64, bool)],
    keep: &[usize],
    budget: u64,
    max_partial: usize,
) -> Vec<usize> {
    let mut total: u64 = levels.iter().map(|l| l.1).sum();
    let mut partial = levels.iter().filter(|l| l.2).count();
    let mut order: Vec<usize> = (0..levels.len()).filter(|i| !keep.contains(i)).collect();
    order.sort_by_key(|&i| levels[i].0);
    let mut gone = Vec::new();
    for i in order {
        let (_, bytes, is_partial) = levels[i];
        if total > budget || (is_partial && partial > max_partial) {
            total -= bytes;
            partial -= usize::from(is_partial);
            gone.push(i);
        }
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::layer::LayerKind;
    use crate::map::project::Projection;

    fn heavy() -> MapLayer {
        // 60 circles of 1000 vertices each.
        let mut s = String::from(r#"{"type":"FeatureCollection","features":["#);
        for i in 0..60 {
            let (cx, cy) = (41.0 + (i % 20) as f64 * 0.4, 39.0 + (i / 20) as f64 * 0.4);
            let ring: Vec<String> = (0..=1000)
                .map(|k| {
                    let a = std::f64::consts::TAU * (k % 1000) as f64 / 1000.0;
                    format!("[{},{}]", cx + 0.1 * a.cos(), cy + 0.1 * a.sin())
                })
                .collect();
            if i > 0 {
                s.push(',');
            }
            s.push_str(&format!(
                r#"{{"type":"Feature","properties":{{"name":"c{i}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                ring.join(",")
            ));
        }
        s.push_str("]}");
        let file = crate::map::load::parse_str(&s, "heavy.geojson").unwrap();
        MapLayer::project("heavy", LayerKind::Overlay, file, &Projection::default())
    }

    #[test]
    fn a_heavy_layer_is_made_at_its_first_views_level_with_the_same_features() {
        let mut l = heavy();
        assert!(is_heavy(&l.projected));
        // Fitted to 800 px: about 0.35 km per pixel.
        let scale = 800.0 / l.bounds.unwrap().width();
        let first = first_level(&mut l, Some(scale)).expect("a heavy layer gets a level");
        assert!(l.mesh.vertices.is_empty(), "no full mesh is made up front");
        assert_eq!(first.tolerance_km, tolerance_for(scale));
        assert!(first.tolerance_km * scale <= LEVEL_ERROR_PX);
        assert!(
            first.tolerance_km * scale * 2.0 > LEVEL_ERROR_PX,
            "the coarsest that fits"
        );
        let full = level_mesh(&l.projected, &l.styles, 0.0);
        let coarse = level_mesh(&l.projected, &l.styles, tolerance_for(scale / 8.0));
        assert_eq!(
            first.mesh.indices.len(),
            level_mesh(&l.projected, &l.styles, first.tolerance_km)
                .indices
                .len()
        );
        assert!(coarse.indices.len() < first.mesh.indices.len());
        assert!(first.mesh.indices.len() < full.indices.len());
        // Every vertex refers to one of the layer's features.
        assert!(coarse
            .vertices
            .iter()
            .all(|v| (v.feature() as usize) < l.features.len()));
    }

    #[test]
    fn a_stand_in_keeps_the_biggest_features_within_its_budget() {
        let mut l = heavy();
        // Three times bigger circles in the first ten.
        let mut projected: Vec<Option<Geometry<f64>>> = (*l.projected).clone();
        for g in projected.iter_mut().take(10).flatten() {
            use geo::Scale;
            *g = g.scale(3.0);
        }
        l.projected = std::sync::Arc::new(projected);
        // A budget for the ten big ones and a few more.
        let (t, g) = stand_in(&l.projected, 0.0125, 600);
        assert_eq!(t, 0.0125 * STAND_IN_COARSER);
        assert_eq!(g.len(), l.projected.len(), "feature indices unchanged");
        let kept: usize = g.iter().flatten().map(|g| g.coords_count()).sum();
        assert!(kept <= 600, "{kept}");
        // The big ones are all there, simplified; some small ones are left out.
        assert!(g[..10].iter().all(Option::is_some));
        assert!(g[10..].iter().any(Option::is_none));
        let big = g[0].as_ref().unwrap().coords_count();
        assert!(big < 1001, "simplified: {big}");
        // And a sampled estimate is near the count.
        let exact: usize = l
            .projected
            .iter()
            .flatten()
            .map(|g| simplify(g, 0.2).coords_count())
            .sum();
        let estimate = level_vertices(&l.projected, 0.2);
        assert!(
            estimate.abs_diff(exact) * 10 < exact,
            "{estimate} for {exact}"
        );
    }

    #[test]
    fn a_point_layer_stands_in_with_markers_spread_through_the_file() {
        // 2,000 points, a budget of 1,000 input vertices: 100 markers (MARKER_COST 10), every
        // 20th point, from the file's start to its end.
        let projected: Vec<Option<Geometry<f64>>> = (0..2000)
            .map(|i| Some(Geometry::Point(geo::Point::new(i as f64, 0.0))))
            .collect();
        let (_, kept) = stand_in(&projected, 0.1, 1000);
        let at: Vec<usize> = (0..kept.len()).filter(|&i| kept[i].is_some()).collect();
        assert_eq!(at.len(), 1000 / MARKER_COST, "{at:?}");
        assert_eq!(at[0], 0);
        assert!(at.windows(2).all(|w| w[1] - w[0] == 20), "{at:?}");
        assert!(
            *at.last().unwrap() >= 1900,
            "spread to the file's end: {at:?}"
        );
    }

    #[test]
    fn a_layer_of_points_draws_the_same_at_every_level() {
        let mut s = String::from(r#"{"type":"FeatureCollection","features":["#);
        for i in 0..400 {
            let (x, y) = (40.0 + (i % 20) as f64 * 0.5, 38.0 + (i / 20) as f64 * 0.25);
            let g = match i % 3 {
                0 => format!(r#"{{"type":"Point","coordinates":[{x},{y}]}}"#),
                1 => format!(
                    r#"{{"type":"MultiPoint","coordinates":[[{x},{y}],[{},{y}]]}}"#,
                    x + 0.01
                ),
                _ => format!(
                    r#"{{"type":"GeometryCollection","geometries":[{{"type":"Point","coordinates":[{x},{y}]}}]}}"#
                ),
            };
            s.push_str(&format!(
                r#"{}{{"type":"Feature","properties":{{}},"geometry":{g}}}"#,
                if i > 0 { "," } else { "" }
            ));
        }
        s.push_str("]}");
        let file = crate::map::load::parse_str(&s, "points.geojson").unwrap();
        let l = MapLayer::project("points", LayerKind::Overlay, file, &Projection::default());
        assert!(!simplifies(&l.projected));
        let full = level_mesh(&l.projected, &l.styles, 0.0);
        for t in [FINEST_KM, 1.0, COARSEST_KM] {
            let level = level_mesh(&l.projected, &l.styles, t);
            assert_eq!(level.indices, full.indices, "{t} km");
            assert!(level.vertices == full.vertices, "{t} km");
        }
        // One line among them, and levels may differ.
        assert!(simplifies(&heavy().projected));
    }

    #[test]
    fn light_layers_are_tessellated_in_full() {
        let file = crate::map::load::parse_str(
            r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[44,40]}}"#,
            "p.geojson",
        )
        .unwrap();
        let mut l = MapLayer::project("p", LayerKind::Overlay, file, &Projection::default());
        assert!(first_level(&mut l, Some(1.0)).is_none());
        assert!(!l.mesh.vertices.is_empty());
    }

    #[test]
    fn the_ladder_gives_the_coarsest_tolerance_within_the_error() {
        for scale in [0.01, 0.1, 0.7, 3.0, 4.9] {
            let t = tolerance_for(scale);
            assert!(
                t * scale <= LEVEL_ERROR_PX && t * scale * 2.0 > LEVEL_ERROR_PX,
                "{scale}: {t}"
            );
        }
        assert_eq!(tolerance_for(1000.0), 0.0, "full detail zoomed far in");
        assert_eq!(tolerance_for(1e-6), COARSEST_KM);
        assert_eq!(COARSEST_KM, 25.6);
    }

    #[test]
    fn a_missing_level_is_asked_for_and_the_nearest_stands_in() {
        let scale = 0.7;
        let want = tolerance_for(scale);
        // Only coarser levels made: the finest of them stands in.
        let c = choose(&[want * 4.0, want * 2.0], scale).unwrap();
        assert_eq!((c.index, c.exact, c.missing), (1, false, Some(want)));
        // A finer one is exact (only slower): one step finer is kept, two steps ask for it.
        let c = choose(&[want * 2.0, 0.0, want / 2.0], scale).unwrap();
        assert_eq!((c.index, c.exact, c.missing), (2, true, None));
        let c = choose(&[want * 2.0, want / 4.0], scale).unwrap();
        assert_eq!((c.index, c.exact, c.missing), (1, true, Some(want)));
        let c = choose(&[0.0], scale).unwrap();
        assert_eq!((c.index, c.exact, c.missing), (0, true, Some(want)));
        let c = choose(&[want * 2.0, want], scale).unwrap();
        assert_eq!((c.index, c.exact, c.missing), (1, true, None));
        assert!(choose(&[], scale).is_none());
    }

    #[test]
    fn eviction_drops_the_longest_unused_levels_down_to_the_budget() {
        // (last used frame, bytes, partial)
        let levels = [
            (5, 100, false),
            (1, 100, false),
            (9, 100, false),
            (3, 100, false),
        ];
        assert_eq!(evict(&levels, &[2], 250, 9), vec![1, 3]);
        assert_eq!(evict(&levels, &[1], 250, 9), vec![3, 0]);
        assert!(evict(&levels, &[], 400, 9).is_empty());
        assert_eq!(evict(&levels, &[0, 1, 2, 3], 0, 9), Vec::<usize>::new());
        // Partial levels past their count go, the longest unused first, whatever the bytes.
        let levels = [(5, 10, true), (1, 10, true), (9, 10, false), (3, 10, true)];
        assert_eq!(evict(&levels, &[], 1000, 1), vec![1, 3]);
        assert_eq!(evict(&levels, &[1], 1000, 1), vec![3, 0]);
        assert!(evict(&levels, &[], 1000, 3).is_empty());
    }

    #[test]
    fn a_part_keeps_the_pieces_of_features_near_it_and_every_feature_index() {
        use geo::{coord, line_string, point, polygon, GeometryCollection, MultiPolygon};
        let square = |x: f64| polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)];
        let cover = Rect::new(coord! { x: -5.0, y: -5.0 }, coord! { x: 5.0, y: 5.0 });
        let projected = vec![
            // A country and its far islands: the mainland is kept, alone.
            Some(Geometry::MultiPolygon(MultiPolygon(vec![
                square(0.0),
                square(100.0),
                square(3.0),
            ]))),
            // Far away: left out, its index kept.
            Some(Geometry::Polygon(square(50.0))),
            None,
            // A line through the part is kept whole, a point outside is not.
            Some(Geometry::LineString(
                line_string![(x: -100.0, y: 0.5), (x: 100.0, y: 0.5)],
            )),
            Some(Geometry::Point(point!(x: 9.0, y: 9.0))),
            Some(Geometry::GeometryCollection(GeometryCollection(vec![
                Geometry::Point(point!(x: 1.0, y: 1.0)),
                Geometry::Point(point!(x: 90.0, y: 1.0)),
            ]))),
        ];
        let (parts, kept, total) = parts_within(&projected, &cover);
        assert_eq!(parts.len(), projected.len(), "feature indices unchanged");
        match &parts[0] {
            Some(Geometry::MultiPolygon(m)) => assert_eq!(m.0, vec![square(0.0), square(3.0)]),
            other => panic!("the mainland and the near island: {other:?}"),
        }
        assert!(parts[1].is_none() && parts[2].is_none() && parts[4].is_none());
        assert_eq!(parts[3], projected[3]);
        match &parts[5] {
            Some(Geometry::GeometryCollection(c)) => assert_eq!(c.0.len(), 1),
            other => panic!("the near member: {other:?}"),
        }
        assert_eq!(total, 15 + 5 + 2 + 1 + 2);
        assert_eq!(kept, 10 + 2 + 1);
    }

    #[test]
    fn a_view_asks_for_the_part_around_it_and_a_level_of_it_serves_the_views_it_holds() {
        let mut camera = Camera::new([1000, 500], 1.0);
        camera.center = [0.0, 0.0];
        camera.scale = 1.0; // 1,000 by 500 km in view
        let world = Rect::new(coord(-20_000.0, -10_000.0), coord(20_000.0, 10_000.0));
        let cover = coverage_for(&camera, 10.0, Some(world)).expect("the world is far bigger");
        // The view and a view's width and a half around it, and 64 px.
        assert_eq!(cover.to_array(), [-2064.0, -1814.0, 2064.0, 1814.0]);
        // A layer the part would hold whole is asked for whole.
        let near = Rect::new(coord(-900.0, -900.0), coord(900.0, 900.0));
        assert_eq!(coverage_for(&camera, 10.0, Some(near)), None);
        // Strokes that reach further ask for more around the view.
        let wide = coverage_for(&camera, 100.0, Some(world)).unwrap();
        assert_eq!(wide.to_array(), [-2100.0, -1850.0, 2100.0, 1850.0]);
        // However small the window, a part holds what its view needs.
        for size in [[1, 1], [3, 40], [50, 20]] {
            let mut tiny = Camera::new(size, 1.0);
            tiny.scale = 0.01;
            let c = coverage_for(&tiny, 10.0, Some(world)).unwrap();
            assert!(c.holds(&needs(&tiny, 10.0)), "{size:?}");
        }
        let needs = |c: &Camera| needs(c, 10.0);
        let level = Level {
            tolerance_km: 0.05,
            mesh: (),
            used: 0,
            streamed: false,
            lossy: false,
            covers: Some(cover),
        };
        assert!(level.covers(&needs(&camera)));
        let want = Want {
            tolerance_km: 0.05,
            covers: Some(cover),
        };
        assert!(want.serves(0.05, &needs(&camera)));
        assert!(!want.serves(0.1, &needs(&camera)), "another tolerance");
        // A pan of a view's width is still held with its slack (a quarter of the view and 64
        // px); a pan of a view and a half is not.
        camera.center[0] += 1000.0;
        assert!(level.covers(&needs(&camera)) && want.serves(0.05, &needs(&camera)));
        camera.center[0] += 500.0;
        assert!(!level.covers(&needs(&camera)) && !want.serves(0.05, &needs(&camera)));
        // A whole level serves every view.
        let whole = Level {
            covers: None,
            ..level
        };
        assert!(whole.covers(&needs(&camera)));
    }

    fn coord(x: f64, y: f64) -> geo::Coord<f64> {
        geo::coord! { x: x, y: y }
    }
}
