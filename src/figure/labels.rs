//! A figure's labels: those the map places, except that a mentioned border's label runs along
//! its line, on the longest stretch the view shows, beside the stroke (not on a country's
//! centroid, where the map's own placement puts it).

use geo::{Geometry, LineString};

use crate::article::EntityKind;
use crate::figure::layout::Area;
use crate::figure::Figure;
use crate::map::camera::Camera;
use crate::map::labels::{place_labels, Label, LabelKind};
use crate::map::layer::LayerKind;
use crate::map::Map;

/// A label along a line: centred at `center` (map pixels), turned by `angle` (radians,
/// clockwise on screen, within ±90° so that it reads left to right).
#[derive(Debug, Clone, PartialEq)]
pub struct LineLabel {
    pub text: String,
    pub center: [f32; 2],
    pub angle: f32,
    /// Font size in pixels.
    pub size: f32,
    pub color: [u8; 3],
}

/// The labels of a figure's map: the map's placement, with mentioned borders moved onto their
/// lines, and none under the legend, scale bar or inset.
pub fn figure_labels(map: &Map, figure: &Figure, visible: &[bool]) -> (Vec<Label>, Vec<LineLabel>) {
    let (mut labels, mut along) = map_labels(map, &figure.camera, visible);
    let l = &figure.layout;
    // The boxes over the map, in the map's pixels.
    let boxes: Vec<Area> = [
        l.legend.as_ref().map(|g| g.area),
        l.scale_bar.as_ref().map(|s| s.area),
        l.inset,
    ]
    .into_iter()
    .flatten()
    .map(|a| Area {
        x: a.x - l.map.x,
        y: a.y - l.map.y,
        ..a
    })
    .collect();
    labels.retain(|lb| {
        let r = Area {
            x: lb.rect[0],
            y: lb.rect[1],
            w: lb.rect[2] - lb.rect[0],
            h: lb.rect[3] - lb.rect[1],
        };
        !boxes.iter().any(|b| b.overlaps(&r))
    });
    along.retain(|a| {
        let half = a.text.chars().count() as f32 * 0.53 * a.size / 2.0;
        let r = Area {
            x: a.center[0] - half,
            y: a.center[1] - half,
            w: 2.0 * half,
            h: 2.0 * half,
        };
        !boxes.iter().any(|b| b.overlaps(&r))
    });
    (labels, along)
}

/// [`figure_labels`] before the figure's boxes are cleared.
fn map_labels(map: &Map, camera: &Camera, visible: &[bool]) -> (Vec<Label>, Vec<LineLabel>) {
    let mut labels = place_labels(&map.layers, camera, visible);
    let mut along = Vec::new();
    for (li, layer) in map.layers.iter().enumerate() {
        let Some(article) = &layer.article else {
            continue;
        };
        if layer.kind != LayerKind::Overlay || !visible.get(li).copied().unwrap_or(true) {
            continue;
        }
        // What a border's label must not cover: the mentioned places' markers and labels.
        let mut avoid: Vec<[f32; 4]> = labels
            .iter()
            .filter(|l| l.kind == LabelKind::Overlay)
            .map(|l| l.rect)
            .collect();
        let r = MARKER_ROOM * camera.pixel_ratio;
        for g in layer.projected.iter().flatten() {
            if let Geometry::Point(p) = g {
                let c = camera.world_to_screen([p.x(), p.y()]);
                let (x, y) = (c[0] as f32, c[1] as f32);
                avoid.push([x - r, y - r, x + r, y + r]);
            }
        }
        for (fi, e) in article.entities.iter().enumerate() {
            if e.kind != EntityKind::Border {
                continue;
            }
            let Some(Some(g)) = layer.projected.get(fi) else {
                continue;
            };
            let size = LabelKind::Overlay.font_size() * camera.pixel_ratio;
            let width = e.name.chars().count() as f32 * 0.53 * size;
            let stroke = layer.styles.get(fi).map_or(2.0, |s| s.stroke_width) * camera.pixel_ratio;
            // A stretch's label may also go on the faint rest of its border.
            let rest = layer
                .features
                .iter()
                .zip(layer.projected.iter())
                .find(|(f, _)| {
                    f.prop_str("part") == Some("rest") && f.prop_str("border") == Some(&e.id)
                })
                .and_then(|(_, g)| g.as_ref());
            // The first spot clear of them, or else the one that covers least of them.
            let covered = |l: &LineLabel| -> usize { avoid.iter().map(|&r| overlap(l, r)).sum() };
            let best = std::iter::once(g)
                .chain(rest)
                .flat_map(|line| SPOTS.iter().map(move |&spot| (line, spot)))
                .filter_map(|(line, (at, side))| {
                    along_line_at(line, camera, &e.name, width, size, stroke, at, side)
                })
                .map(|l| (covered(&l), l))
                .try_fold(None::<(usize, LineLabel)>, |best, (n, l)| {
                    if n == 0 {
                        return Err(l);
                    }
                    Ok(match best {
                        Some((m, b)) if m <= n => Some((m, b)),
                        _ => Some((n, l)),
                    })
                });
            let chosen = match best {
                Err(clear) => Some(clear),
                Ok(least) => least.map(|(_, l)| l),
            };
            if let Some(l) = chosen {
                labels.retain(|x| !(x.layer == li && x.feature == fi));
                along.push(l);
            }
        }
    }
    // Base-map labels the moved ones would cover give way; mentioned ones stay.
    labels.retain(|l| l.kind == LabelKind::Overlay || !along.iter().any(|a| covers(a, l)));
    (labels, along)
}

