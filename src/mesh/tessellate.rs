//! Projected geometry → triangles (lyon). Fills are triangulated; strokes and markers carry a
//! normal that the vertex shader extrudes to a width in screen pixels, so zooming never
//! re-tessellates. No wgpu and no GeoJSON here.

use geo::{Geometry, LineString, Polygon};
use lyon::math::point;
use lyon::path::Path;
use lyon::tessellation::{
    BuffersBuilder, FillOptions, FillRule, FillTessellator, FillVertex, LineCap, LineJoin, Side,
    StrokeOptions, StrokeTessellator, StrokeVertex, VertexBuffers,
};
use rayon::prelude::*;

use crate::mesh::chunks::{chunk_groups, file_runs, join, union, Part, PerSection, Section};
use crate::mesh::fringe::fringe;
use crate::mesh::icons;
use crate::mesh::vertex::{
    MapVertex, KIND_FILL, KIND_ICON, KIND_MARKER, KIND_STROKE, MAX_FEATURES, STROKE_NEGATIVE_SIDE,
};

// The mesh's types and the simplifier live in their own files; callers find them here too.
pub use crate::mesh::chunks::{batches, Chunk, Mesh, CHUNK_VERTICES};
pub use crate::mesh::input::TessInput;
pub use crate::mesh::simplify::simplify;

/// Tessellation works in units of 100 m: about a screen pixel when zoomed 10× into the region
/// view. lyon's tolerance and point merging are in these units (never degrees).
pub const UNITS_PER_KM: f32 = 10.0;
/// lyon tolerance in tessellation units (10 m).
pub const TOLERANCE: f32 = 0.1;

/// No projection of the Earth reaches past this (km); larger coordinates are corrupt input, and
/// lyon's fill tessellator can loop on them until memory runs out (found by fuzzing).
pub const MAX_WORLD_KM: f64 = 1.0e5;

/// Tessellates features in parallel and joins them into one mesh. With `simplify_km > 0`, each
/// line and ring is first simplified (Ramer–Douglas–Peucker) to that tolerance: a view needs
/// no detail finer than a fraction of its pixel.
///
/// A layer of up to [`CHUNK_VERTICES`] input vertices is one chunk in file order. A bigger one
/// is split by a grid over its bounds (each feature goes to the cell of its centre), so that a
/// view can cull what it does not show. Features keep their file order within a cell, but
/// overlapping features from different cells may stack in another order than the file's.
pub fn tessellate(inputs: &[TessInput], simplify_km: f64) -> Mesh {
    tessellate_as(inputs, inputs, simplify_km)
}

/// [`tessellate`] in the chunks that `grouped_as` (as many inputs, for the same features) would
/// be made in: a part of a layer ([`crate::mesh::input::part_inputs`]) stacks its overlapping
/// features as the whole layer does.
pub fn tessellate_as(inputs: &[TessInput], grouped_as: &[TessInput], simplify_km: f64) -> Mesh {
    debug_assert_eq!(inputs.len(), grouped_as.len());
    let groups: Vec<Vec<usize>> = chunk_groups(grouped_as)
        .into_iter()
        .map(|g| g.inputs)
        .collect();
    tessellate_groups(inputs, &groups, simplify_km, Sections::ALL)
}

/// [`tessellate`] in runs of the file's order rather than a grid: overlapping features stack
/// as the file orders them, as a streamed layer draws them (`mesh::stream`), but a chunk's box
/// may span the layer, so a view culls little of it.
pub fn tessellate_in_file_order(inputs: &[TessInput], simplify_km: f64) -> Mesh {
    let groups: Vec<Vec<usize>> = file_runs(inputs, None)
        .into_iter()
        .map(|g| g.inputs)
        .collect();
    tessellate_groups(inputs, &groups, simplify_km, Sections::ALL)
}

/// Which sections of a mesh to make: a layer drawn a batch at a time makes all its fills first,
/// then all its strokes, then its markers, to stack as the whole layer would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections(pub PerSection<bool>);

impl Sections {
    pub const ALL: Sections = Sections(PerSection {
        fills: true,
        strokes: true,
        markers: true,
    });

    /// One section alone.
    pub fn only(section: Section) -> Sections {
        let mut s = PerSection::default();
        s[section] = true;
        Sections(s)
    }

    fn has(&self, section: Section) -> bool {
        self.0[section]
    }
}

