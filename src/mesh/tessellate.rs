//! Projected geometry → triangles (lyon). Fills are triangulated; strokes and markers carry a
//! normal that the vertex shader extrudes to a width in screen pixels, so zooming never
//! re-tessellates. No wgpu and no GeoJSON here.

use std::ops::Range;

use geo::{Coord, Geometry, LineString, Polygon};
use lyon::math::point;
use lyon::path::Path;
use lyon::tessellation::{
    BuffersBuilder, FillOptions, FillRule, FillTessellator, FillVertex, LineCap, LineJoin, Side,
    StrokeOptions, StrokeTessellator, StrokeVertex, VertexBuffers,
};
use rayon::prelude::*;

use crate::mesh::vertex::{MapVertex, MAX_FEATURES};

/// Tessellation works in units of 100 m: about a screen pixel when zoomed 10× into the region
/// view. lyon's tolerance and point merging are in these units (never degrees).
pub const UNITS_PER_KM: f32 = 10.0;
/// lyon tolerance in tessellation units (10 m).
pub const TOLERANCE: f32 = 0.1;

/// No projection of the Earth reaches past this (km); larger coordinates are corrupt input, and
/// lyon's fill tessellator can loop on them until memory runs out (found by fuzzing).
pub const MAX_WORLD_KM: f64 = 1.0e5;

pub const KIND_FILL: u32 = 0;
pub const KIND_STROKE: u32 = 1;
pub const KIND_MARKER: u32 = 2;
/// A one-pixel strip outside a fill's edge whose alpha falls to zero: the fill's antialiasing
/// (there is no MSAA; a software rasterizer pays several times over for it).
pub const KIND_FRINGE: u32 = 3;
/// Or-ed into a stroke vertex's kind on lyon's negative side, so the shader knows how far across
/// the line a fragment is.
pub const STROKE_NEGATIVE_SIDE: u32 = 0x10;
/// The longest a fringe's corner may reach, in fringe widths (sharper corners are cut).
const FRINGE_MITER_LIMIT: f64 = 2.0;

/// What to make of one feature's geometry.
#[derive(Clone, Copy)]
pub struct TessInput<'a> {
    /// Projected geometry in world km.
    pub geometry: &'a Geometry<f64>,
    /// Index into the layer's feature style table.
    pub feature: u32,
    pub fill: bool,
    /// Outline polygons (lines are always stroked).
    pub outline: bool,
}

/// Input vertices per chunk of a big layer: enough that draw calls stay few, few enough that a
/// zoomed-in view skips most of the layer.
pub const CHUNK_VERTICES: usize = 8_192;

/// Triangles of a layer, in chunks that are drawn (or culled) as a whole.
#[derive(Debug, Default, Clone)]
pub struct Mesh {
    pub vertices: Vec<MapVertex>,
    pub indices: Vec<u32>,
    pub chunks: Vec<Chunk>,
    /// Features that could not be tessellated: (feature, reason).
    pub skipped: Vec<(u32, String)>,
}

/// A group of features: where its fills, strokes (fill fringes too) and markers are in the index
/// buffer, and the world-km box (min x, min y, max x, max y) their geometry lies in. The index
/// buffer holds every chunk's fills, then every chunk's strokes, then every chunk's markers, so
/// that a layer draws all its fills before any outline (a later chunk's fill never covers one).
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Fills, strokes, markers.
    pub sections: [Range<u32>; 3],
    /// The vertices its indices refer to (a chunk's vertices are contiguous).
    pub vertices: Range<u32>,
    pub bounds: [f32; 4],
}

impl Chunk {
    pub fn index_count(&self) -> u32 {
        self.sections.iter().map(|r| r.end - r.start).sum()
    }
}

impl Mesh {
    pub fn triangles(&self) -> usize {
        self.indices.len() / 3
    }
}