/// Half the side of the box kept clear around a mentioned place's marker, in logical pixels.
const MARKER_ROOM: f32 = 8.0;

/// Where along its line a border's label may go (share of the visible stretch's length) and on
/// which side, in order of preference: the middle first, then further out, then below.
const SPOTS: [(f64, f32); 10] = [
    (0.5, 1.0),
    (0.5, -1.0),
    (0.35, 1.0),
    (0.65, 1.0),
    (0.35, -1.0),
    (0.65, -1.0),
    (0.2, 1.0),
    (0.8, 1.0),
    (0.2, -1.0),
    (0.8, -1.0),
];

/// Whether the moved label `a` runs over label `l` (points along it, with half a line of room).
fn covers(a: &LineLabel, l: &Label) -> bool {
    covers_rect(a, l.rect)
}

/// Whether the moved label `a` runs over the box `r` (min x, min y, max x, max y).
fn covers_rect(a: &LineLabel, r: [f32; 4]) -> bool {
    overlap(a, r) > 0
}

/// How many of nine points along the moved label `a` fall in the box `r`, with half a line of
/// room.
fn overlap(a: &LineLabel, r: [f32; 4]) -> usize {
    let half = a.text.chars().count() as f32 * 0.53 * a.size / 2.0;
    let (s, c) = a.angle.sin_cos();
    let room = a.size / 2.0;
    (-4..=4)
        .filter(|k| {
            let t = *k as f32 / 4.0 * half;
            let p = [a.center[0] + c * t, a.center[1] + s * t];
            p[0] >= r[0] - room && p[0] <= r[2] + room && p[1] >= r[1] - room && p[1] <= r[3] + room
        })
        .count()
}

/// The label of a line `g` on its longest stretch inside the view, beside the line; `None`
/// when no stretch is as long as the text.
pub fn along_line(
    g: &Geometry<f64>,
    camera: &Camera,
    text: &str,
    width: f32,
    size: f32,
    stroke: f32,
) -> Option<LineLabel> {
    along_line_at(g, camera, text, width, size, stroke, 0.5, 1.0)
}

