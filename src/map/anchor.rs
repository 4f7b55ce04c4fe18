//! Where each feature's label goes: a polygon's pole of inaccessibility (`polylabel`), beside a
//! point, or the middle of a line; and which features a layer labels at all. Computed once per
//! layer, in world km.

use geo::{Geometry, Polygon};

use crate::map::kind::LayerKind;
use crate::map::load::Feature;

/// Where a feature's label goes, in world km, computed once per layer.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    /// Inside a polygon (pole of inaccessibility of its largest part).
    Inside([f64; 2]),
    /// Beside a point.
    Beside([f64; 2]),
}

/// Layers with more features than this anchor a polygon's label at its centroid when the
/// centroid lies inside it (polylabel only otherwise): polylabel for 200,000 polygons took half a
/// minute, and so many labels mostly do not fit anyway.
const QUICK_ANCHORS_ABOVE: usize = 5_000;

/// Label anchors of a layer's features (`None`: not labelled).
pub fn anchors(
    kind: LayerKind,
    features: &[Feature],
    projected: &[Option<Geometry<f64>>],
) -> Vec<Option<Anchor>> {
    use rayon::prelude::*;
    let quick = features.len() > QUICK_ANCHORS_ABOVE;
    features
        .par_iter()
        .zip(projected)
        .map(|(f, g)| {
            label_text(kind, f)?;
            anchor(g.as_ref()?, quick)
        })
        .collect()
}

fn anchor(g: &Geometry<f64>, quick: bool) -> Option<Anchor> {
    use geo::Area;
    let largest = |polys: &[Polygon<f64>]| {
        polys
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
            .cloned()
    };
    match g {
        Geometry::Point(p) => Some(Anchor::Beside([p.x(), p.y()])),
        Geometry::MultiPoint(mp) => mp.0.first().map(|p| Anchor::Beside([p.x(), p.y()])),
        Geometry::Polygon(p) => pole(p, quick),
        Geometry::MultiPolygon(mp) => pole(&largest(&mp.0)?, quick),
        Geometry::LineString(l) => l.0.get(l.0.len() / 2).map(|c| Anchor::Beside([c.x, c.y])),
        Geometry::MultiLineString(ml) => {
            ml.0.iter()
                .max_by_key(|l| l.0.len())
                .and_then(|l| l.0.get(l.0.len() / 2))
                .map(|c| Anchor::Beside([c.x, c.y]))
        }
        Geometry::GeometryCollection(gc) => gc.0.iter().find_map(|g| anchor(g, quick)),
        _ => None,
    }
}

fn pole(p: &Polygon<f64>, quick: bool) -> Option<Anchor> {
    use geo::{BoundingRect, Centroid, Contains};
    if quick {
        if let Some(c) = p.centroid().filter(|c| p.contains(c)) {
            return Some(Anchor::Inside([c.x(), c.y()]));
        }
    }
    let r = p.bounding_rect()?;
    // A precision of 1/60 of the size is plenty for a label, and keeps files of many thousand
    // polygons quick to open.
    let tolerance = (r.width().max(r.height()) / 60.0).max(1e-6);
    let c = polylabel::polylabel(p, &tolerance).ok()?;
    Some(Anchor::Inside([c.x(), c.y()]))
}

/// The text a feature is labelled with, if its layer labels it.
pub fn label_text(kind: LayerKind, f: &Feature) -> Option<String> {
    let id = f.id.as_deref().unwrap_or("");
    match kind {
        LayerKind::Countries => f.prop_str("name").map(str::to_uppercase),
        LayerKind::Regions => matches!(
            id,
            "nagorno-karabakh" | "nakhchivan" | "abkhazia" | "south-ossetia"
        )
        .then(|| f.prop_str("name").map(str::to_owned))
        .flatten(),
        LayerKind::Seas => f.prop_str("name").map(str::to_owned),
        LayerKind::Lakes => (f.prop_str("kind") == Some("lake")
            && matches!(
                id,
                "lake-sevan" | "lake-van" | "lake-urmia" | "mingachevir-reservoir"
            ))
        .then(|| f.prop_str("name").map(str::to_owned))
        .flatten(),
        LayerKind::Places => f.prop_str("name").map(str::to_owned),
        LayerKind::Overlay => f.name().map(str::to_owned),
        LayerKind::World | LayerKind::Provinces | LayerKind::Borders => None,
    }
}