#[derive(Default)]
struct Part {
    vertices: Vec<MapVertex>,
    fills: Vec<u32>,
    strokes: Vec<u32>,
    markers: Vec<u32>,
    skipped: Vec<(u32, String)>,
    bounds: Option<[f64; 4]>,
}

/// Tessellates features in parallel and joins them into one mesh. With `simplify_km > 0`, each
/// line and ring is first simplified (Ramer–Douglas–Peucker) to that tolerance: a view needs
/// no detail finer than a fraction of its pixel.
///
/// A layer of up to [`CHUNK_VERTICES`] input vertices is one chunk in file order. A bigger one
/// is split by a grid over its bounds (each feature goes to the cell of its centre), so that a
/// view can cull what it does not show. Features keep their file order within a cell, but
/// overlapping features from different cells may stack in another order than the file's.
pub fn tessellate(inputs: &[TessInput], simplify_km: f64) -> Mesh {
    let groups: Vec<Vec<usize>> = chunk_groups(inputs).into_iter().map(|(g, _)| g).collect();
    tessellate_groups(inputs, &groups, simplify_km, Sections::ALL)
}

/// Which sections of a mesh to make: a layer drawn a batch at a time makes all its fills first,
/// then all its strokes, then its markers, to stack as the whole layer would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    pub fills: bool,
    /// Strokes, and the fringes of fills without an outline.
    pub strokes: bool,
    pub markers: bool,
}

impl Sections {
    pub const ALL: Sections = Sections {
        fills: true,
        strokes: true,
        markers: true,
    };

    /// Section `i` of a chunk (0 fills, 1 strokes, 2 markers) alone.
    pub fn only(i: usize) -> Sections {
        Sections {
            fills: i == 0,
            strokes: i == 1,
            markers: i == 2,
        }
    }
}

/// The layer's chunks (as [`tessellate`] makes them) gathered into batches of about
/// `max_vertices` input vertices, in order: for drawing a big layer a batch at a time, so that
/// its whole mesh is never in memory at once.
pub fn batches(inputs: &[TessInput], max_vertices: usize) -> Vec<Vec<Vec<usize>>> {
    let mut out: Vec<Vec<Vec<usize>>> = Vec::new();
    let mut in_batch = 0;
    for (group, n) in chunk_groups(inputs) {
        match out.last_mut() {
            Some(batch) if in_batch + n <= max_vertices => {
                batch.push(group);
                in_batch += n;
            }
            _ => {
                out.push(vec![group]);
                in_batch = n;
            }
        }
    }
    out
}

/// Tessellates these groups of inputs, one chunk each, in parallel; only the given sections.
pub fn tessellate_groups(
    inputs: &[TessInput],
    groups: &[Vec<usize>],
    simplify_km: f64,
    sections: Sections,
) -> Mesh {
    // Each chunk in pieces of up to 64 features, so that even a one-chunk layer is tessellated
    // in parallel.
    let pieces: Vec<(usize, &[usize])> = groups
        .iter()
        .enumerate()
        .flat_map(|(c, group)| group.chunks(64).map(move |piece| (c, piece)))
        .collect();
    let parts: Vec<(usize, Part)> = pieces
        .par_iter()
        .map(|&(c, piece)| {
            let mut t = Tessellator::new(simplify_km, sections);
            let mut part = Part::default();
            for &i in piece {
                t.feature(&inputs[i], &mut part);
            }
            (c, part)
        })
        .collect();
    join(parts)
}

