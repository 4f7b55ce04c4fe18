//! In what order a streamed layer is drawn: back to front with every triangle, or front to
//! back without what the triangles in front hide (`mesh::cover`), which pays only where the view
//! is dense: where opaque cores (outlines, markers) lie several deep over its pixels.

use geo::BoundingRect;

use crate::mesh::cover::Screen;
use crate::mesh::input::TessInput;
use crate::mesh::vertex::FeatureStyle;

/// Core overdraw ([`core_overdraw`]) from which drawing front to back pays on a software
/// rasterizer: the cover's pass costs about a sixth of what lavapipe spends on a triangle it
/// keeps, so it pays where over a fifth of the triangles are hidden. Measured on synthetic files
/// at their full extent (BENCHMARKS.md, round 20): at 1.1 (15 % hidden) and 2.2 (28 %) it
/// was slower, at 3.7 (47 %) faster.
pub const DENSE_OVERDRAW: f64 = 3.0;

/// In what order a streamed layer is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Back to front, every triangle.
    BackToFront,
    /// Front to back without the hidden triangles where the view is dense
    /// ([`DENSE_OVERDRAW`]), else back to front.
    FrontToBackWhenDense,
    /// Front to back without the hidden triangles.
    FrontToBack,
}

impl Order {
    /// Whether `inputs` (styled by `styles`) are drawn front to back on `screen`.
    pub fn front_to_back(
        self,
        inputs: &[TessInput],
        styles: &[FeatureStyle],
        screen: Screen,
    ) -> bool {
        match self {
            Order::BackToFront => false,
            Order::FrontToBack => true,
            Order::FrontToBackWhenDense => core_overdraw(inputs, styles, screen) >= DENSE_OVERDRAW,
        }
    }
}

/// How many times over the view opaque cores would cover it: strokes' length in pixels times
/// their core's width (a line's width less a pixel), and markers' discs (their radius less half
/// a pixel), over the view's pixels, summed over the features whose box meets the view (every
/// 16th of a layer of many, scaled up). Drawing front to back pays where this is high: a dense
/// file at its full extent (outlines, or villages' markers, tens deep), not a sparse one.
pub fn core_overdraw(inputs: &[TessInput], styles: &[FeatureStyle], screen: Screen) -> f64 {
    use rayon::prelude::*;
    let step = if inputs.len() > 256 { 16 } else { 1 };
    let half = [
        screen.size[0] as f64 / 2.0 / screen.scale,
        screen.size[1] as f64 / 2.0 / screen.scale,
    ];
    let area: f64 = inputs
        .par_iter()
        .step_by(step)
        .map(|input| {
            let Some(s) = styles.get(input.feature as usize) else {
                return 0.0;
            };
            if s.flags & FeatureStyle::HIDDEN != 0 {
                return 0.0;
            }
            let in_view = input.geometry.bounding_rect().is_some_and(|b| {
                b.max().x >= screen.center[0] - half[0]
                    && b.min().x <= screen.center[0] + half[0]
                    && b.max().y >= screen.center[1] - half[1]
                    && b.min().y <= screen.center[1] + half[1]
            });
            if !in_view {
                return 0.0;
            }
            let w = (s.stroke_width * screen.pixel_ratio) as f64;
            let lines = if s.stroke[3] >= 1.0 && w >= 1.0 {
                stroked_length(input.geometry, input.outline) * screen.scale * (w - 1.0)
            } else {
                0.0
            };
            let r = (s.marker_radius * screen.pixel_ratio) as f64 - 0.5;
            let markers = if s.marker[3] >= 1.0 && r > 0.0 {
                points(input.geometry) as f64 * std::f64::consts::PI * r * r
            } else {
                0.0
            };
            lines + markers
        })
        .sum();
    area * step as f64 / (screen.size[0] as f64 * screen.size[1] as f64).max(1.0)
}

/// The points of `g` (each a marker).
fn points(g: &geo::Geometry<f64>) -> usize {
    use geo::Geometry as G;
    match g {
        G::Point(_) => 1,
        G::MultiPoint(m) => m.0.len(),
        G::GeometryCollection(c) => c.0.iter().map(points).sum(),
        _ => 0,
    }
}

