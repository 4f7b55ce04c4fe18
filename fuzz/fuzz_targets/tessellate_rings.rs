#![no_main]
//! Arbitrary rings and lines (NaN, huge, degenerate, self-intersecting) through the
//! tessellator: a mesh or a skipped feature, never a panic. Every index points at a vertex.
//! Tessellated a section at a time (as `render` streams a layer), the sections are the whole
//! mesh's (unless it was skipped); simplified, the points kept are geo's.
use borderlens_fuzz::tessellate::{simplify, tessellate, tessellate_groups, Sections, TessInput};
use geo::{Coord, Geometry, LineString, Polygon};
use libfuzzer_sys::fuzz_target;

fn coords(data: &[u8]) -> Vec<Coord<f64>> {
    data.chunks_exact(8)
        .map(|c| {
            let x = f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64;
            let y = f32::from_le_bytes([c[4], c[5], c[6], c[7]]) as f64;
            Coord { x, y }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (mode, rest) = (data[0], &data[1..]);
    let split = rest.len() / 2 / 8 * 8;
    let a = coords(&rest[..split]);
    let b = coords(&rest[split..]);
    let g = match mode % 3 {
        0 => Geometry::Polygon(Polygon::new(LineString(a), vec![LineString(b)])),
        1 => Geometry::LineString(LineString(a)),
        _ => Geometry::MultiPoint(a.into_iter().map(geo::Point).collect()),
    };
    let input = [TessInput {
        geometry: &g,
        feature: 0,
        fill: mode & 16 == 0,
        outline: mode & 4 != 0,
    }];
    let tolerance = if mode & 8 != 0 { 0.5 } else { 0.0 };
    let mesh = tessellate(&input, tolerance);
    assert!(mesh
        .indices
        .iter()
        .all(|&i| (i as usize) < mesh.vertices.len()));
    let count = |m: &borderlens_fuzz::tessellate::Mesh, s: usize| -> u32 {
        m.chunks.iter().map(|c| c.sections[s].end - c.sections[s].start).sum()
    };
    for s in 0..3 {
        let part = tessellate_groups(&input, &[vec![0]], tolerance, Sections::only(s));
        // A feature the tessellator skips in one section may still draw in another.
        if mesh.skipped.is_empty() && part.skipped.is_empty() {
            assert_eq!(count(&part, s), count(&mesh, s), "section {s}");
        }
        assert_eq!(part.indices.len() as u32, count(&part, s));
    }
    if tolerance > 0.0 && geo::CoordsIter::coords_iter(&g).all(|c| c.x.is_finite() && c.y.is_finite()) {
        use geo::Simplify;
        let theirs = match &g {
            Geometry::Polygon(p) => Geometry::Polygon(p.simplify(tolerance)),
            Geometry::LineString(l) => Geometry::LineString(l.simplify(tolerance)),
            other => other.clone(),
        };
        assert_eq!(simplify(&g, tolerance), theirs);
    }
});
