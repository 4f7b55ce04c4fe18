//! A layer's mesh in chunks: which features go together (a grid over a big layer, so that a
//! view can cull what it does not show), and joining the tessellated parts into one mesh whose
//! index buffer holds every chunk's fills, then strokes, then markers.

use std::ops::{Index, IndexMut, Range};

use rayon::prelude::*;

use crate::mesh::input::TessInput;
use crate::mesh::vertex::MapVertex;

/// Input vertices per chunk of a big layer: enough that draw calls stay few, few enough that a
/// zoomed-in view skips most of the layer.
pub const CHUNK_VERTICES: usize = 8_192;

/// The parts of a mesh, in the order they are drawn: a layer draws all its fills before any
/// stroke (fill fringes go with the strokes), and its markers last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Fills,
    /// Strokes, and the fringes of fills without an outline.
    Strokes,
    Markers,
}

impl Section {
    /// In drawing order.
    pub const ALL: [Section; 3] = [Section::Fills, Section::Strokes, Section::Markers];
}

/// One value per [`Section`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerSection<T> {
    pub fills: T,
    pub strokes: T,
    pub markers: T,
}

impl<T> PerSection<T> {
    /// The values in drawing order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        [&self.fills, &self.strokes, &self.markers].into_iter()
    }
}

impl<T> Index<Section> for PerSection<T> {
    type Output = T;
    fn index(&self, s: Section) -> &T {
        match s {
            Section::Fills => &self.fills,
            Section::Strokes => &self.strokes,
            Section::Markers => &self.markers,
        }
    }
}

impl<T> IndexMut<Section> for PerSection<T> {
    fn index_mut(&mut self, s: Section) -> &mut T {
        match s {
            Section::Fills => &mut self.fills,
            Section::Strokes => &mut self.strokes,
            Section::Markers => &mut self.markers,
        }
    }
}

/// Triangles of a layer, in chunks that are drawn (or culled) as a whole.
#[derive(Debug, Default, Clone)]
pub struct Mesh {
    pub vertices: Vec<MapVertex>,
    pub indices: Vec<u32>,
    pub chunks: Vec<Chunk>,
    /// Features that could not be tessellated: (feature, reason).
    pub skipped: Vec<(u32, String)>,
}

impl Mesh {
    pub fn triangles(&self) -> usize {
        self.indices.len() / 3
    }
}

/// A group of features: where its sections are in the index buffer, and the world-km box
/// (min x, min y, max x, max y) their geometry lies in. The index buffer holds every chunk's
/// fills, then every chunk's strokes, then every chunk's markers, so that a layer draws all its
/// fills before any outline (a later chunk's fill never covers one).
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub sections: PerSection<Range<u32>>,
    /// The vertices its indices refer to (a chunk's vertices are contiguous).
    pub vertices: Range<u32>,
    pub bounds: [f32; 4],
}

impl Chunk {
    pub fn index_count(&self) -> u32 {
        self.sections.iter().map(|r| r.end - r.start).sum()
    }
}

/// Some features of one chunk, tessellated (a chunk is made in parallel pieces).
#[derive(Default)]
pub(crate) struct Part {
    pub vertices: Vec<MapVertex>,
    /// Indices into `vertices`, by section.
    pub indices: PerSection<Vec<u32>>,
    pub skipped: Vec<(u32, String)>,
    pub bounds: Option<[f64; 4]>,
}

/// The inputs of one chunk (indices into the layer's inputs, in file order) and their count of
/// input vertices.
pub(crate) struct Group {
    pub inputs: Vec<usize>,
    pub vertices: usize,
}

/// The union of two boxes (min x, min y, max x, max y).
pub(crate) fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// The batches of about `max_vertices` input vertices a streamed layer is drawn in: its runs of
/// the file's order ([`file_runs`]) gathered (see [`batches_of`]).
pub fn batches(inputs: &[TessInput], max_vertices: usize) -> Vec<Vec<Vec<usize>>> {
    batches_of(&file_runs(inputs, None), max_vertices)
}

/// A layer's groups of features (its runs of the file's order, [`file_runs`], as streaming
/// takes them) in batches of about `max_vertices` input vertices, in order: for drawing a big
/// layer a batch at a time, so that its whole mesh is never in memory at once (one gathering
/// serves batches of several sizes).
pub(crate) fn batches_of(groups: &[Group], max_vertices: usize) -> Vec<Vec<Vec<usize>>> {
    let mut out: Vec<Vec<Vec<usize>>> = Vec::new();
    let mut in_batch = 0;
    for group in groups {
        let n = group.vertices;
        match out.last_mut() {
            Some(batch) if in_batch + n <= max_vertices => {
                batch.push(group.inputs.clone());
                in_batch += n;
            }
            _ => {
                out.push(vec![group.inputs.clone()]);
                in_batch = n;
            }
        }
    }
    out
}