/// The length of the lines of `g`, and of its polygons' rings if `outlined`, km.
fn stroked_length(g: &geo::Geometry<f64>, outlined: bool) -> f64 {
    use geo::Geometry as G;
    let line = |l: &geo::LineString<f64>| {
        l.0.windows(2)
            .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
            .filter(|d| d.is_finite())
            .sum::<f64>()
    };
    let polygon = |p: &geo::Polygon<f64>| {
        if outlined {
            line(p.exterior()) + p.interiors().iter().map(line).sum::<f64>()
        } else {
            0.0
        }
    };
    match g {
        G::LineString(l) => line(l),
        G::MultiLineString(m) => m.0.iter().map(line).sum(),
        G::Polygon(p) => polygon(p),
        G::MultiPolygon(m) => m.0.iter().map(polygon).sum(),
        G::GeometryCollection(c) => c.0.iter().map(|g| stroked_length(g, outlined)).sum(),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::cover::tests::{inputs_of, screen, square, style};
    use geo::Geometry;

    #[test]
    fn only_a_dense_view_is_drawn_front_to_back() {
        // Squares of 10 km outlined 3 px wide (a core of 2 px), on the 100 px screen at 1 px a
        // km: 40 px of outline each, 80 px² of core, 125 of them over 10,000 px = 1.
        let squares: Vec<Geometry<f64>> = (0..125)
            .map(|i| {
                square(
                    (i % 10) as f64 * 9.0 - 45.0,
                    (i / 10) as f64 * 7.0 - 45.0,
                    10.0,
                )
            })
            .collect();
        let styles = vec![style(0.5, 1.0, 3.0); squares.len()];
        let all = inputs_of(&squares, &styles);
        let overdraw = core_overdraw(&all, &styles, screen());
        assert!((overdraw - 1.0).abs() < 1e-9, "{overdraw}");
        // Four times as wide a core: 4, over DENSE_OVERDRAW.
        let thick = vec![style(0.5, 1.0, 9.0); squares.len()];
        assert!((core_overdraw(&all, &thick, screen()) - 4.0).abs() < 1e-9);
        let dense = Order::FrontToBackWhenDense;
        assert!(!dense.front_to_back(&all, &styles, screen()));
        assert!(dense.front_to_back(&all, &thick, screen()));
        // Translucent outlines hide nothing: never dense.
        let faint = vec![style(0.5, 0.9, 9.0); squares.len()];
        assert!(!dense.front_to_back(&all, &faint, screen()));
        let one = inputs_of(&squares[..1], &styles);
        assert!(Order::FrontToBack.front_to_back(&one, &styles, screen()));
        assert!(!Order::BackToFront.front_to_back(&all, &thick, screen()));
    }

    #[test]
    fn markers_make_a_view_dense_too() {
        // Points with opaque markers of radius 4.5 px: a core disc of 4 px, 16π px² each; 60
        // of them over the 10,000 px screen: 0.30. 600: 3.0, dense.
        let at = |n: usize| -> Vec<Geometry<f64>> {
            (0..n)
                .map(|i| {
                    Geometry::Point(geo::Point::new(
                        (i % 40) as f64 * 2.0 - 40.0,
                        (i / 40) as f64 * 2.0 - 15.0,
                    ))
                })
                .collect()
        };
        let mut marker = style(0.0, 0.0, 0.0);
        marker.marker_radius = 4.5;
        let (few, many) = (at(60), at(600));
        let few_styles = vec![marker; few.len()];
        let many_styles = vec![marker; many.len()];
        let overdraw =
            |g: &[Geometry<f64>], s: &[FeatureStyle]| core_overdraw(&inputs_of(g, s), s, screen());
        let expected = 60.0 * std::f64::consts::PI * 16.0 / 10_000.0;
        assert!(
            (overdraw(&few, &few_styles) - expected).abs() < 1e-9,
            "{}",
            overdraw(&few, &few_styles)
        );
        let dense = Order::FrontToBackWhenDense;
        assert!(!dense.front_to_back(&inputs_of(&few, &few_styles), &few_styles, screen()));
        assert!(dense.front_to_back(&inputs_of(&many, &many_styles), &many_styles, screen()));
        // Translucent markers hide nothing.
        let mut faint = marker;
        faint.marker[3] = 0.8;
        let faint = vec![faint; many.len()];
        assert_eq!(overdraw(&many, &faint), 0.0);
    }
}