/// Which inputs go into each chunk (indices into `inputs`, in file order within a chunk), with
/// the chunk's count of input vertices.
fn chunk_groups(inputs: &[TessInput]) -> Vec<(Vec<usize>, usize)> {
    let boxes: Vec<Option<([f64; 4], usize)>> = inputs
        .par_iter()
        .map(|input| {
            let mut n = 0;
            let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for c in geo::CoordsIter::coords_iter(input.geometry) {
                if c.x.is_finite() && c.y.is_finite() {
                    b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
                    n += 1;
                }
            }
            (n > 0).then_some((b, n))
        })
        .collect();
    let total: usize = boxes.iter().flatten().map(|(_, n)| n).sum();
    // Chunks of about CHUNK_VERTICES, smaller (down to 512) for layers of few vertices
    // spread wide (the world around the region), so that a view culls most of them.
    let target = CHUNK_VERTICES.min((total / 64).max(512));
    if total < 2 * target {
        return vec![((0..inputs.len()).collect(), total)];
    }
    // Recursive median splits of the inputs' centres along the longer side: compact chunks
    // wherever the vertices are, however uneven the layer.
    let mut items: Vec<(usize, [f64; 2], usize)> = boxes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|(b, n)| (i, [(b[0] + b[2]) * 0.5, (b[1] + b[3]) * 0.5], n)))
        .collect();
    let mut groups: Vec<(Vec<usize>, usize)> = Vec::new();
    split_into_groups(&mut items, target, &mut groups);
    // Inputs with no vertices go with the first chunk.
    let empty: Vec<usize> = (0..inputs.len()).filter(|&i| boxes[i].is_none()).collect();
    if let Some(first) = groups.first_mut() {
        first.0.extend(empty);
    } else {
        groups.push((empty, 0));
    }
    for g in &mut groups {
        g.0.sort_unstable();
    }
    groups.retain(|(g, _)| !g.is_empty());
    groups
}

/// Splits `items` (input index, centre, vertices) at the median of the longer side until each
/// part has at most `target` vertices (or one input).
fn split_into_groups(
    items: &mut [(usize, [f64; 2], usize)],
    target: usize,
    out: &mut Vec<(Vec<usize>, usize)>,
) {
    let n: usize = items.iter().map(|i| i.2).sum();
    if n <= target || items.len() < 2 {
        out.push((items.iter().map(|i| i.0).collect(), n));
        return;
    }
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for (_, c, _) in items.iter() {
        for k in 0..2 {
            lo[k] = lo[k].min(c[k]);
            hi[k] = hi[k].max(c[k]);
        }
    }
    let axis = usize::from(hi[1] - lo[1] > hi[0] - lo[0]);
    let mid = items.len() / 2;
    items.select_nth_unstable_by(mid, |a, b| a.1[axis].total_cmp(&b.1[axis]));
    let (left, right) = items.split_at_mut(mid);
    split_into_groups(left, target, out);
    split_into_groups(right, target, out);
}

/// Concatenates the parts (consecutive parts of one chunk make one chunk), vertices first, then
/// the indices section by section; each part's memory is freed once copied.
fn join(parts: Vec<(usize, Part)>) -> Mesh {
    let mut m = Mesh::default();
    m.vertices
        .reserve_exact(parts.iter().map(|(_, p)| p.vertices.len()).sum());
    m.indices.reserve_exact(
        parts
            .iter()
            .map(|(_, p)| p.fills.len() + p.strokes.len() + p.markers.len())
            .sum(),
    );
    let mut groups: Vec<Vec<Part>> = Vec::new();
    let mut last = None;
    for (chunk, p) in parts {
        match groups.last_mut() {
            Some(g) if last == Some(chunk) => g.push(p),
            _ => groups.push(vec![p]),
        }
        last = Some(chunk);
    }
    // Vertices, and where each part's vertices start.
    let mut chunks = Vec::with_capacity(groups.len());
    let mut offsets: Vec<Vec<u32>> = Vec::with_capacity(groups.len());
    for group in &mut groups {
        let first_vertex = m.vertices.len() as u32;
        let mut starts = Vec::with_capacity(group.len());
        let mut bounds: Option<[f64; 4]> = None;
        for p in group.iter_mut() {
            starts.push(m.vertices.len() as u32);
            m.vertices.extend_from_slice(&p.vertices);
            p.vertices = Vec::new();
            if let Some(b) = p.bounds {
                let a = bounds.get_or_insert(b);
                *a = [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ];
            }
        }
        offsets.push(starts);
        chunks.push((
            bounds,
            first_vertex..m.vertices.len() as u32,
            [0..0, 0..0, 0..0],
        ));
    }
    // Indices, section by section.
    for section in 0..3 {
        for ((group, starts), chunk) in groups.iter_mut().zip(&offsets).zip(&mut chunks) {
            let start = m.indices.len() as u32;
            for (p, &off) in group.iter_mut().zip(starts) {
                let list = match section {
                    0 => &mut p.fills,
                    1 => &mut p.strokes,
                    _ => &mut p.markers,
                };
                m.indices.extend(list.iter().map(|i| i + off));
                *list = Vec::new();
            }
            chunk.2[section] = start..m.indices.len() as u32;
        }
    }
    for (bounds, vertices, sections) in chunks {
        if let (Some(b), true) = (bounds, sections.iter().any(|r| !r.is_empty())) {
            // A little wider than the geometry, so that f32 rounding never culls an edge.
            let pad = 1e-3 * (b[2] - b[0]).max(b[3] - b[1]).max(1.0);
            m.chunks.push(Chunk {
                sections,
                vertices,
                bounds: [
                    (b[0] - pad) as f32,
                    (b[1] - pad) as f32,
                    (b[2] + pad) as f32,
                    (b[3] + pad) as f32,
                ],
            });
        }
    }
    m.skipped = groups
        .into_iter()
        .flatten()
        .flat_map(|p| p.skipped)
        .collect();
    m
}