/// Which kinds of shape a geometry holds.
#[derive(Clone, Copy, Default)]
struct Shapes {
    polygons: bool,
    lines: bool,
    points: bool,
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
            // Grown by doubling: up to twice the memory, held until the join (a big file's
            // parts together are as big as its mesh).
            part.vertices.shrink_to_fit();
            for s in Section::ALL {
                part.indices[s].shrink_to_fit();
            }
            (c, part)
        })
        .collect();
    join(parts)
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
        let shapes = shapes(input.geometry);
        let s = self.sections;
        if !((s.has(Section::Fills) && input.fill && shapes.polygons)
            || (s.has(Section::Strokes)
                && (shapes.lines || (shapes.polygons && (input.fill || input.outline))))
            || (s.has(Section::Markers) && shapes.points))
        {
            return;
        }
        let mut indices = PerSection::<Vec<u32>>::default();
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
            self.geometry(input, geometry, part, &mut indices)
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
                    part.bounds = Some(part.bounds.map_or(b, |p| union(p, b)));
                }
                for section in Section::ALL {
                    part.indices[section].append(&mut indices[section]);
                }
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
        out: &mut PerSection<Vec<u32>>,
    ) -> Result<(), String> {
        match g {
            Geometry::Polygon(p) => self.polygon(input, p, part, out),
            Geometry::MultiPolygon(mp) => {
                mp.0.iter()
                    .try_for_each(|p| self.polygon(input, p, part, out))
            }
            Geometry::LineString(l) => self.line(input, l, false, part, &mut out.strokes),
            Geometry::MultiLineString(ml) => {
                ml.0.iter()
                    .try_for_each(|l| self.line(input, l, false, part, &mut out.strokes))
            }
            Geometry::Point(p) => {
                if self.sections.has(Section::Markers) {
                    marker(input, p.0, part, &mut out.markers);
                }
                Ok(())
            }
            Geometry::MultiPoint(mp) => {
                if self.sections.has(Section::Markers) {
                    mp.0.iter()
                        .for_each(|p| marker(input, p.0, part, &mut out.markers));
                }
                Ok(())
            }
            Geometry::GeometryCollection(gc) => {
                gc.0.iter()
                    .try_for_each(|g| self.geometry(input, g, part, out))
            }
            Geometry::Line(l) => self.line(
                input,
                &LineString(vec![l.start, l.end]),
                false,
                part,
                &mut out.strokes,
            ),
            Geometry::Rect(r) => self.polygon(input, &r.to_polygon(), part, out),
            Geometry::Triangle(t) => self.polygon(input, &t.to_polygon(), part, out),
        }
    }

    fn polygon(
        &mut self,
        input: &TessInput,
        p: &Polygon<f64>,
        part: &mut Part,
        out: &mut PerSection<Vec<u32>>,
    ) -> Result<(), String> {
        if input.fill && self.sections.has(Section::Fills) {
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
            append(&self.buf, part, &mut out.fills);
        }
        // An outline covers the fill's edge; without one the edge needs its fringe. Fringes are
        // edges: they go with the strokes (drawn after all fills, antialiased).
        if input.fill && !input.outline && self.sections.has(Section::Strokes) {
            fringe(p.exterior(), true, input.feature, part, &mut out.strokes);
            for hole in p.interiors() {
                fringe(hole, false, input.feature, part, &mut out.strokes);
            }
        }
        if input.outline {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                self.line(input, ring, true, part, &mut out.strokes)?;
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
        if l.0.len() < 2 || !self.sections.has(Section::Strokes) {
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
fn shapes(g: &Geometry<f64>) -> Shapes {
    match g {
        Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => Shapes {
            polygons: true,
            ..Shapes::default()
        },
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => Shapes {
            lines: true,
            ..Shapes::default()
        },
        Geometry::Point(_) | Geometry::MultiPoint(_) => Shapes {
            points: true,
            ..Shapes::default()
        },
        Geometry::GeometryCollection(gc) => {
            gc.iter()
                .map(shapes)
                .fold(Shapes::default(), |a, b| Shapes {
                    polygons: a.polygons || b.polygons,
                    lines: a.lines || b.lines,
                    points: a.points || b.points,
                })
        }
    }
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

/// Moves lyon's output into the part, in km.
fn append(buf: &VertexBuffers<MapVertex, u32>, part: &mut Part, indices: &mut Vec<u32>) {
    let off = part.vertices.len() as u32;
    part.vertices.extend(buf.vertices.iter().map(|v| {
        let mut v = *v;
        v.pos = [v.pos[0] / UNITS_PER_KM, v.pos[1] / UNITS_PER_KM];
        v
    }));
    indices.extend(buf.indices.iter().map(|i| i + off));
}

/// A marker is a quad whose corners the shader pushes out by the marker radius in pixels; its
/// symbol's triangles, on top, are pushed out the same way from the unit square.
fn marker(input: &TessInput, c: geo::Coord<f64>, part: &mut Part, markers: &mut Vec<u32>) {
    let feature = input.feature;
    let off = part.vertices.len() as u32;
    let pos = [c.x as f32, c.y as f32];
    for n in [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]] {
        part.vertices
            .push(MapVertex::new(pos, n, feature, KIND_MARKER));
    }
    markers.extend([off, off + 1, off + 2, off, off + 2, off + 3]);
    if let Some(id) = input.icon {
        let icon = icons::mesh(id);
        let off = part.vertices.len() as u32;
        part.vertices.extend(
            icon.points
                .iter()
                .map(|&n| MapVertex::new(pos, n, feature, KIND_ICON)),
        );
        markers.extend(icon.indices.iter().map(|i| off + i));
    }
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
            icon: None,
        })
        .collect();
    tessellate(&inputs, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::vertex::KIND_MASK;
    use geo::{polygon, Point};

    fn tess(g: Geometry<f64>, fill: bool, outline: bool) -> Mesh {
        tessellate(
            &[TessInput {
                geometry: &g,
                feature: 7,
                fill,
                outline,
                icon: None,
            }],
            0.0,
        )
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
        assert!(m
            .vertices
            .iter()
            .any(|v| v.kind() & KIND_MASK == KIND_STROKE));
        assert!(m.vertices.iter().all(|v| v.feature() == 7));
        // Stroke vertices sit on the outline with unit-ish normals.
        let sv: Vec<_> = m
            .vertices
            .iter()
            .filter(|v| v.kind() & KIND_MASK == KIND_STROKE)
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
        for section in Section::ALL {
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
            .position(|&i| m.vertices[i as usize].kind() & KIND_MASK == KIND_STROKE)
            .unwrap();
        assert!(m.indices[first_stroke..]
            .iter()
            .all(|&i| m.vertices[i as usize].kind() & KIND_MASK != KIND_FILL));
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
