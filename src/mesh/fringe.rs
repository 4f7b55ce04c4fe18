//! The antialiasing fringe of a fill without an outline: a one-pixel strip outside its edge
//! whose alpha falls to zero (there is no MSAA).

use geo::LineString;

use crate::mesh::chunks::Part;
use crate::mesh::vertex::{MapVertex, KIND_FRINGE};

/// The longest a fringe's corner may reach, in fringe widths (sharper corners are cut).
const FRINGE_MITER_LIMIT: f64 = 2.0;

/// The antialiasing fringe of one ring of a fill: each corner twice, once on the ring and once
/// with the outward unit normal (mitred) that the shader scales to one pixel. `exterior` says
/// whether the fill lies inside the ring (an exterior ring) or outside it (a hole).
pub(crate) fn fringe(
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