/// The inputs that `keep` says (all without it) in runs of about [`CHUNK_VERTICES`] input
/// vertices, in file order: a layer drawn a run at a time stacks its overlapping features as
/// the file orders them (as mapnik and QGIS draw a file), with no seam where spatial chunks
/// ([`chunk_groups`]) meet. For drawing that culls by feature, not by chunk: streaming.
pub(crate) fn file_runs(inputs: &[TessInput], keep: Option<&[bool]>) -> Vec<Group> {
    let counts: Vec<usize> = inputs
        .par_iter()
        .enumerate()
        .map(|(k, input)| match keep {
            Some(keep) if !keep[k] => 0,
            _ => geo::CoordsIter::coords_count(input.geometry),
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for (k, &n) in counts.iter().enumerate() {
        if keep.is_some_and(|keep| !keep[k]) {
            continue;
        }
        match groups.last_mut() {
            Some(g) if g.vertices + n <= CHUNK_VERTICES => {
                g.inputs.push(k);
                g.vertices += n;
            }
            _ => groups.push(Group {
                inputs: vec![k],
                vertices: n,
            }),
        }
    }
    groups
}

/// Which inputs go into each chunk: all of them in one for a layer of up to
/// [`CHUNK_VERTICES`] input vertices, else by a grid over the layer's bounds (each feature goes
/// to the cell of its centre).
pub(crate) fn chunk_groups(inputs: &[TessInput]) -> Vec<Group> {
    let boxes: Vec<Option<([f64; 4], usize)>> = inputs
        .par_iter()
        .map(|input| {
            let mut n = 0;
            let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for c in geo::CoordsIter::coords_iter(input.geometry) {
                if c.x.is_finite() && c.y.is_finite() {
                    b = union(b, [c.x, c.y, c.x, c.y]);
                    n += 1;
                }
            }
            (n > 0).then_some((b, n))
        })
        .collect();
    let total: usize = boxes.iter().flatten().map(|(_, n)| n).sum();
    // Chunks of about CHUNK_VERTICES, smaller (down to 512) for layers of few vertices spread
    // wide (the world around the region), so that a view culls most of them.
    let target = CHUNK_VERTICES.min((total / 64).max(512));
    if total < 2 * target {
        return vec![Group {
            inputs: (0..inputs.len()).collect(),
            vertices: total,
        }];
    }
    // Recursive median splits of the inputs' centres along the longer side: compact chunks
    // wherever the vertices are, however unevenly the layer spreads them.
    let mut items: Vec<(usize, [f64; 2], usize)> = boxes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|(b, n)| (i, [(b[0] + b[2]) * 0.5, (b[1] + b[3]) * 0.5], n)))
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    split_into_groups(&mut items, target, &mut groups);
    // Inputs with no vertices go with the first chunk.
    let empty = (0..inputs.len()).filter(|&i| boxes[i].is_none());
    match groups.first_mut() {
        Some(first) => first.inputs.extend(empty),
        None => groups.push(Group {
            inputs: empty.collect(),
            vertices: 0,
        }),
    }
    for g in &mut groups {
        g.inputs.sort_unstable();
    }
    groups.retain(|g| !g.inputs.is_empty());
    groups
}

/// Splits `items` (input index, centre, vertices) at the median of the longer side until each
/// part has at most `target` vertices (or one input).
fn split_into_groups(items: &mut [(usize, [f64; 2], usize)], target: usize, out: &mut Vec<Group>) {
    let n: usize = items.iter().map(|i| i.2).sum();
    if n <= target || items.len() < 2 {
        out.push(Group {
            inputs: items.iter().map(|i| i.0).collect(),
            vertices: n,
        });
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

/// A chunk being joined: its parts, where each part's vertices start in the mesh, and the
/// chunk's extent so far.
struct Joining {
    parts: Vec<Part>,
    starts: Vec<u32>,
    vertices: Range<u32>,
    bounds: Option<[f64; 4]>,
    sections: PerSection<Range<u32>>,
}

/// Concatenates the parts, each with the chunk it belongs to (consecutive parts of one chunk
/// make one chunk): vertices first, then the indices section by section; each part's memory is
/// freed once copied.
pub(crate) fn join(parts: Vec<(usize, Part)>) -> Mesh {
    let mut m = Mesh::default();
    m.vertices
        .reserve_exact(parts.iter().map(|(_, p)| p.vertices.len()).sum());
    m.indices.reserve_exact(
        parts
            .iter()
            .map(|(_, p)| p.indices.iter().map(Vec::len).sum::<usize>())
            .sum(),
    );
    let mut chunks: Vec<Joining> = Vec::new();
    let mut last = None;
    for (chunk, p) in parts {
        match chunks.last_mut() {
            Some(c) if last == Some(chunk) => c.parts.push(p),
            _ => chunks.push(Joining {
                parts: vec![p],
                starts: Vec::new(),
                vertices: 0..0,
                bounds: None,
                sections: PerSection::default(),
            }),
        }
        last = Some(chunk);
    }
    // Vertices, and where each part's vertices start.
    for c in &mut chunks {
        let first_vertex = m.vertices.len() as u32;
        for p in &mut c.parts {
            c.starts.push(m.vertices.len() as u32);
            m.vertices.extend_from_slice(&p.vertices);
            p.vertices = Vec::new();
            if let Some(b) = p.bounds {
                c.bounds = Some(c.bounds.map_or(b, |a| union(a, b)));
            }
        }
        c.vertices = first_vertex..m.vertices.len() as u32;
    }
    // Indices, section by section.
    for section in Section::ALL {
        for c in &mut chunks {
            let start = m.indices.len() as u32;
            for (p, &off) in c.parts.iter_mut().zip(&c.starts) {
                let list = std::mem::take(&mut p.indices[section]);
                m.indices.extend(list.iter().map(|i| i + off));
            }
            c.sections[section] = start..m.indices.len() as u32;
        }
    }
    for c in &chunks {
        if let (Some(b), true) = (c.bounds, c.sections.iter().any(|r| !r.is_empty())) {
            // A little wider than the geometry, so that f32 rounding never culls an edge.
            let pad = 1e-3 * (b[2] - b[0]).max(b[3] - b[1]).max(1.0);
            m.chunks.push(Chunk {
                sections: c.sections.clone(),
                vertices: c.vertices.clone(),
                bounds: [
                    (b[0] - pad) as f32,
                    (b[1] - pad) as f32,
                    (b[2] + pad) as f32,
                    (b[3] + pad) as f32,
                ],
            });
        }
    }
    m.skipped = chunks
        .into_iter()
        .flat_map(|c| c.parts)
        .flat_map(|p| p.skipped)
        .collect();
    m
}
