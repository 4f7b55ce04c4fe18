//! What a streamed layer would draw that nothing shows. A heavy layer is streamed front to back
//! (its last triangle first, each blended *under* what is there): a pixel that an opaque
//! triangle has covered fully is final, and a triangle all of whose pixels are final draws
//! nothing, so it is dropped before the rasterizer sees it, as are triangles that reach no
//! pixel centre (there is no MSAA: a fragment is made only at a pixel centre inside a
//! triangle). A dense file drawn at its full extent (tens of outlines over every pixel) then
//! costs about what its top layers show, not its whole mesh: the screen bounds the work.
//!
//! The vertex shader's placement of a vertex and the fragment shader's coverage are done here
//! again on the CPU, conservatively: a pixel counts as covered only when its centre lies at
//! least [`MARGIN_PX`] (and the f32 error of the GPU's arithmetic) inside where the shaders give
//! it full opacity, and a triangle is dropped only when every pixel centre of its box, widened
//! by as much, is covered. The picture is the one drawn back to front with every triangle, but
//! for the rounding of blending in the other order.

use std::ops::Range;

use geo::Rect;

use crate::mesh::chunks::{Chunk, Mesh, PerSection, Section};
use crate::mesh::input::TessInput;
use crate::mesh::vertex::{
    FeatureStyle, LayerUniform, MapVertex, KIND_FILL, KIND_FRINGE, KIND_ICON, KIND_MASK,
    KIND_STROKE, NORMAL_RANGE, STROKE_NEGATIVE_SIDE,
};

/// How far inside its shape a pixel centre must lie to count as covered, and outside a
/// triangle's box to be out of it, in px: over the rasterizer's snapping of vertices (1/256 px).
pub const MARGIN_PX: f64 = 1.0 / 64.0;

/// ⌊x⌋ (saturating), without the library call `f64::floor` is on a baseline x86-64.
fn floor(x: f64) -> i64 {
    let t = x as i64;
    t - i64::from(x < t as f64)
}

/// ⌈x⌉ (saturating).
fn ceil(x: f64) -> i64 {
    let t = x as i64;
    t + i64::from(x > t as f64)
}

/// Where a view's pixels are: the vertex shader's transform, on the CPU.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    /// World km at the middle of the view.
    pub center: [f64; 2],
    /// Physical pixels per km.
    pub scale: f64,
    pub size: [u32; 2],
    /// Physical pixels per logical pixel.
    pub pixel_ratio: f32,
}

impl Screen {
    fn px(&self, p: [f64; 2]) -> [f64; 2] {
        [
            (p[0] - self.center[0]) * self.scale + self.size[0] as f64 / 2.0,
            (self.center[1] - p[1]) * self.scale + self.size[1] as f64 / 2.0,
        ]
    }

    /// The GPU's error placing a vertex at `p` (km), px: f32 sums of terms as big as the
    /// position and the centre, each in clip units.
    fn error_px(&self, p: [f64; 2]) -> f64 {
        let terms = p[0].abs() + p[1].abs() + self.center[0].abs() + self.center[1].abs();
        4.0 * f32::EPSILON as f64 * terms * self.scale
    }
}

/// Where a triangle's full opacity is, if it has any.
#[derive(Debug, Clone, Copy)]
enum Core {
    /// Nowhere (a fringe's coverage is at most a half).
    None,
    /// Every pixel centre inside it (fills, marker symbols).
    Inside,
    /// Inside, where the distance across the line (interpolated from ±`reach` at the
    /// vertices, by side) is at most `limit` (strokes).
    Band { limit: f64, reach: f64 },
    /// Inside, within `limit` of the marker's point (the interpolated offset is `half` times
    /// the vertex's normal).
    Disc { limit: f64, half: f64 },
}

/// What a kind of triangle of a feature draws: as the shaders do it.
#[derive(Debug, Clone, Copy)]
struct Paint {
    /// The colour's alpha with the layer's opacity (0: it draws nothing).
    alpha: f32,
    /// Drawn at full opacity where its core is (never for a lit feature: its colour differs).
    opaque: bool,
    /// Pixels a unit normal moves a vertex.
    extrude: f64,
    core: Core,
}

