//! Lon/lat geometry made ready for a projection: cut at the map's seam (the antimeridian of
//! its central meridian, RFC 7946 §3.1.9) and clipped to the latitudes the projection can show.
//! A ring or line that jumps more than 180° in longitude between two positions, or that uses
//! longitudes beyond ±180°, is unwrapped into one continuous shape and then cut into the parts
//! that fall in each 360° window, each moved back into the map's range. Most geometry needs
//! none of this: one pass over the coordinates finds out, and the geometry is then used as is.

use std::borrow::Cow;

use geo::{
    BooleanOps, Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon, Rect,
};

/// How far past the seam a coordinate may lie and still be on it, degrees.
const SNAP: f64 = 1e-5;

/// What a projection can show: latitudes `south..=north`, longitudes within 180° of `central`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    pub central: f64,
    pub south: f64,
    pub north: f64,
}

impl Domain {
    /// `lon` moved by whole turns into `[central - 180, central + 180]`.
    pub fn wrap(&self, lon: f64) -> f64 {
        let (lo, hi) = (self.central - 180.0, self.central + 180.0);
        if (lo..=hi).contains(&lon) {
            lon
        } else if (lo - SNAP..=hi + SNAP).contains(&lon) {
            // A cut's rounding (the boolean operations are not exact): the edge it was cut at.
            lon.clamp(lo, hi)
        } else {
            lo + (lon - lo).rem_euclid(360.0)
        }
    }
}

/// What one pass over a geometry's coordinates found.
struct Scan {
    out_of_range: bool,
    jumps: bool,
    below: bool,
    above: bool,
}

fn scan(g: &Geometry<f64>, d: &Domain) -> Scan {
    let (lo, hi) = (d.central - 180.0, d.central + 180.0);
    let mut s = Scan {
        out_of_range: false,
        jumps: false,
        below: false,
        above: false,
    };
    let visit_line = |cs: &[Coord<f64>], s: &mut Scan| {
        for (i, c) in cs.iter().enumerate() {
            s.out_of_range |= c.x < lo || c.x > hi;
            s.below |= c.y < d.south;
            s.above |= c.y > d.north;
            if i > 0 && (c.x - cs[i - 1].x).abs() > 180.0 {
                s.jumps = true;
            }
        }
    };
    for_each_line(g, &mut |cs| visit_line(cs, &mut s));
    s
}

/// Calls `f` with every ring, line and point list of `g`.
fn for_each_line(g: &Geometry<f64>, f: &mut impl FnMut(&[Coord<f64>])) {
    match g {
        Geometry::Point(p) => f(&[p.0]),
        Geometry::MultiPoint(mp) => {
            for p in &mp.0 {
                f(&[p.0]);
            }
        }
        Geometry::Line(l) => f(&[l.start, l.end]),
        Geometry::LineString(l) => f(&l.0),
        Geometry::MultiLineString(ml) => ml.0.iter().for_each(|l| f(&l.0)),
        Geometry::Polygon(p) => p.rings().for_each(|r| f(&r.0)),
        Geometry::MultiPolygon(mp) => mp.0.iter().flat_map(|p| p.rings()).for_each(|r| f(&r.0)),
        Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| for_each_line(g, f)),
        Geometry::Rect(r) => f(&r.to_polygon().exterior().0),
        Geometry::Triangle(t) => f(&t.to_polygon().exterior().0),
    }
}

/// `g` cut at the seam and clipped to the domain's latitudes; borrowed when nothing needs
/// doing, `None` when nothing is left.
pub fn prepare<'a>(g: &'a Geometry<f64>, d: &Domain) -> Option<Cow<'a, Geometry<f64>>> {
    let s = scan(g, d);
    if !(s.out_of_range || s.jumps || s.below || s.above) {
        return Some(Cow::Borrowed(g));
    }
    cut(g, d).map(Cow::Owned)
}

