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

use geo::{CoordsIter, Geometry};
use rayon::prelude::*;

use crate::map::layer::{tess_inputs, MapLayer, MAX_ERROR_PX};
use crate::mesh::tessellate::{simplify, tessellate, Mesh};
use crate::mesh::vertex::FeatureStyle;

/// The most a level may move a line, in physical pixels, to stand in for the full mesh: the
/// simplification error `render` allows too (see [`MAX_ERROR_PX`]).
pub const LEVEL_ERROR_PX: f64 = MAX_ERROR_PX;

/// Layers with fewer input vertices than this are tessellated once, in full.
pub const HEAVY_VERTICES: usize = 50_000;
/// The finest simplified level's tolerance, km; each level above is twice as coarse.
pub const FINEST_KM: f64 = 0.0125;
/// Levels in the ladder (the coarsest is 2^(LADDER-1) times the finest: 25.6 km).
pub const LADDER: i32 = 12;
/// GPU bytes of a layer's levels above which the longest unused ones are dropped.
pub const BUDGET_BYTES: u64 = 256 << 20;

/// Input vertices (after simplification) above which a level is not kept on the device: its
/// mesh (about 110 bytes an input vertex, 110 MB here: as much as a 100 MB file) is not made;
/// a view that needs it is drawn into the layer's image straight from the geometry, a batch at
/// a time, as `render` draws (`gpu::Renderer::stream_image`), and a lossy stand-in is drawn
/// meanwhile. Lighter levels are kept: drawn at once when the view comes back to them (a
/// world file's, say).
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
/// [`HOLD_VERTICES`]). A layer within the limit unsimplified is never streamed.
pub fn is_streamed(projected: &[Option<Geometry<f64>>], tolerance_km: f64) -> bool {
    let hold = hold_vertices();
    level_vertices(projected, 0.0) > hold && level_vertices(projected, tolerance_km) > hold
}

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
    let coarsest = FINEST_KM * 2f64.powi(LADDER - 1);
    let t = (view_km * STAND_IN_COARSER).clamp(FINEST_KM, coarsest);
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

/// Drops the levels used longest ago, but never `keep`, until the levels' `bytes` fit the
/// budget. Returns the indices removed, in removal order (indices into the list as it was).
pub fn evict(levels: &[(u64, u64)], keep: &[usize], budget: u64) -> Vec<usize> {
    let mut total: u64 = levels.iter().map(|l| l.1).sum();
    let mut order: Vec<usize> = (0..levels.len()).filter(|i| !keep.contains(i)).collect();
    order.sort_by_key(|&i| levels[i].0);
    let mut gone = Vec::new();
    for i in order {
        if total <= budget {
            break;
        }
        total -= levels[i].1;
        gone.push(i);
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
        assert_eq!(tolerance_for(1e-6), FINEST_KM * 2f64.powi(LADDER - 1));
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
        // (last used frame, bytes)
        let levels = [(5, 100), (1, 100), (9, 100), (3, 100)];
        assert_eq!(evict(&levels, &[2], 250), vec![1, 3]);
        assert_eq!(evict(&levels, &[1], 250), vec![3, 0]);
        assert!(evict(&levels, &[], 400).is_empty());
        assert_eq!(evict(&levels, &[0, 1, 2, 3], 0), Vec::<usize>::new());
    }
}