/// The pixels that later triangles cover fully, for one view, and what was dropped.
pub struct Cover<'a> {
    screen: Screen,
    styles: &'a [FeatureStyle],
    layer: LayerUniform,
    /// Logical pixels per km (a style's `min_scale` is in those).
    logical_scale: f32,
    words_per_row: usize,
    bits: Vec<u64>,
    /// The paint of the last triangle's (feature, kind).
    last_paint: Option<((u32, u32), Option<Paint>)>,
    /// Triangles looked at, and dropped.
    pub triangles: u64,
    pub dropped: u64,
    /// Sections of features not tessellated at all, their box being covered.
    pub features_dropped: u64,
}

impl<'a> Cover<'a> {
    /// Nothing covered yet, for a layer drawn with `styles` and `layer`'s state on `screen`.
    pub fn new(screen: Screen, styles: &'a [FeatureStyle], layer: LayerUniform) -> Cover<'a> {
        let words_per_row = (screen.size[0] as usize).div_ceil(64);
        Cover {
            screen,
            styles,
            layer,
            logical_scale: (screen.scale / screen.pixel_ratio as f64) as f32,
            words_per_row,
            bits: vec![0; words_per_row * screen.size[1] as usize],
            last_paint: None,
            triangles: 0,
            dropped: 0,
            features_dropped: 0,
        }
    }

    /// The share of the view's pixels covered so far.
    pub fn covered_share(&self) -> f64 {
        let set: u64 = self.bits.iter().map(|w| w.count_ones() as u64).sum();
        set as f64 / (self.screen.size[0] as f64 * self.screen.size[1] as f64).max(1.0)
    }

    /// `mesh` (one section of a streamed batch) to draw front to back after everything drawn
    /// so far: its triangles last first, without those that draw nothing; one chunk. The pixels
    /// its opaque triangles cover are covered from now on.
    pub fn cull(&mut self, mesh: Mesh) -> Mesh {
        let mut indices = Vec::with_capacity(mesh.indices.len());
        let mut sections = PerSection::<Range<u32>>::default();
        let mut bounds: Option<[f32; 4]> = None;
        for section in Section::ALL.into_iter().rev() {
            let start = indices.len() as u32;
            for chunk in mesh.chunks.iter().rev() {
                let r = &chunk.sections[section];
                for t in (r.start..r.end).step_by(3).rev() {
                    let t = t as usize;
                    let tri = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
                    if self.keeps(&mesh.vertices, tri) {
                        indices.extend(tri);
                    }
                }
                if r.start < r.end {
                    let b = chunk.bounds;
                    bounds = Some(bounds.map_or(b, |a| {
                        [
                            a[0].min(b[0]),
                            a[1].min(b[1]),
                            a[2].max(b[2]),
                            a[3].max(b[3]),
                        ]
                    }));
                }
            }
            sections[section] = start..indices.len() as u32;
        }
        let chunks = if indices.is_empty() {
            Vec::new()
        } else {
            vec![Chunk {
                sections,
                vertices: 0..mesh.vertices.len() as u32,
                bounds: bounds.unwrap_or_default(),
            }]
        };
        Mesh {
            vertices: mesh.vertices,
            indices,
            chunks,
            skipped: mesh.skipped,
        }
    }

    /// Whether `input`'s triangles of `section` would all be dropped: its box (`bounds`, of its
    /// geometry), widened by the most any of them reaches past its geometry, covers no pixel
    /// that is not covered yet.
    pub fn hides(
        &mut self,
        input: &TessInput,
        bounds: Option<Rect<f64>>,
        section: Section,
    ) -> bool {
        let Some(style) = self.styles.get(input.feature as usize) else {
            return false;
        };
        if self.lit(input.feature) {
            return false;
        }
        let pr = self.screen.pixel_ratio as f64;
        let reach = match section {
            Section::Fills => 0.0,
            // A stroke's normal reaches NORMAL_RANGE in x and y at a mitred corner; a fringe's 2.
            Section::Strokes => {
                let w = style.stroke_width as f64 * pr;
                (0.5 * w.max(1.0) + 1.0) * NORMAL_RANGE as f64 * std::f64::consts::SQRT_2
            }
            Section::Markers => style.marker_radius as f64 * pr + 1.0,
        }
        .max(2.0);
        let Some(b) = bounds else {
            return false;
        };
        let (lo, hi) = (b.min(), b.max());
        let a = self.screen.px([lo.x, hi.y]);
        let z = self.screen.px([hi.x, lo.y]);
        let error = self
            .screen
            .error_px([lo.x, lo.y])
            .max(self.screen.error_px([hi.x, hi.y]));
        let pad = reach + MARGIN_PX + error;
        let hidden = match self.pixels([a[0] - pad, a[1] - pad, z[0] + pad, z[1] + pad]) {
            None => true,
            Some(r) => self.covered(r),
        };
        if hidden {
            self.features_dropped += 1;
        }
        hidden
    }

    fn lit(&self, feature: u32) -> bool {
        feature == self.layer.hovered || feature == self.layer.selected
    }

    /// What triangles of `kind` of `feature` draw (as `shaders/map.wgsl`'s `vs_main`).
    fn paint(&self, kind: u32, feature: u32) -> Option<Paint> {
        let s = self.styles.get(feature as usize)?;
        let pr = self.screen.pixel_ratio;
        let lit = self.lit(feature);
        let (mut alpha, extrude, core) = match kind {
            KIND_FILL => (s.fill[3], 0.0, Core::Inside),
            KIND_FRINGE => (s.fill[3], 1.0, Core::None),
            KIND_STROKE => {
                let w = (s.stroke_width + if lit { 2.0 } else { 0.0 }) * pr;
                let half = 0.5 * w.max(1.0);
                let reach = half + 1.0;
                let core = Core::Band {
                    limit: (half - 0.5) as f64,
                    reach: reach as f64,
                };
                (s.stroke[3] * w.min(1.0), reach, core)
            }
            KIND_ICON => {
                let radius = s.marker_radius * pr;
                (s.marker[3], (radius - 2.0).max(1.0) * 0.72, Core::Inside)
            }
            _ => {
                let radius = s.marker_radius * pr;
                let half = radius + 1.0;
                let core = Core::Disc {
                    limit: (radius - 0.5) as f64,
                    half: half as f64,
                };
                (s.marker[3], half, core)
            }
        };
        if lit {
            // Highlighted: another colour, never counted opaque, never dropped for its alpha.
            alpha = alpha.max(0.75);
        }
        if (s.flags & FeatureStyle::HIDDEN) != 0 || self.logical_scale < s.min_scale {
            alpha = 0.0;
        }
        alpha *= self.layer.opacity;
        Some(Paint {
            alpha,
            opaque: !lit && alpha >= 1.0,
            extrude: extrude as f64,
            core,
        })
    }

    /// Whether triangle `tri` of `vertices` draws anything over what is covered; if it does and
    /// is opaque, the pixels it covers fully are covered from now on.
    fn keeps(&mut self, vertices: &[MapVertex], tri: [u32; 3]) -> bool {
        self.triangles += 1;
        let v = tri.map(|i| &vertices[i as usize]);
        // A feature's triangles of a kind come one after the other.
        let key = (v[0].feature(), v[0].kind() & KIND_MASK);
        let paint = match self.last_paint {
            Some((k, paint)) if k == key => paint,
            _ => {
                let paint = self.paint(key.1, key.0);
                self.last_paint = Some((key, paint));
                paint
            }
        };
        let Some(paint) = paint else {
            return true;
        };
        if paint.alpha <= 0.0 {
            self.dropped += 1;
            return false;
        }
        let mut error = 0.0f64;
        let p = v.map(|v| {
            let w = [v.pos[0] as f64, v.pos[1] as f64];
            error = error.max(self.screen.error_px(w));
            let c = self.screen.px(w);
            let n = v.normal();
            [
                c[0] + n[0] as f64 * paint.extrude,
                c[1] - n[1] as f64 * paint.extrude,
            ]
        });
        let margin = MARGIN_PX + error;
        let bbox = [
            p[0][0].min(p[1][0]).min(p[2][0]) - margin,
            p[0][1].min(p[1][1]).min(p[2][1]) - margin,
            p[0][0].max(p[1][0]).max(p[2][0]) + margin,
            p[0][1].max(p[1][1]).max(p[2][1]) + margin,
        ];
        let Some(pixels) = self.pixels(bbox) else {
            self.dropped += 1;
            return false;
        };
        if self.covered(pixels.clone()) {
            self.dropped += 1;
            return false;
        }
        if paint.opaque {
            let aa = |k: usize| match paint.core {
                Core::Band { reach, .. } => {
                    let side = (v[k].kind() & STROKE_NEGATIVE_SIDE) != 0;
                    [if side { -reach } else { reach }, 0.0]
                }
                Core::Disc { half, .. } => {
                    let n = v[k].normal();
                    [n[0] as f64 * half, n[1] as f64 * half]
                }
                _ => [0.0, 0.0],
            };
            self.mark(p, [aa(0), aa(1), aa(2)], paint.core, margin, pixels);
        }
        true
    }

    /// The pixels whose centres lie in `bbox` (px: min x, min y, max x, max y) on the screen:
    /// columns and rows, or `None` when there are none.
    fn pixels(&self, bbox: [f64; 4]) -> Option<[Range<usize>; 2]> {
        let span = |lo: f64, hi: f64, n: u32| {
            let a = ceil(lo - 0.5).max(0);
            let b = (floor(hi - 0.5) + 1).min(n as i64);
            (a < b).then_some(a as usize..b as usize)
        };
        if !bbox.iter().all(|v| v.is_finite()) {
            // Nothing to know: the whole screen.
            return Some([
                0..self.screen.size[0] as usize,
                0..self.screen.size[1] as usize,
            ]);
        }
        Some([
            span(bbox[0], bbox[2], self.screen.size[0])?,
            span(bbox[1], bbox[3], self.screen.size[1])?,
        ])
    }

    /// Whether every pixel of `pixels` is covered.
    fn covered(&self, [xs, ys]: [Range<usize>; 2]) -> bool {
        for y in ys {
            let row = &self.bits[y * self.words_per_row..(y + 1) * self.words_per_row];
            let mut x = xs.start;
            while x < xs.end {
                let (word, bit) = (x / 64, x % 64);
                let n = (64 - bit).min(xs.end - x);
                let want = if n == 64 {
                    u64::MAX
                } else {
                    ((1u64 << n) - 1) << bit
                };
                if row[word] & want != want {
                    return false;
                }
                x += n;
            }
        }
        true
    }

    /// Covers the pixels of `pixels` whose centres are in the core of triangle `p` (px), whose
    /// vertices carry `aa` (the shader's antialiasing values), `margin` inside: a row at a
    /// time, each constraint (inside each edge, within the core) a span of the row.
    fn mark(
        &mut self,
        p: [[f64; 2]; 3],
        aa: [[f64; 2]; 3],
        core: Core,
        margin: f64,
        [xs, ys]: [Range<usize>; 2],
    ) {
        let cross = |o: [f64; 2], a: [f64; 2], b: [f64; 2]| {
            (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
        };
        let area = cross(p[0], p[1], p[2]);
        if matches!(core, Core::None) || area.abs() < 1e-9 {
            return;
        }
        // Barycentric weight k as a linear function of the pixel centre q: a·q.x + b·q.y + c,
        // from the edge across from vertex k. A centre `margin` inside that edge has the
        // weight at least margin × the edge's length / |area|.
        let mut lines = [[0.0f64; 3]; 5];
        let inv = 1.0 / area;
        for k in 0..3 {
            let (a, b) = (p[(k + 1) % 3], p[(k + 2) % 3]);
            // cross(q, a, b) = (a - q) × (b - q), linear in q. |dx| + |dy| is at least the
            // edge's length: the margin only grows.
            let len = (b[0] - a[0]).abs() + (b[1] - a[1]).abs();
            lines[k] = [
                (a[1] - b[1]) * inv,
                (b[0] - a[0]) * inv,
                (a[0] * b[1] - a[1] * b[0]) * inv - margin * len * inv.abs(),
            ];
        }
        let mut n = 3;
        let mut disc = None;
        match core {
            Core::Band { limit, .. } => {
                // aa.x = Σ weight_k aa_k.x, linear too: within ±(limit − margin).
                let at = |i: usize| (0..3).map(|k| lines[k][i] * aa[k][0]).sum::<f64>();
                // The weights' constants lost the margin above: put it back for aa.x.
                let c: f64 = (0..3)
                    .map(|k| {
                        let (a, b) = (p[(k + 1) % 3], p[(k + 2) % 3]);
                        (a[0] * b[1] - a[1] * b[0]) * inv * aa[k][0]
                    })
                    .sum();
                let (ga, gb) = (at(0), at(1));
                let l = limit - margin;
                lines[3] = [-ga, -gb, l - c];
                lines[4] = [ga, gb, l + c];
                n = 5;
            }
            Core::Disc { limit, .. } => {
                // The offset from the marker's point is aa (y up): a circle around it.
                let c = [p[0][0] - aa[0][0], p[0][1] + aa[0][1]];
                disc = Some((c, limit - margin));
            }
            _ => {}
        }
        // Each line bounds x from below (a > 0) or above (a < 0) at x = slope·y + offset; one
        // with a = 0 holds for a row or not.
        let mut below = [(0.0f64, 0.0f64); 5];
        let mut above = [(0.0f64, 0.0f64); 5];
        let mut flat = [(0.0f64, 0.0f64); 5];
        let (mut nb, mut na, mut nf) = (0, 0, 0);
        for l in &lines[..n] {
            if l[0] > 0.0 {
                below[nb] = (-l[1] / l[0], -l[2] / l[0]);
                nb += 1;
            } else if l[0] < 0.0 {
                above[na] = (-l[1] / l[0], -l[2] / l[0]);
                na += 1;
            } else {
                flat[nf] = (l[1], l[2]);
                nf += 1;
            }
        }
        for y in ys {
            let cy = y as f64 + 0.5;
            if flat[..nf].iter().any(|&(b, c)| b * cy + c < 0.0) {
                continue;
            }
            // Pixel centres x + 0.5 in [lo, hi].
            let (mut lo, mut hi) = (xs.start as f64 + 0.5, xs.end as f64 - 0.5);
            for &(slope, offset) in &below[..nb] {
                lo = lo.max(slope * cy + offset);
            }
            for &(slope, offset) in &above[..na] {
                hi = hi.min(slope * cy + offset);
            }
            if let Some((c, r)) = disc {
                let dy = cy - c[1];
                let h2 = r * r - dy * dy;
                if r <= 0.0 || h2 < 0.0 {
                    continue;
                }
                let h = h2.sqrt();
                lo = lo.max(c[0] - h);
                hi = hi.min(c[0] + h);
            }
            if lo.is_nan() || hi.is_nan() || lo > hi {
                continue;
            }
            let x0 = ceil(lo - 0.5).max(xs.start as i64);
            let x1 = (floor(hi - 0.5) + 1).min(xs.end as i64);
            if x1 <= x0 {
                continue;
            }
            self.set_row(y, x0 as usize..x1 as usize);
        }
    }

    /// Covers pixels `xs` of row `y`.
    fn set_row(&mut self, y: usize, xs: Range<usize>) {
        let row = &mut self.bits[y * self.words_per_row..(y + 1) * self.words_per_row];
        let mut x = xs.start;
        while x < xs.end {
            let (word, bit) = (x / 64, x % 64);
            let n = (64 - bit).min(xs.end - x);
            row[word] |= if n == 64 {
                u64::MAX
            } else {
                ((1u64 << n) - 1) << bit
            };
            x += n;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::mesh::tessellate::tessellate;
    use geo::{Geometry, LineString, Polygon};

    pub(crate) fn style(fill_alpha: f32, stroke_alpha: f32, width: f32) -> FeatureStyle {
        FeatureStyle {
            fill: [0.2, 0.4, 0.6, fill_alpha],
            stroke: [0.3, 0.3, 0.3, stroke_alpha],
            marker: [0.0, 0.0, 0.0, 1.0],
            stroke_width: width,
            marker_radius: 4.0,
            flags: 0,
            min_scale: 0.0,
        }
    }

    pub(crate) fn square(x: f64, y: f64, side: f64) -> Geometry<f64> {
        Geometry::Polygon(Polygon::new(
            LineString::from(vec![
                (x, y),
                (x + side, y),
                (x + side, y + side),
                (x, y + side),
            ]),
            vec![],
        ))
    }

    fn unlit() -> LayerUniform {
        LayerUniform {
            opacity: 1.0,
            hovered: u32::MAX,
            selected: u32::MAX,
            over: 0,
        }
    }

    /// 1 px a km, the world's origin at the middle of a 100 px square.
    pub(crate) fn screen() -> Screen {
        Screen {
            center: [0.0, 0.0],
            scale: 1.0,
            size: [100, 100],
            pixel_ratio: 1.0,
        }
    }

    pub(crate) fn inputs_of<'a>(
        geometry: &'a [Geometry<f64>],
        styles: &[FeatureStyle],
    ) -> Vec<TessInput<'a>> {
        geometry
            .iter()
            .zip(styles)
            .enumerate()
            .map(|(i, (g, s))| TessInput {
                geometry: g,
                feature: i as u32,
                fill: s.fill[3] > 0.0,
                outline: s.stroke_width > 0.0 && s.stroke[3] > 0.0,
                icon: None,
            })
            .collect()
    }

    fn mesh_of(geometry: &[Geometry<f64>], styles: &[FeatureStyle]) -> Mesh {
        tessellate(&inputs_of(geometry, styles), 0.0)
    }

    /// A section of a mesh alone, as a streamed batch holds it.
    fn only(mesh: &Mesh, section: Section) -> Mesh {
        let mut m = mesh.clone();
        for c in &mut m.chunks {
            for s in Section::ALL {
                if s != section {
                    c.sections[s] = c.sections[section].start..c.sections[section].start;
                }
            }
        }
        m
    }

    #[test]
    fn an_opaque_fill_hides_what_is_under_it_and_nothing_else() {
        // Feature 0, a small square, lies under feature 1, a big opaque one; feature 2 is
        // beside it. Front to back, the big square comes first. (A pixel centre on an edge
        // between two triangles is not counted covered: the big square's diagonals miss them.)
        let geometry = [
            square(-5.0, -5.0, 10.0),
            square(-20.25, -20.0, 40.0),
            square(30.0, 30.0, 10.0),
        ];
        let styles = [style(1.0, 0.0, 0.0); 3];
        let fills = only(&mesh_of(&geometry, &styles), Section::Fills);
        let mut cover = Cover::new(screen(), &styles, unlit());
        let culled = cover.cull(fills.clone());
        let kept: std::collections::BTreeSet<u32> = culled
            .indices
            .iter()
            .map(|&i| culled.vertices[i as usize].feature())
            .collect();
        assert_eq!(kept, [1, 2].into(), "the small square is hidden");
        assert_eq!(cover.dropped, 2, "its two triangles");
        // The square beside the big one was drawn first, back to front order reversed: the
        // kept triangles come last feature first.
        let first = culled.vertices[culled.indices[0] as usize].feature();
        assert_eq!(first, 2);
        // The big square's 40×40 pixels are covered, not more.
        let share = cover.covered_share();
        assert!((0.15..=0.17).contains(&share), "covered {share}");
    }

    #[test]
    fn a_translucent_fill_hides_nothing() {
        let geometry = [square(-5.0, -5.0, 10.0), square(-20.0, -20.0, 40.0)];
        let styles = [style(0.99, 0.0, 0.0); 2];
        let mut cover = Cover::new(screen(), &styles, unlit());
        let fills = only(&mesh_of(&geometry, &styles), Section::Fills);
        let n: u32 = fills.chunks.iter().map(|c| c.index_count()).sum();
        assert_eq!(cover.cull(fills).indices.len() as u32, n);
        assert_eq!(cover.covered_share(), 0.0);
    }

    #[test]
    fn a_thick_opaque_outline_covers_its_band_only() {
        // A 40 km square outlined 6 px wide: the band's middle 5 px are covered (coverage is
        // full up to half the width less half a pixel), the inside is not.
        let geometry = [square(-20.0, -20.0, 40.0)];
        let styles = [style(0.5, 1.0, 6.0)];
        let strokes = only(&mesh_of(&geometry, &styles), Section::Strokes);
        let mut cover = Cover::new(screen(), &styles, unlit());
        cover.cull(strokes);
        let at = |x: usize, y: usize| cover.covered([x..x + 1, y..y + 1]);
        // The left edge is at x = 30 px; centres 27.5..32.5 are within 2.5 px of it.
        assert!(at(28, 50) && at(29, 50) && at(31, 50), "the band's core");
        assert!(!at(27, 50) && !at(32, 50), "its falloff and beyond");
        assert!(!at(50, 50), "the inside");
    }

    #[test]
    fn hidden_features_and_pixels_off_the_screen_draw_nothing() {
        let geometry = [square(-5.0, -5.0, 10.0), square(500.0, 500.0, 10.0)];
        let mut styles = [style(0.5, 0.0, 0.0); 2];
        styles[0].flags = FeatureStyle::HIDDEN;
        let mut cover = Cover::new(screen(), &styles, unlit());
        let culled = cover.cull(only(&mesh_of(&geometry, &styles), Section::Fills));
        assert_eq!(culled.triangles(), 0);
        assert_eq!(cover.dropped, 4);
    }

    #[test]
    fn a_feature_under_covered_pixels_is_not_tessellated() {
        let geometry = [square(-5.0, -5.0, 10.0), square(-20.25, -20.0, 40.0)];
        let styles = [style(1.0, 1.0, 2.0); 2];
        let mut cover = Cover::new(screen(), &styles, unlit());
        let input = |i: usize| TessInput {
            geometry: &geometry[i],
            feature: i as u32,
            fill: true,
            outline: true,
            icon: None,
        };
        let hides = |cover: &mut Cover, i: usize, section| {
            cover.hides(
                &input(i),
                geo::BoundingRect::bounding_rect(&geometry[i]),
                section,
            )
        };
        assert!(!hides(&mut cover, 0, Section::Fills), "nothing covered yet");
        cover.cull(only(&mesh_of(&geometry[1..], &styles[1..]), Section::Fills));
        assert!(hides(&mut cover, 0, Section::Fills));
        // Its outline reaches past its box by more than the big square leaves around it? No:
        // 15 px of cover on each side is more than a 2 px line's widest corner.
        assert!(hides(&mut cover, 0, Section::Strokes));
        assert!(
            !hides(&mut cover, 1, Section::Strokes),
            "the big square's own outline"
        );
    }

    #[test]
    fn a_big_opaque_marker_hides_a_small_one_under_it() {
        // Three places: a small marker under a big one at the same point, and one beside.
        let geometry = [
            Geometry::Point((0.3, 0.2).into()),
            Geometry::Point((0.3, 0.2).into()),
            Geometry::Point((25.0, 0.0).into()),
        ];
        let mut styles = [style(0.0, 0.0, 0.0); 3];
        styles[0].marker_radius = 3.0;
        styles[1].marker_radius = 8.0;
        let markers = only(&mesh_of(&geometry, &styles), Section::Markers);
        let mut cover = Cover::new(screen(), &styles, unlit());
        let culled = cover.cull(markers);
        let kept: std::collections::BTreeSet<u32> = culled
            .indices
            .iter()
            .map(|&i| culled.vertices[i as usize].feature())
            .collect();
        assert_eq!(kept, [1, 2].into());
        // The big disc's core: within 7.5 px of its point (50.3, 49.8), not its corners.
        let at = |x: usize, y: usize| cover.covered([x..x + 1, y..y + 1]);
        assert!(at(50, 49) && at(56, 49) && at(50, 43));
        assert!(
            !at(57, 55) && !at(44, 43),
            "the quad's corners are outside the disc"
        );
    }
}