fn cut(g: &Geometry<f64>, d: &Domain) -> Option<Geometry<f64>> {
    match g {
        Geometry::Point(p) => point(*p, d).map(Geometry::Point),
        Geometry::MultiPoint(mp) => {
            let pts: Vec<Point<f64>> = mp.0.iter().filter_map(|p| point(*p, d)).collect();
            (!pts.is_empty()).then_some(Geometry::MultiPoint(MultiPoint(pts)))
        }
        Geometry::Line(l) => lines(&[LineString(vec![l.start, l.end])], d),
        Geometry::LineString(l) => lines(std::slice::from_ref(l), d),
        Geometry::MultiLineString(ml) => lines(&ml.0, d),
        Geometry::Polygon(p) => polygons(std::slice::from_ref(p), d),
        Geometry::MultiPolygon(mp) => polygons(&mp.0, d),
        Geometry::Rect(r) => polygons(&[r.to_polygon()], d),
        Geometry::Triangle(t) => polygons(&[t.to_polygon()], d),
        Geometry::GeometryCollection(gc) => {
            let parts: Vec<Geometry<f64>> = gc.0.iter().filter_map(|g| cut(g, d)).collect();
            (!parts.is_empty())
                .then_some(Geometry::GeometryCollection(geo::GeometryCollection(parts)))
        }
    }
}

fn point(p: Point<f64>, d: &Domain) -> Option<Point<f64>> {
    (p.y() >= d.south && p.y() <= d.north && p.x().is_finite())
        .then(|| Point::new(d.wrap(p.x()), p.y()))
}

/// Longitudes made continuous: each step is taken the short way round (under 180°).
fn unwrap(cs: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(cs.len());
    for c in cs {
        let x = match out.last() {
            Some(prev) => prev.x + (c.x - prev.x + 180.0).rem_euclid(360.0) - 180.0,
            None => c.x,
        };
        out.push(Coord { x, y: c.y });
    }
    out
}

/// An unwrapped ring that does not close (it went once round the globe: Antarctica, or a
/// polar cap) is closed through the nearer pole.
fn close_round_pole(mut ring: Vec<Coord<f64>>) -> Vec<Coord<f64>> {
    let (Some(&first), Some(&last)) = (ring.first(), ring.last()) else {
        return ring;
    };
    if (last.x - first.x).abs() < 180.0 {
        return ring;
    }
    let mean_lat = ring.iter().map(|c| c.y).sum::<f64>() / ring.len() as f64;
    let pole = if mean_lat < 0.0 { -90.0 } else { 90.0 };
    ring.push(Coord { x: last.x, y: pole });
    ring.push(Coord {
        x: first.x,
        y: pole,
    });
    ring.push(first);
    ring
}

/// The 360° windows (in unwrapped longitudes) a shape spanning `min..max` touches, each with
/// the shift that brings it back into the map's range.
fn windows(min: f64, max: f64, d: &Domain) -> Vec<(Rect<f64>, f64)> {
    let first = ((min - (d.central - 180.0)) / 360.0).floor() as i64;
    let last = ((max - (d.central - 180.0)) / 360.0).floor() as i64;
    (first.max(-3)..=last.min(3))
        .map(|k| {
            let w = d.central - 180.0 + 360.0 * k as f64;
            (
                Rect::new(
                    Coord { x: w, y: d.south },
                    Coord {
                        x: w + 360.0,
                        y: d.north,
                    },
                ),
                -360.0 * k as f64,
            )
        })
        .collect()
}

fn shifted(c: Coord<f64>, dx: f64) -> Coord<f64> {
    Coord {
        x: c.x + dx,
        y: c.y,
    }
}

/// Moves a cut part back by `dx` and onto the map's range (the cut may land a hair outside).
fn moved_back(l: LineString<f64>, dx: f64, d: &Domain) -> LineString<f64> {
    let (lo, hi) = (d.central - 180.0, d.central + 180.0);
    LineString(
        l.0.into_iter()
            .map(|c| {
                let c = shifted(c, dx);
                Coord {
                    x: c.x.clamp(lo, hi),
                    y: c.y,
                }
            })
            .collect(),
    )
}

