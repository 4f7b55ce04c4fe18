//! Hit testing: which feature of a layer lies under the pointer. An R-tree of feature bounding
//! boxes (built once per layer) finds candidates; an exact test in world km, with tolerances
//! given in screen pixels, decides. No wgpu, no egui.

use geo::{BoundingRect, Contains, Distance, Euclidean, Geometry, LineString, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::map::layer::MapLayer;
use crate::mesh::vertex::FeatureStyle;

/// Extra reach around strokes and markers, in logical pixels, so thin lines can be hovered.
pub const SLOP_PX: f64 = 3.0;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// The bounding boxes of one layer's features.
pub struct HitIndex {
    tree: RTree<Entry>,
}

/// How close a hit is; smaller wins (markers over lines over areas, then nearer / smaller).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Score(u8, f64);

impl HitIndex {
    pub fn build(layer: &MapLayer) -> HitIndex {
        let entries: Vec<Entry> = layer
            .projected
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let r = g.as_ref()?.bounding_rect()?;
                let (a, b) = (r.min(), r.max());
                if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
                    return None;
                }
                Some(GeomWithData::new(
                    Rectangle::from_corners([a.x, a.y], [b.x, b.y]),
                    i as u32,
                ))
            })
            .collect();
        HitIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The feature under world point `p`, at `scale` logical pixels per km; features that are
    /// hidden or not drawn at this zoom are skipped.
    pub fn pick(&self, layer: &MapLayer, p: [f64; 2], scale: f64) -> Option<u32> {
        let scale = scale.max(1e-9);
        // The widest reach any feature can have, in km.
        let reach = (20.0 + SLOP_PX) / scale;
        let env = AABB::from_corners([p[0] - reach, p[1] - reach], [p[0] + reach, p[1] + reach]);
        let point = Point::new(p[0], p[1]);
        let mut best: Option<(Score, u32)> = None;
        for e in self.tree.locate_in_envelope_intersecting(&env) {
            let i = e.data;
            let (Some(Some(g)), Some(style)) = (
                layer.projected.get(i as usize),
                layer.styles.get(i as usize),
            ) else {
                continue;
            };
            if style.flags & FeatureStyle::HIDDEN != 0 || (style.min_scale as f64) > scale {
                continue;
            }
            if let Some(s) = score(g, style, &point, scale) {
                if best.is_none_or(|(b, _)| s < b) {
                    best = Some((s, i));
                }
            }
        }
        best.map(|(_, i)| i)
    }
}

fn score(g: &Geometry<f64>, style: &FeatureStyle, p: &Point<f64>, scale: f64) -> Option<Score> {
    let line_reach = (style.stroke_width as f64 / 2.0 + SLOP_PX) / scale;
    let marker_reach = (style.marker_radius as f64 + SLOP_PX) / scale;
    let has_fill = style.fill[3] > 0.0;
    let has_stroke = style.stroke[3] > 0.0 && style.stroke_width > 0.0;
    let has_marker = style.marker[3] > 0.0 && style.marker_radius > 0.0;
    let mut best: Option<Score> = None;
    let mut offer = |s: Score| {
        if best.is_none_or(|b| s < b) {
            best = Some(s);
        }
    };
    let line = |ls: &LineString<f64>, offer: &mut dyn FnMut(Score)| {
        if has_stroke {
            let d = Euclidean.distance(p, ls);
            if d <= line_reach {
                offer(Score(1, d));
            }
        }
    };
    let poly = |pg: &Polygon<f64>, offer: &mut dyn FnMut(Score)| {
        if has_fill && pg.contains(p) {
            let area = pg
                .bounding_rect()
                .map(|r| r.width() * r.height())
                .unwrap_or(0.0);
            offer(Score(2, area));
        }
        line(pg.exterior(), offer);
        for r in pg.interiors() {
            line(r, offer);
        }
    };
    let pt = |q: &Point<f64>, offer: &mut dyn FnMut(Score)| {
        if has_marker {
            let d = Euclidean.distance(p, q);
            if d <= marker_reach {
                offer(Score(0, d));
            }
        }
    };
    walk(g, &mut |part| match part {
        Part::Point(q) => pt(q, &mut offer),
        Part::Line(ls) => line(ls, &mut offer),
        Part::Polygon(pg) => poly(pg, &mut offer),
    });
    best
}

