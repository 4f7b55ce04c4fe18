//! Inputs found by the fuzz targets in fuzz/, kept as regression tests. Each is decoded the way
//! its target decodes it.

use borderlens::mesh::tessellate::{tessellate, TessInput};
use geo::{Coord, Geometry, LineString, Polygon};

/// tessellate_rings: byte 0 picks the geometry; the rest are (f32, f32) pairs, half for the
/// exterior ring, half for a hole.
fn tessellate_rings(data: &[u8]) -> borderlens::mesh::tessellate::Mesh {
    let coords = |d: &[u8]| -> Vec<Coord<f64>> {
        d.chunks_exact(8)
            .map(|c| Coord {
                x: f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64,
                y: f32::from_le_bytes([c[4], c[5], c[6], c[7]]) as f64,
            })
            .collect()
    };
    let (mode, rest) = (data[0], &data[1..]);
    let split = rest.len() / 2 / 8 * 8;
    let (a, b) = (coords(&rest[..split]), coords(&rest[split..]));
    let g = match mode % 3 {
        0 => Geometry::Polygon(Polygon::new(LineString(a), vec![LineString(b)])),
        1 => Geometry::LineString(LineString(a)),
        _ => Geometry::MultiPoint(a.into_iter().map(geo::Point).collect()),
    };
    tessellate(
        &[TessInput {
            geometry: &g,
            feature: 0,
            fill: true,
            outline: mode & 4 != 0,
        }],
        if mode & 8 != 0 { 0.5 } else { 0.0 },
    )
}

#[test]
fn huge_coordinates_are_skipped_not_tessellated() {
    // lyon's fill tessellator grew its event queue past 2 GB on this self-intersecting ring
    // with coordinates near f32::MAX.
    let mut data = include_bytes!("fixtures/fuzz/tessellate-oom-huge-coords.bin").to_vec();
    data[0] = 0; // a polygon, filled
    let mesh = tessellate_rings(&data);
    assert_eq!(mesh.skipped.len(), 1, "{:?}", mesh.skipped);
    assert!(mesh.skipped[0].1.contains("outside"));
    assert!(mesh.vertices.is_empty());
}

#[test]
fn sane_neighbours_still_tessellate() {
    let square = Geometry::Polygon(Polygon::new(
        LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]),
        vec![],
    ));
    let huge = Geometry::LineString(LineString::from(vec![(0.0, 0.0), (1e30, 1e30)]));
    let mesh = tessellate(
        &[
            TessInput {
                geometry: &huge,
                feature: 0,
                fill: true,
                outline: true,
            },
            TessInput {
                geometry: &square,
                feature: 1,
                fill: true,
                outline: true,
            },
        ],
        0.0,
    );
    assert_eq!(mesh.skipped.iter().map(|s| s.0).collect::<Vec<_>>(), [0]);
    assert!(mesh.vertices.iter().all(|v| v.feature() == 1) && !mesh.vertices.is_empty());
}