struct Tessellator {
    simplify_km: f64,
    sections: Sections,
    fill: FillTessellator,
    stroke: StrokeTessellator,
    fill_opts: FillOptions,
    stroke_opts: StrokeOptions,
    buf: VertexBuffers<MapVertex, u32>,
}

impl Tessellator {
    fn new(simplify_km: f64, sections: Sections) -> Self {
        Tessellator {
            simplify_km,
            sections,
            fill: FillTessellator::new(),
            stroke: StrokeTessellator::new(),
            // Even-odd: holes work whatever their winding, and self-intersecting rings still draw.
            fill_opts: FillOptions::tolerance(TOLERANCE).with_fill_rule(FillRule::EvenOdd),
            // Width 1 in tessellation units only decides joins; the shader sets the real width.
            stroke_opts: StrokeOptions::tolerance(TOLERANCE)
                .with_line_width(1.0)
                .with_line_join(LineJoin::MiterClip)
                .with_miter_limit(3.0)
                .with_line_cap(LineCap::Butt),
            buf: VertexBuffers::new(),
        }
    }

    /// Adds one feature to `part`; a lyon error or panic skips the feature.
    fn feature(&mut self, input: &TessInput, part: &mut Part) {
        // Nothing to make for these sections (a streamed layer's markers pass, say): skip the
        // checks and the simplification too.
        let (polygons, lines, points) = shapes(input.geometry);
        let s = self.sections;
        if !((s.fills && input.fill && polygons)
            || (s.strokes && (lines || (polygons && (input.fill || input.outline))))
            || (s.markers && points))
        {
            return;
        }
        let mut fills = Vec::new();
        let mut strokes = Vec::new();
        let mut markers = Vec::new();
        let base = part.vertices.len();
        let sane = |c: geo::Coord<f64>| {
            c.x.is_finite()
                && c.y.is_finite()
                && c.x.abs() <= MAX_WORLD_KM
                && c.y.abs() <= MAX_WORLD_KM
        };
        if !geo::CoordsIter::coords_iter(input.geometry).all(sane) {
            part.skipped.push((
                input.feature,
                format!("coordinates outside ±{MAX_WORLD_KM} km of the projection's origin"),
            ));
            return;
        }
        if input.feature >= MAX_FEATURES {
            part.skipped.push((
                input.feature,
                format!("more than {MAX_FEATURES} features in one layer"),
            ));
            return;
        }
        let simplified;
        let geometry = if self.simplify_km > 0.0 {
            simplified = simplify(input.geometry, self.simplify_km);
            &simplified
        } else {
            input.geometry
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.geometry(
                input,
                geometry,
                part,
                &mut fills,
                &mut strokes,
                &mut markers,
            )
        }));
        let error = match result {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some("the tessellator failed on this geometry".to_string()),
        };
        match error {
            None => {
                if let Some(b) = geo::BoundingRect::bounding_rect(geometry) {
                    let b = [b.min().x, b.min().y, b.max().x, b.max().y];
                    let p = part.bounds.get_or_insert(b);
                    *p = [
                        p[0].min(b[0]),
                        p[1].min(b[1]),
                        p[2].max(b[2]),
                        p[3].max(b[3]),
                    ];
                }
                part.fills.extend(fills);
                part.strokes.extend(strokes);
                part.markers.extend(markers);
            }
            Some(e) => {
                part.vertices.truncate(base);
                part.skipped.push((input.feature, e));
            }
        }
    }

    fn geometry(
        &mut self,
        input: &TessInput,
        g: &Geometry<f64>,
        part: &mut Part,
        fills: &mut Vec<u32>,
        strokes: &mut Vec<u32>,
        markers: &mut Vec<u32>,
    ) -> Result<(), String> {
        match g {
            Geometry::Polygon(p) => self.polygon(input, p, part, fills, strokes),
            Geometry::MultiPolygon(mp) => {
                mp.0.iter()
                    .try_for_each(|p| self.polygon(input, p, part, fills, strokes))
            }
            Geometry::LineString(l) => self.line(input, l, false, part, strokes),
            Geometry::MultiLineString(ml) => {
                ml.0.iter()
                    .try_for_each(|l| self.line(input, l, false, part, strokes))
            }
            Geometry::Point(p) => {
                if self.sections.markers {
                    marker(input.feature, p.0, part, markers);
                }
                Ok(())
            }
            Geometry::MultiPoint(mp) => {
                if self.sections.markers {
                    mp.0.iter()
                        .for_each(|p| marker(input.feature, p.0, part, markers));
                }
                Ok(())
            }
            Geometry::GeometryCollection(gc) => {
                gc.0.iter()
                    .try_for_each(|g| self.geometry(input, g, part, fills, strokes, markers))
            }
            Geometry::Line(l) => self.line(
                input,
                &LineString(vec![l.start, l.end]),
                false,
                part,
                strokes,
            ),
            Geometry::Rect(r) => self.polygon(input, &r.to_polygon(), part, fills, strokes),
            Geometry::Triangle(t) => self.polygon(input, &t.to_polygon(), part, fills, strokes),
        }
    }

    fn polygon(
        &mut self,
        input: &TessInput,
        p: &Polygon<f64>,
        part: &mut Part,
        fills: &mut Vec<u32>,
        strokes: &mut Vec<u32>,
    ) -> Result<(), String> {
        if input.fill && self.sections.fills {
            let mut b = Path::builder();
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                add_ring(&mut b, ring, true);
            }
            let path = b.build();
            self.buf.vertices.clear();
            self.buf.indices.clear();
            let feature = input.feature;
            self.fill
                .tessellate_path(
                    &path,
                    &self.fill_opts,
                    &mut BuffersBuilder::new(&mut self.buf, |v: FillVertex| {
                        MapVertex::new(v.position().to_array(), [0.0, 0.0], feature, KIND_FILL)
                    }),
                )
                .map_err(|e| format!("fill tessellation failed: {e:?}"))?;
            append(&self.buf, part, fills);
        }
        // An outline covers the fill's edge; without one the edge needs its fringe. Fringes are
        // edges: they go with the strokes (drawn after all fills, antialiased).
        if input.fill && !input.outline && self.sections.strokes {
            fringe(p.exterior(), true, input.feature, part, strokes);
            for hole in p.interiors() {
                fringe(hole, false, input.feature, part, strokes);
            }
        }
        if input.outline {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                self.line(input, ring, true, part, strokes)?;
            }
        }
        Ok(())
    }

    fn line(
        &mut self,
        input: &TessInput,
        l: &LineString<f64>,
        closed: bool,
        part: &mut Part,
        strokes: &mut Vec<u32>,
    ) -> Result<(), String> {
        if l.0.len() < 2 || !self.sections.strokes {
            return Ok(());
        }
        let mut b = Path::builder();
        add_ring(&mut b, l, closed);
        let path = b.build();
        self.buf.vertices.clear();
        self.buf.indices.clear();
        let feature = input.feature;
        self.stroke
            .tessellate_path(
                &path,
                &self.stroke_opts,
                &mut BuffersBuilder::new(&mut self.buf, |v: StrokeVertex| {
                    let side = match v.side() {
                        Side::Positive => 0,
                        Side::Negative => STROKE_NEGATIVE_SIDE,
                    };
                    MapVertex::new(
                        v.position_on_path().to_array(),
                        v.normal().to_array(),
                        feature,
                        KIND_STROKE | side,
                    )
                }),
            )
            .map_err(|e| format!("stroke tessellation failed: {e:?}"))?;
        append(&self.buf, part, strokes);
        Ok(())
    }
}