enum Part<'a> {
    Point(&'a Point<f64>),
    Line(&'a LineString<f64>),
    Polygon(&'a Polygon<f64>),
}

fn walk(g: &Geometry<f64>, f: &mut dyn FnMut(Part<'_>)) {
    match g {
        Geometry::Point(p) => f(Part::Point(p)),
        Geometry::MultiPoint(m) => m.iter().for_each(|p| f(Part::Point(p))),
        Geometry::LineString(l) => f(Part::Line(l)),
        Geometry::MultiLineString(m) => m.iter().for_each(|l| f(Part::Line(l))),
        Geometry::Polygon(p) => f(Part::Polygon(p)),
        Geometry::MultiPolygon(m) => m.iter().for_each(|p| f(Part::Polygon(p))),
        Geometry::GeometryCollection(c) => c.iter().for_each(|g| walk(g, f)),
        Geometry::Line(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {
            // The loader never produces these; test them as the equivalent line or polygon.
            let converted: Option<Geometry<f64>> = match g {
                Geometry::Line(l) => {
                    Some(Geometry::LineString(LineString::from(vec![l.start, l.end])))
                }
                Geometry::Rect(r) => Some(Geometry::Polygon(r.to_polygon())),
                Geometry::Triangle(t) => Some(Geometry::Polygon(t.to_polygon())),
                _ => None,
            };
            if let Some(c) = converted {
                walk(&c, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::layer::LayerKind;
    use crate::map::load::parse_str;
    use crate::map::project::Projection;

    fn layer(json: &str) -> MapLayer {
        let file = parse_str(json, "t.geojson").unwrap();
        MapLayer::build("t", LayerKind::Overlay, file, &Projection::default())
    }

    const FC: &str = r##"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"big"},"geometry":{"type":"Polygon","coordinates":[[[44,40],[45,40],[45,41],[44,41],[44,40]]]}},
      {"type":"Feature","properties":{"name":"small"},"geometry":{"type":"Polygon","coordinates":[[[44.4,40.4],[44.6,40.4],[44.6,40.6],[44.4,40.6],[44.4,40.4]]]}},
      {"type":"Feature","properties":{"name":"road"},"geometry":{"type":"LineString","coordinates":[[43,39],[43,42]]}},
      {"type":"Feature","properties":{"name":"town"},"geometry":{"type":"Point","coordinates":[44.1,40.1]}}
    ]}"##;

    fn world(l: &MapLayer, lon: f64, lat: f64) -> [f64; 2] {
        let _ = l;
        let (x, y) = Projection::default().project(lon, lat).unwrap();
        [x, y]
    }

    #[test]
    fn picks_smallest_area_then_lines_then_markers() {
        let l = layer(FC);
        let h = HitIndex::build(&l);
        assert_eq!(h.len(), 4);
        let scale = 1.0; // 1 logical px per km
                         // Inside both polygons: the smaller wins.
        assert_eq!(h.pick(&l, world(&l, 44.5, 40.5), scale), Some(1));
        // Inside only the big one.
        assert_eq!(h.pick(&l, world(&l, 44.8, 40.8), scale), Some(0));
        // Outside everything.
        assert_eq!(h.pick(&l, world(&l, 47.0, 43.0), scale), None);
        // Near the point marker (within its radius in px at this scale).
        assert_eq!(h.pick(&l, world(&l, 44.1, 40.1), scale), Some(3));
    }

    #[test]
    fn line_tolerance_is_in_pixels() {
        let l = layer(FC);
        let h = HitIndex::build(&l);
        let on = world(&l, 43.0, 40.5);
        // 3 km east of the line: a hit at 2 px/km (6 px < 1 + 3?) no; at 1 px/km: 3 px <= 4 px yes.
        let off = [on[0] + 3.0, on[1]];
        assert_eq!(h.pick(&l, off, 1.0), Some(2));
        assert_eq!(h.pick(&l, off, 10.0), None);
        assert_eq!(h.pick(&l, on, 10.0), Some(2));
    }

    #[test]
    fn hidden_and_zoom_limited_features_are_skipped() {
        let mut l = layer(FC);
        l.styles[1].flags = FeatureStyle::HIDDEN;
        l.styles[0].min_scale = 5.0;
        let h = HitIndex::build(&l);
        assert_eq!(h.pick(&l, world(&l, 44.5, 40.5), 1.0), None);
        assert_eq!(h.pick(&l, world(&l, 44.5, 40.5), 6.0), Some(0));
    }
}