/// [`along_line`] centred at `at` of the stretch's length (kept so that the text stays on the
/// stretch), above the line for `side` 1 and below it for -1.
#[allow(clippy::too_many_arguments)]
pub fn along_line_at(
    g: &Geometry<f64>,
    camera: &Camera,
    text: &str,
    width: f32,
    size: f32,
    stroke: f32,
    at_share: f64,
    side: f32,
) -> Option<LineLabel> {
    let lines: Vec<&LineString<f64>> = match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(ml) => ml.0.iter().collect(),
        _ => return None,
    };
    let margin = size as f64;
    let (w, h) = (camera.size[0] as f64, camera.size[1] as f64);
    let inside =
        |p: [f64; 2]| p[0] >= margin && p[1] >= margin && p[0] <= w - margin && p[1] <= h - margin;
    // Runs of consecutive on-screen points, in pixels.
    let mut best: Option<(f64, Vec<[f64; 2]>)> = None;
    for l in lines {
        let mut run: Vec<[f64; 2]> = Vec::new();
        let pts = l.0.iter().map(|c| camera.world_to_screen([c.x, c.y]));
        for p in pts.chain(std::iter::once([f64::NAN, f64::NAN])) {
            if p[0].is_finite() && inside(p) {
                run.push(p);
                continue;
            }
            let len: f64 = run.windows(2).map(|s| dist(s[0], s[1])).sum();
            if best.as_ref().is_none_or(|(b, _)| len > *b) {
                best = Some((len, std::mem::take(&mut run)));
            }
            run.clear();
        }
    }
    let (len, run) = best?;
    if len < width as f64 * 1.1 {
        return None;
    }
    // The middle of the stretch, and the direction over the text's length around it.
    let at = |target: f64| -> [f64; 2] {
        let mut walked = 0.0;
        for s in run.windows(2) {
            let d = dist(s[0], s[1]);
            if walked + d >= target && d > 0.0 {
                let t = (target - walked) / d;
                return [
                    s[0][0] + (s[1][0] - s[0][0]) * t,
                    s[0][1] + (s[1][1] - s[0][1]) * t,
                ];
            }
            walked += d;
        }
        run[run.len() - 1]
    };
    let half = width as f64 / 2.0;
    let centre = (len * at_share).clamp(half, len - half);
    let mid = at(centre);
    let (a, b) = (at(centre - half), at(centre + half));
    let mut angle = (b[1] - a[1]).atan2(b[0] - a[0]) as f32;
    if angle > std::f32::consts::FRAC_PI_2 {
        angle -= std::f32::consts::PI;
    } else if angle < -std::f32::consts::FRAC_PI_2 {
        angle += std::f32::consts::PI;
    }
    // Beside the stroke, on the side above the text's baseline.
    let offset = side * (stroke / 2.0 + size * 0.75);
    let (s, c) = angle.sin_cos();
    let normal = [s, -c];
    Some(LineLabel {
        text: text.to_string(),
        center: [
            mid[0] as f32 + normal[0] * offset,
            mid[1] as f32 + normal[1] * offset,
        ],
        angle,
        size,
        color: LabelKind::Overlay.color(),
    })
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (b[0] - a[0]).hypot(b[1] - a[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_label_sits_beside_the_longest_visible_stretch() {
        let camera = Camera::fitting(
            geo::Rect::new(
                geo::coord! {x: 0.0, y: 0.0},
                geo::coord! {x: 100.0, y: 50.0},
            ),
            [1000, 500],
            1.0,
            0.0,
        );
        // A short stretch in view, a gap out of view, then a long horizontal stretch at y = 10 km.
        let g = Geometry::LineString(LineString::from(vec![
            (5.0, 45.0),
            (15.0, 45.0),
            (15.0, 400.0),
            (10.0, 10.0),
            (90.0, 10.0),
        ]));
        let l = along_line(&g, &camera, "A border", 80.0, 14.0, 4.0).unwrap();
        let line_y = camera.world_to_screen([0.0, 10.0])[1] as f32;
        assert!(l.angle.abs() < 1e-3, "{}", l.angle);
        // Centred on the long stretch (x 10..90 km), above the line by the stroke and a bit.
        let mid_x = camera.world_to_screen([50.0, 0.0])[0] as f32;
        assert!((l.center[0] - mid_x).abs() < 1.0, "{:?}", l.center);
        assert!(
            l.center[1] < line_y - 2.0 && l.center[1] > line_y - 20.0,
            "{:?}",
            l.center
        );
        // Too short for its text: no label.
        assert!(along_line(&g, &camera, "A border", 900.0, 14.0, 4.0).is_none());
        // Reads left to right whichever way the line runs.
        let back = Geometry::LineString(LineString::from(vec![(90.0, 10.0), (10.0, 10.0)]));
        let l = along_line(&back, &camera, "A border", 80.0, 14.0, 4.0).unwrap();
        assert!(l.angle.abs() < 1e-3, "{}", l.angle);
    }
}
