//! Label placement: which names to show at the current view and where, without overlaps.
//! Polygons are labelled at their pole of inaccessibility (`polylabel`) and only when the whole
//! label fits inside them; cities appear by population as the zoom grows (the same thresholds
//! as their markers). Painting goes through egui, in the window and in `render` alike.

use geo::{Contains, Coord, Geometry, MultiPolygon, Point, Polygon};

use crate::map::anchor::{label_text, Anchor};
use crate::map::camera::Camera;
use crate::map::layer::{LayerKind, MapLayer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Country,
    Region,
    Water,
    Capital,
    City,
    Overlay,
}

impl LabelKind {
    /// Font size in logical pixels.
    pub fn font_size(self) -> f32 {
        match self {
            LabelKind::Country => 15.0,
            LabelKind::Region => 12.5,
            LabelKind::Water => 13.0,
            LabelKind::Capital => 13.5,
            LabelKind::City => 11.5,
            LabelKind::Overlay => 12.5,
        }
    }

    /// Text colour (sRGB).
    pub fn color(self) -> [u8; 3] {
        match self {
            LabelKind::Country => [0x4a, 0x3f, 0x3a],
            LabelKind::Region => [0x8c, 0x2f, 0x22],
            LabelKind::Water => [0x2e, 0x5f, 0x8a],
            LabelKind::Capital | LabelKind::City => [0x22, 0x22, 0x22],
            LabelKind::Overlay => [0x10, 0x10, 0x10],
        }
    }
}

/// A label placed on screen: `rect` is [min x, min y, max x, max y] in physical pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub rect: [f32; 4],
    pub kind: LabelKind,
    /// Layer and feature it names.
    pub layer: usize,
    pub feature: usize,
}

impl Label {
    pub fn center(&self) -> [f32; 2] {
        [
            (self.rect[0] + self.rect[2]) / 2.0,
            (self.rect[1] + self.rect[3]) / 2.0,
        ]
    }
}

fn label_kind(layer: LayerKind, f: &crate::map::load::Feature) -> LabelKind {
    match layer {
        LayerKind::Countries => LabelKind::Country,
        LayerKind::Regions => LabelKind::Region,
        LayerKind::Seas | LayerKind::Lakes => LabelKind::Water,
        LayerKind::Places
            if f.properties.get("capital").and_then(|v| v.as_bool()) == Some(true) =>
        {
            LabelKind::Capital
        }
        LayerKind::Places => LabelKind::City,
        _ => LabelKind::Overlay,
    }
}

/// Approximate text size in logical pixels for the default egui font; a little generous, so
/// that labels measured this way never overlap once drawn.
pub fn measure(text: &str, kind: LabelKind) -> [f32; 2] {
    let size = kind.font_size();
    let em = if kind == LabelKind::Country {
        0.66
    } else {
        0.56
    };
    [text.chars().count() as f32 * size * em + 2.0, size * 1.25]
}

/// Overlays with more features than this are not labelled (a big data file is not a story).
const MAX_OVERLAY_LABELS: usize = 500;

struct Candidate {
    priority: (u8, std::cmp::Reverse<u64>),
    layer: usize,
    feature: usize,
    anchor: Anchor,
    text: String,
    kind: LabelKind,
}

/// The labels to draw for `camera`, in priority order, none overlapping another. Layers with
/// `visible[i] == false` get no labels (a missing entry counts as visible).
pub fn place_labels(layers: &[MapLayer], camera: &Camera, visible: &[bool]) -> Vec<Label> {
    let area = [0.0, 0.0, camera.size[0] as f32, camera.size[1] as f32];
    place_labels_within(layers, camera, visible, area)
}