/// Whether `g` has polygons, lines, points.
fn shapes(g: &Geometry<f64>) -> (bool, bool, bool) {
    match g {
        Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => (true, false, false),
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => {
            (false, true, false)
        }
        Geometry::Point(_) | Geometry::MultiPoint(_) => (false, false, true),
        Geometry::GeometryCollection(gc) => {
            gc.iter().map(shapes).fold((false, false, false), |a, b| {
                (a.0 || b.0, a.1 || b.1, a.2 || b.2)
            })
        }
    }
}

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
    use geo::{Distance, Euclidean, Line};
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
        let chord = Line::new(pts[first], pts[last]);
        let (mut far, mut far_distance) = (first, 0.0);
        for (i, p) in pts.iter().enumerate().take(last).skip(first + 1) {
            let d = Euclidean.distance(*p, &chord);
            if d >= far_distance {
                (far, far_distance) = (i, d);
            }
        }
        if far_distance > epsilon {
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

/// Adds a ring or line to a path in tessellation units, skipping repeated points.
fn add_ring(b: &mut lyon::path::Builder, l: &LineString<f64>, close: bool) {
    let to = |c: &geo::Coord<f64>| point(c.x as f32 * UNITS_PER_KM, c.y as f32 * UNITS_PER_KM);
    let mut pts =
        l.0.iter()
            .map(to)
            .filter(|p| p.x.is_finite() && p.y.is_finite());
    let Some(first) = pts.next() else { return };
    b.begin(first);
    let mut last = first;
    let mut n = 1;
    for p in pts {
        if p != last {
            b.line_to(p);
            last = p;
            n += 1;
        }
    }
    // A closed ring repeats its first point; lyon closes it itself.
    b.end(close && n > 2);
}

fn append(buf: &VertexBuffers<MapVertex, u32>, part: &mut Part, indices: &mut Vec<u32>) {
    let off = part.vertices.len() as u32;
    part.vertices.extend(buf.vertices.iter().map(|v| {
        let mut v = *v;
        v.pos = [v.pos[0] / UNITS_PER_KM, v.pos[1] / UNITS_PER_KM];
        v
    }));
    indices.extend(buf.indices.iter().map(|i| i + off));
}

/// The antialiasing fringe of one ring of a fill: each corner twice, once on the ring and once
/// with the outward unit normal (mitred) that the shader scales to one pixel. `exterior` says
/// whether the fill lies inside the ring (an exterior ring) or outside it (a hole).
fn fringe(
    ring: &LineString<f64>,
    exterior: bool,
    feature: u32,
    part: &mut Part,
    indices: &mut Vec<u32>,
) {
    let mut pts: Vec<[f64; 2]> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let p = [c.x, c.y];
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    while pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    let n = pts.len();
    if n < 3 {
        return;
    }
    // Shoelace: positive when counter-clockwise, where the inside is on the left.
    let twice_area: f64 = (0..n)
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    if twice_area == 0.0 || !twice_area.is_finite() {
        return;
    }
    // Outward from the fill: right of travel for a counter-clockwise exterior, left for a hole.
    let out = if (twice_area > 0.0) == exterior {
        -1.0
    } else {
        1.0
    };
    let left_normal = |a: [f64; 2], b: [f64; 2]| {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = dx.hypot(dy);
        [-dy / len, dx / len]
    };
    let base = part.vertices.len() as u32;
    for i in 0..n {
        let (prev, here, next) = (pts[(i + n - 1) % n], pts[i], pts[(i + 1) % n]);
        let (n0, n1) = (left_normal(prev, here), left_normal(here, next));
        let sum = [n0[0] + n1[0], n0[1] + n1[1]];
        let len = sum[0].hypot(sum[1]);
        // The mitre: along the bisector, long enough to stand one width off both edges.
        let miter = if len < 1e-9 {
            n0
        } else {
            let m = [sum[0] / len, sum[1] / len];
            let reach = (1.0 / (m[0] * n0[0] + m[1] * n0[1])).min(FRINGE_MITER_LIMIT);
            [m[0] * reach, m[1] * reach]
        };
        let pos = [here[0] as f32, here[1] as f32];
        let normal = [(miter[0] * out) as f32, (miter[1] * out) as f32];
        part.vertices
            .push(MapVertex::new(pos, [0.0, 0.0], feature, KIND_FRINGE));
        part.vertices
            .push(MapVertex::new(pos, normal, feature, KIND_FRINGE));
    }
    for i in 0..n as u32 {
        let j = (i + 1) % n as u32;
        let (a, a_out, b, b_out) = (
            base + 2 * i,
            base + 2 * i + 1,
            base + 2 * j,
            base + 2 * j + 1,
        );
        indices.extend([a, a_out, b, a_out, b_out, b]);
    }
}

/// A marker is a quad whose corners the shader pushes out by the marker radius in pixels.
fn marker(feature: u32, c: geo::Coord<f64>, part: &mut Part, markers: &mut Vec<u32>) {
    let off = part.vertices.len() as u32;
    let pos = [c.x as f32, c.y as f32];
    for n in [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]] {
        part.vertices
            .push(MapVertex::new(pos, n, feature, KIND_MARKER));
    }
    markers.extend([off, off + 1, off + 2, off, off + 2, off + 3]);
}