fn polygons(polys: &[Polygon<f64>], d: &Domain) -> Option<Geometry<f64>> {
    let mut out: Vec<Polygon<f64>> = Vec::new();
    for p in polys {
        let exterior = close_round_pole(unwrap(&p.exterior().0));
        let Some(x0) = exterior.first().map(|c| c.x) else {
            continue;
        };
        // Holes unwrap on their own, then move by whole turns next to the exterior.
        let holes: Vec<LineString<f64>> = p
            .interiors()
            .iter()
            .map(|h| {
                let h = unwrap(&h.0);
                let dx = h
                    .first()
                    .map_or(0.0, |c| ((x0 - c.x) / 360.0).round() * 360.0);
                LineString(h.into_iter().map(|c| shifted(c, dx)).collect())
            })
            .collect();
        let (min, max) = exterior
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c.x), b.max(c.x)));
        let whole = Polygon::new(LineString(exterior), holes);
        for (window, dx) in windows(min, max, d) {
            for part in whole.intersection(&window.to_polygon()) {
                let (ext, ints) = part.into_inner();
                let holes = ints.into_iter().map(|h| moved_back(h, dx, d)).collect();
                out.push(Polygon::new(moved_back(ext, dx, d), holes));
            }
        }
    }
    match out.len() {
        0 => None,
        1 => out.pop().map(Geometry::Polygon),
        _ => Some(Geometry::MultiPolygon(MultiPolygon(out))),
    }
}

fn lines(ls: &[LineString<f64>], d: &Domain) -> Option<Geometry<f64>> {
    let mut out: Vec<LineString<f64>> = Vec::new();
    for l in ls {
        let u = unwrap(&l.0);
        if u.len() < 2 {
            continue;
        }
        let (min, max) = u
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c.x), b.max(c.x)));
        let whole = MultiLineString(vec![LineString(u)]);
        for (window, dx) in windows(min, max, d) {
            for part in window.to_polygon().clip(&whole, false) {
                if part.0.len() >= 2 {
                    out.push(moved_back(part, dx, d));
                }
            }
        }
    }
    match out.len() {
        0 => None,
        1 => out.pop().map(Geometry::LineString),
        _ => Some(Geometry::MultiLineString(MultiLineString(out))),
    }
}