/// [`place_labels`] inside `area` (physical px: x0, y0, x1, y1), e.g. the part of a window that
/// panels leave free.
pub fn place_labels_within<L: std::borrow::Borrow<MapLayer>>(
    layers: &[L],
    camera: &Camera,
    visible: &[bool],
    area: [f32; 4],
) -> Vec<Label> {
    let layers: Vec<&MapLayer> = layers.iter().map(|l| l.borrow()).collect();
    let logical_scale = (camera.scale / camera.pixel_ratio as f64) as f32;
    let ratio = camera.pixel_ratio;
    let mut candidates = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        if !visible.get(li).copied().unwrap_or(true)
            || (layer.kind == LayerKind::Overlay && layer.features.len() > MAX_OVERLAY_LABELS)
        {
            continue;
        }
        for (fi, a) in layer.label_anchors().iter().enumerate() {
            let Some(a) = a else { continue };
            let f = &layer.features[fi];
            let style = &layer.styles[fi];
            if style.flags & crate::mesh::vertex::FeatureStyle::HIDDEN != 0
                || logical_scale < style.min_scale
            {
                continue;
            }
            let Some(text) = label_text(layer.kind, f) else {
                continue;
            };
            let kind = label_kind(layer.kind, f);
            let population = f
                .properties
                .get("population")
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let rank = match kind {
                LabelKind::Overlay => 0,
                LabelKind::Capital => 1,
                LabelKind::Country => 4,
                LabelKind::Water => 3,
                LabelKind::Region => 2,
                LabelKind::City => 5,
            };
            candidates.push(Candidate {
                priority: (rank, std::cmp::Reverse(population)),
                layer: li,
                feature: fi,
                anchor: *a,
                text,
                kind,
            });
        }
    }
    candidates.sort_by_key(|c| c.priority);

    let [x0, y0, w, h] = area;
    let mut placed: Vec<Label> = Vec::new();
    let overlaps = |r: &[f32; 4], placed: &[Label]| {
        placed
            .iter()
            .any(|p| r[0] < p.rect[2] && p.rect[0] < r[2] && r[1] < p.rect[3] && p.rect[1] < r[3])
    };
    let mut named: std::collections::HashSet<String> = std::collections::HashSet::new();
    for c in candidates {
        // An overlay often names what the base map names too: label it once.
        if named.contains(&c.text.to_lowercase()) {
            continue;
        }
        let [tw, th] = measure(&c.text, c.kind).map(|v| v * ratio);
        let rects: Vec<[f32; 4]> = match c.anchor {
            Anchor::Inside(p) => {
                let s = camera.world_to_screen(p);
                let (x, y) = (s[0] as f32, s[1] as f32);
                let mut v = vec![[x - tw / 2.0, y - th / 2.0, x + tw / 2.0, y + th / 2.0]];
                // A big country or sea whose centre is out of view: label the part in view.
                let off_screen = x < x0 || y < y0 || x > w || y > h;
                if off_screen && matches!(c.kind, LabelKind::Country | LabelKind::Water) {
                    if let Some(q) = layers[c.layer].projected[c.feature]
                        .as_ref()
                        .and_then(|g| visible_pole(g, camera, area))
                    {
                        let s = camera.world_to_screen(q);
                        let (x, y) = (s[0] as f32, s[1] as f32);
                        v = vec![[x - tw / 2.0, y - th / 2.0, x + tw / 2.0, y + th / 2.0]];
                    }
                }
                v
            }
            Anchor::Beside(p) => {
                let s = camera.world_to_screen(p);
                let (x, y) = (s[0] as f32, s[1] as f32);
                let gap = 7.0 * ratio;
                // Right of the marker, else left, else above.
                vec![
                    [x + gap, y - th / 2.0, x + gap + tw, y + th / 2.0],
                    [x - gap - tw, y - th / 2.0, x - gap, y + th / 2.0],
                    [x - tw / 2.0, y - gap - th, x + tw / 2.0, y - gap],
                ]
            }
        };
        for r in rects {
            let on_screen = r[0] >= x0 && r[1] >= y0 && r[2] <= w && r[3] <= h;
            if !on_screen || overlaps(&r, &placed) {
                continue;
            }
            if matches!(c.anchor, Anchor::Inside(_))
                && !fits_inside(
                    layers[c.layer].projected[c.feature].as_ref(),
                    &r,
                    camera,
                    c.kind != LabelKind::Region,
                )
            {
                break;
            }
            named.insert(c.text.to_lowercase());
            placed.push(Label {
                text: c.text.clone(),
                rect: r,
                kind: c.kind,
                layer: c.layer,
                feature: c.feature,
            });
            break;
        }
    }
    placed
}

