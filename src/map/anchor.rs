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
    let r = p.bounding_rect()?;
    if quick {
        if let Some(c) = p.centroid().filter(|c| p.contains(c)) {
            return Some(Anchor::Inside([c.x(), c.y()]));
        }
        // A ring around a hole at its centroid (a quarter of a synthetic 100 MB file's
        // polygons): polylabel for each took 2.5 s of its opening.
        if let Some(c) = widest_run(p, r.center().y) {
            return Some(Anchor::Inside(c));
        }
    }
    // A precision of 1/60 of the size is plenty for a label, and keeps files of many thousand
    // polygons quick to open.
    let tolerance = (r.width().max(r.height()) / 60.0).max(1e-6);
    let c = polylabel::polylabel(p, &tolerance).ok()?;
    Some(Anchor::Inside([c.x(), c.y()]))
}

/// The middle of the widest stretch of the polygon along the horizontal line at `y` (even-odd
/// crossings of every ring, holes included): inside it, in one pass over the vertices.
fn widest_run(p: &Polygon<f64>, y: f64) -> Option<[f64; 2]> {
    let mut xs: Vec<f64> = std::iter::once(p.exterior())
        .chain(p.interiors())
        .flat_map(|ring| ring.lines())
        .filter(|l| (l.start.y > y) != (l.end.y > y))
        .map(|l| l.start.x + (y - l.start.y) / (l.end.y - l.start.y) * (l.end.x - l.start.x))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .filter(|run| run[1] > run[0])
        .map(|run| [(run[0] + run[1]) / 2.0, y])
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, LineString, Point};

    fn square(c: f64, r: f64) -> LineString<f64> {
        LineString::from(vec![
            (c - r, c - r),
            (c + r, c - r),
            (c + r, c + r),
            (c - r, c + r),
            (c - r, c - r),
        ])
    }

    #[test]
    fn a_quick_anchor_of_a_ring_around_a_hole_is_on_the_ring() {
        let ring = Polygon::new(square(0.0, 10.0), vec![square(0.0, 4.0)]);
        let Some(Anchor::Inside(a)) = pole(&ring, true) else {
            panic!("no anchor")
        };
        assert!(ring.contains(&Point::from((a[0], a[1]))), "{a:?}");
        // The middle of the widest stretch across the centre line (not polylabel's answer).
        assert_eq!(a, [7.0, 0.0]);
        // Without a hole the centroid is kept.
        let plain = Polygon::new(square(0.0, 10.0), vec![]);
        assert!(
            matches!(pole(&plain, true), Some(Anchor::Inside([x, y])) if x.abs() < 1e-9 && y.abs() < 1e-9)
        );
    }
}