/// A mesh for tests: `n` filled and outlined circles of `per_ring` vertices, 10 km apart on a
/// grid 20 wide.
#[cfg(test)]
pub fn grid_of_circles(n: usize, per_ring: usize) -> Mesh {
    let circles: Vec<Geometry<f64>> = (0..n)
        .map(|i| {
            let (x0, y0) = ((i % 20) as f64 * 10.0, (i / 20) as f64 * 10.0);
            let ring: Vec<(f64, f64)> = (0..=per_ring)
                .map(|k| {
                    let a = std::f64::consts::TAU * (k % per_ring) as f64 / per_ring as f64;
                    (x0 + 5.0 + 4.0 * a.cos(), y0 + 5.0 + 4.0 * a.sin())
                })
                .collect();
            Geometry::Polygon(Polygon::new(LineString::from(ring), vec![]))
        })
        .collect();
    let inputs: Vec<TessInput> = circles
        .iter()
        .enumerate()
        .map(|(i, g)| TessInput {
            geometry: g,
            feature: i as u32,
            fill: true,
            outline: true,
        })
        .collect();
    tessellate(&inputs, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Point};

    fn tess(g: Geometry<f64>, fill: bool, outline: bool) -> Mesh {
        tessellate(
            &[TessInput {
                geometry: &g,
                feature: 7,
                fill,
                outline,
            }],
            0.0,
        )
    }

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

    #[test]
    fn square_with_hole() {
        let p = polygon!(exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)],
            interiors: [[(x: 4., y: 4.), (x: 6., y: 4.), (x: 6., y: 6.), (x: 4., y: 6.), (x: 4., y: 4.)]]);
        let m = tess(Geometry::Polygon(p), true, true);
        let fill_triangles = m.indices.chunks(3).filter(|t| {
            t.iter()
                .all(|&i| m.vertices[i as usize].kind() == KIND_FILL)
        });
        let tri_area: f64 = fill_triangles
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| m.vertices[i as usize].pos);
                0.5 * (((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) as f64).abs()
            })
            .sum();
        assert!((tri_area - 96.0).abs() < 1e-3, "area {tri_area}");
        assert!(m.vertices.iter().any(|v| v.kind() & 0xf == KIND_STROKE));
        assert!(m.vertices.iter().all(|v| v.feature() == 7));
        // Stroke vertices sit on the outline with unit-ish normals.
        let sv: Vec<_> = m
            .vertices
            .iter()
            .filter(|v| v.kind() & 0xf == KIND_STROKE)
            .collect();
        assert!(sv.iter().all(|v| {
            let [x, y] = v.normal();
            let n = (x * x + y * y).sqrt();
            (0.9..=3.1).contains(&n)
        }));
    }

    #[test]
    fn big_layers_split_into_chunks_that_bound_their_triangles() {
        let m = grid_of_circles(400, 100);
        assert!(m.chunks.len() >= 4, "{} chunks", m.chunks.len());
        // The chunks' sections cover the index buffer once: all fills, then strokes, then markers.
        let mut next = 0;
        for section in 0..3 {
            for c in &m.chunks {
                let r = &c.sections[section];
                assert_eq!(r.start, next);
                next = r.end;
                for &i in &m.indices[r.start as usize..r.end as usize] {
                    assert!(c.vertices.contains(&i));
                    let p = m.vertices[i as usize].pos;
                    let b = c.bounds;
                    assert!(b[0] <= p[0] && p[0] <= b[2] && b[1] <= p[1] && p[1] <= b[3]);
                }
            }
        }
        assert_eq!(next as usize, m.indices.len());
        // Every fill comes before every stroke.
        let first_stroke = m
            .indices
            .iter()
            .position(|&i| m.vertices[i as usize].kind() & 0xf == KIND_STROKE)
            .unwrap();
        assert!(m.indices[first_stroke..]
            .iter()
            .all(|&i| m.vertices[i as usize].kind() & 0xf != KIND_FILL));
        // Each feature lies in one chunk, and a chunk covers a part of the grid, not all of it.
        let mut chunk_of = vec![None; 400];
        for (ci, c) in m.chunks.iter().enumerate() {
            for v in &m.vertices[c.vertices.start as usize..c.vertices.end as usize] {
                let f = v.feature() as usize;
                assert!(chunk_of[f].is_none_or(|k| k == ci), "feature {f} split");
                chunk_of[f] = Some(ci);
            }
            let b = c.bounds;
            assert!((b[2] - b[0]) * (b[3] - b[1]) < 0.5 * 200.0 * 200.0);
        }
        assert!(chunk_of.iter().all(Option::is_some));
    }

    #[test]
    fn point_is_a_quad() {
        let m = tess(Geometry::Point(Point::new(1.0, 2.0)), true, true);
        assert_eq!(m.indices.len(), 6);
        assert_eq!(m.vertices.len(), 4);
        assert!(m.vertices.iter().all(|v| v.kind() == KIND_MARKER));
    }

    #[test]
    fn bowtie_draws() {
        let p = polygon![(x: 0., y: 0.), (x: 10., y: 10.), (x: 10., y: 0.), (x: 0., y: 10.), (x: 0., y: 0.)];
        let m = tess(Geometry::Polygon(p), true, true);
        assert!(m.skipped.is_empty());
        assert!(m.triangles() > 0);
    }
}