/// Pole of inaccessibility of the part of `g`'s largest polygon that is in view.
fn visible_pole(g: &Geometry<f64>, camera: &Camera, area: [f32; 4]) -> Option<[f64; 2]> {
    use geo::Area;
    let a = camera.screen_to_world([area[0] as f64, area[1] as f64]);
    let b = camera.screen_to_world([area[2] as f64, area[3] as f64]);
    let view = geo::Rect::new(
        geo::coord! {x: a[0], y: a[1]},
        geo::coord! {x: b[0], y: b[1]},
    );
    let polys: Vec<&Polygon<f64>> = match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(MultiPolygon(ps)) => ps.iter().collect(),
        _ => return None,
    };
    let clipped = polys
        .into_iter()
        .map(|p| clip_to_rect(p.exterior(), &view))
        .filter(|r| r.len() >= 4)
        .map(|r| Polygon::new(geo::LineString(r), vec![]))
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let tolerance = 2.0 / camera.scale;
    let c = polylabel::polylabel(&clipped, &tolerance).ok()?;
    Some([c.x(), c.y()])
}

/// Sutherland–Hodgman clipping of a ring to a rectangle (enough for a label position).
fn clip_to_rect(ring: &geo::LineString<f64>, r: &geo::Rect<f64>) -> Vec<Coord<f64>> {
    let (min, max) = (r.min(), r.max());
    let mut pts: Vec<Coord<f64>> = ring.0.clone();
    type Inside = fn(&Coord<f64>, f64) -> bool;
    type Cut = fn(&Coord<f64>, &Coord<f64>, f64) -> Coord<f64>;
    let x_cut: Cut = |a, b, x| Coord {
        x,
        y: a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x),
    };
    let y_cut: Cut = |a, b, y| Coord {
        x: a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y),
        y,
    };
    let edges: [(Inside, Cut, f64); 4] = [
        (|p, v| p.x >= v, x_cut, min.x),
        (|p, v| p.x <= v, x_cut, max.x),
        (|p, v| p.y >= v, y_cut, min.y),
        (|p, v| p.y <= v, y_cut, max.y),
    ];
    for (inside, cut, v) in edges {
        if pts.is_empty() {
            break;
        }
        let input = std::mem::take(&mut pts);
        for i in 0..input.len() {
            let (a, b) = (input[i], input[(i + 1) % input.len()]);
            match (inside(&a, v), inside(&b, v)) {
                (true, true) => pts.push(b),
                (true, false) => pts.push(cut(&a, &b, v)),
                (false, true) => {
                    pts.push(cut(&a, &b, v));
                    pts.push(b);
                }
                (false, false) => {}
            }
        }
    }
    if let Some(&f) = pts.first() {
        pts.push(f);
    }
    pts
}

/// True when the label's corners and edge midpoints all lie inside the polygon.
/// With `strict == false` (the story's regions, small at the region view but they must be named)
/// only the label's vertical middle line must be inside; the ends may overhang.
fn fits_inside(g: Option<&Geometry<f64>>, r: &[f32; 4], camera: &Camera, strict: bool) -> bool {
    let polys: Vec<&Polygon<f64>> = match g {
        Some(Geometry::Polygon(p)) => vec![p],
        Some(Geometry::MultiPolygon(MultiPolygon(ps))) => ps.iter().collect(),
        _ => return false,
    };
    let (mut x0, y0, mut x1, y1) = (r[0] as f64, r[1] as f64, r[2] as f64, r[3] as f64);
    let (xm, ym) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    if !strict {
        (x0, x1) = (xm, xm);
    }
    [
        [x0, y0],
        [x1, y0],
        [x0, y1],
        [x1, y1],
        [xm, y0],
        [xm, y1],
        [x0, ym],
        [x1, ym],
    ]
    .iter()
    .all(|&p| {
        let w = camera.screen_to_world(p);
        let pt = Point(Coord { x: w[0], y: w[1] });
        polys.iter().any(|poly| poly.contains(&pt))
    })
}
