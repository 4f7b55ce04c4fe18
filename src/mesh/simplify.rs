//! Line and ring simplification (Ramer–Douglas–Peucker) before tessellation: a view needs no
//! detail finer than a fraction of its pixel.

use geo::{Coord, Geometry, LineString, Polygon};

/// `g` simplified to `tolerance` (same units); points stay as they are. The same points as
/// geo's `Simplify` (Ramer–Douglas–Peucker) keeps, found without its allocations at every step:
/// `render` simplifies millions of rings.
pub fn simplify(g: &Geometry<f64>, tolerance: f64) -> Geometry<f64> {
    let line = |l: &LineString<f64>| LineString(rdp(&l.0, tolerance, 2));
    // Rings keep at least four points, as in geo.
    let polygon = |p: &Polygon<f64>| {
        Polygon::new(
            LineString(rdp(&p.exterior().0, tolerance, 4)),
            p.interiors()
                .iter()
                .map(|r| LineString(rdp(&r.0, tolerance, 4)))
                .collect(),
        )
    };
    match g {
        Geometry::LineString(l) => Geometry::LineString(line(l)),
        Geometry::MultiLineString(ml) => {
            Geometry::MultiLineString(geo::MultiLineString(ml.0.iter().map(line).collect()))
        }
        Geometry::Polygon(p) => Geometry::Polygon(polygon(p)),
        Geometry::MultiPolygon(mp) => {
            Geometry::MultiPolygon(geo::MultiPolygon(mp.0.iter().map(polygon).collect()))
        }
        Geometry::GeometryCollection(gc) => {
            Geometry::GeometryCollection(gc.iter().map(|g| simplify(g, tolerance)).collect())
        }
        other => other.clone(),
    }
}

/// Ramer–Douglas–Peucker over `pts`, step for step as geo's: the farthest point (the last of
/// equals) splits a run while it lies more than `epsilon` off the run's chord, left run first;
/// a run is not culled where that would leave fewer than `min` points.
fn rdp(pts: &[Coord<f64>], epsilon: f64, min: usize) -> Vec<Coord<f64>> {
    if epsilon <= 0.0 || pts.len() < 3 {
        return pts.to_vec();
    }
    let mut out = Vec::new();
    let mut kept = pts.len();
    // Runs (first, last), inclusive, left on top; each emits its points but its last.
    let mut runs = vec![(0, pts.len() - 1)];
    while let Some((first, last)) = runs.pop() {
        if last - first < 2 {
            out.push(pts[first]);
            continue;
        }
        let (a, b) = (pts[first], pts[last]);
        let (mut far, mut far_distance) = (first, 0.0);
        for (i, p) in pts.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance_squared(*p, a, b);
            if d >= far_distance {
                (far, far_distance) = (i, d);
            }
        }
        // Squared distances: the same farthest point and the same test as geo's distances,
        // without a square root (hypot) per point.
        if far_distance > epsilon * epsilon {
            runs.push((far, last));
            runs.push((first, far));
        } else if kept - (last - first - 1) < min {
            out.extend_from_slice(&pts[first..last]);
        } else {
            kept -= last - first - 1;
            out.push(pts[first]);
        }
    }
    out.push(pts[pts.len() - 1]);
    out
}

/// The squared distance from `p` to the segment `a`–`b` (to `a` where the segment is a point).
fn segment_distance_squared(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (p.x - (a.x + t * dx), p.y - (a.y + t * dy));
    ex * ex + ey * ey
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplification_keeps_the_points_geo_keeps() {
        use geo::Simplify;
        // Jagged lines and rings (a random walk, seeded), at several tolerances.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 2001) as f64 / 1000.0 - 1.0
        };
        // Equally far points: the later one splits.
        let tie = LineString::from(vec![(0.0, 0.0), (1.0, 1.0), (2.0, 1.0), (3.0, 0.0)]);
        assert_eq!(
            simplify(&Geometry::LineString(tie.clone()), 0.5),
            Geometry::LineString(tie.simplify(0.5))
        );
        for n in [0, 1, 2, 3, 4, 5, 9, 40, 300] {
            let mut pts: Vec<geo::Coord<f64>> = Vec::new();
            let (mut x, mut y) = (0.0, 0.0);
            for _ in 0..n {
                (x, y) = (x + next(), y + next());
                pts.push(geo::coord! {x: x, y: y});
            }
            let line = LineString(pts.clone());
            let mut ring = pts;
            if let Some(&p) = ring.first() {
                ring.push(p);
            }
            let poly = Polygon::new(LineString(ring.clone()), vec![LineString(ring)]);
            for eps in [0.0, 0.05, 0.3, 1.0, 5.0, 100.0] {
                assert_eq!(
                    simplify(&Geometry::LineString(line.clone()), eps),
                    Geometry::LineString(line.simplify(eps)),
                    "line of {n} at {eps}"
                );
                assert_eq!(
                    simplify(&Geometry::Polygon(poly.clone()), eps),
                    Geometry::Polygon(poly.simplify(eps)),
                    "ring of {n} at {eps}"
                );
            }
        }
    }
}
