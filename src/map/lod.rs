//! Levels of detail for heavy overlays. A software rasterizer (lavapipe) pays per triangle, and a
//! 1M-vertex file drawn whole at the regional view is mostly sub-pixel slivers. Heavy layers get
//! simplified meshes (`MapLayer::tessellate` with a tolerance in km, on the loading thread); each
//! frame draws the coarsest one whose error stays under a quarter of a pixel (at half a pixel,
//! a level moved 1 % of a synthetic file's pixels by more than a third of their range:
//! `tests/lod_tests.rs`). Feature indices are
//! unchanged, so styles, hover and selection apply to every level; hit testing uses the full
//! geometry.

use crate::map::layer::MapLayer;
use crate::mesh::tessellate::Mesh;

/// The most a level may move a line, in physical pixels, to stand in for the full mesh.
pub const LEVEL_ERROR_PX: f64 = 0.25;

/// Layers with fewer mesh vertices than this are drawn as they are.
pub const MIN_VERTICES: usize = 150_000;
/// Simplification tolerances, km, coarsest first.
pub const TOLERANCES_KM: [f64; 4] = [3.2, 0.8, 0.2, 0.05];

/// `BORDERLENS_NO_LOD=1` draws every layer in full (for comparisons).
pub fn disabled() -> bool {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("BORDERLENS_NO_LOD").is_some_and(|v| v != "0"))
}

/// A simplified mesh (or its upload) and its tolerance.
pub struct Level<M> {
    pub tolerance_km: f64,
    pub mesh: M,
}

/// The simplified meshes of a heavy layer (none for light ones), coarsest first; a level that
/// saves less than a third of the vertices of the next finer one is left out. The layer's own
/// mesh and warnings are left as they were.
pub fn build(layer: &mut MapLayer) -> Vec<Level<Mesh>> {
    build_above(layer, MIN_VERTICES)
}

/// Like [`build`], for a layer whose full mesh of `full` vertices is already gone (uploaded).
pub fn build_for(layer: &mut MapLayer, full: usize) -> Vec<Level<Mesh>> {
    levels(layer, full, MIN_VERTICES)
}

fn build_above(layer: &mut MapLayer, min_vertices: usize) -> Vec<Level<Mesh>> {
    let full = layer.mesh.vertices.len();
    levels(layer, full, min_vertices)
}

fn levels(layer: &mut MapLayer, full: usize, min_vertices: usize) -> Vec<Level<Mesh>> {
    if full < min_vertices {
        return Vec::new();
    }
    let full_mesh = std::mem::take(&mut layer.mesh);
    let warnings = layer.warnings.clone();
    let mut levels = Vec::new();
    let mut finer = full;
    // Mesh sizes follow the simplified vertex counts; counting those first (much cheaper than
    // tessellating) skips the levels that would be left out.
    let full_points = simplified_points(layer, 0.0).max(1);
    for &tol in TOLERANCES_KM.iter().rev() {
        let estimate = full as f64 * simplified_points(layer, tol) as f64 / full_points as f64;
        if estimate >= finer as f64 * 0.67 {
            continue;
        }
        layer.tessellate(tol);
        let mesh = std::mem::take(&mut layer.mesh);
        let n = mesh.vertices.len();
        if (n as f64) < finer as f64 * 0.67 {
            finer = n;
            levels.push(Level {
                tolerance_km: tol,
                mesh,
            });
        }
    }
    layer.mesh = full_mesh;
    layer.warnings = warnings;
    levels.reverse();
    levels
}

/// Vertices of the layer's projected geometry simplified to `tolerance_km` (0: as it is).
fn simplified_points(layer: &MapLayer, tolerance_km: f64) -> usize {
    use geo::CoordsIter;
    use rayon::prelude::*;
    layer
        .projected
        .par_iter()
        .flatten()
        .map(|g| {
            if tolerance_km > 0.0 {
                crate::mesh::tessellate::simplify(g, tolerance_km).coords_count()
            } else {
                g.coords_count()
            }
        })
        .sum()
}

/// Which level to draw at `scale` physical px per km: the coarsest whose tolerance is under
/// [`LEVEL_ERROR_PX`], or `None` for the full layer. `tolerances` are coarsest first.
pub fn choose(tolerances: impl IntoIterator<Item = f64>, scale: f64) -> Option<usize> {
    tolerances
        .into_iter()
        .position(|t| t * scale <= LEVEL_ERROR_PX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::layer::LayerKind;
    use crate::map::project::Projection;

    fn heavy() -> MapLayer {
        // 20 circles of 1000 vertices each.
        let mut s = String::from(r#"{"type":"FeatureCollection","features":["#);
        for i in 0..20 {
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
        MapLayer::build("heavy", LayerKind::Overlay, file, &Projection::default())
    }

    #[test]
    fn heavy_layers_get_coarser_levels_with_the_same_features() {
        let mut l = heavy();
        let full = l.mesh.indices.len();
        let levels = build_above(&mut l, 10_000);
        assert!(!levels.is_empty());
        assert_eq!(l.mesh.indices.len(), full, "the full mesh stays");
        let mut last = 0;
        for lv in &levels {
            let n = lv.mesh.indices.len();
            assert!(n > last, "coarsest first");
            // Every vertex refers to one of the layer's features.
            assert!(lv
                .mesh
                .vertices
                .iter()
                .all(|v| (v.feature() as usize) < l.features.len()));
            last = n;
        }
        assert!(last < full / 2, "{last} vs {full}");
        // Built after the full mesh was uploaded and freed (the loading thread): the same levels.
        let vertices = l.mesh.vertices.len();
        l.mesh = Mesh::default();
        let again = super::levels(&mut l, vertices, 10_000);
        let shape = |ls: &[Level<Mesh>]| -> Vec<(f64, usize)> {
            ls.iter()
                .map(|lv| (lv.tolerance_km, lv.mesh.indices.len()))
                .collect()
        };
        assert_eq!(shape(&again), shape(&levels));
    }

    #[test]
    fn light_layers_have_no_levels() {
        let file = crate::map::load::parse_str(
            r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[44,40]}}"#,
            "p.geojson",
        )
        .unwrap();
        let mut l = MapLayer::build("p", LayerKind::Overlay, file, &Projection::default());
        assert!(build(&mut l).is_empty());
    }

    #[test]
    fn the_coarsest_level_under_a_quarter_pixel_is_chosen() {
        let tol = [3.2, 0.8, 0.2];
        assert_eq!(choose(tol, 0.05), Some(0)); // 0.16 px
        assert_eq!(choose(tol, 0.1), Some(1)); // 0.32 px too much; 0.08 ok
        assert_eq!(choose(tol, 1.0), Some(2)); // 0.8 px too much; 0.2 ok
        assert_eq!(choose(tol, 10.0), None); // full detail
    }
}
