//! The `tessellate_rings` fuzz target's input format, shared with the regression tests in
//! tests/fuzz_regressions.rs (which include this file), so that a kept input is the same
//! feature in both. Depends on `geo` alone.

use geo::{Coord, Geometry, LineString, Polygon};

/// One feature to tessellate, decoded from fuzz bytes.
pub struct RingsCase {
    pub geometry: Geometry<f64>,
    pub fill: bool,
    pub outline: bool,
    /// Simplification tolerance (km), 0 for none.
    pub simplify_km: f64,
}

/// Byte 0 is the mode: `% 3` picks a polygon (exterior and one hole), a line or points; bit 2
/// outlines, bit 3 simplifies by 0.5, bit 4 leaves the polygon unfilled. The rest are
/// little-endian (f32, f32) pairs, the first half for the exterior or line, the second for the
/// hole. `None` for fewer than two bytes.
pub fn decode(data: &[u8]) -> Option<RingsCase> {
    if data.len() < 2 {
        return None;
    }
    let (mode, rest) = (data[0], &data[1..]);
    let split = rest.len() / 2 / 8 * 8;
    let a = coords(&rest[..split]);
    let b = coords(&rest[split..]);
    let geometry = match mode % 3 {
        0 => Geometry::Polygon(Polygon::new(LineString(a), vec![LineString(b)])),
        1 => Geometry::LineString(LineString(a)),
        _ => Geometry::MultiPoint(a.into_iter().map(geo::Point).collect()),
    };
    Some(RingsCase {
        geometry,
        fill: mode & 16 == 0,
        outline: mode & 4 != 0,
        simplify_km: if mode & 8 != 0 { 0.5 } else { 0.0 },
    })
}

fn coords(data: &[u8]) -> Vec<Coord<f64>> {
    data.chunks_exact(8)
        .map(|c| {
            let x = f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64;
            let y = f32::from_le_bytes([c[4], c[5], c[6], c[7]]) as f64;
            Coord { x, y }
        })
        .collect()
}
