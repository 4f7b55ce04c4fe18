#![no_main]
//! Arbitrary rings and lines (NaN, huge, degenerate, self-intersecting) through the
//! tessellator: a mesh or a skipped feature, never a panic. Every index points at a vertex.
use borderlens_fuzz::tessellate::{tessellate, TessInput};
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
    let mesh = tessellate(&[TessInput {
        geometry: &g,
        feature: 0,
        fill: true,
        outline: mode & 4 != 0,
    }], if mode & 8 != 0 { 0.5 } else { 0.0 });
    assert!(mesh
        .indices
        .iter()
        .all(|&i| (i as usize) < mesh.vertices.len()));
});
