#![no_main]
//! Arbitrary rings and lines (NaN, huge, degenerate, self-intersecting) through the
//! tessellator: a mesh or a skipped feature, never a panic. Every index points at a vertex.
//! Tessellated a section at a time (as `render` streams a layer), the sections are the whole
//! mesh's (unless it was skipped); simplified, the points kept are geo's. The bytes are decoded
//! by `borderlens_fuzz::rings`, as in the regression tests.
use borderlens_fuzz::mesh::chunks::Section;
use borderlens_fuzz::rings::decode;
use borderlens_fuzz::tessellate::{simplify, tessellate, tessellate_groups, Mesh, Sections, TessInput};
use geo::Geometry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(case) = decode(data) else { return };
    let g = &case.geometry;
    let input = [TessInput {
        geometry: g,
        feature: 0,
        fill: case.fill,
        outline: case.outline,
        icon: None,
    }];
    let tolerance = case.simplify_km;
    let mesh = tessellate(&input, tolerance);
    assert!(mesh
        .indices
        .iter()
        .all(|&i| (i as usize) < mesh.vertices.len()));
    let count = |m: &Mesh, s: Section| -> u32 {
        m.chunks.iter().map(|c| c.sections[s].end - c.sections[s].start).sum()
    };
    for s in Section::ALL {
        let part = tessellate_groups(&input, &[vec![0]], tolerance, Sections::only(s));
        // A feature the tessellator skips in one section may still draw in another.
        if mesh.skipped.is_empty() && part.skipped.is_empty() {
            assert_eq!(count(&part, s), count(&mesh, s), "section {s:?}");
        }
        assert_eq!(part.indices.len() as u32, count(&part, s));
    }
    if tolerance > 0.0 && geo::CoordsIter::coords_iter(g).all(|c| c.x.is_finite() && c.y.is_finite()) {
        use geo::Simplify;
        let theirs = match g {
            Geometry::Polygon(p) => Geometry::Polygon(p.simplify(tolerance)),
            Geometry::LineString(l) => Geometry::LineString(l.simplify(tolerance)),
            other => other.clone(),
        };
        assert_eq!(simplify(g, tolerance), theirs);
    }
});