/// The lon/lat extent of some geometries as `[west, south, east, north]`, following RFC 7946
/// §5.2: when the shapes sit on both sides of the antimeridian with the widest gap elsewhere,
/// `west > east` and the box crosses it.
pub fn lonlat_extent<'a>(geoms: impl IntoIterator<Item = &'a Geometry<f64>>) -> Option<[f64; 4]> {
    let whole = Domain {
        central: 0.0,
        south: -90.0,
        north: 90.0,
    };
    let mut spans: Vec<(f64, f64)> = Vec::new();
    let (mut south, mut north) = (f64::MAX, f64::MIN);
    for g in geoms {
        let Some(g) = prepare(g, &whole) else {
            continue;
        };
        let parts: Vec<&Geometry<f64>> = match g.as_ref() {
            Geometry::MultiPolygon(_) | Geometry::MultiLineString(_) | Geometry::MultiPoint(_) => {
                vec![g.as_ref()]
            }
            other => vec![other],
        };
        for part in parts {
            // One span per polygon, line or point: a part never crosses ±180 once prepared.
            let mut each = |cs: &[Coord<f64>]| {
                let mut span = (f64::MAX, f64::MIN);
                for c in cs.iter().filter(|c| c.x.is_finite() && c.y.is_finite()) {
                    span = (span.0.min(c.x), span.1.max(c.x));
                    south = south.min(c.y);
                    north = north.max(c.y);
                }
                if span.0 <= span.1 {
                    spans.push(span);
                }
            };
            for_each_line(part, &mut each);
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.0 <= m.1 => m.1 = m.1.max(s.1),
            _ => merged.push(s),
        }
    }
    // The widest empty gap on the circle; the extent is everything else.
    let first = merged[0];
    let last = merged[merged.len() - 1];
    let mut best = (first.0 + 360.0 - last.1, last.1, first.0);
    for w in merged.windows(2) {
        let gap = w[1].0 - w[0].1;
        if gap > best.0 {
            best = (gap, w[0].1, w[1].0);
        }
    }
    let (west, east) = (best.2, best.1);
    Some([west, south, east, north])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BoundingRect};

    const WORLD: Domain = Domain {
        central: 0.0,
        south: -90.0,
        north: 90.0,
    };

    fn square(coords: &[(f64, f64)]) -> Geometry<f64> {
        Geometry::Polygon(Polygon::new(
            LineString(coords.iter().map(|&(x, y)| Coord { x, y }).collect()),
            vec![],
        ))
    }

    /// A square near Fiji written with a jump from 178 to -179, as files do.
    fn fiji_square() -> Geometry<f64> {
        square(&[
            (178.0, -17.0),
            (-179.0, -17.0),
            (-179.0, -15.0),
            (178.0, -15.0),
            (178.0, -17.0),
        ])
    }

    #[test]
    fn a_square_across_the_antimeridian_becomes_two_small_parts() {
        let g = fiji_square();
        let cut = prepare(&g, &WORLD).unwrap().into_owned();
        let Geometry::MultiPolygon(mp) = &cut else {
            panic!("{cut:?}")
        };
        assert_eq!(mp.0.len(), 2);
        let area: f64 = mp.0.iter().map(|p| p.unsigned_area()).sum();
        assert!((area - 6.0).abs() < 1e-9, "{area}");
        for p in &mp.0 {
            let r = p.bounding_rect().unwrap();
            assert!(r.width() <= 2.0 + 1e-9, "{r:?}");
        }
        // The same square with longitudes beyond 180.
        let beyond = square(&[
            (178.0, -17.0),
            (181.0, -17.0),
            (181.0, -15.0),
            (178.0, -15.0),
            (178.0, -17.0),
        ]);
        let cut2 = prepare(&beyond, &WORLD).unwrap().into_owned();
        assert_eq!(
            cut.bounding_rect().map(|r| r.width()),
            cut2.bounding_rect().map(|r| r.width())
        );
    }

    #[test]
    fn geometry_inside_the_domain_is_borrowed() {
        let g = square(&[(44.0, 40.0), (45.0, 40.0), (45.0, 41.0), (44.0, 40.0)]);
        assert!(matches!(prepare(&g, &WORLD), Some(Cow::Borrowed(_))));
    }

    #[test]
    fn clipping_keeps_the_parts_inside() {
        let conic = Domain {
            central: 0.0,
            south: -30.0,
            north: 90.0,
        };
        let mp = Geometry::MultiPoint(MultiPoint(vec![
            Point::new(0.0, 90.0),
            Point::new(0.0, -90.0),
            Point::new(44.5, 40.2),
        ]));
        let Some(Cow::Owned(Geometry::MultiPoint(kept))) = prepare(&mp, &conic) else {
            panic!()
        };
        assert_eq!(kept.0, vec![Point::new(0.0, 90.0), Point::new(44.5, 40.2)]);
        // A polygon reaching the south pole is cut at 30°S.
        let g = square(&[
            (10.0, -80.0),
            (20.0, -80.0),
            (20.0, 10.0),
            (10.0, 10.0),
            (10.0, -80.0),
        ]);
        let r = prepare(&g, &conic).unwrap().bounding_rect().unwrap();
        assert!((r.min().y + 30.0).abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn a_ring_round_the_pole_closes_through_it() {
        // Antarctica-like: once round the globe at 70°S, written with a jump.
        let mut ring: Vec<(f64, f64)> = (0..=36)
            .map(|i| (-180.0 + 10.0 * i as f64, -70.0))
            .collect();
        ring.push((-180.0, -70.0));
        let g = square(&ring[..ring.len() - 1]);
        let cut = prepare(&g, &WORLD).unwrap();
        let r = cut.bounding_rect().unwrap();
        assert!(
            (r.min().y + 90.0).abs() < 1e-9 && (r.max().y + 70.0).abs() < 1e-9,
            "{r:?}"
        );
        assert!(r.width() > 359.0, "{r:?}");
    }

    #[test]
    fn extent_crossing_the_antimeridian_has_west_greater_than_east() {
        let g = fiji_square();
        let [w, s, e, n] = lonlat_extent([&g]).unwrap();
        assert_eq!([w, s, e, n], [178.0, -17.0, -179.0, -15.0]);
        let h = square(&[(44.0, 40.0), (45.0, 40.0), (45.0, 41.0), (44.0, 40.0)]);
        assert_eq!(lonlat_extent([&h]), Some([44.0, 40.0, 45.0, 41.0]));
    }

    #[test]
    fn lines_across_the_antimeridian_split() {
        let l = Geometry::LineString(LineString(vec![
            Coord { x: 170.0, y: 60.0 },
            Coord { x: -170.0, y: 62.0 },
        ]));
        let Some(cut) = prepare(&l, &WORLD) else {
            panic!()
        };
        let Geometry::MultiLineString(ml) = cut.as_ref() else {
            panic!("{cut:?}")
        };
        assert_eq!(ml.0.len(), 2);
        for part in &ml.0 {
            let r = part.bounding_rect().unwrap();
            assert!(r.width() <= 10.0 + 1e-9, "{r:?}");
        }
    }
}
